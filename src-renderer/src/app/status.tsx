import { createContext, useContext } from 'react'
import { contract, OPERATION_ROLES, type Channel } from '../../../src-shared/contract'
import type { AdjustmentOperation, AppStatus, Operator, Role } from '../../../src-shared/domain'

/**
 * The status as the working screens see it: someone is logged in (the login, setup and recovery
 * screens, shown while nobody is, read only the phase and the data folder).
 */
export type DeskStatus = Omit<AppStatus, 'operator'> & { operator: Operator }

/** The last `app.status` answer, shared with every screen (server state, not zustand). */
export interface StatusContextValue {
  status: DeskStatus
  /** Use a status a channel already returned (setup.complete, backup.restore). */
  replace: (status: AppStatus) => void
  refresh: () => void
}

export const StatusContext = createContext<StatusContextValue | null>(null)

export function useAppStatus(): StatusContextValue {
  const ctx = useContext(StatusContext)
  if (!ctx) throw new Error('useAppStatus outside StatusContext')
  return ctx
}

/**
 * Whether the logged-in operator's role may use `channel`, from the contract's roles (the same
 * table the main process enforces): screens hide what this says no to, the main process refuses it
 * regardless (docs/operators.md).
 */
export function useCan(): (channel: Channel) => boolean {
  const role = useAppStatus().status.operator.role
  return (channel) => (contract[channel].roles as readonly Role[]).includes(role)
}

/** The adjustment operations the logged-in operator may submit (OPERATION_ROLES). */
export function useAllowedOperation(): (op: AdjustmentOperation) => boolean {
  const role = useAppStatus().status.operator.role
  return (op) => OPERATION_ROLES[op].includes(role)
}
