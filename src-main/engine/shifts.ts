/**
 * Cashier shifts (issue 13 item 3; docs/shifts.md). A shift belongs to one operator and opens with
 * a counted float per currency; the cash payments and cash refunds the operator takes while it is
 * open are linked to it (`shift_cash`, written in the same unit of work as the ledger record);
 * closing stores, per currency, the expected cash (float + cash in − cash out) and the cash
 * counted. A cashier cannot take cash without an open shift; an administrator's cash goes on
 * their open shift if they have one, else on none (docs/payments.md "Cash and shifts").
 */
import type {
  AdjustmentOperation,
  CurrentShift,
  Operator,
  Role,
  Shift,
  ShiftCurrency,
  ShiftDetail,
  ShiftListResult,
  ShiftMovement,
  ShiftReportDocument
} from '../../src-shared/domain'
import { AppError } from '../../src-shared/errors'
import { formatMinor, formatMoney, parseAmountExact } from '../../src-shared/money'
import { differenceText } from '../../src-shared/shifts'
import type { DbReader } from '../db/store'
import { getCompanyLogo } from './companyLogo'
import { csvChunk } from './customerExport'
import type { StoredCustomer } from './customers'
import type { StoredXdr } from './ledger'
import type { StoredOperator } from './operators'
import { getSettings } from './settings'
import type { Work } from './unitOfWork'

/** A row of shifts. */
export interface StoredShift {
  id: number
  operator_id: number
  operator_name: string
  opened_at: string
  closed_at: string | null
  closed_by: string | null
  note: string
}

/** A row of shift_currencies. */
export interface StoredShiftCurrency {
  shift_id: number
  currency: string
  float_minor: number
  expected_minor: number | null
  counted_minor: number | null
}

/** A row of shift_cash: + into the drawer, − out of it. */
export interface StoredShiftCash {
  xdr_id: number
  shift_id: number
  currency: string
  amount_minor: number
}

/** The operations that move cash through the drawer, and which way (+ in, − out). */
export const CASH_DIRECTION: Partial<Record<AdjustmentOperation, 1 | -1>> = { 'manual-payment': 1, refund: -1 }

const MOVEMENT_LABEL: Record<string, string> = { 'manual-payment': 'Cash payment', refund: 'Refund paid out' }

/** The largest count a drawer holds (minor units): far above any drawer, and exact. */
const MAX_COUNT_MINOR = 10n ** 15n

type ShiftRow = Pick<StoredShift, 'id' | 'operator_id' | 'operator_name' | 'opened_at' | 'closed_at' | 'closed_by'>
const SHIFT_COLUMNS = 'id, operator_id, operator_name, opened_at, closed_at, closed_by'

function roleOf(r: DbReader, operatorId: number): Role | null {
  return r.get<Pick<StoredOperator, 'role'>>('SELECT role FROM operators WHERE id = ?', [operatorId])?.role ?? null
}

function openShiftRow(r: DbReader, operatorId: number): ShiftRow | null {
  return r.get<ShiftRow>(`SELECT ${SHIFT_COLUMNS} FROM shifts WHERE operator_id = ? AND closed_at IS NULL`, [operatorId]) ?? null
}

/** The currencies the desk takes cash in: the default currency, then every customer's, sorted. */
export function deskCurrencies(r: DbReader): string[] {
  const main = getSettings(r)?.defaultCurrency
  const used = r.all<Pick<StoredCustomer, 'currency'>>('SELECT DISTINCT currency FROM customers ORDER BY currency').map((c) => c.currency)
  return main ? [main, ...used.filter((c) => c !== main)] : used
}

/** Each shift's currencies with the cash it took and paid out (for a page of shifts at once). */
function currenciesOf(r: DbReader, shifts: readonly ShiftRow[]): Map<number, { currencies: ShiftCurrency[]; payments: number; refunds: number }> {
  const out = new Map<number, { currencies: ShiftCurrency[]; payments: number; refunds: number }>()
  if (shifts.length === 0) return out
  const ids = shifts.map((s) => s.id)
  const marks = ids.map(() => '?').join(', ')
  const rows = r.all<Pick<StoredShiftCurrency, 'shift_id' | 'currency' | 'float_minor' | 'expected_minor' | 'counted_minor'>>(
    `SELECT shift_id, currency, float_minor, expected_minor, counted_minor FROM shift_currencies WHERE shift_id IN (${marks}) ORDER BY shift_id, rowid`,
    ids
  )
  const cash = r.all<Pick<StoredShiftCash, 'shift_id' | 'currency'> & { cash_in: number; cash_out: number; payments: number; refunds: number }>(
    `SELECT shift_id, currency, sum(CASE WHEN amount_minor > 0 THEN amount_minor ELSE 0 END) AS cash_in,
            sum(CASE WHEN amount_minor < 0 THEN -amount_minor ELSE 0 END) AS cash_out,
            sum(amount_minor > 0) AS payments, sum(amount_minor < 0) AS refunds
       FROM shift_cash WHERE shift_id IN (${marks}) GROUP BY shift_id, currency`,
    ids
  )
  for (const id of ids) out.set(id, { currencies: [], payments: 0, refunds: 0 })
  for (const row of rows) {
    out.get(row.shift_id)!.currencies.push({
      currency: row.currency,
      floatMinor: row.float_minor,
      cashInMinor: 0,
      cashOutMinor: 0,
      expectedMinor: row.expected_minor ?? row.float_minor,
      countedMinor: row.counted_minor,
      differenceMinor: row.counted_minor !== null && row.expected_minor !== null ? row.counted_minor - row.expected_minor : null
    })
  }
  for (const c of cash) {
    const s = out.get(c.shift_id)!
    s.payments += c.payments
    s.refunds += c.refunds
    let cur = s.currencies.find((x) => x.currency === c.currency)
    if (!cur) {
      // Cash in a currency the shift opened without: its float is nil.
      cur = { currency: c.currency, floatMinor: 0, cashInMinor: 0, cashOutMinor: 0, expectedMinor: 0, countedMinor: null, differenceMinor: null }
      s.currencies.push(cur)
    }
    cur.cashInMinor = c.cash_in
    cur.cashOutMinor = c.cash_out
  }
  // While the shift is open, the expected cash is worked out now; once closed, as stored then.
  for (const sh of shifts) {
    if (sh.closed_at !== null) continue
    for (const cur of out.get(sh.id)!.currencies) cur.expectedMinor = cur.floatMinor + cur.cashInMinor - cur.cashOutMinor
  }
  return out
}

function toShifts(r: DbReader, rows: readonly ShiftRow[]): Shift[] {
  const money = currenciesOf(r, rows)
  return rows.map((s) => ({
    id: s.id,
    operatorId: s.operator_id,
    operatorName: s.operator_name,
    openedAt: s.opened_at,
    closedAt: s.closed_at,
    closedBy: s.closed_by,
    ...money.get(s.id)!
  }))
}

function movementsOf(r: DbReader, shiftId: number): ShiftMovement[] {
  return r
    .all<
      Pick<StoredShiftCash, 'xdr_id' | 'currency' | 'amount_minor'> &
        Pick<StoredXdr, 'kind' | 'created_at'> & { customer_ref: StoredCustomer['customer_id']; company_name: StoredCustomer['company_name'] }
    >(
      `SELECT s.xdr_id, s.currency, s.amount_minor, x.kind, x.created_at, c.customer_id AS customer_ref, c.company_name
         FROM shift_cash s JOIN xdrs x ON x.id = s.xdr_id JOIN customers c ON c.id = x.customer_id
        WHERE s.shift_id = ? ORDER BY s.xdr_id`,
      [shiftId]
    )
    .map((m) => ({
      xdrId: m.xdr_id,
      at: m.created_at,
      customerId: m.customer_ref,
      customerName: m.company_name || m.customer_ref,
      label: MOVEMENT_LABEL[m.kind] ?? m.kind,
      currency: m.currency,
      amountMinor: m.amount_minor
    }))
}

export function getShift(r: DbReader, id: number): ShiftDetail {
  const row = r.get<ShiftRow>(`SELECT ${SHIFT_COLUMNS} FROM shifts WHERE id = ?`, [id])
  if (!row) throw new AppError('NOT_FOUND', `Shift ${id} does not exist.`, 'shiftId')
  return { ...toShifts(r, [row])[0]!, movements: movementsOf(r, id) }
}

/** The calling operator's open shift, if any, with what the drawer should hold now. */
export function currentShift(r: DbReader, operator: Pick<Operator, 'id' | 'role'>): CurrentShift {
  const open = openShiftRow(r, operator.id)
  return { shift: open ? getShift(r, open.id) : null, currencies: deskCurrencies(r), cashNeedsShift: operator.role === 'cashier' }
}

/** A count as typed: a whole, non-negative amount of the currency (exact), refused on `field`. */
function parseCount(text: string, currency: string, field: string, what: string): number {
  if (text.trim() === '') throw new AppError('VALIDATION', `Enter the ${what} in ${currency} (0 if there is none).`, field)
  const minor = parseAmountExact(text, currency, field)
  if (minor < 0n) throw new AppError('VALIDATION', `The ${what} cannot be negative.`, field)
  if (minor > MAX_COUNT_MINOR) throw new AppError('VALIDATION', `The ${what} is too large.`, field)
  return Number(minor)
}

function noDuplicates(items: readonly { currency: string }[], field: string): void {
  const seen = new Set<string>()
  for (const i of items) {
    if (seen.has(i.currency)) throw new AppError('VALIDATION', `${i.currency} is given twice.`, `${field}.${i.currency}`)
    seen.add(i.currency)
  }
}

const listMoney = (items: readonly { currency: string; minor: number }[]) => items.map((i) => formatMoney(i.minor, i.currency)).join(', ')

/** Open a shift for the operator acting (w.actor) with the float counted per currency. */
export function openShift(w: Work, floats: readonly { currency: string; amount: string }[]): ShiftDetail {
  const operatorId = w.actor.operatorId
  if (floats.length === 0) throw new AppError('VALIDATION', 'Count the float of at least one currency.', 'floats')
  noDuplicates(floats, 'float')
  const open = openShiftRow(w, operatorId)
  if (open) throw new AppError('CONFLICT', `You already have an open shift (shift ${open.id}, opened ${open.opened_at}): close it before opening another.`)
  const counted = floats.map((f) => ({ currency: f.currency, minor: parseCount(f.amount, f.currency, `float.${f.currency}`, 'float') }))
  const id = w.insert('INSERT INTO shifts (operator_id, operator_name, opened_at) VALUES (?, ?, ?)', [operatorId, w.actor.operatorName, w.at])
  for (const c of counted) w.run('INSERT INTO shift_currencies (shift_id, currency, float_minor) VALUES (?, ?, ?)', [id, c.currency, c.minor])
  w.audit({
    kind: 'shift.opened',
    field: 'shift',
    to: String(id),
    description: `Shift ${id} opened by ${w.actor.operatorName} with a counted float of ${listMoney(counted)}.`,
    source: { kind: 'shift', id }
  })
  return getShift(w, id)
}

/**
 * Close the acting operator's open shift `shiftId` with the cash counted per currency: every
 * currency of the shift needs its count. Stores the expected cash and the count; audited with the
 * difference per currency.
 */
export function closeShift(w: Work, shiftId: number, counts: readonly { currency: string; amount: string }[]): ShiftDetail {
  const row = w.get<ShiftRow>(`SELECT ${SHIFT_COLUMNS} FROM shifts WHERE id = ?`, [shiftId])
  if (!row) throw new AppError('NOT_FOUND', `Shift ${shiftId} does not exist.`, 'shiftId')
  // An administrator closes a shift its operator left open (counting the drawer themselves).
  const byOther = row.operator_id !== w.actor.operatorId
  if (byOther && roleOf(w, w.actor.operatorId) !== 'administrator') {
    throw new AppError('FORBIDDEN', `Shift ${shiftId} is ${row.operator_name}'s: only they or an administrator can close it.`, 'shiftId')
  }
  if (row.closed_at !== null) throw new AppError('CONFLICT', `Shift ${shiftId} was already closed at ${row.closed_at}.`, 'shiftId')
  noDuplicates(counts, 'counted')
  const shift = toShifts(w, [row])[0]!
  const lines: string[] = []
  const parsed = shift.currencies.map((cur) => {
    const given = counts.find((c) => c.currency === cur.currency)
    if (!given) throw new AppError('VALIDATION', `Count the cash in ${cur.currency} (0 if there is none).`, `counted.${cur.currency}`)
    return { cur, counted: parseCount(given.amount, cur.currency, `counted.${cur.currency}`, 'cash counted') }
  })
  const extra = counts.find((c) => !shift.currencies.some((cur) => cur.currency === c.currency))
  if (extra) throw new AppError('VALIDATION', `This shift took no ${extra.currency}: leave it out.`, `counted.${extra.currency}`)
  for (const { cur, counted } of parsed) {
    const expected = cur.floatMinor + cur.cashInMinor - cur.cashOutMinor
    w.run(
      `INSERT INTO shift_currencies (shift_id, currency, float_minor, expected_minor, counted_minor) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (shift_id, currency) DO UPDATE SET expected_minor = excluded.expected_minor, counted_minor = excluded.counted_minor`,
      [shiftId, cur.currency, cur.floatMinor, expected, counted]
    )
    const diff = counted - expected
    const said = diff === 0 ? 'no difference' : differenceText(diff, cur.currency)
    lines.push(`${cur.currency}: expected ${formatMoney(expected, cur.currency)}, counted ${formatMoney(counted, cur.currency)}, ${said}`)
  }
  w.run('UPDATE shifts SET closed_at = ?, closed_by = ? WHERE id = ?', [w.at, w.actor.operatorName, shiftId])
  w.audit({
    kind: 'shift.closed',
    field: 'shift',
    from: String(shiftId),
    description: `Shift ${shiftId} of ${row.operator_name} closed${byOther ? ` by ${w.actor.operatorName}` : ''} (${shift.payments} cash ${shift.payments === 1 ? 'payment' : 'payments'}, ${shift.refunds} ${shift.refunds === 1 ? 'refund' : 'refunds'}). ${lines.join('; ')}.`,
    source: { kind: 'shift', id: shiftId }
  })
  return getShift(w, shiftId)
}

/**
 * The shift that cash taken now by `operatorId` goes on (their open shift), or null: an
 * administrator without a shift takes cash on none. A cashier without one is refused, before
 * anything is written.
 */
export function cashShiftFor(r: DbReader, operatorId: number, operation: AdjustmentOperation): number | null {
  if (CASH_DIRECTION[operation] === undefined) return null
  const open = openShiftRow(r, operatorId)
  if (open) return open.id
  if (roleOf(r, operatorId) === 'cashier') {
    throw new AppError('VALIDATION', 'Cash is taken on an open shift: open your shift (Shifts page, with the float counted) before taking cash.', 'operation')
  }
  return null
}

/** Link a ledger record's cash to the shift, in the same unit of work as the record. */
export function recordShiftCash(w: Work, shiftId: number, xdrId: number, operation: AdjustmentOperation, currency: string, amountMinor: number): void {
  const direction = CASH_DIRECTION[operation]
  if (direction === undefined) return
  w.run('INSERT INTO shift_cash (xdr_id, shift_id, currency, amount_minor) VALUES (?, ?, ?, ?)', [xdrId, shiftId, currency, direction * amountMinor])
}

/** Who may see a shift: administrators and auditors any; an operator their own. */
function checkViewer(shift: Pick<Shift, 'id' | 'operatorId'>, viewer: Pick<Operator, 'id' | 'role'>): void {
  if (viewer.role === 'administrator' || viewer.role === 'auditor' || viewer.id === shift.operatorId) return
  throw new AppError('FORBIDDEN', `Shift ${shift.id} is another operator's: you can see only your own shifts.`, 'shiftId')
}

export function shiftReport(r: DbReader, shiftId: number, viewer: Pick<Operator, 'id' | 'role'>, nowIso: string): ShiftReportDocument {
  const shift = getShift(r, shiftId)
  checkViewer(shift, viewer)
  const settings = getSettings(r)
  return {
    company: { name: settings?.companyName ?? 'Callshop billing desk', address: settings?.address ?? '', logo: getCompanyLogo(r) },
    shift,
    printedAt: nowIso
  }
}

export interface ShiftFilter {
  /** Shifts opened on or after this day (YYYY-MM-DD, UTC). */
  from?: string | undefined
  /** Shifts opened on or before this day. */
  to?: string | undefined
  status: 'all' | 'open' | 'closed'
  /** Only shifts closed with a difference in some currency. */
  withDifference: boolean
}

function filtered(r: DbReader, f: ShiftFilter): ShiftRow[] {
  const where: string[] = []
  const params: string[] = []
  if (f.from) {
    where.push('opened_at >= ?')
    params.push(`${f.from}T00:00:00.000Z`)
  }
  if (f.to) {
    where.push("opened_at < strftime('%Y-%m-%dT00:00:00.000Z', ?, '+1 day')")
    params.push(f.to)
  }
  if (f.status === 'open') where.push('closed_at IS NULL')
  if (f.status === 'closed') where.push('closed_at IS NOT NULL')
  if (f.withDifference) where.push('id IN (SELECT shift_id FROM shift_currencies WHERE counted_minor <> expected_minor)')
  return r.all<ShiftRow>(`SELECT ${SHIFT_COLUMNS} FROM shifts ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY opened_at DESC, id DESC`, params)
}

/** Every operator's shifts, newest first, with their differences (administrators and auditors). */
export function listShifts(r: DbReader, f: ShiftFilter & { offset: number; limit: number }): ShiftListResult {
  const rows = filtered(r, f)
  return { rows: toShifts(r, rows.slice(f.offset, f.offset + f.limit)), total: rows.length }
}

const CSV_FIELDS = [
  'shift',
  'operator',
  'opened_at',
  'closed_at',
  'closed_by',
  'currency',
  'float',
  'cash_in',
  'cash_out',
  'expected',
  'counted',
  'difference',
  'payments',
  'refunds'
]

/** The filtered shifts as CSV, one row per shift and currency, amounts exact in their currency. */
export function exportShiftsCsv(r: DbReader, f: ShiftFilter, nowIso: string): { fileName: string; csv: string; rows: number } {
  const shifts = toShifts(r, filtered(r, f))
  const amount = (m: number | null, cur: string) => (m === null ? '' : formatMinor(m, cur, { grouping: false }))
  const data = shifts.flatMap((s) =>
    (s.currencies.length > 0 ? s.currencies : [null]).map((c) => [
      s.id,
      s.operatorName,
      s.openedAt,
      s.closedAt ?? '',
      s.closedBy ?? '',
      c?.currency ?? '',
      c ? amount(c.floatMinor, c.currency) : '',
      c ? amount(c.cashInMinor, c.currency) : '',
      c ? amount(c.cashOutMinor, c.currency) : '',
      c ? amount(c.expectedMinor, c.currency) : '',
      c ? amount(c.countedMinor, c.currency) : '',
      c ? amount(c.differenceMinor, c.currency) : '',
      s.payments,
      s.refunds
    ])
  )
  return { fileName: `shifts-${nowIso.slice(0, 10)}.csv`, csv: csvChunk(CSV_FIELDS, data), rows: data.length }
}
