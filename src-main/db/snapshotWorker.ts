/**
 * Worker thread that writes snapshots and backups off the main thread (snapshotter.ts is the
 * main side; docs/durability.md explains the design).
 *
 * A job begins with the file's new size; the pages changed since the last snapshot follow in
 * chunks (the main thread copies them out a few at a time between requests, all as they were when
 * the job began). Here the last snapshot file is copied to a temp file and the pages are written
 * over it; at the end it is cut to size, fsync'ed and checksummed. The main thread then renames it
 * into place.
 */
import fs from 'node:fs'
import { parentPort } from 'node:worker_threads'
import { crc32 } from 'node:zlib'
import { copyFileAtomic, FILE_MODE } from './files'
import { PAGE_BYTES, prepareJournalFile } from './journal'
import { copyRecordsToSegment } from './journalArchive'
import type { PageChunk } from './memfile'
import type { SnapshotJob, SnapshotMessage, SnapshotPhase, SnapshotReply } from './snapshotter'

const CHUNK = 8 * 1024 * 1024
/**
 * Written data is flushed (fdatasync) every this many bytes: the disk then never holds a long
 * queue of this worker's writes that a request's own small journal flush would wait behind (with
 * one fsync at the end, a 300 MiB copy made a cashier's Finish wait for it).
 */
export const FLUSH_EVERY = 8 * 1024 * 1024

/** Copy a file in chunks, flushing every FLUSH_EVERY bytes (see there), private (0600). */
function copyInSteps(from: string, to: string): void {
  const src = fs.openSync(from, 'r')
  try {
    fs.rmSync(to, { force: true })
    const dst = fs.openSync(to, 'wx', FILE_MODE)
    try {
      const buf = Buffer.allocUnsafe(FLUSH_EVERY)
      for (let off = 0; ; ) {
        const n = fs.readSync(src, buf, 0, buf.length, off)
        if (n === 0) break
        // A page per write: the copy's page cache is then in page-sized folios, so that the next
        // snapshot, writing its changed pages over this file, writes back those pages only (not
        // the 2 MiB folio around each, which over 25,000 scattered pages is the whole file).
        for (let done = 0; done < n; ) done += fs.writeSync(dst, buf, done, Math.min(PAGE_BYTES, n - done), off + done)
        off += n
        fs.fdatasyncSync(dst)
      }
    } finally {
      fs.closeSync(dst)
    }
  } finally {
    fs.closeSync(src)
  }
}

/** CRC-32 of a whole file, read in chunks (the file was just written: it is in the page cache). */
function crcOf(fd: number, size: number): number {
  const buf = Buffer.allocUnsafe(Math.min(CHUNK, Math.max(size, 1)))
  let crc = 0
  for (let off = 0; off < size; ) {
    const n = fs.readSync(fd, buf, 0, Math.min(buf.length, size - off), off)
    if (n === 0) throw new Error(`the new snapshot is shorter than ${size} bytes`)
    crc = crc32(buf.subarray(0, n), crc)
    off += n
  }
  return crc
}

/** Wall-clock time (ms since the epoch, sub-millisecond): comparable across threads. */
const wallNow = () => performance.timeOrigin + performance.now()

/** A snapshot being written. */
class SnapshotFile {
  private readonly fd: number
  private readonly started = performance.now()
  private pages = 0
  /** Bytes written since the last flush (see FLUSH_EVERY). */
  private unflushed = 0
  /** When each step ran (wall clock), for the benchmarks to line up with a request's wait. */
  private readonly phases: SnapshotPhase[] = []

  private phase<T>(name: string, fn: () => T): T {
    const from = wallNow()
    try {
      return fn()
    } finally {
      this.phases.push({ name, from, to: wallNow() })
    }
  }

  constructor(private readonly job: SnapshotJob) {
    // The snapshot before the last, whose every differing page is among those sent, is written
    // over in place: a few tens of MiB written instead of a copy of the whole file.
    // (Without it, the extra pages sent are merely written again over a copy.)
    if (job.spare === null || !this.phase('reuse', () => moved(job.spare!, job.out.file))) this.phase('copy', () => copyInSteps(job.basePath, job.out.file))
    this.fd = fs.openSync(job.out.file, 'r+')
  }

  write(chunk: PageChunk): void {
    const { pageSize, size } = this.job
    if (chunk.pages[0] === 0) {
      // Page 1's header must agree with the size we are to write.
      const header = Buffer.from(chunk.data.buffer, chunk.data.byteOffset, 100)
      if (header.readUInt32BE(28) * pageSize !== size) throw new Error(`the changed pages do not describe a ${size}-byte database file`)
    }
    this.phase('pages', () => {
      for (let i = 0; i < chunk.pages.length; i++) {
        const at = chunk.pages[i]! * pageSize
        let written = 0
        while (written < pageSize) written += fs.writeSync(this.fd, chunk.data, i * pageSize + written, pageSize - written, at + written)
      }
      this.unflushed += chunk.data.length
      if (this.unflushed >= FLUSH_EVERY) {
        fs.fdatasyncSync(this.fd)
        this.unflushed = 0
      }
    })
    this.pages += chunk.pages.length
  }

  finish(): Omit<Extract<SnapshotReply, { ok: true }>, 'id' | 'ok'> {
    const { out, size } = this.job
    let crc: number
    try {
      fs.ftruncateSync(this.fd, size) // pages beyond the old end were written; a smaller file is cut
      this.phase('fsync', () => fs.fsyncSync(this.fd))
      crc = this.phase('crc', () => crcOf(this.fd, size))
    } finally {
      this.close()
    }
    fs.rmSync(out.checkFile, { force: true })
    const checkFd = fs.openSync(out.checkFile, 'wx', FILE_MODE)
    try {
      fs.writeSync(checkFd, JSON.stringify({ size, crc32: crc, ...this.job.check }))
      this.phase('check fsync', () => fs.fsyncSync(checkFd))
    } finally {
      fs.closeSync(checkFd)
    }
    this.phase('next journal', () => prepareJournalFile(out.nextJournal))
    const archive = this.job.archive
    const archived =
      archive === null ? null : this.phase('archive', () => copyRecordsToSegment(archive.journal, archive.bytes, archive.file, { flushEvery: FLUSH_EVERY }))
    fs.linkSync(this.job.basePath, out.oldSnapshot)
    for (const target of this.job.copies) this.phase('backup copy', () => copyFileAtomic(out.file, target))
    return { size, crc32: crc, pages: this.pages, ms: performance.now() - this.started, archived, phases: mergePhases(this.phases) }
  }

  close(): void {
    try {
      fs.closeSync(this.fd)
    } catch {
      // already closed
    }
  }
}

function moved(from: string, to: string): boolean {
  try {
    fs.renameSync(from, to)
    return true
  } catch {
    return false
  }
}

/** Consecutive runs of the same step (the pages arrive in many chunks) as one. */
function mergePhases(phases: SnapshotPhase[]): SnapshotPhase[] {
  const out: SnapshotPhase[] = []
  for (const p of phases) {
    const last = out.at(-1)
    if (last && last.name === p.name) last.to = p.to
    else out.push({ ...p })
  }
  return out
}

function failure(id: number, err: Error): SnapshotReply {
  const code = (err as NodeJS.ErrnoException).code
  return code === undefined ? { id, ok: false, message: err.message } : { id, ok: false, message: err.message, code }
}

/** The job in progress, or why it failed (reported when it ends). */
let current: { id: number; file: SnapshotFile | null; error: Error | null } | null = null

function handle(m: SnapshotMessage): SnapshotReply | null {
  if (m.type === 'begin') {
    current?.file?.close()
    current = { id: m.id, file: null, error: null }
    try {
      current.file = new SnapshotFile(m.job)
    } catch (err) {
      current.error = err as Error
    }
    return null
  }
  if (!current || current.id !== m.id) return m.type === 'end' ? { id: m.id, ok: false, message: 'unknown snapshot job' } : null
  const job = current
  if (m.type === 'pages') {
    if (!job.error) {
      try {
        job.file!.write(m.chunk)
      } catch (err) {
        job.error = err as Error
      }
    }
    return null
  }
  current = null
  if (m.type === 'abandon') {
    job.file?.close()
    return null
  }
  if (job.error) {
    job.file?.close()
    return failure(m.id, job.error)
  }
  try {
    return { id: m.id, ok: true, ...job.file!.finish() }
  } catch (err) {
    return failure(m.id, err as Error)
  }
}

parentPort?.on('message', (m: SnapshotMessage) => {
  const reply = handle(m)
  if (reply) parentPort?.postMessage(reply)
})
