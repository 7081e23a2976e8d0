/**
 * The 80 mm counter receipt (docs/invoices-pdf.md), laid out as a slip (slip.ts). Amounts with
 * formatMoney, as the wizard's screen shows them.
 */
import type { ReceiptDocument } from '../../src-shared/domain'
import { formatDateTime } from '../../src-shared/format'
import { formatMoney } from '../../src-shared/money'
import { GREY } from './draw'
import { SLIP_WIDTH, slipPdf } from './slip'

export const RECEIPT_WIDTH = SLIP_WIDTH

export async function receiptPdf(receipt: ReceiptDocument): Promise<Uint8Array> {
  const money = (m: number) => formatMoney(m, receipt.currency)
  return slipPdf({ title: `Receipt ${receipt.receiptNumber}`, company: receipt.company }, (s) => {
    s.centred(receipt.operation, { font: s.fonts.bold, size: 11 })
    s.centred(`Receipt ${receipt.receiptNumber}`, s.body)
    s.gap(1)
    s.rule()
    s.pair('Date and time', formatDateTime(receipt.at))
    s.pair('Customer', receipt.customer.name)
    s.pair('Customer ID', receipt.customer.customerId)
    s.pair('Operation', receipt.operation)
    s.rule()
    s.pair('Amount', money(receipt.amountMinor), { font: s.fonts.bold, size: 10 })
    if (receipt.balanceBeforeMinor !== undefined) s.pair(`${receipt.balanceLabel} before`, money(receipt.balanceBeforeMinor))
    s.pair(`${receipt.balanceLabel} after`, money(receipt.balanceAfterMinor))
    if (receipt.appliedTo && receipt.appliedTo.length > 0) s.list('Applied to', receipt.appliedTo)
    s.rule()
    for (const d of receipt.details ?? []) s.pair(d.label, d.value)
    s.pair('Operator', receipt.operatorName)
    if (receipt.visibleComment?.trim()) s.pair('Comment', receipt.visibleComment.trim())
    s.gap(2)
    s.centred('Thank you. Keep this receipt for your records.', { font: s.fonts.regular, size: 7, color: GREY })
  })
}
