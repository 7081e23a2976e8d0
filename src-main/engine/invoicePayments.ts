/**
 * Payments applied to invoices (issue 10, item 2), and the settlement every change to what an
 * invoice was paid or reduced goes through. docs/payments.md states the rules.
 *
 * - A payment (manual, card, captured) is applied to the customer's unpaid invoices (open,
 *   partially paid, overdue; never void) oldest first — issue date, then number — or to one named
 *   invoice first. What is left stays as unallocated payments; a newly issued invoice takes them.
 * - A refund (a returned cheque) takes back at most what was paid and not yet refunded: from
 *   unallocated payments first, then by un-applying the newest applications, reopening invoices.
 *
 * Bookkeeping: `invoice_payments` rows (> 0 applied, < 0 un-applied). A customer's unallocated
 * payments = sum of its records' unallocated deltas − its net applications (ledger.check).
 */
import type { InvoiceStatus, InvoiceTouch } from '../../src-shared/domain'
import { AppError } from '../../src-shared/errors'
import { localDate } from '../../src-shared/format'
import { INVOICE_STATUS_LABEL } from '../../src-shared/labels'
import { formatMinor, formatMoney } from '../../src-shared/money'
import type { DbReader } from '../db/store'
import { describeAmountChange } from './audit'
import type { StoredCustomer } from './customers'
import { applyOverdueSuspension } from './lifecycle'
import type { Work } from './unitOfWork'

/** Operations whose money is applied to invoices. */
export const PAYMENT_KINDS: ReadonlySet<string> = new Set(['manual-payment', 'ecommerce-payment', 'capture'])
/** Operations that take back paid money. */
export const REFUND_KINDS: ReadonlySet<string> = new Set(['refund', 'ecommerce-refund'])

// ---------------------------------------------------------------------------------------------
// Status and settlement

/**
 * Status from the amounts and the date: the one rule, used at issue, by payments and by the
 * overdue check. `today` is a local date.
 */
export function invoiceStatus(
  i: { total_minor: number; amount_due_minor: number; paid_minor: number; due_date: string; voided_at: string | null },
  today: string
): InvoiceStatus {
  if (i.voided_at !== null) return 'void'
  if (i.total_minor <= 0) return 'no-payment-needed'
  if (i.amount_due_minor === 0) return 'paid'
  if (i.due_date < today) return 'overdue'
  return i.paid_minor > 0 ? 'partially-paid' : 'open'
}

/**
 * Recompute an invoice's amount due and status from what was applied to it and its reductions,
 * audited when the status changes. An invoice that stops being overdue may end its customer's
 * overdue suspension (when no other invoice is overdue).
 */
export function settleInvoice(w: Work, invoiceId: number): InvoiceStatus {
  const i = w.get<{
    id: number
    number: string
    customer_id: number
    currency: string
    total_minor: number
    due_date: string
    voided_at: string | null
    status: InvoiceStatus
    amount_due_minor: number
    overdue_since: string | null
  }>('SELECT id, number, customer_id, currency, total_minor, due_date, voided_at, status, amount_due_minor, overdue_since FROM invoices WHERE id = ?', [invoiceId])
  if (!i) throw new AppError('NOT_FOUND', `Invoice ${invoiceId} does not exist.`, 'invoiceId')
  const paid = w.get<{ s: number | null }>('SELECT sum(amount_minor) AS s FROM invoice_payments WHERE invoice_id = ?', [invoiceId])?.s ?? 0
  const reduced = w.get<{ s: number | null }>('SELECT sum(amount_minor) AS s FROM invoice_reductions WHERE invoice_id = ?', [invoiceId])?.s ?? 0
  const amountDue = Math.max(0, i.total_minor - paid - reduced)
  const status = invoiceStatus({ ...i, amount_due_minor: amountDue, paid_minor: paid }, localDate(w.at))
  // Overdue again (a refund reopened it after its due date): overdue since the day after the due date.
  const overdueSince = status === 'overdue' ? (i.overdue_since ?? nextDay(i.due_date)) : i.overdue_since
  w.run('UPDATE invoices SET paid_minor = ?, reduced_minor = ?, amount_due_minor = ?, status = ?, overdue_since = ? WHERE id = ?', [
    paid,
    reduced,
    amountDue,
    status,
    overdueSince,
    invoiceId
  ])
  if (status !== i.status) {
    w.audit({
      kind: 'invoice.status',
      customerId: i.customer_id,
      field: 'status',
      from: i.status,
      to: status,
      description: `Invoice ${i.number} status changed from ${INVOICE_STATUS_LABEL[i.status]} to ${INVOICE_STATUS_LABEL[status]}; amount due ${formatMoney(amountDue, i.currency)}.`,
      source: { kind: 'invoice', id: invoiceId }
    })
    if (i.status === 'overdue') endOverdueSuspension(w, i.customer_id, i.number)
  }
  return status
}

function nextDay(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  const dt = new Date(Date.UTC(y, m - 1, d + 1))
  return dt.toISOString().slice(0, 10)
}

/**
 * Paying the overdue invoices in full ends the suspension they caused and its lift-until date
 * (audited through the life-cycle columns), once no invoice of the customer is overdue.
 */
function endOverdueSuspension(w: Work, customerRowId: number, invoiceNumber: string): void {
  if (w.get("SELECT 1 AS found FROM invoices WHERE customer_id = ? AND status = 'overdue' LIMIT 1", [customerRowId])) return
  const c = w.get<Pick<StoredCustomer, 'suspended' | 'suspension_lifted_until'>>('SELECT suspended, suspension_lifted_until FROM customers WHERE id = ?', [customerRowId])
  if (!c || (c.suspended === 0 && c.suspension_lifted_until === null)) return
  applyOverdueSuspension(w, customerRowId, false, `Overdue invoices paid (last: ${invoiceNumber})`)
}

// ---------------------------------------------------------------------------------------------
// Applying payments

interface UnpaidInvoice {
  id: number
  number: string
  customer_id: number
  total_minor: number
  paid_minor: number
  amount_due_minor: number
  due_date: string
  status: InvoiceStatus
}

const UNPAID_COLUMNS = 'id, number, customer_id, total_minor, paid_minor, amount_due_minor, due_date, status'

/** The customer's unpaid invoices, oldest first (issue date, then number); `firstInvoiceId` first. */
function unpaidInvoices(r: DbReader, customerRowId: number, firstInvoiceId?: number): UnpaidInvoice[] {
  const rows = r.all<UnpaidInvoice>(
    `SELECT ${UNPAID_COLUMNS} FROM invoices
     WHERE customer_id = ? AND status IN ('open', 'partially-paid', 'overdue') AND voided_at IS NULL AND amount_due_minor > 0
     ORDER BY issue_date, number`,
    [customerRowId]
  )
  if (firstInvoiceId === undefined) return rows
  const first = r.get<UnpaidInvoice & { voided_at: string | null }>(`SELECT ${UNPAID_COLUMNS}, voided_at FROM invoices WHERE id = ?`, [firstInvoiceId])
  if (!first || first.customer_id !== customerRowId) {
    throw new AppError('NOT_FOUND', `Invoice ${firstInvoiceId} is not an invoice of this customer.`, 'invoiceId')
  }
  if (first.voided_at !== null) throw new AppError('VALIDATION', `Invoice ${first.number} is void: a payment cannot be applied to it.`, 'invoiceId')
  return [...rows.filter((i) => i.id === firstInvoiceId), ...rows.filter((i) => i.id !== firstInvoiceId)]
}

function touch(i: UnpaidInvoice, changeMinor: number, today: string): InvoiceTouch {
  const paid = i.paid_minor + changeMinor
  const due = i.amount_due_minor - changeMinor
  return {
    invoiceId: i.id,
    number: i.number,
    amountMinor: changeMinor,
    amountDueBeforeMinor: i.amount_due_minor,
    amountDueAfterMinor: due,
    statusBefore: i.status,
    statusAfter: invoiceStatus({ total_minor: i.total_minor, amount_due_minor: due, paid_minor: paid, due_date: i.due_date, voided_at: null }, today)
  }
}

/** What `amountMinor` of payment would settle, oldest first (nothing is written). */
export function planApplication(r: DbReader, q: { customerRowId: number; amountMinor: number; today: string; firstInvoiceId?: number | undefined }): InvoiceTouch[] {
  const out: InvoiceTouch[] = []
  let left = q.amountMinor
  for (const i of unpaidInvoices(r, q.customerRowId, q.firstInvoiceId)) {
    if (left <= 0) break
    const take = Math.min(left, i.amount_due_minor)
    out.push(touch(i, take, q.today))
    left -= take
  }
  return out
}

/** "60.00 of the manual payment applied to invoice INV-000001: amount due 70.00 → 10.00 (Open → Partially paid)" (the caller adds the record). */
export function touchText(t: InvoiceTouch, currency: string, source: string): string {
  const money = (m: number) => formatMinor(m, currency)
  const what = t.amountMinor >= 0 ? `${money(t.amountMinor)} of the ${source} applied to` : `${money(-t.amountMinor)} un-applied by the ${source} from`
  const status =
    t.statusBefore === t.statusAfter ? INVOICE_STATUS_LABEL[t.statusAfter] : `${INVOICE_STATUS_LABEL[t.statusBefore]} → ${INVOICE_STATUS_LABEL[t.statusAfter]}`
  return `${what} invoice ${t.number}: amount due ${money(t.amountDueBeforeMinor)} → ${money(t.amountDueAfterMinor)} (${status})`
}

/** Write the planned changes: rows, settlement, one audit entry per invoice. */
function writeTouches(w: Work, customerRowId: number, xdrId: number, touches: InvoiceTouch[], currency: string, source: string): void {
  for (const t of touches) {
    w.run('INSERT INTO invoice_payments (invoice_id, xdr_id, amount_minor, at) VALUES (?, ?, ?, ?)', [t.invoiceId, xdrId, t.amountMinor, w.at])
    w.audit({
      kind: t.amountMinor >= 0 ? 'invoice.payment' : 'invoice.unapplied',
      customerId: customerRowId,
      field: 'amount_due',
      from: String(t.amountDueBeforeMinor),
      to: String(t.amountDueAfterMinor),
      description: `${touchText(t, currency, source)} (xDR id ${xdrId}).`,
      source: { kind: 'invoice', id: t.invoiceId }
    })
    settleInvoice(w, t.invoiceId)
  }
}

type MoneyColumns = Pick<StoredCustomer, 'id' | 'currency' | 'unallocated_minor'>

function customerMoney(r: DbReader, customerRowId: number): MoneyColumns {
  const c = r.get<MoneyColumns>('SELECT id, currency, unallocated_minor FROM customers WHERE id = ?', [customerRowId])
  if (!c) throw new AppError('NOT_FOUND', `Customer ${customerRowId} does not exist.`, 'customerId')
  return c
}

/**
 * Apply a payment already posted to the ledger (record `xdrId`, its amount in unallocated
 * payments) to the customer's unpaid invoices, `firstInvoiceId` first and then oldest first, in
 * the caller's unit of work. What is applied leaves unallocated payments (audited). Returns the
 * invoices touched.
 */
export function applyPayment(
  w: Work,
  p: { customerRowId: number; xdrId: number; amountMinor: number; firstInvoiceId?: number | undefined; source?: string }
): InvoiceTouch[] {
  const c = customerMoney(w, p.customerRowId)
  const available = Math.min(p.amountMinor, c.unallocated_minor)
  if (available <= 0) return []
  const touches = planApplication(w, { customerRowId: c.id, amountMinor: available, today: localDate(w.at), firstInvoiceId: p.firstInvoiceId })
  if (touches.length === 0) return []
  const source = p.source ?? 'payment'
  const applied = touches.reduce((s, t) => s + t.amountMinor, 0)
  w.run('UPDATE customers SET unallocated_minor = ?, updated_at = ? WHERE id = ?', [c.unallocated_minor - applied, w.at, c.id])
  w.audit({
    kind: 'customer.unallocated',
    customerId: c.id,
    field: 'unallocated_payments',
    from: String(c.unallocated_minor),
    to: String(c.unallocated_minor - applied),
    description: `${describeAmountChange('Unallocated payments', c.unallocated_minor, c.unallocated_minor - applied, c.currency)} Applied to invoice${touches.length > 1 ? 's' : ''} ${touches.map((t) => t.number).join(', ')} (xDR id ${p.xdrId}).`,
    source: { kind: source, id: p.xdrId }
  })
  writeTouches(w, c.id, p.xdrId, touches, c.currency, source)
  return touches
}

/**
 * A newly issued invoice takes the customer's unallocated payments at once (with any older unpaid
 * invoice, oldest first). The rows name the customer's latest record that brought money in.
 */
export function applyUnallocated(w: Work, customerRowId: number): InvoiceTouch[] {
  const c = customerMoney(w, customerRowId)
  if (c.unallocated_minor <= 0) return []
  const latest = w.get<{ id: number }>("SELECT id FROM xdrs WHERE customer_id = ? AND kind <> 'usage' AND unallocated_delta_minor > 0 ORDER BY id DESC LIMIT 1", [
    customerRowId
  ])
  if (!latest) return []
  return applyPayment(w, { customerRowId, xdrId: latest.id, amountMinor: c.unallocated_minor, source: 'unallocated payments' })
}

// ---------------------------------------------------------------------------------------------
// Refunds

/**
 * What a refund may still take back: what was paid (manual, card and captured payments, and an
 * opening prepaid balance) minus what refunds (manual and card) already took.
 */
export function refundableMinor(r: DbReader, customerRowId: number): number {
  const s = r.get<{ s: number | null }>(
    `SELECT sum(CASE
        WHEN kind IN ('manual-payment', 'ecommerce-payment', 'capture', 'refund', 'ecommerce-refund') THEN -amount_minor
        WHEN kind = 'opening-balance' THEN max(0, -amount_minor, unallocated_delta_minor)
        ELSE 0 END) AS s
     FROM xdrs WHERE customer_id = ? AND kind <> 'usage'
       AND kind IN ('manual-payment', 'ecommerce-payment', 'capture', 'refund', 'ecommerce-refund', 'opening-balance')`,
    [customerRowId]
  )?.s
  return Math.max(0, s ?? 0)
}

export interface RefundPlan {
  /** Taken from unallocated payments. */
  fromUnallocatedMinor: number
  /** Un-applied from invoices, newest applications first (amounts < 0). */
  invoices: InvoiceTouch[]
  /** The refund record's unallocated delta: −(from unallocated + un-applied). */
  unallocatedDeltaMinor: number
}

/** How a refund of `amountMinor` splits: unallocated payments first, then the newest applications. */
export function planRefund(r: DbReader, q: { customerRowId: number; amountMinor: number; today: string }): RefundPlan {
  const c = customerMoney(r, q.customerRowId)
  const fromUnallocated = Math.min(q.amountMinor, c.unallocated_minor)
  let left = q.amountMinor - fromUnallocated
  const invoices: InvoiceTouch[] = []
  if (left > 0) {
    const applied = r.all<UnpaidInvoice>(
      `SELECT i.id, i.number, i.customer_id, i.total_minor, i.paid_minor, i.amount_due_minor, i.due_date, i.status FROM invoices i
       JOIN (SELECT invoice_id, max(id) AS last FROM invoice_payments WHERE amount_minor > 0 GROUP BY invoice_id) p ON p.invoice_id = i.id
       WHERE i.customer_id = ? AND i.voided_at IS NULL AND i.paid_minor > 0 ORDER BY p.last DESC`,
      [c.id]
    )
    for (const i of applied) {
      if (left <= 0) break
      const take = Math.min(left, i.paid_minor)
      invoices.push(touch(i, -take, q.today))
      left -= take
    }
  }
  const unapplied = -invoices.reduce((s, t) => s + t.amountMinor, 0)
  return { fromUnallocatedMinor: fromUnallocated, invoices, unallocatedDeltaMinor: -(fromUnallocated + unapplied) }
}

/**
 * Record a refund in the caller's unit of work: the money it un-applies returns to unallocated
 * payments, then `post(unallocatedDelta)` writes the refund's ledger record (returning its xDR id),
 * then the invoices are reopened (settled, audited). Returns the plan carried out and the record.
 */
export function recordRefund(
  w: Work,
  q: { customerRowId: number; amountMinor: number; source: string },
  post: (unallocatedDeltaMinor: number) => number
): RefundPlan & { xdrId: number } {
  const plan = planRefund(w, { customerRowId: q.customerRowId, amountMinor: q.amountMinor, today: localDate(w.at) })
  const unapplied = -plan.invoices.reduce((s, t) => s + t.amountMinor, 0)
  // First back into unallocated payments (which never go below zero), so the refund can take it.
  if (unapplied > 0) w.run('UPDATE customers SET unallocated_minor = unallocated_minor + ? WHERE id = ?', [unapplied, q.customerRowId])
  const xdrId = post(plan.unallocatedDeltaMinor)
  writeTouches(w, q.customerRowId, xdrId, plan.invoices, customerMoney(w, q.customerRowId).currency, q.source)
  return { ...plan, xdrId }
}

/**
 * After an invoice was recalculated (batch re-issue): what payments applied to it beyond its new
 * total (less reductions) goes back to unallocated payments, newest application first, and the
 * customer's unallocated payments are then applied again, oldest unpaid invoice first. So money is
 * never left on an invoice that no longer needs it, and a larger total takes what is waiting.
 */
export function rebalanceAfterRecalculation(w: Work, invoiceId: number, source: string): void {
  const i = w.get<UnpaidInvoice & { reduced_minor: number }>(`SELECT ${UNPAID_COLUMNS}, reduced_minor FROM invoices WHERE id = ?`, [invoiceId])
  if (!i) throw new AppError('NOT_FOUND', `Invoice ${invoiceId} does not exist.`, 'invoiceId')
  const needed = Math.max(0, i.total_minor - i.reduced_minor)
  let excess = i.paid_minor - needed
  if (excess > 0) {
    const c = customerMoney(w, i.customer_id)
    const payments = w.all<{ xdr_id: number; s: number }>(
      'SELECT xdr_id, sum(amount_minor) AS s FROM invoice_payments WHERE invoice_id = ? GROUP BY xdr_id HAVING sum(amount_minor) > 0 ORDER BY max(id) DESC',
      [invoiceId]
    )
    let paid = i.paid_minor
    let released = 0
    const today = localDate(w.at)
    for (const p of payments) {
      if (excess <= 0) break
      const take = Math.min(excess, p.s)
      const dueBefore = Math.max(0, needed - paid)
      paid -= take
      const dueAfter = Math.max(0, needed - paid)
      const statusBefore = w.get<{ status: InvoiceStatus }>('SELECT status FROM invoices WHERE id = ?', [invoiceId])!.status
      const statusAfter = invoiceStatus({ total_minor: i.total_minor, amount_due_minor: dueAfter, paid_minor: paid, due_date: i.due_date, voided_at: null }, today)
      writeTouches(
        w,
        c.id,
        p.xdr_id,
        [{ invoiceId, number: i.number, amountMinor: -take, amountDueBeforeMinor: dueBefore, amountDueAfterMinor: dueAfter, statusBefore, statusAfter }],
        c.currency,
        source
      )
      excess -= take
      released += take
    }
    w.run('UPDATE customers SET unallocated_minor = unallocated_minor + ?, updated_at = ? WHERE id = ?', [released, w.at, c.id])
    w.audit({
      kind: 'customer.unallocated',
      customerId: c.id,
      field: 'unallocated_payments',
      from: String(c.unallocated_minor),
      to: String(c.unallocated_minor + released),
      description: `${describeAmountChange('Unallocated payments', c.unallocated_minor, c.unallocated_minor + released, c.currency)} Payments source – returned from invoice ${i.number}, whose recalculated total no longer needs them (${source}).`,
      source: { kind: 'invoice', id: invoiceId }
    })
  }
  applyUnallocated(w, i.customer_id)
}

/** Net payments applied per invoice of a customer (for checks and tests). */
export function netAppliedMinor(r: DbReader, customerRowId: number): number {
  return (
    r.get<{ s: number | null }>('SELECT sum(p.amount_minor) AS s FROM invoice_payments p JOIN invoices i ON i.id = p.invoice_id WHERE i.customer_id = ?', [customerRowId])
      ?.s ?? 0
  )
}
