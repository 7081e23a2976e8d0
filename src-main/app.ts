import fs from 'node:fs'
import { JobRegistry } from './jobs/registry'
import { UsageImportFolder } from './usage/importFolder'
import os from 'node:os'
import path from 'node:path'
import type { SqlJsStatic } from 'sql.js'
import type { AppPhase, AppStatus, BackupInfo, JournalReplay, Operator, RecoveryInfo, RestoreCandidate, RestoreOutcome } from '../src-shared/domain'
import type { InputOf } from '../src-shared/contract'
import { AppError } from '../src-shared/errors'
import { formatSize } from '../src-shared/format'
import { BACKUP_DIR, Backups, DAILY_BACKUPS_KEPT, manualBackupTarget, type RestorableFile } from './db/backups'
import { DataDirLock, LOCK_FILE } from './db/lock'
import { loadSqlJs } from './db/sqljs'
import { scanJournal } from './db/journal'
import { ARCHIVE_DIR, recoveryEntries } from './db/journalArchive'
import { CorruptDatabaseError, DurableStore, JOURNAL_FILE, planReplay, SNAPSHOT_FILE } from './db/store'
import { fileProblem, makePrivateDir, securePrivateTree, writeFileAtomic } from './db/files'
import { countCustomers } from './engine/customers'
import { CustomerIndex } from './engine/customerIndex'
import { TestGateway, type PaymentGateway } from './engine/gateway'
import { reconcileCardPayments } from './engine/payments'
import { actorOf, DEFAULT_KDF, FIRST_ADMIN_ID, firstAdminLogin, getOperator, needsAdminPassword, SYSTEM_ACTOR, type KdfParams } from './engine/operators'
import { Sessions } from './ipc/sessions'
import type { Actor } from './engine/audit'
import { runDueTransitions } from './engine/lifecycleScheduler'
import { closeDuePeriods } from './engine/invoicing'
import { runInvoiceTransitions } from './engine/lifecycleScheduler'
import { type BatchControl, listNotifications, runDueBatches } from './engine/reissue'
import { InvoicePdfBatch } from './engine/invoiceDocuments'
import { PdfWorkerPool } from './pdf/pdfPool'
import type { DeskNotification } from '../src-shared/domain'
import { ensureDefaultServices } from './engine/services'
import { DEFAULT_AUTHORIZATION_DAYS, getSettings } from './engine/settings'
import { DATABASE_REPLACED, Engine, type ChangeReport } from './engine/unitOfWork'
import { createDispatcher, type CallerContext, type Dispatcher, type Who } from './ipc/dispatch'
import { handlers, type HandlerContext, type HandlerServices } from './ipc/handlers'

export const APP_VERSION = '0.1.0'

/** Stands in as `operator` for a caller nobody is logged in as (channels open before login only). */
const SYSTEM_OPERATOR: Operator = { id: SYSTEM_ACTOR.operatorId, login: 'system', name: SYSTEM_ACTOR.operatorName, role: 'auditor' }

export interface BillingAppOptions {
  dataDir: string
  /** Milliseconds since epoch; tests pass a controllable clock. */
  now?: () => number
  log?: (line: string) => void
  /** Journal size that triggers a background snapshot (tests make it small). */
  snapshotAfterBytes?: number
  /** Delay before the daily backup check after start-up (ms); default 5 s, off the start-up path. */
  dailyBackupDelayMs?: number
  /**
   * false: open the books for one job and close them (the command line): no schedulers, no
   * start-up catch-up (life cycle, card reconciliation, import folder), which stay the app's work.
   */
  background?: boolean
  /**
   * The desktop notification (Electron's, set by src-main/electron/main.ts; browser mode and tests
   * pass their own or none): told once of each new entry on the notifications list (a batch
   * re-issue ended), with its text and the link to what it is about.
   */
  notifyDesktop?: NotifyDesktop
  /** The password KDF's cost for new passwords (tests make it cheap; hashes carry their own). */
  kdf?: KdfParams
  /**
   * The clock the idle lock measures a session's time without input by; default `now`. Tests that
   * move the books' clock by days pass the wall clock, so a jump in billing time is not idleness.
   */
  idleClock?: () => number
}

/** Show a desktop notification; `link` is the desk's route to open when it is clicked. */
export type NotifyDesktop = (n: Pick<DeskNotification, 'title' | 'body' | 'link'>) => void

export interface BillingApp extends Dispatcher {
  readonly dataDir: string
  close(): Promise<void>
}

/**
 * The running billing application over one data folder: it owns the lock, the database, the
 * engine and the recovery state. Transports (Electron IPC, loopback host) only call `dispatch`.
 */
export class AppCore {
  store: DurableStore | null
  /** Why the database could not be opened; `lastKnownSeq`, `lineage`: the last change the damaged file
   * held and its lineage, if known. */
  recovery: (Pick<RecoveryInfo, 'reason' | 'corruptFileKeptAt'> & { lastKnownSeq: number | null; lineage: string | null }) | null
  /** Backups checked while in recovery, by file name: the last change each holds and its lineage, or
   * false if unusable (a full check at M takes a second each). */
  private checkedBackups = new Map<string, Pick<RestorableFile, 'lastChange' | 'lineage'> | false>()
  /** In recovery, by lineage: the sequence numbers of the changes the journal archive and journal
   * hold for a backup of it (they do not change until a restore). */
  private recoverySeqs = new Map<string, number[]>()
  readonly backups: Backups
  /** The card processor: the built-in test gateway until a real one is configured. */
  readonly gateway: PaymentGateway
  /** The customer list in memory (search at 50k customers); rebuilt after a restore. */
  readonly customerIndex = new CustomerIndex()
  /** Long work (usage imports, re-ratings) in bounded units of work, with progress and Cancel. */
  readonly jobs: JobRegistry
  /** The usage import folder set in Settings, looked at by the schedulers. */
  readonly usageFolder: UsageImportFolder
  private timers: NodeJS.Timeout[] = []
  /** Told of each new entry on the notifications list (the desktop shows it). */
  notifyDesktop: NotifyDesktop | undefined
  /** The newest entry of the notifications list already told to notifyDesktop (older ones never are). */
  private notifiedUpTo = 0
  /** Who is logged in where (docs/operators.md); held in this process only. */
  sessions: Sessions
  /** The cost of new password hashes. */
  kdf: KdfParams = DEFAULT_KDF

  constructor(
    readonly dataDir: string,
    readonly sql: SqlJsStatic,
    readonly now: () => number,
    readonly log: (line: string) => void,
    private readonly lock: DataDirLock,
    private readonly storeOptions: { snapshotAfterBytes?: number }
  ) {
    this.jobs = new JobRegistry(now)
    this.sessions = new Sessions(now)
    this.usageFolder = new UsageImportFolder({
      engine: () => this.engine,
      folder: () =>
        this.store?.read((r) => r.get<{ usage_import_folder: string | null }>('SELECT usage_import_folder FROM settings WHERE id = 1'))?.usage_import_folder ?? null,
      jobs: this.jobs,
      // Nobody is at the keyboard: the System acts (as for the life cycle).
      actor: SYSTEM_ACTOR,
      now,
      log
    })
    this.backups = new Backups(dataDir, sql, now)
    this.gateway = TestGateway.inDataDir(dataDir, now, () => this.store?.read(getSettings)?.cardAuthorizationDays ?? DEFAULT_AUTHORIZATION_DAYS)
    this.store = null
    this.recovery = null
  }

  openStore(): void {
    try {
      this.store = DurableStore.open({ dataDir: this.dataDir, sql: this.sql, now: this.now, log: this.log, ...this.storeOptions })
      this.recovery = null
      for (const m of this.store.appliedMigrations) this.log(`database: applied migration ${m.version} ${m.name}`)
    } catch (err) {
      if (!(err instanceof CorruptDatabaseError)) throw err
      this.log(`database: ${err.message}`)
      this.store = null
      this.recovery = { reason: err.message, corruptFileKeptAt: err.keptAt, lastKnownSeq: err.lastKnownSeq, lineage: err.lastKnownLineage }
    }
  }

  async reconcileCardPayments(): Promise<void> {
    try {
      if (!this.store || this.phase() !== 'ready') return
      const r = await reconcileCardPayments({ engine: this.engine, gateway: this.gateway, actor: SYSTEM_ACTOR })
      if (r.settled > 0 || r.stillPending > 0) this.log(`card payments: ${r.settled} reconciled, ${r.stillPending} still pending`)
    } catch (err) {
      this.log(`card payments: reconciliation failed: ${(err as Error).message}`)
    }
  }

  /**
   * A data folder set up before the Services page existed (or restored from such a backup) may
   * have no real service, so no manual charge or credit could be made: it gets the default set.
   */
  ensureServices(): void {
    try {
      if (!this.store || this.phase() !== 'ready') return
      const made = this.engine.change(SYSTEM_ACTOR, (w) => ensureDefaultServices(w, 'Default set: this data folder had no service for manual charges and credits.'))
      if (made > 0) this.log(`services: created the ${made} default services`)
    } catch (err) {
      // Not fatal: everything else works, and the Services page can add them by hand.
      this.log(`services: could not create the default services: ${(err as Error).message}`)
    }
  }

  warmCustomerIndex(): void {
    try {
      if (this.store && this.phase() === 'ready') this.store.read((r) => this.customerIndex.refresh(r))
    } catch (err) {
      this.log(`customer index: ${(err as Error).message}`)
    }
  }

  nowIso(): string {
    return new Date(this.now()).toISOString()
  }

  get engine(): Engine {
    if (!this.store) throw new AppError('DB_CORRUPT', 'The database needs to be restored from a backup first.')
    return new Engine(this.store, this.now, (change) => this.changed(change))
  }

  /** Every committed change (and a restore) reaches the read models kept in memory. */
  private changed(change: ChangeReport): void {
    this.customerIndex.applyChange(change)
    if ((change.tables.has('notifications') || change.replacedDatabase) && this.notifyDesktop && this.store) {
      // New entries only, oldest first (marking one read writes the table too); after a restore,
      // what the restored books hold is not news.
      const fresh = this.store
        .read((r) => listNotifications(r, 20))
        .filter((n) => n.id > this.notifiedUpTo)
        .reverse()
      this.notifiedUpTo = Math.max(this.notifiedUpTo, ...fresh.map((n) => n.id))
      if (!change.replacedDatabase) for (const n of fresh) this.notifyDesktop({ title: n.title, body: n.body, link: n.link })
    }
  }

  /** What the handlers use of the app: each gets only these, never the app itself. */
  handlerServices(): HandlerServices {
    return {
      engine: () => this.engine,
      jobs: this.jobs,
      customerIndex: this.customerIndex,
      gateway: this.gateway,
      nowIso: () => this.nowIso(),
      status: (operator, locked) => this.status(operator, locked),
      sessions: this.sessions,
      kdf: () => this.kdf,
      reissuePdfs: (engine, actor) => this.reissuePdfs(engine, actor),
      backups: {
        list: () => this.backups.list(),
        create: (to, operator) => this.backupNow('manual', to, actorOf(operator)),
        check: (source) => this.checkRestoreSource(source),
        restore: (source, operator) => this.restoreFrom(source, operator)
      }
    }
  }

  phase(): AppPhase {
    if (!this.store) return 'recovery'
    return this.store.read((r) => getSettings(r)) ? 'ready' : 'setup'
  }

  /**
   * Who is calling: the operator of the caller's session (locked first if idle too long), or for
   * tests the operator they name (the first administrator unless told). Nobody while the database
   * awaits a restore, or when the session is unknown or its operator was disabled.
   */
  who(caller: CallerContext, touch: boolean): Who {
    const nobody: Who = { operator: null, sessionId: null, locked: false }
    const store = this.store
    if (!store) return nobody
    if (caller.sessionId) {
      const idle = store.read(getSettings)?.idleLockMinutes ?? 0
      const session = this.sessions.get(caller.sessionId, idle, touch)
      if (!session) return nobody
      try {
        return { operator: store.read((r) => getOperator(r, session.operatorId)), sessionId: session.id, locked: session.locked }
      } catch {
        this.sessions.end(session.id)
        return nobody
      }
    }
    if (caller.transport !== 'test' || caller.operatorId === null) return nobody
    const id = caller.operatorId ?? FIRST_ADMIN_ID
    try {
      return { operator: store.read((r) => getOperator(r, id)), sessionId: null, locked: false }
    } catch {
      return nobody
    }
  }

  status(operator: Operator | null, locked = false): AppStatus {
    const phase = this.phase()
    const store = this.store
    const askAdminPassword = phase === 'ready' && store !== null && store.read(needsAdminPassword)
    return {
      phase,
      version: APP_VERSION,
      dataDir: this.dataDir,
      operator,
      locked: operator !== null && locked,
      needsAdminPassword: askAdminPassword,
      adminLogin: askAdminPassword && store ? store.read(firstAdminLogin) : null,
      settings: store ? store.read(getSettings) : null,
      recovery: this.recovery ? { reason: this.recovery.reason, corruptFileKeptAt: this.recovery.corruptFileKeptAt, ...this.restorableBackups() } : null,
      // Cheap on purpose: app.status is the first call of every page load (no usage-table scan).
      counts: { customers: store ? store.read(countCustomers) : 0 }
    }
  }

  /** Newest first: check backups until the first good one, which is the one to offer. */
  private restorableBackups(): Pick<RecoveryInfo, 'backups' | 'recommendedBackup' | 'unusableBackups' | 'recommendedReplay'> {
    const backups = this.backups.list()
    let recommendedBackup: string | null = null
    let recommendedReplay: JournalReplay | null = null
    for (const b of backups) {
      let checked = this.checkedBackups.get(b.fileName)
      if (checked === undefined) {
        try {
          const { lastChange, lineage } = this.backups.readRestorable(this.backups.pathOf(b.fileName))
          checked = { lastChange, lineage }
        } catch {
          checked = false
        }
        this.checkedBackups.set(b.fileName, checked)
      }
      if (checked !== false) {
        recommendedBackup = b.fileName
        recommendedReplay = this.previewReplay(checked)
        break
      }
    }
    const unusableBackups = backups.filter((b) => this.checkedBackups.get(b.fileName) === false).map((b) => b.fileName)
    return { backups, recommendedBackup, unusableBackups, recommendedReplay }
  }

  /**
   * In recovery: what restoring a file holding changes up to `lastChange` would take from the
   * journal archive and the journal (those of its own lineage; see DurableStore.openRestored).
   */
  private previewReplay(file: Pick<RestorableFile, 'lastChange' | 'lineage'>): JournalReplay | null {
    if (this.store || !this.recovery) return null
    let seqs = this.recoverySeqs.get(file.lineage)
    if (seqs === undefined) {
      const journalFile = path.join(this.dataDir, JOURNAL_FILE)
      const journalOfThisLineage = this.recovery.lineage === null || this.recovery.lineage === file.lineage
      const journal = journalOfThisLineage && fs.existsSync(journalFile) ? scanJournal(fs.readFileSync(journalFile)).entries : null
      seqs = recoveryEntries(this.dataDir, file.lineage, journal).map((e) => e.seq)
      this.recoverySeqs.set(file.lineage, seqs)
    }
    return planReplay(file.lastChange, seqs, this.recovery.lastKnownSeq)
  }

  /**
   * A complete copy of the database, written by the snapshot worker (a snapshot is taken at the
   * same time) while requests keep being served. `to`: a file the administrator chose, checked
   * first (never inside the data folder, never over a file unless `overwrite`). A manual or daily
   * backup is then written to the audit log by `actor` ("Backup created: <file>."); the copy
   * taken before a restore is named by the restore's own entry.
   */
  async backupNow(kind: BackupInfo['kind'], to?: { path: string; overwrite: boolean }, actor: Actor = SYSTEM_ACTOR): Promise<BackupInfo> {
    const info = await this.copyNow(kind, to)
    if (kind !== 'before-restore') {
      const what =
        kind === 'daily' ? `Daily backup created: ${info.fileName} (the newest ${DAILY_BACKUPS_KEPT} daily backups are kept).` : `Backup created: ${info.fileName}.`
      this.engine.change(actor, (w) => w.audit({ kind: 'backup.create', description: `${what} Size ${formatSize(info.sizeBytes)}.` }))
    }
    return info
  }

  private async copyNow(kind: BackupInfo['kind'], to?: { path: string; overwrite: boolean }): Promise<BackupInfo> {
    if (!this.store) throw new AppError('DB_CORRUPT', 'There is no healthy database to back up.')
    const store = this.store
    if (to === undefined) {
      try {
        // The file name is chosen when the copy is made (after any backup queued before it).
        const done = await store.snapshotInBackground(() => this.backups.pathFor(kind))
        if (kind !== 'before-restore') await store.pruneArchive(done)
        return this.backups.infoOf(done.copy!, kind)
      } catch (err) {
        throw err instanceof AppError ? err : fileProblem(err, this.backups.dir, 'write')
      }
    }
    const target = manualBackupTarget(this.dataDir, to.path, to.overwrite)
    try {
      const done = await store.snapshotInBackground(() => target)
      // Recovery offers the backups in the backups folder: only one there covers the archive.
      if (fs.existsSync(this.backups.dir) && path.dirname(target) === fs.realpathSync.native(this.backups.dir)) await store.pruneArchive(done)
      const size = done.size
      return { fileName: target, createdAt: new Date(this.now()).toISOString(), sizeBytes: size, kind }
    } catch (err) {
      throw err instanceof AppError ? err : fileProblem(err, target, 'write')
    }
  }

  /** Daily rotating backup: one per day, the newest 14 kept. */
  async dailyBackup(): Promise<BackupInfo | null> {
    // Nothing worth keeping before first-run setup (or while the database awaits a restore).
    if (this.phase() !== 'ready' || this.backups.hasDailyForToday()) return null
    const info = await this.backupNow('daily')
    this.backups.prune()
    return info
  }

  private restoreFile(source: InputOf<'backup.restore'>['source']): { file: RestorableFile; label: string } {
    const file = source.kind === 'backup' ? this.backups.pathOf(source.fileName) : path.resolve(source.path)
    return { file: this.backups.readRestorable(file), label: source.kind === 'backup' ? source.fileName : file }
  }

  /** Check a restore source before the administrator is asked to confirm; changes nothing. */
  checkRestoreSource(source: InputOf<'backup.restore'>['source']): RestoreCandidate {
    const { file, label } = this.restoreFile(source)
    return { label, sizeBytes: file.bytes.length, modifiedAt: file.modifiedAt, replay: this.previewReplay(file) }
  }

  restoreFrom(source: InputOf<'backup.restore'>['source'], operator: Operator | null): RestoreOutcome {
    const { file, label } = this.restoreFile(source)
    const replay = this.restore(file, source.kind === 'backup' ? `backup ${label}` : `file ${label}`, operator)
    // The restored books may name other operators and passwords: everyone logs in again.
    this.sessions.clear()
    return { ...this.status(null), replay }
  }

  /**
   * Replace the database with a verified backup or file; the current one is kept as a backup.
   * In recovery the journal's changes made after the file are replayed onto it (the damaged
   * snapshot is lost, the journal is not): returns what that did.
   */
  restore(file: RestorableFile, label: string, operator: Operator | null): JournalReplay | null {
    let replay: JournalReplay | null = null
    if (this.store) {
      // On the main thread: the restore replaces the database and its files right after this.
      this.backups.write('before-restore', this.store.exportBytes())
      this.store.replaceWith(file.bytes)
    } else {
      const damaged = { lastKnownSeq: this.recovery?.lastKnownSeq ?? null, lineage: this.recovery?.lineage ?? null }
      this.keepJournalCopy()
      this.store = DurableStore.openRestored({ dataDir: this.dataDir, sql: this.sql, now: this.now, log: this.log, ...this.storeOptions }, file.bytes, damaged)
      replay = this.store.replay
      this.recovery = null
      this.recoverySeqs.clear()
      this.checkedBackups.clear()
    }
    this.changed(DATABASE_REPLACED)
    const said = replay === null ? '' : replayText(replay)
    // In recovery nobody can log in (the operators are in the damaged database): the System records it.
    this.engine.change(operator ? actorOf(operator) : SYSTEM_ACTOR, (w) => w.audit({ kind: 'backup.restore', description: `Database restored from ${label}.${said}` }))
    this.ensureServices()
    return replay
  }

  /** Before a restore in recovery empties the journal: a copy of its changes, for inspection. */
  private keepJournalCopy(): void {
    const journal = path.join(this.dataDir, JOURNAL_FILE)
    if (!fs.existsSync(journal)) return
    const buf = fs.readFileSync(journal)
    const valid = scanJournal(buf).validBytes
    if (valid === 0) return
    const dir = path.join(this.dataDir, 'corrupt')
    makePrivateDir(dir)
    writeFileAtomic(path.join(dir, `journal-${this.now()}.log`), buf.subarray(0, valid))
  }

  /**
   * The life cycle's timed transitions (reactivation periods and suspension lifts that ended),
   * in one unit of work. Returns how many customers changed; does nothing before first-run setup
   * or while the database awaits a restore.
   */
  runLifecycleTasks(): number {
    if (this.phase() !== 'ready') return 0
    // Nobody is at the keyboard: the System acts, and each note says the change was automatic.
    return this.engine.change(SYSTEM_ACTOR, runDueTransitions)
  }

  private invoiceClosing: Promise<unknown> | null = null

  /**
   * Invoices (issue 10): issue every invoice whose period has ended (catching up after the app was
   * closed), then move invoices past their due date to Overdue and apply the suspension rule.
   * One run at a time; returns how many invoices were issued and statuses changed.
   */
  async runInvoiceTasks(): Promise<{ issued: number; statusChanges: number }> {
    if (this.phase() !== 'ready' || this.invoiceClosing) return { issued: 0, statusChanges: 0 }
    const closing = closeDuePeriods(this.engine, SYSTEM_ACTOR)
    this.invoiceClosing = closing
    try {
      const { invoicesIssued } = await closing
      let statusChanges = 0
      // Bounded units: a long closure may have left thousands of invoices to move.
      let n: number
      do {
        n = this.engine.change(SYSTEM_ACTOR, runInvoiceTransitions)
        statusChanges += n
      } while (n > 0)
      return { issued: invoicesIssued, statusChanges }
    } finally {
      this.invoiceClosing = null
    }
  }

  private reissueRunning: Promise<unknown> | null = null

  private pdfPool: PdfWorkerPool | null = null

  /**
   * A batch re-issue's PDFs, drawn as it goes (docs/invoices.md "Re-issue"): each new or
   * regenerated invoice is drawn on the worker pool and stored as its current version; the batch
   * ends once they are stored. The voided invoice keeps what was stored of it; its VOID version is
   * drawn on request, as any change.
   */
  reissuePdfs(engine: Engine, actor: Actor): Pick<BatchControl, 'onReissued' | 'beforeFinish'> {
    this.pdfPool ??= new PdfWorkerPool(Math.min(4, os.availableParallelism()), undefined, true)
    const pool = this.pdfPool
    const pdfs = new InvoicePdfBatch(engine, actor, (document) => pool.render({ kind: 'invoice', document }), {
      onError: (invoiceId, err) => this.log(`re-issue: the PDF of invoice ${invoiceId} was not stored (drawn on request instead): ${err.message}`)
    })
    return {
      onReissued: (e) => pdfs.add(e.newInvoiceId),
      beforeFinish: async () => {
        await pdfs.drained()
      }
    }
  }

  /** Entries already on the notifications list when the books open are not desktop news. */
  skipOldNotifications(): void {
    if (this.store) this.notifiedUpTo = this.store.read((r) => listNotifications(r, 1))[0]?.id ?? 0
  }

  /**
   * Batch re-issue (issue 11): carry on the batches a crash interrupted and run the scheduled ones
   * whose time has come (a batch scheduled for the off-peak window runs when the app is open then,
   * or at the next start). One run at a time; returns how many invoices were re-issued.
   */
  async runReissueBatches(ctl: Pick<BatchControl, 'unitMaxMs'> = {}): Promise<number> {
    if (this.phase() !== 'ready' || this.reissueRunning) return 0
    const engine = this.engine
    const running = runDueBatches(engine, SYSTEM_ACTOR, { ...ctl, ...this.reissuePdfs(engine, SYSTEM_ACTOR) })
    this.reissueRunning = running
    try {
      return (await running).reduce((s, r) => s + r.reissued, 0)
    } finally {
      this.reissueRunning = null
    }
  }

  startSchedulers(dailyBackupDelayMs: number): void {
    // A desktop app is not always running: catch up at start-up, then check every minute.
    const lifecycleTick = () => {
      try {
        const n = this.runLifecycleTasks()
        if (n > 0) this.log(`lifecycle: ${n} customer status change${n === 1 ? '' : 's'} applied`)
      } catch (err) {
        this.log(`lifecycle: timed status changes failed: ${(err as Error).message}`)
      }
    }
    lifecycleTick()
    const invoiceTick = () => {
      this.runInvoiceTasks().then(
        ({ issued, statusChanges }) => {
          if (issued + statusChanges > 0) this.log(`invoices: ${issued} issued, ${statusChanges} status change${statusChanges === 1 ? '' : 's'}`)
        },
        (err: unknown) => this.log(`invoices: closing periods failed: ${(err as Error).message}`)
      )
    }
    invoiceTick()
    const reissueTick = () => {
      this.runReissueBatches().then(
        (n) => n > 0 && this.log(`re-issue: ${n} invoice${n === 1 ? '' : 's'} re-issued`),
        (err: unknown) => this.log(`re-issue: batch failed: ${(err as Error).message}`)
      )
    }
    reissueTick()
    // Usage files the switch dropped in the import folder: at start-up, then every minute.
    const folderTick = () => {
      if (this.phase() !== 'ready') return
      this.usageFolder.look().catch((err: unknown) => this.log(`usage import folder: ${(err as Error).message}`))
    }
    folderTick()
    const everyMinute = setInterval(() => {
      lifecycleTick()
      invoiceTick()
      reissueTick()
      folderTick()
    }, 60 * 1000)
    everyMinute.unref()
    this.timers.push(everyMinute)
    const tick = () => {
      this.dailyBackup().then(
        (b) => b && this.log(`backup: wrote ${b.fileName}`),
        (err: unknown) => this.log(`backup: daily backup failed: ${(err as Error).message}`)
      )
    }
    const first = setTimeout(tick, dailyBackupDelayMs)
    const hourly = setInterval(tick, 60 * 60 * 1000)
    first.unref()
    hourly.unref()
    this.timers.push(first, hourly)
  }

  close(): void {
    void this.pdfPool?.close()
    this.pdfPool = null
    for (const t of this.timers) clearTimeout(t)
    this.timers = []
    this.store?.close()
    this.store = null
    this.lock.release()
  }
}

/** Open (or create) the data folder: lock it, load the database, replay the journal, migrate. */
export async function openBillingApp(opts: BillingAppOptions): Promise<BillingApp & { core: AppCore }> {
  const now = opts.now ?? Date.now
  const log = opts.log ?? ((line: string) => console.log(line))
  makePrivateDir(opts.dataDir)
  const sql = await loadSqlJs()
  const lock = DataDirLock.acquire(opts.dataDir)
  // Any local user could read books left 0644 by an older version: tighten before opening them.
  const tightened = securePrivateTree(opts.dataDir, isDataFolderEntry)
  if (tightened.length > 0) log(`data folder: took group/other permissions off ${tightened.length} file(s) and folder(s)`)
  const core = new AppCore(opts.dataDir, sql, now, log, lock, opts.snapshotAfterBytes === undefined ? {} : { snapshotAfterBytes: opts.snapshotAfterBytes })
  core.notifyDesktop = opts.notifyDesktop
  if (opts.kdf) core.kdf = opts.kdf
  if (opts.idleClock) core.sessions = new Sessions(opts.idleClock)
  try {
    core.openStore()
  } catch (err) {
    lock.release()
    throw err
  }
  core.skipOldNotifications()
  core.ensureServices()
  if (opts.background !== false) {
    core.startSchedulers(opts.dailyBackupDelayMs ?? 5000)
    // Build the customer list index while the window loads (~0.8 s at 50k customers), not on the
    // first click on Customers.
    setImmediate(() => core.warmCustomerIndex())
    // Card payments whose answer was lost (time-out, crash) are settled with the gateway at start-up.
    setImmediate(() => void core.reconcileCardPayments())
  }
  const dispatcher = createAppDispatcher(core, (caller, touch) => core.who(caller, touch), log)
  return {
    core,
    dataDir: opts.dataDir,
    dispatch: dispatcher.dispatch,
    close: async () => core.close()
  }
}

/** The handler table over `core`'s services, for the caller `who` says is calling. */
export function createAppDispatcher(core: AppCore, who: (caller: CallerContext, touch: boolean) => Who, log: (line: string) => void): Dispatcher {
  const services = core.handlerServices()
  return createDispatcher<HandlerContext>({
    handlers,
    phase: () => core.phase(),
    who,
    context: (w, caller) => ({
      ...services,
      // Nobody logged in reaches only the channels open before login; what they record names the System.
      operator: w.operator ?? SYSTEM_OPERATOR,
      actor: w.operator ? actorOf(w.operator) : SYSTEM_ACTOR,
      signedIn: w.operator,
      sessionId: w.sessionId,
      locked: w.locked,
      caller
    }),
    log
  })
}

/** What the desk keeps in its data folder (other files someone put there are left as they are). */
function isDataFolderEntry(name: string): boolean {
  return [SNAPSHOT_FILE, JOURNAL_FILE, LOCK_FILE, BACKUP_DIR, ARCHIVE_DIR, 'corrupt', 'test-gateway.json'].some((ours) => name === ours || name.startsWith(`${ours}.`))
}

/** The audit note of a restore in recovery: what the journal added, and what is missing. */
function replayText(r: JournalReplay): string {
  const replayed =
    r.replayed === 0 ? ' No later change was in the journal to replay.' : ` ${r.replayed} later change${r.replayed === 1 ? ' was' : 's were'} replayed from the journal.`
  const missing = r.missing === null ? '' : ` Changes ${r.missing.from}–${r.missing.to} are not in the restored data.`
  return replayed + missing
}
