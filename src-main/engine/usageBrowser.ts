/**
 * The usage browser: usage records (and, on request, money records) filtered by customer, account,
 * period, service, rating and destination, newest first, in keyset pages; totals per kind, service
 * and currency of the same filter; the filtered view as CSV in chunks; and a customer's usage per
 * month and service beside its money records, which together add up to its balance.
 *
 * Money records show their visible comment only: no query here selects `internal_comment`, so the
 * staff-only text cannot reach the browser, its totals or its export.
 *
 * Speed at a million records: pages walk an index in (started_at, id) order and stop after `limit`
 * rows, so a page costs about `limit` index steps whatever the table's size: a customer or an
 * account walks xdrs_customer_time (an account is narrowed to its customer first), unrated usage
 * walks the small xdrs_unrated, anything else walks xdrs_started_hour (migration 0027: hours newest
 * first, each hour's records sorted, cheap for the usage import to maintain). A filter that
 * matches few records spread over the whole table (a rare destination) would make that walk long;
 * the destination is then looked up by its own index first (see `rareDestination`).
 */
import type { ParsedInputOf } from '../../src-shared/contract'
import type { CustomerUsageSummary, UsageBrowserPage, UsageBrowserRow, UsageCursor, UsageTotalLine, UsageTotals } from '../../src-shared/domain'
import { AppError } from '../../src-shared/errors'
import { formatMinor } from '../../src-shared/money'
import type { SqlParam } from '../db/journal'
import type { DbReader } from '../db/store'
import { csvChunk } from './customerExport'
import type { StoredCustomer } from './customers'
import { numberOf } from './sql'

export type UsageFilter = Omit<ParsedInputOf<'usage.totals'>, 'afterXdrId' | 'sliceXdrs'>

/** The filter as SQL over `xdrs x`: conditions joined with AND and their parameters. */
interface Where {
  sql: string
  params: SqlParam[]
  /** An index bounds the records the filter can match (a customer, an account, unrated usage, a rare destination). */
  narrow: boolean
  /** The period's from and to (UTC) when the filter has them: the hours a walk in time order covers. */
  from: string | null
  to: string | null
}

/** An instant with any offset as stored: UTC, milliseconds, "Z" (the text order is the time order). */
const utc = (instant: string) => new Date(instant).toISOString()

/**
 * At most this many records of one destination prefix are fetched through the destination index
 * and sorted; more than that and they are dense enough (1% of a million) that walking time order
 * finds a page within about as many steps. Measured at 1M records: 2,218 matches walked in time
 * order took 95 ms a page, fetched by the index 2 ms.
 */
const RARE_DESTINATION = 10_000

function whereOf(r: DbReader, f: UsageFilter): Where {
  const conds: string[] = []
  const params: SqlParam[] = []
  // Literals, not parameters, where a partial index depends on them (SQLite can only use
  // `xdrs_unrated ... WHERE rating = 'unrated'` when the query says so in its text).
  if (!f.includeTransactions) conds.push("x.kind = 'usage'")
  if (f.from !== undefined && f.to !== undefined && utc(f.from) >= utc(f.to)) {
    throw new AppError('VALIDATION', 'The period ends before it starts: "to" must be later than "from".', 'to')
  }
  if (f.customerId !== undefined) {
    if (!r.get('SELECT 1 AS found FROM customers WHERE id = ?', [f.customerId])) {
      throw new AppError('NOT_FOUND', `Customer ${f.customerId} does not exist.`, 'customerId')
    }
    conds.push('x.customer_id = ?')
    params.push(f.customerId)
  }
  if (f.account !== undefined && f.account !== '') {
    const account = r.get<{ id: number; customer_id: number }>('SELECT id, customer_id FROM accounts WHERE account_id = ?', [f.account])
    if (account) {
      // The customer too, so that the walk is over the customer's records (an index), not all of them.
      conds.push('x.customer_id = ?', 'x.account_id = ?')
      params.push(account.customer_id, account.id)
    } else {
      // Usage of an account nobody has: kept unrated under the account as the switch wrote it.
      conds.push('x.customer_id IS NULL', 'x.account_ref = ?')
      params.push(f.account)
    }
  }
  if (f.from !== undefined) {
    conds.push('x.started_at >= ?')
    params.push(utc(f.from))
  }
  if (f.to !== undefined) {
    conds.push('x.started_at < ?')
    params.push(utc(f.to))
  }
  if (f.serviceId !== undefined) {
    conds.push('x.service_id = ?')
    params.push(f.serviceId)
  }
  if (f.rating === 'unrated' || f.unratedReason !== undefined) conds.push("x.rating = 'unrated'")
  else if (f.rating === 'rated') conds.push("x.rating = 'rated'")
  if (f.unratedReason !== undefined) {
    conds.push('x.unrated_reason = ?')
    params.push(f.unratedReason)
  }
  let rare = false
  if (f.destination !== undefined && f.destination !== '') {
    conds.push('substr(x.destination, 1, ?) = ?')
    params.push(f.destination.length, f.destination)
    const ids = rareDestination(r, f)
    if (ids !== null) {
      // Few records start so: SQLite fetches them by id and sorts them, instead of walking time
      // order across the whole table for a page of them.
      conds.push('x.id IN (SELECT value FROM json_each(?))')
      params.push(JSON.stringify(ids))
      rare = true
    }
  }
  const narrow = f.customerId !== undefined || Boolean(f.account) || f.rating === 'unrated' || f.unratedReason !== undefined || rare
  return {
    sql: conds.length === 0 ? '1' : conds.join(' AND '),
    params,
    narrow,
    from: f.from === undefined ? null : utc(f.from),
    to: f.to === undefined ? null : utc(f.to)
  }
}

/** The prefix, and the prefix with its last character raised by one: every text starting so lies between. */
const destinationRange = (prefix: string): [string, string] => [prefix, prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1)]

/**
 * The ids of the records whose destination starts with the filter's prefix when there are at most
 * RARE_DESTINATION of them and no narrower index applies (a customer, an account or unrated usage
 * walk few records anyway); null otherwise. The destination index is keyed by customer first
 * (migration 0022: cheap for the usage import to maintain), so this is one seek per customer, plus
 * the records of unknown accounts, stopping as soon as there are too many: about 10,000 seeks for
 * a rare prefix at M, a few dozen for a common one.
 */
function rareDestination(r: DbReader, f: UsageFilter): number[] | null {
  if (f.customerId !== undefined || (f.account !== undefined && f.account !== '') || f.rating === 'unrated' || f.unratedReason !== undefined) return null
  const prefix = f.destination!
  // A filter's next pages, totals and export chunks ask again: the answer is kept while no record
  // was added (ids only grow, and are never reused). A record deleted since is simply not found
  // by its id, and a destination is never changed.
  const lastXdrId = numberOf(r, 'SELECT max(id) FROM xdrs') ?? 0
  let known = rareIdsByReader.get(r)
  if (!known) {
    known = new Map()
    rareIdsByReader.set(r, known)
  }
  const hit = known.get(prefix)
  if (hit && hit.lastXdrId === lastXdrId) return hit.ids
  const ids = findRareDestinationIds(r, prefix)
  known.delete(prefix)
  known.set(prefix, { lastXdrId, ids })
  if (known.size > 16) known.delete(known.keys().next().value!)
  return ids
}

/** The last answers of rareDestination per database reader (the engine's store), newest last. */
const rareIdsByReader = new WeakMap<DbReader, Map<string, { lastXdrId: number; ids: number[] | null }>>()

function findRareDestinationIds(r: DbReader, prefix: string): number[] | null {
  const ids = r.values(
    `SELECT x.id FROM customers c CROSS JOIN xdrs x INDEXED BY xdrs_customer_destination
       WHERE x.customer_id = c.id AND x.destination >= ?1 AND x.destination < ?2
     UNION ALL
     SELECT id FROM xdrs INDEXED BY xdrs_customer_destination WHERE customer_id IS NULL AND destination >= ?1 AND destination < ?2
     LIMIT ?3`,
    [...destinationRange(prefix), RARE_DESTINATION + 1]
  )
  return ids.length <= RARE_DESTINATION ? ids.map((v) => Number(v[0])) : null
}

const ROW_COLUMNS = `x.id, x.kind, x.started_at, x.customer_id, c.customer_id AS customer_name, c.currency,
  coalesce(a.account_id, x.account_ref) AS account, x.service_id, s.name AS service_name, x.destination, x.duration_s,
  x.billed_s, x.rating, x.unrated_reason, x.prefix, x.charge_minor, x.amount_minor, x.visible_comment`
const ROW_JOINS = `LEFT JOIN customers c ON c.id = x.customer_id
  LEFT JOIN accounts a ON a.id = x.account_id
  LEFT JOIN services s ON s.id = x.service_id`

function toRow(v: ReturnType<DbReader['values']>[number]): UsageBrowserRow {
  const kind = String(v[1])
  const posted = Number(v[16])
  return {
    xdrId: Number(v[0]),
    kind,
    startedAt: String(v[2]),
    customerId: v[3] === null ? null : Number(v[3]),
    customerName: v[4] === null ? null : String(v[4]),
    currency: v[5] === null ? null : String(v[5]),
    account: v[6] === null ? null : String(v[6]),
    serviceId: v[7] === null ? null : Number(v[7]),
    serviceName: v[8] === null ? null : String(v[8]),
    destination: String(v[9]),
    durationS: Number(v[10]),
    billedS: v[11] === null ? null : Number(v[11]),
    rating: v[12] === null ? null : (String(v[12]) as 'rated' | 'unrated'),
    unratedReason: v[13] === null ? null : String(v[13]),
    prefix: v[14] === null ? null : String(v[14]),
    // A money record's "charge" is its effect on the balance; usage has its current rating's charge.
    chargeMinor: kind === 'usage' ? (v[15] === null ? null : Number(v[15])) : posted,
    postedMinor: posted,
    visibleComment: String(v[17])
  }
}

/** The hour of a record's start (migration 0027): a prefix of started_at, so its order never contradicts time order. */
const HOUR = 'substr(x.started_at, 1, 13)'

/**
 * Rows of the filter newest first, after `after`, at most `limit`. A filter no index narrows walks
 * xdrs_started_hour: hours newest first, each hour's records sorted (about 2,000 at M), stopping
 * when the page is full; the period and the cursor bound the hours walked.
 */
function rowsAfter(r: DbReader, f: UsageFilter, after: UsageCursor | undefined, limit: number): UsageBrowserRow[] {
  const where = whereOf(r, f)
  let sql = where.sql
  const params = [...where.params]
  if (after) {
    sql += ' AND (x.started_at, x.id) < (?, ?)'
    params.push(after.startedAt, after.xdrId)
  }
  let order = 'x.started_at DESC, x.id DESC'
  let index = ''
  if (!where.narrow) {
    // Named: without a bound on the hours SQLite would rather sort the whole table.
    index = ' INDEXED BY xdrs_started_hour'
    // The earlier of the period's end and the cursor (both bound the records as text).
    const upTo = after && (where.to === null || after.startedAt < where.to) ? after.startedAt : where.to
    if (where.from !== null) {
      sql += ` AND ${HOUR} >= substr(?, 1, 13)`
      params.push(where.from)
    }
    if (upTo !== null) {
      sql += ` AND ${HOUR} <= substr(?, 1, 13)`
      params.push(upTo)
    }
    order = `${HOUR} DESC, ${order}`
  }
  return r.values(`SELECT ${ROW_COLUMNS} FROM xdrs x${index} ${ROW_JOINS} WHERE ${sql} ORDER BY ${order} LIMIT ?`, [...params, limit]).map(toRow)
}

/** One page of the browser; `next` continues it (null: nothing older matches). */
export function browseUsage(r: DbReader, q: UsageFilter & { after?: UsageCursor | undefined; limit: number }): UsageBrowserPage {
  // One row more than asked says whether there is a next page without a second query.
  const rows = rowsAfter(r, q, q.after, q.limit + 1)
  const more = rows.length > q.limit
  if (more) rows.pop()
  const last = rows[rows.length - 1]
  return { rows, next: more && last ? { startedAt: last.startedAt, xdrId: last.xdrId } : null }
}

/**
 * Totals of the filter per record kind, service and currency (largest groups first), grouped by
 * customer first (its currency) and then by currency. They read every matching record: a customer,
 * an account or a rare destination in a few milliseconds, but all of a million records take
 * seconds (measured 4 s at M on a busy machine), during which the engine answers nobody else. So
 * a filter no index narrows is totalled one slice of record ids at a time (a plain pass over that
 * part of the table, NOT INDEXED so that SQLite reads by rowid range); the caller adds the slices up.
 */
export function usageTotals(r: DbReader, q: UsageFilter & { afterXdrId?: number | undefined; sliceXdrs: number }): UsageTotals {
  const where = whereOf(r, q)
  const lastXdrId = numberOf(r, 'SELECT max(id) FROM xdrs') ?? 0
  let sql = `FROM xdrs x WHERE ${where.sql}`
  let params = where.params
  let doneThrough = lastXdrId
  if (!where.narrow) {
    const from = q.afterXdrId ?? 0
    doneThrough = Math.min(from + q.sliceXdrs, lastXdrId)
    sql = `FROM xdrs x NOT INDEXED WHERE ${where.sql} AND x.id > ? AND x.id <= ?`
    params = [...params, from, doneThrough]
  }
  const lines = r
    .all<{
      kind: string
      service_id: number | null
      service_name: string | null
      currency: string | null
      records: number
      unrated: number
      duration_s: number
      charge_minor: number
      posted_minor: number
    }>(
      `SELECT t.kind, t.service_id, s.name AS service_name, c.currency, sum(t.records) AS records, sum(t.unrated) AS unrated,
         sum(t.duration_s) AS duration_s, sum(t.charge_minor) AS charge_minor, sum(t.posted_minor) AS posted_minor
       FROM (
         SELECT x.kind, x.service_id, x.customer_id, count(*) AS records, sum(x.rating = 'unrated') AS unrated, sum(x.duration_s) AS duration_s,
           sum(CASE WHEN x.kind = 'usage' THEN coalesce(x.charge_minor, 0) ELSE x.amount_minor END) AS charge_minor, sum(x.amount_minor) AS posted_minor
         ${sql} GROUP BY x.kind, x.service_id, x.customer_id
       ) t
       LEFT JOIN customers c ON c.id = t.customer_id LEFT JOIN services s ON s.id = t.service_id
       GROUP BY t.kind, t.service_id, c.currency ORDER BY t.kind <> 'usage', records DESC, t.kind, s.name, c.currency`,
      params
    )
    .map(
      (l): UsageTotalLine => ({
        kind: l.kind,
        serviceId: l.service_id,
        serviceName: l.service_name,
        currency: l.currency,
        records: l.records,
        unrated: l.unrated,
        durationS: l.duration_s,
        chargeMinor: l.charge_minor,
        postedMinor: l.posted_minor
      })
    )
  return {
    lines,
    records: lines.reduce((a, l) => a + l.records, 0),
    next: doneThrough < lastXdrId ? doneThrough : null,
    progress: { doneThroughXdrId: doneThrough, lastXdrId }
  }
}

const CSV_COLUMNS = [
  'xdr_id',
  'started_at_utc',
  'kind',
  'customer',
  'account',
  'service',
  'destination',
  'duration_s',
  'billed_s',
  'rating',
  'unrated_reason',
  'prefix',
  'currency',
  'charge',
  'posted',
  'visible_comment'
]

/**
 * One chunk of the filtered view as CSV (amounts exact in each record's currency). The first chunk
 * (no `after`) starts with a UTF-8 byte-order mark and the header; the caller joins the chunks.
 */
export function exportUsageCsv(
  r: DbReader,
  q: UsageFilter & { after?: UsageCursor | undefined; chunkRows: number },
  nowIso: string
): { fileName: string; csv: string; rows: number; next: UsageCursor | null } {
  const page = browseUsage(r, { ...q, limit: q.chunkRows })
  const amount = (minor: number | null, code: string | null) => (minor === null || code === null ? '' : formatMinor(minor, code, { grouping: false }))
  const csv = csvChunk(
    CSV_COLUMNS,
    page.rows.map((x) => [
      x.xdrId,
      x.startedAt,
      x.kind,
      x.customerName ?? '',
      x.account ?? '',
      x.serviceName ?? '',
      x.destination,
      x.durationS,
      x.billedS ?? '',
      x.rating ?? '',
      x.unratedReason ?? '',
      x.prefix ?? '',
      x.currency ?? '',
      amount(x.chargeMinor, x.currency),
      amount(x.postedMinor, x.currency),
      x.visibleComment
    ]),
    q.after === undefined
  )
  return {
    fileName: `usage-${nowIso.slice(0, 10)}.csv`,
    csv,
    rows: page.rows.length,
    next: page.next
  }
}

/**
 * What a customer's balance is made of: its usage per calendar month (UTC) and service, at what it
 * posted to the balance, and its money records per kind (opening balance, payments, credits,
 * charges, re-rating corrections). Every record posts once, so the lines add up to the balance.
 */
export function customerUsageSummary(r: DbReader, customerId: number): CustomerUsageSummary {
  const c = r.get<Pick<StoredCustomer, 'currency' | 'balance_minor'>>('SELECT currency, balance_minor FROM customers WHERE id = ?', [customerId])
  if (!c) throw new AppError('NOT_FOUND', `Customer ${customerId} does not exist.`, 'customerId')
  const usage = r
    .all<{ month: string; service_id: number | null; service_name: string | null; records: number; unrated: number; posted: number; charge: number }>(
      `SELECT m.month, m.service_id, s.name AS service_name, m.records, m.unrated, m.posted, m.charge FROM (
         SELECT substr(started_at, 1, 7) AS month, service_id, count(*) AS records, sum(rating = 'unrated') AS unrated,
           sum(amount_minor) AS posted, sum(coalesce(charge_minor, 0)) AS charge
         FROM xdrs WHERE customer_id = ? AND kind = 'usage' GROUP BY month, service_id
       ) m LEFT JOIN services s ON s.id = m.service_id ORDER BY m.month DESC, s.name`,
      [customerId]
    )
    .map((u) => ({
      month: u.month,
      serviceId: u.service_id,
      serviceName: u.service_name,
      records: u.records,
      unrated: u.unrated,
      postedMinor: u.posted,
      chargeMinor: u.charge
    }))
  const money = r
    .all<{ kind: string; records: number; total: number }>(
      `SELECT kind, count(*) AS records, sum(amount_minor) AS total FROM xdrs WHERE customer_id = ? AND kind <> 'usage'
       GROUP BY kind ORDER BY min(id)`,
      [customerId]
    )
    .map((m) => ({ kind: m.kind, records: m.records, totalMinor: m.total }))
  const listedTotalMinor = usage.reduce((a, u) => a + u.postedMinor, 0) + money.reduce((a, m) => a + m.totalMinor, 0)
  return { customerId, currency: c.currency, balanceMinor: c.balance_minor, usage, money, listedTotalMinor }
}
