import { usageFilterFields, type InputOf } from '../../../src-shared/contract'
import { isCalendarDate } from '../../../src-shared/contract'

/**
 * The usage browser's filters live in its address (`#/usage?customer=12&from=2026-03-01&to=2026-03-31&dest=%2B44`,
 * and the same parameters on a customer's Usage tab), so a reload, Back and a link from the
 * Balance & credits tab show the same records. Dates are whole UTC days, `to` included (the
 * engine's months and times are UTC). A parameter the contract would reject is left out.
 */
export interface UsageView {
  customerId?: number
  account?: string
  /** YYYY-MM-DD, UTC, first day shown. */
  from?: string
  /** YYYY-MM-DD, UTC, last day shown. */
  to?: string
  serviceId?: number
  rating?: 'rated' | 'unrated'
  unratedReason?: InputOf<'usage.totals'>['unratedReason']
  destination?: string
  includeTransactions?: boolean
}

const PARAM = {
  customerId: 'customer',
  account: 'account',
  from: 'from',
  to: 'to',
  serviceId: 'service',
  rating: 'rating',
  unratedReason: 'reason',
  destination: 'dest',
  includeTransactions: 'money'
} as const

const positiveId = (raw: string | null) => (raw && /^\d{1,15}$/.test(raw) && Number(raw) > 0 ? Number(raw) : undefined)
const valid = <K extends keyof typeof usageFilterFields>(key: K, raw: unknown) => usageFilterFields[key].safeParse(raw).success

export function parseUsageView(params: URLSearchParams): UsageView {
  const v: UsageView = {}
  const get = (k: keyof typeof PARAM) => params.get(PARAM[k])
  const customerId = positiveId(get('customerId'))
  if (customerId) v.customerId = customerId
  const account = get('account')?.trim()
  if (account && valid('account', account)) v.account = account
  const from = get('from')
  if (from && isCalendarDate(from)) v.from = from
  const to = get('to')
  if (to && isCalendarDate(to)) v.to = to
  const serviceId = positiveId(get('serviceId'))
  if (serviceId) v.serviceId = serviceId
  const rating = get('rating')
  if (rating === 'rated' || rating === 'unrated') v.rating = rating
  const reason = get('unratedReason')
  if (reason && valid('unratedReason', reason)) {
    v.unratedReason = reason as UsageView['unratedReason']
    v.rating = 'unrated'
  }
  const dest = get('destination')?.trim()
  if (dest && valid('destination', dest)) v.destination = dest
  if (get('includeTransactions') === '1') v.includeTransactions = true
  return v
}

/** The view's parameters, without the ones not set (and without the customer on its own tab). */
export function usageSearch(view: UsageView, opts: { withoutCustomer?: boolean } = {}): string {
  const p = new URLSearchParams()
  if (view.customerId !== undefined && !opts.withoutCustomer) p.set(PARAM.customerId, String(view.customerId))
  if (view.account) p.set(PARAM.account, view.account)
  if (view.from) p.set(PARAM.from, view.from)
  if (view.to) p.set(PARAM.to, view.to)
  if (view.serviceId !== undefined) p.set(PARAM.serviceId, String(view.serviceId))
  if (view.rating) p.set(PARAM.rating, view.rating)
  if (view.unratedReason) p.set(PARAM.unratedReason, view.unratedReason)
  if (view.destination) p.set(PARAM.destination, view.destination)
  if (view.includeTransactions) p.set(PARAM.includeTransactions, '1')
  return p.toString()
}

/** The day after a YYYY-MM-DD date, as YYYY-MM-DD (calendar arithmetic in UTC). */
function nextDay(date: string): string {
  const t = Date.parse(`${date}T00:00:00Z`) + 86_400_000
  return new Date(t).toISOString().slice(0, 10)
}

/** The filter the engine takes: whole UTC days become instants, `to` exclusive. */
export function usageFilterOf(view: UsageView): InputOf<'usage.totals'> {
  const f: InputOf<'usage.totals'> = { includeTransactions: view.includeTransactions ?? false }
  if (view.customerId !== undefined) f.customerId = view.customerId
  if (view.account) f.account = view.account
  if (view.from) f.from = `${view.from}T00:00:00Z`
  if (view.to) f.to = `${nextDay(view.to)}T00:00:00Z`
  if (view.serviceId !== undefined) f.serviceId = view.serviceId
  if (view.rating) f.rating = view.rating
  if (view.unratedReason) f.unratedReason = view.unratedReason
  if (view.destination) f.destination = view.destination
  return f
}

/** A calendar month (YYYY-MM) as the view's first and last day. */
export function monthPeriod(month: string): { from: string; to: string } {
  const [y, m] = month.split('-').map(Number) as [number, number]
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate()
  return { from: `${month}-01`, to: `${month}-${String(last).padStart(2, '0')}` }
}
