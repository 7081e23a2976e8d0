/**
 * The usage import's preparation (issue 9): reading and checking the CSV, grouping its records by
 * customer, and rating each batch into the rows the main thread inserts (a PreparedBatch: typed
 * arrays and one UTF-8 buffer, cheap to send between threads and to bind). usageImport.ts writes
 * the batches; for a large file the rating runs on a worker thread (`UsagePrepareWorker`, entry
 * src-main/usage/prepareWorker.ts) with a copy of what rating reads and the main thread's reading
 * of the file (UsageFile.handOver), pipelined with the inserts: the worker prepares batch k+1
 * while the main thread writes batch k. Plain TypeScript, no database: what it reads comes as a
 * Lookups and a UsageRater (from the database on the main thread, from a RatingSnapshot in the
 * worker). See docs/usage.md "Importing usage".
 */
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { parentPort, Worker } from 'node:worker_threads'
import type { UsageImportProblem } from '../../src-shared/domain'
import type { DbReader, Value } from '../db/access'
import { paramsJson, type SqlParam } from '../db/journal'
import { type RatingSnapshot, UsageRater, type UsageRating, type UsageUnratedReason, unrated } from './usageRating'

export const USAGE_COLUMNS = ['switch_record_id', 'account', 'start_time', 'duration', 'called_number', 'service'] as const
type UsageColumn = (typeof USAGE_COLUMNS)[number]

/** Lines read between two pauses (or progress messages) while the file is read. */
export const READ_SLICE = 50_000
/** Problems listed in a summary; the rest are counted in `rejected` only (a file of garbage stays a small summary). */
export const MAX_LISTED_PROBLEMS = 500
/** A call longer than 30 days is a broken record, not a call. */
const MAX_DURATION_S = 30 * 86_400
const MAX_TEXT = 100

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

  /** The text's characters. */
  get length(): number {
    return this.text.length
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

  /** The whole text (a line read by plainEnd() is source[offset before the call, the end it gave)). */
  get source(): string {
    return this.text
  }

  /** Where the first quote at or after `pos` is (the text's length: none). */
  private nextQuote = -1

  /**
   * Where the next line ends (before its \r\n or \n), read past, when it holds no quote (nearly
   * every line of a switch's file; it starts at `offset` as it was before the call); -1 at the end
   * of the text or before a line with a quote (read that one with next()).
   */
  plainEnd(): number {
    const t = this.text
    const pos = this.pos
    if (pos >= t.length) return -1
    let end = t.indexOf('\n', pos)
    if (end < 0) end = t.length
    if (this.nextQuote < pos) {
      const q = t.indexOf('"', pos)
      this.nextQuote = q < 0 ? t.length : q
    }
    if (this.nextQuote < end) return -1
    this.pos = end + 1
    this.line++
    return end > pos && t.charCodeAt(end - 1) === 13 ? end - 1 : end
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

/** The two decimal digits at `i` (both before `end`), or -1. */
function twoDigits(t: string, i: number, end: number): number {
  if (i + 1 >= end) return -1
  const a = t.charCodeAt(i) - 48
  const b = t.charCodeAt(i + 1) - 48
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1
}

/** The character `k` places into t[f, f + n), NaN past its end. */
const charIn = (t: string, f: number, n: number, k: number): number => (k < n ? t.charCodeAt(f + k) : Number.NaN)

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

/**
 * parseZonedTime's answer for the spellings a switch writes ("2026-03-05T10:00:00Z",
 * "2026-03-05 10:00:00.250+02:00", "+0200", "+02", without seconds), read digit by digit with no
 * regular expression or Date object (a million of them per file); NaN for anything else (a space
 * before the zone, a lower-case "z" or "t", a problem), which parseZonedTime then reads by its pattern.
 * Reads t[f, to) (a cell of a line, without cutting it out), never past it.
 */
function quickZonedTime(t: string, f = 0, to = t.length): number {
  const n = to - f
  if (n < 17 || charIn(t, f, n, 4) !== 45 || charIn(t, f, n, 7) !== 45 || charIn(t, f, n, 13) !== 58) return Number.NaN
  const sep = charIn(t, f, n, 10)
  if (sep !== 84 && sep !== 32) return Number.NaN
  const century = twoDigits(t, f, to)
  const yy = twoDigits(t, f + 2, to)
  const mo = twoDigits(t, f + 5, to)
  const d = twoDigits(t, f + 8, to)
  const h = twoDigits(t, f + 11, to)
  const mi = twoDigits(t, f + 14, to)
  if (century < 0 || yy < 0 || mo < 0 || d < 0 || h < 0 || mi < 0) return Number.NaN
  let i = 16
  let s = 0
  let ms = 0
  if (charIn(t, f, n, i) === 58) {
    s = twoDigits(t, f + 17, to)
    if (s < 0) return Number.NaN
    i = 19
    const dot = charIn(t, f, n, i)
    if (dot === 46 || dot === 44) {
      // 1 to 9 digits of a second; the first three are the milliseconds.
      let digits = 0
      for (i++; digits < 10; i++, digits++) {
        const c = charIn(t, f, n, i) - 48
        if (!(c >= 0 && c <= 9)) break
        if (digits < 3) ms += c * (digits === 0 ? 100 : digits === 1 ? 10 : 1)
      }
      if (digits < 1 || digits > 9) return Number.NaN
    }
  }
  const zone = charIn(t, f, n, i)
  let offsetMs = 0
  if (zone === 90) {
    if (i + 1 !== n) return Number.NaN
  } else if (zone === 43 || zone === 45) {
    const offH = twoDigits(t, f + i + 1, to)
    let offM = 0
    let j = i + 3
    if (offH < 0) return Number.NaN
    if (j < n) {
      if (charIn(t, f, n, j) === 58) j++
      offM = twoDigits(t, f + j, to)
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
function quickDuration(t: string, f = 0, to = t.length): number {
  const n = to - f
  if (n === 0 || n > 7) return -1
  let v = 0
  for (let i = 0; i < n; i++) {
    const c = t.charCodeAt(f + i) - 48
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
export interface ParsedUsage {
  line: number
  switchRecordId: string
  account: string
  start: number
  durationS: number
  calledNumber: string
  service: string
  /** The account as `readWith` found it when the file was read (see UsageFile.records). */
  accountRef?: AccountRef | null
  readWith?: Lookups | undefined
  /** Where its line starts in the text (while the file is read). */
  offset?: number
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
// Accounts and services

const fold = (s: string) => s.replace(/[A-Z]/g, (ch) => ch.toLowerCase())

export interface AccountRef {
  accountRowId: number
  customerId: number
  closed: boolean
}

/** The rows Lookups starts from: every account, every usable service. */
export interface LookupData {
  /** [id, account_id, customer_id, status] */
  accounts: Value[][]
  /** [id, code, name], by id */
  services: Value[][]
}

export function readLookupData(r: DbReader): LookupData {
  return {
    accounts: r.values('SELECT id, account_id, customer_id, status FROM accounts'),
    services: r.values('SELECT id, code, name FROM services WHERE is_special = 0 ORDER BY id')
  }
}

/**
 * Accounts and services by their folded names, loaded in one query each (see usageImport.ts
 * RatingState for how long they are kept). `findAccount` looks up an account the rows did not
 * have (one added meanwhile): the database on the main thread; none in the worker, whose copy is
 * used only while nothing else has changed the database (then such an account does not exist).
 */
export class Lookups {
  private readonly accounts = new Map<string, AccountRef | null>()
  /** As written in the file: most files write an account the same way on every line, so folding is rarely needed. */
  private readonly accountsAsWritten = new Map<string, AccountRef | null>()
  private readonly services = new Map<string, number>()

  constructor(
    data: LookupData,
    private readonly findAccount: ((ref: string) => AccountRef | null) | null
  ) {
    for (const [id, account, customerId, status] of data.accounts) {
      this.accounts.set(fold(String(account)), { accountRowId: Number(id), customerId: Number(customerId), closed: status !== 'active' })
    }
    // Codes first, then names: a name never shadows another service's code.
    for (const [id, , name] of data.services) this.services.set(fold(String(name).trim()), Number(id))
    for (const [id, code] of data.services) this.services.set(fold(String(code).trim()), Number(id))
  }

  /** On the main thread, an account added while the import runs is found too (the map only knew the accounts at its start). */
  account(ref: string): AccountRef | null {
    let a = this.accountsAsWritten.get(ref)
    if (a !== undefined) return a
    const key = fold(ref)
    a = this.accounts.get(key)
    if (a === undefined) {
      a = this.findAccount?.(ref) ?? null
      this.accounts.set(key, a)
    }
    this.accountsAsWritten.set(ref, a)
    return a
  }

  service(ref: string): number | null {
    return this.services.get(ref) ?? this.services.get(fold(ref)) ?? null
  }
}

/** Lookups over the database (the main thread's). */
export function databaseLookups(r: DbReader): Lookups {
  return new Lookups(readLookupData(r), (ref) => {
    const row = r.get<{ id: number; customer_id: number; status: string }>('SELECT id, customer_id, status FROM accounts WHERE account_id = ?', [ref])
    return row ? { accountRowId: row.id, customerId: row.customer_id, closed: row.status !== 'active' } : null
  })
}

// ---------------------------------------------------------------------------------------------
// The file, read and checked; its records by batch

/** The kept records' numbers, by their index in the order kept (see UsageFile); `account` indexes the accounts met. */
interface KeptRecords {
  n: number
  offset: Float64Array<ArrayBuffer>
  line: Int32Array<ArrayBuffer>
  start: Float64Array<ArrayBuffer>
  duration: Int32Array<ArrayBuffer>
  account: Int32Array<ArrayBuffer>
}

/** A file's reading as UsageFile.handOver gives it to the worker (typed arrays, transferred). */
export interface ReadState {
  kept: KeptRecords
  order: Int32Array<ArrayBuffer>
  refs: (AccountRef | null)[]
}

/** What reading the file found (the summary's counts; `count` records to write). */
export interface ReadCounts {
  lines: number
  rejected: number
  duplicates: number
}

/**
 * A 32-bit hash of the characters t[from, to) (FNV-1a, then mixed: switch record ids that differ
 * only in their last digits spread over the whole table). Equal texts give equal hashes whether
 * read from the file's text or from a string.
 */
function hashChars(t: string, from: number, to: number): number {
  let h = 0x811c9dc5
  for (let i = from; i < to; i++) h = Math.imul(h ^ t.charCodeAt(i), 0x01000193)
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  return h ^ (h >>> 16)
}

/**
 * The switch record ids of the records kept so far, as an open-addressing table of their hashes
 * and kept indexes in typed arrays. A Set of a million id strings cost ~0.9 s of a 1M file's
 * reading (a string made and hashed per line); here a line's id becomes a string only when its
 * hash equals one already in (a repeated id, or a rare collision), to be compared as text.
 */
export class SeenIds {
  /** Kept index + 1 per slot (0: empty); `hashes` holds the slot's hash. */
  private slots = new Int32Array(1 << 12)
  private hashes = new Int32Array(1 << 12)
  private size = 0

  /**
   * The kept index of an id equal to the one hashed `h` (`text()` gives it), or -1 after noting it
   * as kept index `k`. `idOf(j)` is the id of kept record j.
   */
  findOrAdd(h: number, text: () => string, k: number, idOf: (j: number) => string): number {
    if (2 * (this.size + 1) > this.slots.length) this.grow()
    const mask = this.slots.length - 1
    let i = h & mask
    let id: string | null = null
    for (;;) {
      const j = this.slots[i]!
      if (j === 0) break
      if (this.hashes[i] === h) {
        id ??= text()
        if (idOf(j - 1) === id) return j - 1
      }
      i = (i + 1) & mask
    }
    this.slots[i] = k + 1
    this.hashes[i] = h
    this.size++
    return -1
  }

  /**
   * Make room for `n` ids in all (at most half full, as the table grows to anyway), in one step,
   * so that it is not rebuilt, into new memory each time, at every doubling as it fills.
   */
  reserve(n: number): void {
    let length = this.slots.length
    while (length < 2 * n) length *= 2
    if (length > this.slots.length) this.grow(length)
  }

  private grow(length = this.slots.length * 2): void {
    const { slots, hashes } = this
    this.slots = new Int32Array(length)
    this.hashes = new Int32Array(length)
    const mask = this.slots.length - 1
    for (let s = 0; s < slots.length; s++) {
      if (slots[s] === 0) continue
      let i = hashes[s]! & mask
      while (this.slots[i] !== 0) i = (i + 1) & mask
      this.slots[i] = slots[s]!
      this.hashes[i] = hashes[s]!
    }
  }
}

/**
 * A usage file being read and checked, then its valid records by batch. Records are grouped by
 * customer, in time order: a batch touches few customers, so the balance updates and audit
 * entries per batch stay few, and the (customer, time) index grows in place. The first record with
 * a switch record id wins; later ones are duplicates. A million records must not become a million
 * objects kept alive (the garbage collector would then cost more than the import), nor a million
 * strings: each valid record is kept as numbers (the line's place in the text among them, and the
 * account it names as an index into the accounts met), and its text is read again when its batch
 * is prepared.
 */
export class UsageFile {
  readonly counts: ReadCounts = { lines: 0, rejected: 0, duplicates: 0 }
  /** The first MAX_LISTED_PROBLEMS problems, by line. */
  readonly problems: UsageImportProblem[] = []
  /**
   * Kept records' numbers, by their index in the order kept (typed arrays, grown by doubling: no
   * million-element arrays of boxed numbers); `account` indexes `refs`.
   */
  private kept: KeptRecords = {
    n: 0,
    offset: new Float64Array(1024),
    line: new Int32Array(1024),
    start: new Float64Array(1024),
    duration: new Int32Array(1024),
    account: new Int32Array(1024)
  }
  private seen = new SeenIds()
  /** The accounts met, as the lookups found them (null: unknown). */
  private refs: (AccountRef | null)[] = []
  private readonly refIndex = new Map<AccountRef | null, number>()
  /**
   * An account cell's text -> its index in `refs`, by the text's hash (see takeQuick): most files
   * name a few thousand accounts a million times, and a lookup by a string cut from each line
   * cost ~0.5 s per 1M. A text whose hash another text holds is looked up the ordinary way.
   */
  private readonly accountByHash = new Map<number, { text: string; account: number }>()
  private order = new Int32Array(0)
  private lineCount = 1
  /** Paused before line lineCount (reading goes on from there at the next call). */
  private paused = false
  private readWith: Lookups | null = null

  private constructor(
    private readonly lines: CsvLines,
    private readonly index: number[]
  ) {}

  /** The file after its header, or the problems that stop the whole file. */
  static open(csv: string): UsageFile | { problems: UsageImportProblem[] } {
    const lines = new CsvLines(csv)
    const header = readHeader(lines)
    return 'index' in header ? new UsageFile(lines, header.index) : header
  }

  /** Valid records kept so far (all of them once read). */
  get count(): number {
    return this.kept.n
  }

  /** Characters of the file read so far. */
  get charsRead(): number {
    return this.lines.offset
  }

  /**
   * Read on to the next slice's end (READ_SLICE lines): true there (pause, report progress, look
   * at Cancel, then call again), false at the end of the file. Accounts are found with `lookups`.
   */
  readSlice(lookups: Lookups): boolean {
    if (this.readWith !== lookups) {
      this.readWith = lookups
      this.accountByHash.clear()
    }
    const lines = this.lines
    const index = this.index
    /** A line read: null when it is blank (every value empty), which is not a record. */
    const readRow = (row: CsvLine): ParsedUsage | UsageImportProblem | null =>
      row.problem === null && row.cells.every((c) => c.trim() === '') ? null : parseRow(row, index)
    for (;;) {
      if (this.lineCount % READ_SLICE === 0 && !this.paused) {
        this.paused = true
        if (this.lineCount === READ_SLICE) this.reserveForTheRest()
        return true
      }
      this.paused = false
      this.lineCount++
      const lineNumber = lines.lineNumber
      const offset = lines.offset
      // Most lines hold no quote and pass every check: read those the quick way.
      const end = lines.plainEnd()
      let parsed: ParsedUsage | UsageImportProblem | null
      if (end >= 0) {
        if (this.takeQuick(offset, end, lineNumber, lookups)) continue
        const cells = lines.source.slice(offset, end).split(lines.sep)
        parsed = quickRow(lineNumber, cells, index) ?? readRow({ line: lineNumber, cells, problem: null })
      } else {
        const row = lines.next()
        if (!row) return false
        parsed = readRow(row)
      }
      if (parsed !== null && !('message' in parsed)) parsed.offset = offset
      this.take(parsed, lookups)
    }
  }

  /** Where the cells of the line takeQuick reads start and end. */
  private readonly cellStart = new Int32Array(USAGE_COLUMNS.length)
  private readonly cellEnd = new Int32Array(USAGE_COLUMNS.length)

  /**
   * take(quickRow(...)) for the line t[offset, end), without cutting it into cells: only its switch
   * record id and account become strings (a million lines must not become seven million strings).
   * False, having taken nothing, for a line that is not six values each starting and ending with a
   * visible ASCII character (so trimming would not change them) and passing quickRow's checks.
   */
  private takeQuick(offset: number, end: number, line: number, lookups: Lookups): boolean {
    const t = this.lines.source
    const sep = this.lines.sep
    const starts = this.cellStart
    const ends = this.cellEnd
    let cell = 0
    let from = offset
    for (;;) {
      let q = t.indexOf(sep, from)
      if (q < 0 || q >= end) q = end
      if (cell === USAGE_COLUMNS.length) return false
      starts[cell] = from
      ends[cell] = q
      cell++
      if (q === end) break
      from = q + 1
    }
    if (cell !== USAGE_COLUMNS.length) return false
    for (let k = 0; k < cell; k++) {
      const a = t.charCodeAt(starts[k]!)
      const z = t.charCodeAt(ends[k]! - 1)
      if (ends[k]! <= starts[k]! || a <= 32 || a >= 127 || z <= 32 || z >= 127) return false
    }
    const index = this.index
    const id = index[0]!
    const account = index[1]!
    const time = index[2]!
    const duration = index[3]!
    const called = index[4]!
    if (ends[id]! - starts[id]! > MAX_TEXT || ends[account]! - starts[account]! > MAX_TEXT || ends[called]! - starts[called]! > MAX_TEXT) return false
    const start = quickZonedTime(t, starts[time]!, ends[time]!)
    const durationS = quickDuration(t, starts[duration]!, ends[duration]!)
    if (Number.isNaN(start) || durationS < 0) return false
    // As take() does with the record quickRow gives.
    this.counts.lines++
    const k = this.kept.n
    const idFrom = starts[id]!
    const idTo = ends[id]!
    if (this.seen.findOrAdd(hashChars(t, idFrom, idTo), () => t.slice(idFrom, idTo), k, this.idOf) >= 0) {
      this.counts.duplicates++
      return true
    }
    const accountFrom = starts[account]!
    const accountTo = ends[account]!
    const h = hashChars(t, accountFrom, accountTo)
    let known = this.accountByHash.get(h)
    if (known === undefined || known.text.length !== accountTo - accountFrom || !t.startsWith(known.text, accountFrom)) {
      const text = t.slice(accountFrom, accountTo)
      const entry = { text, account: this.accountIndex(lookups.account(text)) }
      if (known === undefined) this.accountByHash.set(h, entry)
      known = entry
    }
    this.keep(known.account, offset, line, start, durationS)
    return true
  }

  /** The switch record id of kept record k, read again from its line. */
  private readonly idOf = (k: number): string => this.lines.cellsAt(this.kept.offset[k]!)[this.index[0]!]!.trim()

  private take(parsed: ParsedUsage | UsageImportProblem | null, lookups: Lookups): void {
    if (parsed === null) return
    this.counts.lines++
    if ('message' in parsed) {
      this.counts.rejected++
      if (this.problems.length < MAX_LISTED_PROBLEMS) this.problems.push(parsed)
      return
    }
    const idText = parsed.switchRecordId
    if (this.seen.findOrAdd(hashChars(idText, 0, idText.length), () => idText, this.kept.n, this.idOf) >= 0) {
      this.counts.duplicates++
      return
    }
    this.keep(this.accountIndex(lookups.account(parsed.account)), parsed.offset!, parsed.line, parsed.start, parsed.durationS)
  }

  /** The index in `refs` of an account as the lookups found it. */
  private accountIndex(ref: AccountRef | null): number {
    let a = this.refIndex.get(ref)
    if (a === undefined) {
      a = this.refs.length
      this.refs.push(ref)
      this.refIndex.set(ref, a)
    }
    return a
  }

  /**
   * After the first slice: room for as many records as the rest of the file holds at the first
   * slice's line length (and a little more), in the kept arrays and the table of ids, instead of
   * growing both by doubling: each doubling copied the arrays into new memory and rebuilt the
   * table, ~0.1-0.2 s of a 1M-line file. A guess too small only means doubling from there on.
   */
  private reserveForTheRest(): void {
    const expected = (this.kept.n * this.lines.length) / Math.max(1, this.lines.offset)
    // The table exactly (a size larger than it would grow to is more memory to touch), the arrays with a margin (never touched if unused).
    this.seen.reserve(Math.ceil(expected))
    const capacity = Math.ceil(expected * 1.05) + 1024
    if (capacity > this.kept.line.length) this.growKept(capacity)
  }

  private growKept(capacity: number): void {
    const kept = this.kept
    const grow = <T extends Float64Array | Int32Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(capacity)
      b.set(a.subarray(0, kept.n))
      return b
    }
    this.kept = {
      n: kept.n,
      offset: grow(kept.offset),
      line: grow(kept.line),
      start: grow(kept.start),
      duration: grow(kept.duration),
      account: grow(kept.account)
    }
  }

  /** Keep a valid record that is not a duplicate, with its account (an index in `refs`). */
  private keep(account: number, offset: number, line: number, start: number, durationS: number): void {
    if (this.kept.n === this.kept.line.length) this.growKept(this.kept.line.length * 2)
    const kept = this.kept
    const k = kept.n++
    kept.offset[k] = offset
    kept.line[k] = line
    kept.start[k] = start
    kept.duration[k] = durationS
    kept.account[k] = account
  }

  /** After the last slice: the batches' order (unknown accounts last; each customer's records by start time, file order at one instant). */
  finishReading(): void {
    this.seen = new SeenIds()
    const kept = this.kept
    // Customers by row id, unknown accounts (0) last; each account's rank is its customer's. Then
    // each record into its customer's place, in file order (a counting sort: no array per customer).
    const customers = [...new Set(this.refs.map((ref) => ref?.customerId ?? 0))].sort((x, y) => (x === 0 ? 1 : y === 0 ? -1 : x - y))
    const groups = customers.length
    const rankOf = new Map(customers.map((id, r) => [id, r]))
    const accountRank = this.refs.map((ref) => rankOf.get(ref?.customerId ?? 0)!)
    const groupOfRecord = new Int32Array(kept.n)
    const starts = new Int32Array(groups + 1)
    for (let k = 0; k < kept.n; k++) {
      const r = accountRank[kept.account[k]!]!
      groupOfRecord[k] = r
      starts[r + 1]!++
    }
    for (let r = 0; r < groups; r++) starts[r + 1]! += starts[r]!
    const next = starts.slice(0, groups)
    const order = new Int32Array(kept.n)
    for (let k = 0; k < kept.n; k++) order[next[groupOfRecord[k]!]!++] = k
    for (let r = 0; r < groups; r++) {
      const a = starts[r]!
      const b = starts[r + 1]!
      let sorted = true
      for (let j = a + 1; j < b && sorted; j++) sorted = kept.start[order[j]!]! >= kept.start[order[j - 1]!]!
      // Array sort is stable: file order at one instant.
      if (!sorted)
        order.set(
          [...order.subarray(a, b)].sort((x, y) => kept.start[x]! - kept.start[y]!),
          a
        )
    }
    this.order = order
  }

  /**
   * After finishReading: what the reading found, for the worker that prepares the batches
   * (adopt), with the buffers to transfer. This file can give no records after it.
   */
  handOver(): { state: ReadState; transfer: ArrayBuffer[] } {
    const { offset, line, start, duration, account } = this.kept
    const state: ReadState = { kept: this.kept, order: this.order, refs: this.refs }
    return { state, transfer: [offset.buffer, line.buffer, start.buffer, duration.buffer, account.buffer, this.order.buffer] }
  }

  /** Take over another thread's reading of the same text (handOver); its accounts were found with lookups made of the same data as `lookups`. */
  adopt(state: ReadState, lookups: Lookups): void {
    this.kept = state.kept
    this.order = state.order
    this.refs = state.refs
    this.readWith = lookups
  }

  /**
   * The records of the batch [from, to) of the order, read again from their lines (already
   * checked), in start-time order (stable: file order at one instant). Chosen by customer, written
   * in time order: the time indexes (xdrs_started_hour, each customer's part of xdrs_customer_time) then
   * take the batch's rows walking forward over neighbouring pages instead of jumping across 30 days
   * per row (measured 6 s less CPU per 1M records at M).
   */
  records(from: number, to: number): ParsedUsage[] {
    const out: ParsedUsage[] = []
    const kept = this.kept
    const index = this.index
    for (let j = from; j < to; j++) {
      const k = this.order[j]!
      const cells = this.lines.cellsAt(kept.offset[k]!)
      const cell = (col: number) => cells[index[col]!]!.trim()
      out.push({
        line: kept.line[k]!,
        switchRecordId: cell(0),
        account: cell(1),
        start: kept.start[k]!,
        durationS: kept.duration[k]!,
        accountRef: this.refs[kept.account[k]!]!,
        readWith: this.readWith ?? undefined,
        calledNumber: cell(4),
        service: cell(5)
      })
    }
    return out.sort((a, b) => a.start - b.start)
  }
}

// ---------------------------------------------------------------------------------------------
// A batch rated into the rows to insert

/** The numbers of a prepared row, NUM_COLS per row (NaN: SQL NULL). */
export const C_CUSTOMER = 0
export const C_ACCOUNT = 1
export const C_SERVICE = 2
/** Epoch milliseconds. */
export const C_START = 3
export const C_DURATION = 4
export const C_CHARGE = 5
export const C_BILLED = 6
/** The matched prefix as a number when it reads back as the same digits (see `prefixes`). */
export const C_PREFIX = 7
export const C_VERSION = 8
/** 0: rated; else 1 + the index in UNRATED_REASONS. */
export const C_REASON = 9
export const C_LINE = 10
/** Index in `services`. */
export const C_SERVICE_TEXT = 11
export const NUM_COLS = 12

export const UNRATED_REASONS: readonly UsageUnratedReason[] = ['no-matching-prefix', 'no-price-list', 'unknown-account', 'closed-account', 'unknown-service']

/**
 * A batch's records, rated, as the rows to insert: numbers in `num`, and each row's switch record
 * id, account and called number as UTF-8 one after another in `text` (row r's start at `at[r]`,
 * their byte lengths packed in `lens[r]`: id | account << 10 | number << 20; each is at most
 * MAX_TEXT characters, so at most 400 bytes). The main thread binds a statement's share of
 * `text` as one blob instead of three texts per row (sql.js copies each text into the WASM heap
 * through a JavaScript encoder).
 */
export interface PreparedBatch {
  /** The rating data's generation it was rated with (see usageImport.ts RatingState). */
  gen: number
  n: number
  num: Float64Array
  text: Uint8Array
  at: Int32Array
  lens: Int32Array
  /** The service cells as written. */
  services: string[]
  /** [row, prefix] of rows whose prefix is not bound as a number (a leading 0, or more than 9 digits). */
  prefixes: [number, string][]
  /**
   * Made by the worker: for each of insertStatements(b, []), the JSON of its parameters without
   * the brackets, as UTF-8 in `bytes` (statement c's ends at `ends[c]`), and the base64
   * characters in it: the journal record's share of it (the main thread adds the instant and the
   * import id, see journal.ts withJournalJson). Absent for a batch rated or filtered on the main thread.
   */
  journal?: { bytes: Uint8Array; ends: number[]; blobChars: number[] }
}

/** Rows per INSERT statement: powers of two up to 256, so few distinct statements are prepared. */
const MAX_ROWS_PER_INSERT = 256

/**
 * The last instant SQLite's strftime writes as toISOString does (later ones are bound as text).
 * Binding a number costs sql.js far less than a text (which it copies into the WASM heap and
 * frees): started_at goes in as epoch milliseconds and the prefix as a number where both give the
 * same text back in SQL (measured on 4M instants of years 100 to 9999: identical to toISOString).
 */
const LAST_SQL_INSTANT = Date.UTC(9999, 11, 31, 23, 59, 59, 999)
const asBoundInstant = (ms: number): number | string => (ms <= LAST_SQL_INSTANT ? ms : new Date(ms).toISOString())
const orNull = (x: number): number | null => (Number.isNaN(x) ? null : x)

/**
 * The INSERTs of batch `b`: each one's row count (see MAX_ROWS_PER_INSERT) and parameters after its
 * instant and import id: the rows' share of `text` as one blob (?3), then twelve per row (see
 * usageImport.ts INSERT_HEAD). `head` starts each parameter list (the main thread's instant and
 * import id; none for the journal's share, see encodeJournal).
 */
export function insertStatements(b: PreparedBatch, head: SqlParam[]): { rows: number; params: SqlParam[] }[] {
  const num = b.num
  // Made once per batch: with national prefixes such as "0044" every row has one.
  const textPrefix = b.prefixes.length > 0 ? new Map(b.prefixes) : null
  const out: { rows: number; params: SqlParam[] }[] = []
  for (let i = 0; i < b.n; ) {
    let n = MAX_ROWS_PER_INSERT
    while (n > b.n - i) n >>= 1
    const base = b.at[i]!
    const params: SqlParam[] = [...head, b.text.subarray(base, b.at[i + n]!)]
    for (let r = i; r < i + n; r++) {
      const o = r * NUM_COLS
      const reason = num[o + C_REASON]!
      const prefix = num[o + C_PREFIX]!
      params.push(
        orNull(num[o + C_CUSTOMER]!),
        orNull(num[o + C_ACCOUNT]!),
        orNull(num[o + C_SERVICE]!),
        asBoundInstant(num[o + C_START]!),
        num[o + C_DURATION]!,
        orNull(num[o + C_CHARGE]!),
        reason === 0 ? null : UNRATED_REASONS[reason - 1]!,
        orNull(num[o + C_BILLED]!),
        Number.isNaN(prefix) ? (textPrefix?.get(r) ?? null) : prefix,
        orNull(num[o + C_VERSION]!),
        b.at[r]! - base,
        b.lens[r]!
      )
    }
    out.push({ rows: n, params })
    i += n
  }
  return out
}

/** The journal's share of each INSERT of `b` (PreparedBatch.journal), made where the batch was rated (the worker). */
export function encodeJournal(b: PreparedBatch): NonNullable<PreparedBatch['journal']> {
  const json: string[] = []
  const ends: number[] = []
  const blobChars: number[] = []
  let end = 0
  for (const { params } of insertStatements(b, [])) {
    const encoded = paramsJson(params)
    const inner = encoded.json.slice(1, -1)
    json.push(inner)
    end += Buffer.byteLength(inner, 'utf8')
    ends.push(end)
    blobChars.push(encoded.blobChars)
  }
  return { bytes: encoder.encode(json.join('')), ends, blobChars }
}

/** A prefix without a leading zero and of at most 9 digits reads back as the same digits from a number. */
const prefixAsNumber = (prefix: string): number => (prefix.length <= 9 && prefix.charCodeAt(0) !== 48 ? Number(prefix) : Number.NaN)

const encoder = new TextEncoder()
const decoder = new TextDecoder()

/** Rate `records` with `lookups` and `rater` into a PreparedBatch. */
export function prepareBatch(records: ParsedUsage[], lookups: Lookups, rater: UsageRater, gen: number): PreparedBatch {
  const n = records.length
  const num = new Float64Array(n * NUM_COLS)
  const services: string[] = []
  const serviceIndex = new Map<string, number>()
  const prefixes: [number, string][] = []
  const parts: string[] = []
  for (let r = 0; r < n; r++) {
    const u = records[r]!
    const account = u.readWith === lookups ? u.accountRef! : lookups.account(u.account)
    const serviceId = lookups.service(u.service)
    let rating: UsageRating
    if (!account) rating = unrated('unknown-account')
    else if (account.closed) rating = unrated('closed-account')
    else if (serviceId === null) rating = unrated('unknown-service')
    else rating = rater.rate({ customerId: account.customerId, serviceId, start: u.start, durationS: u.durationS, calledNumber: u.calledNumber })
    let s = serviceIndex.get(u.service)
    if (s === undefined) {
      s = services.length
      services.push(u.service)
      serviceIndex.set(u.service, s)
    }
    const o = r * NUM_COLS
    num[o + C_CUSTOMER] = account?.customerId ?? Number.NaN
    num[o + C_ACCOUNT] = account?.accountRowId ?? Number.NaN
    num[o + C_SERVICE] = serviceId ?? Number.NaN
    num[o + C_START] = u.start
    num[o + C_DURATION] = u.durationS
    num[o + C_CHARGE] = rating.chargeMinor ?? Number.NaN
    num[o + C_BILLED] = rating.billedS ?? Number.NaN
    num[o + C_PREFIX] = rating.prefix === null ? Number.NaN : prefixAsNumber(rating.prefix)
    if (rating.prefix !== null && Number.isNaN(num[o + C_PREFIX]!)) prefixes.push([r, rating.prefix])
    num[o + C_VERSION] = rating.priceListVersionId ?? Number.NaN
    num[o + C_REASON] = rating.unratedReason === null ? 0 : 1 + UNRATED_REASONS.indexOf(rating.unratedReason)
    num[o + C_LINE] = u.line
    num[o + C_SERVICE_TEXT] = s
    parts.push(u.switchRecordId, u.account, u.calledNumber)
  }
  const joined = parts.join('')
  const text = encoder.encode(joined)
  const at = new Int32Array(n + 1)
  const lens = new Int32Array(n)
  // Nearly every file is ASCII: then a text's bytes are its characters.
  const byteLength = text.length === joined.length ? (t: string) => t.length : (t: string) => Buffer.byteLength(t, 'utf8')
  let pos = 0
  for (let r = 0; r < n; r++) {
    const a = byteLength(parts[3 * r]!)
    const b = byteLength(parts[3 * r + 1]!)
    const c = byteLength(parts[3 * r + 2]!)
    at[r] = pos
    lens[r] = a | (b << 10) | (c << 20)
    pos += a + b + c
  }
  at[n] = pos
  return { gen, n, num, text, at, lens, services, prefixes }
}

/** Row r's switch record id, account and called number. */
export function rowTexts(b: PreparedBatch, r: number): [string, string, string] {
  const l = b.lens[r]!
  const a = l & 1023
  const c = (l >> 10) & 1023
  const at = b.at[r]!
  return [
    decoder.decode(b.text.subarray(at, at + a)),
    decoder.decode(b.text.subarray(at + a, at + a + c)),
    decoder.decode(b.text.subarray(at + a + c, at + a + c + (l >> 20)))
  ]
}

/** The batch's records as read from the file (to rate them again, with what the database holds now). */
export function batchRecords(b: PreparedBatch): ParsedUsage[] {
  const out: ParsedUsage[] = []
  for (let r = 0; r < b.n; r++) {
    const [switchRecordId, account, calledNumber] = rowTexts(b, r)
    const o = r * NUM_COLS
    out.push({
      line: b.num[o + C_LINE]!,
      switchRecordId,
      account,
      start: b.num[o + C_START]!,
      durationS: b.num[o + C_DURATION]!,
      calledNumber,
      service: b.services[b.num[o + C_SERVICE_TEXT]!]!
    })
  }
  return out
}

/** The rows of `b` for which `keep` holds, as a batch of their own. */
export function filterBatch(b: PreparedBatch, keep: (row: number) => boolean): PreparedBatch {
  const rows: number[] = []
  for (let r = 0; r < b.n; r++) if (keep(r)) rows.push(r)
  const n = rows.length
  const num = new Float64Array(n * NUM_COLS)
  const at = new Int32Array(n + 1)
  const lens = new Int32Array(n)
  let bytes = 0
  for (const r of rows) bytes += b.at[r + 1]! - b.at[r]!
  const text = new Uint8Array(bytes)
  const prefixOf = new Map(b.prefixes)
  const prefixes: [number, string][] = []
  let pos = 0
  rows.forEach((r, i) => {
    num.set(b.num.subarray(r * NUM_COLS, (r + 1) * NUM_COLS), i * NUM_COLS)
    text.set(b.text.subarray(b.at[r]!, b.at[r + 1]!), pos)
    at[i] = pos
    lens[i] = b.lens[r]!
    pos += b.at[r + 1]! - b.at[r]!
    const p = prefixOf.get(r)
    if (p !== undefined) prefixes.push([i, p])
  })
  at[n] = pos
  return { gen: b.gen, n, num, text, at, lens, services: b.services, prefixes }
}

// ---------------------------------------------------------------------------------------------
// The worker thread

/** What rating reads, copied for the worker: generation `gen` of it. */
export interface RatingData {
  gen: number
  lookups: LookupData
  rating: RatingSnapshot
}

type ToWorker =
  /** The file's length in characters and the accounts and services of generation 0 (the text follows in 'text', what rating reads in 'rating'). */
  | { type: 'start'; chars: number; lookups: LookupData }
  /** The file's text: as the room the worker sent, holding it as ASCII bytes, or (when it is not all ASCII, or the room came late) as a string. */
  | { type: 'text'; ascii: ArrayBuffer; csv?: undefined }
  | { type: 'text'; csv: string; ascii?: undefined }
  /** What rating reads, generation 0. */
  | { type: 'rating'; rating: RatingSnapshot }
  /** The main thread's reading of the file, with generation 0's accounts (see UsageFile.handOver). */
  | { type: 'read'; state: ReadState }
  /** A new generation of it all. */
  | { type: 'data'; data: RatingData }
  | { type: 'batch'; from: number; to: number }

export type FromWorker =
  | { type: 'batch'; batch: PreparedBatch }
  /** `batch`: the records the failure is about (a batch that could not be rated: its size and first line). */
  | { type: 'error'; message: string; batch?: { n: number; first: number } }

/** Memory for the file's text, its pages already touched by the worker (see UsagePrepareWorker.text). */
type RoomMessage = { type: 'room'; room: ArrayBuffer }

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err))

/** Lines of the file warmUp rates. */
const WARM_UP_LINES = 2_000

/**
 * Rate the file's first lines once, throwing the result away, while the main thread is still
 * reading the file: the first batch then finds the price lists' prefixes indexed and this
 * thread's code compiled. It took ~0.1 s longer than the batches after it, with the main thread
 * waiting for it. Nothing it does is kept but what the rater caches (the same data).
 */
function warmUp(text: string, lookups: Lookups, rater: UsageRater): void {
  try {
    let end = 0
    for (let n = 0; n <= WARM_UP_LINES && end >= 0; n++) end = text.indexOf('\n', end + 1)
    const probe = UsageFile.open(end < 0 ? text : text.slice(0, end))
    if (!(probe instanceof UsageFile)) return
    while (probe.readSlice(lookups));
    probe.finishReading()
    encodeJournal(prepareBatch(probe.records(0, probe.count), lookups, rater, 0))
  } catch {
    // Only a head start is lost: the batches are rated as they are asked for.
  }
}

/** The worker's side (src-main/usage/prepareWorker.ts calls it): takes the file and its reading, then prepares the batches asked for, in order. */
export function serveUsagePrepare(): void {
  const port = parentPort
  if (!port) return
  let file: UsageFile | null = null
  let gen = 0
  let firstLookups: Lookups | null = null
  let lookups: Lookups | null = null
  let rater: UsageRater | null = null
  const takeData = (data: RatingData) => {
    gen = data.gen
    lookups = new Lookups(data.lookups, null)
    rater = new UsageRater(data.rating)
  }
  port.on('message', (m: ToWorker) => {
    try {
      if (m.type === 'start') {
        firstLookups = lookups = new Lookups(m.lookups, null)
        // Touched here, so that the main thread's copy of the text into it costs no page faults.
        const room = new ArrayBuffer(m.chars)
        new Uint8Array(room).fill(0)
        port.postMessage({ type: 'room', room } satisfies RoomMessage, [room])
      } else if (m.type === 'text') {
        // ASCII bytes read as Latin-1 are the same characters, at the same offsets.
        const text = m.csv ?? Buffer.from(m.ascii).toString('latin1')
        const opened = UsageFile.open(text)
        if (!(opened instanceof UsageFile)) throw new Error('the header was checked before the worker started')
        file = opened
        if (rater && firstLookups) warmUp(text, firstLookups, rater)
      } else if (m.type === 'rating') rater = new UsageRater(m.rating)
      else if (m.type === 'read') file!.adopt(m.state, firstLookups!)
      else if (m.type === 'data') takeData(m.data)
      else {
        const records = file!.records(m.from, m.to)
        let batch: PreparedBatch
        try {
          batch = prepareBatch(records, lookups!, rater!, gen)
          batch.journal = encodeJournal(batch)
        } catch (err) {
          // As a batch that cannot be rated on the main thread: the import fails there, the batches before it kept.
          const first = Math.min(...records.map((u) => u.line))
          port.postMessage({ type: 'error', message: messageOf(err), batch: { n: records.length, first } } satisfies FromWorker)
          return
        }
        port.postMessage({ type: 'batch', batch } satisfies FromWorker, [
          batch.num.buffer,
          batch.text.buffer,
          batch.at.buffer,
          batch.lens.buffer,
          batch.journal.bytes.buffer
        ] as ArrayBuffer[])
      }
    } catch (err) {
      port.postMessage({ type: 'error', message: messageOf(err) } satisfies FromWorker)
    }
  })
}

/**
 * Where the worker's code is. Built (out/main): `usage-prepare-worker.js`, an entry of its own
 * next to the bundle or one folder up from its chunks. From TypeScript source (vitest): the .ts
 * file, loaded through tsx's require hook (a dev dependency, as the tests are).
 */
function startWorker(): Worker {
  for (const dir of [__dirname, path.dirname(__dirname)]) {
    const built = path.join(dir, 'usage-prepare-worker.js')
    if (fs.existsSync(built)) return new Worker(built)
  }
  const source = path.join(__dirname, '../usage/prepareWorker.ts')
  if (!fs.existsSync(source)) throw new Error(`the usage import worker is missing (no usage-prepare-worker.js near ${__dirname})`)
  const tsx = createRequire(source).resolve('tsx/cjs')
  return new Worker(`require(${JSON.stringify(tsx)}); require(${JSON.stringify(source)})`, { eval: true })
}

/**
 * The main thread's handle on a usage import's worker: its messages (the batches asked for) in
 * the order they came. An error or an exit becomes an 'error' message.
 */
export class UsagePrepareWorker {
  private readonly worker: Worker
  private readonly inbox: FromWorker[] = []
  private waiting: ((m: FromWorker) => void) | null = null
  private closed = false

  /** The file's text, until it is sent to the worker. */
  private csv: string | null

  constructor(csv: string, lookups: LookupData) {
    this.csv = csv
    this.worker = startWorker()
    this.worker.on('message', (m: FromWorker | RoomMessage) => (m.type === 'room' ? this.text(m.room) : this.deliver(m)))
    this.worker.on('error', (err) => this.deliver({ type: 'error', message: err.message }))
    this.worker.on('exit', (code) => {
      if (!this.closed) this.deliver({ type: 'error', message: `the usage import worker stopped (exit code ${code})` })
    })
    this.worker.postMessage({ type: 'start', chars: csv.length, lookups } satisfies ToWorker)
  }

  /**
   * Send the file's text, if not sent yet: into `room` (memory the worker touched, handed over and
   * back without a copy) when it is all ASCII and the room came, else as a string. Copying a
   * string to another thread writes it into new memory, whose first touch costs 12 µs per 4 KiB
   * page on the build VM: ~250 ms of the main thread for a 1M-line file, where encoding it into
   * touched memory takes ~10 ms. Every character encoding to one byte is what makes it ASCII.
   */
  private text(room: ArrayBuffer | null): void {
    const csv = this.csv
    if (csv === null || this.closed) return
    this.csv = null
    if (room !== null) {
      const { read, written } = new TextEncoder().encodeInto(csv, new Uint8Array(room))
      if (read === csv.length && written === csv.length) {
        this.worker.postMessage({ type: 'text', ascii: room } satisfies ToWorker, [room])
        return
      }
    }
    this.worker.postMessage({ type: 'text', csv } satisfies ToWorker)
  }

  /** What rating reads, generation 0 (read after the worker started: it takes in the file's text meanwhile). */
  rating(rating: RatingSnapshot): void {
    this.worker.postMessage({ type: 'rating', rating } satisfies ToWorker)
  }

  /** The file as this thread read it (with generation 0's accounts and services), before the first batch is asked for. */
  read(file: UsageFile): void {
    this.text(null) // the room came too late: the text goes as a string
    const { state, transfer } = file.handOver()
    this.worker.postMessage({ type: 'read', state } satisfies ToWorker, transfer)
  }

  private deliver(m: FromWorker): void {
    const w = this.waiting
    if (w) {
      this.waiting = null
      w(m)
    } else this.inbox.push(m)
  }

  /** The next message. */
  next(): Promise<FromWorker> {
    const m = this.inbox.shift()
    if (m) return Promise.resolve(m)
    return new Promise((resolve) => {
      this.waiting = resolve
    })
  }

  /** Prepare the records [from, to) of the order next. */
  request(from: number, to: number): void {
    this.worker.postMessage({ type: 'batch', from, to } satisfies ToWorker)
  }

  /** Rate the batches asked for from now on with this data. */
  update(data: RatingData): void {
    this.worker.postMessage({ type: 'data', data } satisfies ToWorker)
  }

  close(): void {
    this.closed = true
    void this.worker.terminate()
  }
}
