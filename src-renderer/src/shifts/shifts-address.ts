import { type InputOf, isCalendarDate } from '../../../src-shared/contract'

/**
 * The All shifts list's filters and page live in the address, like the other lists', so a reload,
 * Back and a pasted link show the same:
 *   #/shifts?status=closed&diff=1&from=2026-11-01&to=2026-11-30&page=2
 * A value the contract would reject is left out.
 */
export interface ShiftsView {
  status?: 'open' | 'closed'
  /** Only shifts closed with a difference. */
  withDifference?: boolean
  /** Shifts opened on or after this day, and on or before `to` (UTC days). */
  from?: string
  to?: string
  /** 0-based page of the list. */
  page?: number
}

const PARAM: Record<keyof ShiftsView, string> = { status: 'status', withDifference: 'diff', from: 'from', to: 'to', page: 'page' }

export function parseShiftsView(params: URLSearchParams): ShiftsView {
  const v: ShiftsView = {}
  const status = params.get(PARAM.status)
  if (status === 'open' || status === 'closed') v.status = status
  if (params.get(PARAM.withDifference) === '1') v.withDifference = true
  for (const k of ['from', 'to'] as const) {
    const d = params.get(PARAM[k])
    if (d && isCalendarDate(d)) v[k] = d
  }
  const page = params.get(PARAM.page)
  if (page && /^\d{1,9}$/.test(page) && Number(page) > 0) v.page = Number(page)
  return v
}

/** `params` with the view's parameters replaced by `view` (other parameters are kept). */
export function withShiftsView(params: URLSearchParams, view: ShiftsView): URLSearchParams {
  const next = new URLSearchParams(params)
  for (const k of Object.keys(PARAM) as (keyof ShiftsView)[]) {
    const value = view[k]
    if (value === undefined || value === false || value === '' || value === 0) next.delete(PARAM[k])
    else next.set(PARAM[k], value === true ? '1' : String(value))
  }
  return next
}

/** The engine's filter for a view (no page): the list and the CSV export take the same. */
export function shiftFilterOf(view: ShiftsView): InputOf<'shifts.export'> {
  return {
    status: view.status ?? 'all',
    withDifference: view.withDifference ?? false,
    ...(view.from ? { from: view.from } : {}),
    ...(view.to ? { to: view.to } : {})
  }
}
