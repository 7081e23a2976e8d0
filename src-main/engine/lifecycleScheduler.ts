import { localDate } from '../../src-shared/format'
import { applyColumns, pickColumns, SELECT_LIFECYCLE, toLoaded, type StoredLifecycle } from './lifecycle'
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
