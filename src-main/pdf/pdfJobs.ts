/** A document to draw, in this thread or in a PDF worker (pdfPool.ts). */
import type { InvoiceDocument, ReceiptDocument } from '../../src-shared/domain'
import { invoicePdf } from './invoicePdf'
import { receiptPdf } from './receiptPdf'

export type PdfJob = { kind: 'invoice'; document: InvoiceDocument } | { kind: 'receipt'; document: ReceiptDocument }

/** What a PDF worker is started with (pdfPool.ts). */
export interface PdfWorkerData {
  fontDir: string
  /** Lower this thread's priority (Linux: per thread; elsewhere it would be the whole process, so not done). */
  background: boolean
}

export interface PdfRequest {
  id: number
  job: PdfJob
}

export type PdfReply = { id: number; ok: true; bytes: Uint8Array } | { id: number; ok: false; message: string; code?: string }

export function renderPdf(job: PdfJob): Promise<Uint8Array> {
  return job.kind === 'invoice' ? invoicePdf(job.document) : receiptPdf(job.document)
}
