import { createHash } from 'node:crypto'
import Papa from 'papaparse'
import type { AuditEntry, AuditExportChunk, AuditFacets, AuditSearchPage, AuditVerification, AuditVerifyResult } from '../../src-shared/domain'
import { formatMinor } from '../../src-shared/money'
import type { SqlParam } from '../db/journal'
import type { DbReader, DbWriter } from '../db/store'
import { LinkResolver } from './auditLinks'
import { FORMULA_START } from './customerExport'
import type { StoredCustomer } from './customers'
import type { StoredOperator } from './operators'
import type { Work } from './unitOfWork'

/** What a unit of work records about one change. */
export interface AuditRecord {
  kind: string // e.g. 'setup', 'settings.change', 'customer.balance'
  customerId?: number | null
  field?: string | null
  from?: string | null
  to?: string | null
  description: string
  source?: { kind: string; id?: number | null } | null
}

/**
 * The values of an `invoice.issued` entry: `from` = the invoice's total, `to` = its amount due at
 * issue (the total, never below zero), minor units as digits. The trace's first step of an
 * invoice reads them (entries written before had field `invoice` and the number as `to`: the
 * trace falls back to the invoice's total then).
 */
export const ISSUED_FIELD = 'total_and_amount_due'

export function issuedValues(totalMinor: number, amountDueMinor: number): Pick<AuditRecord, 'field' | 'from' | 'to'> {
  return { field: ISSUED_FIELD, from: String(totalMinor), to: String(amountDueMinor) }
}

export interface Actor {
  operatorId: number
  operatorName: string
}

export const GENESIS_HASH = '0'.repeat(64)

/** A row of audit_log (append-only; each hash covers the entry and its predecessor's hash). */
export interface StoredAudit {
  id: number
  at: string
  operator_id: number
  operator_name: string
  customer_id: number | null
  kind: string
  field: string | null
  from_value: string | null
  to_value: string | null
  description: string
  source_kind: string | null
  source_id: number | null
  prev_hash: string
  hash: string
}

/** The hash of an entry: its content after its predecessor's hash. */
export function hashEntry(e: Omit<StoredAudit, 'hash'>): string {
  const content = JSON.stringify([
    e.id,
    e.at,
    e.operator_id,
    e.operator_name,
    e.customer_id,
    e.kind,
    e.field,
    e.from_value,
    e.to_value,
    e.description,
    e.source_kind,
    e.source_id
  ])
  // One update of the joined text: the same bytes, so the same digest as hashing the parts in turn, and faster.
  return createHash('sha256').update(`${e.prev_hash}\n${content}`).digest('hex')
}

/** Write an entry with its hash (which covers `prev_hash`); returns the hash. The chain is the caller's. */
export function insertAuditEntry(w: DbWriter, entry: Omit<StoredAudit, 'hash'>): string {
  const hash = hashEntry(entry)
  w.run(
    `INSERT INTO audit_log (id, at, operator_id, operator_name, customer_id, kind, field, from_value, to_value,
       description, source_kind, source_id, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
    [
      entry.id,
      entry.at,
      entry.operator_id,
      entry.operator_name,
      entry.customer_id,
      entry.kind,
      entry.field,
      entry.from_value,
      entry.to_value,
      entry.description,
      entry.source_kind,
      entry.source_id,
      entry.prev_hash,
      hash
    ]
  )
  return hash
}

/** Append one entry, chained to its predecessor. Called only inside a unit of work. */
export function appendAudit(w: DbWriter, at: string, actor: Actor, rec: AuditRecord): number {
  const last = w.get<Pick<StoredAudit, 'id' | 'hash'>>('SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1')
  const entry: Omit<StoredAudit, 'hash'> = {
    id: (last?.id ?? 0) + 1,
    at,
    operator_id: actor.operatorId,
    operator_name: actor.operatorName,
    customer_id: rec.customerId ?? null,
    kind: rec.kind,
    field: rec.field ?? null,
    from_value: rec.from ?? null,
    to_value: rec.to ?? null,
    description: rec.description,
    source_kind: rec.source?.kind ?? null,
    source_id: rec.source?.id ?? null,
    prev_hash: last?.hash ?? GENESIS_HASH
  }
  insertAuditEntry(w, entry)
  return entry.id
}

/**
 * The seed's wording for a money change, e.g.
 * "Balance changed from 40.00 to -95.00 (decreased by 135.00)."
 */
export function describeAmountChange(label: string, fromMinor: number, toMinor: number, currencyCode: string): string {
  const f = (m: number) => formatMinor(m, currencyCode)
  if (toMinor === fromMinor) return `${label} unchanged at ${f(fromMinor)}.`
  const dir = toMinor > fromMinor ? 'increased' : 'decreased'
  return `${label} changed from ${f(fromMinor)} to ${f(toMinor)} (${dir} by ${f(Math.abs(toMinor - fromMinor))}).`
}

export function describeValueChange(label: string, from: string | null, to: string | null): string {
  const show = (v: string | null) => (v === null || v === '' ? '(empty)' : `"${v}"`)
  return `${label} changed from ${show(from)} to ${show(to)}.`
}

/** Sources whose id is not a ledger record's: named by what they are. */
const SOURCE_NOUN: Record<string, string> = { invoice: 'invoice id', 'usage-import': 'usage import', rerating: 're-rating' }

/** The entry's source in words: "manual payment (xDR id 3)", "invoice (invoice id 1)", "usage-import (usage import 4)". */
export function sourceText(kind: string | null, id: number | null): string | null {
  if (kind === null) return null
  if (id === null) return kind
  return `${kind} (${SOURCE_NOUN[kind] ?? 'xDR id'} ${id})`
}

/** An entry as the audit log page shows it, with its customer's ID (the name staff know). */
export function toAuditEntry(a: StoredAudit & { customer_name: StoredCustomer['customer_id'] | null }): AuditEntry {
  return {
    id: a.id,
    at: a.at,
    operatorName: a.operator_name,
    customerId: a.customer_id,
    customerName: a.customer_name,
    kind: a.kind,
    description: a.description,
    source: sourceText(a.source_kind, a.source_id),
    links: []
  }
}

/** Entries with the records they name (one resolver per answer, so a page reads each record once). */
function withLinks(r: DbReader, rows: Parameters<typeof toAuditEntry>[0][]): AuditEntry[] {
  const links = new LinkResolver(r)
  return rows.map((a) => ({ ...toAuditEntry(a), links: links.links(a) }))
}

export function listAudit(r: DbReader, opts: { beforeId?: number; limit: number }): AuditEntry[] {
  const rows = r.all<Parameters<typeof toAuditEntry>[0]>(
    `SELECT a.*, c.customer_id AS customer_name FROM audit_log a LEFT JOIN customers c ON c.id = a.customer_id
     WHERE a.id < ? ORDER BY a.id DESC LIMIT ?`,
    [opts.beforeId ?? Number.MAX_SAFE_INTEGER, opts.limit]
  )
  return withLinks(r, rows)
}

/** Rows read at a time while the chain is walked (a million rows never sit in memory at once). */
const VERIFY_CHUNK = 20_000

/**
 * The chain walk, a chunk of entries per step: `step` reads the next chunk and answers the result
 * once the walk is done (a broken entry, or the end), else null. Entries are only ever appended,
 * so steps may run in separate reads with other work between them; the walk stops at the last
 * entry that existed when it began.
 */
export function auditChainWalk(): { step(r: DbReader): AuditVerifyResult | null } {
  let prev = GENESIS_HASH
  let checked = 0
  let expectedId = 1
  let lastId: number | null = null
  const intact = (): AuditVerifyResult => ({ ok: true, checked, firstBrokenId: null, firstBrokenAt: null, message: `All ${checked} audit entries are intact.` })
  return {
    step(r) {
      lastId ??= numberOfMaxId(r)
      // SQLite writes each entry's content as the JSON array hashEntry makes (json_array and
      // JSON.stringify agree on integers, null and string escapes), so a row crosses from the
      // database as four values instead of thirteen. Where the hash disagrees, the entry is read
      // whole and hashed as it was written before it is called altered: the JSON here only
      // speeds up the common case, it never decides.
      const rows = r.values(
        `SELECT id, at, prev_hash, hash, json_array(id, at, operator_id, operator_name, customer_id, kind, field, from_value, to_value,
           description, source_kind, source_id)
         FROM audit_log WHERE id >= ? AND id <= ? ORDER BY id LIMIT ?`,
        [expectedId, lastId, VERIFY_CHUNK]
      )
      for (const v of rows) {
        const id = v[0] as number
        const hash = v[3] as string
        const broken =
          id !== expectedId
            ? `entry ${expectedId} is missing`
            : v[2] !== prev
              ? 'its link to the previous entry is broken'
              : createHash('sha256')
                    .update(`${prev}\n${v[4] as string}`)
                    .digest('hex') !== hash && !storedHashHolds(r, id)
                ? 'its content was altered'
                : null
        if (broken) return { ok: false, checked, firstBrokenId: id, firstBrokenAt: v[1] as string, message: `Audit entry ${id}: ${broken}.` }
        prev = hash
        checked++
        expectedId++
      }
      return rows.length < VERIFY_CHUNK ? intact() : null
    }
  }
}

/** The entry read whole and hashed as appendAudit hashed it: does its stored hash hold? */
function storedHashHolds(r: DbReader, id: number): boolean {
  const row = r.get<StoredAudit>('SELECT * FROM audit_log WHERE id = ?', [id])
  if (!row) return false
  const { hash, ...rest } = row
  return hashEntry(rest) === hash
}

/** Walk the chain from the first entry; report the first entry whose link or content is broken. */
export function verifyAuditChain(r: DbReader): AuditVerifyResult {
  const walk = auditChainWalk()
  for (;;) {
    const result = walk.step(r)
    if (result) return result
  }
}

/**
 * The same walk, one read per chunk with a turn of the event loop between chunks, so that the
 * desk serves other requests while a million entries are checked (about 0.1 s of work a chunk).
 */
export async function verifyAuditChainInTurns(read: <T>(fn: (r: DbReader) => T) => T): Promise<AuditVerifyResult> {
  const walk = auditChainWalk()
  for (;;) {
    const result = read((r) => walk.step(r))
    if (result) return result
    await new Promise<void>((resolve) => setImmediate(resolve))
  }
}

// --- Filters, export and the verification record (issue 12, items 3 and 5)

/** What the audit log screens filter by; every field optional. */
export interface AuditFilter {
  /** An instant: entries at or after it. */
  from?: string | undefined
  /** An instant: entries before it. */
  to?: string | undefined
  customerId?: number | undefined
  kind?: string | undefined
  operatorId?: number | undefined
  /** Words in the description, the operator's name or the customer's ID. */
  text?: string | undefined
}

/**
 * Entry ids one request looks through when the free text is set: no index helps a text match, so
 * each request reads at most this slice of the log and says where to go on (`next`).
 */
export const AUDIT_TEXT_WINDOW = 20_000

const likeEscaped = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
const utc = (instant: string) => new Date(instant).toISOString()

/**
 * A page of the filtered log, newest first, older than `beforeId`. Every filter but the free text
 * has an index ending in id (migration 0021), so a page reads about `limit` rows whatever the size
 * of the log; the free text reads at most `window` ids per request.
 */
export function searchAudit(r: DbReader, q: AuditFilter & { beforeId?: number | undefined; limit: number; window?: number }): AuditSearchPage {
  const where = ['a.id < ?']
  const params: SqlParam[] = [q.beforeId ?? Number.MAX_SAFE_INTEGER]
  if (q.customerId !== undefined) {
    where.push('a.customer_id = ?')
    params.push(q.customerId)
  }
  if (q.kind !== undefined) {
    where.push('a.kind = ?')
    params.push(q.kind)
  }
  if (q.operatorId !== undefined) {
    where.push('a.operator_id = ?')
    params.push(q.operatorId)
  }
  if ((q.from !== undefined || q.to !== undefined) && q.customerId !== undefined) {
    // A customer's entries are few next to the log's: its (customer_id, id) index, dates checked per row.
    where.push('+a.at >= ?', '+a.at < ?')
    params.push(q.from === undefined ? '' : utc(q.from), q.to === undefined ? '\uffff' : utc(q.to))
  } else if (q.from !== undefined || q.to !== undefined) {
    // The dates become a range of ids first, read off the (at, id) index alone: entries are
    // written in time order, so the range holds the period's entries and little else, and every
    // other filter's (x, id) index (or the table itself) then reads only that range. The range is
    // exact (the smallest and largest id in the period); the dates are still checked on each row
    // (`+` keeps SQLite from choosing the date index for the page itself).
    const range = idRangeOf(r, q.from === undefined ? '' : utc(q.from), q.to === undefined ? '\uffff' : utc(q.to))
    if (range === null) return { entries: [], next: null }
    where.push('a.id BETWEEN ? AND ?', '+a.at >= ?', '+a.at < ?')
    params.push(range.lo, range.hi, q.from === undefined ? '' : utc(q.from), q.to === undefined ? '\uffff' : utc(q.to))
  }
  let floor: number | null = null
  const text = q.text?.trim()
  if (text) {
    const top = Math.min((q.beforeId ?? Number.MAX_SAFE_INTEGER) - 1, numberOfMaxId(r))
    floor = Math.max(0, top - (q.window ?? AUDIT_TEXT_WINDOW))
    where.push('a.id > ?')
    params.push(floor)
    where.push("(a.description LIKE ? ESCAPE '\\' OR a.operator_name LIKE ? ESCAPE '\\' OR c.customer_id LIKE ? ESCAPE '\\')")
    const like = likeEscaped(text)
    params.push(like, like, like)
  }
  const rows = r.all<Parameters<typeof toAuditEntry>[0]>(
    `SELECT a.*, c.customer_id AS customer_name FROM audit_log a LEFT JOIN customers c ON c.id = a.customer_id
     WHERE ${where.join(' AND ')} ORDER BY a.id DESC LIMIT ?`,
    [...params, q.limit]
  )
  const entries = withLinks(r, rows)
  const next = entries.length === q.limit ? entries[entries.length - 1]!.id : floor !== null && floor > 0 ? floor + 1 : null
  return { entries, next }
}

/** The smallest and largest entry id written in [from, to) (ISO instants), or null when none was. */
function idRangeOf(r: DbReader, from: string, to: string): { lo: number; hi: number } | null {
  const row = r.get<{ lo: number | null; hi: number | null }>('SELECT min(id) AS lo, max(id) AS hi FROM audit_log INDEXED BY audit_at WHERE at >= ? AND at < ?', [
    from,
    to
  ])
  return row?.lo == null || row.hi == null ? null : { lo: row.lo, hi: row.hi }
}

function numberOfMaxId(r: DbReader): number {
  return r.get<{ id: number | null }>('SELECT max(id) AS id FROM audit_log')?.id ?? 0
}

const CSV_COLUMNS = ['Entry', 'Time (UTC)', 'Operator', 'Customer', 'Kind', 'Description', 'Source']
/** Text windows one export request may look through before it answers (bounded work per request). */
const EXPORT_WINDOWS = 4

/** The filtered log as CSV, a chunk at a time, newest first (see usage.exportCsv for the pattern). */
export function exportAuditCsv(r: DbReader, q: AuditFilter & { beforeId?: number | undefined; chunkRows: number }, nowIso: string): AuditExportChunk {
  const entries: AuditEntry[] = []
  let cursor = q.beforeId
  let next: number | null = null
  for (let windows = 0; windows < EXPORT_WINDOWS; windows++) {
    const page = searchAudit(r, { ...q, beforeId: cursor, limit: q.chunkRows - entries.length })
    entries.push(...page.entries)
    next = page.next
    if (next === null || entries.length >= q.chunkRows) break
    cursor = next
  }
  const body = Papa.unparse(
    {
      fields: CSV_COLUMNS,
      data: entries.map((e) => [e.id, e.at, e.operatorName, e.customerName ?? '', e.kind, e.description, e.source ?? ''])
    },
    { newline: '\r\n', escapeFormulae: FORMULA_START, header: q.beforeId === undefined }
  )
  const first = q.beforeId === undefined
  const text = entries.length === 0 && !first ? '' : `${body}\r\n`
  const span = r.get<{ newest: number | null; oldest: number | null }>('SELECT max(id) AS newest, min(id) AS oldest FROM audit_log')
  return {
    fileName: `audit-log-${nowIso.slice(0, 10)}.csv`,
    csv: first ? `\uFEFF${text}` : text,
    rows: entries.length,
    next,
    newestId: span?.newest ?? 0,
    oldestId: span?.oldest ?? 0
  }
}

/** The kinds of entry the log holds (one index step per kind) and the operators, for the filters. */
export function auditFacets(r: DbReader): AuditFacets {
  const kinds = r
    .all<Pick<StoredAudit, 'kind'>>(
      `WITH RECURSIVE k(kind) AS (
         SELECT min(kind) FROM audit_log
         UNION ALL SELECT (SELECT min(kind) FROM audit_log WHERE kind > k.kind) FROM k WHERE k.kind IS NOT NULL)
       SELECT kind FROM k WHERE kind IS NOT NULL`
    )
    .map((k) => k.kind)
  const operators = r.all<Pick<StoredOperator, 'id' | 'name'>>('SELECT id, name FROM operators ORDER BY name COLLATE NOCASE, id')
  return { kinds, operators }
}

/** A row of audit_verifications (migration 0021). */
export interface StoredAuditVerification {
  id: number
  at: string
  operator_name: string
  via: 'app' | 'command-line'
  ok: 0 | 1
  checked: number
  first_broken_id: number | null
  message: string
}

/**
 * Record a run of the verification (Settings shows the last one), with an audit entry naming who
 * verified and what was found, in one commit. The entry comes after the walk: the count in the
 * result is of the entries before it.
 */
export function recordVerification(w: Work, via: AuditVerification['via'], result: AuditVerifyResult): AuditVerifyResult {
  w.run('INSERT INTO audit_verifications (at, operator_name, via, ok, checked, first_broken_id, message) VALUES (?, ?, ?, ?, ?, ?, ?)', [
    w.at,
    w.actor.operatorName,
    via,
    result.ok ? 1 : 0,
    result.checked,
    result.firstBrokenId,
    result.message
  ])
  w.audit({
    kind: 'audit.verify',
    field: 'result',
    to: result.ok ? 'intact' : 'broken',
    description: `Audit log verified ${via === 'app' ? 'in the app' : 'from the command line'}: ${result.message}`
  })
  return result
}

/** The last verification of the chain, or null when it was never verified. */
export function lastVerification(r: DbReader): AuditVerification | null {
  const v = r.get<StoredAuditVerification>('SELECT * FROM audit_verifications ORDER BY id DESC LIMIT 1')
  return v ? { at: v.at, operatorName: v.operator_name, via: v.via, ok: v.ok === 1, checked: v.checked, firstBrokenId: v.first_broken_id, message: v.message } : null
}
