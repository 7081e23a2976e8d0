/**
 * Storage benchmark: durable commit latency, the naive "export the whole database" alternative,
 * cold open, snapshots, and a native SQLite (better-sqlite3) reference, on demo data of size S/M/L.
 *
 *   npm run bench -- [--scales S,M] [--json FILE] [--dir PARENT]
 *
 * --scales  demo data sizes to measure (default S,M; L only when asked, it takes long to load)
 * --json    also write the figures as a JSON array of { name, value, unit, scale }
 * --dir     where the temporary data folders go (default: the OS temp folder). It must be a real
 *           disk: on tmpfs an fsync costs nothing and the commit figures mean nothing.
 * --only    run only the measurements whose title contains one of these comma-separated words
 *           (e.g. --only re-rating), after loading the demo data; the extra M figures are skipped.
 *           `--only audit` runs only the audit log section (1M entries; no demo scale is loaded).
 *           `--only login` runs only the password check (login.verify_ms).
 *
 * Internal: `node out/main/bench.js --child-open DIR` opens DIR in a fresh process and prints its
 * own timings (from process start) as one JSON line; the parent uses it for open.cold_process_ms.
 * `--child-snapshot DIR background|main-thread` likewise serves payments in a fresh process while a
 * snapshot and a backup are made, for snapshot.main_stall_ms and memory.peak_rss_ratio.
 *
 * To add a figure, write a small measurement function that calls `run.record(name, value, unit)`
 * and list it in MEASUREMENTS. See docs/benchmarks.md for what every figure means.
 */
import { DEFAULT_KDF, FIRST_ADMIN_ACTOR, hashPassword, verifyPassword } from '../engine/operators'
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import { monitorEventLoopDelay, PerformanceObserver, performance } from 'node:perf_hooks'
import type { SqlJsStatic } from 'sql.js'
import { writeFileAtomic } from '../db/files'
import type { Value } from '../db/access'
import type { SqlParam } from '../db/journal'
import { loadSqlJs } from '../db/sqljs'
import { DurableStore, SNAPSHOT_FILE, type BackgroundSnapshot, type DbReader, type DbWriter } from '../db/store'
import { generateDemoData, sqlJsWriter } from '../demo/generate'
import { mulberry32 } from '../demo/random'
import { submitAdjustment } from '../engine/adjustments'
import {
  appendAudit,
  describeAmountChange,
  GENESIS_HASH,
  insertAuditEntry,
  searchAudit,
  verifyAuditChain,
  type Actor,
  type AuditFilter,
  type AuditRecord,
  type StoredAudit
} from '../engine/audit'
import { countCustomers, type StoredCustomer } from '../engine/customers'
import { listCustomers } from '../engine/customerList'
import { CustomerIndex } from '../engine/customerIndex'
import { completeSetup } from '../engine/settings'
import { type PriceListVersion, type RateRow, rateCall, versionInForce } from '../engine/rating'
import { Engine, type Work } from '../engine/unitOfWork'
import { browseUsage, usageTotals, type UsageFilter } from '../engine/usageBrowser'
import { createPriceList, uploadVersion } from '../engine/priceLists'
import { prepareRerating, previewRerating } from '../engine/rerating'
import { getRetention, purgeUsage } from '../engine/usageRetention'
import { closeDuePeriods } from '../engine/invoicing'
import { DESTINATIONS } from '../demo/names'
import { benchUsageImport } from './benchUsage'
import { type BatchControl, planBatch, runBatch } from '../engine/reissue'
import { InvoicePdfBatch } from '../engine/invoiceDocuments'
import { invoicePdf } from '../pdf/invoicePdf'
import { trace } from '../engine/trace'
import { PdfWorkerPool } from '../pdf/pdfPool'
import { sampleInvoice } from '../pdf/samples'

type Scale = 'S' | 'M' | 'L'
const ALL_SCALES: readonly Scale[] = ['S', 'M', 'L']

export interface Figure {
  name: string
  value: number
  unit: string
  scale: Scale
}

/** How many samples each measurement takes at each scale. */
const PLAN: Record<Scale, { commits: number; exportCommits: number; queries: number; opens: number; snapshots: number }> = {
  S: { commits: 2000, exportCommits: 50, queries: 500, opens: 5, snapshots: 5 },
  M: { commits: 1000, exportCommits: 20, queries: 100, opens: 3, snapshots: 5 },
  L: { commits: 1000, exportCommits: 5, queries: 30, opens: 1, snapshots: 3 }
}
const WARMUP_COMMITS = 20
/** The store's default journal size that makes a snapshot due. */
const SNAPSHOT_DUE_BYTES = 8 * 1024 * 1024

/** Targets from the issue, shown next to their rows. */
/** `max`: at most; `min`: at least (throughputs). */
const TARGETS: ({ name: string; scale: Scale; text: string } & ({ max: number; min?: never } | { min: number; max?: never }))[] = [
  { name: 'commit.durable.p99_ms', scale: 'M', max: 2, text: '≤ 2 ms' },
  { name: 'open.cold_ms', scale: 'M', max: 1500, text: '≤ 1.5 s' },
  { name: 'open.cold_process_ms', scale: 'M', max: 1500, text: '≤ 1.5 s' },
  { name: 'customers.search.p95_ms', scale: 'L', max: 30, text: '≤ 30 ms' },
  { name: 'adjustment.finish.p99_ms', scale: 'M', max: 5, text: '≤ 5 ms' },
  { name: 'snapshot.main_stall_ms', scale: 'M', max: 100, text: '≤ 100 ms' },
  { name: 'backup.main_stall_ms', scale: 'M', max: 100, text: '≤ 100 ms' },
  { name: 'memory.peak_rss_ratio', scale: 'M', max: 2.5, text: '≤ 2.5x' },
  { name: 'usage.browse.p95_ms', scale: 'M', max: 50, text: '≤ 50 ms' },
  { name: 'usage.rerate_month_m_s', scale: 'M', max: 10, text: '≤ 10 s' },
  { name: 'usage.rate_1m_s', scale: 'M', max: 20, text: '≤ 20 s' },
  { name: 'pdf.invoices_per_s', scale: 'S', min: 60, text: '≥ 60/s' },
  { name: 'audit.filter_1m.p95_ms', scale: 'M', max: 100, text: '≤ 100 ms' },
  { name: 'audit.verify_1m_s', scale: 'M', max: 10, text: '≤ 10 s' },
  { name: 'audit.trace_invoice.p95_ms', scale: 'M', max: 50, text: '≤ 50 ms' },
  { name: 'pdf.invoices_per_s', scale: 'M', min: 60, text: '≥ 60/s' },
  { name: 'period.close_10k_s', scale: 'M', max: 10, text: '≤ 10 s' },
  { name: 'reissue.10k.recalc_s', scale: 'M', max: 10, text: '≤ 10 s' },
  { name: 'login.verify_ms', scale: 'S', max: 500, text: '50–500 ms' },
  { name: 'reissue.10k.total_s', scale: 'M', max: 60, text: '≤ 60 s' },
  { name: 'reissue.payment_during_batch.p99_ms', scale: 'M', max: 50, text: '≤ 50 ms' }
]

/** A plain SQL search over customers, for comparing sql.js with native SQLite on equal terms. */
const SEARCH_SQL = `SELECT id, customer_id, company_name FROM customers
  WHERE customer_id LIKE ?1 OR company_name LIKE ?1 ORDER BY customer_id LIMIT 50`
const DEFAULT_SORT = { key: 'customerId', dir: 'asc' } as const

/** The customers list page search used for the query figures (matches a share of company names). */
const SEARCH = 'telecom'

// ---------------------------------------------------------------------------------------------
// The unit of work every commit figure measures, written once against DbWriter so that the
// durable store, the naive export path and native SQLite run exactly the same SQL.

/** A payment: read the balance, insert the payment xDR, update the balance, one audit entry. */
function recordPayment(w: DbWriter, at: string, customerId: number, amountMinor: number, audit: (rec: AuditRecord) => void): void {
  const c = w.get<Pick<StoredCustomer, 'balance_minor' | 'currency'>>('SELECT balance_minor, currency FROM customers WHERE id = ?', [customerId])
  if (!c) throw new Error(`customer ${customerId} not found`)
  const xdrId = w.insert(`INSERT INTO xdrs (kind, customer_id, started_at, amount_minor, created_at) VALUES ('payment', ?, ?, ?, ?)`, [customerId, at, -amountMinor, at])
  const after = c.balance_minor - amountMinor
  w.run('UPDATE customers SET balance_minor = ?, updated_at = ? WHERE id = ?', [after, at, customerId])
  audit({
    kind: 'customer.payment',
    customerId,
    field: 'balance',
    from: String(c.balance_minor),
    to: String(after),
    description: describeAmountChange('Balance', c.balance_minor, after, c.currency),
    source: { kind: 'payment', id: xdrId }
  })
}

// ---------------------------------------------------------------------------------------------
// A DbWriter over better-sqlite3 (the naive path uses the demo generator's sql.js one).

/** The part of better-sqlite3's API used here (it has no type package in this project). */
interface NativeStatement {
  get(...params: unknown[]): unknown
  all(...params: unknown[]): unknown[]
  run(...params: unknown[]): { changes: number; lastInsertRowid: number | bigint }
  raw(on: boolean): NativeStatement
}
interface NativeDatabase {
  prepare(sql: string): NativeStatement
  pragma(source: string, opts?: { simple?: boolean }): unknown
  transaction<F extends (...args: never[]) => unknown>(fn: F): F
  close(): void
}
type NativeDatabaseClass = new (file: string) => NativeDatabase

function loadBetterSqlite3(): NativeDatabaseClass {
  // A devDependency used only here; external to the bundle, so load it at run time.
  return createRequire(import.meta.url)('better-sqlite3') as NativeDatabaseClass
}

function nativeWriter(db: NativeDatabase): DbWriter {
  const cache = new Map<string, NativeStatement>()
  const prepared = (sql: string) => {
    let st = cache.get(sql)
    if (!st) {
      st = db.prepare(sql)
      cache.set(sql, st)
    }
    return st
  }
  // better-sqlite3 binds numbered parameters (?1, ?2) by name: pass them as { 1: .., 2: .. }.
  const bind = (sql: string, params: SqlParam[]): unknown[] => (/\?\d/.test(sql) ? [Object.fromEntries(params.map((p, i) => [String(i + 1), p]))] : params)
  return {
    get: <T>(sql: string, params: SqlParam[] = []) => prepared(sql).get(...bind(sql, params)) as T | undefined,
    all: <T>(sql: string, params: SqlParam[] = []) => prepared(sql).all(...bind(sql, params)) as T[],
    values: (sql, params = []) =>
      db
        .prepare(sql)
        .raw(true)
        .all(...bind(sql, params)) as Value[][],
    run: (sql, params = []) => prepared(sql).run(...bind(sql, params)).changes,
    insert: (sql, params = []) => Number(prepared(sql).run(...bind(sql, params)).lastInsertRowid)
  }
}

// ---------------------------------------------------------------------------------------------
// Timing helpers.

function elapsedMs(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6
}

/** Nearest-rank percentile of already measured samples. */
function percentile(samples: number[], q: number): number {
  const sorted = [...samples].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!
}

const median = (samples: number[]) => percentile(samples, 0.5)
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve))

const isTty = process.stderr.isTTY === true
let progressShown = false
function progress(line: string): void {
  if (isTty) {
    process.stderr.write(`\r\x1b[K${line}`)
    progressShown = true
  }
}
function status(line: string): void {
  if (progressShown) process.stderr.write('\r\x1b[K')
  progressShown = false
  process.stderr.write(`${line}\n`)
}

// ---------------------------------------------------------------------------------------------
// One scale: a temporary data folder loaded with demo data, and the state measurements share.

class ScaleRun {
  store: DurableStore | null = null
  /** Customers a payment can be recorded for (not terminated or exported). */
  customerIds: number[] = []
  totalCustomers = 0
  readonly rand = mulberry32(20240601)
  readonly notes: string[] = []

  constructor(
    readonly scale: Scale,
    readonly sql: SqlJsStatic,
    readonly dir: string,
    private readonly figures: Figure[]
  ) {}

  get dataDir(): string {
    return path.join(this.dir, 'data')
  }

  get snapshotPath(): string {
    return path.join(this.dataDir, SNAPSHOT_FILE)
  }

  get plan() {
    return PLAN[this.scale]
  }

  record(name: string, value: number, unit: string): void {
    this.figures.push({ name, value: Math.round(value * 1000) / 1000, unit, scale: this.scale })
  }

  value(name: string): number {
    const f = this.figures.find((x) => x.name === name && x.scale === this.scale)
    if (!f) throw new Error(`${name} at ${this.scale} has not been measured yet`)
    return f.value
  }

  note(line: string): void {
    this.notes.push(`[${this.scale}] ${line}`)
  }

  openStore(): DurableStore {
    this.store ??= DurableStore.open({ dataDir: this.dataDir, sql: this.sql, now: Date.now, log: (l) => this.note(l) })
    return this.store
  }

  closeStore(): void {
    this.store?.close()
    this.store = null
  }

  nextCustomer(): number {
    return this.customerIds[Math.floor(this.rand() * this.customerIds.length)]!
  }

  nextAmount(): number {
    return 100 + Math.floor(this.rand() * 50_000)
  }
}

async function loadDemo(run: ScaleRun): Promise<void> {
  fs.mkdirSync(run.dataDir, { recursive: true })
  const store = run.openStore()
  const started = process.hrtime.bigint()
  let lastShown = 0
  let lastDecile = -1
  const made = store.bulkTransaction((w) =>
    generateDemoData(w, {
      size: run.scale,
      at: new Date().toISOString(),
      onProgress: (done: number, total: number) => {
        if (Date.now() - lastShown > 250 || done === total) {
          lastShown = Date.now()
          progress(`[${run.scale}] loading demo data: ${done.toLocaleString('en-US')} / ${total.toLocaleString('en-US')} usage records`)
          const decile = Math.floor((done / total) * 10)
          if (!isTty && decile !== lastDecile) {
            lastDecile = decile
            status(`[${run.scale}] loading demo data: ${done.toLocaleString('en-US')} / ${total.toLocaleString('en-US')} usage records`)
          }
        }
      }
    })
  )
  new Engine(store, Date.now).change(FIRST_ADMIN_ACTOR, (w) => {
    completeSetup(w, { companyName: 'Benchmark Callshop', address: '1 Bench Street', defaultCurrency: 'USD' })
    w.audit({ kind: 'demo.load', description: `Demo data (size ${run.scale}) loaded for the benchmark.` })
  })
  run.customerIds = store.read((r) =>
    r.all<Pick<StoredCustomer, 'id'>>("SELECT id FROM customers WHERE status NOT IN ('permanently-terminated', 'exported') ORDER BY id").map((c) => c.id)
  )
  run.totalCustomers = store.read(countCustomers)
  const seconds = elapsedMs(started) / 1000
  run.record('load.demo_s', seconds, 's')
  status(`[${run.scale}] demo data loaded in ${seconds.toFixed(1)} s: ${JSON.stringify(made)}`)
}

// ---------------------------------------------------------------------------------------------
// Measurements, run in this order at each scale. Each records its own figures.

interface Measurement {
  title: string
  run(run: ScaleRun): void | Promise<void>
}

function measureDbSize(run: ScaleRun): void {
  run.openStore().snapshot()
  run.record('db.size_mb', fs.statSync(run.snapshotPath).size / (1024 * 1024), 'MiB')
}

/**
 * The floor under any durable commit on this disk: append a journal-sized record (1 KiB) to a
 * file and fdatasync it, as Journal.append does, with no database work at all.
 */
function measureDiskFlush(run: ScaleRun): void {
  const file = path.join(run.dir, 'flush-test.log')
  const fd = fs.openSync(file, 'w')
  const record = Buffer.alloc(1024, 0x61)
  const samples: number[] = []
  try {
    let offset = 0
    for (let i = 0; i < WARMUP_COMMITS + run.plan.commits; i++) {
      const t0 = process.hrtime.bigint()
      fs.writeSync(fd, record, 0, record.length, offset)
      fs.fdatasyncSync(fd)
      if (i >= WARMUP_COMMITS) samples.push(elapsedMs(t0))
      offset += record.length
    }
  } finally {
    fs.closeSync(fd)
    fs.rmSync(file, { force: true })
  }
  run.record('disk.fdatasync.p50_ms', median(samples), 'ms')
  run.record('disk.fdatasync.p99_ms', percentile(samples, 0.99), 'ms')
}

/** Realistic durable units of work through Engine.change, one event-loop turn apart (like IPC calls). */
async function measureDurableCommit(run: ScaleRun): Promise<void> {
  const store = run.openStore()
  const engine = new Engine(store, Date.now)
  // Split each sample: the unit of work itself (in-memory SQL, audit hash) and the rest of the
  // commit path (BEGIN, journal record encode + write + fdatasync, COMMIT).
  const work: number[] = []
  const rest: number[] = []
  const once = () => {
    const customer = run.nextCustomer()
    const amount = run.nextAmount()
    let workMs = 0
    const t0 = process.hrtime.bigint()
    engine.change(FIRST_ADMIN_ACTOR, (w) => {
      const w0 = process.hrtime.bigint()
      recordPayment(w, w.at, customer, amount, (rec) => w.audit(rec))
      workMs = elapsedMs(w0)
    })
    const total = elapsedMs(t0)
    work.push(workMs)
    rest.push(total - workMs)
    return total
  }
  for (let i = 0; i < WARMUP_COMMITS; i++) once()
  work.length = 0
  rest.length = 0
  const samples: number[] = []
  let journalGrowth = 0
  let backgroundSnapshots = 0
  for (let i = 0; i < run.plan.commits; i++) {
    const before = store.journalBytes
    samples.push(once())
    journalGrowth += store.journalBytes - before
    const afterCommit = store.journalBytes
    // Background snapshots (journal past 8 MiB) run here, between requests, as in the app.
    await yieldToEventLoop()
    if (store.journalBytes < afterCommit) backgroundSnapshots++
    if (i % 100 === 0) progress(`[${run.scale}] durable commits: ${i} / ${run.plan.commits}`)
  }
  run.record('commit.durable.p50_ms', median(samples), 'ms')
  run.record('commit.durable.p99_ms', percentile(samples, 0.99), 'ms')
  run.record('commit.durable.max_ms', Math.max(...samples), 'ms')
  run.record('commit.durable.work_p99_ms', percentile(work, 0.99), 'ms')
  run.record('commit.durable.journal_p99_ms', percentile(rest, 0.99), 'ms')
  run.note(
    `durable commits: ${samples.length} samples, ${Math.round(journalGrowth / samples.length)} journal bytes per commit, ` +
      `${backgroundSnapshots} background snapshot(s) during the run`
  )
}

/** The customers list page with a search term (the app's path: the in-memory customer index). */
function measureQuery(run: ScaleRun): void {
  const store = run.openStore()
  const index = new CustomerIndex()
  const page = () => store.read((r) => listCustomers(r, index, { search: SEARCH, filters: {}, sort: DEFAULT_SORT, offset: 0, limit: 50 }))
  const { total } = page()
  const samples: number[] = []
  for (let i = 0; i < run.plan.queries; i++) {
    const t0 = process.hrtime.bigint()
    page()
    samples.push(elapsedMs(t0))
  }
  run.record('query.customers_search.p50_ms', median(samples), 'ms')
  run.note(`customers search "${SEARCH}": ${total} matching customers, first page of 50`)
  const sqlSamples: number[] = []
  store.read((r) => {
    for (let i = 0; i <= run.plan.queries; i++) {
      const t0 = process.hrtime.bigint()
      r.all(SEARCH_SQL, [`%${SEARCH}%`])
      if (i > 0) sqlSamples.push(elapsedMs(t0))
    }
  })
  run.record('query.sql_search.p50_ms', median(sqlSamples), 'ms')
}

/**
 * The usage browser: one page of 100 records (the Usage page's page) for a mix of filters a person
 * uses, as `browseUsage` answers `usage.list`: none, a customer, a customer's month, an account,
 * a week, a service, a common and a rare destination, and the next page after each. p95 over all.
 */
function measureUsageBrowse(run: ScaleRun): void {
  const store = run.openStore()
  const filters = store.read((r) => {
    const newest = String(r.values("SELECT max(started_at) FROM xdrs WHERE kind = 'usage'")[0]?.[0] ?? new Date().toISOString())
    const month = new Date(Date.parse(newest) - 30 * 86_400_000).toISOString()
    const week = new Date(Date.parse(newest) - 7 * 86_400_000).toISOString()
    const sms = Number(r.values("SELECT id FROM services WHERE kind = 'messaging' ORDER BY id LIMIT 1")[0]?.[0] ?? 0)
    const accounts = r.values('SELECT account_id FROM accounts ORDER BY id').map((v) => String(v[0]))
    const base = { includeTransactions: false }
    const mix: ((i: number) => UsageFilter)[] = [
      () => base,
      () => ({ ...base, customerId: run.nextCustomer() }),
      () => ({ ...base, customerId: run.nextCustomer(), from: month, to: newest }),
      (i) => ({ ...base, account: accounts[(i * 7919) % accounts.length]! }),
      () => ({ ...base, from: week, to: newest }),
      () => ({ ...base, serviceId: sms }),
      () => ({ ...base, destination: '+44' }),
      () => ({ ...base, destination: '+96510' }),
      () => ({ ...base, customerId: run.nextCustomer(), includeTransactions: true })
    ]
    return mix
  })
  const samples: number[] = []
  const rounds = run.scale === 'S' ? 40 : 25
  store.read((r) => {
    for (let i = 0; i < rounds; i++) {
      for (const make of filters) {
        const f = make(i)
        let t0 = process.hrtime.bigint()
        const first = browseUsage(r, { ...f, limit: 100 })
        samples.push(elapsedMs(t0))
        if (first.next) {
          t0 = process.hrtime.bigint()
          browseUsage(r, { ...f, after: first.next, limit: 100 })
          samples.push(elapsedMs(t0))
        }
      }
    }
    // The totals of the same filters load beside the page (further requests, a slice of the table
    // at a time when no index narrows the filter): a note, not the target.
    const totals: string[] = []
    for (const make of filters) {
      let longest = 0
      let after: number | undefined
      const t0 = process.hrtime.bigint()
      do {
        const t1 = process.hrtime.bigint()
        const part = usageTotals(r, { ...make(0), sliceXdrs: 50_000, ...(after === undefined ? {} : { afterXdrId: after }) })
        longest = Math.max(longest, elapsedMs(t1))
        after = part.next ?? undefined
      } while (after !== undefined)
      totals.push(`${elapsedMs(t0).toFixed(0)} (${longest.toFixed(0)})`)
    }
    run.note(`usage totals per filter, all slices (longest slice) in ms, unfiltered first: ${totals.join(', ')}`)
  })
  run.record('usage.browse.p95_ms', percentile(samples, 0.95), 'ms')
  run.record('usage.browse.max_ms', Math.max(...samples), 'ms')
}

/**
 * The adjustment wizard's Finish: a manual payment through the same function the handler calls
 * (validation, ledger record, balance and unallocated payments, two audit entries, operation
 * key), durable before it returns.
 */
/** The wizard's Finish of a cash payment at the counter: a random customer and amount, durable before it returns. */
function cashPayment(run: ScaleRun, engine: Engine, key: string): void {
  const customerId = run.nextCustomer()
  const amount = run.nextAmount()
  engine.change(FIRST_ADMIN_ACTOR, (w) =>
    submitAdjustment(w, {
      customerId,
      operation: 'manual-payment',
      amount: String(amount),
      serviceId: null,
      date: null,
      outOfTurn: false,
      transactionId: '',
      cardNumber: '',
      cardExpiry: '',
      visibleComment: 'Cash at the counter',
      internalComment: '',
      operationKey: `bench-${key}-${amount}-0000`
    })
  )
}

function measureAdjustmentFinish(run: ScaleRun): void {
  const store = run.openStore()
  const engine = new Engine(store, Date.now)
  const samples: number[] = []
  for (let i = 0; i < WARMUP_COMMITS + run.plan.commits; i++) {
    const t0 = process.hrtime.bigint()
    cashPayment(run, engine, `${run.scale}-${i}`)
    if (i >= WARMUP_COMMITS) samples.push(elapsedMs(t0))
  }
  run.record('adjustment.finish.p50_ms', median(samples), 'ms')
  run.record('adjustment.finish.p99_ms', percentile(samples, 0.99), 'ms')
}

function measureSnapshot(run: ScaleRun): void {
  const store = run.openStore()
  const samples: number[] = []
  for (let i = 0; i < run.plan.snapshots; i++) {
    const t0 = process.hrtime.bigint()
    store.snapshot()
    samples.push(elapsedMs(t0))
  }
  run.record('snapshot_ms', median(samples), 'ms')
}

interface ChildSnapshotReport {
  mode: 'background' | 'main-thread'
  dbBytes: number
  /** Longest time the main thread was away from the request loop while the snapshot ran. */
  snapshotStallMs: number
  backupStallMs: number
  /** The same, over as many turns with nothing but commits (the floor: GC, the commit itself). */
  baselineStallMs: number
  snapshotMs: number
  backupMs: number
  commitsDuring: number
  peakRssBytes: number
  /** Pages the worker wrote over the last snapshot (null: it was made on the main thread). */
  pages: number | null
  mainThreadMs: number | null
}

/**
 * In a fresh process (as the app after a start): open the folder, then serve one payment per
 * event-loop turn, as a cashier's requests would arrive, while a snapshot and then a backup are
 * made. Each turn notes how long the thread was away since the previous turn ended: that is how
 * long a request arriving then would have waited.
 */
async function childSnapshot(dataDir: string, mode: ChildSnapshotReport['mode']): Promise<void> {
  const sql = await loadSqlJs()
  // No automatic snapshot: this run starts them itself, when the journal has reached the size.
  const store = DurableStore.open({ dataDir, sql, now: Date.now, log: () => {}, snapshotAfterBytes: Number.MAX_SAFE_INTEGER })
  const engine = new Engine(store, Date.now)
  const ids = store.read((r) =>
    r.all<Pick<StoredCustomer, 'id'>>("SELECT id FROM customers WHERE status NOT IN ('permanently-terminated', 'exported') ORDER BY id").map((c) => c.id)
  )
  const rand = mulberry32(99)
  const commit = () =>
    engine.change(FIRST_ADMIN_ACTOR, (w) => recordPayment(w, w.at, ids[Math.floor(rand() * ids.length)]!, 100 + Math.floor(rand() * 50_000), (rec) => w.audit(rec)))
  let commits = 0
  /** Serve requests until `work` settles; returns the longest gap between turns. */
  const serveDuring = async (work: () => unknown): Promise<{ maxGapMs: number; ms: number }> => {
    let settled = false
    let maxGap = 0
    const t0 = process.hrtime.bigint()
    let lastEnd = process.hrtime.bigint()
    const job = Promise.resolve()
      .then(work)
      .finally(() => (settled = true))
    while (!settled) {
      await yieldToEventLoop()
      maxGap = Math.max(maxGap, elapsedMs(lastEnd))
      commit()
      commits++
      lastEnd = process.hrtime.bigint()
    }
    await job
    return { maxGapMs: maxGap, ms: elapsedMs(t0) }
  }
  for (let i = 0; i < WARMUP_COMMITS; i++) commit()
  const backupFile = path.join(dataDir, 'bench-backup.sqlite')
  let turns = 0
  const baseline = await serveDuring(async () => {
    while (turns++ < 300) await yieldToEventLoop()
  })
  // As in use: a snapshot is due once the journal passes 8 MiB (about 9,000 payments), and it
  // writes every page those payments changed.
  while (store.journalBytes < SNAPSHOT_DUE_BYTES) commit()
  commits = 0
  const background = mode === 'background'
  let pages: number | null = null
  let mainThreadMs: number | null = null
  const snap = await serveDuring(async () => {
    if (background) ({ pages, mainThreadMs } = await store.snapshotInBackground())
    else store.snapshot()
  })
  const commitsDuring = commits
  const backup = await serveDuring(() => (background ? store.snapshotInBackground(() => backupFile) : writeFileAtomic(backupFile, store.exportBytes())))
  const report: ChildSnapshotReport = {
    mode,
    dbBytes: fs.statSync(path.join(dataDir, SNAPSHOT_FILE)).size,
    snapshotStallMs: snap.maxGapMs,
    backupStallMs: backup.maxGapMs,
    baselineStallMs: baseline.maxGapMs,
    snapshotMs: snap.ms,
    backupMs: backup.ms,
    commitsDuring,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    pages,
    mainThreadMs
  }
  // Fold this run's payments into the snapshot, so that the next open does not replay them.
  store.close()
  fs.rmSync(backupFile, { force: true })
  process.stdout.write(`${JSON.stringify(report)}\n`)
}

function runChildSnapshot(run: ScaleRun, mode: ChildSnapshotReport['mode']): ChildSnapshotReport {
  const script = process.argv[1]
  if (!script) throw new Error('cannot tell which script to start as the child')
  const child = spawnSync(process.execPath, [script, '--child-snapshot', run.dataDir, mode], { encoding: 'utf8' })
  if (child.status !== 0) throw new Error(`child snapshot failed: ${child.stderr || child.error?.message}`)
  return JSON.parse(child.stdout.trim().split('\n').pop() ?? '') as ChildSnapshotReport
}

/**
 * Snapshots and backups while requests are served (issue 7, item 23), each in a new process so
 * that its peak memory is that of the app after a start, not of this tool (which generated the
 * data). The main-thread path (still used on close, restore and bulk loads) is run the same way
 * for comparison, in the notes.
 */
function measureSnapshotStall(run: ScaleRun): void {
  run.closeStore()
  const bg = runChildSnapshot(run, 'background')
  const mt = runChildSnapshot(run, 'main-thread')
  run.record('snapshot.main_stall_ms', bg.snapshotStallMs, 'ms')
  run.record('backup.main_stall_ms', bg.backupStallMs, 'ms')
  run.record('snapshot.background_ms', bg.snapshotMs, 'ms')
  run.record('memory.peak_rss_ratio', bg.peakRssBytes / bg.dbBytes, 'x')
  const mib = (b: number) => (b / 2 ** 20).toFixed(0)
  run.note(
    `snapshot in the worker: ${bg.snapshotMs.toFixed(0)} ms, ${bg.commitsDuring} payments served meanwhile; backup ${bg.backupMs.toFixed(0)} ms; ` +
      `longest wait between requests ${bg.snapshotStallMs.toFixed(1)} ms (snapshot) / ${bg.backupStallMs.toFixed(1)} ms (backup), ` +
      `${bg.baselineStallMs.toFixed(1)} ms with no snapshot; peak RSS ${mib(bg.peakRssBytes)} MiB for a ${mib(bg.dbBytes)} MiB database` +
      (bg.pages === null
        ? ' (made on the main thread: the database outgrew its buffer)'
        : `; ${bg.pages} changed pages written over the last snapshot, ${bg.mainThreadMs?.toFixed(1)} ms of it on the main thread`)
  )
  run.note(
    `the same on the main thread (close, restore, bulk loads): longest wait ${mt.snapshotStallMs.toFixed(0)} ms (snapshot) / ` +
      `${mt.backupStallMs.toFixed(0)} ms (backup); peak RSS ${mib(mt.peakRssBytes)} MiB (${(mt.peakRssBytes / mt.dbBytes).toFixed(2)}x)`
  )
}

/** Close the store, then DurableStore.open (read file, quick_check, replay, migrations) + first query. */
function measureColdOpen(run: ScaleRun): void {
  run.closeStore()
  const samples: number[] = []
  for (let i = 0; i < run.plan.opens; i++) {
    const t0 = process.hrtime.bigint()
    const store = run.openStore()
    const n = store.read(countCustomers)
    samples.push(elapsedMs(t0))
    if (n !== run.totalCustomers) throw new Error(`reopened database has ${n} customers, expected ${run.totalCustomers}`)
    run.closeStore()
  }
  run.record('open.cold_ms', median(samples), 'ms')
}

interface ChildOpenReport {
  totalMs: number
  startupMs: number
  sqljsLoadMs: number
  openMs: number
  customers: number
}

/** A new Node process opens the folder: includes module loading and the sql.js WASM compile. */
function measureColdProcess(run: ScaleRun): void {
  run.closeStore()
  const script = process.argv[1]
  if (!script) throw new Error('cannot tell which script to start as the child')
  const reports: ChildOpenReport[] = []
  for (let i = 0; i < run.plan.opens; i++) {
    const child = spawnSync(process.execPath, [script, '--child-open', run.dataDir], { encoding: 'utf8' })
    if (child.status !== 0) throw new Error(`child open failed: ${child.stderr || child.error?.message}`)
    const line = child.stdout.trim().split('\n').pop() ?? ''
    reports.push(JSON.parse(line) as ChildOpenReport)
  }
  run.record('open.cold_process_ms', median(reports.map((r) => r.totalMs)), 'ms')
  run.record('open.sqljs_load_ms', median(reports.map((r) => r.sqljsLoadMs)), 'ms')
  const mid = [...reports].sort((a, b) => a.totalMs - b.totalMs)[Math.floor(reports.length / 2)]!
  run.note(
    `new process open: ${mid.startupMs.toFixed(0)} ms Node start + modules, ${mid.sqljsLoadMs.toFixed(0)} ms sql.js WASM, ` +
      `${mid.openMs.toFixed(0)} ms open + first query`
  )
}

/** The same change made durable the naive way: commit in memory, export everything, write atomically. */
function measureExportCommit(run: ScaleRun): void {
  run.closeStore()
  const db = new run.sql.Database(fs.readFileSync(run.snapshotPath))
  const naiveDir = path.join(run.dir, 'naive')
  fs.mkdirSync(naiveDir)
  const target = path.join(naiveDir, SNAPSHOT_FILE)
  try {
    db.run('PRAGMA foreign_keys = ON')
    const w = sqlJsWriter(db)
    const samples: number[] = []
    for (let i = 0; i < run.plan.exportCommits; i++) {
      const customer = run.nextCustomer()
      const amount = run.nextAmount()
      const t0 = process.hrtime.bigint()
      const at = new Date().toISOString()
      db.run('BEGIN')
      recordPayment(w, at, customer, amount, (rec) => appendAudit(w, at, FIRST_ADMIN_ACTOR, rec))
      db.run('COMMIT')
      w.free()
      const bytes = db.export()
      db.run('PRAGMA foreign_keys = ON') // export() reopens the connection
      writeFileAtomic(target, bytes)
      samples.push(elapsedMs(t0))
      progress(`[${run.scale}] export commits: ${i + 1} / ${run.plan.exportCommits}`)
    }
    w.free()
    run.record('commit.export.p50_ms', median(samples), 'ms')
    run.record('commit.export_vs_durable_ratio', median(samples) / run.value('commit.durable.p50_ms'), 'x')
  } finally {
    db.close()
  }
}

/** The same commit and query on native SQLite (WAL, synchronous=FULL) over a copy of the same data. */
function measureNative(run: ScaleRun): void {
  run.closeStore()
  const Database = loadBetterSqlite3()
  const nativeDir = path.join(run.dir, 'native')
  fs.mkdirSync(nativeDir)
  const file = path.join(nativeDir, SNAPSHOT_FILE)
  fs.copyFileSync(run.snapshotPath, file)

  const t0 = process.hrtime.bigint()
  const db = new Database(file)
  try {
    db.pragma('journal_mode = WAL')
    db.pragma('synchronous = FULL')
    db.pragma('foreign_keys = ON')
    const w = nativeWriter(db)
    const n = countCustomers(w)
    run.record('open.native_ms', elapsedMs(t0), 'ms')
    if (n !== run.totalCustomers) throw new Error(`native copy has ${n} customers, expected ${run.totalCustomers}`)

    const commit = db.transaction((customer: number, amount: number) => {
      const at = new Date().toISOString()
      recordPayment(w, at, customer, amount, (rec) => appendAudit(w, at, FIRST_ADMIN_ACTOR, rec))
    })
    const once = () => {
      const customer = run.nextCustomer()
      const amount = run.nextAmount()
      const start = process.hrtime.bigint()
      commit(customer, amount)
      return elapsedMs(start)
    }
    for (let i = 0; i < WARMUP_COMMITS; i++) once()
    const samples: number[] = []
    for (let i = 0; i < run.plan.commits; i++) {
      samples.push(once())
      if (i % 100 === 0) progress(`[${run.scale}] native commits: ${i} / ${run.plan.commits}`)
    }
    run.record('commit.native.p50_ms', median(samples), 'ms')
    run.record('commit.native.p99_ms', percentile(samples, 0.99), 'ms')
    run.record('commit.vs_native_ratio', run.value('commit.durable.p99_ms') / percentile(samples, 0.99), 'x')

    const querySamples: number[] = []
    for (let i = 0; i <= run.plan.queries; i++) {
      const start = process.hrtime.bigint()
      ;(w as DbReader).all(SEARCH_SQL, [`%${SEARCH}%`])
      if (i > 0) querySamples.push(elapsedMs(start)) // the first call prepares the statements
    }
    run.record('query.sql_search.native_p50_ms', median(querySamples), 'ms')
    run.record('query.vs_native_ratio', run.value('query.sql_search.p50_ms') / median(querySamples), 'x')
  } finally {
    db.close()
  }
}

/**
 * The customer list at 50k customers (issue 3): the first page when the app has just opened
 * (the index is built), then search-as-you-type, then search right after a durable change.
 * Usage records are left out: they do not touch the list and would take minutes to load.
 */
async function measureCustomerList(sql: SqlJsStatic, dir: string, figures: Figure[], notes: string[]): Promise<void> {
  const dataDir = path.join(dir, 'data')
  fs.mkdirSync(dataDir, { recursive: true })
  const record = (name: string, value: number, unit: string) => figures.push({ name, value: Math.round(value * 1000) / 1000, unit, scale: 'L' })
  let store = DurableStore.open({ dataDir, sql, now: Date.now, log: () => {} })
  status('[L] loading 50k customers (no usage)...')
  store.bulkTransaction((w) => generateDemoData(w, { size: 'L', at: new Date().toISOString(), usageRecords: 0 }))
  store.close()
  store = DurableStore.open({ dataDir, sql, now: Date.now, log: () => {} })
  try {
    const index = new CustomerIndex()
    const list = (search: string) => store.read((r) => listCustomers(r, index, { search, filters: {}, sort: DEFAULT_SORT, offset: 0, limit: 60 }))
    let t0 = process.hrtime.bigint()
    const first = list('')
    record('customers.list.first_page_ms', elapsedMs(t0), 'ms')
    notes.push(`[L] customer list: ${first.total} customers listed (permanently terminated hidden), first page includes building the index`)

    // What a person types: prefixes of names, IDs, phone digits and account IDs.
    const typed = ['e', 'ea', 'eas', 'easy', 'easy c', 'l', 'lo', 'lod', 'lodz', 'tel', 'tele', 'telecom', '+48', '4822', 'booth', 'ecl-b', 'zz', 'mega', 'sp. z', 'ltd']
    const samples: number[] = []
    for (let round = 0; round < 10; round++) {
      for (const term of typed) {
        t0 = process.hrtime.bigint()
        list(term)
        samples.push(elapsedMs(t0))
      }
    }
    record('customers.search.p50_ms', median(samples), 'ms')
    record('customers.search.p95_ms', percentile(samples, 0.95), 'ms')

    const sorted: number[] = []
    for (const key of ['balance', 'companyName', 'unallocated'] as const) {
      for (let i = 0; i < 5; i++) {
        t0 = process.hrtime.bigint()
        store.read((r) => listCustomers(r, index, { search: '', filters: {}, sort: { key, dir: i % 2 ? 'asc' : 'desc' }, offset: 0, limit: 60 }))
        sorted.push(elapsedMs(t0))
      }
    }
    record('customers.sorted_page.p95_ms', percentile(sorted, 0.95), 'ms')

    // A payment somewhere, then the cashier searches: the index takes in the changed row.
    const ids = store.read((r) => r.all<Pick<StoredCustomer, 'id'>>('SELECT id FROM customers ORDER BY id').map((c) => c.id))
    const rand = mulberry32(7)
    const engine = new Engine(store, Date.now)
    const afterChange: number[] = []
    for (let i = 0; i < 100; i++) {
      const id = ids[Math.floor(rand() * ids.length)]!
      engine.change(FIRST_ADMIN_ACTOR, (w) => w.run('UPDATE customers SET balance_minor = balance_minor - 100 WHERE id = ?', [id]))
      t0 = process.hrtime.bigint()
      list(typed[i % typed.length]!)
      afterChange.push(elapsedMs(t0))
    }
    record('customers.search_after_change.p95_ms', percentile(afterChange, 0.95), 'ms')
  } finally {
    store.close({ snapshot: false })
  }
}

/** Audit entries the audit log section loads (issue 12). */
const AUDIT_ENTRIES = 1_000_000

/**
 * The audit log at a million entries (issue 12): 10,000 demo customers (no usage), then a year of
 * entries appended in one bulk transaction with the hash chain computed as appendAudit does (a
 * fifth of them on 20 busy customers, the rest spread). Then the Audit log page's first page for a
 * customer and a month (audit.filter_1m.p95_ms, busy and ordinary customers alike), and walking
 * the whole chain (audit.verify_1m_s).
 */
/**
 * login.verify_ms (issue 13): one password check with the production KDF parameters (scrypt,
 * DEFAULT_KDF), as every login and unlock does it. The cost is the point: between 50 and 500 ms
 * keeps a guessing attacker slow and a cashier waiting less than half a second. Median of 7.
 */
async function measureLogin(figures: Figure[], notes: string[]): Promise<void> {
  const stored = await hashPassword('counter-bench-pass', DEFAULT_KDF)
  const samples: number[] = []
  for (let i = 0; i < 7; i++) {
    const t0 = process.hrtime.bigint()
    if (!(await verifyPassword('counter-bench-pass', stored))) throw new Error('login bench: the password did not verify')
    samples.push(Number(process.hrtime.bigint() - t0) / 1e6)
  }
  const value = median(samples)
  figures.push({ name: 'login.verify_ms', value: Math.round(value * 1000) / 1000, unit: 'ms', scale: 'S' })
  notes.push(
    `login.verify_ms: scrypt N=${DEFAULT_KDF.N} r=${DEFAULT_KDF.r} p=${DEFAULT_KDF.p} (${(128 * DEFAULT_KDF.N * DEFAULT_KDF.r) / 2 ** 20} MiB), median of 7: ${value.toFixed(0)} ms${value < 50 ? ' — BELOW the 50 ms floor: raise N' : ''}`
  )
}

async function measureAuditLog(sql: SqlJsStatic, dir: string, figures: Figure[], notes: string[]): Promise<void> {
  const dataDir = path.join(dir, 'data')
  fs.mkdirSync(dataDir, { recursive: true })
  const record = (name: string, value: number, unit: string) => figures.push({ name, value: Math.round(value * 1000) / 1000, unit, scale: 'M' })
  const store = DurableStore.open({ dataDir, sql, now: Date.now, log: () => {} })
  try {
    status('[M] audit log: loading 10k customers and 1M audit entries...')
    const yearStart = Date.parse('2025-01-01T00:00:00Z')
    const yearMs = 365 * 86_400_000
    const t0 = process.hrtime.bigint()
    const { ids: customers, invoiceOf } = store.bulkTransaction((w) => {
      generateDemoData(w, { size: 'M', at: new Date(yearStart).toISOString(), usageRecords: 0 })
      const ids = w.all<Pick<StoredCustomer, 'id'>>('SELECT id FROM customers ORDER BY id').map((c) => c.id)
      const ops = w.all<{ id: number; name: string }>('SELECT id, name FROM operators ORDER BY id')
      const last = w.get<Pick<StoredAudit, 'id' | 'hash'>>('SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1')
      let prev = last?.hash ?? GENESIS_HASH
      let id = last?.id ?? 0
      const rand = mulberry32(12)
      const kinds = ['customer.balance', 'customer.unallocated', 'invoice.status', 'invoice.payment', 'customer.status', 'customer.change']
      // An invoice for each of the 20 busy customers and 180 others (audit.trace_invoice): its
      // payment and status entries name it as their source, as the engine writes them.
      const invoiceOf = new Map<number, number>()
      for (const [n, customerId] of [...ids.slice(0, 200)].entries()) {
        invoiceOf.set(
          customerId,
          w.insert(
            `INSERT INTO invoices (number, prefix, sequence_number, customer_id, currency, period_start, period_end, issued_at, issue_date, due_date,
               previous_balance_minor, payments_minor, charges_minor, tax_rate_ppm, taxes_minor, total_minor, closing_balance_minor, amount_due_minor, status, created_at)
             VALUES (?, 'BENCH-', ?, ?, 'USD', ?, ?, ?, '2025-01-01', '2025-01-15', 0, 0, 100000, 0, 0, 100000, 100000, 100000, 'open', ?)`,
            [
              `BENCH-${String(n + 1).padStart(6, '0')}`,
              n + 1,
              customerId,
              new Date(yearStart).toISOString(),
              new Date(yearStart).toISOString(),
              new Date(yearStart).toISOString(),
              new Date(yearStart).toISOString()
            ]
          )
        )
      }
      for (let i = 0; i < AUDIT_ENTRIES; i++) {
        id++
        const busy = rand() < 0.2
        const customerId = busy ? ids[Math.floor(rand() * 20)]! : ids[Math.floor(rand() * ids.length)]!
        const op = ops[i % ops.length]!
        const from = Math.floor(rand() * 100_000)
        const to = from + Math.floor(rand() * 20_000) - 10_000
        const kind = kinds[i % kinds.length]!
        const invoiceId = kind.startsWith('invoice.') ? invoiceOf.get(customerId) : undefined
        const entry: Omit<StoredAudit, 'hash'> = {
          id,
          // A year of entries, in order: the clock moves on with the ids.
          at: new Date(yearStart + Math.floor((i / AUDIT_ENTRIES) * yearMs)).toISOString(),
          operator_id: op.id,
          operator_name: op.name,
          customer_id: customerId,
          kind,
          field: invoiceId === undefined ? 'balance' : kind === 'invoice.status' ? 'status' : 'amount_due',
          from_value: String(from),
          to_value: String(to),
          description: describeAmountChange('Balance', from, to, 'USD'),
          source_kind: invoiceId === undefined ? 'customer payment transaction' : 'invoice',
          source_id: invoiceId ?? i + 1,
          prev_hash: prev
        }
        const hash = insertAuditEntry(w, entry)
        prev = hash
        if (i % 50_000 === 0) progress(`[M] audit log: ${i.toLocaleString('en-US')} entries`)
      }
      return { ids, invoiceOf }
    })
    notes.push(`[M] audit log: 10k customers and ${AUDIT_ENTRIES.toLocaleString('en-US')} entries loaded in ${(elapsedMs(t0) / 1000).toFixed(1)} s`)

    // The Audit log page filtered by a customer and a month: the first page of 100, newest first.
    const rand = mulberry32(13)
    const samples: number[] = []
    let shown = 0
    for (let i = 0; i < 200; i++) {
      const customerId = i % 2 === 0 ? customers[Math.floor(rand() * 20)]! : customers[Math.floor(rand() * customers.length)]!
      const month = Math.floor(rand() * 12)
      const from = new Date(Date.UTC(2025, month, 1)).toISOString()
      const to = new Date(Date.UTC(2025, month + 1, 1)).toISOString()
      const t = process.hrtime.bigint()
      const page = store.read((r) => searchAudit(r, { customerId, from, to, limit: 100 }))
      samples.push(elapsedMs(t))
      shown += page.entries.length
    }
    record('audit.filter_1m.p95_ms', percentile(samples, 0.95), 'ms')
    notes.push(`[M] audit filter: 200 first pages (customer + month; half on the 20 busiest customers), ${(shown / 200).toFixed(0)} entries per page on average`)

    // The other filters, for the record (no target): a month alone, a kind, free text (one request
    // reads at most AUDIT_TEXT_WINDOW ids), each the first page and the one after it.
    const other = (name: string, filters: ((i: number) => AuditFilter)[]) => {
      const times: number[] = []
      for (let i = 0; i < 40; i++) {
        const f = filters[i % filters.length]!(i)
        let t = process.hrtime.bigint()
        const page = store.read((r) => searchAudit(r, { ...f, limit: 100 }))
        times.push(elapsedMs(t))
        if (page.next === null) continue
        t = process.hrtime.bigint()
        store.read((r) => searchAudit(r, { ...f, beforeId: page.next!, limit: 100 }))
        times.push(elapsedMs(t))
      }
      record(name, percentile(times, 0.95), 'ms')
    }
    const monthOf = (i: number) => ({ from: new Date(Date.UTC(2025, i % 12, 1)).toISOString(), to: new Date(Date.UTC(2025, (i % 12) + 1, 1)).toISOString() })
    other('audit.filter_1m_month.p95_ms', [monthOf])
    other('audit.filter_1m_kind.p95_ms', [() => ({ kind: 'invoice.status' }), (i) => ({ kind: 'customer.status', ...monthOf(i) })])
    other('audit.filter_1m_text.p95_ms', [() => ({ text: '95.00' }), () => ({ text: 'no such words' })])

    // Trace from an invoice (the invoice drawer's "Trace"): its amount due and its status, half on
    // the busy customers' invoices (about 17,000 entries each on the customer's index).
    const traceTimes: number[] = []
    let steps = 0
    for (let i = 0; i < 200; i++) {
      const customerId = i % 2 === 0 ? customers[Math.floor(rand() * 20)]! : customers[20 + Math.floor(rand() * 180)]!
      const invoiceId = invoiceOf.get(customerId)!
      const t = process.hrtime.bigint()
      steps += store.read((r) => trace(r, i % 4 < 2 ? 'invoice.amountDue' : 'invoice.status', invoiceId)).steps.length
      traceTimes.push(elapsedMs(t))
    }
    record('audit.trace_invoice.p95_ms', percentile(traceTimes, 0.95), 'ms')
    notes.push(`[M] audit trace: 200 invoice traces (amount due and status; half on the 20 busiest customers), ${(steps / 200).toFixed(0)} steps on average`)

    const tv = process.hrtime.bigint()
    const verified = store.read(verifyAuditChain)
    record('audit.verify_1m_s', elapsedMs(tv) / 1000, 's')
    if (!verified.ok) throw new Error(`the bench's audit chain is broken: ${verified.message}`)
  } finally {
    store.close({ snapshot: false })
  }
}

/**
 * The rating arithmetic alone (src-main/engine/rating.ts), in memory: 1M synthetic calls against
 * two versions of a 5,000-prefix price list (version in force, longest prefix, intervals, one
 * rounding each). The floor under usage.rate_1m_s, which adds parsing and the database.
 */
function measureRatingPure(figures: Figure[], notes: string[]): void {
  const rand = mulberry32(9)
  const digits = (n: number) => Array.from({ length: n }, () => String(Math.floor(rand() * 10))).join('')
  const prefixes = new Set<string>()
  while (prefixes.size < 5000) prefixes.add(String(1 + Math.floor(rand() * 9)) + digits(1 + Math.floor(rand() * 5)))
  const list = [...prefixes]
  const rows = (scale: bigint): RateRow[] =>
    list.map((prefix, i) => ({
      prefix,
      description: `destination ${i}`,
      ratePerMinute: (BigInt(i % 977) * 137n + 500n) * scale,
      connectionFee: BigInt(i % 3) * 500n,
      firstIntervalS: i % 2 === 0 ? 60 : 30,
      nextIntervalS: i % 2 === 0 ? 60 : 6,
      freeSeconds: i % 5 === 0 ? 5 : 0
    }))
  const changeAt = Date.parse('2026-03-15T00:00:00Z')
  const versions: PriceListVersion[] = [
    { effectiveFrom: Date.parse('2026-01-01T00:00:00Z'), rows: rows(1n) },
    { effectiveFrom: changeAt, rows: rows(2n) }
  ]
  const n = 1_000_000
  const numbers: string[] = []
  const durations = new Int32Array(n)
  const starts = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    // About 1% dial a number outside the list (leading 0 after normalisation matches no prefix).
    numbers.push(rand() < 0.01 ? `+0${digits(9)}` : `+${list[Math.floor(rand() * list.length)]}${digits(7)}`)
    durations[i] = Math.floor(rand() * 1800)
    starts[i] = changeAt + Math.floor((rand() - 0.5) * 30 * 86_400_000)
  }
  const t0 = process.hrtime.bigint()
  let total = 0
  let unrated = 0
  for (let i = 0; i < n; i++) {
    const start = starts[i] ?? 0
    const res = rateCall({ durationS: durations[i] ?? 0, calledNumber: numbers[i] ?? '', start }, versionInForce(versions, start), 2, 'away-from-zero')
    if (res.rated) total += res.chargeMinor
    else unrated++
  }
  figures.push({ name: 'rating.rate_1m_pure_s', value: elapsedMs(t0) / 1000, unit: 's', scale: 'M' })
  notes.push(`rating.rate_1m_pure_s: ${n} calls, 5,000 prefixes x 2 versions, ${unrated} unrated, total ${total} minor units.`)
}

/** A job's pause between units of work (a macrotask turn) that notes the longest unit before it. */
function unitTimer(): { longest: { unitMs: number }; timedPause: () => Promise<void> } {
  const longest = { unitMs: 0 }
  let start = performance.now()
  const timedPause = async () => {
    longest.unitMs = Math.max(longest.unitMs, performance.now() - start)
    await new Promise((resolve) => setImmediate(resolve))
    start = performance.now()
  }
  return { longest, timedPause }
}

/**
 * Re-rating the last month of the demo usage for every customer (issue 9): one new list per
 * currency (the demo's destinations at whole-minute intervals, so nearly every voice charge
 * changes) replaces every customer's voice list (the demo's own lists rate the usage exactly as
 * generated, so re-rating with them would change nothing); SMS keeps the demo's SMS list. Timed from the plan to the last customer's
 * unit of work, pausing between customers as the job does in the app.
 */
async function measureRerateMonth(run: ScaleRun): Promise<void> {
  const engine = new Engine(run.openStore(), Date.now)
  const csv = [
    'prefix,description,price_per_minute,connection_fee,first_interval,next_interval,free_seconds',
    ...DESTINATIONS.map((d) => `${d.prefix},Bench ${d.prefix},${(d.voiceMilliCentsPerMin / 100_000).toFixed(5)},0.01,60,60,0`)
  ].join('\n')
  engine.change(FIRST_ADMIN_ACTOR, (w) => {
    const voice = w.get<{ id: number }>("SELECT id FROM services WHERE code = 'voice'")
    if (!voice) throw new Error('The demo data has no voice service.')
    for (const { currency } of w.all<{ currency: string }>('SELECT DISTINCT currency FROM customers ORDER BY currency')) {
      const list = createPriceList(w, { name: `Bench ${currency}`, currency })
      uploadVersion(w, { priceListId: list.id, csv, effectiveFrom: '2000-01-01T00:00:00Z' })
    }
    w.run(
      `INSERT OR REPLACE INTO customer_price_lists (customer_id, service_id, price_list_id)
       SELECT c.id, ?, l.id FROM customers c JOIN price_lists l ON l.currency = c.currency AND l.name LIKE 'Bench %'`,
      [voice.id]
    )
  })
  const to = new Date().toISOString()
  const from = new Date(Date.parse(to) - 30 * 86_400_000).toISOString()
  // The preview is a read in the main process: how long the page waits for it (a note, not a figure).
  const p0 = process.hrtime.bigint()
  const preview = engine.read((r) => previewRerating(r, { scope: { kind: 'all' }, from, to, priceListId: null, limit: 50 }))
  run.note(
    `re-rating preview of the same month: ${(elapsedMs(p0) / 1000).toFixed(1)} s for ${preview.recordsConsidered} records of ${preview.customersConsidered} customers.`
  )
  // The longest unit of work is how long a cashier's request could wait meanwhile.
  const { longest, timedPause } = unitTimer()
  const t0 = process.hrtime.bigint()
  const apply = prepareRerating(engine, FIRST_ADMIN_ACTOR, { scope: { kind: 'all' }, from, to, priceListId: null })
  const result = await apply({
    signal: new AbortController().signal,
    progress: (done, total) => {
      if (done % 500 === 0) progress(`[${run.scale}] re-rating a month: ${done} / ${total} customers`)
    },
    pause: timedPause
  })
  const seconds = elapsedMs(t0) / 1000
  run.record('usage.rerate_month_m_s', seconds, 's')
  run.note(
    `usage.rerate_month_m_s: ${result.recordsChanged} records of ${result.customersChanged} customers re-rated in ${seconds.toFixed(1)} s (${from.slice(0, 10)} to ${to.slice(0, 10)}), longest unit of work ${longest.unitMs.toFixed(0)} ms.`
  )
}

/**
 * A purge of old usage (a note, not a figure): the clock is moved two months on, so that with 2
 * months kept the demo's usage (and the usage import's) is older than kept. Runs after every
 * other measurement: until 2026-12-01 it ran inside the re-rating section, and the period close,
 * the re-issue and the usage import then met a database whose usage it had removed (all of the
 * demo's, on that day: the cutoff follows the calendar).
 */
async function measureUsagePurge(run: ScaleRun): Promise<void> {
  const engine = new Engine(run.openStore(), Date.now)
  const { longest, timedPause } = unitTimer()
  const later = new Date(Date.now() + 62 * 86_400_000).toISOString()
  const cutoff = engine.read((r) => getRetention(r, later).cutoff)
  const q0 = process.hrtime.bigint()
  const purged = await purgeUsage(engine, FIRST_ADMIN_ACTOR, later, { cutoff }, timedPause)
  run.note(
    `usage purge before ${cutoff.slice(0, 10)}: ${purged.recordsPurged} records of ${purged.customers} customers into ${purged.summariesWritten} summaries in ${(elapsedMs(q0) / 1000).toFixed(1)} s, longest unit of work ${longest.unitMs.toFixed(0)} ms.`
  )
}

/**
 * The usage import (src-main/engine/usageImport.ts) of a switch file, parsing, rating, duplicate
 * check, inserts, balances, audit and the durable journal included: 1M records at M
 * (usage.rate_1m_s), 100k at S. Runs last: it adds the records to the scale's database.
 */
async function measureUsageImport(run: ScaleRun): Promise<void> {
  const n = run.scale === 'S' ? 100_000 : 1_000_000
  const res = await benchUsageImport(run.openStore(), n)
  const s = res.summary
  const name = run.scale === 'S' ? 'usage.rate_100k_s' : run.scale === 'M' ? 'usage.rate_1m_s' : 'usage.rate_1m_l_s'
  run.record(name, res.seconds, 's')
  run.record(name.replace(/_s$/, '_cpu_s'), res.cpuSeconds, 's')
  if (res.mainThreadCpuSeconds !== null) run.record(name.replace(/_s$/, '_main_cpu_s'), res.mainThreadCpuSeconds, 's')
  run.note(
    `usage import: ${s.lines.toLocaleString('en-US')} lines (${res.fileMb.toFixed(1)} MiB) in ${res.batches} batches, ${s.rated.toLocaleString('en-US')} rated, ` +
      `${s.unrated.toLocaleString('en-US')} unrated ${JSON.stringify(s.unratedByReason)}, state ${s.state}, ${Math.round(s.lines / res.seconds).toLocaleString('en-US')} records/s; ` +
      `${res.cpuSeconds.toFixed(1)} s of CPU (all threads${res.mainThreadCpuSeconds === null ? '' : `, ${res.mainThreadCpuSeconds.toFixed(1)} s of it on the main thread${res.mainThreadKernel === null ? '' : `, ${res.mainThreadKernel.seconds.toFixed(1)} s of that in the kernel for ${res.mainThreadKernel.faults.toLocaleString('en-US')} page faults and the journal's writes`}`}); reading the file ${res.readSeconds.toFixed(1)} s; longest batch ${res.longestBatchMs.toFixed(0)} ms; database ${res.dbMb[0].toFixed(0)} -> ${res.dbMb[1].toFixed(0)} MiB.`
  )
}

/**
 * A4 invoice PDFs (src-main/pdf/invoicePdf.ts) one after another on this thread, the embedded
 * font subset per document: pdf.invoices_per_s (target ≥ 60/s on one core) and the size of the
 * typical one-page invoice (src-main/pdf/samples.ts). Independent of the demo data.
 */
async function measurePdfInvoices(run: ScaleRun): Promise<void> {
  const invoice = sampleInvoice()
  let bytes = await invoicePdf(invoice) // the first one reads and parses the font
  for (let i = 0; i < 20; i++) bytes = await invoicePdf(invoice)
  const n = run.scale === 'S' ? 600 : 300
  const cpu0 = process.cpuUsage()
  const t0 = process.hrtime.bigint()
  for (let i = 0; i < n; i++) await invoicePdf({ ...invoice, number: `INV-BENCH-${i}` })
  const seconds = elapsedMs(t0) / 1000
  const cpu = process.cpuUsage(cpu0)
  // CPU time as well as wall time: on a busy machine the wall figure is what other work left us.
  const cpuSeconds = (cpu.user + cpu.system) / 1e6
  run.record('pdf.invoices_per_s', n / seconds, '/s')
  run.record('pdf.invoices_per_cpu_s', n / cpuSeconds, '/s')
  run.record('pdf.invoice_kb', bytes.length / 1024, 'KiB')
  run.note(`pdf: ${n} one-page A4 invoices in ${seconds.toFixed(2)} s (${cpuSeconds.toFixed(2)} s of CPU) on one thread, ${(bytes.length / 1024).toFixed(1)} KiB each.`)

  // The same on worker threads (pdf.invoices_per_s_pool; stretch target 150/s), one per core: the
  // main thread only hands out documents here.
  const pool = new PdfWorkerPool(os.availableParallelism())
  try {
    await Promise.all(Array.from({ length: pool.size * 4 }, () => pool.render({ kind: 'invoice', document: invoice }))) // start and warm every worker
    const p0 = process.hrtime.bigint()
    const inFlight = pool.size * 4
    let next = 0
    const lane = async () => {
      while (next < n) await pool.render({ kind: 'invoice', document: { ...invoice, number: `INV-POOL-${next++}` } })
    }
    await Promise.all(Array.from({ length: inFlight }, lane))
    const poolSeconds = elapsedMs(p0) / 1000
    run.record('pdf.invoices_per_s_pool', n / poolSeconds, '/s')
    run.note(`pdf: ${n} invoices on ${pool.size} worker thread(s) (${os.availableParallelism()} cores) in ${poolSeconds.toFixed(2)} s.`)
  } finally {
    await pool.close()
  }
}

/**
 * Closing a monthly billing period (src-main/engine/invoicing.ts) for every customer: each class
 * made monthly on the 1st, the clock moved to the next 1st, and every invoice issued with its
 * lines, tax record, the records it takes and its audit entry, in the job's units of work. No PDFs.
 */
async function measurePeriodClose(run: ScaleRun): Promise<void> {
  const t = new Date()
  const nextFirst = new Date(t.getFullYear(), t.getMonth() + 1, 1, 0, 1).getTime()
  const engine = new Engine(run.openStore(), () => nextFirst)
  engine.change(FIRST_ADMIN_ACTOR, (w) => w.run("UPDATE customer_classes SET billing_period = 'monthly', billing_day = 1"))
  const longest = { unitMs: 0 }
  const t0 = process.hrtime.bigint()
  let last = performance.now()
  const result = await closeDuePeriods(engine, FIRST_ADMIN_ACTOR, {
    onProgress: (done, total) => {
      longest.unitMs = Math.max(longest.unitMs, performance.now() - last)
      last = performance.now()
      if (done % 2000 === 0) progress(`[${run.scale}] closing a period: ${done} / ${total} customers`)
    }
  })
  const seconds = elapsedMs(t0) / 1000
  const records = engine.read((r) => r.get<{ n: number }>('SELECT count(*) AS n FROM xdrs WHERE invoice_id IS NOT NULL')?.n ?? 0)
  run.record(run.scale === 'M' ? 'period.close_10k_s' : 'period.close_s', seconds, 's')
  run.note(
    `period close: ${result.invoicesIssued} invoices for ${result.customers} customers taking ${records} records in ${seconds.toFixed(1)} s, longest unit of work ${longest.unitMs.toFixed(0)} ms.`
  )
}

/**
 * A cashier at the counter while a batch runs: a cash payment through the adjustment wizard's
 * Finish (submitAdjustment, durable) every `everyMs`, each timed from the moment it was due (a
 * request that arrives while a unit of work holds the main thread waits for it) to its answer.
 */
function counterPayments(run: ScaleRun, engine: Engine, everyMs: number): { stop(): number[]; own: number[]; flush: number[]; ownAt: { from: number; to: number }[] } {
  const samples: number[] = []
  /** Of the payment's own unit of work, its journal flush (fdatasync). */
  const flush: number[] = []
  /** The payment's own unit of work (its commit and disk flush), without the wait. */
  const own: number[] = []
  /** When each payment's own unit of work ran (wall clock), to line up with a snapshot's steps. */
  const ownAt: { from: number; to: number }[] = []
  const t0 = performance.now()
  let i = 0
  let timer: NodeJS.Timeout | null = null
  const next = () => {
    i += 1
    const due = t0 + i * everyMs
    timer = setTimeout(
      () => {
        const started = performance.now()
        cashPayment(run, engine, `reissue-${run.scale}-${i}`)
        const ended = performance.now()
        samples.push(ended - due)
        own.push(ended - started)
        ownAt.push({ from: performance.timeOrigin + started, to: performance.timeOrigin + ended })
        flush.push(run.openStore().lastFlushMs)
        next()
      },
      Math.max(0, due - performance.now())
    )
  }
  next()
  return {
    own,
    flush,
    ownAt,
    stop: () => {
      if (timer) clearTimeout(timer)
      return samples
    }
  }
}

/** Bytes this process (all its threads) has had written to the disk so far (Linux; 0 elsewhere). */
function diskWriteBytes(): number {
  try {
    return Number(/^write_bytes: (\d+)$/m.exec(fs.readFileSync('/proc/self/io', 'utf8'))?.[1] ?? 0)
  } catch {
    return 0
  }
}

/** Background snapshots the store makes while `fn` runs (their steps, for lining up with requests). */
async function watchSnapshots<T>(store: DurableStore, fn: () => Promise<T>): Promise<{ value: T; snapshots: () => Promise<BackgroundSnapshot[]> }> {
  const started: Promise<BackgroundSnapshot | null>[] = []
  const original = store.snapshotInBackground
  store.snapshotInBackground = (copyTo) => {
    const p = original.call(store, copyTo)
    started.push(p.catch(() => null))
    return p
  }
  try {
    const value = await fn()
    // Those still in flight are waited for only when asked (after the batch's time is taken).
    return { value, snapshots: async () => (await Promise.all(started)).filter((s) => s !== null) }
  } finally {
    store.snapshotInBackground = original
  }
}

/**
 * What held the main thread for long while `fn` ran: units of work over `overMs` (by the function
 * that asked for them, with their journal flush) and garbage-collection pauses over 20 ms.
 */
async function watchLongHolds<T>(engine: Engine, store: DurableStore, fn: () => Promise<T>, overMs = 50): Promise<{ value: T; summary: () => string }> {
  const units = new Map<string, { n: number; max: number; flush: number }>()
  const original = engine.change.bind(engine)
  engine.change = <R>(actor: Actor, work: (w: Work) => R, opts?: Parameters<Engine['change']>[2]): R => {
    const where = /at (?:new )?([\w.<>]+) /.exec(new Error().stack?.split('\n')[2] ?? '')?.[1] ?? '?'
    const t = performance.now()
    try {
      return original(actor, work, opts)
    } finally {
      const ms = performance.now() - t
      if (ms > overMs) {
        const u = units.get(where) ?? { n: 0, max: 0, flush: 0 }
        units.set(where, { n: u.n + 1, max: Math.max(u.max, ms), flush: u.flush + store.lastFlushMs })
      }
    }
  }
  const gc: number[] = []
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if (e.duration > 20) gc.push(e.duration)
  })
  observer.observe({ entryTypes: ['gc'] })
  try {
    const value = await fn()
    return {
      value,
      summary: () =>
        `units of work over ${overMs} ms: ${[...units].map(([w, u]) => `${w} ${u.n} (max ${u.max.toFixed(0)} ms, mean flush ${(u.flush / u.n).toFixed(0)} ms)`).join(', ') || 'none'}; GC pauses over 20 ms: ${gc.length}${gc.length > 0 ? ` (max ${Math.max(...gc).toFixed(0)} ms)` : ''}`
    }
  } finally {
    Reflect.deleteProperty(engine, 'change') // back to the class's own
    observer.disconnect()
  }
}

/** How many slow payment commits (over `slowMs`) overlapped which snapshot step. */
function slowCommitsBySnapshotStep(ownAt: { from: number; to: number }[], snapshots: BackgroundSnapshot[], slowMs = 20): string {
  const slow = ownAt.filter((o) => o.to - o.from > slowMs)
  const by = new Map<string, number>()
  for (const o of slow) {
    const steps = new Set<string>()
    for (const s of snapshots) for (const p of s.phases) if (p.from < o.to && p.to > o.from) steps.add(p.name)
    const key = steps.size === 0 ? 'no snapshot step' : [...steps].join('+')
    by.set(key, (by.get(key) ?? 0) + 1)
  }
  const phaseMs = new Map<string, number>()
  for (const s of snapshots) for (const p of s.phases) phaseMs.set(p.name, (phaseMs.get(p.name) ?? 0) + (p.to - p.from))
  const steps = [...phaseMs].map(([n, ms]) => `${n} ${(ms / 1000).toFixed(1)} s`).join(', ')
  const overlap = [...by].map(([k, n]) => `${k}: ${n}`).join(', ')
  return `${snapshots.length} background snapshot(s) (steps in all: ${steps || 'none'}); ${slow.length} of ${ownAt.length} payment commits over ${slowMs} ms (${overlap || 'none'})`
}

/**
 * Batch re-issue (src-main/engine/reissue.ts) of every invoice the period close just issued, void
 * and renumber, run in its units of work as the job runs it. First recalculation only (no PDFs):
 * `reissue.10k.recalc_s`; then the replacements re-issued again with every PDF drawn on a worker
 * pool and stored as the app does it (AppCore.reissuePdfs): `reissue.10k.total_s`, while a cashier
 * takes a cash payment every 100 ms: `reissue.payment_during_batch.p99_ms`. Wall and CPU time of
 * this process (its worker threads included).
 */
async function measureReissue(run: ScaleRun): Promise<void> {
  const t = new Date()
  const closedAt = new Date(t.getFullYear(), t.getMonth() + 1, 1, 0, 1).getTime()
  const engine = new Engine(run.openStore(), () => closedAt + 60 * 60 * 1000)
  const customerIds = engine.read((r) => r.all<{ id: number }>('SELECT id FROM customers ORDER BY id').map((c) => c.id))
  const issuedAfter = new Date(closedAt - 60_000).toISOString()
  const m = run.scale === 'M' ? 'reissue.10k' : 'reissue'
  let planMs = 0
  let paymentsWhilePlanning = 0
  // The cashier's payments are timed from the start: while the batch is planned (in units of
  // work, as reissue.start does it) and while it runs.
  const batch = async (label: string, extra: Partial<BatchControl>, payments: () => ReturnType<typeof counterPayments>) => {
    const longest = { unitMs: 0, planUnitMs: 0 }
    const cpu0 = process.cpuUsage()
    const t0 = process.hrtime.bigint()
    const counter = payments()
    const written0 = diskWriteBytes()
    const { value: watched, summary: holds } = await watchLongHolds(engine, run.openStore(), () =>
      watchSnapshots(run.openStore(), async () => {
        // Planning's units: the longest the event loop was held meanwhile.
        const loopDelay = monitorEventLoopDelay({ resolution: 1 })
        loopDelay.enable()
        const batchId = await planBatch(engine, FIRST_ADMIN_ACTOR, { customerIds, issuedAfter, mode: 'void' })
        loopDelay.disable()
        longest.planUnitMs = loopDelay.max / 1e6
        planMs = elapsedMs(t0)
        paymentsWhilePlanning = counter.own.length
        let last = performance.now()
        return runBatch(engine, FIRST_ADMIN_ACTOR, batchId, {
          ...extra,
          progress: (done, total) => {
            longest.unitMs = Math.max(longest.unitMs, performance.now() - last)
            last = performance.now()
            if (done % 2000 === 0) progress(`[${run.scale}] re-issuing (${label}): ${done} / ${total} invoices`)
          }
        })
      })
    )
    const { value: result, snapshots: snapshotsMade } = watched
    const seconds = elapsedMs(t0) / 1000
    const cpu = process.cpuUsage(cpu0)
    const samples = counter.stop()
    const written = diskWriteBytes() - written0
    const snapshots = await snapshotsMade()
    run.note(`re-issue (${label}): ${(written / 2 ** 20).toFixed(0)} MiB written to the disk meanwhile; ${slowCommitsBySnapshotStep(counter.ownAt, snapshots)}.`)
    run.note(
      `re-issue (${label}): payments' own journal flush p50 ${median(counter.flush).toFixed(1)} ms, p99 ${percentile(counter.flush, 0.99).toFixed(1)} ms; snapshot sizes ${[...new Set(snapshots.map((s) => Math.round(s.size / 2 ** 20)))].join('/')} MiB, pages written ${snapshots.map((s) => s.pages ?? 0).join(', ')}.`
    )
    const waits = samples.map((x, i) => x - (counter.own[i] ?? 0))
    run.note(`re-issue (${label}): payments' wait before their own unit p99 ${percentile(waits, 0.99).toFixed(1)} ms; ${holds()}.`)
    const whilePlanning = samples.slice(0, paymentsWhilePlanning)
    run.note(
      `re-issue (${label}): planning ${customerIds.length} customers took ${planMs.toFixed(0)} ms in units of work (the event loop held at most ${longest.planUnitMs.toFixed(0)} ms); ${whilePlanning.length} payments meanwhile, max ${whilePlanning.length === 0 ? '-' : Math.max(...whilePlanning).toFixed(1)} ms (included in the figures below).`
    )
    return { result, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, longestMs: longest.unitMs, planMs, samples, own: counter.own, snapshots }
  }

  const recalc = await batch('recalculation', {}, () => counterPayments(run, engine, 100))
  const quietSamples = recalc.samples
  run.record(`${m}.recalc_s`, recalc.seconds, 's')
  run.record(`${m}.recalc_cpu_s`, recalc.cpuSeconds, 's')
  run.note(
    `re-issue: ${recalc.result.reissued} invoices of ${customerIds.length} customers voided and renumbered in ${recalc.seconds.toFixed(1)} s (${recalc.cpuSeconds.toFixed(1)} s of CPU; no PDFs; planning the batch, in units of work: ${recalc.planMs.toFixed(0)} ms), longest unit of work ${recalc.longestMs.toFixed(0)} ms; ${quietSamples.length} cash payments meanwhile, p50 ${median(quietSamples).toFixed(1)} ms, p99 ${percentile(quietSamples, 0.99).toFixed(1)} ms (their own commit: p50 ${median(recalc.own).toFixed(1)} ms, p99 ${percentile(recalc.own, 0.99).toFixed(1)} ms).`
  )

  const pool = new PdfWorkerPool(Math.min(4, os.availableParallelism()), undefined, true)
  try {
    const pdfs = new InvoicePdfBatch(engine, FIRST_ADMIN_ACTOR, (document) => pool.render({ kind: 'invoice', document }))
    const total = await batch(
      'with PDFs',
      {
        onReissued: (e) => pdfs.add(e.newInvoiceId),
        beforeFinish: async () => {
          await pdfs.drained()
        }
      },
      () => counterPayments(run, engine, 100)
    )
    const samples = total.samples
    run.record(`${m}.total_s`, total.seconds, 's')
    run.record(`${m}.total_cpu_s`, total.cpuSeconds, 's')
    run.record('reissue.payment_during_batch.p50_ms', median(samples), 'ms')
    run.record('reissue.payment_during_batch.p99_ms', percentile(samples, 0.99), 'ms')
    run.note(
      `re-issue with PDFs: ${total.result.reissued} invoices re-issued again and ${pdfs.result.stored} PDFs stored (${pdfs.result.changed} changed while drawn, ${pdfs.result.failed} failed) on ${pool.size} worker thread(s) in ${total.seconds.toFixed(1)} s (${total.cpuSeconds.toFixed(1)} s of CPU, all threads), longest unit of work ${total.longestMs.toFixed(0)} ms; ${samples.length} cash payments meanwhile, p50 ${median(samples).toFixed(1)} ms, p99 ${percentile(samples, 0.99).toFixed(1)} ms, max ${Math.max(...samples).toFixed(1)} ms (their own commit: p50 ${median(total.own).toFixed(1)} ms, p99 ${percentile(total.own, 0.99).toFixed(1)} ms); planning it took ${total.planMs.toFixed(0)} ms.`
    )
  } finally {
    await pool.close()
  }
}

const MEASUREMENTS: Measurement[] = [
  { title: 'database size', run: measureDbSize },
  { title: 'disk flush baseline', run: measureDiskFlush },
  { title: 'durable commits', run: measureDurableCommit },
  { title: 'customers search query', run: measureQuery },
  { title: 'usage browser pages', run: measureUsageBrowse },
  { title: 'adjustment Finish', run: measureAdjustmentFinish },
  { title: 'snapshots', run: measureSnapshot },
  { title: 'snapshot and backup while requests are served', run: measureSnapshotStall },
  { title: 'cold open in process', run: measureColdOpen },
  { title: 'cold open in a new process', run: measureColdProcess },
  { title: 'naive export commits', run: measureExportCommit },
  { title: 'native SQLite reference', run: measureNative },
  { title: 're-rating a month of usage', run: measureRerateMonth },
  { title: 'closing a billing period', run: measurePeriodClose },
  { title: 're-issuing the invoices of every customer', run: measureReissue },
  { title: 'pdf invoices', run: measurePdfInvoices },
  // Near the end: it adds a million records to the scale's database.
  { title: 'usage import', run: measureUsageImport },
  // Last: it removes the old usage.
  { title: 'usage purge', run: measureUsagePurge }
]

// ---------------------------------------------------------------------------------------------
// Output.

function formatValue(v: number): string {
  const abs = Math.abs(v)
  return abs >= 1000 ? v.toFixed(0) : abs >= 100 ? v.toFixed(1) : abs >= 10 ? v.toFixed(2) : v.toFixed(3)
}

function printTable(figures: Figure[]): void {
  const names: string[] = []
  for (const f of figures) if (!names.includes(f.name)) names.push(f.name)
  const rows: string[][] = [['name', 'scale', 'value', 'unit', 'target']]
  for (const name of names) {
    for (const scale of ALL_SCALES) {
      const f = figures.find((x) => x.name === name && x.scale === scale)
      if (!f) continue
      const t = TARGETS.find((x) => x.name === name && x.scale === scale)
      const met = t === undefined ? false : t.min !== undefined ? f.value >= t.min : f.value <= t.max
      rows.push([f.name, f.scale, formatValue(f.value), f.unit, t ? `${t.text} ${met ? '✓' : '✗'}` : ''])
    }
  }
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)))
  const line = (r: string[]) =>
    r
      .map((cell, c) => (c === 2 ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)))
      .join(' | ')
      .trimEnd()
  console.log(line(rows[0]!))
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'))
  for (const r of rows.slice(1)) console.log(line(r))
}

// ---------------------------------------------------------------------------------------------
// Entry points.

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name)
  return i >= 0 ? process.argv[i + 1] : undefined
}

async function childOpen(dataDir: string): Promise<void> {
  const startupMs = performance.now() // since this process started (performance.timeOrigin)
  const sql = await loadSqlJs()
  const loaded = performance.now()
  const store = DurableStore.open({ dataDir, sql, now: Date.now, log: () => {} })
  const customers = store.read(countCustomers)
  const done = performance.now()
  store.close({ snapshot: false })
  const report: ChildOpenReport = { totalMs: done, startupMs, sqljsLoadMs: loaded - startupMs, openMs: done - loaded, customers }
  process.stdout.write(`${JSON.stringify(report)}\n`)
}

function parseScales(text: string): Scale[] {
  const scales = text
    .split(',')
    .map((s) => s.trim().toUpperCase())
    .filter((s) => s !== '')
  for (const s of scales) if (!ALL_SCALES.includes(s as Scale)) throw new Error(`--scales takes S, M and/or L (got ${s})`)
  return scales as Scale[]
}

function filesystemOf(dir: string): string {
  if (process.platform !== 'linux') return 'unknown'
  try {
    // The longest mount point that contains dir.
    let best = { mount: '', type: 'unknown' }
    for (const line of fs.readFileSync('/proc/mounts', 'utf8').split('\n')) {
      const [, mount, type] = line.split(' ')
      if (mount && type && (dir === mount || dir.startsWith(mount.endsWith('/') ? mount : `${mount}/`)) && mount.length > best.mount.length) {
        best = { mount, type }
      }
    }
    return best.type
  } catch {
    return 'unknown'
  }
}

async function main(): Promise<void> {
  const childDir = option('--child-open')
  if (childDir !== undefined) return childOpen(childDir)
  const snapshotDir = option('--child-snapshot')
  if (snapshotDir !== undefined)
    return childSnapshot(snapshotDir, process.argv[process.argv.indexOf('--child-snapshot') + 2] === 'main-thread' ? 'main-thread' : 'background')

  const scales = parseScales(option('--scales') ?? 'S,M')
  const jsonFile = option('--json')
  const only = option('--only')
    ?.split(',')
    .map((w) => w.trim())
    .filter((w) => w !== '')
  const measurements = only === undefined ? MEASUREMENTS : MEASUREMENTS.filter((m) => only.some((w) => m.title.includes(w)))
  const parent = fs.realpathSync(path.resolve(option('--dir') ?? os.tmpdir()))
  const fsType = filesystemOf(parent)
  const cpus = os.cpus()
  console.log(`Callshop billing desk storage benchmark, ${new Date().toISOString()}`)
  console.log(
    `node ${process.version}, ${os.platform()} ${os.arch()}, ${cpus.length} x ${cpus[0]?.model ?? 'cpu'}, ` +
      `${Math.round(os.totalmem() / 2 ** 30)} GiB RAM; temp data in ${parent} (${fsType})`
  )
  // Other work on the machine shows up in every figure, above all in p99s: say how busy it was.
  const load = () =>
    os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')
  console.log(`load average at start: ${load()}`)
  if (fsType === 'tmpfs' || fsType === 'ramfs') {
    console.log('WARNING: the temp folder is in memory; fsync costs nothing there. Use --dir on a real disk.')
  }

  const figures: Figure[] = []
  const notes: string[] = []
  const dirs: string[] = []
  const cleanUp = () => {
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true })
    dirs.length = 0
  }
  process.once('SIGINT', () => {
    cleanUp()
    process.exit(130)
  })
  const sql = await loadSqlJs()
  try {
    // --only naming only the standalone sections (e.g. audit) loads no demo scale.
    for (const scale of only !== undefined && measurements.length === 0 ? [] : scales) {
      const dir = fs.mkdtempSync(path.join(parent, `callshop-bench-${scale}-`))
      dirs.push(dir)
      const run = new ScaleRun(scale, sql, dir, figures)
      try {
        await loadDemo(run)
        for (const m of measurements) {
          status(`[${scale}] ${m.title}...`)
          await m.run(run)
        }
      } finally {
        run.closeStore()
        notes.push(...run.notes)
        fs.rmSync(dir, { recursive: true, force: true })
      }
    }
    if (scales.includes('M') && only === undefined) {
      const dir = fs.mkdtempSync(path.join(parent, 'callshop-bench-customers-'))
      dirs.push(dir)
      await measureCustomerList(sql, dir, figures, notes)
      status('rating arithmetic, 1M calls in memory...')
      measureRatingPure(figures, notes)
    }
    if (only === undefined || only.includes('login')) {
      status('password check (login.verify_ms)...')
      await measureLogin(figures, notes)
    }
    if ((scales.includes('M') && only === undefined) || only?.includes('audit')) {
      const dir = fs.mkdtempSync(path.join(parent, 'callshop-bench-audit-'))
      dirs.push(dir)
      await measureAuditLog(sql, dir, figures, notes)
    }
  } finally {
    cleanUp()
  }

  console.log(`\nload average at end: ${load()}`)
  printTable(figures)
  if (notes.length > 0) {
    console.log('')
    for (const n of notes) console.log(n)
  }
  if (jsonFile !== undefined) {
    fs.writeFileSync(jsonFile, `${JSON.stringify(figures, null, 2)}\n`)
    console.log(`\nWrote ${figures.length} figures to ${path.resolve(jsonFile)}`)
  }
}

void main().catch((err: unknown) => {
  console.error((err as Error).stack ?? String(err))
  process.exit(1)
})
