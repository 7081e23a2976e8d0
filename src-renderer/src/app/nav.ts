import { useCallback, useEffect, useMemo, useRef } from 'react'
import { useLocation, useNavigate, useParams, useSearchParams, type Location } from 'react-router'
import type { TabId } from '../customers/form/form-model'
import { leaveWithoutAsking } from '../lib/leave-guard'
import { parseUsageView, usageSearch, type UsageView } from '../usage/usage-address'
import { auditSearch, parseAuditView, type AuditView } from '../audit/audit-address'
import type { PageId } from './ui-store'

/**
 * Every screen has an address (hash history: it works from file:// in the desktop app and
 * survives a reload in browser mode):
 *   #/customers[?q=&status=&…&sort=] the list, its search, filters and sort (list-address.ts)
 *   #/customers/new[/<tab>]          the new-customer form
 *   #/customers/<id>[/<tab>]         a customer and its tab
 *   ...?adjust=<id>&step=<step>      the balance adjustment wizard over the list or a customer
 *   #/usage[?customer=&account=&from=&to=&service=&rating=&reason=&dest=&money=1] the usage browser (usage-address.ts)
 *   #/customers/<id>/usage[?…]       a customer's usage: the same filters but the customer
 *   #/audit[?from=&to=&customer=&kind=&operator=&q=] the audit log (audit-address.ts)
 *   #/customers/<id>/audit[?…]       a customer's audit log: the same filters but the customer
 *   #/shifts[?status=&diff=1&from=&to=&page=] all shifts (shifts/shifts-address.ts)
 *   #/classes, #/settings, #/audit, #/invoices, #/rerating, #/reissue
 */

export const TABS: readonly TabId[] = ['address', 'balance', 'usage', 'invoices', 'lifecycle', 'accounts', 'notes', 'custom', 'pricelists', 'audit']

export const pagePath = (page: PageId) => `/${page}`

/**
 * The list's search, filters and sort as last shown, so "Customers" in the menu and "Back to
 * list" on a customer return to the list as it was left (Back does so through the history).
 */
let lastListSearch = ''
export function rememberListSearch(search: string) {
  lastListSearch = search
}
/** The customer list as last shown. */
export const listPath = () => `/customers${lastListSearch ? `?${lastListSearch}` : ''}`
/** A page of the menu; the customer list as last shown. */
export const menuPath = (page: PageId) => (page === 'customers' ? listPath() : pagePath(page))
export const customerPath = (id: number | 'new', tab?: TabId) => `/customers/${id}${tab && tab !== 'address' ? `/${tab}` : ''}`

/** The usage browser with these filters; with a customer, that customer's Usage tab when `onCustomerTab`. */
export function usagePath(view: UsageView, opts: { onCustomerTab?: boolean } = {}): string {
  if (opts.onCustomerTab && view.customerId !== undefined) {
    const search = usageSearch(view, { withoutCustomer: true })
    return `${customerPath(view.customerId, 'usage')}${search ? `?${search}` : ''}`
  }
  const search = usageSearch(view)
  return `/usage${search ? `?${search}` : ''}`
}

/**
 * A click shows its screen in the same frame, as before the router (no transition): the person
 * (and a test) sees the page the moment the click is done.
 */
const NOW = { flushSync: true } as const

/** `?a=1&status=active,blocked`: commas stay readable in the address (the list's statuses). */
const searchOf = (params: URLSearchParams) => {
  const text = params.toString().replace(/%2C/gi, ',')
  return text ? `?${text}` : ''
}

/** The customer form's tab, kept in the address: each tab is a Back step. */
export function useCustomerTab(): [TabId, (tab: TabId) => void] {
  const params = useParams()
  const navigate = useNavigate()
  const tab = TABS.find((t) => t === params.tab) ?? 'address'
  const id = params.id === undefined ? 'new' : Number(params.id)
  const setTab = useCallback((next: TabId) => void navigate(customerPath(id, next), NOW), [navigate, id])
  return [tab, setTab]
}

/** Going from one customer's page to the list, another customer or the new-customer form. */
export function useCustomerNav() {
  const navigate = useNavigate()
  return {
    list: useCallback(() => void navigate(listPath(), NOW), [navigate]),
    customer: useCallback((id: number) => void navigate(customerPath(id), NOW), [navigate]),
    /** After a save: the form has no unsaved changes any more, whatever its last render said. */
    customerAfterSave: useCallback(
      (id: number) => {
        leaveWithoutAsking()
        void navigate(customerPath(id), NOW)
      },
      [navigate]
    ),
    newCustomer: useCallback(() => void navigate(customerPath('new'), NOW), [navigate]),
    page: useCallback((page: PageId) => void navigate(menuPath(page), NOW), [navigate])
  }
}

// --- The balance adjustment wizard -------------------------------------------------------------

const STEPS = ['operation', 'details', 'summary', 'finish'] as const
export type WizardStep = 0 | 1 | 2 | 3

/** History entries the wizard pushed since it opened, so closing it goes back past all of them. */
interface WizardState {
  wizardDepth?: number
  /** The step of the entry before this one (so the wizard's Back button is the browser's Back). */
  prevStep?: WizardStep
}

const wizardState = (l: Location): WizardState => (l.state as WizardState | null) ?? {}

/** The wizard's navigations stay on its page and keep `adjust` in the query. */
export const staysInWizard = (next: Location, current: Location) => next.pathname === current.pathname && new URLSearchParams(next.search).has('adjust')

/** Which customer the wizard is open for on this screen (from the address), and how to open and close it. */
export function useAdjustmentRoute() {
  const [params] = useSearchParams()
  const location = useLocation()
  const navigate = useNavigate()
  const raw = Number(params.get('adjust'))
  const customerId = Number.isSafeInteger(raw) && raw > 0 ? raw : null

  // The page's own parameters (the list's filters) stay under the wizard.
  const open = useCallback(
    (id: number) => {
      const next = new URLSearchParams(location.search)
      next.set('adjust', String(id))
      next.set('step', STEPS[0])
      void navigate({ search: searchOf(next) }, { ...NOW, state: { wizardDepth: 1 } satisfies WizardState })
    },
    [navigate, location.search]
  )
  const close = useCallback(() => {
    leaveWithoutAsking()
    const depth = wizardState(location).wizardDepth ?? 0
    // Back to the entry the wizard was opened from; opened from a pasted or reloaded address:
    // replace it with the page under the wizard.
    if (depth > 0) void navigate(-depth)
    else {
      const rest = new URLSearchParams(location.search)
      rest.delete('adjust')
      rest.delete('step')
      void navigate({ pathname: location.pathname, search: searchOf(rest) }, { replace: true })
    }
  }, [location, navigate])
  return { customerId, open, close }
}

/**
 * The wizard's step, kept in the address: its Back/Continue are history steps, so the browser's
 * Back, Alt+Left and the mouse's back button move between steps. `reachable` is the furthest step
 * the wizard has what it needs for (after a reload it starts over at the operation type).
 * Going back from Finish leaves the wizard: a recorded adjustment is not walked back into.
 */
export function useWizardStep(reachable: WizardStep): [WizardStep, (step: WizardStep) => void] {
  const [params] = useSearchParams()
  const location = useLocation()
  const navigate = useNavigate()
  const { close } = useAdjustmentRoute()
  const index = STEPS.indexOf(params.get('step') as (typeof STEPS)[number])
  const urlStep = Math.max(index, 0) as WizardStep
  const step = Math.min(urlStep, reachable) as WizardStep

  const finished = useRef(false)
  useEffect(() => {
    if (urlStep === 3 && reachable === 3) finished.current = true
    else if (finished.current) close()
    else if (urlStep > reachable || index < 0) {
      const next = new URLSearchParams(params)
      next.set('step', STEPS[step]!)
      void navigate({ search: searchOf(next) }, { replace: true, state: location.state })
    }
  }, [urlStep, reachable, step, index, params, location.state, navigate, close])

  const setStep = useCallback(
    (to: WizardStep) => {
      if (to === step) return
      const state = wizardState(location)
      if (state.prevStep === to && (state.wizardDepth ?? 0) > 1) {
        void navigate(-1)
        return
      }
      const next = new URLSearchParams(params)
      next.set('step', STEPS[to]!)
      void navigate({ search: searchOf(next) }, { ...NOW, state: { wizardDepth: (state.wizardDepth ?? 0) + 1, prevStep: step } satisfies WizardState })
    },
    [step, location, params, navigate]
  )
  return [step, setStep]
}

// --- A list's filters in the address ------------------------------------------------------------

/**
 * The address's query as it is now, not as last drawn: the router writes the (hash) history as
 * soon as it is asked, before React draws the change.
 */
function currentParams(): URLSearchParams {
  const hash = window.location.hash
  const q = hash.indexOf('?')
  return new URLSearchParams(q < 0 ? '' : hash.slice(q + 1))
}

/**
 * The address's query, and how a list changes its filters there. `update(change)` computes the
 * next query from the address as it is at the moment of the call, so two changes in a row (the
 * "from" date, then the "to" date) each start from the one before instead of the second undoing
 * the first; the change is drawn in the same frame (a date box keeps what was typed). Each
 * change is a history entry (Back undoes it) unless `replace`.
 */
export function useAddressQuery(): [URLSearchParams, (change: (current: URLSearchParams) => URLSearchParams, opts?: { replace?: boolean }) => void] {
  const [params] = useSearchParams()
  const navigate = useNavigate()
  const update = useCallback(
    (change: (current: URLSearchParams) => URLSearchParams, opts: { replace?: boolean } = {}) => {
      const search = searchOf(change(currentParams()))
      void navigate({ search }, { ...NOW, ...(opts.replace ? { replace: true } : {}) })
    },
    [navigate]
  )
  return [params, update]
}

// --- The usage browser ---------------------------------------------------------------------------

/**
 * A screen's filters from the address, and how to change them (each change a history entry, so
 * Back undoes a filter). On a customer's tab the customer comes from the path, not the address.
 */
function useFilterView<V extends { customerId?: number }>(
  parse: (params: URLSearchParams) => V,
  search: (view: V, opts: { withoutCustomer?: boolean }) => string,
  customerId: number | undefined
): [V, (next: V) => void] {
  const [params] = useSearchParams()
  const location = useLocation()
  const navigate = useNavigate()
  const text = params.toString()
  const view = useMemo(() => {
    const v = parse(new URLSearchParams(text))
    return customerId === undefined ? v : { ...v, customerId }
  }, [parse, text, customerId])
  const setView = useCallback(
    (next: V) => {
      const query = search(next, { withoutCustomer: customerId !== undefined })
      void navigate({ pathname: location.pathname, search: query ? `?${query}` : '' }, NOW)
    },
    [navigate, search, location.pathname, customerId]
  )
  return [view, setView]
}

/** The usage browser's filters (usage-address.ts); on a customer's Usage tab the customer is fixed. */
export function useUsageView(customerId?: number): [UsageView, (next: UsageView) => void] {
  return useFilterView(parseUsageView, usageSearch, customerId)
}

/** The audit log's filters (audit-address.ts); on a customer's Audit log tab the customer is fixed. */
export function useAuditView(customerId?: number): [AuditView, (next: AuditView) => void] {
  return useFilterView(parseAuditView, auditSearch, customerId)
}
