import fs from 'node:fs'
import path from 'node:path'
import { createHash } from 'node:crypto'
import { crc32 } from 'node:zlib'
import type { Database, SqlJsStatic } from 'sql.js'
import type { JournalReplay } from '../../src-shared/domain'
import { AppError } from '../../src-shared/errors'
import { copyFileAtomic, fsyncDir, makePrivateDir, writeFileAtomic } from './files'
import { dbAccess, type DbAccess, type DbReader, type DbWriter } from './access'
import { Journal, type JournalEntry, type SqlParam, type Statement } from './journal'
import { copyWithSpare, readFileWithSpare, spareFor, TrackedFile } from './memfile'
import { migrate, MIGRATIONS, type Migration } from './migrate'
import { SnapshotWorker, type SnapshotPhase } from './snapshotter'
import {
  archiveRecords,
  installSegment,
  lineageOf,
  moveArchiveAside,
  ORIGIN_LINEAGE,
  pruneArchiveBehindNewestBackup,
  recoveryEntries,
  removeArchiveLeftovers,
  segmentPath,
  startNewLineage
} from './journalArchive'

export type { DbReader, DbWriter, Row } from './access'

export const SNAPSHOT_FILE = 'billing.sqlite'
export const JOURNAL_FILE = 'journal.log'
/** Size and CRC-32 of the snapshot as we last wrote (or fully checked) it. */
export const SNAPSHOT_CHECK_FILE = 'billing.sqlite.check'

/**
 * What the snapshot file must be, as the app last wrote it. Written just before each snapshot's
 * rename, carrying the check of the file it replaces (`previous`): a crash between the two leaves
 * that file in place, which still matches. Any other content was damaged or edited behind the app's
 * back (a flipped byte can leave a file SQLite still reads, with wrong figures in it).
 */
interface SnapshotCheck {
  size: number
  crc32: number
  /** The last journal change the file holds (to tell, when it is damaged, what is missing). */
  seq?: number
  /** The file's lineage (see journalArchive.ts): the journal and archive replay only onto its own. */
  lineage?: string
  previous?: { size: number; crc32: number; seq?: number; lineage?: string } | null
}

function snapshotCheckOf(bytes: Uint8Array, seq?: number): SnapshotCheck {
  return seq === undefined ? { size: bytes.length, crc32: crc32(bytes) } : { size: bytes.length, crc32: crc32(bytes), seq }
}

function sameFile(a: { size: number; crc32: number }, b: { size: number; crc32: number }): boolean {
  return a.size === b.size && a.crc32 === b.crc32
}

function readSnapshotCheck(file: string): SnapshotCheck | null {
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<SnapshotCheck>
    if (typeof parsed.size !== 'number' || typeof parsed.crc32 !== 'number') return null
    const prev = parsed.previous
    const optional = (c: Partial<SnapshotCheck>) => ({
      ...(typeof c.seq === 'number' ? { seq: c.seq } : {}),
      ...(typeof c.lineage === 'string' ? { lineage: c.lineage } : {})
    })
    const previous = prev && typeof prev.size === 'number' && typeof prev.crc32 === 'number' ? { size: prev.size, crc32: prev.crc32, ...optional(prev) } : null
    return { size: parsed.size, crc32: parsed.crc32, ...optional(parsed), previous }
  } catch {
    return null
  }
}

export interface StoreOptions {
  dataDir: string
  sql: SqlJsStatic
  now: () => number
  log: (line: string) => void
  /**
   * Take a snapshot once the journal costs this many bytes of statements to replay (default 8 MiB;
   * blobs count 1/BLOB_REPLAY_DISCOUNT of their size, see Journal.weight), or once it is
   * JOURNAL_CAP_FACTOR times as long.
   */
  snapshotAfterBytes?: number
  /**
   * While snapshots are held (DurableStore.holdSnapshots), take one only once the journal is this
   * long (default HELD_JOURNAL_CAP_BYTES).
   */
  heldJournalCapBytes?: number
  migrations?: readonly Migration[]
}

/** What a background snapshot did. */
export interface BackgroundSnapshot {
  /** The journal sequence number it holds. */
  seq: number
  size: number
  /** The backup file written with it, if one was asked for. */
  copy: string | null
  /** False when a snapshot written on the main thread meanwhile made it stale. */
  installed: boolean
  /** How many changed pages were written over the last snapshot (null: made on the main thread). */
  pages: number | null
  /** Time spent on the main thread: copying the changed pages, then installing the files. */
  mainThreadMs: number
  /** The lineage of the database it holds (see journalArchive.ts). */
  lineage: string
  /** When each step ran (wall clock, ms since the epoch), in the worker and here; for the benchmarks. */
  phases: SnapshotPhase[]
}

/** Why a database file could not be used; the app opens in recovery mode instead. */
export class CorruptDatabaseError extends AppError {
  constructor(
    message: string,
    readonly keptAt: string | null,
    /** The last change the damaged file held, when the check record says (see JournalReplay.missing). */
    readonly lastKnownSeq: number | null = null,
    /** The damaged file's lineage, when the check record says: the journal is of that lineage. */
    readonly lastKnownLineage: string | null = null
  ) {
    super('DB_CORRUPT', message)
  }
}

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1')

function headerProblem(bytes: Uint8Array, what: string): string | null {
  if (bytes.length >= 100 && Buffer.from(bytes.subarray(0, 16)).equals(SQLITE_HEADER)) return null
  return `${what} is not a SQLite database (its header is wrong or it is truncated, ${bytes.length} bytes).`
}

/**
 * Check bytes claimed to be a database: the header, that sql.js can read it, and SQLite's own
 * quick_check. Returns the open database or throws a message naming the problem.
 */
export function openVerified(
  sql: SqlJsStatic,
  bytes: Uint8Array,
  what: string,
  opts: { fullCheck: boolean } = { fullCheck: true },
  openDatabase: () => Database = () => new sql.Database(bytes)
): Database {
  const header = headerProblem(bytes, what)
  if (header !== null) throw new Error(header)
  let db: Database | null = null
  try {
    db = openDatabase()
    if (opts.fullCheck) {
      const res = db.exec('PRAGMA quick_check')
      const verdict = res[0]?.values.map((v) => String(v[0])) ?? []
      if (verdict.length !== 1 || verdict[0] !== 'ok') throw new Error(`integrity check failed: ${verdict.slice(0, 3).join('; ')}`)
    } else {
      db.exec('SELECT count(*) FROM sqlite_master') // still proves SQLite can read it
    }
    return db
  } catch (err) {
    db?.close()
    const msg = (err as Error).message
    throw new Error(`${what} is damaged: ${msg.startsWith('integrity') ? msg : `SQLite cannot read it (${msg})`}.`)
  }
}

/**
 * The embedded database with durable commits.
 *
 * sql.js keeps the whole database in memory. Every committed transaction's write statements are
 * appended to a journal and fsync'ed before the transaction commits in memory and before the
 * caller is answered. When the journal grows, a snapshot (the whole database, written to a temp
 * file, fsync'ed, renamed) replaces it. The database stores the sequence number of the last
 * journal entry it contains, so start-up replays exactly the entries the snapshot lacks.
 * See docs/durability.md.
 */
export class DurableStore {
  private db: Database
  private journal: Journal
  private access: DbAccess
  /** Writes of the transaction in progress, for its journal entry (null: not journaled). */
  private recording: Statement[] | null = null
  private seq: number
  private inTransaction = false
  private snapshotScheduled = false
  /** How many holders asked background snapshots to wait (see holdSnapshots). */
  private snapshotHolds = 0
  /** Background snapshots and backups run one after the other: the tail of that queue. */
  private background: Promise<unknown> = Promise.resolve()
  private backgroundJobs = 0
  private worker: SnapshotWorker | null = null
  /** Bumped by every snapshot written on the main thread: a background one begun before is stale. */
  private generation = 0
  private closed = false
  private writeFailure: Error | null = null
  readonly snapshotPath: string
  readonly appliedMigrations: Migration[]
  readonly replayedEntries: number
  /** Set by openRestored: what the journal added to the restored backup. */
  replay: JournalReplay | null = null
  /** The check record of the snapshot file now in place (null: none, or not trusted). */
  private inPlace: SnapshotCheck | null
  /** The database's history (see journalArchive.ts): names its journal archive segments. */
  private lineage: string
  /**
   * The snapshot file before the one in place, kept by the last background snapshot at `sparePath`
   * to be written over by the next (instead of copying the whole file): valid while no snapshot
   * was written on the main thread since (`generation`); `pages`: those that differ between it
   * and the snapshot in place.
   */
  private spare: { generation: number; pages: Uint32Array } | null = null
  private readonly sparePath: string
  /**
   * Whether the snapshot file in place was written by a background snapshot of this process (a
   * page per write): only such a file is kept as the spare. One read at start-up or written on
   * the main thread in one go sits in the page cache in large folios (up to 2 MiB), and writing
   * scattered pages over it would write back nearly the whole file (see PAGE_BYTES in journal.ts).
   */
  private inPlaceByWorker = false

  private constructor(
    private readonly opts: StoreOptions,
    db: Database,
    private tracked: TrackedFile | null,
    journal: Journal,
    seq: number,
    applied: Migration[],
    replayed: number,
    inPlace: SnapshotCheck | null
  ) {
    this.inPlace = inPlace
    this.db = db
    this.lineage = tableExists(db, 'meta') ? lineageOf(db) : ORIGIN_LINEAGE
    this.access = this.accessFor(db)
    this.journal = journal
    this.seq = seq
    this.snapshotPath = path.join(opts.dataDir, SNAPSHOT_FILE)
    this.sparePath = `${this.snapshotPath}.tmp-bg-spare` // a leftover at start-up is removed
    this.appliedMigrations = applied
    this.replayedEntries = replayed
  }

  /**
   * Open the data folder's database: verify the snapshot, replay the journal, run pending
   * migrations. Throws CorruptDatabaseError (file kept aside) when the snapshot is damaged.
   */
  static open(opts: StoreOptions): DurableStore {
    const snapshotPath = path.join(opts.dataDir, SNAPSHOT_FILE)
    const journalPath = path.join(opts.dataDir, JOURNAL_FILE)
    let db: Database
    let inPlace: SnapshotCheck | null = null
    let tracked: TrackedFile | null = null
    removeLeftovers(opts.dataDir)
    removeArchiveLeftovers(opts.dataDir)
    if (fs.existsSync(snapshotPath)) {
      ;({ db, tracked, inPlace } = loadSnapshot(opts, snapshotPath))
    } else {
      db = new opts.sql.Database()
    }
    applyPragmas(db)

    let seq = tableExists(db, 'meta') ? seqOf(db) : 0
    const { journal, scan } = Journal.open(journalPath)
    if (scan.tornBytes > 0) opts.log(`journal: dropped a torn tail of ${scan.tornBytes} bytes (never acknowledged)`)
    const r = replayEntries(db, scan.entries, seq)
    if (r.gapAt !== null || r.failed !== null) {
      journal.close()
      db.close()
      if (r.failed !== null) throw new CorruptDatabaseError(`Journal entry ${r.failed.seq} cannot be replayed: ${r.failed.message}.`, null)
      throw new CorruptDatabaseError(
        `The journal skips from change ${r.seq} to ${r.gapAt}; it does not belong to this database file.`,
        keepCorruptCopy(opts.dataDir, journalPath, fs.readFileSync(journalPath))
      )
    }
    seq = r.seq
    if (r.replayed > 0) opts.log(`journal: replayed ${r.replayed} committed change(s) after the last snapshot`)

    let applied: Migration[]
    try {
      applied = migrate(db, new Date(opts.now()).toISOString(), opts.migrations ?? MIGRATIONS).applied
    } catch (err) {
      journal.close()
      db.close()
      throw err
    }
    const store = new DurableStore(opts, db, tracked, journal, seq, applied, r.replayed, inPlace)
    // A new schema or a replayed journal is folded into a fresh snapshot before anything else.
    if (applied.length > 0 || r.replayed > 0 || !fs.existsSync(snapshotPath)) store.snapshot()
    return store
  }

  /**
   * Recovery: open `bytes` (a backup, already verified) as the data folder's database and replay
   * onto it the journal changes made after it, so that a damaged snapshot loses nothing the
   * journal still holds. Replay stops where the journal does not continue the backup (a gap) or a
   * change does not apply; `replay` says what was done and what is missing. The caller keeps a copy
   * of the journal first: the new snapshot empties it.
   *
   * The changes come from the journal archive (every record since the newest backup, see
   * journalArchive.ts) and the journal, of the backup's lineage only: the journal is of the damaged
   * file's lineage (`damaged.lineage`, from its check record; unknown for folders from before
   * lineages). The restored database starts a new lineage and the archive is moved aside.
   */
  static openRestored(opts: StoreOptions, bytes: Uint8Array, damaged: { lastKnownSeq: number | null; lineage: string | null }): DurableStore {
    const { db, file: tracked } = TrackedFile.open(opts.sql, copyWithSpare(bytes, spareFor(bytes.length)))
    applyPragmas(db)
    let applied: Migration[]
    try {
      // Journal changes were written by this version (start-up migrates, then snapshots), so the
      // backup is brought to this schema before they are applied.
      applied = migrate(db, new Date(opts.now()).toISOString(), opts.migrations ?? MIGRATIONS).applied
    } catch (err) {
      db.close()
      throw err
    }
    const from = seqOf(db)
    const { journal, scan } = Journal.open(path.join(opts.dataDir, JOURNAL_FILE))
    const backupLineage = lineageOf(db)
    const entries = recoveryEntries(opts.dataDir, backupLineage, damaged.lineage === null || damaged.lineage === backupLineage ? scan.entries : null)
    const plan = planReplay(
      from,
      entries.map((e) => e.seq),
      damaged.lastKnownSeq
    )
    const r = replayEntries(
      db,
      entries.filter((e) => e.seq <= plan.upTo),
      from
    )
    const replay: JournalReplay =
      r.failed === null
        ? plan
        : {
            ...plan,
            replayed: r.replayed,
            upTo: r.seq,
            missing: { from: r.seq + 1, to: Math.max(plan.missing?.to ?? 0, plan.upTo) },
            stoppedBecause: `change ${r.failed.seq} could not be applied (${r.failed.message})`
          }
    opts.log(`restore: replayed ${replay.replayed} journal change(s) onto the backup (up to change ${replay.upTo})`)
    startNewLineage(db)
    const store = new DurableStore(opts, db, tracked, journal, r.seq, applied, r.replayed, null)
    store.replay = replay
    store.snapshot({ archive: false }) // the journal is of the old lineage (the caller kept a copy)
    // Only now: if the restore fails before, the damaged folder keeps its archive for another try.
    // A crash in between leaves segments of the old lineage, which are never replayed onto this one.
    moveArchiveAside(opts.dataDir, opts.now())
    return store
  }

  get lastSeq(): number {
    return this.seq
  }

  get journalBytes(): number {
    return this.journal.bytes
  }

  /** How long the last commit's journal flush took, in ms (for the benchmarks). */
  get lastFlushMs(): number {
    return this.journal.lastFlushMs
  }

  private accessFor(db: Database): DbAccess {
    return dbAccess(db, (sql, params) => this.recording?.push([sql, params]))
  }

  read<T>(fn: (r: DbReader) => T): T {
    this.assertOpen()
    return fn(this.access)
  }

  /**
   * Run `fn` as one transaction. When it returns, the change is committed and on disk; when it
   * throws, nothing changed (in memory or on disk).
   *
   * `checkForeignKeys: false` is for a caller whose every reference was just read from the
   * database in this single-threaded engine (the usage import's batches: four parent lookups per
   * record were 4 s of a 1M import). SQLite only switches the check outside a transaction; it is
   * on again before this returns or throws.
   *
   * `rollbackJournal: false` is for a large unit of work that changes thousands of pages (a usage
   * import's batch). SQLite then keeps no rollback journal (in memory, it copies every page before
   * its first change, in ~1 KiB allocations: about a quarter of a batch's CPU at M) and no page
   * leaves its cache before COMMIT (`cache_spill`), so the file is untouched until then. A
   * ROLLBACK makes SQLite discard its cache and read the file again, which is as it was; a page
   * written to the file before COMMIT all the same is put back from the copy TrackedFile made of
   * it (beginUndo). Only while the file is in our buffer; otherwise the usual journal is kept.
   */
  transaction<T>(fn: (w: DbWriter) => T, opts: { checkForeignKeys?: boolean; rollbackJournal?: boolean } = {}): T {
    this.assertOpen()
    if (this.writeFailure) throw new AppError('IO', `Changes are refused since a disk write failed: ${this.writeFailure.message}`)
    if (this.inTransaction) throw new Error('transactions do not nest')
    if (opts.checkForeignKeys === false) {
      this.db.run('PRAGMA foreign_keys = OFF')
      try {
        return this.transaction(fn, { rollbackJournal: opts.rollbackJournal ?? true })
      } finally {
        this.db.run('PRAGMA foreign_keys = ON')
      }
    }
    if (opts.rollbackJournal !== false || this.tracked?.live !== true) return this.commitOrRollBack(fn, null)
    // Had SQLite kept its journal all the same, it undoes the unit of work itself.
    const off = this.withoutRollbackJournal(true)
    try {
      return this.commitOrRollBack(fn, off ? this.tracked : null)
    } finally {
      this.withoutRollbackJournal(false)
    }
  }

  /** Switch SQLite's rollback journal and cache spilling off (true) or back on; whether it is off. */
  private withoutRollbackJournal(off: boolean): boolean {
    const mode = this.db.exec(`PRAGMA journal_mode = ${off ? 'OFF' : 'MEMORY'}`)[0]?.values[0]?.[0]
    this.db.run(`PRAGMA cache_spill = ${off ? 'OFF' : 'ON'}`)
    return mode === 'off'
  }

  private commitOrRollBack<T>(fn: (w: DbWriter) => T, undo: TrackedFile | null): T {
    const recorded: Statement[] = []
    const writesBefore = this.tracked?.writes ?? 0
    this.inTransaction = true
    this.recording = recorded
    undo?.beginUndo(this.db)
    this.db.run('BEGIN')
    try {
      const result = fn(this.access)
      if (recorded.length > 0) {
        const seq = this.seq + 1
        this.access.run("UPDATE meta SET value = ? WHERE key = 'journal_seq'", [String(seq)]) // recorded too
        try {
          this.journal.append({ seq, stmts: recorded })
        } catch (err) {
          if (this.journal.poisoned) this.writeFailure = err as Error
          throw new AppError('IO', `The change could not be written to disk (${(err as Error).message}); nothing was saved.`)
        }
        this.seq = seq
      }
      undo?.endUndo() // COMMIT's own page writes need no copy
      this.db.run('COMMIT')
      this.inTransaction = false
      this.recording = null
      // A commit that changed data writes pages to the file; if none reached our buffer, MEMFS
      // no longer uses it, and snapshots go back to exporting (see memfile.ts).
      if (recorded.length > 0 && this.tracked && this.tracked.writes === writesBefore) this.tracked.markLost()
      this.maybeScheduleSnapshot()
      return result
    } catch (err) {
      if (this.inTransaction) {
        this.db.run('ROLLBACK')
        undo?.rollBackUndo()
        this.inTransaction = false
      }
      this.recording = null
      throw err
    } finally {
      undo?.endUndo()
    }
  }

  /**
   * A large load (demo data, imports of millions of rows) that would make an absurd journal entry:
   * it commits in memory and then a full snapshot makes it durable before returning. If the
   * process dies before the snapshot's rename, the load is simply absent (it was never
   * acknowledged).
   */
  bulkTransaction<T>(fn: (w: DbWriter) => T): T {
    this.assertOpen()
    if (this.writeFailure) throw new AppError('IO', `Changes are refused since a disk write failed: ${this.writeFailure.message}`)
    if (this.inTransaction) throw new Error('transactions do not nest')
    this.inTransaction = true
    this.db.run('BEGIN')
    let result: T
    try {
      result = fn(this.access) // not recording: the snapshot below makes it durable
      this.db.run('COMMIT')
    } catch (err) {
      this.db.run('ROLLBACK')
      throw err
    } finally {
      this.inTransaction = false
    }
    // A bulk load grows the database in one go (a new data folder's buffer was sized for an empty
    // database): if it used up most of the spare room, the database moves to a buffer with room
    // for its size again now, while the caller waits anyway. Otherwise the next large import
    // outgrows it: MEMFS copies the whole file at every 1.125x and snapshots go back to the main
    // thread (both seen in a 1M usage import right after loading the M demo).
    const bytes = this.tracked?.current(this.db) ?? null
    if (bytes && this.tracked!.room(this.db) < spareFor(bytes.length) / 2) this.use(this.openTracked(bytes))
    this.snapshot()
    return result
  }

  /**
   * Background snapshots wait until the returned release is called (it may be called more than
   * once), unless the journal grows to StoreOptions.heldJournalCapBytes: for a long run of large
   * units of work, a usage import's batches. A snapshot taken during one cannot keep up with it
   * (at M each took 5-15 s while the import wrote 250,000-750,000 records, so the journal a crash
   * left was most of the import's anyway) and costs it about 2.5 s of its 20 (the other core's
   * copies, the page hand-out on this thread). Durability is unchanged: every unit of work is
   * still in the journal before it commits. What grows is start-up after a crash during the
   * import, which replays the import's batches so far (docs/durability.md, "When").
   */
  holdSnapshots(): () => void {
    this.snapshotHolds++
    let released = false
    return () => {
      if (released) return
      released = true
      this.snapshotHolds--
      if (this.snapshotHolds === 0 && !this.closed) this.maybeScheduleSnapshot()
    }
  }

  /** Whether the journal is due to be folded into a snapshot (see StoreOptions.snapshotAfterBytes). */
  private snapshotDue(): boolean {
    if (this.snapshotHolds > 0) return this.journal.bytes >= (this.opts.heldJournalCapBytes ?? HELD_JOURNAL_CAP_BYTES)
    const limit = this.opts.snapshotAfterBytes ?? 8 * 1024 * 1024
    return this.journal.weight >= limit || this.journal.bytes >= limit * JOURNAL_CAP_FACTOR
  }

  private maybeScheduleSnapshot(): void {
    if (this.snapshotScheduled || !this.snapshotDue()) return
    this.snapshotScheduled = true
    // Off the commit path and off the main thread: the reply to the caller goes out first, and
    // the snapshot is made by the worker while requests keep being served.
    setImmediate(() => {
      const done = () => {
        this.snapshotScheduled = false
      }
      if (this.closed || this.writeFailure || !this.snapshotDue()) return done()
      this.snapshotInBackground().then(done, (err: unknown) => {
        done()
        if (!this.closed) this.opts.log(`snapshot failed (journal kept, nothing lost): ${(err as Error).message}`)
      })
    })
  }

  /**
   * Take a snapshot without stalling the main thread, and optionally also write a complete copy
   * of the database (a backup) to the file `copyTo()` names when the copy is made.
   *
   * The main thread notes the last committed sequence number and where it ends in the journal;
   * the worker rebuilds that state from the last snapshot plus the journal (both already on
   * disk), writes the new snapshot to a temp file and fsyncs it. Back here, the temp file is
   * renamed over the snapshot and the journal is replaced by one holding only the records
   * committed meanwhile (a few milliseconds). A snapshot written on the main thread in between
   * (restore, bulk load, close) makes this one stale: it is then discarded, never installed.
   */
  snapshotInBackground(copyTo?: () => string): Promise<BackgroundSnapshot> {
    this.assertOpen()
    this.backgroundJobs++
    const run = this.background.then(() => this.runInBackground(copyTo))
    this.background = run.then(
      () => this.backgroundJobs--,
      () => this.backgroundJobs--
    )
    return run
  }

  /** True while a background snapshot or backup is queued or running. */
  get snapshotInProgress(): boolean {
    return this.backgroundJobs > 0
  }

  private async runInBackground(copyTo?: () => string): Promise<BackgroundSnapshot> {
    this.assertOpen()
    if (this.writeFailure) throw new AppError('IO', `Snapshots are stopped since a disk write failed: ${this.writeFailure.message}`)
    const copy = copyTo ? copyTo() : null
    let mainThreadMs = 0
    const onMain = <T>(fn: () => T): T => {
      const t = performance.now()
      try {
        return fn()
      } finally {
        mainThreadMs += performance.now() - t
      }
    }
    // The snapshot before the last, if kept, is written over instead of copying the whole file:
    // with the pages changed since it (those changed since the last snapshot, and the last's).
    const spare = this.spare !== null && this.spare.generation === this.generation ? this.spare : null
    this.spare = null // moved (and written over) by this snapshot; kept again when it is installed
    // The state as of now, between transactions: its changed pages are handed out below.
    const snapshot = onMain(() => this.tracked?.beginSnapshot(this.db, spare?.pages ?? null) ?? null)
    if (!snapshot) {
      // The database file is no longer in our buffer: the main thread must export it.
      this.opts.log('snapshot: made on the main thread (the database had outgrown its buffer)')
      onMain(() => {
        this.snapshot()
        if (copy !== null) copyFileAtomic(this.snapshotPath, copy)
      })
      return { seq: this.seq, size: fs.statSync(this.snapshotPath).size, copy, installed: true, pages: null, mainThreadMs, lineage: this.lineage, phases: [] }
    }
    const generation = this.generation
    const keepFrom = this.journal.bytes
    const weightBefore = this.journal.weight
    const seq = this.seq
    const lineage = this.lineage
    const tag = `bg-${process.pid}-${++backgroundTag}`
    const checkPath = path.join(this.opts.dataDir, SNAPSHOT_CHECK_FILE)
    const out = {
      file: `${this.snapshotPath}.tmp-${tag}`,
      checkFile: `${checkPath}.tmp-${tag}`,
      nextJournal: `${this.journal.path}.tmp-${tag}`,
      oldSnapshot: `${this.snapshotPath}.tmp-${tag}-old`
    }
    // The records before keepFrom are copied into the journal archive by the worker, and put in
    // place before the journal lets go of them.
    const archive = keepFrom === 0 ? null : { journal: this.journal.path, bytes: keepFrom, file: `${segmentPath(this.opts.dataDir, lineage, 0, 0)}.tmp-${tag}` }
    const stale = () => this.closed || generation !== this.generation
    const notInstalled = () => {
      for (const f of [...Object.values(out), ...(archive ? [archive.file] : [])]) fs.rmSync(f, { force: true })
      if (!this.tracked || stale()) return // a newer snapshot holds everything anyway
      this.tracked.endSnapshot()
      // The snapshot on disk still lacks these pages.
      this.tracked.restoreChanges(snapshot.pages)
    }
    this.worker ??= new SnapshotWorker()
    const job = this.worker.begin({
      basePath: this.snapshotPath,
      pageSize: snapshot.pageSize,
      size: snapshot.size,
      out,
      spare: spare === null ? null : this.sparePath,
      copies: copy === null ? [] : [copy],
      check: { seq, lineage, previous: this.inPlace },
      archive
    })
    let done
    try {
      // A few pages per event-loop turn, so that requests are served in between: 256 pages
      // (1 MiB) take well under a millisecond to copy.
      for (;;) {
        const chunk = onMain(() => (stale() ? null : this.tracked!.nextChunk(snapshot, PAGES_PER_TURN)))
        if (!chunk) break
        job.send(chunk)
        await new Promise<void>((resolve) => setImmediate(resolve))
      }
      if (stale()) {
        job.abandon()
        notInstalled()
        return { seq, size: snapshot.size, copy: null, installed: false, pages: null, mainThreadMs, lineage, phases: [] }
      }
      done = await job.end()
      // Off the main thread (libuv's pool): the archive segment is durable before the journal
      // lets go of its records below.
      const from = wallNow()
      if (archive && done.archived && !stale()) await installSegment(archive.file, segmentPath(this.opts.dataDir, lineage, done.archived.first, done.archived.last))
      done.phases.push({ name: 'archive install', from, to: wallNow() })
    } catch (err) {
      notInstalled()
      throw err
    }
    // The records committed meanwhile, copied into the next journal off the main thread; the few
    // committed while that ran are copied on it below. If this fails, the copy below does it all.
    let copiedAhead = 0
    if (!stale()) {
      const from = wallNow()
      copiedAhead = await this.journal.copyTailAhead(keepFrom, out.nextJournal).catch(() => 0)
      done.phases.push({ name: 'journal tail', from, to: wallNow() })
    }
    if (stale()) {
      notInstalled()
      return { seq, size: done.size, copy, installed: false, pages: done.pages, mainThreadMs, lineage, phases: done.phases }
    }
    const t1 = performance.now()
    const installFrom = wallNow()
    try {
      // The check record goes first, naming the file it replaces: a crash between the two renames
      // leaves that file, which still matches (see SnapshotCheck).
      fs.renameSync(out.checkFile, checkPath)
      fs.renameSync(out.file, this.snapshotPath)
      fsyncDir(this.opts.dataDir)
    } catch (err) {
      notInstalled()
      throw err
    }
    this.inPlace = { size: done.size, crc32: done.crc32, seq, lineage }
    // The snapshot holds everything before keepFrom; if we crash before this, start-up skips the
    // journal entries it already holds.
    try {
      this.journal.replaceKeepingFrom(keepFrom, out.nextJournal, fsyncDir, seq + 1, weightBefore, copiedAhead)
    } catch (err) {
      fs.rmSync(out.nextJournal, { force: true })
      if (this.journal.poisoned) this.writeFailure = err as Error
      throw err
    }
    const phases = [...done.phases, { name: 'install', from: installFrom, to: wallNow() }]
    // The old snapshot (the worker gave it a second name, so that the rename above did not free
    // its blocks: tens of milliseconds at M) is kept as the spare the next snapshot writes over,
    // its pages changed since being those this one took as changed. On libuv's pool.
    const keep = this.inPlaceByWorker
    this.inPlaceByWorker = true
    try {
      if (!keep) throw new Error('not written a page at a time')
      await fs.promises.rename(out.oldSnapshot, this.sparePath)
      if (!stale()) this.spare = { generation, pages: snapshot.changed }
    } catch {
      void fs.promises.rm(out.oldSnapshot, { force: true })
    }
    return { seq, size: done.size, copy, installed: true, pages: done.pages, mainThreadMs: mainThreadMs + (performance.now() - t1), lineage, phases }
  }

  /**
   * After a backup holding every change up to `seq` (of `lineage`) was written where recovery
   * finds it: the journal archive's segments the backup before it holds are no longer needed.
   */
  async pruneArchive(backup: Pick<BackgroundSnapshot, 'seq' | 'lineage'>): Promise<void> {
    const removed = await pruneArchiveBehindNewestBackup(this.opts.dataDir, backup.lineage, backup.seq)
    if (removed > 0) this.opts.log(`journal archive: removed ${removed} segment(s) the two newest backups hold`)
  }

  /** The whole database as bytes (consistent: no transaction is ever open between calls). */
  exportBytes(): Uint8Array {
    this.assertOpen()
    // export() frees every prepared statement and reopens the connection.
    this.access.free()
    const bytes = this.db.export()
    applyPragmas(this.db)
    return bytes
  }

  /**
   * Write the whole database atomically on the main thread, then start the journal afresh.
   * Blocks for an export of the whole database: used where the caller waits anyway (close, bulk
   * loads, restore, start-up); requests in normal use get snapshotInBackground().
   * The journal's records go to the journal archive first (`archive: false`: after a restore,
   * whose journal is of the old lineage).
   */
  snapshot(opts: { archive?: boolean } = {}): void {
    this.generation++ // a background snapshot begun before this one must not be installed after it
    this.spare = null // and the spare no longer differs from the new snapshot in known pages only
    this.inPlaceByWorker = false
    fs.rmSync(this.sparePath, { force: true })
    // The live file in our buffer needs no export; without one, export and move the database
    // into an owned buffer, so that the next snapshots can be made in the background again.
    let bytes = this.tracked?.current(this.db) ?? null
    if (!bytes) {
      bytes = this.exportBytes()
      this.use(this.openTracked(bytes))
    }
    const check = { ...snapshotCheckOf(bytes, this.seq), lineage: this.lineage }
    // The check record goes first, naming the file it replaces: a crash before the rename leaves
    // that file, which still matches (see SnapshotCheck).
    writeFileAtomic(path.join(this.opts.dataDir, SNAPSHOT_CHECK_FILE), Buffer.from(JSON.stringify({ ...check, previous: this.inPlace })))
    writeFileAtomic(this.snapshotPath, bytes)
    this.inPlace = check
    const { firstSeq, lastSeq } = this.journal
    if ((opts.archive ?? true) && firstSeq !== null && lastSeq !== null) {
      // Until a backup holds them, a damaged snapshot can only be rebuilt with these records.
      archiveRecords(this.opts.dataDir, this.lineage, this.journal.records(), firstSeq, lastSeq)
    }
    // If we crash before this reset, start-up skips the entries the snapshot already holds.
    this.journal.reset()
    this.tracked?.clearChanges()
    this.tracked?.endSnapshot()
  }

  /** A database over a copy of `bytes` in an owned, tracked buffer. */
  private openTracked(bytes: Uint8Array): { db: Database; file: TrackedFile } {
    const opened = TrackedFile.open(this.opts.sql, copyWithSpare(bytes, spareFor(bytes.length)))
    applyPragmas(opened.db)
    return opened
  }

  /** Switch to another database (between transactions). */
  private use(opened: { db: Database; file: TrackedFile }): void {
    this.access.free()
    this.db.close()
    this.tracked?.close()
    this.db = opened.db
    this.tracked = opened.file
    this.access = this.accessFor(opened.db)
  }

  /**
   * Replace the whole database with `bytes` (already verified by the caller): written as the new
   * snapshot, journal emptied, migrations applied. It starts a new lineage: the journal archive of
   * the old one is moved aside (its records must never be replayed onto the new history).
   */
  replaceWith(bytes: Uint8Array): Migration[] {
    this.assertOpen()
    const next = this.openTracked(bytes)
    let applied: Migration[]
    try {
      applied = migrate(next.db, new Date(this.opts.now()).toISOString(), this.opts.migrations ?? MIGRATIONS).applied
    } catch (err) {
      next.db.close() // the current database stays as it was
      throw err
    }
    this.lineage = startNewLineage(next.db)
    this.use(next)
    this.seq = seqOf(this.db)
    this.snapshot({ archive: false }) // the caller saved the old database as a backup
    moveArchiveAside(this.opts.dataDir, this.opts.now()) // after: see openRestored
    return applied
  }

  close(opts: { snapshot?: boolean } = {}): void {
    if (this.closed) return
    if ((opts.snapshot ?? true) && this.journal.bytes > 0 && !this.writeFailure) {
      try {
        this.snapshot()
      } catch (err) {
        this.opts.log(`snapshot on close failed (journal kept, nothing lost): ${(err as Error).message}`)
      }
    }
    this.closed = true
    this.worker?.close()
    fs.rmSync(this.sparePath, { force: true }) // only a background snapshot of this process could use it
    this.access.free()
    this.journal.close()
    this.db.close()
    this.tracked?.close()
    this.tracked = null // a closed store kept by its caller does not keep the database's buffer
  }

  private assertOpen(): void {
    if (this.closed) throw new AppError('INTERNAL', 'The database is closed.')
  }
}

let backgroundTag = 0
/** The journal may grow to this many times StoreOptions.snapshotAfterBytes (blobs weighing little) before a snapshot. */
export const JOURNAL_CAP_FACTOR = 8
/** While snapshots are held, the journal may grow this long (a 1M-record usage import at M journals ~160 MB). */
export const HELD_JOURNAL_CAP_BYTES = 256 * 1024 * 1024
/** Wall-clock time (ms since the epoch, sub-millisecond): comparable with the worker's. */
const wallNow = () => performance.timeOrigin + performance.now()
/** Changed pages copied out per event-loop turn during a background snapshot (1 MiB at 4 KiB). */
const PAGES_PER_TURN = 256

/** Temp files of snapshots that a crash (or a discarded background snapshot) left behind. */
function removeLeftovers(dataDir: string): void {
  for (const name of fs.existsSync(dataDir) ? fs.readdirSync(dataDir) : []) {
    if (/^(billing\.sqlite|billing\.sqlite\.check|journal\.log)\.tmp-bg-/.test(name)) fs.rmSync(path.join(dataDir, name), { force: true })
  }
}

function applyPragmas(db: Database): void {
  db.run('PRAGMA foreign_keys = ON')
  // The rollback journal in SQLite's own memory, not a file in sql.js's MEMFS: MEMFS grows a file
  // by 1.125x, copying it whole each time, so a unit of work that changes 60 MB of pages (a
  // 5,000-record usage batch at M) copied its journal over and over (48 of 72 s of a 1M import).
  // Durability is ours anyway (journal.log + snapshot): the MEMFS file dies with the process.
  db.run('PRAGMA journal_mode = MEMORY')
}

function seqOf(db: Database): number {
  return Number(db.exec("SELECT value FROM meta WHERE key = 'journal_seq'")[0]?.values[0]?.[0] ?? 0)
}

/**
 * Read and check the snapshot file. With a check record, the file must be the one recorded (or the
 * one it replaced): anything else was damaged or edited and goes to recovery, since a changed byte
 * can leave a file SQLite reads without complaint. Without one (a folder from before check records),
 * SQLite's full check decides and the record is written.
 */
function loadSnapshot(opts: StoreOptions, snapshotPath: string): { db: Database; tracked: TrackedFile | null; inPlace: SnapshotCheck } {
  const checkPath = path.join(opts.dataDir, SNAPSHOT_CHECK_FILE)
  // sql.js adopts this buffer instead of copying it, the database grows into its spare room, and
  // the pages SQLite writes are noted for the next snapshot (see memfile.ts).
  const owned = readFileWithSpare(snapshotPath, spareFor(fs.statSync(snapshotPath).size))
  const bytes = owned.bytes
  const expected = readSnapshotCheck(checkPath)
  const actual = snapshotCheckOf(bytes)
  const recorded = expected === null ? null : sameFile(expected, actual) ? expected : expected.previous && sameFile(expected.previous, actual) ? expected.previous : null
  let tracked: TrackedFile | null = null
  try {
    if (expected !== null && recorded === null) {
      throw new Error(
        headerProblem(bytes, 'The database file') ??
          'The database file is not the one the desk last wrote (its size or checksum differ): it was damaged, or changed by another program.'
      )
    }
    const db = openVerified(opts.sql, bytes, 'The database file', { fullCheck: recorded === null }, () => {
      const opened = TrackedFile.open(opts.sql, owned)
      tracked = opened.file
      return opened.db
    })
    if (recorded !== null) return { db, tracked, inPlace: recorded }
    const inPlace = snapshotCheckOf(bytes, tableExists(db, 'meta') ? seqOf(db) : 0)
    writeFileAtomic(checkPath, Buffer.from(JSON.stringify(inPlace)))
    return { db, tracked, inPlace }
  } catch (err) {
    const keptAt = keepCorruptCopy(opts.dataDir, snapshotPath, bytes)
    throw new CorruptDatabaseError((err as Error).message, keptAt, expected?.seq ?? null, expected?.lineage ?? null)
  }
}

/**
 * What replaying the journal onto a database that holds changes up to `restoredUpTo` will do: the
 * changes that continue it without a gap are applied; everything known to have been made after
 * the last one applied (from the journal, or the damaged file's check record) is missing.
 */
export function planReplay(restoredUpTo: number, journalSeqs: readonly number[], lastKnownSeq: number | null): JournalReplay {
  let upTo = restoredUpTo
  for (const seq of journalSeqs) {
    if (seq <= upTo) continue
    if (seq !== upTo + 1) break
    upTo = seq
  }
  const knownLast = Math.max(journalSeqs.at(-1) ?? 0, lastKnownSeq ?? 0)
  return { restoredUpTo, replayed: upTo - restoredUpTo, upTo, missing: knownLast > upTo ? { from: upTo + 1, to: knownLast } : null, stoppedBecause: null }
}

/** Apply the entries after `seq`, each in its own transaction, until a gap or one that fails. */
function replayEntries(
  db: Database,
  entries: readonly JournalEntry[],
  seq: number
): { seq: number; replayed: number; gapAt: number | null; failed: { seq: number; message: string } | null } {
  let replayed = 0
  for (const entry of entries) {
    if (entry.seq <= seq) continue // already in the database
    if (entry.seq !== seq + 1) return { seq, replayed, gapAt: entry.seq, failed: null }
    db.run('BEGIN')
    try {
      for (const [sql, params] of entry.stmts) db.run(sql, params as SqlParam[])
      db.run('COMMIT')
    } catch (err) {
      db.run('ROLLBACK')
      return { seq, replayed, gapAt: null, failed: { seq: entry.seq, message: (err as Error).message } }
    }
    seq = entry.seq
    replayed++
  }
  return { seq, replayed, gapAt: null, failed: null }
}

function tableExists(db: Database, name: string): boolean {
  return (db.exec('SELECT 1 FROM sqlite_master WHERE type = ? AND name = ?', ['table', name])[0]?.values.length ?? 0) > 0
}

/** Copy a damaged file into corrupt/ (once per distinct content) and return where it is. */
function keepCorruptCopy(dataDir: string, file: string, bytes: Uint8Array): string {
  const dir = path.join(dataDir, 'corrupt')
  makePrivateDir(dir)
  const tag = createHash('sha256').update(bytes).digest('hex').slice(0, 12)
  const target = path.join(dir, `${path.basename(file)}.${tag}`)
  if (!fs.existsSync(target)) writeFileAtomic(target, bytes)
  return target
}
