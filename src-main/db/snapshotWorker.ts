/**
 * Worker thread that writes snapshots and backups off the main thread (snapshotter.ts is the
 * main side; docs/durability.md explains the design).
 *
 * The main thread hands over only the database pages written since the last snapshot (copied in
 * one event-loop turn, between transactions, so they are one consistent state) and the file's
 * new size. Here the last snapshot file is copied to a temp file, those pages are written over
 * it, and the result is fsync'ed and checksummed. The main thread then renames it into place.
 */
import fs from 'node:fs'
import { parentPort } from 'node:worker_threads'
import { crc32 } from 'node:zlib'
import { copyFileAtomic } from './files'
import { prepareJournalFile } from './journal'
import type { SnapshotJob, SnapshotReply } from './snapshotter'

const CHUNK = 8 * 1024 * 1024

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

export function runSnapshotJob(job: SnapshotJob): Omit<Extract<SnapshotReply, { ok: true }>, 'id' | 'ok'> {
  const started = performance.now()
  const { out, changes } = job
  // Page 1 is always among the changes; its header must agree with the size we are to write.
  const header = Buffer.from(changes.data.buffer, changes.data.byteOffset, Math.min(changes.data.length, 100))
  if (changes.pages[0] !== 0 || header.readUInt32BE(28) * changes.pageSize !== changes.size) {
    throw new Error(`the changed pages do not describe a ${changes.size}-byte database file`)
  }
  fs.copyFileSync(job.basePath, out.file)
  const fd = fs.openSync(out.file, 'r+')
  let crc: number
  try {
    const { pageSize, pages, data } = changes
    for (let i = 0; i < pages.length; i++) {
      const at = pages[i]! * pageSize
      let written = 0
      while (written < pageSize) written += fs.writeSync(fd, data, i * pageSize + written, pageSize - written, at + written)
    }
    fs.ftruncateSync(fd, changes.size) // pages beyond the old end were written above; a smaller file is cut
    fs.fsyncSync(fd)
    crc = crcOf(fd, changes.size)
  } finally {
    fs.closeSync(fd)
  }
  const check = { size: changes.size, crc32: crc }
  const checkFd = fs.openSync(out.checkFile, 'w')
  try {
    fs.writeSync(checkFd, JSON.stringify(check))
    fs.fsyncSync(checkFd)
  } finally {
    fs.closeSync(checkFd)
  }
  prepareJournalFile(out.nextJournal)
  fs.linkSync(job.basePath, out.oldSnapshot)
  for (const target of job.copies) copyFileAtomic(out.file, target)
  return { size: check.size, crc32: check.crc32, pages: changes.pages.length, ms: performance.now() - started }
}

parentPort?.on('message', (job: SnapshotJob) => {
  let reply: SnapshotReply
  try {
    reply = { id: job.id, ok: true, ...runSnapshotJob(job) }
  } catch (err) {
    reply = { id: job.id, ok: false, message: (err as Error).message ?? String(err) }
  }
  parentPort?.postMessage(reply)
})
