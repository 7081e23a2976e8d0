import { localDate } from '../../src-shared/format'
import type { InvoiceStatus } from '../../src-shared/domain'
import { INVOICE_STATUS_LABEL } from '../../src-shared/labels'
import { addDaysToDate } from './invoicing'
import { applyColumns, applyOverdueSuspension, pickColumns, SELECT_LIFECYCLE, toLoaded, type StoredLifecycle } from './lifecycle'
import type { Work } from './unitOfWork'

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

// ---------------------------------------------------------------------------------------------
// Invoices (issue 10): the timed Overdue transition and the overdue-invoice suspension rule.

const OVERDUE_UNIT = 500

/**
 * Open and partially paid invoices with money due become Overdue the day after their due date;
 * a customer whose class suspends on overdue invoices is suspended once the grace days have
 * passed too. Catches up after any gap; returns how many changes it made. One unit of work.
 */
export function runInvoiceTransitions(w: Work): number {
  const today = localDate(w.at)
  const due = w.all<{ id: number; number: string; customer_id: number; due_date: string; status: InvoiceStatus }>(
    `SELECT id, number, customer_id, due_date, status FROM invoices
     WHERE status IN ('open', 'partially-paid') AND amount_due_minor > 0 AND due_date < ? ORDER BY id LIMIT ${OVERDUE_UNIT}`,
    [today]
  )
  for (const i of due) {
    const since = addDaysToDate(i.due_date, 1)
    w.run("UPDATE invoices SET status = 'overdue', overdue_since = ? WHERE id = ?", [since, i.id])
    w.audit({
      kind: 'invoice.status',
      customerId: i.customer_id,
      field: 'status',
      from: i.status,
      to: 'overdue',
      description: `Invoice ${i.number} status changed from ${INVOICE_STATUS_LABEL[i.status]} to Overdue (due ${i.due_date}, not paid in full).`,
      source: { kind: 'invoice', id: i.id }
    })
  }
  let changes = due.length
  const toSuspend = w.all<{ customer_id: number; number: string; due_date: string; grace: number }>(
    `SELECT i.customer_id, i.number, i.due_date, k.suspension_grace_days AS grace
     FROM invoices i JOIN customers c ON c.id = i.customer_id JOIN customer_classes k ON k.id = c.class_id
     WHERE i.status = 'overdue' AND k.suspend_on_overdue = 1 AND c.suspended = 0 ORDER BY i.due_date, i.id`
  )
  const done = new Set<number>()
  for (const s of toSuspend) {
    if (done.has(s.customer_id) || addDaysToDate(s.due_date, s.grace) >= today) continue
    done.add(s.customer_id)
    const note = `Invoice ${s.number} overdue (due ${s.due_date}${s.grace > 0 ? `, ${s.grace} grace days` : ''})`
    if (applyOverdueSuspension(w, s.customer_id, true, note)) changes++
  }
  return changes
}
