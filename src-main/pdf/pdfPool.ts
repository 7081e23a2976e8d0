/**
 * PDF documents drawn on worker threads, for batches (closing a period issues an invoice per
 * customer): one document takes ~8 ms of CPU, so a pool of N workers draws up to N times as many
 * per second while the main thread keeps serving requests. Workers start on first use, each job
 * goes to the least busy one, and an idle pool does not keep the process alive.
 */
import fs from 'node:fs'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import { Worker } from 'node:worker_threads'
import { locatePdfFontDir } from '../paths'
import type { PdfJob, PdfReply, PdfRequest, PdfWorkerData } from './pdfJobs'

/** Built (out/main): `pdf-worker.js` next to the bundle or one folder up; from source (vitest): the .ts through tsx. */
function startWorker(fontDir: string, background: boolean): Worker {
  const workerData: PdfWorkerData = { fontDir, background }
  for (const dir of [__dirname, path.dirname(__dirname)]) {
    const built = path.join(dir, 'pdf-worker.js')
    if (fs.existsSync(built)) return new Worker(built, { workerData })
  }
  const source = path.join(__dirname, 'pdfWorker.ts')
  if (!fs.existsSync(source)) throw new Error(`the PDF worker is missing (no pdf-worker.js near ${__dirname})`)
  const tsx = createRequire(source).resolve('tsx/cjs')
  return new Worker(`require(${JSON.stringify(tsx)}); require(${JSON.stringify(source)})`, { eval: true, workerData })
}

/** One worker less than the machine's cores (the main thread has work too), at least one. */
export function defaultPdfPoolSize(): number {
  return Math.max(1, os.availableParallelism() - 1)
}

interface PoolWorker {
  worker: Worker
  inFlight: Map<number, { resolve: (bytes: Uint8Array) => void; reject: (e: Error) => void }>
}

export class PdfWorkerPool {
  private readonly workers: PoolWorker[] = []
  private nextId = 1

  constructor(
    readonly size: number = defaultPdfPoolSize(),
    private readonly fontDir: string = locatePdfFontDir(),
    /** Background work (a batch's PDFs): on Linux each worker thread lowers its own priority, so the main thread answers first. */
    private readonly background = false
  ) {
    if (!Number.isInteger(size) || size < 1) throw new Error(`A PDF worker pool needs at least one worker (got ${size}).`)
  }

  render(job: PdfJob): Promise<Uint8Array> {
    const w = this.pick()
    const id = this.nextId++
    return new Promise<Uint8Array>((resolve, reject) => {
      w.inFlight.set(id, { resolve, reject })
      w.worker.ref() // a job in flight keeps the process alive; an idle worker does not
      w.worker.postMessage({ id, job } satisfies PdfRequest)
    })
  }

  /** Stops every worker; jobs in flight fail. */
  async close(): Promise<void> {
    const all = this.workers.splice(0)
    await Promise.all(all.map((w) => w.worker.terminate()))
  }

  private pick(): PoolWorker {
    const idle = this.workers.find((w) => w.inFlight.size === 0)
    if (idle) return idle
    if (this.workers.length < this.size) return this.start()
    return this.workers.reduce((a, b) => (b.inFlight.size < a.inFlight.size ? b : a))
  }

  private start(): PoolWorker {
    const w: PoolWorker = { worker: startWorker(this.fontDir, this.background), inFlight: new Map() }
    w.worker.unref()
    w.worker.on('message', (reply: PdfReply) => {
      const job = w.inFlight.get(reply.id)
      if (!job) return
      w.inFlight.delete(reply.id)
      if (w.inFlight.size === 0) w.worker.unref()
      if (reply.ok) job.resolve(reply.bytes)
      else job.reject(Object.assign(new Error(reply.message), reply.code === undefined ? {} : { code: reply.code }))
    })
    const fail = (err: Error) => {
      const i = this.workers.indexOf(w)
      if (i >= 0) this.workers.splice(i, 1)
      for (const job of w.inFlight.values()) job.reject(err)
      w.inFlight.clear()
    }
    w.worker.on('error', fail)
    w.worker.on('exit', (code) => fail(new Error(`a PDF worker stopped (exit code ${code})`)))
    this.workers.push(w)
    return w
  }
}
