import { useMutation } from '../api/query'
import { PdfFileButtons } from '../pdf/PdfFileButtons'

/** The shift report (80 mm PDF, shifts.report): printed the one way every document prints, or saved. */
export function ShiftReportButtons(props: { shiftId: number; interim?: boolean }) {
  const report = useMutation('shifts.report')
  return (
    <PdfFileButtons
      fetch={() => report.run({ shiftId: props.shiftId })}
      title={`Shift report ${props.shiftId}`}
      printLabel={props.interim ? 'Print interim report' : 'Print shift report'}
      saveLabel={props.interim ? 'Save interim report' : 'Save shift report'}
    />
  )
}
