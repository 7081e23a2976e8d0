import { notifications } from '@mantine/notifications'
import type { InvoicePdfFile } from '../../../src-shared/domain'
import { transportName } from '../api/invoke'
import { downloadBlob, pdfBlob } from '../lib/download'

/** How long a printed PDF's blob: URL lives: the new tab has long loaded it by then. */
const PRINT_URL_LIFETIME_MS = 10 * 60_000

/** Save the PDF as a file. */
export function savePdf(file: InvoicePdfFile): void {
  downloadBlob(file.fileName, pdfBlob(file.pdfBase64))
}

/**
 * Print the PDF: browser mode opens it in its own tab (the browser's viewer prints it). The desktop
 * shell refuses every new window (src-main/security.ts), so there it says so and points to the file
 * until the Electron print dialog is wired (docs/invoices-pdf.md). Returns whether it opened.
 */
export function printPdf(file: InvoicePdfFile): boolean {
  const url = URL.createObjectURL(pdfBlob(file.pdfBase64))
  // A blob: URL in its own tab is a separate document: the app's CSP (object-src 'none') does not apply to it.
  const tab = transportName() === 'desktop' ? null : window.open(url, '_blank')
  if (!tab) {
    URL.revokeObjectURL(url)
    notifications.show({
      color: 'yellow',
      title: 'Print',
      message:
        transportName() === 'desktop'
          ? 'Printing from the desktop app is not available yet: use Download PDF and print the file.'
          : 'The browser blocked the new tab: allow pop-ups for this page, or use Download PDF.',
      autoClose: 10_000,
      withBorder: true
    })
    return false
  }
  setTimeout(() => URL.revokeObjectURL(url), PRINT_URL_LIFETIME_MS)
  return true
}
