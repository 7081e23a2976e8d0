/**
 * The adjustment wizard's receipt as the 80 mm receipt PDF (issue 10 item 5): built from the
 * result the wizard showed, as the engine stored it with the operation key (`operation_keys`), so
 * the paper says what the screen said: customer, operation, amount, balance after, the invoices a
 * payment was applied to, the card, the operator and the visible comment. Never an internal one.
 */
import type { AdjustmentOperation, AdjustmentResult, ReceiptDocument } from '../../src-shared/domain'
import { AppError } from '../../src-shared/errors'
import { formatDateTime } from '../../src-shared/format'
import { ADJUSTMENT_OPERATION_LABEL } from '../../src-shared/labels'
import { formatMoney } from '../../src-shared/money'
import type { DbReader } from '../db/store'
import type { StoredOperationKey } from './adjustments'
import { getCompanyLogo } from './companyLogo'
import type { StoredCustomer } from './customers'
import { getSettings } from './settings'

export function adjustmentReceipt(r: DbReader, operationKey: string): ReceiptDocument {
  const seen = r.get<Pick<StoredOperationKey, 'result_json'>>('SELECT result_json FROM operation_keys WHERE key = ?', [operationKey])
  if (!seen) throw new AppError('NOT_FOUND', 'This operation was not recorded, so it has no receipt. Check the customer’s transactions.', 'operationKey')
  const res = JSON.parse(seen.result_json) as AdjustmentResult
  const settings = getSettings(r)
  const customer = r.get<Pick<StoredCustomer, 'customer_id' | 'company_name'>>('SELECT customer_id, company_name FROM customers WHERE id = ?', [res.customerId])
  const prepaid = res.balanceControl === 'prepaid'
  // As the wizard shows it: prepaid customers see available funds (the balance's opposite).
  const shown = (m: number) => (prepaid ? 0 - m : m)
  const applied = res.xdrId
    ? r.all<{ number: string; amount_minor: number }>(
        `SELECT i.number, sum(p.amount_minor) AS amount_minor FROM invoice_payments p JOIN invoices i ON i.id = p.invoice_id
          WHERE p.xdr_id = ? GROUP BY i.id HAVING sum(p.amount_minor) <> 0 ORDER BY i.id`,
        [res.xdrId]
      )
    : []
  const details: { label: string; value: string }[] = []
  if (res.serviceName) details.push({ label: 'Service', value: res.serviceName })
  if (res.card) details.push({ label: 'Card', value: `${res.card.brand} •••• ${res.card.last4}` })
  if (res.transactionId) details.push({ label: 'Card transaction ID', value: res.transactionId })
  if (res.expiresAt) details.push({ label: 'Authorization expires', value: formatDateTime(res.expiresAt) })
  if (res.operation === 'authorization' && res.transactionId) {
    details.push({ label: 'Note', value: `Reserved on the card, not charged. Quote ${res.transactionId} to capture or void it.` })
  }
  if (res.unallocatedAfterMinor !== res.unallocatedBeforeMinor) {
    details.push({ label: 'Unallocated payments after', value: formatMoney(res.unallocatedAfterMinor, res.currency) })
  }
  return {
    company: { name: settings?.companyName ?? 'Callshop billing desk', address: settings?.address ?? '', logo: getCompanyLogo(r) },
    receiptNumber: res.xdrId === null ? operationKey.slice(0, 12) : String(res.xdrId),
    at: res.at,
    customer: { name: customer?.company_name || res.customerName, customerId: customer?.customer_id ?? res.customerName },
    operation: ADJUSTMENT_OPERATION_LABEL[res.operation as AdjustmentOperation] ?? 'Receipt',
    currency: res.currency,
    amountMinor: res.amountMinor,
    balanceLabel: prepaid ? 'Available funds' : 'Balance',
    balanceBeforeMinor: shown(res.balanceBeforeMinor),
    balanceAfterMinor: shown(res.balanceAfterMinor),
    operatorName: res.operatorName,
    appliedTo: applied.map((a) => `${a.number}: ${formatMoney(a.amount_minor, res.currency)}`),
    details,
    visibleComment: res.visibleComment.trim() || undefined
  }
}
