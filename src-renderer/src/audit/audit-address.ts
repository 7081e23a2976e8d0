import { auditFilterFields, isCalendarDate, type InputOf } from '../../../src-shared/contract'

/**
 * The audit log's filters live in its address (`#/audit?from=2026-10-01&to=2026-10-31&customer=12&kind=invoice.status&operator=1&q=overdue`,
 * and the same parameters but the customer on a customer's Audit log tab), so a reload, Back and
 * a link show the same entries; each change of filter is a step in the history. Dates are whole
 * UTC days, `to` included. A parameter the contract would reject is left out.
 */
export interface AuditView {
  /** YYYY-MM-DD, UTC, first day shown. */
  from?: string
  /** YYYY-MM-DD, UTC, last day shown. */
  to?: string
  customerId?: number
  kind?: string
  operatorId?: number
  text?: string
}

const PARAM = { from: 'from', to: 'to', customerId: 'customer', kind: 'kind', operatorId: 'operator', text: 'q' } as const

const positiveId = (raw: string | null) => (raw && /^\d{1,15}$/.test(raw) && Number(raw) > 0 ? Number(raw) : undefined)

export function parseAuditView(params: URLSearchParams): AuditView {
  const v: AuditView = {}
  const from = params.get(PARAM.from)
  if (from && isCalendarDate(from)) v.from = from
  const to = params.get(PARAM.to)
  if (to && isCalendarDate(to)) v.to = to
  const customerId = positiveId(params.get(PARAM.customerId))
  if (customerId) v.customerId = customerId
  const kind = params.get(PARAM.kind)?.trim()
  if (kind && auditFilterFields.kind.safeParse(kind).success) v.kind = kind
  const operatorId = positiveId(params.get(PARAM.operatorId))
  if (operatorId) v.operatorId = operatorId
  const text = params.get(PARAM.text)?.trim()
  if (text && auditFilterFields.text.safeParse(text).success) v.text = text
  return v
}

/** The view's parameters, without the ones not set (and without the customer on its own tab). */
export function auditSearch(view: AuditView, opts: { withoutCustomer?: boolean } = {}): string {
  const p = new URLSearchParams()
  if (view.from) p.set(PARAM.from, view.from)
  if (view.to) p.set(PARAM.to, view.to)
  if (view.customerId !== undefined && !opts.withoutCustomer) p.set(PARAM.customerId, String(view.customerId))
  if (view.kind) p.set(PARAM.kind, view.kind)
  if (view.operatorId !== undefined) p.set(PARAM.operatorId, String(view.operatorId))
  if (view.text) p.set(PARAM.text, view.text)
  return p.toString()
}

/** The day after a YYYY-MM-DD date, as YYYY-MM-DD (calendar arithmetic in UTC). */
function nextDay(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10)
}

/** The filter the engine takes: whole UTC days become instants, `to` exclusive. */
export function auditFilterOf(view: AuditView): Omit<InputOf<'audit.search'>, 'limit' | 'beforeId'> {
  const f: Omit<InputOf<'audit.search'>, 'limit' | 'beforeId'> = {}
  if (view.from) f.from = `${view.from}T00:00:00Z`
  if (view.to) f.to = `${nextDay(view.to)}T00:00:00Z`
  if (view.customerId !== undefined) f.customerId = view.customerId
  if (view.kind) f.kind = view.kind
  if (view.operatorId !== undefined) f.operatorId = view.operatorId
  if (view.text) f.text = view.text
  return f
}
