import { STATUS_LABEL } from '../../src-shared/labels'
import type { ParsedInputOf } from '../../src-shared/contract'
import type { CustomerStatus, StatusAction } from '../../src-shared/domain'
import { AppError } from '../../src-shared/errors'
import { formatDateTime, formatLastDay } from '../../src-shared/format'
import { describeValueChange } from './audit'
import type { Work } from './unitOfWork'

/**
 * The customer life cycle (see docs/customer-lifecycle.md). The stored `status` column is the
 * effective status shown everywhere; it is derived from the columns below by priority and is
 * rewritten, with a history line and audit entries, in the same commit as any change to them.
 */

/** The columns the effective status is derived from. */
export interface LifecycleState {
  lifecycle: 'active' | 'provisionally-terminated' | 'permanently-terminated' | 'exported'
  blocked: boolean
  suspended: boolean
  suspensionLiftedUntil: string | null
}

/** Every life-cycle column of a customer. */
export interface LifecycleColumns extends LifecycleState {
  provisionallyTerminatedAt: string | null
  reactivationDeadline: string | null
  /** Permanent termination date (a calendar date, YYYY-MM-DD). */
  terminatedAt: string | null
}

/** Reactivation period after a provisional termination when the customer has no class. */
export const DEFAULT_REACTIVATION_DAYS = 30

/**
 * The status shown for a customer when several apply: terminated (or exported) > blocked >
 * suspended > active. A suspension lifted by an administrator does not count until the lift ends.
 */
export function effectiveStatus(s: LifecycleState, nowIso: string): CustomerStatus {
  if (s.lifecycle !== 'active') return s.lifecycle
  if (s.blocked) return 'blocked'
  if (s.suspended && !isLiftInForce(s, nowIso)) return 'suspended'
  return 'active'
}

function isLiftInForce(s: Pick<LifecycleState, 'suspensionLiftedUntil'>, nowIso: string): boolean {
  return s.suspensionLiftedUntil !== null && s.suspensionLiftedUntil > nowIso
}

// ---------------------------------------------------------------------------------------------
// Calendar dates. A date the person picks ("lift until 2026-12-01", "terminated on 2026-11-30")
// is a day in the office's local time zone, the machine's; instants are stored as UTC ISO text,
// which compares correctly as text.

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/
const pad = (n: number, w = 2) => String(n).padStart(w, '0')

/** The local calendar date of an instant: "2026-11-21T23:30:00Z" -> "2026-11-22" in Warsaw. */
export function localDate(iso: string): string {
  const d = new Date(iso)
  return `${pad(d.getFullYear(), 4)}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`
}

/** A real calendar date as local midnight, or null ("2026-02-30" is not a date). */
function parseLocalDate(date: string): Date | null {
  const m = DATE_RE.exec(date)
  if (!m) return null
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const dt = new Date(y, mo - 1, d)
  return dt.getFullYear() === y && dt.getMonth() === mo - 1 && dt.getDate() === d ? dt : null
}

/** The instant a local calendar day ends (the next local midnight), as UTC ISO. */
export function endOfLocalDay(date: string): string {
  const dt = parseLocalDate(date)
  if (!dt) throw new AppError('INTERNAL', `"${date}" is not a calendar date.`)
  dt.setDate(dt.getDate() + 1)
  return dt.toISOString()
}

/** `days` calendar days after an instant, at the same local time of day (safe across DST). */
export function addLocalDays(iso: string, days: number): string {
  const dt = new Date(iso)
  dt.setDate(dt.getDate() + days)
  return dt.toISOString()
}

/** The last local day a lift covers: its end instant minus a moment. */
const liftLastDay = formatLastDay

// ---------------------------------------------------------------------------------------------
// Rules: which action is allowed from which state, and why not.

export const STATUS_ACTIONS: readonly StatusAction[] = [
  'block',
  'unblock',
  'lift-suspension',
  'provisionally-terminate',
  'reactivate',
  'permanently-terminate',
  'export',
  'clear-export'
]

const SUSPENSION_IS_AUTOMATIC = 'Suspended is set by the overdue-invoice rule and cannot be cleared by hand; lift it until a date instead.'

/** Why `action` is not allowed from state `s` at `nowIso`, or null when it is. */
export function refusalReason(s: LifecycleState & { reactivationDeadline: string | null }, action: StatusAction, nowIso: string): string | null {
  if (s.lifecycle === 'permanently-terminated') return 'Permanently terminated customers cannot change status.'
  const inactive = s.lifecycle !== 'active' ? STATUS_LABEL[s.lifecycle] : null
  switch (action) {
    case 'block':
      if (inactive) return `A customer who is ${inactive.toLowerCase()} cannot be blocked.`
      return s.blocked ? 'The customer is already blocked.' : null
    case 'unblock':
      // An exported customer accepts no change until the mark is cleared (the block comes back then).
      if (s.lifecycle === 'exported') return 'An exported customer accepts no changes until the export mark is cleared; clear the export first.'
      if (s.blocked) return null
      return s.suspended ? `The customer is not blocked. ${SUSPENSION_IS_AUTOMATIC}` : 'The customer is not blocked.'
    case 'lift-suspension':
      if (!s.suspended) return "Only a suspended customer's suspension can be lifted; this customer is not suspended."
      if (inactive) return `A customer who is ${inactive.toLowerCase()} has no services to resume; the suspension cannot be lifted.`
      return null
    case 'provisionally-terminate':
      if (inactive) return `A customer who is ${inactive.toLowerCase()} cannot be provisionally terminated.`
      return null
    case 'reactivate':
      if (s.lifecycle !== 'provisionally-terminated') return 'Only a provisionally terminated customer can be reactivated.'
      if (s.reactivationDeadline !== null && s.reactivationDeadline <= nowIso) {
        return `The reactivation period ended on ${formatDateTime(s.reactivationDeadline)}; the customer can no longer be reactivated.`
      }
      return null
    case 'permanently-terminate':
      if (s.lifecycle === 'exported') return 'An exported customer cannot be terminated; clear the export first.'
      return null
    case 'export':
      if (inactive) return `A customer who is ${inactive.toLowerCase()} cannot be exported.`
      return null
    case 'clear-export':
      return s.lifecycle === 'exported' ? null : 'The customer is not exported.'
  }
}

/** The actions the life-cycle rules allow from the current state (what the status dialog offers). */
export function allowedActions(s: LifecycleState & { reactivationDeadline: string | null }, nowIso: string): StatusAction[] {
  return STATUS_ACTIONS.filter((a) => refusalReason(s, a, nowIso) === null)
}

// ---------------------------------------------------------------------------------------------
// Writing a change: columns, effective status, history and audit — one commit (the caller's).

interface StoredLifecycle {
  id: number
  customer_id: string
  status: CustomerStatus
  created_at: string
  lifecycle: LifecycleState['lifecycle']
  blocked: number
  suspended: number
  suspension_lifted_until: string | null
  provisionally_terminated_at: string | null
  reactivation_deadline: string | null
  terminated_at: string | null
  reactivation_days: number | null
}

interface LoadedCustomer extends LifecycleColumns {
  id: number
  customerId: string
  status: CustomerStatus
  createdAt: string
  reactivationDays: number
}

const SELECT_LIFECYCLE = `SELECT c.id, c.customer_id, c.status, c.created_at, c.lifecycle, c.blocked, c.suspended,
  c.suspension_lifted_until, c.provisionally_terminated_at, c.reactivation_deadline, c.terminated_at, k.reactivation_days
  FROM customers c LEFT JOIN customer_classes k ON k.id = c.class_id`

function toLoaded(c: StoredLifecycle): LoadedCustomer {
  return {
    id: c.id,
    customerId: c.customer_id,
    status: c.status,
    createdAt: c.created_at,
    lifecycle: c.lifecycle,
    blocked: c.blocked !== 0,
    suspended: c.suspended !== 0,
    suspensionLiftedUntil: c.suspension_lifted_until,
    provisionallyTerminatedAt: c.provisionally_terminated_at,
    reactivationDeadline: c.reactivation_deadline,
    terminatedAt: c.terminated_at,
    reactivationDays: c.reactivation_days ?? DEFAULT_REACTIVATION_DAYS
  }
}

function loadCustomer(w: Work, customerRowId: number): LoadedCustomer {
  const row = w.get<StoredLifecycle>(`${SELECT_LIFECYCLE} WHERE c.id = ?`, [customerRowId])
  if (!row) throw new AppError('NOT_FOUND', `Customer ${customerRowId} does not exist (it may have been removed); reload the list.`)
  return toLoaded(row)
}

const yesNo = (b: boolean) => (b ? 'Yes' : 'No')
const LIFECYCLE_LABEL: Record<LifecycleState['lifecycle'], string> = {
  active: 'Active',
  'provisionally-terminated': STATUS_LABEL['provisionally-terminated'],
  'permanently-terminated': STATUS_LABEL['permanently-terminated'],
  exported: STATUS_LABEL.exported
}

/** One audited column: its label and how its value reads to a person. */
const COLUMN_AUDIT: { [K in keyof LifecycleColumns]: { label: string; show: (v: LifecycleColumns[K]) => string | null } } = {
  lifecycle: { label: 'Life cycle', show: (v) => LIFECYCLE_LABEL[v] },
  blocked: { label: 'Blocked', show: yesNo },
  suspended: { label: 'Suspended (overdue invoice)', show: yesNo },
  suspensionLiftedUntil: { label: 'Suspension lifted until', show: (v) => (v === null ? null : `the end of ${liftLastDay(v)}`) },
  provisionallyTerminatedAt: { label: 'Provisionally terminated at', show: (v) => (v === null ? null : formatDateTime(v)) },
  reactivationDeadline: { label: 'Reactivation possible until', show: (v) => (v === null ? null : formatDateTime(v)) },
  terminatedAt: { label: 'Permanent termination date', show: (v) => v }
}

const COLUMN_ORDER: readonly (keyof LifecycleColumns)[] = [
  'lifecycle',
  'blocked',
  'suspended',
  'suspensionLiftedUntil',
  'provisionallyTerminatedAt',
  'reactivationDeadline',
  'terminatedAt'
]

function describeColumn(key: keyof LifecycleColumns, from: string | null, to: string | null): string {
  if (key === 'suspensionLiftedUntil') {
    if (to !== null) return `Suspension lifted until ${to}${from === null ? '' : ` (was until ${from})`}.`
    return `Suspension lift (until ${from ?? '—'}) removed.`
  }
  return describeValueChange(COLUMN_AUDIT[key].label, from, to)
}

function pickColumns(c: LoadedCustomer): LifecycleColumns {
  return {
    lifecycle: c.lifecycle,
    blocked: c.blocked,
    suspended: c.suspended,
    suspensionLiftedUntil: c.suspensionLiftedUntil,
    provisionallyTerminatedAt: c.provisionallyTerminatedAt,
    reactivationDeadline: c.reactivationDeadline,
    terminatedAt: c.terminatedAt
  }
}

const withNote = (sentence: string, note: string) => (note ? `${sentence.slice(0, -1)} — ${note}.` : sentence)

/**
 * Store `next` for customer `c`: every changed column gets its audit entry (from -> to, with
 * `auditNote`), then the effective status is recomputed and, when it changed, stored with a
 * history line and its own audit entry (with `note`). Returns whether anything changed.
 */
function applyColumns(w: Work, c: LoadedCustomer, next: LifecycleColumns, note: string, auditNote = note): boolean {
  const changed = COLUMN_ORDER.filter((k) => c[k] !== next[k])
  const to = effectiveStatus(next, w.at)
  if (changed.length === 0 && to === c.status) return false
  if (changed.length > 0) {
    w.run(
      `UPDATE customers SET lifecycle = ?, blocked = ?, suspended = ?, suspension_lifted_until = ?, provisionally_terminated_at = ?,
         reactivation_deadline = ?, terminated_at = ?, updated_at = ? WHERE id = ?`,
      [
        next.lifecycle,
        next.blocked ? 1 : 0,
        next.suspended ? 1 : 0,
        next.suspensionLiftedUntil,
        next.provisionallyTerminatedAt,
        next.reactivationDeadline,
        next.terminatedAt,
        w.at,
        c.id
      ]
    )
    for (const key of changed) {
      const show = COLUMN_AUDIT[key].show as (v: unknown) => string | null
      const from = show(c[key])
      const toShown = show(next[key])
      w.audit({ kind: 'customer.lifecycle', customerId: c.id, field: key, from, to: toShown, description: withNote(describeColumn(key, from, toShown), auditNote) })
    }
  }
  recordStatusChange(w, c.id, c.status, to, note)
  return true
}

/**
 * Store a new effective status with its history line and audit entry (same commit).
 * Does nothing when the status is unchanged.
 */
export function recordStatusChange(w: Work, customerRowId: number, from: CustomerStatus | null, to: CustomerStatus, note: string): void {
  if (from === to) return
  w.run('UPDATE customers SET status = ?, updated_at = ? WHERE id = ?', [to, w.at, customerRowId])
  w.run('INSERT INTO customer_status_history (customer_id, at, from_status, to_status, note, operator_name) VALUES (?, ?, ?, ?, ?, ?)', [
    customerRowId,
    w.at,
    from,
    to,
    note,
    w.actor.operatorName
  ])
  w.audit({
    kind: 'customer.status',
    customerId: customerRowId,
    field: 'status',
    from: from === null ? null : STATUS_LABEL[from],
    to: STATUS_LABEL[to],
    description:
      from === null
        ? `Status set to "${STATUS_LABEL[to]}"${note ? ` (${note})` : ''}.`
        : `${describeValueChange('Status', STATUS_LABEL[from], STATUS_LABEL[to]).slice(0, -1)}${note ? ` (${note})` : ''}.`
  })
}

// ---------------------------------------------------------------------------------------------
// The Change customer status dialog.

function checkedDate(text: string, field: string, label: string): Date {
  const dt = parseLocalDate(text)
  if (!dt) throw new AppError('VALIDATION', `${label}: "${text}" is not a calendar date.`, field)
  return dt
}

/**
 * Apply an administrator's status action (already validated against the channel schema): check
 * the life-cycle rules, update the columns, and record the status change, all in `w`.
 */
export function changeStatus(w: Work, input: ParsedInputOf<'customers.changeStatus'>): void {
  const c = loadCustomer(w, input.id)
  const why = refusalReason(c, input.action, w.at)
  if (why) throw new AppError('VALIDATION', why, 'action')
  const today = localDate(w.at)
  const next = pickColumns(c)
  const details: string[] = []
  switch (input.action) {
    case 'block':
      next.blocked = true
      break
    case 'unblock':
      next.blocked = false
      break
    case 'lift-suspension': {
      if (input.until === undefined) throw new AppError('VALIDATION', 'Choose the last day the suspension is lifted.', 'until')
      checkedDate(input.until, 'until', 'Lift the suspension until')
      if (input.until < today) throw new AppError('VALIDATION', `The lift must last until today (${today}) or later.`, 'until')
      next.suspensionLiftedUntil = endOfLocalDay(input.until)
      details.push(`suspension lifted until the end of ${input.until}`)
      break
    }
    case 'provisionally-terminate':
      next.lifecycle = 'provisionally-terminated'
      next.provisionallyTerminatedAt = w.at
      next.reactivationDeadline = addLocalDays(w.at, c.reactivationDays)
      details.push(`reactivation possible until ${formatDateTime(next.reactivationDeadline)}`)
      break
    case 'reactivate':
      next.lifecycle = 'active'
      next.provisionallyTerminatedAt = null
      next.reactivationDeadline = null
      break
    case 'permanently-terminate': {
      if (input.issuePartialInvoice) {
        throw new AppError('VALIDATION', 'Invoices for the partial period arrive with the invoicing feature; clear this option to terminate now.', 'issuePartialInvoice')
      }
      const date = input.terminationDate ?? today
      checkedDate(date, 'terminationDate', 'Permanent termination date')
      if (date > today) {
        throw new AppError('VALIDATION', `The termination date cannot be later than today (${today}): permanent termination takes effect now.`, 'terminationDate')
      }
      const created = Number.isNaN(Date.parse(c.createdAt)) ? null : localDate(c.createdAt)
      if (created !== null && date < created) {
        throw new AppError('VALIDATION', `The termination date cannot be before the customer was created (${created}).`, 'terminationDate')
      }
      next.lifecycle = 'permanently-terminated'
      next.terminatedAt = date
      details.push(`termination date ${date}`)
      break
    }
    case 'export':
      next.lifecycle = 'exported'
      break
    case 'clear-export':
      next.lifecycle = 'active'
      break
  }
  const note = [...details, input.note].filter((s) => s !== '').join('; ')
  // The history line carries the details; the column audit entries already state them.
  applyColumns(w, c, next, note, input.note)
}

// ---------------------------------------------------------------------------------------------
// Automatic changes: the overdue-invoice rule and the scheduler.

/**
 * The overdue-invoice rule's hook (called by invoicing): set or clear the automatic suspension.
 * Clearing it (the invoice was paid) also removes any lift date, as the source page says.
 * Returns whether anything changed; repeating the same call changes nothing.
 */
export function applyOverdueSuspension(w: Work, customerRowId: number, suspended: boolean, note: string): boolean {
  const c = loadCustomer(w, customerRowId)
  if (c.lifecycle === 'permanently-terminated') return false
  const next: LifecycleColumns = { ...pickColumns(c), suspended, suspensionLiftedUntil: suspended ? c.suspensionLiftedUntil : null }
  return applyColumns(w, c, next, note)
}

export const REACTIVATION_ENDED_NOTE = 'Reactivation period ended (automatic, by the scheduler)'
export const LIFT_ENDED_NOTE = 'Suspension lift ended (automatic, by the scheduler)'

/**
 * The timed transitions that are due at `w.at`, however long the app was closed:
 * (a) provisionally terminated customers whose reactivation period has ended become permanently
 *     terminated, dated the day the period ended;
 * (b) suspension lifts that have ended are removed, so a still-suspended customer is Suspended
 *     again.
 * Both read through partial indexes that hold only the rows concerned (migration 0003), so a
 * run with nothing due costs two empty index probes. Returns how many customers changed.
 */
export function runDueTransitions(w: Work): number {
  let changed = 0
  const dueTerminations = w.all<StoredLifecycle>(
    `${SELECT_LIFECYCLE} WHERE c.lifecycle = 'provisionally-terminated' AND c.reactivation_deadline <= ? ORDER BY c.reactivation_deadline, c.id`,
    [w.at]
  )
  for (const row of dueTerminations) {
    const c = toLoaded(row)
    const deadline = c.reactivationDeadline!
    if (applyColumns(w, c, { ...pickColumns(c), lifecycle: 'permanently-terminated', terminatedAt: localDate(deadline) }, REACTIVATION_ENDED_NOTE)) changed++
  }
  const endedLifts = w.all<StoredLifecycle>(
    `${SELECT_LIFECYCLE} WHERE c.suspension_lifted_until IS NOT NULL AND c.suspension_lifted_until <= ? ORDER BY c.suspension_lifted_until, c.id`,
    [w.at]
  )
  for (const row of endedLifts) {
    const c = toLoaded(row)
    if (applyColumns(w, c, { ...pickColumns(c), suspensionLiftedUntil: null }, LIFT_ENDED_NOTE)) changed++
  }
  return changed
}
