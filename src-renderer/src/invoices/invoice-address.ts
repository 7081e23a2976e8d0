import { type InputOf, isCalendarDate } from '../../../src-shared/contract'
import { INVOICE_STATUSES, type InvoiceStatus } from '../../../src-shared/domain'

/**
 * The invoice list's filters, page and open invoice live in the address, so a reload, Back and a
 * pasted link show the same:
 *   #/invoices?status=overdue&customer=12&from=2026-11-01&to=2026-12-01&issuedFrom=2026-12-01&issuedTo=2026-12-31&overdue=1&page=2&invoice=5
 * A customer's Invoices & taxation tab keeps its own under the `inv.` prefix
 * (`#/customers/12/invoices?inv.status=paid&inv.invoice=5`), so they never mix with the page's or
 * with the customer screen's other parameters. A value the contract would reject is left out.
 */
export interface InvoiceListView {
  status?: InvoiceStatus
  customerId?: number
  /** Billing period overlapping [periodFrom, periodTo): local dates. */
  periodFrom?: string
  periodTo?: string
  /** Issue date range, both included: local dates. */
  issuedFrom?: string
  issuedTo?: string
  /** Only customers that have an overdue invoice. */
  overdue?: boolean
  /** 0-based page of the list. */
  page?: number
  /** The invoice open in the drawer. */
  invoice?: number
}

const PARAM: Record<keyof InvoiceListView, string> = {
  status: 'status',
  customerId: 'customer',
  periodFrom: 'from',
  periodTo: 'to',
  issuedFrom: 'issuedFrom',
  issuedTo: 'issuedTo',
  overdue: 'overdue',
  page: 'page',
  invoice: 'invoice'
}

/** The prefix of the customer tab's parameters. */
export const CUSTOMER_TAB_PREFIX = 'inv.'

const positive = (raw: string | null) => (raw && /^\d{1,15}$/.test(raw) && Number(raw) > 0 ? Number(raw) : undefined)

export function parseInvoiceView(params: URLSearchParams, prefix = ''): InvoiceListView {
  const get = (k: keyof InvoiceListView) => params.get(prefix + PARAM[k])
  const v: InvoiceListView = {}
  const status = get('status')
  if (status && (INVOICE_STATUSES as readonly string[]).includes(status)) v.status = status as InvoiceStatus
  const customerId = positive(get('customerId'))
  if (customerId) v.customerId = customerId
  for (const k of ['periodFrom', 'periodTo', 'issuedFrom', 'issuedTo'] as const) {
    const d = get(k)
    if (d && isCalendarDate(d)) v[k] = d
  }
  if (get('overdue') === '1') v.overdue = true
  const page = positive(get('page'))
  if (page) v.page = page
  const invoice = positive(get('invoice'))
  if (invoice) v.invoice = invoice
  return v
}

/** `params` with the view's own parameters replaced by `view` (other parameters are kept). */
export function withInvoiceView(params: URLSearchParams, view: InvoiceListView, prefix = ''): URLSearchParams {
  const next = new URLSearchParams(params)
  for (const k of Object.keys(PARAM) as (keyof InvoiceListView)[]) {
    const value = view[k]
    if (value === undefined || value === false || value === '' || (k === 'page' && value === 0)) next.delete(prefix + PARAM[k])
    else next.set(prefix + PARAM[k], value === true ? '1' : String(value))
  }
  return next
}

/** The engine's filter for a view (no page): the list, its totals and the CSV export take the same. */
export function invoiceFilterOf(view: InvoiceListView): Omit<InputOf<'invoices.list'>, 'offset' | 'limit'> {
  const f: Omit<InputOf<'invoices.list'>, 'offset' | 'limit'> = {}
  if (view.status) f.status = view.status
  if (view.customerId !== undefined) f.customerId = view.customerId
  if (view.periodFrom) f.periodFrom = view.periodFrom
  if (view.periodTo) f.periodTo = view.periodTo
  if (view.issuedFrom) f.issuedFrom = view.issuedFrom
  if (view.issuedTo) f.issuedTo = view.issuedTo
  if (view.overdue) f.overdue = true
  return f
}
