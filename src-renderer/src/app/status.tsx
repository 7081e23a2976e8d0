import { createContext, useContext } from 'react'
import type { AppStatus } from '../../../src-shared/domain'

/** The last `app.status` answer, shared with every screen (server state, not zustand). */
export interface StatusContextValue {
  status: AppStatus
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
