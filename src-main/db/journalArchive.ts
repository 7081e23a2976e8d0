import fs from 'node:fs'
import path from 'node:path'
import { randomBytes } from 'node:crypto'
import type { Database } from 'sql.js'
import { fsyncDir, makePrivateDir, writeFileAtomic, writeFileSynced } from './files'
import { journalRecords, scanJournal, type JournalEntry } from './journal'

/**
 * The journal archive: journal records a snapshot no longer needs, kept until a backup holds them.
 *
 * A snapshot empties the journal, but a damaged snapshot can only be rebuilt from the newest backup
 * plus every change made after it, so the records a snapshot drops are first written here, in
 * segments of whole records (the journal's own format) named `<lineage>-<first seq>-<last seq>.log`.
 * Segments are pruned after each backup, up to what the backup before it holds: if the newest backup
 * turns out damaged too, the one before it plus the archive and the journal still rebuild everything.
 *
 * The lineage names one history of the database: a restore starts a new one (the sequence numbers
 * start again from the restored file's), and the archive of the old one is moved aside. Segments
 * and the journal are only ever replayed onto a backup of their own lineage. See docs/durability.md.
 */
export const ARCHIVE_DIR = 'journal-archive'
/** The lineage of a database from before lineages were recorded (and of every new one until its first restore). */
export const ORIGIN_LINEAGE = 'origin'

const SEGMENT_RE = /^([0-9a-z]+)-(\d{12})-(\d{12})\.log$/

export interface Segment {
  file: string
  lineage: string
  first: number
  last: number
}

export function archiveDirOf(dataDir: string): string {
  return path.join(dataDir, ARCHIVE_DIR)
}

export function segmentPath(dataDir: string, lineage: string, first: number, last: number): string {
  const n = (x: number) => String(x).padStart(12, '0')
  return path.join(archiveDirOf(dataDir), `${lineage}-${n(first)}-${n(last)}.log`)
}

/** The archive's segments, by first sequence number. */
export function listSegments(dataDir: string): Segment[] {
  const dir = archiveDirOf(dataDir)
  if (!fs.existsSync(dir)) return []
  const out: Segment[] = []
  for (const name of fs.readdirSync(dir)) {
    const m = SEGMENT_RE.exec(name)
    if (m) out.push({ file: path.join(dir, name), lineage: m[1]!, first: Number(m[2]), last: Number(m[3]) })
  }
  return out.sort((a, b) => a.first - b.first || a.last - b.last)
}

/** On the main thread, where the caller waits anyway: the records `bytes` (first..last) as a durable segment. */
export function archiveRecords(dataDir: string, lineage: string, bytes: Uint8Array, first: number, last: number): void {
  makePrivateDir(archiveDirOf(dataDir))
  writeFileAtomic(segmentPath(dataDir, lineage, first, last), bytes)
}

/**
 * In the snapshot worker: copy the journal's first `bytes` bytes (whole records) to `tmp`, fsync
 * it, and say which records it holds. Refuses anything that is not exactly whole, intact records:
 * the main thread could have emptied the journal meanwhile (its snapshot then makes this one stale).
 */
export function copyRecordsToSegment(journal: string, bytes: number, tmp: string, opts: { flushEvery?: number } = {}): { first: number; last: number } {
  const buf = Buffer.allocUnsafe(bytes)
  const fd = fs.openSync(journal, 'r')
  try {
    let read = 0
    while (read < bytes) {
      const n = fs.readSync(fd, buf, read, bytes - read, read)
      if (n === 0) throw new Error(`the journal is shorter than the ${bytes} bytes to archive`)
      read += n
    }
  } finally {
    fs.closeSync(fd)
  }
  let first: number | null = null
  let last: number | null = null
  let end = 0
  for (const r of journalRecords(buf)) {
    first ??= r.entry.seq
    last = r.entry.seq
    end = r.end
  }
  if (first === null || last === null || end !== bytes) throw new Error('the journal changed while it was being archived')
  makePrivateDir(path.dirname(tmp))
  writeFileSynced(tmp, buf, opts)
  return { first, last }
}

/** After copyRecordsToSegment, off the main thread's critical path: put the segment in place, durably. */
export async function installSegment(tmp: string, target: string): Promise<void> {
  await fs.promises.rename(tmp, target)
  if (process.platform === 'win32') return
  const dir = await fs.promises.open(path.dirname(target), 'r')
  try {
    await dir.sync()
  } finally {
    await dir.close()
  }
}

/** Where the archive notes the newest backup's sequence number (the next backup prunes up to it). */
const LAST_BACKUP_FILE = 'last-backup.json'

/**
 * After a backup holding every change up to `backupSeq` was written where recovery finds it: the
 * segments the backup BEFORE it holds go, and this one is noted for the next. Keeping one backup's
 * worth more means a damaged newest backup loses nothing: the one before it, the archive and the
 * journal still hold every change (every backup is followed by a change, its own audit entry).
 */
export async function pruneArchiveBehindNewestBackup(dataDir: string, lineage: string, backupSeq: number): Promise<number> {
  const marker = path.join(archiveDirOf(dataDir), LAST_BACKUP_FILE)
  let previous: { lineage: string; seq: number } | null = null
  try {
    const read = JSON.parse(fs.readFileSync(marker, 'utf8')) as { lineage?: unknown; seq?: unknown }
    if (read.lineage === lineage && typeof read.seq === 'number' && Number.isSafeInteger(read.seq)) previous = { lineage, seq: read.seq }
  } catch {
    // No backup noted yet (or a damaged note): prune nothing this time.
  }
  const removed = previous && previous.seq <= backupSeq ? await pruneArchive(dataDir, lineage, previous.seq) : 0
  makePrivateDir(archiveDirOf(dataDir))
  writeFileAtomic(marker, new TextEncoder().encode(JSON.stringify({ lineage, seq: backupSeq })))
  return removed
}

/** The segments a backup holding every change up to `coveredUpTo` makes unnecessary go. */
export async function pruneArchive(dataDir: string, lineage: string, coveredUpTo: number): Promise<number> {
  let removed = 0
  for (const s of listSegments(dataDir)) {
    // Only what this backup holds; segments of another lineage are never replayed onto it either.
    if (s.lineage !== lineage || s.last > coveredUpTo) continue
    await fs.promises.rm(s.file, { force: true })
    removed++
  }
  return removed
}

/**
 * A restore starts a new history: the old one's archive is moved into corrupt/ (kept for
 * inspection, never read again), so that its records are never replayed onto another database.
 */
export function moveArchiveAside(dataDir: string, now: number): string | null {
  const dir = archiveDirOf(dataDir)
  if (!fs.existsSync(dir)) return null
  const corrupt = path.join(dataDir, 'corrupt')
  makePrivateDir(corrupt)
  const target = path.join(corrupt, `${ARCHIVE_DIR}-${now}-${randomBytes(3).toString('hex')}`)
  fs.renameSync(dir, target)
  fsyncDir(dataDir)
  fsyncDir(corrupt)
  return target
}

/**
 * Everything recovery can replay onto a backup of `lineage`: the archive's segments of that
 * lineage and (when it is of that lineage) the journal, in sequence order, each change once.
 */
export function recoveryEntries(dataDir: string, lineage: string, journal: readonly JournalEntry[] | null): JournalEntry[] {
  const bySeq = new Map<number, JournalEntry>()
  for (const s of listSegments(dataDir)) {
    if (s.lineage !== lineage) continue
    for (const e of scanJournal(fs.readFileSync(s.file)).entries) if (!bySeq.has(e.seq)) bySeq.set(e.seq, e)
  }
  for (const e of journal ?? []) if (!bySeq.has(e.seq)) bySeq.set(e.seq, e)
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq)
}

export function lineageOf(db: Database): string {
  const v = db.exec("SELECT value FROM meta WHERE key = 'lineage'")[0]?.values[0]?.[0]
  return typeof v === 'string' && /^[0-9a-z]+$/.test(v) ? v : ORIGIN_LINEAGE
}

/** Give a database a new lineage (before its snapshot is written: that makes it durable). */
export function startNewLineage(db: Database): string {
  const lineage = randomBytes(6).toString('hex')
  db.run("INSERT OR REPLACE INTO meta (key, value) VALUES ('lineage', ?)", [lineage])
  return lineage
}

export function removeArchiveLeftovers(dataDir: string): void {
  const dir = archiveDirOf(dataDir)
  for (const name of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
    if (name.includes('.tmp-')) fs.rmSync(path.join(dir, name), { force: true })
  }
}
