import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { Worker } from 'node:worker_threads'
import type { PageChanges } from './memfile'

/** What the snapshot worker (snapshotWorker.ts) is asked to do. */
export interface SnapshotJob {
  id: number
  /** The last snapshot, to start from. */
  basePath: string
  /** The pages written since that snapshot, and the file's size now. */
  changes: PageChanges
  /**
   * Files to fill and fsync for the new snapshot, which the main thread renames into place; and
   * a second name for the old snapshot, so that the rename over it does not free its blocks.
   */
  out: { file: string; checkFile: string; nextJournal: string; oldSnapshot: string }
  /** Complete copies (backups) of the new snapshot to write atomically. */
  copies: string[]
}

export type SnapshotReply =
  | { id: number; ok: true; size: number; crc32: number; pages: number; ms: number }
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
  private readonly waiting = new Map<number, { worker: Worker; resolve: (d: SnapshotDone) => void; reject: (e: Error) => void }>()

  run(job: Omit<SnapshotJob, 'id'>): Promise<SnapshotDone> {
    const worker = (this.worker ??= this.start())
    const id = this.nextId++
    return new Promise<SnapshotDone>((resolve, reject) => {
      this.waiting.set(id, { worker, resolve, reject })
      worker.ref() // a job in flight keeps the process alive; an idle worker does not
      // The page data moves to the worker without a copy.
      worker.postMessage({ ...job, id } satisfies SnapshotJob, [job.changes.data.buffer as ArrayBuffer])
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
      for (const [id, w] of this.waiting) {
        if (w.worker !== worker) continue
        this.waiting.delete(id)
        w.reject(err)
      }
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
