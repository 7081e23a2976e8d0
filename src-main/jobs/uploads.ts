/**
 * Files uploaded in parts (a usage file of a million records is ~70 MB, far over one request's
 * body limit): staged in memory, in order, until the job that reads them takes them. Nothing in
 * the books changes while a file is staged; an abandoned upload is forgotten after an hour.
 */
import { randomUUID } from 'node:crypto'
import { AppError } from '../../src-shared/errors'

interface Upload {
  fileName: string
  totalChars: number
  parts: string[]
  receivedChars: number
  touched: number
}

const FORGET_AFTER_MS = 60 * 60 * 1000

export class Uploads {
  private readonly uploads = new Map<string, Upload>()

  constructor(
    /** Characters all staged files may hold together (memory is the limit). */
    private readonly maxStagedChars: number,
    private readonly now: () => number = Date.now
  ) {}

  begin(fileName: string, totalChars: number): { uploadId: string } {
    this.forgetOld()
    const staged = [...this.uploads.values()].reduce((n, u) => n + u.totalChars, 0)
    if (staged + totalChars > this.maxStagedChars) {
      throw new AppError('CONFLICT', 'Other files are being uploaded; wait for them to be imported, or try again in an hour.', 'totalChars')
    }
    const uploadId = randomUUID()
    this.uploads.set(uploadId, { fileName, totalChars, parts: [], receivedChars: 0, touched: this.now() })
    return { uploadId }
  }

  /** Parts come in order; a part sent again (a retried request) with the same number is refused. */
  chunk(uploadId: string, seq: number, text: string): { receivedChars: number } {
    const u = this.find(uploadId)
    if (seq !== u.parts.length) throw new AppError('VALIDATION', `Part ${seq} arrived where part ${u.parts.length} was expected; start the upload again.`, 'seq')
    if (u.receivedChars + text.length > u.totalChars) {
      throw new AppError('VALIDATION', `The parts hold more than the ${u.totalChars.toLocaleString('en-US')} characters announced; start the upload again.`, 'text')
    }
    u.parts.push(text)
    u.receivedChars += text.length
    u.touched = this.now()
    return { receivedChars: u.receivedChars }
  }

  /** The whole file, once every character announced has arrived; it is no longer staged. */
  take(uploadId: string): { fileName: string; text: string } {
    const u = this.find(uploadId)
    if (u.receivedChars !== u.totalChars) {
      throw new AppError(
        'VALIDATION',
        `The upload is incomplete: ${u.receivedChars.toLocaleString('en-US')} of ${u.totalChars.toLocaleString('en-US')} characters arrived.`,
        'uploadId'
      )
    }
    this.uploads.delete(uploadId)
    return { fileName: u.fileName, text: u.parts.join('') }
  }

  private find(uploadId: string): Upload {
    const u = this.uploads.get(uploadId)
    if (!u) throw new AppError('NOT_FOUND', 'That upload is not staged (it was imported already, or abandoned for over an hour); choose the file again.', 'uploadId')
    return u
  }

  private forgetOld(): void {
    const cutoff = this.now() - FORGET_AFTER_MS
    for (const [id, u] of this.uploads) if (u.touched < cutoff) this.uploads.delete(id)
  }
}
