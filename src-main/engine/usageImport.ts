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
 * Speed (1M records, target 20 s on two cores; see docs/benchmarks.md usage.rate_1m_s): the file
 * is checked first and its records written grouped by customer (few balance updates and audit
 * entries per batch); rows go in with multi-row INSERT statements (one short SQL text per 256
 * rows, journaled once); a new file's batches need no lookup of known switch record ids; what
 * rating reads is kept across batches while nothing else changes; and a million records are kept
 * as numbers, not objects, between reading and writing.
 */
import type { UsageImportFlag, UsageImportFlagged, UsageImportProblem, UsageImportRecord, UsageImportSource, UsageImportSummary } from '../../src-shared/domain'
import { AppError } from '../../src-shared/errors'
import { formatMinor } from '../../src-shared/money'
import type { SqlParam } from '../db/journal'
import type { DbReader } from '../db/store'
import { type Actor, describeAmountChange } from './audit'
import type { StoredCustomer } from './customers'
import { recordableSum } from './ledger'
import type { Engine, Work } from './unitOfWork'
import { UsageRater, type UsageRating, type UsageUnratedReason, unrated } from './usageRating'

export type { UsageImportFlagged, UsageImportProblem, UsageImportRecord, UsageImportSource, UsageImportSummary } from '../../src-shared/domain'

export const USAGE_COLUMNS = ['switch_record_id', 'account', 'start_time', 'duration', 'called_number', 'service'] as const
type UsageColumn = (typeof USAGE_COLUMNS)[number]

/** The JobRegistry kind of a usage import (the page's and the import folder's alike: one at a time). */
export const USAGE_IMPORT_JOB = 'usage-import'

export const DEFAULT_USAGE_BATCH = 5_000
/** Lines read between two pauses while the file is read. */
const READ_SLICE = 50_000
/** Problems listed in a summary; the rest are counted in `rejected` only (a file of garbage stays a small summary). */
export const MAX_LISTED_PROBLEMS = 500
/** A call longer than 30 days is a broken record, not a call. */
const MAX_DURATION_S = 30 * 86_400
const MAX_TEXT = 100

export interface UsageImportOptions {
  /** Records per unit of work (default 5,000). */
  batchSize?: number
  /** Checked between batches: an aborted signal stops the import there (state 'cancelled'). */
  signal?: AbortSignal
  /** After each batch: data lines read so far, of about `total` (the file's lines). */
  onProgress?: (done: number, total: number) => void
  /** Awaited between batches, so other requests are served during a long import. */
  pause?: () => Promise<void>
}

// ---------------------------------------------------------------------------------------------
// Reading the file

/** "Switch Record ID", "switch-record-id", " SWITCH_RECORD_ID " -> "switch_record_id". */
const normaliseHeader = (h: string) =>
  h
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, '_')

interface CsvLine {
  /** Physical line where the record starts (header = 1). */
  line: number
  cells: string[]
  /** A quote never closed: the rest of the file is this one value. */
  problem: string | null
}

/**
 * The file's records one at a time, with the line each starts on. Lines without a quote (nearly
 * all of a switch's file) are split directly; a quoted value may hold the separator, "" and line
 * breaks (RFC 4180). A UTF-8 BOM and \r\n are accepted.
 */
class CsvLines {
  private pos: number
  private line = 1
  sep = ','

  constructor(private readonly text: string) {
    this.pos = text.charCodeAt(0) === 0xfeff ? 1 : 0
  }

  /** The cells of the record that starts at `offset` (a place `offset` gave before), read again. */
  cellsAt(offset: number): string[] {
    const t = this.text
    let end = t.indexOf('\n', offset)
    if (end < 0) end = t.length
    const raw = t.slice(offset, end > offset && t.charCodeAt(end - 1) === 13 ? end - 1 : end)
    if (!raw.includes('"')) return raw.split(this.sep)
    const [pos, line] = [this.pos, this.line]
    this.pos = offset
    const row = this.next()
    this.pos = pos
    this.line = line
    return row?.cells ?? []
  }

  /** Characters read so far. */
  get offset(): number {
    return this.pos
  }

  /** The separator is whichever of `;` and `,` the header line uses more (`;` is what a European spreadsheet writes). */
  detectSeparator(): void {
    const end = this.text.indexOf('\n', this.pos)
    const head = this.text.slice(this.pos, end < 0 ? this.text.length : end)
    this.sep = (head.match(/;/g)?.length ?? 0) > (head.match(/,/g)?.length ?? 0) ? ';' : ','
  }

  /** Physical line of the next record. */
  get lineNumber(): number {
    return this.line
  }

  /**
   * The next line, read past, when it holds no quote (nearly every line of a switch's file);
   * null at the end of the text or before a line with a quote (read that one with next()).
   */
  plain(): string | null {
    const t = this.text
    if (this.pos >= t.length) return null
    let end = t.indexOf('\n', this.pos)
    if (end < 0) end = t.length
    const raw = t.slice(this.pos, end > this.pos && t.charCodeAt(end - 1) === 13 ? end - 1 : end)
    if (raw.includes('"')) return null
    this.pos = end + 1
    this.line++
    return raw
  }

  next(): CsvLine | null {
    const t = this.text
    if (this.pos >= t.length) return null
    const start = this.line
    let end = t.indexOf('\n', this.pos)
    if (end < 0) end = t.length
    const raw = t.slice(this.pos, end > this.pos && t.charCodeAt(end - 1) === 13 ? end - 1 : end)
    if (!raw.includes('"')) {
      this.pos = end + 1
      this.line++
      return { line: start, cells: raw.split(this.sep), problem: null }
    }
    return this.quoted(start)
  }

  private quoted(start: number): CsvLine {
    const t = this.text
    const cells: string[] = []
    let cell = ''
    let i = this.pos
    let inQuotes = false
    for (;;) {
      if (i >= t.length) {
        if (inQuotes) {
          this.pos = i
          return { line: start, cells, problem: 'A quoted value is never closed (a " is missing), so the rest of the file cannot be read.' }
        }
        cells.push(cell)
        break
      }
      const ch = t[i]!
      if (inQuotes) {
        if (ch === '"') {
          if (t[i + 1] === '"') {
            cell += '"'
            i += 2
            continue
          }
          inQuotes = false
        } else {
          if (ch === '\n') this.line++
          cell += ch
        }
        i++
        continue
      }
      if (ch === '"') inQuotes = true
      else if (ch === this.sep) {
        cells.push(cell)
        cell = ''
      } else if (ch === '\n' || (ch === '\r' && t[i + 1] === '\n')) {
        cells.push(cell)
        i += ch === '\r' ? 2 : 1
        break
      } else cell += ch
      i++
    }
    this.pos = i
    this.line++
    return { line: start, cells, problem: null }
  }
}

const ZONED_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)$/i
const LOCAL_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d{1,9})?)?$/

/** The two decimal digits at `i`, or -1. */
function twoDigits(t: string, i: number): number {
  const a = t.charCodeAt(i) - 48
  const b = t.charCodeAt(i + 1) - 48
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

/**
 * parseZonedTime's answer for the spellings a switch writes ("2026-03-05T10:00:00Z",
 * "2026-03-05 10:00:00.250+02:00", "+0200", "+02", without seconds), read digit by digit with no
 * regular expression or Date object (a million of them per file); NaN for anything else (a space
 * before the zone, a lower-case "z" or "t", a problem), which parseZonedTime then reads by its pattern.
 */
function quickZonedTime(t: string): number {
  const n = t.length
  if (n < 17 || t.charCodeAt(4) !== 45 || t.charCodeAt(7) !== 45 || t.charCodeAt(13) !== 58) return Number.NaN
  const sep = t.charCodeAt(10)
  if (sep !== 84 && sep !== 32) return Number.NaN
  const century = twoDigits(t, 0)
  const yy = twoDigits(t, 2)
  const mo = twoDigits(t, 5)
  const d = twoDigits(t, 8)
  const h = twoDigits(t, 11)
  const mi = twoDigits(t, 14)
  if (century < 0 || yy < 0 || mo < 0 || d < 0 || h < 0 || mi < 0) return Number.NaN
  let i = 16
  let s = 0
  let ms = 0
  if (t.charCodeAt(i) === 58) {
    s = twoDigits(t, 17)
    if (s < 0) return Number.NaN
    i = 19
    const dot = t.charCodeAt(i)
    if (dot === 46 || dot === 44) {
      // 1 to 9 digits of a second; the first three are the milliseconds.
      let digits = 0
      for (i++; digits < 10; i++, digits++) {
        const c = t.charCodeAt(i) - 48
        if (!(c >= 0 && c <= 9)) break
        if (digits < 3) ms += c * (digits === 0 ? 100 : digits === 1 ? 10 : 1)
      }
      if (digits < 1 || digits > 9) return Number.NaN
    }
  }
  const zone = t.charCodeAt(i)
  let offsetMs = 0
  if (zone === 90) {
    if (i + 1 !== n) return Number.NaN
  } else if (zone === 43 || zone === 45) {
    const offH = twoDigits(t, i + 1)
    let offM = 0
    let j = i + 3
    if (offH < 0) return Number.NaN
    if (j < n) {
      if (t.charCodeAt(j) === 58) j++
      offM = twoDigits(t, j)
      if (offM < 0 || j + 2 !== n) return Number.NaN
    }
    if (offH > 14 || offM > 59) return Number.NaN
    offsetMs = (zone === 45 ? -1 : 1) * (offH * 60 + offM) * 60_000
  } else return Number.NaN
  const y = century * 100 + yy
  // Years below 100 go to parseZonedTime: Date.UTC reads them as 19xx.
  if (y < 100 || mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return Number.NaN
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0)
  if (d > (mo === 2 && leap ? 29 : DAYS_IN_MONTH[mo - 1]!)) return Number.NaN
  return Date.UTC(y, mo - 1, d, h, mi, s, ms) - offsetMs
}

/** Whole seconds written as at most 7 digits, at most MAX_DURATION_S; -1 for anything else (checkRow then says what is wrong). */
function quickDuration(t: string): number {
  const n = t.length
  if (n === 0 || n > 7) return -1
  let v = 0
  for (let i = 0; i < n; i++) {
    const c = t.charCodeAt(i) - 48
    if (c < 0 || c > 9) return -1
    v = v * 10 + c
  }
  return v <= MAX_DURATION_S ? v : -1
}

/**
 * Epoch milliseconds of an ISO 8601 start time that names its time zone ("Z", "+02:00", "+0200",
 * "+02"), or a problem in words. A time without a zone is refused: the same digits are a
 * different instant in another zone, and guessing would rate a call with the wrong version.
 */
export function parseZonedTime(text: string): number | string {
  const quick = quickZonedTime(text)
  return Number.isNaN(quick) ? parseZonedTimeByPattern(text) : quick
}

/** parseZonedTime by its regular expression: every spelling, and the problem in words. Exported for the test that checks the quick reading against it. */
export function parseZonedTimeByPattern(text: string): number | string {
  const m = ZONED_TIME.exec(text)
  if (!m) {
    return LOCAL_TIME.test(text)
      ? `"${text}" has no time zone; write it as 2026-03-05T10:00:00Z or 2026-03-05T10:00:00+02:00.`
      : `"${text}" is not a date and time with a time zone, such as 2026-03-05T10:00:00+02:00.`
  }
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number) as [number, number, number, number, number, number]
  // The first three digits of a fraction of a second are its milliseconds (the rest are dropped).
  const ms = Number((m[7] ?? '').padEnd(3, '0').slice(0, 3))
  const local = Date.UTC(y, mo - 1, d, h, mi, s, ms)
  const back = new Date(local)
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) {
    return `"${text}" is not a date and time that exists on the calendar.`
  }
  const zone = m[8]!.toUpperCase()
  if (zone === 'Z') return local
  const digits = zone.slice(1).replace(':', '')
  const offH = Number(digits.slice(0, 2))
  const offM = Number(digits.slice(2) || '0')
  if (offH > 14 || offM > 59) return `"${text}" has a time zone offset that does not exist (${zone}).`
  return local - (zone[0] === '-' ? -1 : 1) * (offH * 60 + offM) * 60_000
}

/** A record that passed every check of the file format. */
interface ParsedUsage {
  line: number
  switchRecordId: string
  account: string
  start: number
  durationS: number
  calledNumber: string
  service: string
  /** The account as `readWith` found it when the file was read (see RatingState.startReading). */
  accountRef?: AccountRef | null
  readWith?: Lookups
}

type Cells = Record<UsageColumn, string>

function checkRow(line: number, c: Cells): ParsedUsage | UsageImportProblem {
  const bad = (field: UsageColumn, message: string): UsageImportProblem => ({ line, field, message })
  for (const col of ['switch_record_id', 'account'] as const) {
    if (c[col] === '') return bad(col, `${col} is empty.`)
    if (c[col].length > MAX_TEXT) return bad(col, `${col} is longer than ${MAX_TEXT} characters.`)
  }
  const start = parseZonedTime(c.start_time)
  if (typeof start === 'string') return bad('start_time', `start_time ${start}`)
  if (!/^\d+$/.test(c.duration) || Number(c.duration) > MAX_DURATION_S) {
    return bad('duration', `duration "${c.duration}" must be whole seconds, 0 or more (at most ${MAX_DURATION_S.toLocaleString('en-US')}).`)
  }
  if (c.called_number === '') return bad('called_number', 'called_number is empty.')
  if (c.called_number.length > MAX_TEXT) return bad('called_number', `called_number is longer than ${MAX_TEXT} characters.`)
  if (c.service === '') return bad('service', 'service is empty.')
  return {
    line,
    switchRecordId: c.switch_record_id,
    account: c.account,
    start,
    durationS: Number(c.duration),
    calledNumber: c.called_number,
    service: c.service
  }
}

/** A data line checked: the record, or its first problem (by line and column). */
function parseRow(row: CsvLine, index: number[]): ParsedUsage | UsageImportProblem {
  if (row.problem !== null || row.cells.length !== USAGE_COLUMNS.length) {
    return { line: row.line, field: null, message: row.problem ?? `The line has ${row.cells.length} values; the header has ${USAGE_COLUMNS.length} columns.` }
  }
  const cells = {} as Cells
  USAGE_COLUMNS.forEach((col, i) => {
    cells[col] = row.cells[index[i]!]!.trim()
  })
  return checkRow(row.line, cells)
}

/**
 * parseRow's answer for a line of six values that passes every check, read without building the
 * cells' object or a regular expression; null for anything else (parseRow then says what is wrong).
 */
function quickRow(line: number, cells: string[], index: number[]): ParsedUsage | null {
  if (cells.length !== USAGE_COLUMNS.length) return null
  const switchRecordId = cells[index[0]!]!.trim()
  const account = cells[index[1]!]!.trim()
  const calledNumber = cells[index[4]!]!.trim()
  const service = cells[index[5]!]!.trim()
  if (switchRecordId === '' || switchRecordId.length > MAX_TEXT || account === '' || account.length > MAX_TEXT) return null
  if (calledNumber === '' || calledNumber.length > MAX_TEXT || service === '') return null
  const start = quickZonedTime(cells[index[2]!]!.trim())
  const durationS = quickDuration(cells[index[3]!]!.trim())
  if (Number.isNaN(start) || durationS < 0) return null
  return { line, switchRecordId, account, start, durationS, calledNumber, service }
}

/** Column positions from the header line, or the problems that stop the whole file. */
function readHeader(lines: CsvLines): { index: number[] } | { problems: UsageImportProblem[] } {
  lines.detectSeparator()
  const head = lines.next()
  if (!head) return { problems: [{ line: 1, field: null, message: 'The file is empty: it needs a header line and one line per usage record.' }] }
  if (head.problem) return { problems: [{ line: head.line, field: null, message: head.problem }] }
  const problems: UsageImportProblem[] = []
  const index = new Map<UsageColumn, number>()
  head.cells.forEach((raw, i) => {
    const name = normaliseHeader(raw)
    if (!(USAGE_COLUMNS as readonly string[]).includes(name)) {
      problems.push({ line: 1, field: raw.trim(), message: `"${raw.trim()}" is not a usage column. The columns are: ${USAGE_COLUMNS.join(', ')}.` })
    } else if (index.has(name as UsageColumn)) {
      problems.push({ line: 1, field: name, message: `Column "${name}" appears twice in the header.` })
    } else index.set(name as UsageColumn, i)
  })
  for (const col of USAGE_COLUMNS) {
    if (!index.has(col)) problems.push({ line: 1, field: col, message: `The header has no "${col}" column; it is required.` })
  }
  return problems.length > 0 ? { problems } : { index: USAGE_COLUMNS.map((c) => index.get(c)!) }
}

// ---------------------------------------------------------------------------------------------
// Writing a batch

const fold = (s: string) => s.replace(/[A-Z]/g, (ch) => ch.toLowerCase())

interface AccountRef {
  accountRowId: number
  customerId: number
  closed: boolean
}

/** Accounts and services by their folded names, loaded in one query each (see RatingState for how long they are kept). */
class Lookups {
  private readonly accounts = new Map<string, AccountRef | null>()
  /** As written in the file: most files write an account the same way on every line, so folding is rarely needed. */
  private readonly accountsAsWritten = new Map<string, AccountRef | null>()
  private readonly services = new Map<string, number>()

  constructor(private readonly r: DbReader) {
    for (const [id, account, customerId, status] of r.values('SELECT id, account_id, customer_id, status FROM accounts')) {
      this.accounts.set(fold(String(account)), { accountRowId: Number(id), customerId: Number(customerId), closed: status !== 'active' })
    }
    // Codes first, then names: a name never shadows another service's code.
    const services = r.values('SELECT id, code, name FROM services WHERE is_special = 0 ORDER BY id')
    for (const [id, , name] of services) this.services.set(fold(String(name).trim()), Number(id))
    for (const [id, code] of services) this.services.set(fold(String(code).trim()), Number(id))
  }

  /** An account added while the import runs is found too (the map only knew the accounts at its start). */
  account(ref: string): AccountRef | null {
    let a = this.accountsAsWritten.get(ref)
    if (a !== undefined) return a
    const key = fold(ref)
    a = this.accounts.get(key)
    if (a === undefined) {
      const row = this.r.get<{ id: number; customer_id: number; status: string }>('SELECT id, customer_id, status FROM accounts WHERE account_id = ?', [ref])
      a = row ? { accountRowId: row.id, customerId: row.customer_id, closed: row.status !== 'active' } : null
      this.accounts.set(key, a)
    }
    this.accountsAsWritten.set(ref, a)
    return a
  }

  service(ref: string): number | null {
    return this.services.get(ref) ?? this.services.get(fold(ref)) ?? null
  }
}

/** Reads through the engine, for what outlives one unit of work (a batch's Work is done when it commits). */
function engineReader(engine: Engine): DbReader {
  return {
    get: (sql, params) => engine.read((r) => r.get(sql, params)),
    all: (sql, params) => engine.read((r) => r.all(sql, params)),
    values: (sql, params) => engine.read((r) => r.values(sql, params))
  }
}

/** Parameters per inserted row (the VALUES' columns). */
const ROW_PARAMS = 13
const VALUES_ROW = `(${Array(ROW_PARAMS).fill('?').join(',')})`
/**
 * The last instant SQLite's strftime writes as toISOString does (later ones are bound as text).
 * Binding a number costs sql.js far less than a text (which it copies into the WASM heap and
 * frees): started_at goes in as epoch milliseconds and the prefix as a number where both give the
 * same text back in SQL (measured on 4M instants of years 100 to 9999: identical to toISOString).
 */
const LAST_SQL_INSTANT = Date.UTC(9999, 11, 31, 23, 59, 59, 999)
const asBoundInstant = (ms: number): number | string => (ms <= LAST_SQL_INSTANT ? ms : new Date(ms).toISOString())
/**
 * A prefix without a leading zero and of at most 9 digits is bound as that number, which CAST
 * gives back as the same digits (sql.js binds a number beyond 32 bits as a REAL, whose text would
 * end in ".0": longer prefixes are bound as text).
 */
const asBoundPrefix = (prefix: string | null): number | string | null => (prefix !== null && prefix.length <= 9 && prefix.charCodeAt(0) !== 48 ? Number(prefix) : prefix)

/**
 * `?1` is the batch's instant and `?2` the import id; they come first in the text, so every plain
 * `?` of the VALUES is numbered after them. Short per row: each statement's text is journaled.
 * amount_minor is what the ledger is posted: the charge, 0 for an unrated record (never charged).
 */
const INSERT_HEAD =
  'INSERT INTO xdrs(kind,customer_id,account_id,service_id,started_at,duration_s,destination,amount_minor,charge_minor,switch_record_id,account_ref,rating,unrated_reason,billed_s,prefix,price_list_version_id,created_at,rated_at,import_id)' +
  "SELECT 'usage',column1,column2,column3,CASE WHEN typeof(column4)='text' THEN column4 ELSE strftime('%Y-%m-%dT%H:%M:%fZ',column4/1000.0,'unixepoch') END," +
  "column5,column6,coalesce(column7,0),column7,column8,column9,CASE WHEN column10 IS NULL THEN 'rated' ELSE 'unrated' END,column10,column11,CAST(column12 AS TEXT),column13,?1,?1,?2 FROM(VALUES"
const insertSqlCache = new Map<string, string>()
/** The INSERT of `n` rows (n a power of two ≤ 256, so at most eighteen statements are ever prepared). */
function insertSql(n: number, skipKnown: boolean): string {
  const key = `${n}:${skipKnown}`
  let sql = insertSqlCache.get(key)
  if (!sql) {
    sql = `${skipKnown ? INSERT_HEAD.replace('INSERT INTO', 'INSERT OR IGNORE INTO') : INSERT_HEAD}${Array(n).fill(VALUES_ROW).join(',')})`
    insertSqlCache.set(key, sql)
  }
  return sql
}
const MAX_ROWS_PER_INSERT = 256

/** Insert `params.length / ROW_PARAMS` rows whose parameters follow one another in `params`. */
/** Returns how many rows were written: with `skipKnown`, a row whose switch record id is in already is not. */
function insertRows(w: Work, importId: number, params: SqlParam[], skipKnown: boolean): number {
  const rows = params.length / ROW_PARAMS
  let written = 0
  let i = 0
  while (i < rows) {
    let n = MAX_ROWS_PER_INSERT
    while (n > rows - i) n >>= 1
    const chunk: SqlParam[] = [w.at, importId]
    for (let k = i * ROW_PARAMS, end = (i + n) * ROW_PARAMS; k < end; k++) chunk.push(params[k]!)
    written += w.run(insertSql(n, skipKnown), chunk)
    i += n
  }
  return written
}

/**
 * A batch's references (customer, account, service, price-list version) all come from what
 * RatingState read in this unit of work's engine, renewed whenever anyone else wrote (every change
 * writes an audit entry), and accounts, services and versions are never deleted: SQLite's
 * foreign-key lookups (four per record, 4 s of a 1M import) would only find them again.
 */
const BATCH_WRITE = { checkForeignKeys: false }

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

/**
 * What rating reads (accounts, services, price lists and their assignment, customers' classes),
 * kept across batches while nothing else changes the database: loading a 5,000-prefix list per
 * batch would cost more than rating the batch. Every other change writes an audit entry, so the
 * audit log's last id after our own batch tells whether someone else wrote since; if so (a price
 * list uploaded, an account added meanwhile) the next batch starts a new UsageRater and new lookups.
 */
class RatingState {
  private lastAuditId = -1
  private rater: UsageRater | null = null
  private lookups: Lookups | null = null

  constructor(private readonly engine: Engine) {}

  /**
   * The lookups to read the file with, before the first batch. The first batch keeps them when
   * nothing else wrote meanwhile: it then takes each record's account as the reading found it
   * instead of looking it up again.
   */
  startReading(): Lookups {
    const reader = engineReader(this.engine)
    this.lastAuditId = lastAuditId(reader)
    this.rater = new UsageRater(reader)
    this.lookups = new Lookups(reader)
    return this.lookups
  }

  /** For the batch about to be written (inside its unit of work). */
  begin(w: Work): { rater: UsageRater; lookups: Lookups } {
    const last = lastAuditId(w)
    if (this.rater === null || this.lookups === null || last !== this.lastAuditId) {
      const reader = engineReader(this.engine)
      this.rater = new UsageRater(reader)
      this.lookups = new Lookups(reader)
    }
    return { rater: this.rater, lookups: this.lookups }
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

/** One unit of work: the batch's new records, balances, counters and audit entries. */
/**
 * One batch. `lookUpKnown`: first find which switch record ids are in already (one indexed query),
 * and skip them. Without it (the usual case: a new file) the rows are inserted skipping known ids,
 * and if any was skipped the batch is undone (DuplicatesInBatch) to be written again with it:
 * a new file's batches then cost no lookup, and a duplicate is never charged.
 */
function writeBatch(w: Work, ctx: BatchContext, batch: ParsedUsage[], lookUpKnown: boolean): () => void {
  const known = new Set(
    lookUpKnown
      ? w
          .values('SELECT x.switch_record_id FROM json_each(?) j JOIN xdrs x ON x.switch_record_id = j.value', [JSON.stringify(batch.map((u) => u.switchRecordId))])
          .map((v) => String(v[0]))
      : []
  )
  const { rater, lookups } = ctx.rating.begin(w)
  const params: SqlParam[] = []
  const deltas = new Map<number, { minor: number; records: number }>()
  const currencyOf = new Map<number, string>()
  let duplicates = 0
  let rated = 0
  const reasons: Record<string, number> = {}
  for (const u of batch) {
    // The file's own repeats were dropped when it was read; what is left to skip is already in
    // (looked up, or found by the INSERT, which then undoes the batch to write it with the lookup).
    if (lookUpKnown) {
      if (known.has(u.switchRecordId)) {
        duplicates++
        continue
      }
      known.add(u.switchRecordId)
    }
    const account = u.readWith === lookups ? u.accountRef! : lookups.account(u.account)
    const serviceId = lookups.service(u.service)
    let rating: UsageRating
    if (!account) rating = unrated('unknown-account')
    else if (account.closed) rating = unrated('closed-account')
    else if (serviceId === null) rating = unrated('unknown-service')
    else rating = rater.rate({ customerId: account.customerId, serviceId, start: u.start, durationS: u.durationS, calledNumber: u.calledNumber })
    params.push(
      account?.customerId ?? null,
      account?.accountRowId ?? null,
      serviceId,
      asBoundInstant(u.start),
      u.durationS,
      u.calledNumber,
      rating.chargeMinor,
      u.switchRecordId,
      u.account,
      rating.unratedReason,
      rating.billedS,
      asBoundPrefix(rating.prefix),
      rating.priceListVersionId
    )
    if (rating.rating === 'rated' && account) {
      rated++
      const d = deltas.get(account.customerId)
      if (d) {
        d.minor += rating.chargeMinor!
        d.records++
      } else deltas.set(account.customerId, { minor: rating.chargeMinor!, records: 1 })
    } else {
      const reason = rating.unratedReason as UsageUnratedReason
      reasons[reason] = (reasons[reason] ?? 0) + 1
    }
  }
  if (insertRows(w, ctx.importId, params, !lookUpKnown) !== params.length / ROW_PARAMS) throw new DuplicatesInBatch()

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
  const imported = params.length / ROW_PARAMS
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
  const lines = new CsvLines(input.csv)
  const header = readHeader(lines)
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
  if ('problems' in header) {
    problems.push(...header.problems)
    return finish(engine, actor, summary('failed'))
  }
  const ctx: BatchContext = { importId, label: `Usage import #${importId} (${input.fileName})`, rating: new RatingState(engine), totals, touched }

  // 1. Read and check the whole file (in slices, letting other requests in between). Records
  // are then written grouped by customer, in time order: a batch touches few customers, so the
  // balance updates and audit entries per batch stay few, and the (customer, time) index grows
  // in place. The first record with a switch record id wins; later ones are duplicates.
  // A million records must not become a million objects kept alive (the garbage collector would
  // then cost more than the import): each valid record is kept as numbers, the line's place in
  // the text among them, and its text is read again when its batch is written.
  const total = input.csv.length
  const kept = { offset: [] as number[], line: [] as number[], start: [] as number[], duration: [] as number[] }
  // Customer row id (0: unknown account) -> indexes of its records in `kept`, in file order.
  const byCustomer = new Map<number, number[]>()
  const seen = new Set<string>()
  const lookups = ctx.rating.startReading()
  const accountRefs: (AccountRef | null)[] = []
  /** A line read: null when it is blank (every value empty), which is not a record. */
  const readRow = (row: CsvLine): ParsedUsage | UsageImportProblem | null =>
    row.problem === null && row.cells.every((c) => c.trim() === '') ? null : parseRow(row, header.index)
  for (let i = 1; ; i++) {
    const offset = lines.offset
    const lineNumber = lines.lineNumber
    // Most lines hold no quote and pass every check: read those the quick way.
    const raw = lines.plain()
    let parsed: ParsedUsage | UsageImportProblem | null
    if (raw !== null) {
      const cells = raw.split(lines.sep)
      parsed = quickRow(lineNumber, cells, header.index) ?? readRow({ line: lineNumber, cells, problem: null })
    } else {
      const row = lines.next()
      if (!row) break
      parsed = readRow(row)
    }
    if (i % READ_SLICE === 0) {
      opts.onProgress?.(0, Math.round((kept.line.length * total) / Math.max(1, lines.offset)))
      await opts.pause?.()
      if (opts.signal?.aborted) return finish(engine, actor, summary('cancelled'))
    }
    if (parsed === null) continue
    totals.lines++
    if ('message' in parsed) {
      totals.rejected++
      if (problems.length < MAX_LISTED_PROBLEMS) problems.push(parsed)
    } else if (seen.has(parsed.switchRecordId)) {
      totals.duplicates++
    } else {
      seen.add(parsed.switchRecordId)
      const ref = lookups.account(parsed.account)
      const customerId = ref?.customerId ?? 0
      accountRefs.push(ref)
      let group = byCustomer.get(customerId)
      if (!group) {
        group = []
        byCustomer.set(customerId, group)
      }
      group.push(kept.line.length)
      kept.offset.push(offset)
      kept.line.push(parsed.line)
      kept.start.push(parsed.start)
      kept.duration.push(parsed.durationS)
    }
  }
  seen.clear()
  // Unknown accounts last; each customer's records by start time (stable: file order at one instant).
  const order = new Int32Array(kept.line.length)
  let placed = 0
  for (const id of [...byCustomer.keys()].sort((a, b) => (a === 0 ? 1 : b === 0 ? -1 : a - b))) {
    const group = byCustomer.get(id)!
    if (group.some((k, j) => j > 0 && kept.start[k]! < kept.start[group[j - 1]!]!)) group.sort((x, y) => kept.start[x]! - kept.start[y]!)
    order.set(group, placed)
    placed += group.length
  }
  byCustomer.clear()
  /** The records of order[from..to), read again from their lines (already checked). */
  const recordsOf = (from: number, to: number): ParsedUsage[] => {
    const out: ParsedUsage[] = []
    for (let j = from; j < to; j++) {
      const k = order[j]!
      const cells = lines.cellsAt(kept.offset[k]!)
      const cell = (col: number) => cells[header.index[col]!]!.trim()
      out.push({
        line: kept.line[k]!,
        switchRecordId: cell(0),
        account: cell(1),
        start: kept.start[k]!,
        durationS: kept.duration[k]!,
        accountRef: accountRefs[k]!,
        readWith: lookups,
        calledNumber: cell(4),
        service: cell(5)
      })
    }
    return out
  }
  engine.change(actor, (w) =>
    w.run('UPDATE usage_imports SET lines = ?, rejected = ?, duplicates = ? WHERE id = ?', [totals.lines, totals.rejected, totals.duplicates, importId])
  )

  // 2. Write them in batches, each one unit of work; Cancel and pauses between batches.
  let done = 0
  // Look for known switch record ids only after a batch met some (re-importing a file).
  let lookUpKnown = false
  const count = order.length
  opts.onProgress?.(0, count)
  while (done < count) {
    if (opts.signal?.aborted) return finish(engine, actor, summary('cancelled'))
    // Chosen by customer (few balance updates and audit entries per batch), written in time order
    // (stable: file order at one instant): the time indexes (xdrs_started, each customer's part
    // of xdrs_customer_time) then take the batch's rows walking forward over neighbouring pages
    // instead of jumping across 30 days per row; measured 6 s less CPU per 1M records at M.
    const batch = recordsOf(done, Math.min(count, done + batchSize)).sort((a, b) => a.start - b.start)
    try {
      const before = totals.duplicates
      try {
        engine.change(actor, (w) => writeBatch(w, ctx, batch, lookUpKnown), BATCH_WRITE)()
      } catch (err) {
        if (!(err instanceof DuplicatesInBatch)) throw err
        engine.change(actor, (w) => writeBatch(w, ctx, batch, true), BATCH_WRITE)()
      }
      lookUpKnown = totals.duplicates > before
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err)
      const first = Math.min(...batch.map((u) => u.line))
      problems.push({
        line: first,
        field: null,
        message: `A batch of ${batch.length.toLocaleString('en-US')} records (line ${first} among them) could not be written (${message}); the batches before it are imported. Import the file again to complete it.`
      })
      return finish(engine, actor, summary('failed'))
    }
    done += batch.length
    opts.onProgress?.(done, count)
    if (done < count) await opts.pause?.()
  }
  return finish(engine, actor, summary('completed'))
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
