import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { Worker } from 'node:worker_threads'
import type { PageChunk } from './memfile'

/** A snapshot the worker is asked to write (snapshotWorker.ts). */
export interface SnapshotJob {
  /** The last snapshot, to start from. */
  basePath: string
  /** The new file's page size and size; its changed pages follow in chunks. */
  pageSize: number
  size: number
  /**
   * Files to fill and fsync for the new snapshot, which the main thread renames into place; and
   * a second name for the old snapshot, so that the rename over it does not free its blocks.
   */
  out: { file: string; checkFile: string; nextJournal: string; oldSnapshot: string }
  /**
   * A file holding the snapshot before the last one (see "Snapshots" in docs/durability.md): when
   * given, it is moved to `out.file` and written over instead of copying `basePath`; the pages
   * sent then include every page that differs between it and the new snapshot.
   */
  spare: string | null
  /** Complete copies (backups) of the new snapshot to write atomically. */
  copies: string[]
  /**
   * Written into the check record with the new file's size and CRC: the last journal change it
   * holds, and the check of the file it replaces (see SnapshotCheck in store.ts).
   */
  check: { seq: number; lineage: string; previous: { size: number; crc32: number; seq?: number; lineage?: string } | null }
  /**
   * The journal records the new snapshot lets go of (its first `bytes` bytes), to copy into a
   * journal archive segment (temp file `file`) before the journal is replaced; null: none.
   */
  archive: { journal: string; bytes: number; file: string } | null
}

/** Messages to the worker: a job begins, its pages arrive in chunks, then it ends (or is abandoned). */
export type SnapshotMessage =
  | { type: 'begin'; id: number; job: SnapshotJob }
  | { type: 'pages'; id: number; chunk: PageChunk }
  | { type: 'end'; id: number }
  | { type: 'abandon'; id: number }

/** A step of a snapshot in the worker and when it ran (wall clock, ms since the epoch). */
export interface SnapshotPhase {
  name: string
  from: number
  to: number
}

export type SnapshotReply =
  | { id: number; ok: true; size: number; crc32: number; pages: number; ms: number; archived: { first: number; last: number } | null; phases: SnapshotPhase[] }
  /** `code`: the file system's error code (ENOSPC, EACCES...), so the caller can say it in words. */
  | { id: number; ok: false; message: string; code?: string }

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

/** One snapshot job in the worker: feed it its pages, then end it to learn the outcome. */
export interface SnapshotRun {
  send(chunk: PageChunk): void
  end(): Promise<SnapshotDone>
  abandon(): void
}

/** The main thread's handle on the snapshot worker: jobs one at a time, started on first use. */
export class SnapshotWorker {
  private worker: Worker | null = null
  private nextId = 1
  private readonly waiting = new Map<number, { worker: Worker; resolve: (d: SnapshotDone) => void; reject: (e: Error) => void }>()

  begin(job: SnapshotJob): SnapshotRun {
    this.worker ??= this.start()
    const worker = this.worker
    const id = this.nextId++
    const post = (m: SnapshotMessage, transfer: ArrayBuffer[] = []) => worker.postMessage(m, transfer)
    worker.ref() // a job in flight keeps the process alive; an idle worker does not
    post({ type: 'begin', id, job })
    const result = new Promise<SnapshotDone>((resolve, reject) => this.waiting.set(id, { worker, resolve, reject }))
    result.catch(() => {}) // handled by whoever calls end()
    return {
      // The page bytes move to the worker without a copy.
      send: (chunk) => post({ type: 'pages', id, chunk }, [chunk.data.buffer as ArrayBuffer]),
      end: () => {
        post({ type: 'end', id })
        return result
      },
      abandon: () => {
        post({ type: 'abandon', id })
        this.settle(id, { id, ok: false, message: 'abandoned' })
      }
    }
  }

  private settle(id: number, reply: SnapshotReply): void {
    const w = this.waiting.get(id)
    if (!w) return
    this.waiting.delete(id)
    if (this.waiting.size === 0) w.worker.unref()
    if (reply.ok) w.resolve(reply)
    else w.reject(Object.assign(new Error(reply.message), reply.code === undefined ? {} : { code: reply.code }))
  }

  private start(): Worker {
    const worker = startWorker()
    worker.unref()
    worker.on('message', (reply: SnapshotReply) => this.settle(reply.id, reply))
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
