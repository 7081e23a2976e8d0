/**
 * Traces (issue 12 item 4): the chain of audit entries that produced a current value — an
 * invoice's amount due or status, a customer's balance (available funds for prepaid), unallocated
 * payments or status — oldest first, with the running value after each and who caused it.
 *
 * Built from the audit entries' `from`/`to` (they store each change's before and after value, in
 * the same commit as the change), not from the ledger tables: only the log holds the operator,
 * the time and the words of each step, and the status chains have no table of their own. Each
 * step adds its change (to − from) to the running value. The trace is **consistent** when every
 * step starts where the one before ended and the running value after the last step equals the
 * value the database holds now; anything else is a change the log does not explain — a ledger
 * defect — and the answer says which step or which difference.
 *
 * An invoice's chains start at its issue: the amount due at issue is the one its `invoice.issued`
 * entry stores (older entries store none: the invoice's total, never below zero) and the status
 * the one rule gives for it (invoicePayments.invoiceStatus); reductions and
 * payments applied or un-applied move the amount due, status entries the status.
 */
import type { AuditLink, CustomerStatus, InvoiceStatus, TraceResult, TraceStep, TraceTarget } from '../../src-shared/domain'
import { AppError } from '../../src-shared/errors'
import { INVOICE_STATUS_LABEL, STATUS_LABEL } from '../../src-shared/labels'
import { formatMinor, parseAmount } from '../../src-shared/money'
import type { DbReader } from '../db/store'
import { ISSUED_FIELD, type StoredAudit } from './audit'
import { LinkResolver } from './auditLinks'
import { invoiceStatus } from './invoicePayments'

type Entry = Pick<StoredAudit, 'id' | 'at' | 'operator_name' | 'customer_id' | 'kind' | 'field' | 'from_value' | 'to_value' | 'description' | 'source_kind' | 'source_id'>
const COLUMNS = 'id, at, operator_name, customer_id, kind, field, from_value, to_value, description, source_kind, source_id'

/**
 * A stored amount: minor units as digits ("7000", as most entries store them) or an amount
 * written out in the currency ("70.00", as a reduction and an opening balance store them).
 */
export function storedAmountMinor(v: string, currency: string): number {
  return /^-?\d+$/.test(v.trim()) ? Number(v.trim()) : parseAmount(v, currency)
}

interface Step {
  e: Entry
  from: number | string | null
  to: number | string
}

export function trace(r: DbReader, target: TraceTarget, id: number): TraceResult {
  switch (target) {
    case 'invoice.amountDue':
    case 'invoice.status':
      return traceInvoice(r, target, id)
    default:
      return traceCustomer(r, target, id)
  }
}

function traceInvoice(r: DbReader, target: 'invoice.amountDue' | 'invoice.status', invoiceId: number): TraceResult {
  const i = r.get<{
    number: string
    customer_id: number
    currency: string
    total_minor: number
    amount_due_minor: number
    status: InvoiceStatus
    due_date: string
    issue_date: string
  }>('SELECT number, customer_id, currency, total_minor, amount_due_minor, status, due_date, issue_date FROM invoices WHERE id = ?', [invoiceId])
  if (!i) throw new AppError('NOT_FOUND', `Invoice ${invoiceId} does not exist.`, 'id')
  // The invoice's own entries and its reductions' credits, each on the partial index of invoice
  // sources (migration 0024; `+customer_id` keeps SQLite off the customer's index, which would
  // walk the customer's whole history), only the kinds this chain needs.
  const kinds = target === 'invoice.amountDue' ? "(kind = 'invoice.issued' OR field = 'amount_due')" : "kind IN ('invoice.issued', 'invoice.status', 'invoice.reissued')"
  const entries = r.all<Entry>(
    `SELECT ${COLUMNS} FROM audit_log WHERE source_kind = 'invoice' AND source_id = ? AND +customer_id = ? AND ${kinds}
     UNION ALL
     SELECT ${COLUMNS} FROM audit_log WHERE source_kind = 'manual-credit' AND source_id IN (SELECT xdr_id FROM invoice_reductions WHERE invoice_id = ?)
       AND +customer_id = ? AND ${kinds}
     ORDER BY id`,
    [invoiceId, i.customer_id, invoiceId, i.customer_id]
  )
  const issued = entries.find((e) => e.kind === 'invoice.issued')
  // The issue's entry stores the total and the amount due it was issued with (ISSUED_FIELD).
  const logged =
    issued?.field === ISSUED_FIELD && issued.from_value !== null && issued.to_value !== null
      ? { total: storedAmountMinor(issued.from_value, i.currency), due: storedAmountMinor(issued.to_value, i.currency) }
      : null
  // Older entries store neither. A regenerated invoice (re-issue, same number) no longer has the
  // total it was issued with: its values at issue are where the log's first change of each starts
  // from; any other invoice starts from its total.
  const regenerated = entries.some((e) => e.kind === 'invoice.reissued' && e.from_value !== null)
  const firstFrom = (pick: (e: Entry) => boolean) => entries.find((e) => e !== issued && pick(e) && e.from_value !== null)?.from_value ?? null
  const dueFrom = regenerated && !logged ? firstFrom((e) => e.field === 'amount_due') : null
  const dueAtIssue = logged ? logged.due : dueFrom !== null ? storedAmountMinor(dueFrom, i.currency) : Math.max(0, i.total_minor)
  if (target === 'invoice.amountDue') {
    const steps: Step[] = []
    if (issued) steps.push({ e: issued, from: null, to: dueAtIssue })
    for (const e of entries) {
      if (e.field !== 'amount_due' || e.to_value === null) continue
      // No "from": the chain starts again here (an invoice issued by a re-issue to replace another).
      steps.push({ e, from: e.from_value === null ? null : storedAmountMinor(e.from_value, i.currency), to: storedAmountMinor(e.to_value, i.currency) })
    }
    return moneyChain(r, { target, id: invoiceId, title: `Amount due of invoice ${i.number}`, currency: i.currency, current: i.amount_due_minor, steps })
  }
  const statusFrom = regenerated ? firstFrom((e) => e.kind === 'invoice.status') : null
  const atIssue =
    statusFrom ??
    invoiceStatus({ total_minor: logged?.total ?? i.total_minor, amount_due_minor: dueAtIssue, paid_minor: 0, due_date: i.due_date, voided_at: null }, i.issue_date)
  const steps: Step[] = []
  if (issued) steps.push({ e: issued, from: null, to: atIssue })
  for (const e of entries) if (e.kind === 'invoice.status' && e.to_value !== null) steps.push({ e, from: e.from_value, to: e.to_value })
  const label = (s: string) => INVOICE_STATUS_LABEL[s as InvoiceStatus] ?? s
  return statusChain(r, { target, id: invoiceId, title: `Status of invoice ${i.number}`, current: i.status, label, steps })
}

function traceCustomer(r: DbReader, target: Exclude<TraceTarget, 'invoice.amountDue' | 'invoice.status'>, customerId: number): TraceResult {
  const c = r.get<{ customer_id: string; currency: string; balance_minor: number; unallocated_minor: number; status: CustomerStatus }>(
    'SELECT customer_id, currency, balance_minor, unallocated_minor, status FROM customers WHERE id = ?',
    [customerId]
  )
  if (!c) throw new AppError('NOT_FOUND', `Customer ${customerId} does not exist.`, 'id')
  if (target === 'customer.status') {
    const steps = r
      .all<Entry>(`SELECT ${COLUMNS} FROM audit_log WHERE customer_id = ? AND kind = 'customer.status' ORDER BY id`, [customerId])
      .filter((e) => e.to_value !== null)
      .map((e) => ({ e, from: e.from_value, to: e.to_value! }))
    return statusChain(r, { target, id: customerId, title: `Status of customer ${c.customer_id}`, current: STATUS_LABEL[c.status], label: (s) => s, steps })
  }
  const field = target === 'customer.unallocated' ? 'unallocated_payments' : 'balance'
  const steps = r
    .all<Entry>(`SELECT ${COLUMNS} FROM audit_log WHERE customer_id = ? AND field = ? ORDER BY id`, [customerId, field])
    .filter((e) => e.to_value !== null)
    .map((e) => ({ e, from: storedAmountMinor(e.from_value ?? '0', c.currency), to: storedAmountMinor(e.to_value!, c.currency) }))
  const title =
    target === 'customer.unallocated'
      ? `Unallocated payments of customer ${c.customer_id}`
      : target === 'customer.funds'
        ? `Available funds of customer ${c.customer_id}`
        : `Balance of customer ${c.customer_id}`
  const current = target === 'customer.unallocated' ? c.unallocated_minor : c.balance_minor
  return moneyChain(r, { target, id: customerId, title, currency: c.currency, current, steps, negate: target === 'customer.funds' })
}

/** A money chain: each step adds (to − from) to the running value, which starts at zero. */
function moneyChain(r: DbReader, q: { target: TraceTarget; id: number; title: string; currency: string; current: number; steps: Step[]; negate?: boolean }): TraceResult {
  const sign = q.negate ? -1 : 1
  const money = (m: number) => formatMinor(sign * m, q.currency)
  const withCode = (m: number) => `${money(m)} ${q.currency}`
  const links = new LinkResolver(r)
  let running = 0
  let firstGap: string | null = null
  const steps: TraceStep[] = q.steps.map(({ e, from, to }) => {
    const before = typeof from === 'number' ? from : running
    const gap = before !== running ? `This change starts from ${withCode(before)}, but the value before it was ${withCode(running)}.` : null
    if (gap && firstGap === null) firstGap = `Entry ${e.id}: ${gap}`
    const delta = (to as number) - before
    running += delta
    const shown = sign * delta
    return { ...stepOf(e, links.links(e)), delta: `${shown > 0 ? '+' : ''}${formatMinor(shown, q.currency)}`, valueAfter: withCode(running), gap }
  })
  const adds = running === q.current
  const problem =
    firstGap ??
    (adds
      ? null
      : `The changes add up to ${withCode(running)}, but the value now is ${withCode(q.current)}: a difference of ${money(q.current - running)} the log does not explain.`)
  return { target: q.target, id: q.id, title: q.title, currentValue: withCode(q.current), consistent: problem === null, problem, steps }
}

/** A status chain: each step goes from one status to the next; the last must be the status now. */
function statusChain(r: DbReader, q: { target: TraceTarget; id: number; title: string; current: string; label: (s: string) => string; steps: Step[] }): TraceResult {
  const links = new LinkResolver(r)
  let running: string | null = null
  let firstGap: string | null = null
  const steps: TraceStep[] = q.steps.map(({ e, from, to }) => {
    const f = from === null ? null : String(from)
    const gap = f !== null && running !== null && f !== running ? `This change starts from ${q.label(f)}, but the status before it was ${q.label(running)}.` : null
    if (gap && firstGap === null) firstGap = `Entry ${e.id}: ${gap}`
    running = String(to)
    return { ...stepOf(e, links.links(e)), delta: f === null ? null : `${q.label(f)} → ${q.label(running)}`, valueAfter: q.label(running), gap }
  })
  const last = running as string | null
  const problem =
    firstGap ??
    (last === q.current
      ? null
      : `The changes end at ${last === null ? 'no status' : q.label(last)}, but the status now is ${q.label(q.current)}: a change the log does not explain.`)
  return { target: q.target, id: q.id, title: q.title, currentValue: q.label(q.current), consistent: problem === null, problem, steps }
}

function stepOf(e: Entry, links: AuditLink[]): Omit<TraceStep, 'delta' | 'valueAfter' | 'gap'> {
  return { entryId: e.id, at: e.at, operatorName: e.operator_name, kind: e.kind, description: e.description, links }
}
