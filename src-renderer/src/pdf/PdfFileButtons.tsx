import { useState } from 'react'
import { Button, Group } from '@mantine/core'
import type { InvoicePdfFile } from '../../../src-shared/domain'
import { downloadBlob, pdfBlob } from '../lib/download'
import { notifyError } from '../lib/notify'
import { printPdf } from './printPdf'

/**
 * Print and Save for a PDF the engine draws (an invoice, a receipt): `fetch` asks for it at the
 * click, so a change made a moment ago is on it. Print goes the one way every document prints
 * (printPdf); Save downloads the file.
 */
export function PdfFileButtons(props: {
  fetch: () => Promise<InvoicePdfFile>
  /** What the printed pages are called ("Invoice INV-000001"). */
  title: string
  printLabel: string
  saveLabel: string
  onPrinted?: () => void
}) {
  const [busy, setBusy] = useState<'print' | 'save' | null>(null)
  async function run(action: 'print' | 'save') {
    setBusy(action)
    try {
      const file = await props.fetch()
      if (action === 'save') downloadBlob(file.fileName, pdfBlob(file.pdfBase64))
      else {
        await printPdf(file, props.title)
        props.onPrinted?.()
      }
    } catch (e) {
      notifyError(e)
    } finally {
      setBusy(null)
    }
  }
  return (
    <Group gap="sm">
      <Button variant="default" loading={busy === 'save'} disabled={busy !== null} onClick={() => void run('save')}>
        {props.saveLabel}
      </Button>
      <Button variant="default" loading={busy === 'print'} disabled={busy !== null} onClick={() => void run('print')}>
        {props.printLabel}
      </Button>
    </Group>
  )
}
