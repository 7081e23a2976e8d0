/**
 * Worker thread that draws PDF documents (pdfPool.ts is the main side). Each worker reads and
 * parses the fonts once, from the folder the main thread found (workerData.fontDir), and then
 * draws whatever it is sent; the bytes go back without a copy.
 */
import os from 'node:os'
import { parentPort, workerData } from 'node:worker_threads'
import { pdfFonts } from './fonts'
import { type PdfReply, type PdfRequest, type PdfWorkerData, renderPdf } from './pdfJobs'

const port = parentPort
if (port === null) throw new Error('pdfWorker.ts runs as a worker thread (see pdfPool.ts)')
const data = workerData as PdfWorkerData
pdfFonts(data.fontDir)
// Linux's nice value is per thread and 0 names the calling thread: only this worker yields to the
// main thread (a cashier's request). Elsewhere it would lower the whole process, so not there.
if (data.background && process.platform === 'linux') {
  try {
    os.setPriority(0, 10)
  } catch {
    // Not allowed here: it runs at the normal priority.
  }
}

port.on('message', (req: PdfRequest) => {
  renderPdf(req.job).then(
    (bytes) => port.postMessage({ id: req.id, ok: true, bytes } satisfies PdfReply, [bytes.buffer as ArrayBuffer]),
    (err: unknown) => {
      const e = err as Error & { code?: string }
      port.postMessage({ id: req.id, ok: false, message: e.message ?? String(err), ...(e.code === undefined ? {} : { code: e.code }) } satisfies PdfReply)
    }
  )
})
