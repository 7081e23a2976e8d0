/**
 * Printing a PDF the engine drew (an invoice, a receipt), one path for every document:
 *
 * - **desktop app**: the pages are drawn (pdf.js) as pictures into a print-only part of the page
 *   and `window.print()` is called. In Electron that opens the system print dialog for this
 *   window; the print stylesheet (pdf-print.css) prints those pages alone, at the PDF's paper
 *   size (A4, or 80 mm wide for a receipt), edge to edge. No Electron code, no extra window: the
 *   shell still refuses every new window (src-main/security.ts).
 * - **browser mode**: the PDF opens in a tab of its own on a `blob:` URL, where the browser's PDF
 *   viewer prints it; if the browser blocks the tab, the page prints the pages itself, as the
 *   desktop app does.
 */
import type { InvoicePdfFile } from '../../../src-shared/domain'
import { transportName } from '../api/invoke'
import { base64Bytes, pdfBlob } from '../lib/download'
import { drawPage, openPdf } from './pdfjs'
import './pdf-print.css'

/** How long a printed PDF's blob: URL lives: the new tab has long loaded it by then. */
const PRINT_URL_LIFETIME_MS = 10 * 60_000
/** Print resolution of the page pictures. */
const PRINT_DPI = 150
const MM_PER_PT = 25.4 / 72

const ROOT_CLASS = 'pdf-print-root'

/** Remove what an earlier print left in the page (the print-only pages and their @page rule). */
function clearPrintPages(): void {
  for (const el of document.querySelectorAll(`.${ROOT_CLASS}, style[data-pdf-print]`)) el.remove()
}

/**
 * Put the PDF's pages into the page as print-only pictures and open the print dialog
 * (`window.print()`); they are removed after printing.
 */
export async function printPdfPages(base64: string, title: string): Promise<void> {
  clearPrintPages()
  const { pdf, close } = await openPdf(base64Bytes(base64))
  const root = document.createElement('div')
  root.className = ROOT_CLASS
  root.dataset.testid = 'pdf-print-pages'
  root.setAttribute('aria-hidden', 'true')
  let size = { widthPt: 595.28, heightPt: 841.89 }
  try {
    for (let n = 1; n <= pdf.numPages; n++) {
      const canvas = document.createElement('canvas')
      size = await drawPage(pdf, n, canvas, PRINT_DPI / 72)
      const img = document.createElement('img')
      img.alt = `${title}, page ${n}`
      img.src = canvas.toDataURL('image/png')
      img.style.width = `${(size.widthPt * MM_PER_PT).toFixed(2)}mm`
      img.style.height = `${(size.heightPt * MM_PER_PT).toFixed(2)}mm`
      root.appendChild(img)
    }
  } finally {
    close()
  }
  await Promise.all([...root.querySelectorAll('img')].map((img) => img.decode().catch(() => undefined)))
  // The paper is the PDF's own (its last page's size: documents here have one size throughout).
  const style = document.createElement('style')
  style.dataset.pdfPrint = ''
  style.textContent = `@media print { @page { size: ${(size.widthPt * MM_PER_PT).toFixed(2)}mm ${(size.heightPt * MM_PER_PT).toFixed(2)}mm; margin: 0; } }`
  document.head.appendChild(style)
  document.body.appendChild(root)
  window.addEventListener('afterprint', clearPrintPages, { once: true })
  window.print()
}

/**
 * Print the PDF: the system print dialog in the desktop app, a tab with the PDF in browser mode
 * (see the top of this file). Answers how it was printed.
 */
export async function printPdf(file: InvoicePdfFile, title: string): Promise<'dialog' | 'tab'> {
  if (transportName() === 'browser') {
    const url = URL.createObjectURL(pdfBlob(file.pdfBase64))
    // A blob: URL in its own tab is a separate document: the app's CSP (object-src 'none') does not apply to it.
    const tab = window.open(url, '_blank')
    if (tab) {
      setTimeout(() => URL.revokeObjectURL(url), PRINT_URL_LIFETIME_MS)
      return 'tab'
    }
    URL.revokeObjectURL(url)
  }
  await printPdfPages(file.pdfBase64, title)
  return 'dialog'
}
