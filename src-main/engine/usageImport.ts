/**
 * Usage import (issue 9, item 2): a switch's CSV of usage records, read, rated and posted to the
 * ledger in bounded batches. See docs/usage.md "Importing usage".
 *
 * Each batch is one unit of work (Engine.change): its records, each touched customer's balance
 * (moved once by the batch's total, so balance = sum of the ledger), the import's counters and the
 * audit entries commit together or not at all. A crash or Cancel therefore leaves whole batches,
 * and because a switch record id is unique, importing the file again skips what is in and
 * completes the rest without charging anything twice.
 *
 * Speed (1M records, target 20 s on two cores; see docs/benchmarks.md usage.rate_1m_s): reading,
 * checking and rating (usagePrepare.ts) run on a worker thread for a large file, pipelined with
 * the inserts, so the main thread does the SQLite work; the file is checked first and its records
 * written grouped by customer (few balance updates and audit entries per batch); rows go in with
 * multi-row INSERT statements (one short SQL text per 256 rows, journaled once, their texts bound
 * as one blob); a new file's batches need no lookup of known switch record ids; what rating reads
 * is kept across batches while nothing else changes.
 */
import type { UsageImportFlag, UsageImportFlagged, UsageImportProblem, UsageImportRecord, UsageImportSource, UsageImportSummary } from '../../src-shared/domain'
import { AppError } from '../../src-shared/errors'
import { formatMinor } from '../../src-shared/money'
import { withJournalJson } from '../db/journal'
import type { DbReader } from '../db/store'
import { type Actor, describeAmountChange } from './audit'
import type { StoredCustomer } from './customers'
import { recordableSum } from './ledger'
import type { Engine, Work } from './unitOfWork'
import {
  batchRecords,
  C_CHARGE,
  C_CUSTOMER,
  C_LINE,
  C_REASON,
  databaseLookups,
  insertStatements,
  filterBatch,
  Lookups,
  NUM_COLS,
  type ParsedUsage,
  type PreparedBatch,
  prepareBatch,
  type LookupData,
  type RatingData,
  readLookupData,
  rowTexts,
  UNRATED_REASONS,
  UsageFile,
  UsagePrepareWorker
} from './usagePrepare'
import { type RatingSnapshot, readRatingSnapshot, UsageRater } from './usageRating'

export type { UsageImportFlagged, UsageImportProblem, UsageImportRecord, UsageImportSource, UsageImportSummary } from '../../src-shared/domain'
export { MAX_LISTED_PROBLEMS, parseZonedTime, parseZonedTimeByPattern, USAGE_COLUMNS } from './usagePrepare'

/** The JobRegistry kind of a usage import (the page's and the import folder's alike: one at a time). */
export const USAGE_IMPORT_JOB = 'usage-import'

export const DEFAULT_USAGE_BATCH = 5_000
/**
 * From this size on (about 14,000 lines) a file is read and rated on a worker thread: starting one
 * costs more than a small file's whole reading.
 */
const OFF_THREAD_MIN_CHARS = 1 << 20

export interface UsageImportOptions {
  /** Records per unit of work (default 5,000). */
  batchSize?: number
  /** Checked between batches: an aborted signal stops the import there (state 'cancelled'). */
  signal?: AbortSignal
  /** Once the file is read (0 of `total` records), then after each batch: records written so far. */
  onProgress?: (done: number, total: number) => void
  /** While the whole file is read and checked, before the first batch: characters read of the file's. */
  onReading?: (done: number, total: number) => void
  /** Awaited between batches, so other requests are served during a long import. */
  pause?: () => Promise<void>
  /** Read and rate on a worker thread (default: for a file of 1 MiB or more). The result is the same either way. */
  prepareOffThread?: boolean
}

// ---------------------------------------------------------------------------------------------
// Writing a batch

/** Reads through the engine, for what outlives one unit of work (a batch's Work is done when it commits). */
function engineReader(engine: Engine): DbReader {
  return {
    get: (sql, params) => engine.read((r) => r.get(sql, params)),
    all: (sql, params) => engine.read((r) => r.all(sql, params)),
    values: (sql, params) => engine.read((r) => r.values(sql, params))
  }
}

/** Parameters per inserted row (the VALUES' columns). */
const ROW_PARAMS = 12
const VALUES_ROW = `(${Array(ROW_PARAMS).fill('?').join(',')})`
/**
 * `?1` is the batch's instant, `?2` the import id and `?3` the UTF-8 of the rows' switch record
 * ids, accounts and called numbers (PreparedBatch.text: each row gives where its texts start in
 * the blob, column11, and their byte lengths packed, column12); they come first in the text, so
 * every plain `?` of the VALUES is numbered after them. A blob's substr counts bytes, and CAST
 * reads them back as the same text. Short per row: each statement's text is journaled.
 * amount_minor is what the ledger is posted: the charge, 0 for an unrated record (never charged).
 */
const INSERT_HEAD =
  'INSERT INTO xdrs(kind,customer_id,account_id,service_id,started_at,duration_s,destination,amount_minor,charge_minor,switch_record_id,account_ref,rating,unrated_reason,billed_s,prefix,price_list_version_id,created_at,rated_at,import_id)' +
  "SELECT 'usage',column1,column2,column3,CASE WHEN typeof(column4)='text' THEN column4 ELSE strftime('%Y-%m-%dT%H:%M:%fZ',column4/1000.0,'unixepoch') END,column5," +
  'CAST(substr(?3,column11+1+(column12&1023)+((column12>>10)&1023),column12>>20)AS TEXT),coalesce(column6,0),column6,' +
  'CAST(substr(?3,column11+1,column12&1023)AS TEXT),CAST(substr(?3,column11+1+(column12&1023),(column12>>10)&1023)AS TEXT),' +
  "CASE WHEN column7 IS NULL THEN 'rated' ELSE 'unrated' END,column7,column8,CAST(column9 AS TEXT),column10,?1,?1,?2 FROM(VALUES"
const insertSqlCache = new Map<string, string>()
/** The INSERT of `n` rows (n a power of two ≤ 256, see insertStatements: at most eighteen statements are ever prepared). */
function insertSql(n: number, skipKnown: boolean): string {
  const key = `${n}:${skipKnown}`
  let sql = insertSqlCache.get(key)
  if (!sql) {
    sql = `${skipKnown ? INSERT_HEAD.replace('INSERT INTO', 'INSERT OR IGNORE INTO') : INSERT_HEAD}${Array(n).fill(VALUES_ROW).join(',')})`
    insertSqlCache.set(key, sql)
  }
  return sql
}
/** Insert the batch's rows. Returns how many were written: with `skipKnown`, a row whose switch record id is in already is not. */
function insertRows(w: Work, importId: number, b: PreparedBatch, skipKnown: boolean): number {
  let written = 0
  const journal = b.journal
  insertStatements(b, [w.at, importId]).forEach(({ rows, params }, c) => {
    // The worker encoded the rows' share of the journal record (see PreparedBatch.journal).
    if (journal) {
      const rowsJson = journal.bytes.subarray(c === 0 ? 0 : journal.ends[c - 1]!, journal.ends[c]!)
      withJournalJson(params, [`[${JSON.stringify(w.at)},${JSON.stringify(importId)},`, rowsJson, ']'], journal.blobChars[c]!)
    }
    written += w.run(insertSql(rows, skipKnown), params)
  })
  return written
}

/**
 * How a batch is written (see DurableStore.transaction). A batch's references (customer, account, service, price-list version) all come from what
 * RatingState read in this unit of work's engine (or a copy of it sent to the worker), renewed
 * whenever anyone else wrote (every change writes an audit entry), and accounts, services and
 * versions are never deleted: SQLite's foreign-key lookups (four per record, 4 s of a 1M import)
 * would only find them again.
 */
const BATCH_WRITE = {
  checkForeignKeys: false,
  // A batch changes thousands of pages; SQLite's copy of each before its change was about a
  // quarter of the batch's CPU, and an undone batch (DuplicatesInBatch, a failure) is rare.
  rollbackJournal: false
}

/** A batch written without looking for known switch record ids met some: its unit of work is undone, and it is written again with the lookup. */
class DuplicatesInBatch extends Error {}

interface Totals {
  lines: number
  imported: number
  rated: number
  unrated: number
  duplicates: number
  rejected: number
  unratedByReason: Record<string, number>
  /** currency -> [charged minor, records] */
  charged: Map<string, [number, number]>
}

type CustomerRow = Pick<StoredCustomer, 'id' | 'customer_id' | 'currency' | 'balance_minor' | 'credit_limit_minor' | 'balance_control' | 'status'>

/** What a batch is rated with: `gen` names the rating data it matches (see RatingState). */
interface RatingTools {
  rater: UsageRater
  lookups: Lookups
  gen: number
}

/**
 * What rating reads (accounts, services, price lists and their assignment, customers' classes),
 * kept across batches while nothing else changes the database: loading a 5,000-prefix list per
 * batch would cost more than rating the batch. Every other change writes an audit entry, so the
 * audit log's last id after our own batch tells whether someone else wrote since; if so (a price
 * list uploaded, an account added meanwhile) the next batch starts a new UsageRater and new
 * lookups, and a new generation of the data: batches the worker rated with an older one are rated
 * again on the main thread. The worker is sent the new generation once a batch finds nothing else
 * written since (a desk writing all the time then rates on the main thread, as a small file does).
 */
class RatingState {
  private lastAuditId = -1
  private tools: RatingTools | null = null
  private gen = 0
  private workerHasGen = true

  constructor(
    private readonly engine: Engine,
    /** With a worker: called with a new generation of the data, inside the unit of work that read it. */
    private readonly sendData: ((data: RatingData) => void) | null = null
  ) {}

  /** Read when first used: with the worker, a batch it rated with the current generation needs neither. */
  private fresh(r: DbReader): RatingTools {
    let rater: UsageRater | null = null
    let lookups: Lookups | null = null
    return {
      get rater() {
        rater ??= new UsageRater(r)
        return rater
      },
      get lookups() {
        lookups ??= databaseLookups(r)
        return lookups
      },
      gen: this.gen
    }
  }

  /**
   * The lookups to read the file with on this thread, before the first batch. The first batch
   * keeps them when nothing else wrote meanwhile: it then takes each record's account as the
   * reading found it instead of looking it up again.
   */
  startReading(): Lookups {
    const reader = engineReader(this.engine)
    this.lastAuditId = lastAuditId(reader)
    this.tools = this.fresh(reader)
    return this.tools.lookups
  }

  /**
   * With a worker: the accounts and services it reads the file with (generation 0), read now;
   * `rating` is the rest of generation 0, to be read in the same turn (nothing else writes between).
   */
  startData(): { lookups: LookupData; rating: () => RatingSnapshot } {
    return this.engine.read((r) => {
      this.lastAuditId = lastAuditId(r)
      return { lookups: readLookupData(r), rating: () => this.engine.read(readRatingSnapshot) }
    })
  }

  /** For the batch about to be written (inside its unit of work). */
  begin(w: Work): RatingTools {
    const last = lastAuditId(w)
    if (last !== this.lastAuditId) {
      this.gen++
      this.tools = this.fresh(engineReader(this.engine))
      this.workerHasGen = false
    } else if (!this.workerHasGen && this.sendData) {
      this.sendData({ gen: this.gen, lookups: readLookupData(w), rating: readRatingSnapshot(w) })
      this.workerHasGen = true
    }
    this.tools ??= this.fresh(engineReader(this.engine))
    return this.tools
  }

  /** After the batch's own writes, inside its unit of work. */
  end(w: Work): void {
    this.lastAuditId = lastAuditId(w)
  }
}

const lastAuditId = (r: DbReader) => r.get<{ id: number | null }>('SELECT max(id) AS id FROM audit_log')?.id ?? 0

interface BatchContext {
  importId: number
  label: string
  rating: RatingState
  totals: Totals
  /** Customers with rated usage in this import, for the summary's flags. */
  touched: Set<number>
}

/**
 * One batch, one unit of work: its new records, balances, counters and audit entries. `take`
 * gives the batch rated with the tools of this unit of work. `lookUpKnown`: first find which
 * switch record ids are in already (one indexed query), and skip them. Without it (the usual case:
 * a new file) the rows are inserted skipping known ids, and if any was skipped the batch is undone
 * (DuplicatesInBatch) to be written again with it: a new file's batches then cost no lookup, and a
 * duplicate is never charged.
 */
function writeBatch(w: Work, ctx: BatchContext, take: (tools: RatingTools) => PreparedBatch, lookUpKnown: boolean): () => void {
  let b = take(ctx.rating.begin(w))
  let duplicates = 0
  if (lookUpKnown) {
    // The file's own repeats were dropped when it was read; what is left to skip is already in.
    const ids = Array.from({ length: b.n }, (_, r) => rowTexts(b, r)[0])
    const known = new Set(
      w.values('SELECT x.switch_record_id FROM json_each(?) j JOIN xdrs x ON x.switch_record_id = j.value', [JSON.stringify(ids)]).map((v) => String(v[0]))
    )
    if (known.size > 0) {
      const n = b.n
      b = filterBatch(b, (r) => !known.has(ids[r]!))
      duplicates = n - b.n
    }
  }
  if (insertRows(w, ctx.importId, b, !lookUpKnown) !== b.n) throw new DuplicatesInBatch()

  const deltas = new Map<number, { minor: number; records: number }>()
  const currencyOf = new Map<number, string>()
  let rated = 0
  const reasons: Record<string, number> = {}
  for (let r = 0, o = 0; r < b.n; r++, o += NUM_COLS) {
    const reason = b.num[o + C_REASON]!
    if (reason === 0) {
      rated++
      const customerId = b.num[o + C_CUSTOMER]!
      const charge = b.num[o + C_CHARGE]!
      const d = deltas.get(customerId)
      if (d) {
        d.minor += charge
        d.records++
      } else deltas.set(customerId, { minor: charge, records: 1 })
    } else {
      const name = UNRATED_REASONS[reason - 1]!
      reasons[name] = (reasons[name] ?? 0) + 1
    }
  }

  // Each touched customer's balance moves once by the batch's total: balance = sum of the ledger.
  // Each touched customer's balance moves once by the batch's total: balance = sum of the ledger.
  const touched =
    deltas.size > 0
      ? w.all<CustomerRow>(
          `SELECT id, customer_id, currency, balance_minor, credit_limit_minor, balance_control, status FROM customers
     WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id`,
          [JSON.stringify([...deltas.keys()])]
        )
      : []
  const updates: [number, number][] = []
  for (const c of touched) {
    const d = deltas.get(c.id)!
    currencyOf.set(c.id, c.currency)
    const after = recordableSum(c.balance_minor, d.minor, c.currency, 'balance')
    if (after !== c.balance_minor) updates.push([c.id, after])
    w.audit({
      kind: 'customer.balance',
      customerId: c.id,
      field: 'balance',
      from: String(c.balance_minor),
      to: String(after),
      description: `${ctx.label}: ${d.records.toLocaleString('en-US')} ${d.records === 1 ? 'record' : 'records'} rated, ${describeAmountChange('balance', c.balance_minor, after, c.currency)}`,
      source: { kind: 'usage-import', id: ctx.importId }
    })
  }
  if (updates.length > 0) {
    w.run(
      `UPDATE customers SET balance_minor = d.value ->> 1, updated_at = ?
       FROM (SELECT value FROM json_each(?)) d WHERE customers.id = d.value ->> 0`,
      [w.at, JSON.stringify(updates)]
    )
  }
  const imported = b.n
  w.run('UPDATE usage_imports SET imported = imported + ?, rated = rated + ?, unrated = unrated + ?, duplicates = duplicates + ? WHERE id = ?', [
    imported,
    rated,
    imported - rated,
    duplicates,
    ctx.importId
  ])
  ctx.rating.end(w)
  // Added to the import's totals by the caller once the unit of work has committed.
  return () => {
    const t = ctx.totals
    for (const [id, d] of deltas) {
      const code = currencyOf.get(id)!
      ctx.touched.add(id)
      const c = t.charged.get(code)
      if (c) {
        c[0] += d.minor
        c[1] += d.records
      } else t.charged.set(code, [d.minor, d.records])
    }
    t.imported += imported
    t.rated += rated
    t.unrated += imported - rated
    t.duplicates += duplicates
    for (const [reason, n] of Object.entries(reasons)) t.unratedByReason[reason] = (t.unratedByReason[reason] ?? 0) + n
  }
}

// ---------------------------------------------------------------------------------------------
// The summary

const STATUS_FLAG: Record<string, UsageImportFlag> = {
  blocked: 'blocked',
  suspended: 'suspended',
  'provisionally-terminated': 'terminated',
  'permanently-terminated': 'terminated',
  exported: 'exported'
}

/** Customers with rated usage in the import that someone should look at, as they stand now. */
function flaggedCustomers(r: DbReader, ids: Set<number>): UsageImportFlagged[] {
  if (ids.size === 0) return []
  const rows = r.all<CustomerRow>(
    `SELECT id, customer_id, currency, balance_minor, credit_limit_minor, balance_control, status FROM customers
     WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id`,
    [JSON.stringify([...ids])]
  )
  const out: UsageImportFlagged[] = []
  for (const c of rows) {
    const base = { customerId: c.id, customerName: c.customer_id, currency: c.currency, balanceMinor: c.balance_minor, creditLimitMinor: c.credit_limit_minor }
    const status = STATUS_FLAG[c.status]
    if (status) out.push({ ...base, reason: status })
    // Prepaid: available funds = -balance.
    if (c.balance_control === 'prepaid' && c.balance_minor > 0) out.push({ ...base, reason: 'funds-below-zero' })
    if (c.balance_control === 'postpaid' && c.credit_limit_minor !== null && c.balance_minor > c.credit_limit_minor) out.push({ ...base, reason: 'over-credit-limit' })
  }
  return out
}

const SOURCE_TEXT: Record<UsageImportSource, string> = { page: 'the Usage page', folder: 'the import folder', 'command-line': 'the command line' }

function describeImport(s: UsageImportSummary): string {
  const n = (x: number, one: string, many = `${one}s`) => `${x.toLocaleString('en-US')} ${x === 1 ? one : many}`
  const state = s.state === 'completed' ? 'completed' : s.state === 'cancelled' ? 'cancelled (whole batches kept)' : 'failed (whole batches kept)'
  const charged = s.chargedByCurrency.map((c) => `${formatMinor(c.chargedMinor, c.currency)} ${c.currency}`).join(', ')
  return (
    `Usage import #${s.importId} (${s.fileName}) from ${SOURCE_TEXT[s.source]} ${state}: ${n(s.imported, 'record')} imported ` +
    `(${s.rated.toLocaleString('en-US')} rated, ${s.unrated.toLocaleString('en-US')} unrated), ${n(s.duplicates, 'duplicate')} skipped, ` +
    `${n(s.rejected, 'line')} rejected${charged ? `; charged ${charged}` : ''}.`
  )
}

function finish(engine: Engine, actor: Actor, summary: UsageImportSummary): UsageImportSummary {
  engine.change(actor, (w) => {
    w.run('UPDATE usage_imports SET state = ?, finished_at = ?, summary_json = ? WHERE id = ?', [
      summary.state,
      w.at,
      JSON.stringify({
        unratedByReason: summary.unratedByReason,
        chargedByCurrency: summary.chargedByCurrency,
        problems: summary.problems,
        flagged: summary.flagged
      }),
      summary.importId
    ])
    w.audit({ kind: 'usage.import', description: describeImport(summary), source: { kind: 'usage-import', id: summary.importId } })
  })
  return summary
}

/** The problem of a batch that could not be written (or rated): the import stops there. */
const batchFailed = (batch: { n: number; first: number }, message: string): UsageImportProblem => ({
  line: batch.first,
  field: null,
  message: `A batch of ${batch.n.toLocaleString('en-US')} records (line ${batch.first} among them) could not be written (${message}); the batches before it are imported. Import the file again to complete it.`
})

// ---------------------------------------------------------------------------------------------

/**
 * Import a usage file: every valid row is written (rated, or unrated with its reason), broken rows
 * are listed by line and column and never written, duplicates are skipped. Returns the summary;
 * state 'failed' when the header is unusable (nothing written) or a batch could not be written
 * (the batches before it stay: import the file again to complete it).
 */
export async function importUsageCsv(
  engine: Engine,
  actor: Actor,
  input: { source: UsageImportSource; fileName: string; csv: string },
  opts: UsageImportOptions = {}
): Promise<UsageImportSummary> {
  const batchSize = Math.max(1, Math.floor(opts.batchSize ?? DEFAULT_USAGE_BATCH))
  const file = UsageFile.open(input.csv)
  const importId = engine.change(actor, (w) =>
    w.insert("INSERT INTO usage_imports (source, file_name, started_at, state, operator_name) VALUES (?, ?, ?, 'running', ?)", [
      input.source,
      input.fileName,
      w.at,
      actor.operatorName
    ])
  )
  const totals: Totals = { lines: 0, imported: 0, rated: 0, unrated: 0, duplicates: 0, rejected: 0, unratedByReason: {}, charged: new Map() }
  const problems: UsageImportProblem[] = []
  const touched = new Set<number>()
  const summary = (state: UsageImportSummary['state']): UsageImportSummary => ({
    importId,
    state,
    source: input.source,
    fileName: input.fileName,
    lines: totals.lines,
    imported: totals.imported,
    rated: totals.rated,
    unrated: totals.unrated,
    duplicates: totals.duplicates,
    rejected: totals.rejected,
    unratedByReason: totals.unratedByReason,
    chargedByCurrency: [...totals.charged].sort(([a], [b]) => a.localeCompare(b)).map(([currency, [chargedMinor, records]]) => ({ currency, chargedMinor, records })),
    problems,
    flagged: engine.read((r) => flaggedCustomers(r, touched))
  })
  if (!(file instanceof UsageFile)) {
    problems.push(...file.problems)
    return finish(engine, actor, summary('failed'))
  }
  const readCounts = (c: { lines: number; rejected: number; duplicates: number }) => {
    totals.lines = c.lines
    totals.rejected = c.rejected
    totals.duplicates = c.duplicates
  }
  const offThread = opts.prepareOffThread ?? input.csv.length >= OFF_THREAD_MIN_CHARS
  let worker: UsagePrepareWorker | null = null
  let releaseSnapshots = () => {}
  const ctx: BatchContext = {
    importId,
    label: `Usage import #${importId} (${input.fileName})`,
    rating: new RatingState(engine, offThread ? (data) => worker?.update(data) : null),
    totals,
    touched
  }
  try {
    // 1. Read and check the whole file here, in slices, letting other requests in between. A
    // large file's text goes to the worker first, which takes it in meanwhile; what the reading
    // found follows it there, and the worker prepares the batches from both.
    let lookups: Lookups
    if (offThread) {
      const data = ctx.rating.startData()
      worker = new UsagePrepareWorker(input.csv, data.lookups)
      // In the same turn as the accounts and services (nothing else writes in between): one state.
      worker.rating(data.rating())
      // The same accounts as the worker's: the batches it rates take each record's account as found here.
      lookups = new Lookups(data.lookups, null)
    } else lookups = ctx.rating.startReading()
    while (file.readSlice(lookups)) {
      readCounts(file.counts)
      opts.onReading?.(file.charsRead, input.csv.length)
      await opts.pause?.()
      if (opts.signal?.aborted) {
        problems.push(...file.problems)
        return finish(engine, actor, summary('cancelled'))
      }
    }
    file.finishReading()
    readCounts(file.counts)
    problems.push(...file.problems)
    const count = file.count
    worker?.read(file)
    engine.change(actor, (w) =>
      w.run('UPDATE usage_imports SET lines = ?, rejected = ?, duplicates = ? WHERE id = ?', [totals.lines, totals.rejected, totals.duplicates, importId])
    )

    // 2. Write them in batches, each one unit of work; Cancel and pauses between batches. The
    // worker rates the next batch while this one is written. Background snapshots wait for the
    // last batch (see DurableStore.holdSnapshots).
    releaseSnapshots = engine.holdSnapshots()
    let done = 0
    let asked = 0
    const ask = () => {
      if (worker && asked < count) {
        worker.request(asked, Math.min(count, asked + batchSize))
        asked = Math.min(count, asked + batchSize)
      }
    }
    ask()
    ask()
    // Look for known switch record ids only after a batch met some (re-importing a file).
    let lookUpKnown = false
    opts.onProgress?.(0, count)
    while (done < count) {
      if (opts.signal?.aborted) return finish(engine, actor, summary('cancelled'))
      let take: (tools: RatingTools) => PreparedBatch
      let lines: { n: number; first: number }
      if (worker) {
        const m = await worker.next()
        if (m.type === 'error' && m.batch) {
          problems.push(batchFailed(m.batch, m.message))
          return finish(engine, actor, summary('failed'))
        }
        if (m.type === 'error') throw new Error(`A batch could not be rated (${m.message}).`)
        ask()
        const prepared = m.batch
        take = (t) => (prepared.gen === t.gen ? prepared : prepareBatch(batchRecords(prepared), t.lookups, t.rater, t.gen))
        let first = Number.POSITIVE_INFINITY
        for (let o = C_LINE; o < prepared.num.length; o += NUM_COLS) first = Math.min(first, prepared.num[o]!)
        lines = { n: prepared.n, first }
      } else {
        const records: ParsedUsage[] = file.records(done, Math.min(count, done + batchSize))
        take = (t) => prepareBatch(records, t.lookups, t.rater, t.gen)
        lines = { n: records.length, first: Math.min(...records.map((u) => u.line)) }
      }
      try {
        const before = totals.duplicates
        try {
          engine.change(actor, (w) => writeBatch(w, ctx, take, lookUpKnown), BATCH_WRITE)()
        } catch (err) {
          if (!(err instanceof DuplicatesInBatch)) throw err
          engine.change(actor, (w) => writeBatch(w, ctx, take, true), BATCH_WRITE)()
        }
        lookUpKnown = totals.duplicates > before
      } catch (err) {
        problems.push(batchFailed(lines, err instanceof Error ? err.message : String(err)))
        return finish(engine, actor, summary('failed'))
      }
      done += lines.n
      opts.onProgress?.(done, count)
      if (done < count) await opts.pause?.()
    }
    return finish(engine, actor, summary('completed'))
  } finally {
    worker?.close()
    releaseSnapshots()
  }
}

/**
 * Past imports, newest first. A 'running' one is running only while an import job runs (then the
 * newest such row is it); any other was cut short when the app stopped: 'interrupted', its whole
 * batches kept, and importing the file again completes it.
 */
export function listUsageImports(r: DbReader, opts: { limit: number; importRunning: boolean }): UsageImportRecord[] {
  const running = opts.importRunning ? (r.get<{ id: number | null }>("SELECT max(id) AS id FROM usage_imports WHERE state = 'running'")?.id ?? null) : null
  return r
    .all<{
      id: number
      source: UsageImportSource
      file_name: string
      started_at: string
      finished_at: string | null
      state: UsageImportRecord['state']
      operator_name: string
      lines: number
      imported: number
      rated: number
      unrated: number
      duplicates: number
      rejected: number
    }>('SELECT * FROM usage_imports ORDER BY id DESC LIMIT ?', [opts.limit])
    .map((u) => ({
      importId: u.id,
      source: u.source,
      fileName: u.file_name,
      startedAt: u.started_at,
      finishedAt: u.finished_at,
      state: u.state === 'running' && u.id !== running ? 'interrupted' : u.state,
      operatorName: u.operator_name,
      lines: u.lines,
      imported: u.imported,
      rated: u.rated,
      unrated: u.unrated,
      duplicates: u.duplicates,
      rejected: u.rejected
    }))
}

/** The stored summary of a past import (the history's detail). */
export function usageImportSummary(r: DbReader, importId: number): UsageImportSummary {
  const u = r.get<{
    id: number
    source: UsageImportSource
    file_name: string
    state: string
    lines: number
    imported: number
    rated: number
    unrated: number
    duplicates: number
    rejected: number
    summary_json: string
  }>('SELECT * FROM usage_imports WHERE id = ?', [importId])
  if (!u) throw new AppError('NOT_FOUND', `Usage import ${importId} does not exist.`, 'importId')
  const extra = JSON.parse(u.summary_json) as Partial<UsageImportSummary>
  return {
    importId: u.id,
    state: u.state === 'completed' || u.state === 'cancelled' ? u.state : 'failed',
    source: u.source,
    fileName: u.file_name,
    lines: u.lines,
    imported: u.imported,
    rated: u.rated,
    unrated: u.unrated,
    duplicates: u.duplicates,
    rejected: u.rejected,
    unratedByReason: extra.unratedByReason ?? {},
    chargedByCurrency: extra.chargedByCurrency ?? [],
    problems: extra.problems ?? [],
    flagged: extra.flagged ?? []
  }
}
