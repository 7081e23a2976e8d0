import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { Worker } from 'node:worker_threads'

/** What the snapshot worker (snapshotWorker.ts) is asked to do. */
export interface SnapshotJob {
  id: number
  wasmPath: string
  /** The last snapshot, to start from. */
  snapshotPath: string
  journalPath: string
  /** Apply the journal's records in its first `journalBytes` bytes ... */
  journalBytes: number
  /** ... which end exactly at this sequence number. */
  untilSeq: number
  /** Files to fill and fsync for a new snapshot; the main thread renames them into place. */
  snapshotOut: { file: string; checkFile: string; nextJournal: string } | null
  /** Complete copies (backups) to write atomically. */
  copies: string[]
}

export type SnapshotReply =
  | { id: number; ok: true; seq: number; size: number; crc32: number; exported: boolean; ms: number }
  | { id: number; ok: false; message: string }

export type SnapshotDone = Extract<SnapshotReply, { ok: true }>

/**
 * Where the worker's code is. Built (out/main): `snapshot-worker.js`, an entry of its own next to
 * the bundle or one folder up from its chunks. From TypeScript source (vitest): the .ts file,
 * loaded through tsx's require hook (a dev dependency, as the tests are).
 */
function workerScript(): { file: string; typescript: boolean } {
  for (const dir of [__dirname, path.dirname(__dirname)]) {
    const built = path.join(dir, 'snapshot-worker.js')
    if (fs.existsSync(built)) return { file: built, typescript: false }
  }
  const source = path.join(__dirname, 'snapshotWorker.ts')
  if (fs.existsSync(source)) return { file: source, typescript: true }
  throw new Error(`the snapshot worker is missing (no snapshot-worker.js near ${__dirname})`)
}

function startWorker(): Worker {
  const script = workerScript()
  if (!script.typescript) return new Worker(script.file)
  const tsx = createRequire(script.file).resolve('tsx/cjs')
  return new Worker(`require(${JSON.stringify(tsx)}); require(${JSON.stringify(script.file)})`, { eval: true })
}

/** The main thread's handle on the snapshot worker: one job at a time, started on first use. */
export class SnapshotWorker {
  private worker: Worker | null = null
  private nextId = 1
  private readonly waiting = new Map<number, { resolve: (d: SnapshotDone) => void; reject: (e: Error) => void }>()

  run(job: Omit<SnapshotJob, 'id'>): Promise<SnapshotDone> {
    const worker = (this.worker ??= this.start())
    const id = this.nextId++
    return new Promise<SnapshotDone>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject })
      worker.ref() // a job in flight keeps the process alive; an idle worker does not
      worker.postMessage({ ...job, id } satisfies SnapshotJob)
    })
  }

  private start(): Worker {
    const worker = startWorker()
    worker.unref()
    worker.on('message', (reply: SnapshotReply) => {
      const w = this.waiting.get(reply.id)
      if (!w) return
      this.waiting.delete(reply.id)
      if (this.waiting.size === 0) worker.unref()
      if (reply.ok) w.resolve(reply)
      else w.reject(new Error(reply.message))
    })
    const fail = (err: Error) => {
      if (this.worker === worker) this.worker = null
      for (const w of this.waiting.values()) w.reject(err)
      this.waiting.clear()
    }
    worker.on('error', fail)
    worker.on('exit', (code) => fail(new Error(`the snapshot worker stopped (exit code ${code})`)))
    return worker
  }

  /** Stop the worker; a job in flight fails (its files are never installed). */
  close(): void {
    const worker = this.worker
    this.worker = null
    if (worker) void worker.terminate()
  }
}
