/**
 * The shift report (issue 13 item 3; docs/shifts.md): an 80 mm slip like the receipt (slip.ts),
 * with the same embedded font, so any operator or customer name prints. Per currency: float,
 * cash in, cash out, expected, and once closed the count and the difference; then the cash
 * movements. An open shift's report says it is an interim one.
 */
import type { ShiftReportDocument } from '../../src-shared/domain'
import { formatDateTime } from '../../src-shared/format'
import { formatMoney } from '../../src-shared/money'
import { differenceText } from '../../src-shared/shifts'
import { GREY } from './draw'
import { slipPdf } from './slip'

export async function shiftReportPdf(report: ShiftReportDocument): Promise<Uint8Array> {
  const { shift } = report
  const open = shift.closedAt === null
  return slipPdf({ title: `Shift report ${shift.id}`, company: report.company }, (s) => {
    const bold = { font: s.fonts.bold, size: 10 }
    s.centred('Shift report', { font: s.fonts.bold, size: 11 })
    s.centred(`Shift ${shift.id}${open ? ' (open: interim report)' : ''}`, s.body)
    s.gap(1)
    s.rule()
    s.pair('Operator', shift.operatorName)
    s.pair('Opened', formatDateTime(shift.openedAt))
    s.pair('Closed', open ? 'still open' : formatDateTime(shift.closedAt))
    if (shift.closedBy && shift.closedBy !== shift.operatorName) s.pair('Closed by', shift.closedBy)
    s.pair('Cash payments', String(shift.payments))
    s.pair('Refunds paid out', String(shift.refunds))
    for (const c of shift.currencies) {
      const m = (minor: number) => formatMoney(minor, c.currency)
      s.rule()
      s.centred(c.currency, { font: s.fonts.bold, size: 9 })
      s.pair('Float', m(c.floatMinor))
      s.pair('Cash in', m(c.cashInMinor))
      s.pair('Cash out', m(c.cashOutMinor))
      s.pair('Expected', m(c.expectedMinor), bold)
      if (c.countedMinor !== null) s.pair('Counted', m(c.countedMinor), bold)
      if (c.differenceMinor !== null) s.pair('Difference', differenceText(c.differenceMinor, c.currency), bold)
    }
    if (shift.movements.length > 0) {
      s.rule()
      s.list(
        'Cash movements',
        shift.movements.map((mv) => `${formatDateTime(mv.at)} · ${mv.label} · ${mv.customerName} (xDR id ${mv.xdrId}): ${formatMoney(mv.amountMinor, mv.currency)}`)
      )
    }
    s.rule()
    s.pair('Printed', formatDateTime(report.printedAt))
    s.gap(6)
    s.pair('Signature', '____________________')
    s.gap(2)
    s.centred('Count the drawer with a second person when you can.', { font: s.fonts.regular, size: 7, color: GREY })
  })
}
