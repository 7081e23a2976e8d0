/**
 * Out-of-turn invoices (issue 10 item 4): at the counter, the manual charges and credits flagged
 * "Include into out-of-turn invoice" are invoiced at once, apart from the regular period invoice
 * (which never takes them: invoicing.ts reads only records with out_of_turn = 0), optionally with
 * a cash payment taken in the same step. Invoice, lines, tax record, the items' link to the
 * invoice, the payment and the audit entries are one unit of work; an operation key makes a
 * repeated submission harmless.
 */
import type { OutOfTurnIssued, OutOfTurnItem, OutOfTurnPending, OutOfTurnPreview } from '../../src-shared/domain'
import { AppError } from '../../src-shared/errors'
import { localDate } from '../../src-shared/format'
import { formatMoney } from '../../src-shared/money'
import type { DbReader } from '../db/store'
import { submitAdjustment } from './adjustments'
import { issuedValues } from './audit'
import {
  addChargeLine,
  addDaysToDate,
  type BillingTerms,
  billingTermsOf,
  type ChargeLine,
  finishLines,
  formatPercentPpm,
  getInvoice,
  insertLines,
  invoiceStatus,
  postForInvoice,
  roundingOf,
  takeNumber
} from './invoicing'
import type { Work } from './unitOfWork'

const OPERATION = 'out-of-turn-invoice'

interface StoredItem {
  id: number
  customer_id: number | null
  kind: string
  out_of_turn: number
  invoice_id: number | null
  created_at: string
  effective_date: string | null
  service_id: number | null
  service_name: string | null
  amount_minor: number
  visible_comment: string
}

const SELECT_ITEMS = `SELECT x.id, x.customer_id, x.kind, x.out_of_turn, x.invoice_id, x.created_at, x.effective_date, x.service_id,
    s.name AS service_name, x.amount_minor, x.visible_comment
  FROM xdrs x LEFT JOIN services s ON s.id = x.service_id`

const toItem = (x: StoredItem): OutOfTurnItem => ({
  xdrId: x.id,
  postedAt: x.created_at,
  effectiveDate: x.effective_date,
  kind: x.kind as OutOfTurnItem['kind'],
  serviceName: x.service_name,
  amountMinor: x.amount_minor,
  visibleComment: x.visible_comment
})

/** The customer's flagged charges and credits not yet on an invoice, oldest first. */
export function pendingOutOfTurnItems(r: DbReader, customerRowId: number): OutOfTurnPending {
  const c = r.get<{ id: number; customer_id: string; company_name: string; currency: string }>(
    'SELECT id, customer_id, company_name, currency FROM customers WHERE id = ?',
    [customerRowId]
  )
  if (!c) throw new AppError('NOT_FOUND', `Customer ${customerRowId} does not exist.`, 'customerId')
  const items = r.all<StoredItem>(
    `${SELECT_ITEMS} WHERE x.customer_id = ? AND x.out_of_turn = 1 AND x.invoice_id IS NULL AND x.kind IN ('manual-charge', 'manual-credit') ORDER BY x.id`,
    [customerRowId]
  )
  return { customerId: c.id, customerName: c.customer_id, companyName: c.company_name, currency: c.currency, items: items.map(toItem) }
}

interface Draft {
  terms: BillingTerms
  items: StoredItem[]
  lines: ChargeLine[]
  charges: number
  taxes: number
  total: number
}

/** The chosen items, checked (this customer's, flagged, not yet invoiced), summed into lines with tax. */
function draft(r: DbReader, customerRowId: number, xdrIds: readonly number[]): Draft {
  const terms = billingTermsOf(r, customerRowId)
  const ids = [...new Set(xdrIds)]
  if (ids.length === 0) throw new AppError('VALIDATION', 'Choose at least one charge or credit to invoice.', 'xdrIds')
  const found = new Map(r.all<StoredItem>(`${SELECT_ITEMS} WHERE x.id IN (${ids.map(() => '?').join(', ')})`, ids).map((x) => [x.id, x]))
  const items: StoredItem[] = []
  for (const id of ids) {
    const x = found.get(id)
    if (!x || x.customer_id !== customerRowId)
      throw new AppError('NOT_FOUND', `Record ${id} is not one of this customer's charges or credits; reload the page.`, 'xdrIds')
    if (x.out_of_turn !== 1 || (x.kind !== 'manual-charge' && x.kind !== 'manual-credit')) {
      throw new AppError('VALIDATION', `Record ${id} is not flagged for an out-of-turn invoice; it goes on the regular invoice.`, 'xdrIds')
    }
    if (x.invoice_id !== null) {
      const number = r.get<{ number: string }>('SELECT number FROM invoices WHERE id = ?', [x.invoice_id])?.number ?? String(x.invoice_id)
      throw new AppError('CONFLICT', `Record ${id} is already on invoice ${number}; reload the page.`, 'xdrIds')
    }
    items.push(x)
  }
  items.sort((a, b) => a.id - b.id)
  const lines: ChargeLine[] = []
  for (const x of items) addChargeLine(lines, { kind: x.kind, service_id: x.service_id, service_name: x.service_name, n: 1, duration_s: 0, amount: x.amount_minor })
  const sums = finishLines(lines, terms.tax_rate_ppm, roundingOf(r))
  return { terms, items, lines, ...sums }
}

export function previewOutOfTurnInvoice(r: DbReader, input: { customerId: number; xdrIds: readonly number[] }): OutOfTurnPreview {
  const d = draft(r, input.customerId, input.xdrIds)
  return {
    currency: d.terms.currency,
    lines: d.lines.map(({ serviceId: _, ...l }) => l),
    chargesMinor: d.charges,
    taxesMinor: d.taxes,
    totalMinor: d.total,
    amountDueMinor: Math.max(0, d.total)
  }
}

export interface OutOfTurnInput {
  customerId: number
  xdrIds: readonly number[]
  /** A cash payment taken in the same step (amount as typed), or null. */
  cashPayment: string | null
  /** Printed on the invoice and the payment. */
  visibleComment: string
  /** Made when the page opened: a repeated key answers the first result and writes nothing. */
  operationKey: string
}

/** Issue the out-of-turn invoice (and take the cash payment) in the caller's unit of work. */
export function issueOutOfTurnInvoice(w: Work, input: OutOfTurnInput): OutOfTurnIssued {
  const seen = w.get<{ customer_id: number; operation: string; result_json: string }>('SELECT customer_id, operation, result_json FROM operation_keys WHERE key = ?', [
    input.operationKey
  ])
  if (seen) {
    if (seen.customer_id !== input.customerId || seen.operation !== OPERATION) {
      throw new AppError('CONFLICT', 'This operation key was already used for something else. Reload the page and start again.')
    }
    const first = JSON.parse(seen.result_json) as { invoiceId: number; payment: OutOfTurnIssued['payment'] }
    return { invoice: getInvoice(w, first.invoiceId), payment: first.payment, repeated: true }
  }

  const d = draft(w, input.customerId, input.xdrIds)
  const c = d.terms
  const amountDue = Math.max(0, d.total)
  if (input.cashPayment !== null && amountDue === 0) {
    throw new AppError('VALIDATION', `This invoice's total is ${formatMoney(d.total, c.currency)}: it needs no payment.`, 'cashPayment')
  }
  const { number, seq } = takeNumber(w, c.invoice_prefix)
  const issueDate = localDate(w.at)
  const dueDate = addDaysToDate(issueDate, c.due_days)
  const status = invoiceStatus({ total_minor: d.total, amount_due_minor: amountDue, paid_minor: 0, due_date: dueDate, voided_at: null }, issueDate)
  // An out-of-turn invoice stands apart from the balance carried between regular invoices: it
  // shows only its own items, so its previous balance and payments are nil.
  const invoiceId = w.insert(
    `INSERT INTO invoices (number, prefix, sequence_number, customer_id, currency, out_of_turn, period_start, period_end, issued_at, issue_date, due_date,
       previous_balance_minor, payments_minor, charges_minor, tax_rate_ppm, taxes_minor, total_minor, other_minor, closing_balance_minor,
       amount_due_minor, status, created_at) VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, 0, 0, ?, ?, ?, ?, 0, ?, ?, ?, ?)`,
    [
      number,
      c.invoice_prefix,
      seq,
      c.id,
      c.currency,
      d.items[0]!.created_at,
      w.at,
      w.at,
      issueDate,
      dueDate,
      d.charges,
      c.tax_rate_ppm,
      d.taxes,
      d.total,
      d.total,
      amountDue,
      status,
      w.at
    ]
  )
  insertLines(w, invoiceId, d.lines)
  const ids = d.items.map((x) => x.id)
  w.run(`UPDATE xdrs SET invoice_id = ? WHERE id IN (${ids.map(() => '?').join(', ')})`, [invoiceId, ...ids])
  if (d.taxes !== 0) {
    // Out of turn too, so the next regular invoice shows it apart with the items it taxes.
    postForInvoice(
      w,
      {
        kind: 'invoice-tax',
        customerId: c.id,
        amountMinor: d.taxes,
        unallocatedDeltaMinor: 0,
        serviceId: null,
        effectiveDate: null,
        outOfTurn: true,
        visibleComment: `Tax ${formatPercentPpm(c.tax_rate_ppm)} on invoice ${number}`,
        internalComment: ''
      },
      invoiceId,
      c.currency,
      `tax ${formatPercentPpm(c.tax_rate_ppm)} on out-of-turn invoice ${number}`
    )
  }
  const money = (m: number) => formatMoney(m, c.currency)
  w.audit({
    kind: 'invoice.issued',
    customerId: c.id,
    ...issuedValues(d.total, amountDue),
    description: `Out-of-turn invoice ${number} issued for ${ids.length} ${ids.length === 1 ? 'item' : 'items'} (xDR id ${ids.join(', ')}): charges ${money(d.charges)}, taxes ${money(d.taxes)}, total ${money(d.total)}, amount due ${money(amountDue)}, due ${dueDate}${status === 'no-payment-needed' ? ' (needs no payment)' : ''}.`,
    source: { kind: 'invoice', id: invoiceId }
  })

  const payment =
    input.cashPayment === null
      ? null
      : payAtCounter(w, invoiceId, {
          customerId: c.id,
          amount: input.cashPayment,
          visibleComment: input.visibleComment.trim() || `Cash payment for invoice ${number}`,
          operationKey: `${input.operationKey}-cash`
        })
  w.run('INSERT INTO operation_keys (key, customer_id, operation, result_json, created_at) VALUES (?, ?, ?, ?, ?)', [
    input.operationKey,
    c.id,
    OPERATION,
    JSON.stringify({ invoiceId, payment }),
    w.at
  ])
  return { invoice: getInvoice(w, invoiceId), payment, repeated: false }
}

/** The cash taken with the invoice: a Manual payment, applied to this invoice first. */
function payAtCounter(w: Work, invoiceId: number, p: { customerId: number; amount: string; visibleComment: string; operationKey: string }) {
  return asCashPaymentError(() =>
    submitAdjustment(
      w,
      {
        customerId: p.customerId,
        operation: 'manual-payment',
        amount: p.amount,
        serviceId: null,
        date: null,
        outOfTurn: false,
        transactionId: '',
        cardNumber: '',
        cardExpiry: '',
        visibleComment: p.visibleComment,
        internalComment: '',
        operationKey: p.operationKey
      },
      { firstInvoiceId: invoiceId }
    )
  )
}

/** The payment's refusals (a malformed amount, over the maximum per operation) belong to this page's cash field. */
function asCashPaymentError<T>(fn: () => T): T {
  try {
    return fn()
  } catch (e) {
    // The shift rule (a cashier takes cash only on an open shift) names the operation: here it is the cash field's.
    if (e instanceof AppError && (e.field === 'amount' || e.field === 'operation')) throw new AppError(e.code, e.message, 'cashPayment')
    throw e
  }
}
