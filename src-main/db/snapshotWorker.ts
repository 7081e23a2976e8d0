/**
 * Worker thread that makes snapshots and backups off the main thread (see snapshotter.ts for the
 * main side and docs/durability.md for the design).
 *
 * The main thread only says "everything up to journal sequence N, which ends at byte B of the
 * journal". This worker rebuilds that state from what is already durable on disk: it reads the
 * last snapshot into a buffer it owns (sql.js adopts it, see memfile.ts), applies the journal's
 * records up to N exactly as start-up would, and then writes that buffer out. It never asks the
 * main thread for the database bytes, so the main thread never exports or copies the database.
 */
import fs from 'node:fs'
import { parentPort } from 'node:worker_threads'
import { crc32 } from 'node:zlib'
import initSqlJs, { type SqlJsStatic } from 'sql.js'
import { writeFileAtomic, writeFileSynced } from './files'
import { applyJournalEntries, journalRecords, prepareJournalFile } from './journal'
import { openOwning, readFileWithSpare } from './memfile'
import type { SnapshotJob, SnapshotReply } from './snapshotter'

let sqlJs: Promise<SqlJsStatic> | null = null

function loadSql(wasmPath: string): Promise<SqlJsStatic> {
  sqlJs ??= (async () => {
    const wasm = fs.readFileSync(wasmPath)
    return initSqlJs({ wasmBinary: wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer })
  })()
  return sqlJs
}

/** The first `length` bytes of the journal: records the main thread has already fdatasync'ed. */
function readJournalPrefix(file: string, length: number): Uint8Array {
  const buf = new Uint8Array(length)
  if (length === 0) return buf
  const fd = fs.openSync(file, 'r')
  try {
    let read = 0
    while (read < length) {
      const n = fs.readSync(fd, buf, read, length - read, read)
      if (n === 0) throw new Error(`the journal is shorter (${read} bytes) than the ${length} bytes to apply`)
      read += n
    }
  } finally {
    fs.closeSync(fd)
  }
  return buf
}

function* entriesOf(journal: Uint8Array) {
  for (const { entry } of journalRecords(journal)) yield entry
}

export async function runSnapshotJob(job: SnapshotJob): Promise<Omit<SnapshotReply & { ok: true }, 'id' | 'ok'>> {
  const started = performance.now()
  const sql = await loadSql(job.wasmPath)
  const journal = readJournalPrefix(job.journalPath, job.journalBytes)
  // Room for what the journal adds (pages it inserts), so the database grows inside our buffer.
  const spare = Math.max(32 * 1024 * 1024, job.journalBytes * 4)
  const owning = openOwning(sql, readFileWithSpare(job.snapshotPath, spare))
  const db = owning.db
  try {
    db.run('PRAGMA foreign_keys = ON') // as the main database replays and commits
    const seq0 = Number(db.exec("SELECT value FROM meta WHERE key = 'journal_seq'")[0]?.values[0]?.[0] ?? 0)
    const { seq } = applyJournalEntries(db, entriesOf(journal), seq0, job.untilSeq)
    // Above untilSeq: the main thread wrote a newer snapshot meanwhile (restore, close); it will
    // not install this one, and a copy of the newer state is still a correct backup.
    if (seq < job.untilSeq) throw new Error(`the snapshot and journal hold changes up to ${seq} only, not ${job.untilSeq}`)
    // The database file as sql.js holds it; if it no longer lives in our buffer, export it
    // (one more copy of the database in memory, but correct).
    let bytes = owning.file()
    const exported = bytes === null
    bytes ??= db.export()
    const check = { size: bytes.length, crc32: crc32(bytes) }
    if (job.snapshotOut) {
      writeFileSynced(job.snapshotOut.file, bytes)
      writeFileSynced(job.snapshotOut.checkFile, Buffer.from(JSON.stringify(check)))
      prepareJournalFile(job.snapshotOut.nextJournal)
    }
    for (const target of job.copies) writeFileAtomic(target, bytes)
    return { seq, size: check.size, crc32: check.crc32, exported, ms: performance.now() - started }
  } finally {
    db.close()
  }
}

parentPort?.on('message', (job: SnapshotJob) => {
  runSnapshotJob(job).then(
    (done) => parentPort?.postMessage({ id: job.id, ok: true, ...done } satisfies SnapshotReply),
    (err: unknown) => parentPort?.postMessage({ id: job.id, ok: false, message: (err as Error).message ?? String(err) } satisfies SnapshotReply)
  )
})
