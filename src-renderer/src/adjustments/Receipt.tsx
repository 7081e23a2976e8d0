import { createPortal } from 'react-dom'
import type { AdjustmentResult, CompanySettings } from '../../../src-shared/domain'
import { formatAmount, formatDateTime } from '../../../src-shared/format'
import { balanceLabel, shownBalance, type OperationInfo } from './operations'

/**
 * The printable receipt. It sits in the page, hidden on screen; the print stylesheet
 * (adjustments.css) prints it alone, so "Print receipt" is just window.print(): no remote content,
 * no script, nothing that the page's CSP forbids.
 */
export function Receipt(props: { op: OperationInfo; result: AdjustmentResult; company: CompanySettings | null; customerLabel: string }) {
  const { op, result } = props
  const cur = result.currency
  const money = (minor: number) => formatAmount(minor, cur, { withCode: true })
  const label = balanceLabel(result.balanceControl)
  const unallocatedChanged = result.unallocatedAfterMinor !== result.unallocatedBeforeMinor
  // [label, value, is an amount (right-aligned)]
  const rows: [string, string, boolean?][] = [
    ['Date and time', formatDateTime(result.at)],
    ['Customer', props.customerLabel],
    ['Operation', op.label],
    ['Amount', money(result.amountMinor), true],
    [`${label} before`, money(shownBalance(result.balanceControl, result.balanceBeforeMinor)), true],
    [`${label} after`, money(shownBalance(result.balanceControl, result.balanceAfterMinor)), true]
  ]
  if (unallocatedChanged) {
    rows.push(['Unallocated payments before', money(result.unallocatedBeforeMinor), true])
    rows.push(['Unallocated payments after', money(result.unallocatedAfterMinor), true])
  }
  for (const t of result.invoices ?? []) {
    rows.push([`${t.amountMinor >= 0 ? 'Applied to' : 'Taken back from'} invoice ${t.number}`, money(Math.abs(t.amountMinor)), true])
  }
  if (result.serviceName) rows.push(['Service', result.serviceName])
  if (result.card) rows.push(['Card', `${result.card.brand} •••• ${result.card.last4}`])
  if (result.transactionId) rows.push(['Card transaction ID', result.transactionId])
  if (result.expiresAt) rows.push(['Authorization expires', formatDateTime(result.expiresAt)])
  rows.push(['Transaction (xDR id)', result.xdrId === null ? 'none (no money moved)' : String(result.xdrId)])
  rows.push(['Operator', result.operatorName])
  if (result.visibleComment.trim()) rows.push(['Comment', result.visibleComment.trim()])

  return createPortal(
    <div className="adj-receipt-root" aria-hidden="true" data-testid="adj-receipt">
      <div className="adj-receipt">
        <div className="adj-receipt-company">
          <bdi>{props.company?.companyName ?? 'Callshop billing desk'}</bdi>
        </div>
        {props.company?.address && <div className="adj-receipt-address">{props.company.address}</div>}
        <h1 className="adj-receipt-title">{op.receiptTitle}</h1>
        <table className="adj-receipt-table">
          <tbody>
            {rows.map(([k, v, num]) => (
              <tr key={k}>
                <th scope="row">{k}</th>
                <td className={num ? 'adj-receipt-num' : undefined}>
                  <bdi>{v}</bdi>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {op.key === 'authorization' && result.transactionId && (
          <p className="adj-receipt-foot">
            The amount is reserved on the card, not charged. Quote transaction ID {result.transactionId} to capture or void it
            {result.expiresAt ? ` before ${formatDateTime(result.expiresAt)}` : ''}.
          </p>
        )}
        <p className="adj-receipt-foot">Thank you. Keep this receipt for your records.</p>
      </div>
    </div>,
    document.body
  )
}
