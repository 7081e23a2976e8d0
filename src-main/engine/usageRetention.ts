/**
 * Retention of usage records (issue 9, item 6): usage is kept for a number of months (Settings,
 * default 2 as in the source page). Purging older usage is explicit: previewed, then applied on
 * request and audited. The ledger must still add up, so the purged records of each customer,
 * month and service are replaced by one 'usage-summary' record carrying their sums (amount as
 * posted, charge as last rated); balances still equal the sums of the records.
 *
 * Once purged, the usage before the cutoff is gone: that period cannot be re-rated, and its
 * invoices cannot be recalculated (isUsageRecalculable, for invoicing and batch re-issue).
 */
import type { UsagePurgeMonth, UsagePurgePreview, UsagePurgeResult, UsageRetention } from '../../src-shared/domain'
import { AppError } from '../../src-shared/errors'
import type { SqlParam } from '../db/journal'
import type { DbReader } from '../db/store'
import { describeValueChange } from './audit'
import type { Actor } from './audit'
import type { Engine, Work } from './unitOfWork'

/** Migration 0012's default, also before first-run setup. */
export const DEFAULT_RETENTION_MONTHS = 2

interface RetentionRow {
  usage_retention_months: number
  usage_purged_before: string | null
}

function retentionRow(r: DbReader): RetentionRow {
  return (
    r.get<RetentionRow>('SELECT usage_retention_months, usage_purged_before FROM settings WHERE id = 1') ?? {
      usage_retention_months: DEFAULT_RETENTION_MONTHS,
      usage_purged_before: null
    }
  )
}

/** The first instant of the office's local month `months` months before the month of `nowIso`. */
export function retentionCutoff(nowIso: string, months: number): string {
  const now = new Date(nowIso)
  return new Date(now.getFullYear(), now.getMonth() - months, 1).toISOString()
}

export function getRetention(r: DbReader, nowIso: string): UsageRetention {
  const row = retentionRow(r)
  return { months: row.usage_retention_months, cutoff: retentionCutoff(nowIso, row.usage_retention_months), purgedBefore: row.usage_purged_before }
}

export function setRetentionMonths(w: Work, months: number, nowIso: string): UsageRetention {
  if (!Number.isInteger(months) || months < 1 || months > 120) throw new AppError('VALIDATION', 'Keep usage for 1 to 120 months.', 'months')
  if (!w.get('SELECT 1 AS found FROM settings WHERE id = 1')) throw new AppError('SETUP_REQUIRED', 'Complete the first-run setup first.')
  const cur = retentionRow(w).usage_retention_months
  if (cur !== months) {
    w.run('UPDATE settings SET usage_retention_months = ? WHERE id = 1', [months])
    w.audit({
      kind: 'settings.change',
      field: 'usage_retention_months',
      from: String(cur),
      to: String(months),
      description: describeValueChange('Usage kept for (months)', String(cur), String(months))
    })
  }
  return getRetention(w, nowIso)
}

/**
 * Whether the usage of a period starting at `periodStart` is still all there (not purged): an
 * invoice of an older period cannot be recalculated and says so (issues 10 and 11).
 */
export function isUsageRecalculable(r: DbReader, periodStart: string): boolean {
  const purged = retentionRow(r).usage_purged_before
  return purged === null || new Date(periodStart).toISOString() >= purged
}

/** Refuse work on a period whose usage has been purged, naming the field. */
export function checkRecalculable(r: DbReader, periodStart: string, field: string): void {
  if (isUsageRecalculable(r, periodStart)) return
  const purged = retentionRow(r).usage_purged_before ?? ''
  throw new AppError(
    'VALIDATION',
    `Usage before ${purged.slice(0, 10)} has been purged (only summaries per month are kept), so a period starting ${new Date(periodStart).toISOString().slice(0, 10)} cannot be re-rated or recalculated. Choose a start on or after ${purged.slice(0, 10)}.`,
    field
  )
}

const monthLabel = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`

/** The office's local months from the one holding the oldest usage record up to the cutoff, as [start, end) instants. */
function monthsBefore(r: DbReader, cutoff: string): { label: string; from: string; to: string }[] {
  // The oldest hour first (xdrs_started_hour, migration 0027), its records sorted.
  const oldest = r.get<{ at: string | null }>(
    "SELECT started_at AS at FROM xdrs INDEXED BY xdrs_started_hour WHERE kind = 'usage' AND started_at < ?1 AND substr(started_at, 1, 13) <= substr(?1, 1, 13) ORDER BY substr(started_at, 1, 13), started_at LIMIT 1",
    [cutoff]
  )?.at
  if (!oldest) return []
  const out: { label: string; from: string; to: string }[] = []
  const o = new Date(oldest)
  for (let m = new Date(o.getFullYear(), o.getMonth(), 1); m.toISOString() < cutoff; m = new Date(m.getFullYear(), m.getMonth() + 1, 1)) {
    const next = new Date(m.getFullYear(), m.getMonth() + 1, 1).toISOString()
    out.push({ label: monthLabel(m), from: m.toISOString(), to: next < cutoff ? next : cutoff })
  }
  return out
}

/** The hours of the month [?1, ?2): lets SQLite read the month's records through xdrs_started_hour (migration 0027). */
const MONTH_HOURS = 'substr(x.started_at, 1, 13) >= substr(?1, 1, 13) AND substr(x.started_at, 1, 13) <= substr(?2, 1, 13)'

const PREVIEW_MONTHS_LIMIT = 500

/** What a purge now would remove and write; changes nothing. */
export function previewPurge(r: DbReader, nowIso: string): UsagePurgePreview {
  const { cutoff } = getRetention(r, nowIso)
  const out: UsagePurgePreview = { cutoff, records: 0, customers: 0, summaries: 0, unassignedRecords: 0, months: [] }
  const customers = new Set<number>()
  for (const m of monthsBefore(r, cutoff)) {
    const rows = r.all<{ customer_id: number | null; customer_name: string | null; currency: string | null; records: number; amount: number; services: number }>(
      `SELECT x.customer_id, c.customer_id AS customer_name, c.currency, count(*) AS records, sum(x.amount_minor) AS amount,
         count(DISTINCT coalesce(x.service_id, 0)) AS services
       FROM xdrs x LEFT JOIN customers c ON c.id = x.customer_id
       WHERE x.kind = 'usage' AND x.started_at >= ?1 AND x.started_at < ?2 AND ${MONTH_HOURS} GROUP BY x.customer_id ORDER BY x.customer_id`,
      [m.from, m.to]
    )
    for (const row of rows) {
      out.records += row.records
      if (row.customer_id === null) {
        out.unassignedRecords += row.records
        continue
      }
      customers.add(row.customer_id)
      out.summaries += row.services
      if (out.months.length < PREVIEW_MONTHS_LIMIT) {
        const line: UsagePurgeMonth = {
          customerId: row.customer_id,
          customerName: row.customer_name ?? '',
          currency: row.currency ?? '',
          month: m.label,
          records: row.records,
          amountMinor: row.amount
        }
        out.months.push(line)
      }
    }
  }
  out.customers = customers.size
  return out
}

const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`

/** Records per unit of work of a purge (a month at M scale is 500,000 records of 10,000 customers). */
const PURGE_UNIT_RECORDS = 5_000

/** A purge summary's comment: what the browser shows for the records it replaced. */
const summaryComment = (label: string, records: number) => `Usage of ${label}: ${records} records (details purged)`

/** The records a summary stands for, read back from its comment (null: not a comment summaryComment wrote). */
function summaryRecords(comment: string, label: string): number | null {
  const m = /^Usage of (\S+): (\d+) records \(details purged\)$/.exec(comment)
  return m && m[1] === label ? Number(m[2]) : null
}

/** Customers whose records are counted per read while planning a purge: a read of a month's records at once held the engine for a second at M. */
const PLAN_CUSTOMERS = 500

/** The customers with usage records in month `m` and how many each, read a few hundred customers at a time with `pause` between. */
async function customersOfMonth(engine: Engine, m: { from: string; to: string }, pause: () => Promise<void>): Promise<[number, number][]> {
  const out: [number, number][] = []
  for (let after = 0; ; ) {
    const rows = engine.read((r) =>
      r.values(
        `SELECT c.id, (SELECT count(*) FROM xdrs x WHERE x.customer_id = c.id AND x.started_at >= ?2 AND x.started_at < ?3 AND x.kind = 'usage')
         FROM customers c WHERE c.id > ?1 ORDER BY c.id LIMIT ?4`,
        [after, m.from, m.to, PLAN_CUSTOMERS]
      )
    )
    if (rows.length === 0) return out
    for (const [id, n] of rows) if (Number(n) > 0) out.push([Number(id), Number(n)])
    after = Number(rows[rows.length - 1]![0])
    await pause()
  }
}

/**
 * The end of the next slice of a busy customer's month: the instant before which about
 * PURGE_UNIT_RECORDS of its records still there lie (the records at one instant never split), or
 * the month's end when no more than that remain.
 */
function sliceEnd(r: DbReader, customerId: number, m: { from: string; to: string }): string {
  const at = (sql: string, params: SqlParam[]) => r.get<{ at: string | null }>(sql, params)?.at ?? null
  const beyond = at(
    "SELECT started_at AS at FROM xdrs WHERE customer_id = ?1 AND kind = 'usage' AND started_at >= ?2 AND started_at < ?3 ORDER BY started_at LIMIT 1 OFFSET ?4",
    [customerId, m.from, m.to, PURGE_UNIT_RECORDS]
  )
  if (beyond === null) return m.to
  const first = at("SELECT min(started_at) AS at FROM xdrs WHERE customer_id = ?1 AND kind = 'usage' AND started_at >= ?2 AND started_at < ?3", [
    customerId,
    m.from,
    m.to
  ])
  if (beyond !== first) return beyond
  // More than a unit's worth at one instant: that instant's records all go in this slice.
  return (
    at("SELECT min(started_at) AS at FROM xdrs WHERE customer_id = ?1 AND kind = 'usage' AND started_at > ?2 AND started_at < ?3", [customerId, beyond, m.to]) ?? m.to
  )
}

/**
 * Replace a customer's usage records of month `m` before `to` by summaries per service and invoice
 * (a summary stays on the invoice its records were on: never billed twice). A summary written by
 * an earlier slice, or by a purge a crash cut short, takes the sums in: one summary per customer,
 * month, service and invoice, and the balance still the sum of the records.
 */
function purgePart(w: Work, customerId: number, m: { label: string; from: string }, to: string, tally: { written: number; merged: number; purged: number }): void {
  const groups = w.all<{ service_id: number | null; invoice_id: number | null; records: number; duration_s: number; amount_minor: number; charge_minor: number }>(
    `SELECT service_id, invoice_id, count(*) AS records, sum(duration_s) AS duration_s, sum(amount_minor) AS amount_minor, sum(coalesce(charge_minor, 0)) AS charge_minor
     FROM xdrs WHERE customer_id = ?1 AND started_at >= ?2 AND started_at < ?3 AND kind = 'usage'
     GROUP BY service_id, invoice_id ORDER BY service_id, invoice_id`,
    [customerId, m.from, to]
  )
  for (const g of groups) {
    const before = w.get<{ id: number; visible_comment: string }>(
      "SELECT id, visible_comment FROM xdrs WHERE customer_id = ?1 AND started_at = ?2 AND kind = 'usage-summary' AND service_id IS ?3 AND invoice_id IS ?4 ORDER BY id LIMIT 1",
      [customerId, m.from, g.service_id, g.invoice_id]
    )
    const had = before ? summaryRecords(before.visible_comment, m.label) : null
    if (before && had !== null) {
      w.run('UPDATE xdrs SET duration_s = duration_s + ?, amount_minor = amount_minor + ?, charge_minor = charge_minor + ?, visible_comment = ? WHERE id = ?', [
        g.duration_s,
        g.amount_minor,
        g.charge_minor,
        summaryComment(m.label, had + g.records),
        before.id
      ])
      tally.merged++
    } else {
      w.run(
        `INSERT INTO xdrs (kind, customer_id, service_id, started_at, duration_s, destination, amount_minor, charge_minor, created_at, visible_comment, invoice_id)
         VALUES ('usage-summary', ?, ?, ?, ?, '', ?, ?, ?, ?, ?)`,
        [customerId, g.service_id, m.from, g.duration_s, g.amount_minor, g.charge_minor, w.at, summaryComment(m.label, g.records), g.invoice_id]
      )
      tally.written++
    }
  }
  tally.purged += w.run("DELETE FROM xdrs WHERE customer_id = ? AND started_at >= ? AND started_at < ? AND kind = 'usage'", [customerId, m.from, to])
}

/**
 * Purge the usage before the retention cutoff: the cutoff is recorded first (audited), then each
 * month is replaced by its summaries in units of work of a few customers each, or of a slice of one
 * busy customer's month (audited), pausing between them so other requests are served. A crash in
 * between leaves the records not yet summarised in place; purging again finishes them.
 */
export async function purgeUsage(
  engine: Engine,
  actor: Actor,
  nowIso: string,
  confirm: { cutoff: string },
  pause: () => Promise<void> = () => new Promise((resolve) => setImmediate(resolve))
): Promise<UsagePurgeResult> {
  const { cutoff, months } = engine.read((r) => getRetention(r, nowIso))
  if (confirm.cutoff !== cutoff) {
    throw new AppError(
      'CONFLICT',
      `The purge cutoff is now ${cutoff.slice(0, 10)}, not ${confirm.cutoff.slice(0, 10)}: preview the purge again before confirming.`,
      'cutoff'
    )
  }
  const result: UsagePurgeResult = { cutoff, recordsPurged: 0, summariesWritten: 0, customers: 0 }
  engine.change(actor, (w) => {
    const before = retentionRow(w).usage_purged_before
    if (before !== null && before >= cutoff) return
    w.run('UPDATE settings SET usage_purged_before = ? WHERE id = 1', [cutoff])
    w.audit({
      kind: 'usage.purge',
      field: 'usage_purged_before',
      from: before,
      to: cutoff,
      description: `Usage purge started: usage records before ${cutoff.slice(0, 10)} (kept for ${months} months) are replaced by one summary per customer, month and service; that usage can no longer be re-rated nor its invoices recalculated.`
    })
  })
  const customers = new Set<number>()
  for (const m of engine.read((r) => monthsBefore(r, cutoff))) {
    // Units of whole customers of about PURGE_UNIT_RECORDS records: the busiest customers have
    // tens of thousands of records a month, the quietest a handful. A customer with more than a
    // unit's worth is summarised in slices of its month, one unit each (sliceEnd, purgePart).
    const perCustomer = await customersOfMonth(engine, m, pause)
    const units: { customers: number[]; busy: boolean }[] = []
    let records = PURGE_UNIT_RECORDS
    for (const [id, n] of perCustomer) {
      if (n > PURGE_UNIT_RECORDS) {
        units.push({ customers: [id], busy: true })
        records = PURGE_UNIT_RECORDS
        continue
      }
      if (records + n > PURGE_UNIT_RECORDS) {
        units.push({ customers: [], busy: false })
        records = 0
      }
      units[units.length - 1]!.customers.push(id)
      records += n
    }
    for (const unit of units) {
      for (const id of unit.customers) customers.add(id)
      for (;;) {
        const done = engine.change(actor, (w) => {
          const tally = { written: 0, merged: 0, purged: 0 }
          // A busy customer's month a slice at a time, until a slice reaches the month's end.
          const to = unit.busy ? sliceEnd(w, unit.customers[0]!, m) : m.to
          for (const id of unit.customers) purgePart(w, id, m, to, tally)
          result.summariesWritten += tally.written
          result.recordsPurged += tally.purged
          const merged = tally.merged > 0 ? ` and added to ${count(tally.merged, 'summary record')} written before` : ''
          w.audit({
            kind: 'usage.purge',
            description: `Usage of ${m.label} purged for ${count(unit.customers.length, 'customer')}: ${count(tally.purged, 'record')} replaced by ${count(tally.written, 'summary record')}${merged} (balances unchanged).`
          })
          return to === m.to
        })
        await pause()
        if (done) break
      }
    }
    // Unrated records of unknown accounts charged nothing: removed without a summary.
    const orphans = engine.change(actor, (w) => {
      const n = w.run("DELETE FROM xdrs WHERE customer_id IS NULL AND kind = 'usage' AND started_at >= ? AND started_at < ?", [m.from, m.to])
      if (n > 0) w.audit({ kind: 'usage.purge', description: `Usage of ${m.label}: ${count(n, 'unrated record')} of unknown accounts purged (they charged nothing).` })
      return n
    })
    result.recordsPurged += orphans
  }
  result.customers = customers.size
  return result
}
