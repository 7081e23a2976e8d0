import fs from 'node:fs'
import path from 'node:path'
import type { SqlJsStatic } from 'sql.js'
import type { AppPhase, AppStatus, BackupInfo, Operator, RecoveryInfo } from '../src-shared/domain'
import { AppError } from '../src-shared/errors'
import { Backups } from './db/backups'
import { DataDirLock } from './db/lock'
import { loadSqlJs } from './db/sqljs'
import { CorruptDatabaseError, DurableStore, JOURNAL_FILE, SNAPSHOT_FILE } from './db/store'
import { writeFileAtomic } from './db/files'
import { countCustomers } from './engine/customers'
import { CustomerIndex } from './engine/customerIndex'
import { TestGateway, type PaymentGateway } from './engine/gateway'
import { reconcileCardPayments } from './engine/payments'
import { actorOf, FIRST_ADMIN_ACTOR, FIRST_ADMIN_ID, getOperator } from './engine/operators'
import { runDueTransitions } from './engine/lifecycle'
import { DEFAULT_AUTHORIZATION_DAYS, getSettings } from './engine/settings'
import { Engine } from './engine/unitOfWork'
import { createDispatcher, type CallerContext, type Dispatcher } from './ipc/dispatch'
import { handlers, type HandlerContext } from './ipc/handlers'

export const APP_VERSION = '0.1.0'

export interface BillingAppOptions {
  dataDir: string
  /** Milliseconds since epoch; tests pass a controllable clock. */
  now?: () => number
  log?: (line: string) => void
  /** Journal size that triggers a background snapshot (tests make it small). */
  snapshotAfterBytes?: number
  /** Delay before the daily backup check after start-up (ms); default 5 s, off the start-up path. */
  dailyBackupDelayMs?: number
}

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
  recovery: Pick<RecoveryInfo, 'reason' | 'corruptFileKeptAt'> | null
  /** Backups checked while in recovery, by file name (a full check at M takes a second each). */
  private checkedBackups = new Map<string, boolean>()
  readonly backups: Backups
  /** The card processor: the built-in test gateway until a real one is configured. */
  readonly gateway: PaymentGateway
  /** The customer list in memory (search at 50k customers); rebuilt after a restore. */
  readonly customerIndex = new CustomerIndex()
  private timers: NodeJS.Timeout[] = []

  constructor(
    readonly dataDir: string,
    readonly sql: SqlJsStatic,
    readonly now: () => number,
    readonly log: (line: string) => void,
    private readonly lock: DataDirLock,
    private readonly storeOptions: { snapshotAfterBytes?: number }
  ) {
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
      this.recovery = { reason: err.message, corruptFileKeptAt: err.keptAt }
    }
  }

  async reconcileCardPayments(): Promise<void> {
    try {
      if (!this.store || this.phase() !== 'ready') return
      const r = await reconcileCardPayments({ engine: this.engine, gateway: this.gateway, actor: FIRST_ADMIN_ACTOR })
      if (r.settled > 0 || r.stillPending > 0) this.log(`card payments: ${r.settled} reconciled, ${r.stillPending} still pending`)
    } catch (err) {
      this.log(`card payments: reconciliation failed: ${(err as Error).message}`)
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
    return new Engine(this.store, this.now)
  }

  phase(): AppPhase {
    if (!this.store) return 'recovery'
    return this.store.read((r) => getSettings(r)) ? 'ready' : 'setup'
  }

  operator(_caller: CallerContext): Operator {
    // Until operators can log in, every change is made by the built-in first administrator.
    if (!this.store) return { id: FIRST_ADMIN_ID, login: 'admin', name: 'Administrator', role: 'administrator' }
    return this.store.read((r) => getOperator(r, FIRST_ADMIN_ID))
  }

  status(operator: Operator): AppStatus {
    const phase = this.phase()
    const store = this.store
    return {
      phase,
      version: APP_VERSION,
      dataDir: this.dataDir,
      operator,
      settings: store ? store.read(getSettings) : null,
      recovery: this.recovery ? { ...this.recovery, ...this.restorableBackups() } : null,
      // Cheap on purpose: app.status is the first call of every page load (no usage-table scan).
      counts: { customers: store ? store.read(countCustomers) : 0 }
    }
  }

  /** Newest first: check backups until the first good one, which is the one to offer. */
  private restorableBackups(): Pick<RecoveryInfo, 'backups' | 'recommendedBackup' | 'unusableBackups'> {
    const backups = this.backups.list()
    let recommendedBackup: string | null = null
    for (const b of backups) {
      let good = this.checkedBackups.get(b.fileName)
      if (good === undefined) {
        try {
          this.backups.readRestorable(this.backups.pathOf(b.fileName))
          good = true
        } catch {
          good = false
        }
        this.checkedBackups.set(b.fileName, good)
      }
      if (good) {
        recommendedBackup = b.fileName
        break
      }
    }
    const unusableBackups = backups.filter((b) => this.checkedBackups.get(b.fileName) === false).map((b) => b.fileName)
    return { backups, recommendedBackup, unusableBackups }
  }

  /**
   * A complete copy of the database, written by the snapshot worker (a snapshot is taken at the
   * same time) while requests keep being served.
   */
  async backupNow(kind: BackupInfo['kind'], toPath?: string): Promise<BackupInfo> {
    if (!this.store) throw new AppError('DB_CORRUPT', 'There is no healthy database to back up.')
    // The file name is chosen when the copy is made (after any backup queued before it).
    if (toPath === undefined) return this.backups.infoOf((await this.store.snapshotInBackground(() => this.backups.pathFor(kind))).copy!, kind)
    const target = path.resolve(toPath)
    if (!fs.existsSync(path.dirname(target))) throw new AppError('NOT_FOUND', `Folder ${path.dirname(target)} does not exist.`, 'path')
    const { size } = await this.store.snapshotInBackground(() => target)
    return { fileName: target, createdAt: new Date(this.now()).toISOString(), sizeBytes: size, kind }
  }

  /** Daily rotating backup: one per day, the newest 14 kept. */
  async dailyBackup(): Promise<BackupInfo | null> {
    // Nothing worth keeping before first-run setup (or while the database awaits a restore).
    if (this.phase() !== 'ready' || this.backups.hasDailyForToday()) return null
    const info = await this.backupNow('daily')
    this.backups.prune()
    return info
  }

  /** Replace the database with a verified backup or file; the current one is kept as a backup. */
  restore(bytes: Uint8Array, label: string, operator: Operator): void {
    if (this.store) {
      // On the main thread: the restore replaces the database and its files right after this.
      this.backups.write('before-restore', this.store.exportBytes())
      this.store.replaceWith(bytes)
    } else {
      // Recovery: the damaged file was already copied to corrupt/; the journal belongs to it.
      const journal = path.join(this.dataDir, JOURNAL_FILE)
      if (fs.existsSync(journal) && fs.statSync(journal).size > 0) {
        fs.mkdirSync(path.join(this.dataDir, 'corrupt'), { recursive: true })
        fs.copyFileSync(journal, path.join(this.dataDir, 'corrupt', `journal-${this.now()}.log`))
        fs.truncateSync(journal, 0)
      }
      writeFileAtomic(path.join(this.dataDir, SNAPSHOT_FILE), bytes)
      this.openStore()
      if (!this.store) throw new AppError('DB_CORRUPT', 'The restored file could not be opened.')
    }
    this.customerIndex.reset()
    this.engine.change(actorOf(operator), (w) => w.audit({ kind: 'backup.restore', description: `Database restored from ${label}.` }))
  }

  /**
   * The life cycle's timed transitions (reactivation periods and suspension lifts that ended),
   * in one unit of work. Returns how many customers changed; does nothing before first-run setup
   * or while the database awaits a restore.
   */
  runLifecycleTasks(): number {
    if (this.phase() !== 'ready') return 0
    // Nobody is at the keyboard: the built-in administrator stands in, and each note says the
    // change was automatic.
    return this.engine.change(FIRST_ADMIN_ACTOR, runDueTransitions)
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
    const everyMinute = setInterval(lifecycleTick, 60 * 1000)
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
  fs.mkdirSync(opts.dataDir, { recursive: true })
  const sql = await loadSqlJs()
  const lock = DataDirLock.acquire(opts.dataDir)
  const core = new AppCore(opts.dataDir, sql, now, log, lock, opts.snapshotAfterBytes === undefined ? {} : { snapshotAfterBytes: opts.snapshotAfterBytes })
  try {
    core.openStore()
  } catch (err) {
    lock.release()
    throw err
  }
  core.startSchedulers(opts.dailyBackupDelayMs ?? 5000)
  // Build the customer list index while the window loads (~0.8 s at 50k customers), not on the
  // first click on Customers.
  setImmediate(() => core.warmCustomerIndex())
  // Card payments whose answer was lost (time-out, crash) are settled with the gateway at start-up.
  setImmediate(() => void core.reconcileCardPayments())
  const dispatcher = createDispatcher<HandlerContext>({
    handlers,
    phase: () => core.phase(),
    operator: (caller) => core.operator(caller),
    context: (operator) => ({ core, operator, actor: actorOf(operator) }),
    log
  })
  return {
    core,
    dataDir: opts.dataDir,
    dispatch: dispatcher.dispatch,
    close: async () => core.close()
  }
}
