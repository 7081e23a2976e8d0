/**
 * Worker thread that draws PDF documents (pdfPool.ts is the main side). Each worker reads and
 * parses the fonts once, from the folder the main thread found (workerData.fontDir), and then
 * draws whatever it is sent; the bytes go back without a copy.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { pdfFonts } from './fonts'
import { type PdfReply, type PdfRequest, renderPdf } from './pdfJobs'

const port = parentPort
if (port === null) throw new Error('pdfWorker.ts runs as a worker thread (see pdfPool.ts)')
pdfFonts((workerData as { fontDir: string }).fontDir)

port.on('message', (req: PdfRequest) => {
  renderPdf(req.job).then(
    (bytes) => port.postMessage({ id: req.id, ok: true, bytes } satisfies PdfReply, [bytes.buffer as ArrayBuffer]),
    (err: unknown) => {
      const e = err as Error & { code?: string }
      port.postMessage({ id: req.id, ok: false, message: e.message ?? String(err), ...(e.code === undefined ? {} : { code: e.code }) } satisfies PdfReply)
    }
  )
})
