import { STATUS_LABEL } from '../../src-shared/labels'
import type { ParsedInputOf } from '../../src-shared/contract'
import { type CustomerStatus, DEFAULT_REACTIVATION_DAYS, type StatusHistoryEntry } from '../../src-shared/domain'
import type { DbReader } from '../db/store'
import { AppError } from '../../src-shared/errors'
import { formatDateTime, formatLastDay, localDate } from '../../src-shared/format'
import { describeValueChange } from './audit'
import type { StoredClass } from './customerClasses'
import type { StoredCustomer } from './customers'
import { addLocalDays, checkedDate, endOfLocalDay } from './calendar'
import { effectiveStatus, refusalReason, type LifecycleColumns, type LifecycleState } from './lifecycleRules'
import type { Work } from './unitOfWork'

/**
 * Changing a customer's life cycle (docs/customer-lifecycle.md): the Change status dialog and the
 * overdue-invoice rule. The rules are in lifecycleRules.ts, the timed transitions in
 * lifecycleScheduler.ts.
 */

/** The last local day a lift covers: its end instant minus a moment. */
const liftLastDay = formatLastDay

// ---------------------------------------------------------------------------------------------
// Writing a change: columns, effective status, history and audit — one commit (the caller's).

/** The customer's life-cycle columns and its class's reactivation period (null: no class). */
export type StoredLifecycle = Pick<
  StoredCustomer,
  | 'id'
  | 'customer_id'
  | 'status'
  | 'created_at'
  | 'lifecycle'
  | 'blocked'
  | 'suspended'
  | 'suspension_lifted_until'
  | 'provisionally_terminated_at'
  | 'reactivation_deadline'
  | 'terminated_at'
> & { reactivation_days: StoredClass['reactivation_days'] | null }

interface LoadedCustomer extends LifecycleColumns {
  id: number
  customerId: string
  status: CustomerStatus
  createdAt: string
  reactivationDays: number
}

export const SELECT_LIFECYCLE = `SELECT c.id, c.customer_id, c.status, c.created_at, c.lifecycle, c.blocked, c.suspended,
  c.suspension_lifted_until, c.provisionally_terminated_at, c.reactivation_deadline, c.terminated_at, k.reactivation_days
  FROM customers c LEFT JOIN customer_classes k ON k.id = c.class_id`

export function toLoaded(c: StoredLifecycle): LoadedCustomer {
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

export function pickColumns(c: LoadedCustomer): LifecycleColumns {
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
export function applyColumns(w: Work, c: LoadedCustomer, next: LifecycleColumns, note: string, auditNote = note): boolean {
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

/**
 * Apply an administrator's status action (already validated against the channel schema): check
 * the life-cycle rules, update the columns, and record the status change, all in `w`.
 * `issueFinalInvoice` is invoicing's issueInvoicesToNow (passed in: invoicing settles payments,
 * which may end an overdue suspension here, so this module does not import it).
 */
export function changeStatus(w: Work, input: ParsedInputOf<'customers.changeStatus'>, issueFinalInvoice: (w: Work, customerRowId: number) => number): void {
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
      const date = input.terminationDate ?? today
      checkedDate(date, 'terminationDate', 'Permanent termination date')
      if (date > today) {
        throw new AppError('VALIDATION', `The termination date cannot be later than today (${today}): permanent termination takes effect now.`, 'terminationDate')
      }
      const created = Number.isNaN(Date.parse(c.createdAt)) ? null : localDate(c.createdAt)
      if (created !== null && date < created) {
        throw new AppError('VALIDATION', `The termination date cannot be before the customer was created (${created}).`, 'terminationDate')
      }
      // The final invoice first (while the customer is still billed), in the same commit.
      if (input.issuePartialInvoice && issueFinalInvoice(w, c.id) > 0) details.push('invoice issued for the partial period')
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
// The overdue-invoice rule.

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

// ---------------------------------------------------------------------------------------------
// Status history (this module writes it).

/** A row of customer_status_history. */
export interface StoredStatusChange {
  id: number
  customer_id: number
  at: string
  from_status: CustomerStatus | null
  to_status: CustomerStatus
  note: string
  operator_name: string
}

export function toStatusHistoryEntry(h: Pick<StoredStatusChange, 'at' | 'from_status' | 'to_status' | 'note' | 'operator_name'>): StatusHistoryEntry {
  return { at: h.at, fromStatus: h.from_status, toStatus: h.to_status, note: h.note, operatorName: h.operator_name }
}

/** A customer's status changes, newest first. */
export function statusHistoryOf(r: DbReader, customerRowId: number): StatusHistoryEntry[] {
  return r
    .all<Pick<StoredStatusChange, 'at' | 'from_status' | 'to_status' | 'note' | 'operator_name'>>(
      'SELECT at, from_status, to_status, note, operator_name FROM customer_status_history WHERE customer_id = ? ORDER BY id DESC',
      [customerRowId]
    )
    .map(toStatusHistoryEntry)
}
