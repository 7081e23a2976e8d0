import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { useLocation, useNavigate } from 'react-router'
import { useDebouncedValue } from '@mantine/hooks'
import type { CustomerFilters, CustomerSortKey } from '../../../../src-shared/domain'
import { customerFiltersInput } from '../../../../src-shared/contract'
import { useQuery } from '../../api/query'
import { rememberListSearch } from '../../app/nav'
import { type CustomerSort, DEFAULT_SORT, FIRST_DIR } from './list-store'

/**
 * The customer list's search, filters and sort live in its address
 * (`#/customers?q=lodz&status=blocked,active&sort=balance-desc`), so a reload and Back from a
 * customer find the list as it was left. A parameter the contract would reject (a typed-in or
 * old address) is left out, never an error.
 */

export interface ListView {
  search: string
  filters: CustomerFilters
  sort: CustomerSort
}

/** Parameter names in the address, in the order they are written. */
const PARAM = {
  search: 'q',
  statuses: 'status',
  balanceControl: 'control',
  currency: 'currency',
  classId: 'class',
  overLimit: 'overLimit',
  hasOverdueInvoice: 'overdue',
  sort: 'sort'
} as const
const LIST_PARAMS: ReadonlySet<string> = new Set(Object.values(PARAM))
const SEARCH_MAX = 200

/** One filter from its parameter, judged by the contract's schema for that filter; undefined when it fails. */
function filterParam<K extends keyof CustomerFilters>(key: K, raw: unknown): CustomerFilters[K] | undefined {
  const parsed = customerFiltersInput.shape[key].safeParse(raw)
  return parsed.success ? (parsed.data as CustomerFilters[K]) : undefined
}

const flag = (raw: string | null) => (raw === '1' || raw === 'true' ? true : undefined)

export function parseListView(params: URLSearchParams): ListView {
  const get = (name: string) => params.get(name)
  const filters: CustomerFilters = {}
  const statusText = get(PARAM.statuses)
  if (statusText) {
    // Unknown statuses are dropped one by one; the rest still filter.
    const statuses = [...new Set(statusText.split(','))].filter((s) => filterParam('statuses', [s]) !== undefined)
    if (statuses.length > 0) filters.statuses = statuses as CustomerFilters['statuses']
  }
  const control = filterParam('balanceControl', get(PARAM.balanceControl) ?? undefined)
  if (control) filters.balanceControl = control
  const currency = filterParam('currency', get(PARAM.currency)?.toUpperCase())
  if (currency) filters.currency = currency
  const classText = get(PARAM.classId)
  const classId = classText && /^\d+$/.test(classText) ? filterParam('classId', Number(classText)) : undefined
  if (classId) filters.classId = classId
  if (flag(get(PARAM.overLimit))) filters.overLimit = true
  if (flag(get(PARAM.hasOverdueInvoice))) filters.hasOverdueInvoice = true

  let sort = DEFAULT_SORT
  const m = /^(\w+)-(asc|desc)$/.exec(get(PARAM.sort) ?? '')
  if (m && Object.hasOwn(FIRST_DIR, m[1]!)) sort = { key: m[1] as CustomerSortKey, dir: m[2] as CustomerSort['dir'] }

  return { search: (get(PARAM.search) ?? '').trim().slice(0, SEARCH_MAX), filters, sort }
}

/** The list's part of the address: `q=…&status=a,b&…`, without what is at its default. */
export function listViewSearch(view: ListView): string {
  const { filters: f, sort } = view
  const parts: [string, string | undefined][] = [
    [PARAM.search, view.search.trim() || undefined],
    // Statuses are plain words: the commas stay readable.
    [PARAM.statuses, f.statuses?.length ? f.statuses.join(',') : undefined],
    [PARAM.balanceControl, f.balanceControl],
    [PARAM.currency, f.currency],
    [PARAM.classId, f.classId === undefined ? undefined : String(f.classId)],
    [PARAM.overLimit, f.overLimit ? '1' : undefined],
    [PARAM.hasOverdueInvoice, f.hasOverdueInvoice ? '1' : undefined],
    [PARAM.sort, sort.key === DEFAULT_SORT.key && sort.dir === DEFAULT_SORT.dir ? undefined : `${sort.key}-${sort.dir}`]
  ]
  return parts
    .filter((p): p is [string, string] => p[1] !== undefined)
    .map(([k, v]) => `${k}=${k === PARAM.statuses ? v : encodeURIComponent(v)}`)
    .join('&')
}

/** The address's search with the list's part replaced; other parameters (the wizard's) are kept. */
function withListView(current: string, view: ListView): string {
  const others = new URLSearchParams(current)
  for (const name of LIST_PARAMS) others.delete(name)
  const rest = others.toString()
  const list = listViewSearch(view)
  const all = [list, rest].filter(Boolean).join('&')
  return all ? `?${all}` : ''
}

const emptyFilter = (value: unknown) => value === undefined || value === false || (Array.isArray(value) && value.length === 0)

/**
 * The list's view from its address, and the changes to it: a filter or sort change is a new
 * history entry (Back undoes it); the search box replaces the entry as it settles, so typing
 * is not one Back step per key. `typed` is the box's text as typed; `search` is what the
 * address (and so the query) has, written after `debounceMs` without typing.
 */
export function useListView(debounceMs: number) {
  const location = useLocation()
  const navigate = useNavigate()
  const parsed = useMemo(() => parseListView(new URLSearchParams(location.search)), [location.search])

  // A class filter for a class that is not there (deleted, or a typed-in number) is left out.
  const classes = useQuery('classes.list', {})
  const classGone = parsed.filters.classId !== undefined && classes.data !== undefined && !classes.data.some((c) => c.id === parsed.filters.classId)
  const view = useMemo<ListView>(() => {
    if (!classGone) return parsed
    const { classId: _gone, ...filters } = parsed.filters
    return { ...parsed, filters }
  }, [parsed, classGone])

  const listSearch = listViewSearch(view)
  useEffect(() => rememberListSearch(listSearch), [listSearch])

  /**
   * A click's change shows in the same frame, as when the view was in a store (`flushSync`); the
   * search settling is an effect, where flushSync is not allowed.
   */
  const go = useCallback(
    (next: ListView, how: 'push' | 'replace' | 'settle') => {
      const search = withListView(location.search, next)
      if (search === location.search) return
      if (how === 'push') void navigate({ search }, { flushSync: true })
      else void navigate({ search }, { replace: true, state: location.state, flushSync: how === 'replace' })
    },
    [location.search, location.state, navigate]
  )

  // The search box: its own text while typing, written to the address once typing pauses.
  const [typed, setTyped] = useState(view.search)
  const written = useRef(view.search)
  useEffect(() => {
    // Back/Forward or a button changed the address's search: the box follows.
    if (view.search !== written.current) {
      written.current = view.search
      setTyped(view.search)
    }
  }, [view.search])
  const [settled] = useDebouncedValue(typed.trim(), debounceMs)
  const viewRef = useRef(view)
  viewRef.current = view
  const goRef = useRef(go)
  goRef.current = go
  // Only when the typed text settles: a Back that changed the address is not undone here.
  useEffect(() => {
    if (settled === written.current) return
    written.current = settled
    goRef.current({ ...viewRef.current, search: settled }, 'settle')
  }, [settled])

  const typedRef = useRef(typed)
  typedRef.current = typed
  /** The view with the text typed so far: a filter or sort clicked before the search settles keeps it. */
  const withTyped = useCallback((): ListView => {
    const search = typedRef.current.trim()
    written.current = search
    return { ...viewRef.current, search }
  }, [])

  const setSearch = useCallback(
    (text: string) => {
      setTyped(text)
      if (text === '') {
        // Cleared (the box's ×, "Clear the search"): at once, not after the pause.
        written.current = ''
        go({ ...viewRef.current, search: '' }, 'replace')
      }
    },
    [go]
  )

  const setFilter = useCallback(
    <K extends keyof CustomerFilters>(key: K, value: CustomerFilters[K] | undefined) => {
      const filters = { ...viewRef.current.filters }
      if (emptyFilter(value)) delete filters[key]
      else filters[key] = value
      go({ ...withTyped(), filters }, 'push')
    },
    [go, withTyped]
  )

  /** Click on a column header: a new column starts in its natural direction, the same one flips. */
  const sortBy = useCallback(
    (key: CustomerSortKey) => {
      const { sort } = viewRef.current
      const next: CustomerSort = sort.key === key ? { key, dir: sort.dir === 'asc' ? 'desc' : 'asc' } : { key, dir: FIRST_DIR[key] }
      go({ ...withTyped(), sort: next }, 'push')
    },
    [go, withTyped]
  )

  /** The filters only: the search stays (it has its own box to clear). */
  const clearFilters = useCallback(() => go({ ...withTyped(), filters: {} }, 'push'), [go, withTyped])

  return { ...view, typed, setSearch, setFilter, sortBy, clearFilters }
}
