import { STATUS_LABEL } from '../../src-shared/labels'
import type { CustomerStatus, StatusAction } from '../../src-shared/domain'
import { formatDateTime } from '../../src-shared/format'

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
