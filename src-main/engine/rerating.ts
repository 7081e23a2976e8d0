/**
 * Re-rating (issue 9, item 5): the usage of a period is rated again — with the price lists
 * assigned now or with one chosen list — after a wrong list was found. The usage records' rating
 * columns change; the ledger is never edited: each customer whose usage total changes gets ONE
 * correction record (kind 'rerating-correction') for the difference, so that per customer
 * sum(usage charge_minor) = sum(usage amount_minor) + sum(corrections) and the balance still
 * equals the sum of the customer's records (migration 0012).
 *
 * The preview and the apply rate through the same function (customerChanges), the apply once
 * more inside each customer's unit of work, so it acts on the data as it is then, not as it was
 * when the preview was read. A re-rating that changes nothing writes nothing at all.
 */
import type {
  CurrencyTotals,
  OutOfDatePeriod,
  ReratingCustomerLine,
  ReratingHistoryEntry,
  ReratingPreview,
  ReratingRecordChange,
  ReratingResult,
  ReratingScope
} from '../../src-shared/domain'
import { AppError } from '../../src-shared/errors'
import { formatMinor } from '../../src-shared/money'
import type { Value } from '../db/access'
import type { DbReader } from '../db/store'
import { describeAmountChange } from './audit'
import { postToLedger } from './ledger'
import { checkRecalculable } from './usageRetention'
import { UsageRater, type UsageRating } from './usageRating'
import type { Engine, Work } from './unitOfWork'
import type { Actor, AuditRecord } from './audit'

export interface ReratingInput {
  scope: ReratingScope
  /** Instant, included. */
  from: string
  /** Instant, excluded. */
  to: string
  /** Null: each customer's assigned lists (its own, else its class's). */
  priceListId: number | null
}

/** A usage record as the re-rating reads it. */
interface UsageRow {
  id: number
  customer_id: number | null
  account_id: number | null
  service_id: number
  started_at: string
  duration_s: number
  destination: string
  rating: 'rated' | 'unrated'
  unrated_reason: string | null
  charge_minor: number | null
  billed_s: number | null
  prefix: string | null
  price_list_version_id: number | null
}

interface RecordChange {
  row: UsageRow
  next: UsageRating
  /** Set on a record of an unknown account whose account now exists. */
  accountRowId: number | null
}

interface CustomerOutcome {
  considered: number
  changes: RecordChange[]
  oldTotalMinor: number
  newTotalMinor: number
  /** Rated records the new rating cannot rate: kept at their charge. */
  notRated: number
}

interface ScopedCustomer {
  id: number
  customer_id: string
  currency: string
}

/** A checked re-rating: its period as stored text, its customers, its list. */
interface Plan {
  from: string
  to: string
  priceListId: number | null
  priceListName: string | null
  customers: ScopedCustomer[]
  skipped: ReratingPreview['skipped']
  /**
   * Whether the period holds records without a customer (unknown accounts) at all: looking for a
   * customer's such records is then skipped, which at 10,000 customers is most of the work.
   */
  hasOrphans: boolean
}

/** A usage row read with `values` in USAGE_COLUMNS' order. */
const usageRowOf = (v: Value[]): UsageRow => ({
  id: v[0] as number,
  customer_id: v[1] as number | null,
  account_id: v[2] as number | null,
  service_id: v[3] as number,
  started_at: v[4] as string,
  duration_s: v[5] as number,
  destination: v[6] as string,
  rating: v[7] as UsageRow['rating'],
  unrated_reason: v[8] as string | null,
  charge_minor: v[9] as number | null,
  billed_s: v[10] as number | null,
  prefix: v[11] as string | null,
  price_list_version_id: v[12] as number | null
})

const USAGE_COLUMNS = `x.id, x.customer_id, x.account_id, x.service_id, x.started_at, x.duration_s, x.destination, x.rating, x.unrated_reason,
  x.charge_minor, x.billed_s, x.prefix, x.price_list_version_id`

/**
 * Unrated for a reason a price list cannot fix: a closed account or an unknown service stays as
 * the import left it (the account was closed when the call was made).
 */
const KEPT_REASONS = "('closed-account', 'unknown-service')"

function checkedInstant(text: string, field: string): string {
  const ms = Date.parse(text)
  if (Number.isNaN(ms)) throw new AppError('VALIDATION', `"${text}" is not a date and time.`, field)
  return new Date(ms).toISOString()
}

/** Check the input and resolve its customers; throws a typed error naming the field, reads only. */
export function planRerating(r: DbReader, input: ReratingInput): Plan {
  const from = checkedInstant(input.from, 'from')
  const to = checkedInstant(input.to, 'to')
  if (to <= from) throw new AppError('VALIDATION', 'The end of the period must be after the start.', 'to')
  checkRecalculable(r, from, 'from')
  let list: { id: number; name: string; currency: string } | undefined
  if (input.priceListId !== null) {
    list = r.get('SELECT id, name, currency FROM price_lists WHERE id = ?', [input.priceListId])
    if (!list) throw new AppError('NOT_FOUND', `Price list ${input.priceListId} does not exist.`, 'priceListId')
  }
  const scope = input.scope
  let customers: ScopedCustomer[]
  if (scope.kind === 'all') {
    customers = r.all<ScopedCustomer>('SELECT id, customer_id, currency FROM customers ORDER BY id')
  } else if (scope.kind === 'class') {
    if (!r.get('SELECT 1 AS found FROM customer_classes WHERE id = ?', [scope.classId])) {
      throw new AppError('NOT_FOUND', `Customer class ${scope.classId} does not exist.`, 'classId')
    }
    customers = r.all<ScopedCustomer>('SELECT id, customer_id, currency FROM customers WHERE class_id = ? ORDER BY id', [scope.classId])
  } else {
    const ids = [...new Set(scope.customerIds)].sort((a, b) => a - b)
    customers = ids.map((id) => {
      const c = r.get<ScopedCustomer>('SELECT id, customer_id, currency FROM customers WHERE id = ?', [id])
      if (!c) throw new AppError('NOT_FOUND', `Customer ${id} does not exist.`, 'customerIds')
      return c
    })
  }
  const skipped: Plan['skipped'] = []
  if (list) {
    const l = list
    skipped.push(
      ...customers
        .filter((c) => c.currency !== l.currency)
        .map((c) => ({ customerId: c.id, customerName: c.customer_id, currency: c.currency, reason: `billed in ${c.currency}; the chosen list is in ${l.currency}` }))
    )
    customers = customers.filter((c) => c.currency === l.currency)
  }
  const hasOrphans =
    r.get("SELECT 1 AS found FROM xdrs WHERE rating = 'unrated' AND started_at >= ? AND started_at < ? AND customer_id IS NULL LIMIT 1", [from, to]) !== undefined
  return { from, to, priceListId: list?.id ?? null, priceListName: list?.name ?? null, customers, skipped, hasOrphans }
}

/**
 * A record changes when the new rating rates it and what it costs differs (or it was unrated).
 * A rated record the new rating cannot rate (no prefix, no list) keeps its charge: a list missing
 * a prefix must not silently charge calls as zero; the preview counts those records. A record
 * whose charge comes out the same keeps the rating it had, so a second run finds nothing.
 */
const changesRating = (row: UsageRow, next: UsageRating) => next.rating === 'rated' && (row.rating !== 'rated' || row.charge_minor !== next.chargeMinor)

/**
 * One customer's usage in the period rated again: its own records, and records of an unknown
 * account that is now this customer's (the import kept them without a customer).
 */
function customerChanges(r: DbReader, rater: UsageRater, customerId: number, plan: Plan): CustomerOutcome {
  const { from, to } = plan
  // Rows as arrays: a month at M scale is 400,000 records, and objects cost several times more.
  const own = r
    .values(
      `SELECT ${USAGE_COLUMNS} FROM xdrs x WHERE x.customer_id = ? AND x.started_at >= ? AND x.started_at < ? AND x.kind = 'usage'
         AND x.service_id IS NOT NULL AND NOT (x.rating = 'unrated' AND coalesce(x.unrated_reason, '') IN ${KEPT_REASONS})`,
      [customerId, from, to]
    )
    .map(usageRowOf)
  const orphans = !plan.hasOrphans
    ? []
    : r.all<UsageRow & { account_row_id: number }>(
        `SELECT ${USAGE_COLUMNS}, a.id AS account_row_id FROM xdrs x JOIN accounts a ON a.account_id = x.account_ref
     WHERE x.rating = 'unrated' AND x.started_at >= ? AND x.started_at < ? AND x.customer_id IS NULL AND x.kind = 'usage'
       AND x.service_id IS NOT NULL AND a.customer_id = ? AND a.status <> 'closed'`,
        [from, to, customerId]
      )
  const out: CustomerOutcome = { considered: own.length + orphans.length, changes: [], oldTotalMinor: 0, newTotalMinor: 0, notRated: 0 }
  const rate = (row: UsageRow) =>
    rater.rate({ customerId, serviceId: row.service_id, start: Date.parse(row.started_at), durationS: row.duration_s, calledNumber: row.destination })
  for (const row of own) {
    const next = rate(row)
    const changed = changesRating(row, next)
    if (!changed && next.rating === 'unrated' && row.rating === 'rated') out.notRated += 1
    out.oldTotalMinor += row.charge_minor ?? 0
    out.newTotalMinor += (changed ? next.chargeMinor : row.charge_minor) ?? 0
    if (changed) out.changes.push({ row, next, accountRowId: null })
  }
  for (const { account_row_id, ...row } of orphans) {
    const next = rate(row)
    out.newTotalMinor += next.chargeMinor ?? 0
    // Even when still unrated (no list yet), the record now belongs to its customer.
    out.changes.push({ row, next, accountRowId: account_row_id })
  }
  out.changes.sort((a, b) => a.row.id - b.row.id)
  return out
}

function addTotals(totals: Map<string, CurrencyTotals>, currency: string, oldMinor: number, newMinor: number): void {
  const t = totals.get(currency) ?? { currency, oldTotalMinor: 0, newTotalMinor: 0, differenceMinor: 0 }
  t.oldTotalMinor += oldMinor
  t.newTotalMinor += newMinor
  t.differenceMinor += newMinor - oldMinor
  totals.set(currency, t)
}

const sortedTotals = (totals: Map<string, CurrencyTotals>) => [...totals.values()].sort((a, b) => a.currency.localeCompare(b.currency))

/** What a re-rating would change; writes nothing. `offset`/`limit` page the changed records. */
export function previewRerating(r: DbReader, input: ReratingInput & { offset?: number; limit?: number }): ReratingPreview {
  const plan = planRerating(r, input)
  const rater = new UsageRater(r, { priceListId: plan.priceListId ?? undefined })
  const offset = input.offset ?? 0
  const limit = input.limit ?? 100
  const lines: ReratingCustomerLine[] = []
  const totals = new Map<string, CurrencyTotals>()
  const changes: ReratingRecordChange[] = []
  let considered = 0
  let changed = 0
  let notRated = 0
  for (const c of plan.customers) {
    const o = customerChanges(r, rater, c.id, plan)
    considered += o.considered
    notRated += o.notRated
    if (o.changes.length === 0) continue
    lines.push({
      customerId: c.id,
      customerName: c.customer_id,
      currency: c.currency,
      records: o.changes.length,
      oldTotalMinor: o.oldTotalMinor,
      newTotalMinor: o.newTotalMinor,
      differenceMinor: o.newTotalMinor - o.oldTotalMinor
    })
    addTotals(totals, c.currency, o.oldTotalMinor, o.newTotalMinor)
    for (const ch of o.changes) {
      if (changed >= offset && changes.length < limit) {
        changes.push({
          xdrId: ch.row.id,
          customerId: c.id,
          customerName: c.customer_id,
          currency: c.currency,
          startedAt: ch.row.started_at,
          destination: ch.row.destination,
          durationS: ch.row.duration_s,
          oldRating: ch.row.rating,
          oldChargeMinor: ch.row.charge_minor,
          newRating: ch.next.rating,
          newChargeMinor: ch.next.chargeMinor,
          newUnratedReason: ch.next.unratedReason
        })
      }
      changed += 1
    }
  }
  lines.sort((a, b) => Math.abs(b.differenceMinor) - Math.abs(a.differenceMinor) || a.customerId - b.customerId)
  return {
    from: plan.from,
    to: plan.to,
    priceListId: plan.priceListId,
    priceListName: plan.priceListName,
    customersConsidered: plan.customers.length,
    recordsConsidered: considered,
    recordsChanged: changed,
    recordsNotRated: notRated,
    customers: lines,
    totals: sortedTotals(totals),
    changes,
    skipped: plan.skipped
  }
}

/** The re-rating's row, written by the first customer that changes (see migration 0015). */
interface ReratingRun {
  id: number | null
  input: ReratingInput
  plan: Plan
}

const periodText = (from: string, to: string) => `${from.slice(0, 16).replace('T', ' ')} – ${to.slice(0, 16).replace('T', ' ')} UTC`

/** Rows per UPDATE of own records: a few fixed sizes, so the statement cache holds a few texts. */
const UPDATE_CHUNKS = [256, 64, 16, 4, 1]

const updateSqlBySize = new Map<number, string>()
const updateRatingsSql = (rows: number): string => {
  let sql = updateSqlBySize.get(rows)
  if (sql === undefined) {
    sql = buildUpdateRatingsSql(rows)
    updateSqlBySize.set(rows, sql)
  }
  return sql
}

const buildUpdateRatingsSql = (rows: number) =>
  `UPDATE xdrs SET rating = v.column2, unrated_reason = v.column3, charge_minor = v.column4, billed_s = v.column5, prefix = v.column6,
     price_list_version_id = v.column7, rated_at = v.column8
   FROM (VALUES ${Array.from({ length: rows }, () => '(?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}) AS v WHERE xdrs.id = v.column1`

/**
 * The new ratings written: a record of an unknown account one by one (it also gets its customer
 * and account), the customer's own records many to a statement (a month at M scale is 400,000
 * updates; one statement each would spend most of the re-rating on statement overhead).
 */
function writeRatings(w: Work, customerId: number, changes: RecordChange[]): void {
  const own: RecordChange[] = []
  for (const ch of changes) {
    if (ch.accountRowId === null) {
      own.push(ch)
      continue
    }
    const { row, next } = ch
    w.run(
      `UPDATE xdrs SET customer_id = ?, account_id = ?, rating = ?, unrated_reason = ?, charge_minor = ?, billed_s = ?, prefix = ?,
         price_list_version_id = ?, rated_at = ? WHERE id = ?`,
      [customerId, ch.accountRowId, next.rating, next.unratedReason, next.chargeMinor, next.billedS, next.prefix, next.priceListVersionId, w.at, row.id]
    )
  }
  let i = 0
  for (const size of UPDATE_CHUNKS) {
    while (own.length - i >= size) {
      const params: (string | number | null)[] = []
      for (const { row, next } of own.slice(i, i + size)) {
        params.push(row.id, next.rating, next.unratedReason, next.chargeMinor, next.billedS, next.prefix, next.priceListVersionId, w.at)
      }
      w.run(updateRatingsSql(size), params)
      i += size
    }
  }
}

/**
 * One customer's unit of work: its usage records' rating columns, one correction for the
 * difference (none when it is 0), one audit entry, and its line in rerating_customers.
 */
function applyToCustomer(
  w: Work,
  run: ReratingRun,
  rater: UsageRater,
  c: ScopedCustomer
): { considered: number; changed: { records: number; oldMinor: number; newMinor: number } | null } {
  const o = customerChanges(w, rater, c.id, run.plan)
  if (o.changes.length === 0) return { considered: o.considered, changed: null }
  if (run.id === null) {
    run.id = w.insert('INSERT INTO reratings (at, operator_name, period_from, period_to, scope_json, price_list_id) VALUES (?, ?, ?, ?, ?, ?)', [
      w.at,
      w.actor.operatorName,
      run.plan.from,
      run.plan.to,
      JSON.stringify(run.input.scope),
      run.plan.priceListId
    ])
  }
  writeRatings(w, c.id, o.changes)
  const difference = o.newTotalMinor - o.oldTotalMinor
  const balanceBefore = w.get<{ balance_minor: number }>('SELECT balance_minor FROM customers WHERE id = ?', [c.id])?.balance_minor ?? 0
  let correction: { xdrId: number; balanceMinor: number } | null = null
  if (difference !== 0) {
    correction = postToLedger(w, {
      kind: 'rerating-correction',
      customerId: c.id,
      amountMinor: difference,
      unallocatedDeltaMinor: 0,
      serviceId: null,
      effectiveDate: null,
      outOfTurn: false,
      visibleComment: `Usage of ${periodText(run.plan.from, run.plan.to)} re-rated`,
      internalComment: `Re-rating ${run.id}`
    })
    w.run('UPDATE xdrs SET rerating_id = ? WHERE id = ?', [run.id, correction.xdrId])
    // The balance moves: its own entry with before/after, so a trace of the balance holds the step.
    w.audit({
      kind: 'customer.balance',
      customerId: c.id,
      field: 'balance',
      from: String(balanceBefore),
      to: String(correction.balanceMinor),
      description: `${describeAmountChange('Balance', balanceBefore, correction.balanceMinor, c.currency)} Source – re-rating correction of re-rating ${run.id} (xDR id ${correction.xdrId}).`,
      source: { kind: 'rerating-correction', id: correction.xdrId }
    })
  }
  const list = run.plan.priceListName === null ? 'the assigned price lists' : `price list "${run.plan.priceListName}"`
  const records = o.changes.length
  w.audit({
    kind: 'usage.rerating',
    customerId: c.id,
    field: 'usage_total',
    from: String(o.oldTotalMinor),
    to: String(o.newTotalMinor),
    description:
      `${describeAmountChange('Usage total', o.oldTotalMinor, o.newTotalMinor, c.currency)} ` +
      `Re-rating ${run.id} of the usage of ${periodText(run.plan.from, run.plan.to)} with ${list}: ${records} record${records === 1 ? '' : 's'} changed. ` +
      (correction
        ? describeAmountChange('Balance', balanceBefore, correction.balanceMinor, c.currency)
        : `Balance unchanged at ${formatMinor(balanceBefore, c.currency)}.`),
    source: correction ? { kind: 'rerating-correction', id: correction.xdrId } : { kind: 'rerating', id: run.id }
  })
  w.run(
    `INSERT INTO rerating_customers (rerating_id, customer_id, period_from, period_to, records, old_total_minor, new_total_minor, difference_minor, correction_xdr_id)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [run.id, c.id, run.plan.from, run.plan.to, records, o.oldTotalMinor, o.newTotalMinor, difference, correction?.xdrId ?? null]
  )
  w.run('UPDATE reratings SET customers = customers + 1, records = records + ? WHERE id = ?', [records, run.id])
  return { considered: o.considered, changed: { records, oldMinor: o.oldTotalMinor, newMinor: o.newTotalMinor } }
}

/** ", usage totals changed by -6.00 USD" (per currency, in each currency's own digits); nothing when none changed. */
function moved(totals: CurrencyTotals[]): string {
  const parts = totals.filter((t) => t.differenceMinor !== 0).map((t) => `${t.differenceMinor > 0 ? '+' : ''}${formatMinor(t.differenceMinor, t.currency)} ${t.currency}`)
  return parts.length === 0 ? '' : `, usage totals changed by ${parts.join(', ')}`
}

/**
 * The entry of a cancelled re-rating: what was done (customers and records re-rated, each with
 * its own entries) and what was not (the customers left as they were).
 */
function describeCancel(run: ReratingRun, reached: number, total: number, customersChanged: number, recordsChanged: number, totals: CurrencyTotals[]): AuditRecord {
  const n = (x: number, one: string, many = `${one}s`) => `${x.toLocaleString('en-US')} ${x === 1 ? one : many}`
  const list = run.plan.priceListName === null ? 'the assigned price lists' : `price list "${run.plan.priceListName}"`
  const what = `${run.id === null ? 'Re-rating' : `Re-rating ${run.id}`} of the usage of ${periodText(run.plan.from, run.plan.to)} with ${list} cancelled`
  const left = total - reached
  const done =
    reached === 0
      ? ` before its first customer: nothing was re-rated; ${n(total, 'customer')} in scope keep${total === 1 ? 's' : ''} their rating.`
      : ` after ${reached.toLocaleString('en-US')} of ${n(total, 'customer')}: ${n(customersChanged, 'customer')} re-rated (${n(recordsChanged, 'record')} changed, each with its entry${moved(totals)}); ` +
        `${n(left, 'customer')} not re-rated, their usage keeps its earlier rating.`
  return { kind: 'usage.rerating.cancel', description: what + done, source: run.id === null ? null : { kind: 'rerating', id: run.id } }
}

/** What the apply needs of the job it runs in (src-main/jobs/registry.ts's JobControl). */
export interface ReratingControl {
  readonly signal: AbortSignal
  progress(done: number, total: number, message?: string): void
  pause(): Promise<void>
}

/**
 * Customers are applied several to a unit of work, each one whole (its records, correction, audit
 * entry and line) inside it: a durable commit costs a disk flush (about 3 ms here), so one per
 * customer would make a month at M scale (10,000 customers) take half a minute of flushing
 * alone. A unit stops at whichever limit comes first, so it stays short enough (tens of
 * milliseconds) for a cashier's request to get in between.
 */
const UNIT_MAX_CUSTOMERS = 200
const UNIT_MAX_RECORDS = 5_000

/**
 * Apply a re-rating in bounded units of work of whole customers, pausing between them so other
 * requests are served, and stopping there when cancelled. The input is checked before the job
 * starts (planRerating throws at once).
 */
export function prepareRerating(
  engine: Engine,
  actor: Actor,
  input: ReratingInput,
  /** Tests make units of one customer to cancel between them. */
  unitMaxCustomers = UNIT_MAX_CUSTOMERS
): (ctl: ReratingControl) => Promise<ReratingResult> {
  const plan = engine.read((r) => planRerating(r, input))
  return async (ctl) => {
    const run: ReratingRun = { id: null, input, plan }
    const totals = new Map<string, CurrencyTotals>()
    let customersChanged = 0
    let recordsChanged = 0
    // The rater caches the price lists it has read; a change by anyone else (every change is
    // audited) may be a list upload or assignment, so a new one is made after it.
    let rater: UsageRater | null = null
    let lastAudit = -1
    const lastAuditId = () => engine.read((r) => r.get<{ id: number | null }>('SELECT max(id) AS id FROM audit_log')?.id ?? 0)
    const customers = plan.customers
    let next = 0
    ctl.progress(0, customers.length)
    while (next < customers.length && !ctl.signal.aborted) {
      if (rater === null || lastAuditId() !== lastAudit) rater = engine.read((r) => new UsageRater(r, { priceListId: plan.priceListId ?? undefined }))
      const activeRater = rater
      const idBefore = run.id
      let end = next
      let unit: { c: ScopedCustomer; changed: { records: number; oldMinor: number; newMinor: number } }[]
      try {
        unit = engine.change(actor, (w) => {
          // A purge may have run since the re-rating started.
          checkRecalculable(w, plan.from, 'from')
          const changed: typeof unit = []
          let considered = 0
          end = next
          while (end < customers.length && end - next < unitMaxCustomers && considered < UNIT_MAX_RECORDS) {
            const c = customers[end] as ScopedCustomer
            const res = applyToCustomer(w, run, activeRater, c)
            considered += res.considered
            if (res.changed) changed.push({ c, changed: res.changed })
            end += 1
          }
          return changed
        })
      } catch (err) {
        run.id = idBefore // the unit that wrote the re-rating's row was rolled back
        throw err
      }
      next = end
      lastAudit = lastAuditId()
      for (const { c, changed } of unit) {
        customersChanged += 1
        recordsChanged += changed.records
        addTotals(totals, c.currency, changed.oldMinor, changed.newMinor)
      }
      ctl.progress(next, customers.length, `${customersChanged} customer${customersChanged === 1 ? '' : 's'} changed`)
      await ctl.pause()
    }
    const cancelled = next < customers.length
    if (run.id !== null || cancelled) {
      const id = run.id
      engine.change(actor, (w) => {
        if (id !== null) w.run('UPDATE reratings SET state = ?, finished_at = ? WHERE id = ?', [cancelled ? 'cancelled' : 'completed', w.at, id])
        // A cancel is a decision an administrator must see, even before the first customer.
        if (cancelled) w.audit(describeCancel(run, next, customers.length, customersChanged, recordsChanged, sortedTotals(totals)))
      })
    }
    return { reratingId: run.id, customersChanged, recordsChanged, totals: sortedTotals(totals), cancelled }
  }
}

interface StoredRerating {
  id: number
  at: string
  operator_name: string
  period_from: string
  period_to: string
  scope_json: string
  price_list_id: number | null
  price_list_name: string | null
  state: ReratingHistoryEntry['state']
  customers: number
  records: number
  finished_at: string | null
}

/** Re-ratings, newest first. */
export function listReratings(r: DbReader, limit = 100): ReratingHistoryEntry[] {
  return r
    .all<StoredRerating>(`SELECT x.*, l.name AS price_list_name FROM reratings x LEFT JOIN price_lists l ON l.id = x.price_list_id ORDER BY x.id DESC LIMIT ?`, [limit])
    .map((x) => ({
      id: x.id,
      at: x.at,
      operatorName: x.operator_name,
      from: x.period_from,
      to: x.period_to,
      scope: JSON.parse(x.scope_json) as ReratingScope,
      priceListId: x.price_list_id,
      priceListName: x.price_list_name,
      state: x.state,
      customers: x.customers,
      records: x.records,
      finishedAt: x.finished_at
    }))
}

/**
 * The customer periods whose usage a re-rating changed, newest first: invoicing (issue 10) marks
 * a customer's invoices covering [from, to) issued before `at` as out of date, and batch re-issue
 * (issue 11) takes them as its input. `since` keeps only re-ratings at or after that instant.
 */
export function outOfDatePeriods(r: DbReader, q: { customerId?: number | undefined; since?: string | undefined }): OutOfDatePeriod[] {
  return r
    .all<{
      rerating_id: number
      at: string
      customer_id: number
      customer_name: string
      period_from: string
      period_to: string
      difference_minor: number
      currency: string
    }>(
      `SELECT rc.rerating_id, x.at, rc.customer_id, c.customer_id AS customer_name, rc.period_from, rc.period_to, rc.difference_minor, c.currency
       FROM rerating_customers rc JOIN reratings x ON x.id = rc.rerating_id JOIN customers c ON c.id = rc.customer_id
       WHERE (?1 IS NULL OR rc.customer_id = ?1) AND x.at >= ?2
       ORDER BY rc.rerating_id DESC, rc.customer_id`,
      [q.customerId ?? null, q.since ?? '']
    )
    .map((p) => ({
      reratingId: p.rerating_id,
      at: p.at,
      customerId: p.customer_id,
      customerName: p.customer_name,
      from: p.period_from,
      to: p.period_to,
      differenceMinor: p.difference_minor,
      currency: p.currency
    }))
}
