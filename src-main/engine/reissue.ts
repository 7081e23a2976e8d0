/**
 * Batch invoice re-issue (issue 11): invoices recalculated from the usage and transactions now in
 * the database, after a re-rating changed their usage. docs/invoices.md "Re-issue" is the
 * accounting; in short:
 *
 * - an invoice keeps the ledger records it took (xdrs.invoice_id); its usage lines stay at what
 *   was posted, and the re-rating's difference for that usage (the "drift": charge_minor -
 *   amount_minor of its usage records) comes in as a "Re-rating correction" line, taken from the
 *   correction records posted after its period (invoice_correction_parts, migration 0023);
 * - a correction record's home invoice (the one of the period it was posted in) counts only what
 *   no live invoice took, so nothing is counted twice and April shows the corrected March balance;
 * - the invoices after a re-issued one are recalculated in the same unit of work (their previous
 *   balance and correction lines change), so a customer is never left half re-issued.
 *
 * One customer's affected invoices are one unit of work; a batch and its plan are rows
 * (reissue_batches, reissue_results), so a crash resumes at the next start (`resumeBatches`).
 */
import type {
  CustomerCsvParse,
  DeskNotification,
  OffPeakWindow,
  InvoiceStatus,
  ReissueBatch,
  ReissueBatchState,
  ReissueFromRerating,
  ReissueMode,
  ReissuePreview,
  ReissuePreviewRow,
  ReissueResultRow,
  ReissueRunResult,
  ReissueTotals
} from '../../src-shared/domain'
import { AppError } from '../../src-shared/errors'
import { localDate } from '../../src-shared/format'
import { formatMinor, formatMoney, type RoundingMode } from '../../src-shared/money'
import type { Value } from '../db/access'
import type { DbReader } from '../db/store'
import type { Actor } from './audit'
import { csvChunk } from './customerExport'
import {
  addChargeLine,
  addDaysToDate,
  type BillingTerms,
  billingTermsOf,
  type ChargeGroup,
  type ChargeLine,
  finishLines,
  formatPercentPpm,
  insertLines,
  invoiceStatus,
  otherInWindow,
  postForInvoice,
  roundingOf,
  settleInvoice,
  takeNumber
} from './invoicing'
import { applyUnallocated, rebalanceAfterRecalculation } from './invoicePayments'
import { INVOICE_STATUS_LABEL } from '../../src-shared/labels'
import type { Engine, Work } from './unitOfWork'
import { isUsageRecalculable } from './usageRetention'

// ---------------------------------------------------------------------------------------------
// Recalculating one invoice

interface StoredInvoice {
  id: number
  number: string
  prefix: string
  customer_id: number
  currency: string
  period_start: string
  period_end: string
  issued_at: string
  issue_date: string
  due_date: string
  tax_rate_ppm: number
  total_minor: number
  amount_due_minor: number
  closing_balance_minor: number
  status: InvoiceStatus
  overdue_since: string | null
}

const INVOICE_COLUMNS = `id, number, prefix, customer_id, currency, period_start, period_end, issued_at, issue_date, due_date, tax_rate_ppm,
  total_minor, amount_due_minor, closing_balance_minor, status, overdue_since`

/** What a dry run has done so far in a customer's chain (empty when applying: the database says it). */
interface ChainState {
  /** Old invoices recalculated earlier in the chain: their parts no longer count. */
  replaced: Set<number>
  /** Correction parts taken by the chain's new invoices, per correction record. */
  parts: Map<number, number>
  /** The previous invoice as recalculated. */
  previous: { closing: number; periodEnd: string } | null
  /** `previous` is known (null: there is none), so it is not read from the database. */
  previousKnown?: boolean
  /** Known: none of the customer's invoices has a reduction (so none is looked for in the window). */
  noReductions?: boolean
  /** Service names by id, read once for the chain. */
  serviceNames?: Map<number, string>
}

const emptyChain = (): ChainState => ({ replaced: new Set(), parts: new Map(), previous: null })

export interface Recalculated {
  previous: number
  payments: number
  charges: number
  taxes: number
  total: number
  other: number
  closing: number
  lines: ChargeLine[]
  /** Correction parts this invoice takes from records posted after its period. */
  parts: { xdrId: number; amount: number }[]
  /** The tax records already posted on it. */
  taxPosted: number
  paid: number
  /** Payment applications (invoice_payments rows) on it, whatever their sum. */
  paymentRows: number
  reduced: number
  amountDue: number
}

const PAYMENT_KINDS: ReadonlySet<string> = new Set(['manual-payment', 'refund', 'ecommerce-payment', 'ecommerce-refund', 'capture'])

/** Parts of a correction record counted on live invoices other than `exceptInvoice` and those the chain replaced. */
function partsElsewhere(r: DbReader, xdrId: number, exceptInvoice: number, chain: ChainState): number {
  const rows = r.all<{ invoice_id: number; amount_minor: number }>(
    'SELECT p.invoice_id, p.amount_minor FROM invoice_correction_parts p JOIN invoices i ON i.id = p.invoice_id WHERE p.xdr_id = ? AND i.voided_at IS NULL',
    [xdrId]
  )
  let s = chain.parts.get(xdrId) ?? 0
  for (const p of rows) if (p.invoice_id !== exceptInvoice && !chain.replaced.has(p.invoice_id)) s += p.amount_minor
  return s
}

/** Move `need` toward 0 by what a record has left of the same sign: the part taken. */
function takeFrom(need: number, available: number): number {
  if (need > 0 && available > 0) return Math.min(need, available)
  if (need < 0 && available < 0) return Math.max(need, available)
  return 0
}

const NOT_REDUCTIONS = '\n       AND x.id NOT IN (SELECT xdr_id FROM invoice_reductions WHERE invoice_id = ?)'
// Plain sums, min and max and no ORDER BY (the few groups are put in order below): the CASEs and
// the second sort cost more than the read of the ~100 records itself. Only the usage groups'
// charge (the drift) and dates are used, so they need no CASE: a group is of one kind.
const GROUPS_SQL = `SELECT x.kind, x.service_id, count(*) AS n, coalesce(sum(x.duration_s), 0) AS duration_s, sum(x.amount_minor) AS amount,
       coalesce(sum(x.charge_minor), 0) AS charge, min(x.started_at) AS lo, max(x.started_at) AS hi
     FROM xdrs x
     WHERE x.customer_id = ? AND x.invoice_id = ?${NOT_REDUCTIONS}
     GROUP BY x.kind, x.service_id`
const GROUPS_SQL_NO_REDUCTIONS = GROUPS_SQL.replace(NOT_REDUCTIONS, '')

/**
 * An invoice as it comes out now, from the records it took, the usage's current rating and the
 * corrections; reads only (the preview and the apply both call it).
 */
export function recalculate(r: DbReader, inv: StoredInvoice, rounding: RoundingMode, chain: ChainState = emptyChain()): Recalculated {
  const prev =
    chain.previous ??
    (chain.previousKnown
      ? null
      : (() => {
          const p = r.get<{ closing_balance_minor: number; period_end: string }>(
            `SELECT closing_balance_minor, period_end FROM invoices WHERE customer_id = ? AND out_of_turn = 0 AND voided_at IS NULL AND period_end <= ? AND id <> ?
         ORDER BY period_end DESC LIMIT 1`,
            [inv.customer_id, inv.period_start, inv.id]
          )
          return p ? { closing: p.closing_balance_minor, periodEnd: p.period_end } : null
        })())
  // The records it took, but the reductions aimed at it (shown apart), in one pass: with its usage's
  // drift (current charge - posted) and the calls' dates; its tax records only as what is posted.
  // (A customer known to have no reductions needs no look at them: the same query without that clause.)
  // Service names from the few services rather than a join on each of the ~100 records.
  chain.serviceNames ??= new Map(r.all<{ id: number; name: string }>('SELECT id, name FROM services').map((x) => [x.id, x.name]))
  const names = chain.serviceNames
  const rows = r.all<Omit<ChargeGroup, 'service_name'> & { charge: number; lo: string | null; hi: string | null }>(
    chain.noReductions ? GROUPS_SQL_NO_REDUCTIONS : GROUPS_SQL,
    chain.noReductions ? [inv.customer_id, inv.id] : [inv.customer_id, inv.id, inv.id]
  )
  // By service (none first), then kind: the order the lines are made in.
  rows.sort((a, b) => (a.service_id ?? -Infinity) - (b.service_id ?? -Infinity) || (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0))
  const groups = rows.map((g) => ({ ...g, service_name: g.service_id === null ? null : (names.get(g.service_id) ?? null) }))
  let previous = prev?.closing ?? 0
  let payments = 0
  let drift = 0
  let lo: string | null = null
  let hi: string | null = null
  let hasHome = false
  let taxPosted = 0
  const lines: ChargeLine[] = []
  for (const g of groups) {
    if (g.kind === 'invoice-tax') taxPosted += g.amount
    else if (g.kind === 'rerating-correction') hasHome = true
    else if (g.kind === 'opening-balance') previous += g.amount
    else if (PAYMENT_KINDS.has(g.kind)) payments += g.amount
    else if (g.amount !== 0 || g.kind === 'usage') addChargeLine(lines, g)
    if (g.kind === 'usage') {
      drift += g.charge - g.amount
      if (g.lo !== null && (lo === null || g.lo < lo)) lo = g.lo
      if (g.hi !== null && (hi === null || g.hi > hi)) hi = g.hi
    }
  }
  // Corrections: what is left of those posted in its period, plus the part of later ones its usage needs.
  const home = hasHome
    ? r.all<{ id: number; amount_minor: number }>("SELECT id, amount_minor FROM xdrs WHERE customer_id = ? AND invoice_id = ? AND kind = 'rerating-correction'", [
        inv.customer_id,
        inv.id
      ])
    : []
  let homeAmount = 0
  for (const c of home) homeAmount += c.amount_minor - partsElsewhere(r, c.id, inv.id, chain)
  // Never more than the drift, never of the other sign: a home invoice's surplus is its own.
  let need = drift > 0 ? Math.min(Math.max(drift - homeAmount, 0), drift) : Math.max(Math.min(drift - homeAmount, 0), drift)
  const parts: { xdrId: number; amount: number }[] = []
  if (need !== 0) {
    // Corrections posted after its period by a re-rating of a period holding its usage (usage
    // imported late is on a later invoice than its calls' dates: the calls decide), oldest first.
    const span = { lo: lo ?? '', hi: hi ?? '' }
    const later = r.all<{ id: number; amount_minor: number; invoice_id: number | null }>(
      `SELECT x.id, x.amount_minor, x.invoice_id FROM xdrs x JOIN rerating_customers rc ON rc.correction_xdr_id = x.id
       WHERE x.customer_id = ? AND x.kind <> 'usage' AND x.kind = 'rerating-correction' AND x.created_at >= ? AND rc.period_from <= ? AND rc.period_to > ?
       ORDER BY x.id`,
      [inv.customer_id, inv.period_end, span?.hi ?? '', span?.lo ?? '']
    )
    for (const c of later) {
      if (need === 0) break
      if (c.invoice_id === inv.id) continue
      const taken = takeFrom(need, c.amount_minor - partsElsewhere(r, c.id, inv.id, chain))
      if (taken === 0) continue
      parts.push({ xdrId: c.id, amount: taken })
      need -= taken
    }
  }
  const correction = homeAmount + parts.reduce((s, p) => s + p.amount, 0)
  if (correction !== 0)
    addChargeLine(lines, { kind: 'rerating-correction', service_id: null, service_name: null, n: home.length + parts.length, duration_s: 0, amount: correction })
  const { charges, taxes, total } = finishLines(lines, inv.tax_rate_ppm, rounding)
  const other = otherInWindow(r, inv.customer_id, prev?.periodEnd ?? '', inv.period_end, { reductions: chain.noReductions !== true })
  const applied = r.get<{ n: number; s: number | null }>('SELECT count(*) AS n, sum(amount_minor) AS s FROM invoice_payments WHERE invoice_id = ?', [inv.id])
  const paid = applied?.s ?? 0
  const reduced = chain.noReductions ? 0 : (r.get<{ s: number | null }>('SELECT sum(amount_minor) AS s FROM invoice_reductions WHERE invoice_id = ?', [inv.id])?.s ?? 0)
  return {
    previous,
    payments,
    charges,
    taxes,
    total,
    other,
    closing: previous + payments + total + other,
    lines,
    parts,
    taxPosted,
    paid,
    paymentRows: applied?.n ?? 0,
    reduced,
    amountDue: Math.max(0, total - paid - reduced)
  }
}

// ---------------------------------------------------------------------------------------------
// Selecting

export interface ReissueSelection {
  /** Customer row ids. */
  customerIds: number[]
  /** Instant: regular invoices issued after it. */
  issuedAfter: string
}

interface PlannedInvoice {
  invoice: StoredInvoice
  carried: boolean
  skippedReason: string | null
}

function checkedInstant(text: string): string {
  const ms = Date.parse(text)
  if (Number.isNaN(ms)) throw new AppError('VALIDATION', `"${text}" is not a date and time.`, 'issuedAfter')
  return new Date(ms).toISOString()
}

/**
 * Per customer, in period order: its live regular invoices issued after the instant, and every
 * later one (recalculated to carry the balance forward). Out-of-turn invoices hold no usage and
 * are left as they are.
 */
export function planReissue(r: DbReader, sel: ReissueSelection): { customerId: number; invoices: PlannedInvoice[] }[] {
  const after = checkedInstant(sel.issuedAfter)
  const ids = checkedCustomers(r, sel.customerIds)
  const out: { customerId: number; invoices: PlannedInvoice[] }[] = []
  for (const id of ids) {
    const invoices = planCustomer(r, id, after)
    if (invoices.length > 0) out.push({ customerId: id, invoices })
  }
  return out
}

/** The chosen customers, once each, in id order; every one must exist. */
function checkedCustomers(r: DbReader, customerIds: readonly number[]): number[] {
  const ids = [...new Set(customerIds)].sort((a, b) => a - b)
  if (ids.length === 0) throw new AppError('VALIDATION', 'Choose at least one customer.', 'customerIds')
  for (const id of ids) {
    if (!r.get('SELECT 1 AS found FROM customers WHERE id = ?', [id])) throw new AppError('NOT_FOUND', `Customer ${id} does not exist.`, 'customerIds')
  }
  return ids
}

/** One customer's part of planReissue: its live regular invoices issued after `after`, and every later one. */
function planCustomer(r: DbReader, id: number, after: string): PlannedInvoice[] {
  const all = r.all<StoredInvoice>(`SELECT ${INVOICE_COLUMNS} FROM invoices WHERE customer_id = ? AND out_of_turn = 0 AND voided_at IS NULL ORDER BY period_start`, [id])
  const first = all.findIndex((i) => i.issued_at > after)
  if (first < 0) return []
  return all.slice(first).map((invoice) => ({
    invoice,
    carried: invoice.issued_at <= after,
    skippedReason: isUsageRecalculable(r, invoice.period_start)
      ? null
      : `Its usage is past retention (purged before ${invoice.period_start.slice(0, 10)}'s month): it cannot be recalculated.`
  }))
}

// ---------------------------------------------------------------------------------------------
// Preview

const customerNames = (r: DbReader, id: number) =>
  r.get<{ customer_id: string; company_name: string }>('SELECT customer_id, company_name FROM customers WHERE id = ?', [id]) ?? { customer_id: '', company_name: '' }

/** What a re-issue would change, invoice by invoice, and the effect carried into later invoices; writes nothing. */
export function previewReissue(r: DbReader, sel: ReissueSelection & { mode: ReissueMode }, now: string): ReissuePreview {
  const rounding = roundingOf(r)
  const today = localDate(now)
  const rows: ReissuePreviewRow[] = []
  const totals = new Map<string, ReissueTotals>()
  for (const c of planReissue(r, sel)) {
    const names = customerNames(r, c.customerId)
    const chain = emptyChain()
    // Void mode issues the replacement today, due after the customer's due days.
    const voidDue = sel.mode === 'void' ? addDaysToDate(today, billingTermsOf(r, c.customerId).due_days) : null
    for (const p of c.invoices) {
      const i = p.invoice
      const base = {
        invoiceId: i.id,
        number: i.number,
        customerId: c.customerId,
        customerName: names.customer_id,
        companyName: names.company_name,
        currency: i.currency,
        periodStart: i.period_start,
        periodEnd: i.period_end,
        carried: p.carried,
        oldTotalMinor: i.total_minor,
        oldAmountDueMinor: i.amount_due_minor,
        oldClosingMinor: i.closing_balance_minor,
        oldStatus: i.status
      }
      if (p.skippedReason !== null) {
        rows.push({ ...base, newTotalMinor: null, newAmountDueMinor: null, newClosingMinor: null, newStatus: null, skippedReason: p.skippedReason })
        chain.previous = { closing: i.closing_balance_minor, periodEnd: i.period_end }
        continue
      }
      const n = recalculate(r, i, rounding, chain)
      chain.replaced.add(i.id)
      for (const part of n.parts) chain.parts.set(part.xdrId, (chain.parts.get(part.xdrId) ?? 0) + part.amount)
      chain.previous = { closing: n.closing, periodEnd: i.period_end }
      const dueDate = voidDue ?? i.due_date
      const status = invoiceStatus({ total_minor: n.total, amount_due_minor: n.amountDue, paid_minor: n.paid, due_date: dueDate, voided_at: null }, today)
      rows.push({ ...base, newTotalMinor: n.total, newAmountDueMinor: n.amountDue, newClosingMinor: n.closing, newStatus: status, skippedReason: null })
      const t = totals.get(i.currency) ?? { currency: i.currency, invoices: 0, oldTotalMinor: 0, newTotalMinor: 0, oldAmountDueMinor: 0, newAmountDueMinor: 0 }
      t.invoices += 1
      t.oldTotalMinor += i.total_minor
      t.newTotalMinor += n.total
      t.oldAmountDueMinor += i.amount_due_minor
      t.newAmountDueMinor += n.amountDue
      totals.set(i.currency, t)
    }
  }
  return {
    rows,
    totals: [...totals.values()].sort((a, b) => a.currency.localeCompare(b.currency)),
    skipped: rows.filter((x) => x.skippedReason !== null).length
  }
}

// ---------------------------------------------------------------------------------------------
// Applying one invoice (in the caller's unit of work)

/** Told of each invoice re-issued, after its unit of work: the app draws the new PDF then (InvoicePdfBatch). */
export type ReissuedHook = (e: { mode: ReissueMode; oldInvoiceId: number; newInvoiceId: number }) => void

/** What a void-mode replacement takes of the customer's terms (as billingTermsOf, without its reads of the invoices). */
type ReplacementTerms = Pick<BillingTerms, 'due_days' | 'invoice_prefix'>

const replacementTerms = (r: DbReader, customerId: number): ReplacementTerms =>
  r.get<ReplacementTerms>(
    `SELECT coalesce(c.due_days_override, k.due_days, 14) AS due_days, coalesce(k.invoice_prefix, '') AS invoice_prefix
     FROM customers c LEFT JOIN customer_classes k ON k.id = c.class_id WHERE c.id = ?`,
    [customerId]
  ) ?? { due_days: 14, invoice_prefix: '' }

/** A re-issued invoice as it stands after its unit of work (the result row's values). */
export interface ReissuedInvoice {
  id: number
  number: string
  totalMinor: number
  amountDueMinor: number
  status: InvoiceStatus
  closingMinor: number
}

/** What the caller already read: the previous live invoice (null: none) and, in void mode, the customer's terms. */
export interface ReissueContext {
  previous?: { closing: number; periodEnd: string } | null
  terms?: ReplacementTerms
  /** None of the customer's invoices has a reduction. */
  noReductions?: boolean
  /** Service names by id (read once for a unit of work). */
  serviceNames?: Map<number, string>
}

/**
 * Re-issue one invoice in the caller's unit of work: recalculated from the database as it is now.
 * Void mode: the old one becomes Void (replaced_by), a new one with the next number of the class
 * sequence takes its records, payments applied and reductions. Same number: regenerated in place.
 */
export function reissueInvoice(w: Work, old: StoredInvoice, mode: ReissueMode, batchId: number, rounding: RoundingMode, ctx: ReissueContext = {}): ReissuedInvoice {
  if (old.status === 'void') throw new AppError('CONFLICT', `Invoice ${old.number} is void already.`, 'invoiceId')
  const chain = emptyChain()
  if (ctx.previous !== undefined) {
    chain.previous = ctx.previous
    chain.previousKnown = true
  }
  chain.noReductions = ctx.noReductions === true
  if (ctx.serviceNames) chain.serviceNames = ctx.serviceNames
  const n = recalculate(w, old, rounding, chain)
  const money = (m: number) => formatMoney(m, old.currency)
  let id = old.id
  let number = old.number
  let status: InvoiceStatus = old.status
  const today = localDate(w.at)
  if (mode === 'void') {
    const terms = ctx.terms ?? replacementTerms(w, old.customer_id)
    w.run("UPDATE invoices SET status = 'void', voided_at = ?, amount_due_minor = 0 WHERE id = ?", [w.at, old.id])
    const taken = takeNumber(w, terms.invoice_prefix)
    number = taken.number
    const dueDate = addDaysToDate(today, terms.due_days)
    // Its payments and reductions are the old one's (moved below): settled as it is inserted.
    status = invoiceStatus({ total_minor: n.total, amount_due_minor: n.amountDue, paid_minor: n.paid, due_date: dueDate, voided_at: null }, today)
    id = w.insert(
      `INSERT INTO invoices (number, prefix, sequence_number, customer_id, currency, period_start, period_end, issued_at, issue_date, due_date,
         previous_balance_minor, payments_minor, charges_minor, tax_rate_ppm, taxes_minor, total_minor, other_minor, closing_balance_minor,
         paid_minor, reduced_minor, amount_due_minor, status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        number,
        terms.invoice_prefix,
        taken.seq,
        old.customer_id,
        old.currency,
        old.period_start,
        old.period_end,
        w.at,
        today,
        dueDate,
        n.previous,
        n.payments,
        n.charges,
        old.tax_rate_ppm,
        n.taxes,
        n.total,
        n.other,
        n.closing,
        n.paid,
        n.reduced,
        n.amountDue,
        status,
        w.at
      ]
    )
    w.run('UPDATE invoices SET replaced_by = ? WHERE id = ?', [id, old.id])
    w.run('UPDATE xdrs SET invoice_id = ? WHERE customer_id = ? AND invoice_id = ?', [id, old.customer_id, old.id])
    // (Nothing to move when it has no payment applications, or the customer no reductions.)
    if (n.paymentRows > 0) w.run('UPDATE invoice_payments SET invoice_id = ? WHERE invoice_id = ?', [id, old.id])
    if (!chain.noReductions) w.run('UPDATE invoice_reductions SET invoice_id = ? WHERE invoice_id = ?', [id, old.id])
    w.audit({
      kind: 'invoice.status',
      customerId: old.customer_id,
      field: 'status',
      from: old.status,
      to: 'void',
      description: `Invoice ${old.number} voided by re-issue batch ${batchId}: replaced by ${number}.`,
      source: { kind: 'invoice', id: old.id }
    })
  } else {
    w.run(
      `UPDATE invoices SET issued_at = ?, previous_balance_minor = ?, payments_minor = ?, charges_minor = ?, taxes_minor = ?, total_minor = ?, other_minor = ?,
         closing_balance_minor = ?, amount_due_minor = ? WHERE id = ?`,
      [w.at, n.previous, n.payments, n.charges, n.taxes, n.total, n.other, n.closing, n.amountDue, id]
    )
    w.run('DELETE FROM invoice_lines WHERE invoice_id = ?', [id])
    w.run('DELETE FROM invoice_correction_parts WHERE invoice_id = ?', [id])
  }
  insertLines(w, id, n.lines)
  for (const p of n.parts) w.run('INSERT INTO invoice_correction_parts (invoice_id, xdr_id, amount_minor) VALUES (?, ?, ?)', [id, p.xdrId, p.amount])
  // The tax already posted for it stays; the difference is posted on it.
  if (n.taxes !== n.taxPosted) {
    postForInvoice(
      w,
      {
        kind: 'invoice-tax',
        customerId: old.customer_id,
        amountMinor: n.taxes - n.taxPosted,
        unallocatedDeltaMinor: 0,
        serviceId: null,
        effectiveDate: null,
        outOfTurn: false,
        visibleComment: `Tax ${formatPercentPpm(old.tax_rate_ppm)} on invoice ${number} (re-issued)`,
        internalComment: `Re-issue batch ${batchId}`
      },
      id,
      old.currency,
      `tax ${formatPercentPpm(old.tax_rate_ppm)} on re-issued invoice ${number}`
    )
  }
  // Same number: the status from the amounts (settleInvoice audits a change; its amount due is n.amountDue).
  if (mode === 'same-number') status = settleInvoice(w, id)
  // The recalculated amount due (and, for a new invoice, its first status) as audit values, so a
  // trace of the invoice goes on from here (audit.trace); then what rebalancing moves.
  w.audit({
    kind: 'invoice.reissued',
    customerId: old.customer_id,
    field: 'amount_due',
    from: mode === 'void' ? null : String(old.amount_due_minor),
    to: String(n.amountDue),
    description:
      `Invoice ${number} ${mode === 'void' ? `issued by re-issue batch ${batchId} to replace ${old.number}` : `regenerated by re-issue batch ${batchId}`}: ` +
      `previous balance ${money(n.previous)}, payments ${money(n.payments)}, charges ${money(n.charges)}, taxes ${money(n.taxes)}, ` +
      `total ${money(old.total_minor)} → ${money(n.total)}, amount due ${money(old.amount_due_minor)} → ${money(n.amountDue)}, closing balance ${money(old.closing_balance_minor)} → ${money(n.closing)}.`,
    source: { kind: 'invoice', id }
  })
  if (mode === 'void') {
    w.audit({
      kind: 'invoice.status',
      customerId: old.customer_id,
      field: 'status',
      from: null,
      to: status,
      description: `Invoice ${number} (replacing ${old.number}, re-issue batch ${batchId}) starts as ${INVOICE_STATUS_LABEL[status]}; amount due ${money(n.amountDue)}.`,
      source: { kind: 'invoice', id }
    })
  }
  // Payments beyond the new total go back to unallocated payments; waiting ones are applied.
  // A new invoice was inserted with these very figures: when its payments do not exceed what it
  // needs, only the waiting payments are applied (rebalanceAfterRecalculation would read it back
  // to find nothing to give back), and it is read back only if they touched something.
  const read = () => w.get<{ status: InvoiceStatus; amount_due_minor: number }>('SELECT status, amount_due_minor FROM invoices WHERE id = ?', [id])!
  let after: { status: InvoiceStatus; amount_due_minor: number }
  if (mode === 'void' && n.paid <= Math.max(0, n.total - n.reduced)) {
    after = applyUnallocated(w, old.customer_id).length === 0 ? { status, amount_due_minor: n.amountDue } : read()
  } else {
    rebalanceAfterRecalculation(w, id, `re-issue batch ${batchId}`)
    after = read()
  }
  const overdueSince = after.status === 'overdue' ? (old.overdue_since ?? today) : null
  // A new invoice is inserted with none; a regenerated one may have had one.
  if (mode === 'same-number' || overdueSince !== null) w.run('UPDATE invoices SET overdue_since = ? WHERE id = ?', [overdueSince, id])
  return { id, number, totalMinor: n.total, amountDueMinor: after.amount_due_minor, status: after.status, closingMinor: n.closing }
}

// ---------------------------------------------------------------------------------------------
// Batches

export interface ReissueBatchInput extends ReissueSelection {
  mode: ReissueMode
  /** Instant: run then (the off-peak window) rather than now. */
  scheduledFor?: string | null | undefined
}

/**
 * Record a batch and its plan (one result row per invoice) in one unit of work; returns its id.
 * The desk plans in units instead (planBatch): a large batch's plan is half a second of work.
 */
export function createBatch(w: Work, input: ReissueBatchInput): number {
  const batchId = beginBatch(w, input)
  const planner = batchPlanner(w, batchId)
  while (!planBatchUnit(w, planner, Number.POSITIVE_INFINITY)) {
    // one unit plans every customer
  }
  if (!finishPlanning(w, batchId)) throw new AppError('VALIDATION', NOTHING_TO_REISSUE, 'issuedAfter')
  return batchId
}

const NOTHING_TO_REISSUE = 'None of these customers has an invoice issued after that date and time.'

/**
 * `done` of a batch whose plan is being written (a few customers per unit of work, see planBatch):
 * its state is 'scheduled' meanwhile, and it is never run (dueBatches) until the plan is complete.
 * A crash mid-planning leaves it so: the next start plans on (runDueBatches), then runs it.
 */
const PLANNING = -1

/** Batches being planned in this process, per store: planned on by one caller only. */
const planningBatches = new WeakMap<object, Set<number>>()

/**
 * Record a batch and plan it in units of work of about UNIT_MAX_MS (each customer whole), a
 * `setImmediate` turn between them, so that a cashier's payment gets in while 10,000 customers
 * are planned; returns its id once it is planned (runnable, or scheduled).
 */
export async function planBatch(engine: Engine, actor: Actor, input: ReissueBatchInput, ctl: Pick<BatchControl, 'unitMaxMs' | 'planned'> = {}): Promise<number> {
  const batchId = engine.change(actor, (w) => beginBatch(w, input))
  if (!(await planOn(engine, actor, batchId, ctl))) throw new AppError('VALIDATION', NOTHING_TO_REISSUE, 'issuedAfter')
  return batchId
}

/** Plan the rest of a batch being planned, in units; false when it turned out empty (then removed). */
async function planOn(engine: Engine, actor: Actor, batchId: number, ctl: Pick<BatchControl, 'unitMaxMs' | 'planned'>): Promise<boolean> {
  const active = planningBatches.get(engine.storeKey) ?? new Set<number>()
  planningBatches.set(engine.storeKey, active)
  if (active.has(batchId)) throw new AppError('CONFLICT', `Re-issue batch ${batchId} is being planned.`, 'batchId')
  active.add(batchId)
  try {
    const planner = engine.read((r) => batchPlanner(r, batchId))
    const unitMaxMs = ctl.unitMaxMs ?? UNIT_MAX_MS
    for (;;) {
      const planned = engine.change(actor, (w) => planBatchUnit(w, planner, unitMaxMs))
      ctl.planned?.(planner.next, planner.ids.length)
      if (planned) return engine.change(actor, (w) => finishPlanning(w, batchId))
      await new Promise<void>((resolve) => setImmediate(resolve))
    }
  } finally {
    active.delete(batchId)
  }
}

/** The batch's row, not runnable yet (PLANNING), after checking the selection. */
function beginBatch(w: Work, input: ReissueBatchInput): number {
  const issuedAfter = checkedInstant(input.issuedAfter)
  const scheduledFor = input.scheduledFor ? checkedInstant(input.scheduledFor) : null
  const ids = checkedCustomers(w, input.customerIds)
  return w.insert(
    `INSERT INTO reissue_batches (created_at, operator_id, operator_name, mode, issued_after, customer_ids_json, state, scheduled_for, invoices, done)
     VALUES (?, ?, ?, ?, ?, ?, 'scheduled', ?, 0, ?)`,
    [w.at, w.actor.operatorId, w.actor.operatorName, input.mode, issuedAfter, JSON.stringify(ids), scheduledFor, PLANNING]
  )
}

/** Where planning a batch stands: its customers, and the next one to plan. */
interface BatchPlanner {
  batchId: number
  issuedAfter: string
  ids: number[]
  next: number
}

/** Planning resumes after the last customer with planned invoices (each customer is planned whole). */
function batchPlanner(r: DbReader, batchId: number): BatchPlanner {
  const b = r.get<{ issued_after: string; customer_ids_json: string }>('SELECT issued_after, customer_ids_json FROM reissue_batches WHERE id = ?', [batchId])
  if (!b) throw new AppError('NOT_FOUND', `Re-issue batch ${batchId} does not exist.`, 'batchId')
  const ids = [...new Set(JSON.parse(b.customer_ids_json) as number[])].sort((a, b) => a - b)
  const last = r.get<{ customer_id: number }>('SELECT customer_id FROM reissue_results WHERE batch_id = ? ORDER BY position DESC LIMIT 1', [batchId])
  const next = last === undefined ? 0 : ids.findIndex((id) => id > last.customer_id)
  return { batchId, issuedAfter: b.issued_after, ids, next: next < 0 ? ids.length : next }
}

/**
 * One unit of planning: the next customers' result rows, for at least one customer and until
 * `maxMs` have passed. True when every customer is planned (or the batch is no longer being
 * planned: cancelled meanwhile).
 */
function planBatchUnit(w: Work, planner: BatchPlanner, maxMs: number): boolean {
  const b = w.get<{ state: ReissueBatchState; done: number; invoices: number }>('SELECT state, done, invoices FROM reissue_batches WHERE id = ?', [planner.batchId])
  if (!b || b.done !== PLANNING || b.state !== 'scheduled') return true
  const t0 = performance.now()
  let position = b.invoices
  for (let taken = 0; planner.next < planner.ids.length && (taken === 0 || performance.now() - t0 < maxMs); taken++) {
    const customerId = planner.ids[planner.next]!
    for (const p of planCustomer(w, customerId, planner.issuedAfter)) {
      position += 1
      w.run(
        `INSERT INTO reissue_results (batch_id, position, customer_id, invoice_id, carried, state, old_number, currency, old_total_minor, old_amount_due_minor, old_status)
         VALUES (?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?, ?)`,
        [
          planner.batchId,
          position,
          customerId,
          p.invoice.id,
          p.carried ? 1 : 0,
          p.invoice.number,
          p.invoice.currency,
          p.invoice.total_minor,
          p.invoice.amount_due_minor,
          p.invoice.status
        ]
      )
    }
    planner.next += 1
  }
  if (position > b.invoices) w.run('UPDATE reissue_batches SET invoices = ? WHERE id = ?', [position, planner.batchId])
  return planner.next >= planner.ids.length
}

/**
 * Every customer planned: the batch becomes runnable (or stays scheduled for its time) and is
 * announced in the audit log. A batch with no invoice is removed; false then.
 */
function finishPlanning(w: Work, batchId: number): boolean {
  const b = w.get<{ state: ReissueBatchState; done: number; invoices: number; scheduled_for: string | null; mode: ReissueMode; issued_after: string }>(
    'SELECT state, done, invoices, scheduled_for, mode, issued_after FROM reissue_batches WHERE id = ?',
    [batchId]
  )
  if (!b || b.done !== PLANNING || b.state !== 'scheduled') return b !== undefined // cancelled meanwhile
  if (b.invoices === 0) {
    w.run('DELETE FROM reissue_batches WHERE id = ?', [batchId])
    return false
  }
  const customers = w.get<{ n: number }>('SELECT count(DISTINCT customer_id) AS n FROM reissue_results WHERE batch_id = ?', [batchId])?.n ?? 0
  const state = b.scheduled_for ? 'scheduled' : 'running'
  w.run('UPDATE reissue_batches SET state = ?, done = 0 WHERE id = ?', [state, batchId])
  const count = b.invoices
  w.audit({
    kind: 'invoice.reissueBatch',
    field: 'state',
    to: state,
    description: `Re-issue batch ${batchId} ${b.scheduled_for ? `scheduled for ${b.scheduled_for}` : 'started'}: ${count} invoice${count === 1 ? '' : 's'} of ${customers} customer${customers === 1 ? '' : 's'} issued after ${b.issued_after}, ${b.mode === 'void' ? 'voided and issued with new numbers' : 'regenerated with the same numbers'}.`,
    source: { kind: 'reissue-batch', id: batchId }
  })
  return true
}

export interface BatchControl {
  readonly signal?: AbortSignal | undefined
  progress?(done: number, total: number, message?: string): void
  pause?(): Promise<void>
  onReissued?: ReissuedHook | undefined
  /** Awaited before the batch is recorded as ended (the PDFs of the re-issued invoices being drawn). */
  beforeFinish?: (() => Promise<void>) | undefined
  /** How long a unit of work keeps taking customers (tests pass 0: one customer a unit). */
  unitMaxMs?: number
  /** After each unit of planning a batch (planBatch, or planning on after a crash): customers planned, of how many. */
  planned?(customers: number, total: number): void
}

interface PendingResult {
  id: number
  customer_id: number
  invoice_id: number
  carried: number
}

/** What a unit of work reads once for all its customers: service names, and the classes' terms by id. */
interface UnitReads {
  serviceNames: Map<number, string>
  classTerms: Map<number, ReplacementTerms>
}

const unitReads = (r: DbReader): UnitReads => ({
  serviceNames: new Map(r.all<{ id: number; name: string }>('SELECT id, name FROM services').map((x) => [x.id, x.name])),
  classTerms: new Map(
    r
      .all<ReplacementTerms & { id: number }>('SELECT id, due_days, invoice_prefix FROM customer_classes')
      .map((k) => [k.id, { due_days: k.due_days, invoice_prefix: k.invoice_prefix }])
  )
})

/** Customers whose reads are made together (a unit of ~25 ms takes about that many at M). */
const READ_AHEAD = 32
const IN_LIST = `(${Array.from({ length: READ_AHEAD }, () => '?').join(', ')})`

/** What runCustomer reads of a customer before re-issuing its invoices. */
interface CustomerReads {
  /** Its live regular invoices, in period order. */
  live: StoredInvoice[]
  /** A void-mode replacement's due days and prefix (replacementTerms). */
  terms: ReplacementTerms
  /** None of its invoices has a reduction (re-issuing moves reductions with their invoice, never adds one). */
  noReductions: boolean
}

const storedInvoice = (v: Value[]): StoredInvoice => ({
  id: v[0] as number,
  number: v[1] as string,
  prefix: v[2] as string,
  customer_id: v[3] as number,
  currency: v[4] as string,
  period_start: v[5] as string,
  period_end: v[6] as string,
  issued_at: v[7] as string,
  issue_date: v[8] as string,
  due_date: v[9] as string,
  tax_rate_ppm: v[10] as number,
  total_minor: v[11] as number,
  amount_due_minor: v[12] as number,
  closing_balance_minor: v[13] as number,
  status: v[14] as InvoiceStatus,
  overdue_since: v[15] as string | null
})

/**
 * runCustomer's reads of up to READ_AHEAD customers in three statements for all of them (a set of
 * reads per customer cost ~100 µs in a 10k batch), as arrays (objects of 16 columns cost twice as
 * much in sql.js). Made in the unit of work that re-issues them: re-issuing one customer's invoices
 * changes nothing these read of another.
 */
function readCustomers(r: DbReader, unit: UnitReads, ids: number[]): Map<number, CustomerReads> {
  // Padded to one statement text (no customer has id -1).
  const params = Array.from({ length: READ_AHEAD }, (_, i) => ids[i] ?? -1)
  const out = new Map<number, CustomerReads>(ids.map((id) => [id, { live: [], terms: { due_days: 14, invoice_prefix: '' }, noReductions: true }]))
  for (const [id, classId, override] of r.values(`SELECT id, class_id, due_days_override FROM customers WHERE id IN ${IN_LIST}`, params)) {
    const k = classId === null ? undefined : unit.classTerms.get(classId as number)
    const c = out.get(id as number)
    if (c) c.terms = { due_days: (override as number | null) ?? k?.due_days ?? 14, invoice_prefix: k?.invoice_prefix ?? '' }
  }
  for (const v of r.values(
    `SELECT ${INVOICE_COLUMNS} FROM invoices WHERE customer_id IN ${IN_LIST} AND out_of_turn = 0 AND voided_at IS NULL ORDER BY customer_id, period_start`,
    params
  ))
    out.get(v[3] as number)?.live.push(storedInvoice(v))
  for (const [id] of r.values(
    `SELECT DISTINCT i.customer_id FROM invoices i JOIN invoice_reductions x ON x.invoice_id = i.id WHERE i.customer_id IN ${IN_LIST}`,
    params
  )) {
    const c = out.get(id as number)
    if (c) c.noReductions = false
  }
  return out
}

/** The previous live regular invoice before `inv` among a customer's, as the database would give it. */
function previousOf(live: StoredInvoice[], inv: StoredInvoice): { closing: number; periodEnd: string } | null {
  let p: StoredInvoice | null = null
  for (const x of live) if (x.id !== inv.id && x.period_end <= inv.period_start && (p === null || x.period_end > p.period_end)) p = x
  return p ? { closing: p.closing_balance_minor, periodEnd: p.period_end } : null
}

/**
 * One customer's pending invoices, whole: re-issued in period order, or left alone with the reason.
 * The customer's live invoices and terms come from its unit's reads (readCustomers), kept current
 * as its invoices are re-issued.
 */
function runCustomer(
  w: Work,
  batchId: number,
  mode: ReissueMode,
  rows: PendingResult[],
  rounding: RoundingMode,
  unit: UnitReads,
  read: CustomerReads
): { oldId: number; newId: number }[] {
  const { live, noReductions } = read
  const terms = mode === 'void' ? read.terms : undefined
  const done: { oldId: number; newId: number }[] = []
  let lastEnd: string | null = null
  const reissue = (inv: StoredInvoice): ReissuedInvoice => {
    const after = reissueInvoice(w, inv, mode, batchId, rounding, {
      previous: previousOf(live, inv),
      noReductions,
      serviceNames: unit.serviceNames,
      ...(terms ? { terms } : {})
    })
    live[live.indexOf(inv)] = { ...inv, id: after.id, number: after.number, closing_balance_minor: after.closingMinor }
    done.push({ oldId: inv.id, newId: after.id })
    lastEnd = inv.period_end
    return after
  }
  for (const row of rows) {
    // Not among the live regular invoices: voided or replaced since the batch was planned.
    const inv = live.find((i) => i.id === row.invoice_id)
    let reason: string | null = null
    if (!inv) reason = 'Void or replaced since the batch was planned.'
    else if (!isUsageRecalculable(w, inv.period_start)) reason = 'Its usage is past retention: it cannot be recalculated.'
    if (reason !== null || !inv) {
      w.run("UPDATE reissue_results SET state = 'skipped', reason = ?, finished_at = ? WHERE id = ?", [reason, w.at, row.id])
      continue
    }
    const after = reissue(inv)
    w.run(
      `UPDATE reissue_results SET state = 'done', new_invoice_id = ?, new_number = ?, new_total_minor = ?, new_amount_due_minor = ?, new_status = ?, finished_at = ?
       WHERE id = ?`,
      [after.id, after.number, after.totalMinor, after.amountDueMinor, after.status, w.at, row.id]
    )
  }
  // An invoice issued since the batch was planned (a period closed meanwhile) carries the balance too.
  if (lastEnd !== null) {
    const from: string = lastEnd
    for (const inv of live.filter((i) => i.period_start >= from)) {
      const position = (w.get<{ p: number }>('SELECT max(position) AS p FROM reissue_results WHERE batch_id = ?', [batchId])?.p ?? 0) + 1
      const after = reissue(inv)
      w.run(
        `INSERT INTO reissue_results (batch_id, position, customer_id, invoice_id, carried, state, old_number, currency, old_total_minor, old_amount_due_minor, old_status,
           new_invoice_id, new_number, new_total_minor, new_amount_due_minor, new_status, finished_at) VALUES (?, ?, ?, ?, 1, 'done', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          batchId,
          position,
          inv.customer_id,
          inv.id,
          inv.number,
          inv.currency,
          inv.total_minor,
          inv.amount_due_minor,
          inv.status,
          after.id,
          after.number,
          after.totalMinor,
          after.amountDueMinor,
          after.status,
          w.at
        ]
      )
      w.run('UPDATE reissue_batches SET invoices = invoices + 1, done = done + 1 WHERE id = ?', [batchId])
    }
  }
  return done
}

/**
 * Run (or carry on) a batch: one customer's pending invoices per unit of work, pausing between
 * them, stopping there when cancelled (the rest are marked cancelled, untouched).
 */
export async function runBatch(engine: Engine, actor: Actor, batchId: number, ctl: BatchControl = {}): Promise<ReissueRunResult> {
  const active = activeBatches.get(engine.storeKey) ?? new Map<number, AbortController>()
  activeBatches.set(engine.storeKey, active)
  if (active.has(batchId)) throw new AppError('CONFLICT', `Re-issue batch ${batchId} is already running.`, 'batchId')
  // Cancel comes from the caller's signal (a job's Cancel) or from cancelRunningBatch (a batch the
  // minute's check started has no job).
  const stop = new AbortController()
  const forward = () => stop.abort()
  if (ctl.signal?.aborted) stop.abort()
  ctl.signal?.addEventListener('abort', forward)
  active.set(batchId, stop)
  try {
    return await runBatchOnce(engine, actor, batchId, { ...ctl, signal: stop.signal })
  } finally {
    ctl.signal?.removeEventListener('abort', forward)
    active.delete(batchId)
  }
}

/** A unit of work stops taking customers after this long (each customer whole). */
const UNIT_MAX_MS = 15

/**
 * A unit's every reference is one it has just read or inserted (the invoices, their records,
 * payments, services, the batch's rows) in this single-threaded engine, so SQLite's foreign-key
 * checks are switched off for it (DurableStore.transaction): moving an invoice's ~100 records to
 * its replacement looked the new invoice up once per record (about a third of that UPDATE).
 */
const UNIT_WRITE = { checkForeignKeys: false }

/**
 * Batches running in this process, per store (every Engine over it), with what stops each: the
 * minute's check must not start one a job is running, and Cancel reaches either.
 */
const activeBatches = new WeakMap<object, Map<number, AbortController>>()

/** Whether a batch is running in this process. */
export const isBatchActive = (engine: Engine, batchId: number) => activeBatches.get(engine.storeKey)?.has(batchId) === true

/**
 * Ask a batch running in this process (as a job or started by the minute's check) to stop at the
 * next customer boundary; false if none is running here.
 */
export function cancelRunningBatch(engine: Engine, batchId: number): boolean {
  const stop = activeBatches.get(engine.storeKey)?.get(batchId)
  stop?.abort()
  return stop !== undefined
}

async function runBatchOnce(engine: Engine, actor: Actor, batchId: number, ctl: BatchControl): Promise<ReissueRunResult> {
  const batch = engine.read((r) =>
    r.get<{ mode: ReissueMode; state: ReissueBatchState; invoices: number }>('SELECT mode, state, invoices FROM reissue_batches WHERE id = ?', [batchId])
  )
  if (!batch) throw new AppError('NOT_FOUND', `Re-issue batch ${batchId} does not exist.`, 'batchId')
  if (batch.state !== 'running' && batch.state !== 'scheduled') throw new AppError('CONFLICT', `Re-issue batch ${batchId} is ${batch.state}.`, 'batchId')
  if (batch.state === 'scheduled') engine.change(actor, (w) => w.run("UPDATE reissue_batches SET state = 'running' WHERE id = ?", [batchId]))
  const rounding = engine.read(roundingOf)
  const pending = engine.read((r) =>
    r.all<PendingResult>("SELECT id, customer_id, invoice_id, carried FROM reissue_results WHERE batch_id = ? AND state = 'pending' ORDER BY position", [batchId])
  )
  const byCustomer = new Map<number, PendingResult[]>()
  for (const p of pending) byCustomer.set(p.customer_id, [...(byCustomer.get(p.customer_id) ?? []), p])
  let done = batch.invoices - pending.length
  ctl.progress?.(done, batch.invoices)
  let cancelled = false
  const queue = [...byCustomer.values()]
  const unitMaxMs = ctl.unitMaxMs ?? UNIT_MAX_MS
  try {
    while (queue.length > 0) {
      if (ctl.signal?.aborted) {
        cancelled = true
        break
      }
      // Several customers to a unit of work (a durable commit costs a disk flush), each whole,
      // until the unit has taken UNIT_MAX_MS: short enough for a cashier's payment to get in.
      const unit = engine.change(
        actor,
        (w) => {
          const t0 = performance.now()
          const out: { rows: number; reissued: { oldId: number; newId: number }[] } = { rows: 0, reissued: [] }
          const reads = unitReads(w)
          let ahead = new Map<number, CustomerReads>()
          while (queue.length > 0 && (out.rows === 0 || performance.now() - t0 < unitMaxMs)) {
            const rows = queue.shift() as PendingResult[]
            const customerId = rows[0]?.customer_id ?? 0
            if (!ahead.has(customerId)) ahead = readCustomers(w, reads, [customerId, ...queue.slice(0, READ_AHEAD - 1).map((q) => q[0]?.customer_id ?? -1)])
            out.reissued.push(...runCustomer(w, batchId, batch.mode, rows, rounding, reads, ahead.get(customerId) as CustomerReads))
            out.rows += rows.length
          }
          w.run('UPDATE reissue_batches SET done = done + ? WHERE id = ?', [out.rows, batchId])
          return out
        },
        UNIT_WRITE
      )
      for (const r of unit.reissued) ctl.onReissued?.({ mode: batch.mode, oldInvoiceId: r.oldId, newInvoiceId: r.newId })
      done += unit.rows
      ctl.progress?.(done, batch.invoices)
      await (ctl.pause?.() ?? new Promise<void>((resolve) => setImmediate(resolve)))
    }
  } catch (err) {
    engine.change(actor, (w) => {
      w.run("UPDATE reissue_batches SET state = 'failed', error = ?, finished_at = ? WHERE id = ?", [(err as Error).message, w.at, batchId])
      w.audit({
        kind: 'invoice.reissueBatch',
        field: 'state',
        to: 'failed',
        description: `Re-issue batch ${batchId} failed: ${(err as Error).message}`,
        source: { kind: 'reissue-batch', id: batchId }
      })
    })
    throw err
  }
  await ctl.beforeFinish?.()
  return engine.change(actor, (w) => {
    if (cancelled) w.run("UPDATE reissue_results SET state = 'cancelled', finished_at = ? WHERE batch_id = ? AND state = 'pending'", [w.at, batchId])
    const counts = w.get<{ done: number; skipped: number }>(
      "SELECT sum(state = 'done') AS done, sum(state = 'skipped') AS skipped FROM reissue_results WHERE batch_id = ?",
      [batchId]
    ) ?? { done: 0, skipped: 0 }
    const state = cancelled ? 'cancelled' : 'completed'
    w.run('UPDATE reissue_batches SET state = ?, finished_at = ? WHERE id = ?', [state, w.at, batchId])
    notify(w, {
      kind: 'reissue',
      title: `Re-issue batch ${batchId} ${state}`,
      body: `${counts.done ?? 0} invoice${counts.done === 1 ? '' : 's'} re-issued, ${counts.skipped ?? 0} left alone${cancelled ? '; cancelled: the rest untouched' : ''}.`,
      link: `#/reissue?batch=${batchId}`
    })
    w.audit({
      kind: 'invoice.reissueBatch',
      field: 'state',
      from: 'running',
      to: state,
      description: `Re-issue batch ${batchId} ${state}: ${counts.done} invoice${counts.done === 1 ? '' : 's'} re-issued, ${counts.skipped} left alone${cancelled ? ', the rest untouched' : ''}.`,
      source: { kind: 'reissue-batch', id: batchId }
    })
    return { batchId, reissued: counts.done ?? 0, skipped: counts.skipped ?? 0, cancelled }
  })
}

/** Batches to run at start-up: those a crash interrupted, and scheduled ones whose time has come. */
export function dueBatches(r: DbReader, now: string): number[] {
  return r
    .all<{ id: number }>("SELECT id FROM reissue_batches WHERE done >= 0 AND (state = 'running' OR (state = 'scheduled' AND scheduled_for <= ?)) ORDER BY id", [now])
    .map((b) => b.id)
}

/** Stop a batch that is not running in this process (a scheduled one): its invoices stay untouched. */
export function cancelScheduledBatch(w: Work, batchId: number): void {
  const b = w.get<{ state: ReissueBatchState }>('SELECT state FROM reissue_batches WHERE id = ?', [batchId])
  if (!b) throw new AppError('NOT_FOUND', `Re-issue batch ${batchId} does not exist.`, 'batchId')
  if (b.state !== 'scheduled') throw new AppError('CONFLICT', `Re-issue batch ${batchId} is ${b.state}; only a scheduled batch can be cancelled this way.`, 'batchId')
  w.run("UPDATE reissue_results SET state = 'cancelled', finished_at = ? WHERE batch_id = ? AND state = 'pending'", [w.at, batchId])
  w.run("UPDATE reissue_batches SET state = 'cancelled', finished_at = ? WHERE id = ?", [w.at, batchId])
  w.audit({
    kind: 'invoice.reissueBatch',
    field: 'state',
    from: 'scheduled',
    to: 'cancelled',
    description: `Re-issue batch ${batchId} cancelled before it ran.`,
    source: { kind: 'reissue-batch', id: batchId }
  })
}

// ---------------------------------------------------------------------------------------------
// Reading

interface StoredBatch {
  id: number
  created_at: string
  operator_name: string
  mode: ReissueMode
  issued_after: string
  customer_ids_json: string
  state: ReissueBatchState
  scheduled_for: string | null
  invoices: number
  done: number
  error: string | null
  finished_at: string | null
}

const toBatch = (b: StoredBatch): ReissueBatch => ({
  id: b.id,
  createdAt: b.created_at,
  operatorName: b.operator_name,
  mode: b.mode,
  issuedAfter: b.issued_after,
  customers: (JSON.parse(b.customer_ids_json) as number[]).length,
  state: b.state,
  scheduledFor: b.scheduled_for,
  invoices: b.invoices,
  done: Math.max(0, b.done), // PLANNING: none yet
  error: b.error,
  finishedAt: b.finished_at
})

export function listBatches(r: DbReader, limit = 100): ReissueBatch[] {
  return r.all<StoredBatch>('SELECT * FROM reissue_batches ORDER BY id DESC LIMIT ?', [limit]).map(toBatch)
}

export function getBatch(r: DbReader, batchId: number): ReissueBatch {
  const b = r.get<StoredBatch>('SELECT * FROM reissue_batches WHERE id = ?', [batchId])
  if (!b) throw new AppError('NOT_FOUND', `Re-issue batch ${batchId} does not exist.`, 'batchId')
  return toBatch(b)
}

export function batchResults(r: DbReader, batchId: number): ReissueResultRow[] {
  getBatch(r, batchId)
  return r
    .all<{
      position: number
      customer_id: number
      customer_name: string
      currency: string
      carried: number
      state: ReissueResultRow['state']
      reason: string | null
      invoice_id: number
      old_number: string
      new_invoice_id: number | null
      new_number: string | null
      old_total_minor: number
      new_total_minor: number | null
      old_amount_due_minor: number
      new_amount_due_minor: number | null
      old_status: InvoiceStatus
      new_status: InvoiceStatus | null
    }>('SELECT x.*, c.customer_id AS customer_name FROM reissue_results x JOIN customers c ON c.id = x.customer_id WHERE x.batch_id = ? ORDER BY x.position', [batchId])
    .map((x) => ({
      position: x.position,
      customerId: x.customer_id,
      customerName: x.customer_name,
      currency: x.currency,
      carried: x.carried === 1,
      state: x.state,
      reason: x.reason,
      invoiceId: x.invoice_id,
      oldNumber: x.old_number,
      newInvoiceId: x.new_invoice_id,
      newNumber: x.new_number,
      oldTotalMinor: x.old_total_minor,
      newTotalMinor: x.new_total_minor,
      oldAmountDueMinor: x.old_amount_due_minor,
      newAmountDueMinor: x.new_amount_due_minor,
      oldStatus: x.old_status,
      newStatus: x.new_status
    }))
}

// ---------------------------------------------------------------------------------------------
// Customers from a CSV of customer IDs

/**
 * The customers named in a CSV of customer IDs (first column): a byte-order mark, Windows line
 * endings, blank lines and a header row ("customer_id", "id", "customer") are taken in stride;
 * unknown IDs and duplicates are listed by line (1-based) and left out.
 */
export function parseCustomerCsv(r: DbReader, text: string): CustomerCsvParse {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/)
  const out: CustomerCsvParse = { customers: [], problems: [] }
  const seen = new Map<string, number>()
  lines.forEach((raw, i) => {
    const line = i + 1
    const first = (raw.split(/[,;\t]/)[0] ?? '')
      .trim()
      .replace(/^"(.*)"$/, '$1')
      .trim()
    if (first === '') return
    if (i === 0 && /^(customer[ _]?id|id|customer)$/i.test(first)) return
    const prior = seen.get(first.toLowerCase())
    if (prior !== undefined) {
      out.problems.push({ line, text: first, problem: `Duplicate of line ${prior}.` })
      return
    }
    seen.set(first.toLowerCase(), line)
    const c = r.get<{ id: number; customer_id: string; company_name: string }>(
      'SELECT id, customer_id, company_name FROM customers WHERE customer_id = ? COLLATE NOCASE',
      [first]
    )
    if (!c) {
      out.problems.push({ line, text: first, problem: 'No customer has this ID.' })
      return
    }
    out.customers.push({ id: c.id, customerId: c.customer_id, companyName: c.company_name })
  })
  return out
}

/**
 * At start-up (and each minute, for scheduled ones): run every batch a crash interrupted and
 * every scheduled batch whose time has come, one after the other. Returns the results.
 */
export async function runDueBatches(engine: Engine, actor: Actor, ctl: BatchControl = {}): Promise<ReissueRunResult[]> {
  // A batch whose planning a crash interrupted is planned on first (then run below, when due).
  const interrupted = engine.read((r) => r.all<{ id: number }>("SELECT id FROM reissue_batches WHERE state = 'scheduled' AND done = ? ORDER BY id", [PLANNING]))
  for (const { id } of interrupted) if (!planningBatches.get(engine.storeKey)?.has(id)) await planOn(engine, actor, id, ctl)
  const out: ReissueRunResult[] = []
  for (const id of engine.read((r) => dueBatches(r, new Date(engine.now()).toISOString()))) {
    if (!isBatchActive(engine, id)) out.push(await runBatch(engine, actor, id, ctl))
  }
  return out
}

// ---------------------------------------------------------------------------------------------
// CSV and the way in from a re-rating

const plain = (minor: number | null, currency: string) => (minor === null ? '' : formatMinor(minor, currency, { grouping: false }))

/** A batch's results, one row per invoice, as CSV (byte-order mark, CRLF; amounts in major units). */
export function resultsCsv(r: DbReader, batchId: number): { fileName: string; csv: string } {
  const rows = batchResults(r, batchId)
  const csv = csvChunk(
    [
      'invoice',
      'customer_id',
      'currency',
      'carried_forward',
      'state',
      'reason',
      'new_invoice',
      'old_total',
      'new_total',
      'old_amount_due',
      'new_amount_due',
      'old_status',
      'new_status'
    ],
    rows.map((x) => [
      x.oldNumber,
      x.customerName,
      x.currency,
      x.carried ? 'yes' : 'no',
      x.state,
      x.reason ?? '',
      x.newNumber ?? '',
      plain(x.oldTotalMinor, x.currency),
      plain(x.newTotalMinor, x.currency),
      plain(x.oldAmountDueMinor, x.currency),
      plain(x.newAmountDueMinor, x.currency),
      x.oldStatus,
      x.newStatus ?? ''
    ])
  )
  return { fileName: `reissue-batch-${batchId}.csv`, csv }
}

/** A preview as CSV, the same columns as on screen. */
export function previewCsv(r: DbReader, sel: ReissueSelection & { mode: ReissueMode }, now: string): { fileName: string; csv: string } {
  const p = previewReissue(r, sel, now)
  const csv = csvChunk(
    [
      'invoice',
      'customer_id',
      'company_name',
      'currency',
      'period_from',
      'period_to',
      'carried_forward',
      'old_total',
      'new_total',
      'old_amount_due',
      'new_amount_due',
      'old_closing_balance',
      'new_closing_balance',
      'old_status',
      'new_status',
      'left_alone_because'
    ],
    p.rows.map((x) => [
      x.number,
      x.customerName,
      x.companyName,
      x.currency,
      localDate(x.periodStart),
      localDate(new Date(Date.parse(x.periodEnd) - 1).toISOString()),
      x.carried ? 'yes' : 'no',
      plain(x.oldTotalMinor, x.currency),
      plain(x.newTotalMinor, x.currency),
      plain(x.oldAmountDueMinor, x.currency),
      plain(x.newAmountDueMinor, x.currency),
      plain(x.oldClosingMinor, x.currency),
      plain(x.newClosingMinor, x.currency),
      x.oldStatus,
      x.newStatus ?? '',
      x.skippedReason ?? ''
    ])
  )
  return { fileName: `reissue-preview-${localDate(now)}.csv`, csv }
}

/**
 * A re-rating's out-of-date invoices as a selection: the customers whose live regular invoices
 * covering the re-rated period were issued before the re-rating, and an instant just before the
 * first of those was issued.
 */
export function selectionFromRerating(r: DbReader, reratingId: number): ReissueFromRerating {
  const run = r.get<{ at: string }>('SELECT at FROM reratings WHERE id = ?', [reratingId])
  if (!run) throw new AppError('NOT_FOUND', `Re-rating ${reratingId} does not exist.`, 'reratingId')
  const rows = r.all<{ id: number; customer_id: string; company_name: string; first: string }>(
    `SELECT c.id, c.customer_id, c.company_name, min(i.issued_at) AS first
     FROM rerating_customers rc JOIN customers c ON c.id = rc.customer_id
     JOIN invoices i ON i.customer_id = rc.customer_id AND i.out_of_turn = 0 AND i.voided_at IS NULL
       AND i.period_start < rc.period_to AND i.period_end > rc.period_from AND i.issued_at < ?
     WHERE rc.rerating_id = ? GROUP BY c.id ORDER BY c.customer_id`,
    [run.at, reratingId]
  )
  const first = rows.reduce<string | null>((m, x) => (m === null || x.first < m ? x.first : m), null)
  return {
    customers: rows.map((x) => ({ id: x.id, customerId: x.customer_id, companyName: x.company_name })),
    issuedAfter: first === null ? null : new Date(Date.parse(first) - 1000).toISOString()
  }
}

// ---------------------------------------------------------------------------------------------
// The off-peak window (Settings) and the notifications list

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/

/** The window and its next start after `now` (local time of day). */
export function offPeakWindow(r: DbReader, now: string): OffPeakWindow {
  const row = r.get<{ off_peak_start: string; off_peak_end: string }>('SELECT off_peak_start, off_peak_end FROM reissue_settings WHERE id = 1') ?? {
    off_peak_start: '01:00',
    off_peak_end: '05:00'
  }
  const [h, m] = row.off_peak_start.split(':').map(Number) as [number, number]
  const at = new Date(now)
  let next = new Date(at.getFullYear(), at.getMonth(), at.getDate(), h, m)
  if (next.getTime() <= at.getTime()) next = new Date(at.getFullYear(), at.getMonth(), at.getDate() + 1, h, m)
  return { start: row.off_peak_start, end: row.off_peak_end, nextStart: next.toISOString() }
}

export function setOffPeakWindow(w: Work, input: { start: string; end: string }): OffPeakWindow {
  if (!HHMM.test(input.start)) throw new AppError('VALIDATION', 'Enter the start as HH:MM, e.g. 01:00.', 'start')
  if (!HHMM.test(input.end)) throw new AppError('VALIDATION', 'Enter the end as HH:MM, e.g. 05:00.', 'end')
  if (input.start === input.end) throw new AppError('VALIDATION', 'The window must not be empty: the end must differ from the start.', 'end')
  const cur = offPeakWindow(w, w.at)
  if (cur.start !== input.start || cur.end !== input.end) {
    w.run('INSERT OR REPLACE INTO reissue_settings (id, off_peak_start, off_peak_end) VALUES (1, ?, ?)', [input.start, input.end])
    w.audit({
      kind: 'settings.change',
      field: 'off_peak_window',
      from: `${cur.start}-${cur.end}`,
      to: `${input.start}-${input.end}`,
      description: `Off-peak window for scheduled re-issues changed from ${cur.start}–${cur.end} to ${input.start}–${input.end}.`
    })
  }
  return offPeakWindow(w, w.at)
}

/** Add an entry to the notifications list, in the caller's unit of work. */
export function notify(w: Work, n: { kind: string; title: string; body: string; link: string | null }): number {
  return w.insert('INSERT INTO notifications (at, kind, title, body, link) VALUES (?, ?, ?, ?, ?)', [w.at, n.kind, n.title, n.body, n.link])
}

export function listNotifications(r: DbReader, limit = 50): DeskNotification[] {
  return r
    .all<{ id: number; at: string; kind: string; title: string; body: string; link: string | null; read_at: string | null }>(
      'SELECT * FROM notifications ORDER BY id DESC LIMIT ?',
      [limit]
    )
    .map((n) => ({ id: n.id, at: n.at, kind: n.kind, title: n.title, body: n.body, link: n.link, read: n.read_at !== null }))
}

export function markNotificationsRead(w: Work, ids: number[]): void {
  for (const id of ids) w.run('UPDATE notifications SET read_at = coalesce(read_at, ?) WHERE id = ?', [w.at, id])
}
