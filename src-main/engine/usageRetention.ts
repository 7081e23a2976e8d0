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

/**
 * Purge the usage before the retention cutoff: the cutoff is recorded first (audited), then each
 * month is replaced by its summaries in units of work of a few customers each (audited), pausing
 * between them so other requests are served. A crash in between leaves the records not yet
 * summarised in place; purging again finishes them.
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
    // tens of thousands of records a month, the quietest a handful.
    const perCustomer = engine.read((r) =>
      r.values(
        `SELECT customer_id, count(*) FROM xdrs x WHERE kind = 'usage' AND started_at >= ?1 AND started_at < ?2 AND ${MONTH_HOURS} AND customer_id IS NOT NULL GROUP BY customer_id`,
        [m.from, m.to]
      )
    )
    const batches: number[][] = []
    let records = PURGE_UNIT_RECORDS
    for (const [id, n] of perCustomer) {
      if (records + (n as number) > PURGE_UNIT_RECORDS) {
        batches.push([])
        records = 0
      }
      batches[batches.length - 1]?.push(id as number)
      records += n as number
    }
    for (const batch of batches) {
      for (const id of batch) customers.add(id)
      engine.change(actor, (w) => {
        let summaries = 0
        let purged = 0
        for (const id of batch) {
          summaries += w.run(
            // Per invoice too: a summary stays on the invoice its records were on (never billed twice).
            `INSERT INTO xdrs (kind, customer_id, service_id, started_at, duration_s, destination, amount_minor, charge_minor, created_at, visible_comment, invoice_id)
             SELECT 'usage-summary', customer_id, service_id, ?2, sum(duration_s), '', sum(amount_minor), sum(coalesce(charge_minor, 0)), ?4,
               'Usage of ' || ?5 || ': ' || count(*) || ' records (details purged)', invoice_id
             FROM xdrs WHERE customer_id = ?1 AND started_at >= ?2 AND started_at < ?3 AND kind = 'usage'
             GROUP BY service_id, invoice_id ORDER BY service_id, invoice_id`,
            [id, m.from, m.to, w.at, m.label]
          )
          purged += w.run("DELETE FROM xdrs WHERE customer_id = ? AND started_at >= ? AND started_at < ? AND kind = 'usage'", [id, m.from, m.to])
        }
        result.summariesWritten += summaries
        result.recordsPurged += purged
        w.audit({
          kind: 'usage.purge',
          description: `Usage of ${m.label} purged for ${count(batch.length, 'customer')}: ${count(purged, 'record')} replaced by ${count(summaries, 'summary record')} (balances unchanged).`
        })
      })
      await pause()
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
