/**
 * Invoices (issue 10, items 1 and 3): billing periods per customer class, closing a period into an
 * invoice, gapless numbers per class prefix, statuses and the overdue rule. docs/invoices.md says
 * how an invoice relates to the ledger.
 *
 * Closing works in bounded units of work (a few hundred customers each): an invoice, its number,
 * its lines, the tax posted to the ledger, the records it took and its audit entry are one commit,
 * so a crash between units leaves whole invoices and no gap in the numbers.
 */
import type { InvoiceCloseResult, InvoiceDetail, InvoiceLine, InvoiceStatus, InvoiceSummary } from '../../src-shared/domain'
import { formatPercent } from '../../src-shared/percent'
import { AppError } from '../../src-shared/errors'
import { localDate } from '../../src-shared/format'
import { divideRounded, formatMinor, formatMoney, parseAmount, type RoundingMode } from '../../src-shared/money'
import type { DbReader } from '../db/store'
import { type Actor, describeAmountChange, issuedValues } from './audit'
import { parseLocalDate } from './calendar'
import { applyUnallocated, invoiceStatus, settleInvoice } from './invoicePayments'
import { type LedgerEntry, postToLedger } from './ledger'
import { outOfDatePeriods } from './rerating'
import type { Engine, Work } from './unitOfWork'
import { isUsageRecalculable } from './usageRetention'

// ---------------------------------------------------------------------------------------------
// Billing periods

export interface BillingSchedule {
  period: 'monthly' | 'weekly'
  /** Monthly: day of the month 1-28. Weekly: 1 (Monday) to 7 (Sunday). */
  day: number
}

/**
 * The regular period holding instant `t` (ms): local midnight of the billing day, to the same
 * day a month (or a week) later. Local, because "billed on the 1st" means the office's 1st.
 */
export function periodContaining(s: BillingSchedule, t: number): { start: string; end: string } {
  const d = new Date(t)
  if (s.period === 'monthly') {
    const back = d.getDate() < s.day ? 1 : 0
    const start = new Date(d.getFullYear(), d.getMonth() - back, s.day)
    const end = new Date(start.getFullYear(), start.getMonth() + 1, s.day)
    return { start: start.toISOString(), end: end.toISOString() }
  }
  const weekday = d.getDay() === 0 ? 7 : d.getDay()
  const start = new Date(d.getFullYear(), d.getMonth(), d.getDate() - ((weekday - s.day + 7) % 7))
  const end = new Date(start.getFullYear(), start.getMonth(), start.getDate() + 7)
  return { start: start.toISOString(), end: end.toISOString() }
}

/** A local date `days` days after another ("2026-11-30" + 1 = "2026-12-01"). */
export function addDaysToDate(date: string, days: number): string {
  const dt = parseLocalDate(date)
  if (!dt) throw new AppError('INTERNAL', `"${date}" is not a calendar date.`)
  return localDate(new Date(dt.getFullYear(), dt.getMonth(), dt.getDate() + days).toISOString())
}

// ---------------------------------------------------------------------------------------------
// Who is billed, and how

export interface BillingTerms {
  id: number
  customer_id: string
  currency: string
  created_at: string
  lifecycle: string
  terminated_at: string | null
  billing_period: 'monthly' | 'weekly'
  billing_day: number
  due_days: number
  tax_rate_ppm: number
  invoice_prefix: string
  last_end: string | null
}

// A customer without a class is billed on the class defaults (migration 0001): monthly on the
// 1st, due in 14 days, no tax, no prefix.
const SELECT_TERMS = `SELECT c.id, c.customer_id, c.currency, c.created_at, c.lifecycle, c.terminated_at,
    coalesce(k.billing_period, 'monthly') AS billing_period, coalesce(k.billing_day, 1) AS billing_day,
    coalesce(c.due_days_override, k.due_days, 14) AS due_days, coalesce(c.tax_rate_ppm_override, k.tax_rate_ppm, 0) AS tax_rate_ppm,
    coalesce(k.invoice_prefix, '') AS invoice_prefix,
    (SELECT max(i.period_end) FROM invoices i WHERE i.customer_id = c.id AND i.out_of_turn = 0 AND i.voided_at IS NULL) AS last_end
  FROM customers c LEFT JOIN customer_classes k ON k.id = c.class_id`

/** A customer's billing terms (class defaults and the customer's overrides). */
export function billingTermsOf(r: DbReader, customerRowId: number): BillingTerms {
  const c = r.get<BillingTerms>(`${SELECT_TERMS} WHERE c.id = ?`, [customerRowId])
  if (!c) throw new AppError('NOT_FOUND', `Customer ${customerRowId} does not exist.`, 'customerId')
  return c
}

const scheduleOf = (c: BillingTerms): BillingSchedule => ({ period: c.billing_period, day: c.billing_day })

/** The next period to close for a customer: from its last invoice's end (or its creation) to the regular boundary after. */
function nextPeriod(c: BillingTerms): { start: string; end: string } {
  if (c.last_end === null) return periodContaining(scheduleOf(c), Date.parse(c.created_at))
  return { start: c.last_end, end: periodContaining(scheduleOf(c), Date.parse(c.last_end)).end }
}

/** Exported customers are inactive; a permanently terminated one gets nothing after its termination date. */
function isBilled(c: BillingTerms, periodStart: string): boolean {
  if (c.lifecycle === 'exported') return false
  if (c.lifecycle === 'permanently-terminated' && c.terminated_at !== null && c.terminated_at < localDate(periodStart)) return false
  return true
}

// ---------------------------------------------------------------------------------------------
// Issuing one invoice

const PAYMENT_LINE_KINDS: ReadonlySet<string> = new Set(['manual-payment', 'refund', 'ecommerce-payment', 'ecommerce-refund', 'capture'])
const LINE_CATEGORY: Record<string, InvoiceLine['category']> = {
  usage: 'usage',
  'usage-summary': 'usage',
  'manual-charge': 'manual-charge',
  'manual-credit': 'credit',
  'promotional-credit': 'credit',
  'rerating-correction': 'correction'
}
const CATEGORY_ORDER: InvoiceLine['category'][] = ['usage', 'correction', 'manual-charge', 'credit', 'other', 'tax']
const CATEGORY_LABEL: Record<InvoiceLine['category'], string> = {
  usage: 'Usage',
  correction: 'Re-rating correction',
  'manual-charge': 'Manual charges',
  credit: 'Credits',
  other: 'Other',
  tax: 'Tax'
}

/** The invoice number: the class prefix and the next number of its sequence, taken in the caller's unit of work. */
export function takeNumber(w: Work, prefix: string): { number: string; seq: number } {
  const last = w.get<{ last_number: number }>('SELECT last_number FROM invoice_sequences WHERE prefix = ?', [prefix])?.last_number ?? 0
  const seq = last + 1
  if (last === 0) w.run('INSERT INTO invoice_sequences (prefix, last_number) VALUES (?, ?)', [prefix, seq])
  else w.run('UPDATE invoice_sequences SET last_number = ? WHERE prefix = ?', [seq, prefix])
  return { number: `${prefix}${String(seq).padStart(6, '0')}`, seq }
}

/** 230000 -> "23%", exact (integer arithmetic), as the class form shows the rate. */
export const formatPercentPpm = (ppm: number) => `${formatPercent(ppm)}%`

/**
 * Post a record the invoice makes (its tax, a reduction's credit) on the given invoice, with the
 * balance change audited in the seed's wording, in the caller's unit of work.
 */
export function postForInvoice(w: Work, e: LedgerEntry, invoiceId: number, currency: string, sourceText: string): number {
  const posted = postToLedger(w, e)
  w.run('UPDATE xdrs SET invoice_id = ? WHERE id = ?', [invoiceId, posted.xdrId])
  const before = posted.balanceMinor - e.amountMinor
  w.audit({
    kind: 'customer.balance',
    customerId: e.customerId,
    field: 'balance',
    from: String(before),
    to: String(posted.balanceMinor),
    description: `${describeAmountChange('Balance', before, posted.balanceMinor, currency)} Source – ${sourceText} (xDR id ${posted.xdrId}).`,
    source: { kind: e.kind, id: posted.xdrId }
  })
  return posted.xdrId
}

/** An invoice line while it is built: which service it sums. */
export type ChargeLine = InvoiceLine & { serviceId: number | null }

/** Ledger records summed by kind and service, as the invoice reads them. */
export interface ChargeGroup {
  kind: string
  service_id: number | null
  service_name: string | null
  n: number
  duration_s: number
  amount: number
}

/** Add a group of charges or credits to the line of its category and service. */
export function addChargeLine(lines: ChargeLine[], g: ChargeGroup): void {
  const category = LINE_CATEGORY[g.kind] ?? 'other'
  const same = lines.find((l) => l.category === category && l.serviceId === g.service_id)
  if (same) {
    same.records += g.n
    same.durationS += g.duration_s
    same.amountMinor += g.amount
    return
  }
  const label = category === 'other' ? g.kind : CATEGORY_LABEL[category]
  lines.push({
    category,
    serviceId: g.service_id,
    serviceName: g.service_name,
    description: g.service_name ? `${label} — ${g.service_name}` : label,
    records: g.n,
    durationS: g.duration_s,
    amountMinor: g.amount
  })
}

/**
 * Put the lines in print order and add the tax line: tax on the net charges, rounded once with
 * the money rule (Settings). Returns the sums the invoice stores.
 */
export function finishLines(lines: ChargeLine[], taxRatePpm: number, rounding: RoundingMode): { charges: number; taxes: number; total: number } {
  lines.sort((a, b) => CATEGORY_ORDER.indexOf(a.category) - CATEGORY_ORDER.indexOf(b.category))
  const charges = lines.reduce((s, l) => s + l.amountMinor, 0)
  const taxes = Number(divideRounded(BigInt(charges) * BigInt(taxRatePpm), 1_000_000n, rounding))
  if (taxRatePpm > 0)
    lines.push({
      category: 'tax',
      serviceId: null,
      serviceName: null,
      description: `Tax ${formatPercentPpm(taxRatePpm)}`,
      records: 0,
      durationS: 0,
      amountMinor: taxes
    })
  return { charges, taxes, total: charges + taxes }
}

export function insertLines(w: Work, invoiceId: number, lines: ChargeLine[]): void {
  lines.forEach((l, i) => {
    w.run(
      `INSERT INTO invoice_lines (invoice_id, position, category, service_id, description, records, duration_s, amount_minor)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      [invoiceId, i + 1, l.category, l.serviceId, l.description, l.records, l.durationS, l.amountMinor]
    )
  })
}

/**
 * What moved a customer's balance in [windowStart, end) without being the invoice's own charges:
 * out-of-turn items (on their own invoices) and reductions of earlier invoices (theirs). Shown
 * apart on the invoice so its closing balance adds up to the ledger.
 */
export function otherInWindow(r: DbReader, customerId: number, windowStart: string, end: string, opts: { reductions?: boolean } = {}): number {
  const outOfTurn =
    r.get<{ s: number | null }>('SELECT sum(amount_minor) AS s FROM xdrs WHERE customer_id = ? AND out_of_turn = 1 AND created_at >= ? AND created_at < ?', [
      customerId,
      windowStart,
      end
    ])?.s ?? 0
  // The caller may know the customer has no reductions at all (a batch re-issue asks once per customer).
  if (opts.reductions === false) return outOfTurn
  const reductions =
    r.get<{ s: number | null }>(
      // From the customer's invoices (few) rather than its records (many).
      `SELECT sum(x.amount_minor) AS s FROM xdrs x WHERE x.id IN (SELECT r.xdr_id FROM invoice_reductions r JOIN invoices i ON i.id = r.invoice_id WHERE i.customer_id = ?)
         AND x.created_at >= ? AND x.created_at < ?`,
      [customerId, windowStart, end]
    )?.s ?? 0
  return outOfTurn + reductions
}

/** The parts of correction record `x` taken by live (re-issued) invoices (migration 0023). */
const CORRECTION_PARTS_TAKEN = `coalesce((SELECT sum(p.amount_minor) FROM invoice_correction_parts p JOIN invoices pi ON pi.id = p.invoice_id
  WHERE p.xdr_id = x.id AND pi.voided_at IS NULL), 0)`

/** Close one period of one customer into an invoice. */
function issueInvoice(w: Work, c: BillingTerms, period: { start: string; end: string }, rounding: RoundingMode): number {
  const prev = w.get<{ closing_balance_minor: number; period_end: string }>(
    'SELECT closing_balance_minor, period_end FROM invoices WHERE customer_id = ? AND out_of_turn = 0 AND voided_at IS NULL ORDER BY period_end DESC LIMIT 1',
    [c.id]
  )
  const groups = w.all<ChargeGroup>(
    // A re-rating correction counts less the parts earlier re-issued invoices took (issue 11, reissue.ts).
    `SELECT x.kind, x.service_id, s.name AS service_name, count(*) AS n, coalesce(sum(x.duration_s), 0) AS duration_s,
       sum(CASE WHEN x.kind = 'rerating-correction' THEN x.amount_minor - ${CORRECTION_PARTS_TAKEN} ELSE x.amount_minor END) AS amount
     FROM xdrs x LEFT JOIN services s ON s.id = x.service_id
     WHERE x.customer_id = ? AND x.invoice_id IS NULL AND x.out_of_turn = 0 AND x.created_at < ?
     GROUP BY x.kind, x.service_id ORDER BY x.service_id`,
    [c.id, period.end]
  )
  let previous = prev?.closing_balance_minor ?? 0
  let payments = 0
  const lines: ChargeLine[] = []
  for (const g of groups) {
    if (g.kind === 'opening-balance') previous += g.amount
    else if (PAYMENT_LINE_KINDS.has(g.kind)) payments += g.amount
    else if (g.amount !== 0 || g.kind === 'usage') addChargeLine(lines, g)
  }
  const { charges, taxes, total } = finishLines(lines, c.tax_rate_ppm, rounding)
  // Out-of-turn items and reductions of earlier invoices move the balance but are not this
  // invoice's: shown apart, so the closing balance adds up to the ledger.
  const other = otherInWindow(w, c.id, prev?.period_end ?? '', period.end)
  const closing = previous + payments + total + other
  const { number, seq } = takeNumber(w, c.invoice_prefix)
  const issueDate = localDate(w.at)
  const dueDate = addDaysToDate(issueDate, c.due_days)
  const amountDue = Math.max(0, total)
  const status = invoiceStatus({ total_minor: total, amount_due_minor: amountDue, paid_minor: 0, due_date: dueDate, voided_at: null }, issueDate)
  const invoiceId = w.insert(
    `INSERT INTO invoices (number, prefix, sequence_number, customer_id, currency, period_start, period_end, issued_at, issue_date, due_date,
       previous_balance_minor, payments_minor, charges_minor, tax_rate_ppm, taxes_minor, total_minor, other_minor, closing_balance_minor,
       amount_due_minor, status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      number,
      c.invoice_prefix,
      seq,
      c.id,
      c.currency,
      period.start,
      period.end,
      w.at,
      issueDate,
      dueDate,
      previous,
      payments,
      charges,
      c.tax_rate_ppm,
      taxes,
      total,
      other,
      closing,
      amountDue,
      status,
      w.at
    ]
  )
  insertLines(w, invoiceId, lines)
  w.run('UPDATE xdrs SET invoice_id = ? WHERE customer_id = ? AND invoice_id IS NULL AND out_of_turn = 0 AND created_at < ?', [invoiceId, c.id, period.end])
  if (taxes !== 0) {
    const taxText = `Tax ${formatPercentPpm(c.tax_rate_ppm)} on invoice ${number}`
    postForInvoice(
      w,
      {
        kind: 'invoice-tax',
        customerId: c.id,
        amountMinor: taxes,
        unallocatedDeltaMinor: 0,
        serviceId: null,
        effectiveDate: null,
        outOfTurn: false,
        visibleComment: taxText,
        internalComment: ''
      },
      invoiceId,
      c.currency,
      `tax ${formatPercentPpm(c.tax_rate_ppm)} on invoice ${number}`
    )
  }
  const money = (m: number) => formatMoney(m, c.currency)
  w.audit({
    kind: 'invoice.issued',
    customerId: c.id,
    ...issuedValues(total, amountDue),
    description: `Invoice ${number} issued for ${localDate(period.start)} to ${localDate(new Date(Date.parse(period.end) - 1).toISOString())}: previous balance ${money(previous)}, payments ${money(payments)}, charges ${money(charges)}, taxes ${money(taxes)}, total ${money(total)}, amount due ${money(amountDue)}, due ${dueDate}${status === 'no-payment-needed' ? ' (needs no payment)' : ''}.`,
    source: { kind: 'invoice', id: invoiceId }
  })
  // Unallocated payments settle the new invoice (and any older unpaid one) at once.
  applyUnallocated(w, c.id)
  return invoiceId
}

// ---------------------------------------------------------------------------------------------
// Closing periods: the scheduler's catch-up and the administrator's "close now"

/** Customers per unit of work: one commit each, small enough to keep the app answering. */
export const CLOSE_UNIT_CUSTOMERS = 200

export interface CloseOptions {
  /** One customer (row id), or all. */
  customerId?: number | undefined
  /** Also close the current period early, up to now (the administrator's "close now"). */
  upToNow?: boolean
  signal?: AbortSignal | undefined
  onProgress?: (done: number, total: number) => void
}

export function roundingOf(r: DbReader): RoundingMode {
  return r.get<{ rounding_mode: RoundingMode }>('SELECT rounding_mode FROM settings WHERE id = 1')?.rounding_mode ?? 'away-from-zero'
}

/** Issue, in the caller's unit of work, every due invoice of one customer; returns how many. */
function closeCustomer(w: Work, customerRowId: number, now: string, upToNow: boolean, rounding: RoundingMode): number {
  let issued = 0
  for (;;) {
    const c = billingTermsOf(w, customerRowId)
    const p = nextPeriod(c)
    if (p.end > now) {
      if (!upToNow || p.start >= now || !isBilled(c, p.start)) return issued
      issueInvoice(w, c, { start: p.start, end: now }, rounding)
      return issued + 1
    }
    if (!isBilled(c, p.start)) return issued
    issueInvoice(w, c, p, rounding)
    issued++
  }
}

/**
 * Every invoice due for one customer and then its current period up to now, in the caller's unit
 * of work: the final invoice of a customer terminated with "Generate invoice prior to the end of
 * the billing period". Returns how many were issued.
 */
export function issueInvoicesToNow(w: Work, customerRowId: number): number {
  return closeCustomer(w, customerRowId, w.at, true, roundingOf(w))
}

const pause = () => new Promise<void>((resolve) => setImmediate(resolve))

/**
 * Issue every invoice whose period has ended (all of them, after the app was closed for a while),
 * in units of CLOSE_UNIT_CUSTOMERS customers; with `upToNow`, also the current period to now.
 */
export async function closeDuePeriods(engine: Engine, actor: Actor, opts: CloseOptions = {}): Promise<InvoiceCloseResult> {
  const now = new Date(engine.now()).toISOString()
  const candidates = engine.read((r) => {
    const rows = r.all<BillingTerms>(
      opts.customerId === undefined ? SELECT_TERMS : `${SELECT_TERMS} WHERE c.id = ?`,
      opts.customerId === undefined ? [] : [opts.customerId]
    )
    if (opts.customerId !== undefined && rows.length === 0) throw new AppError('NOT_FOUND', `Customer ${opts.customerId} does not exist.`, 'customerId')
    return rows.filter((c) => {
      const p = nextPeriod(c)
      return isBilled(c, p.start) && (p.end <= now || (opts.upToNow === true && p.start < now))
    })
  })
  const rounding = engine.read(roundingOf)
  const result: InvoiceCloseResult = { invoicesIssued: 0, customers: 0 }
  opts.onProgress?.(0, candidates.length)
  for (let i = 0; i < candidates.length; i += CLOSE_UNIT_CUSTOMERS) {
    if (opts.signal?.aborted) break
    const unit = candidates.slice(i, i + CLOSE_UNIT_CUSTOMERS)
    const issued = engine.change(actor, (w) => unit.map((c) => closeCustomer(w, c.id, now, opts.upToNow === true, rounding)))
    result.invoicesIssued += issued.reduce((s, n) => s + n, 0)
    result.customers += issued.filter((n) => n > 0).length
    opts.onProgress?.(Math.min(i + CLOSE_UNIT_CUSTOMERS, candidates.length), candidates.length)
    await pause()
  }
  return result
}

// ---------------------------------------------------------------------------------------------
// Statuses (the timed Overdue transition and the class's suspension rule are in lifecycleScheduler.ts;
// invoiceStatus and settleInvoice are in invoicePayments.ts, with the payments they settle)

export { invoiceStatus, settleInvoice }

/**
 * Reduce an issued invoice's amount due (item 3): a manual credit aimed at the invoice. The credit
 * lowers the balance and belongs to that invoice (never to the next one); the invoice's lines and
 * total stay as issued and the reduction is shown apart. Only ever decreases the amount due.
 */
export function reduceAmountDue(w: Work, input: { invoiceId: number; amount: string; serviceId?: number | null; comment: string }): InvoiceStatus {
  const i = w.get<{ id: number; number: string; customer_id: number; currency: string; amount_due_minor: number; voided_at: string | null }>(
    'SELECT id, number, customer_id, currency, amount_due_minor, voided_at FROM invoices WHERE id = ?',
    [input.invoiceId]
  )
  if (!i) throw new AppError('NOT_FOUND', `Invoice ${input.invoiceId} does not exist (it may have been removed); reload the list.`, 'invoiceId')
  if (i.voided_at !== null) throw new AppError('VALIDATION', `Invoice ${i.number} is void: reduce its replacement instead.`, 'invoiceId')
  const amount = parseAmount(input.amount, i.currency, 'amount')
  if (amount <= 0) throw new AppError('VALIDATION', 'Enter an amount greater than 0.', 'amount')
  if (amount > i.amount_due_minor) throw new AppError('VALIDATION', `A reduction cannot exceed the amount due, ${formatMinor(i.amount_due_minor, i.currency)}.`, 'amount')
  const creditId = postForInvoice(
    w,
    {
      kind: 'manual-credit',
      customerId: i.customer_id,
      amountMinor: -amount,
      unallocatedDeltaMinor: 0,
      // The special "Credits / Promotions" service unless one is named.
      serviceId: input.serviceId ?? 1,
      effectiveDate: null,
      outOfTurn: false,
      visibleComment: input.comment.trim() || `Reduction of invoice ${i.number}`,
      internalComment: ''
    },
    i.id,
    i.currency,
    `manual credit reducing invoice ${i.number}`
  )
  w.run('INSERT INTO invoice_reductions (invoice_id, xdr_id, amount_minor, at) VALUES (?, ?, ?, ?)', [i.id, creditId, amount, w.at])
  const after = i.amount_due_minor - amount
  const note = input.comment.trim()
  w.audit({
    kind: 'invoice.reduced',
    customerId: i.customer_id,
    field: 'amount_due',
    from: formatMinor(i.amount_due_minor, i.currency),
    to: formatMinor(after, i.currency),
    description: `Invoice ${i.number}: amount due reduced by ${formatMinor(amount, i.currency)} from ${formatMinor(i.amount_due_minor, i.currency)} to ${formatMinor(after, i.currency)}${note ? ` — ${note}` : ''}.`,
    source: { kind: 'manual-credit', id: creditId }
  })
  return settleInvoice(w, i.id)
}

// ---------------------------------------------------------------------------------------------
// Reading

/** An invoice row with its customer's ID and company name, as the list and the view read it. */
export interface StoredInvoiceRow {
  id: number
  number: string
  customer_id: number
  customer_name: string
  company_name: string
  currency: string
  out_of_turn: number
  period_start: string
  period_end: string
  issue_date: string
  due_date: string
  total_minor: number
  amount_due_minor: number
  status: InvoiceStatus
}

export const toSummary = (i: StoredInvoiceRow): InvoiceSummary => ({
  id: i.id,
  number: i.number,
  customerId: i.customer_id,
  customerName: i.customer_name,
  companyName: i.company_name,
  currency: i.currency,
  outOfTurn: i.out_of_turn === 1,
  periodStart: i.period_start,
  periodEnd: i.period_end,
  issueDate: i.issue_date,
  dueDate: i.due_date,
  totalMinor: i.total_minor,
  amountDueMinor: i.amount_due_minor,
  status: i.status
})

export function getInvoice(r: DbReader, id: number): InvoiceDetail {
  const i = r.get<
    StoredInvoiceRow & {
      issued_at: string
      previous_balance_minor: number
      payments_minor: number
      charges_minor: number
      tax_rate_ppm: number
      taxes_minor: number
      other_minor: number
      closing_balance_minor: number
      paid_minor: number
      reduced_minor: number
      overdue_since: string | null
    }
  >(`SELECT i.*, c.customer_id AS customer_name, c.company_name FROM invoices i JOIN customers c ON c.id = i.customer_id WHERE i.id = ?`, [id])
  if (!i) throw new AppError('NOT_FOUND', `Invoice ${id} does not exist.`, 'id')
  const lines = r.all<{ category: InvoiceLine['category']; service_name: string | null; description: string; records: number; duration_s: number; amount_minor: number }>(
    'SELECT l.category, s.name AS service_name, l.description, l.records, l.duration_s, l.amount_minor FROM invoice_lines l LEFT JOIN services s ON s.id = l.service_id WHERE l.invoice_id = ? ORDER BY l.position',
    [id]
  )
  const payments = r.all<{ at: string; xdr_id: number; kind: string; amount_minor: number }>(
    'SELECT p.at, p.xdr_id, x.kind, p.amount_minor FROM invoice_payments p JOIN xdrs x ON x.id = p.xdr_id WHERE p.invoice_id = ? ORDER BY p.at, p.id',
    [id]
  )
  const reductions = r.all<{ at: string; xdr_id: number; amount_minor: number; visible_comment: string }>(
    'SELECT d.at, d.xdr_id, d.amount_minor, x.visible_comment FROM invoice_reductions d JOIN xdrs x ON x.id = d.xdr_id WHERE d.invoice_id = ? ORDER BY d.at, d.id',
    [id]
  )
  const outOfDate = outOfDatePeriods(r, { customerId: i.customer_id, since: i.issued_at }).some((p) => p.from < i.period_end && p.to > i.period_start)
  return {
    ...toSummary(i),
    issuedAt: i.issued_at,
    previousBalanceMinor: i.previous_balance_minor,
    paymentsMinor: i.payments_minor,
    chargesMinor: i.charges_minor,
    taxRatePpm: i.tax_rate_ppm,
    taxesMinor: i.taxes_minor,
    otherMinor: i.other_minor,
    closingBalanceMinor: i.closing_balance_minor,
    paidMinor: i.paid_minor,
    reducedMinor: i.reduced_minor,
    overdueSince: i.overdue_since,
    lines: lines.map((l) => ({
      category: l.category,
      serviceName: l.service_name,
      description: l.description,
      records: l.records,
      durationS: l.duration_s,
      amountMinor: l.amount_minor
    })),
    payments: payments.map((p) => ({ at: p.at, xdrId: p.xdr_id, kind: p.kind, amountMinor: p.amount_minor })),
    reductions: reductions.map((d) => ({ at: d.at, xdrId: d.xdr_id, amountMinor: d.amount_minor, comment: d.visible_comment })),
    outOfDate,
    recalculable: isUsageRecalculable(r, i.period_start)
  }
}
