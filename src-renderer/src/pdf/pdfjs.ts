/**
 * PDF pages drawn into canvases with pdf.js (pdfjs-dist, Mozilla's PDF renderer, Apache-2.0).
 *
 * Why a library: the app's CSP has `object-src 'none'` (no <embed>/<object> PDF viewer) and the
 * headless Chromium the tests drive has no PDF plugin, so the page itself must draw the PDF.
 * pdf.js is the renderer Firefox ships, maintained by Mozilla, with no dependencies in the
 * browser. Its worker is bundled by Vite as a script of our own (`?worker&url`), so it loads from
 * 'self' under the existing policy (worker-src falls back to script-src 'self'). WebAssembly
 * decoders are turned off (`useWasm: false`): our PDFs hold only Flate images and TrueType text,
 * and compiling WebAssembly would need 'wasm-unsafe-eval' in the policy.
 *
 * Loaded on demand (a dynamic import): the ~1 MB library is fetched only when a PDF is shown.
 */
import type { PDFDocumentProxy } from 'pdfjs-dist'

type PdfJs = typeof import('pdfjs-dist')

let loading: Promise<{ lib: PdfJs; worker: InstanceType<PdfJs['PDFWorker']> }> | null = null

function pdfjs(): Promise<{ lib: PdfJs; worker: InstanceType<PdfJs['PDFWorker']> }> {
  loading ??= (async () => {
    const [lib, { default: workerUrl }] = await Promise.all([import('pdfjs-dist'), import('pdfjs-dist/build/pdf.worker.min.mjs?worker&url')])
    // pdf.js starts the worker from this URL itself; should a worker not start (a shell that
    // refuses workers), it runs the same script on the page's thread instead (slower, still right).
    lib.GlobalWorkerOptions.workerSrc = workerUrl
    // One worker for every document of this page (its script is parsed once).
    return { lib, worker: new lib.PDFWorker() }
  })()
  return loading
}

/** Open a PDF from its bytes; call `close()` when done (it frees the worker's copy). */
export async function openPdf(bytes: Uint8Array): Promise<{ pdf: PDFDocumentProxy; close: () => void }> {
  const { lib, worker } = await pdfjs()
  // pdf.js takes ownership of the buffer it is given: pass a copy.
  const task = lib.getDocument({ data: bytes.slice(), worker, useWasm: false, stopAtErrors: true })
  try {
    return { pdf: await task.promise, close: () => void task.destroy() }
  } catch (e) {
    void task.destroy()
    throw e
  }
}

/** Size of a page in PDF points (1/72 inch). */
export interface PageSize {
  widthPt: number
  heightPt: number
}

/**
 * Draw page `n` (1-based) of `pdf` into `canvas`, `pxPerPt` device pixels per PDF point, on white.
 * Answers the page's size in points.
 */
export async function drawPage(pdf: PDFDocumentProxy, n: number, canvas: HTMLCanvasElement, pxPerPt: number): Promise<PageSize> {
  const page = await pdf.getPage(n)
  const base = page.getViewport({ scale: 1 })
  const viewport = page.getViewport({ scale: pxPerPt })
  canvas.width = Math.ceil(viewport.width)
  canvas.height = Math.ceil(viewport.height)
  await page.render({ canvas, viewport, background: '#ffffff' }).promise
  page.cleanup()
  return { widthPt: base.width, heightPt: base.height }
}
