import { useMutation } from '../api/query'
import { PdfFileButtons } from '../pdf/PdfFileButtons'

/**
 * The wizard's receipt: the 80 mm receipt PDF the engine draws from the recorded operation
 * (receipts.pdf). Print receipt goes the way every document prints (the system print
 * dialog in the desktop app, a tab in browser mode); Save receipt saves the file.
 */
export function ReceiptButtons(props: { operationKey: string; onPrinted?: () => void }) {
  const receipt = useMutation('receipts.pdf')
  return (
    <PdfFileButtons
      fetch={() => receipt.run({ operationKey: props.operationKey })}
      title="Receipt"
      printLabel="Print receipt"
      saveLabel="Save receipt"
      onPrinted={props.onPrinted}
      // The counter prints the receipt with one key (docs/counter.md).
      printKey="p"
    />
  )
}
