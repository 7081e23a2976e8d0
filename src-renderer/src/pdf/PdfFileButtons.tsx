import { useEffect, useRef, useState } from 'react'
import { Button, Group, Kbd } from '@mantine/core'
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
  /**
   * A letter that prints from anywhere while the buttons are shown (the wizard's result: "P"), unless
   * the cursor is in a text box. Shown on the button.
   */
  printKey?: string
}) {
  const [busy, setBusy] = useState<'print' | 'save' | null>(null)
  const printRef = useRef<HTMLButtonElement>(null)
  const { printKey } = props
  useEffect(() => {
    if (!printKey) return
    function onKey(e: KeyboardEvent) {
      if (e.altKey || e.ctrlKey || e.metaKey || e.key.toLowerCase() !== printKey!.toLowerCase()) return
      const t = e.target
      if (t instanceof HTMLElement && (t.isContentEditable || t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT')) return
      e.preventDefault()
      printRef.current?.click()
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [printKey])
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
      <Button
        ref={printRef}
        variant="default"
        loading={busy === 'print'}
        disabled={busy !== null}
        onClick={() => void run('print')}
        // The key's badge is not part of the name.
        aria-label={printKey ? props.printLabel : undefined}
        aria-keyshortcuts={printKey?.toUpperCase()}
        rightSection={printKey ? <Kbd size="xs">{printKey.toUpperCase()}</Kbd> : undefined}
      >
        {props.printLabel}
      </Button>
    </Group>
  )
}
