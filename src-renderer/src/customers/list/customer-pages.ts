import { useCallback, useRef, useState, useSyncExternalStore } from 'react'
import { useQueries, type Query } from '@tanstack/react-query'
import type { CustomerFilters, CustomerRow } from '../../../../src-shared/domain'
import type { AppError } from '../../../../src-shared/errors'
import type { ResultOf } from '../../../../src-shared/contract'
import { queryClient, queryOptionsOf } from '../../api/query'
import type { CustomerSort } from './list-store'

/**
 * The customer list asks the engine for pages (offset/limit) around what is on screen, never for
 * the whole list. Each page is one TanStack query (`customers.list` with its offset), so pages are
 * cached per search/filters/sort: going back to an earlier search or returning from a customer
 * paints at once, and whatever is shown is fetched again in the background. A change elsewhere
 * (any channel that changes customers or classes) marks the pages stale through the contract.
 */

export const PAGE_SIZE = 200
/** Rows fetched beyond the visible ones, so ordinary scrolling rarely shows a skeleton. */
const MARGIN_ROWS = 60
/** Requests in flight at once: scrolling through 50k rows must not queue hundreds of pages. */
const MAX_IN_FLIGHT = 2
/** Pages scrolled past are dropped soon: 50k customers must not all stay in memory. */
const PAGE_GC_MS = 60_000

export interface CustomerQuery {
  search: string
  filters: CustomerFilters
  sort: CustomerSort
}

type ListResult = ResultOf<'customers.list'>
type ListQuery = Query<ListResult, AppError>

const pageInput = (query: CustomerQuery, page: number) => ({ ...query, offset: page * PAGE_SIZE, limit: PAGE_SIZE })

/** The cached pages of one search/filters/sort (the list's `limit: 1` count query is not one). */
function pagesOf(key: string): ListQuery[] {
  return queryClient
    .getQueryCache()
    .findAll({ queryKey: ['customers.list'] })
    .filter((q) => {
      const input = q.queryKey[1] as (CustomerQuery & { limit: number }) | undefined
      return input?.limit === PAGE_SIZE && JSON.stringify({ search: input.search, filters: input.filters, sort: input.sort }) === key
    }) as unknown as ListQuery[]
}

const pageNo = (q: ListQuery) => (q.queryKey[1] as { offset: number }).offset / PAGE_SIZE

/**
 * Bumped when a list page's state changes (fetch started, rows arrived, failed, made stale or
 * dropped), so rows that arrive re-render the list. Observer events are left out: every render
 * makes some, and counting them would render for ever.
 */
let version = 0
function subscribe(fn: () => void): () => void {
  return queryClient.getQueryCache().subscribe((event) => {
    if (event.type !== 'updated' && event.type !== 'removed') return
    if (event.query.queryKey[0] !== 'customers.list') return
    version += 1
    fn()
  })
}
const getVersion = () => version

export interface CustomerPages {
  /** Rows in the result the list shows; null until the first page of any query arrived. */
  total: number | null
  /** The row at `index` of the shown result, or undefined while its page is loading. */
  rowAt: (index: number) => CustomerRow | undefined
  /** The rows shown belong to an older query (the new one's first page is on its way). */
  stale: boolean
  loading: boolean
  error: AppError | null
  /** Ask for the rows first..last (inclusive) of the current query. */
  request: (first: number, last: number) => void
  retry: () => void
}

export function useCustomerPages(query: CustomerQuery): CustomerPages {
  const key = JSON.stringify(query)
  const v = useSyncExternalStore(subscribe, getVersion)
  const [wanted, setWanted] = useState<{ key: string; pages: number[] }>({ key, pages: [0] })
  const pages = wanted.key === key ? wanted.pages : [0]

  // Visible pages first; at most MAX_IN_FLIGHT requests at once, counting pages scrolled past
  // that are still on their way.
  const cache = queryClient.getQueryCache()
  const fetching = cache.findAll({ queryKey: ['customers.list'], fetchStatus: 'fetching' }).length
  let slots = MAX_IN_FLIGHT - fetching
  const queries = pages.map((page) => {
    const options = queryOptionsOf('customers.list', pageInput(query, page))
    const q = cache.find<ListResult, AppError>({ queryKey: options.queryKey, exact: true })
    const started = q !== undefined && (q.state.data !== undefined || q.state.fetchStatus === 'fetching' || q.state.error !== null)
    const enabled = started || slots-- > 0
    return { ...options, enabled, gcTime: PAGE_GC_MS }
  })
  const results = useQueries({ queries })

  const current = pagesOf(key)
  const currentTotal = newest(current)?.state.data?.total ?? null
  const currentError = results.find((r) => r.error)?.error ?? null

  // Until the new query's first answer is in, keep showing the previous result (no flash of
  // skeletons on every keystroke).
  const shownKey = useRef<string | null>(null)
  if (currentTotal !== null || currentError) shownKey.current = key
  const shown = shownKey.current === key ? current : shownKey.current ? pagesOf(shownKey.current) : []
  const total = newest(shown)?.state.data?.total ?? null

  const request = useCallback(
    (first: number, last: number) => {
      let lo = Math.max(0, first - MARGIN_ROWS)
      let hi = last + MARGIN_ROWS
      if (currentTotal !== null) hi = Math.min(hi, currentTotal - 1)
      if (hi < lo) {
        lo = 0
        hi = 0
      }
      const next: number[] = []
      const visFirst = Math.floor(Math.max(0, first) / PAGE_SIZE)
      const visLast = Math.max(visFirst, Math.floor(Math.max(0, Math.min(last, hi)) / PAGE_SIZE))
      for (let p = visFirst; p <= visLast; p++) next.push(p)
      for (let p = Math.floor(lo / PAGE_SIZE); p <= Math.floor(hi / PAGE_SIZE); p++) if (!next.includes(p)) next.push(p)
      if (currentTotal === null && !next.includes(0)) next.unshift(0)
      setWanted((w) => (w.key === key && w.pages.join() === next.join() ? w : { key, pages: next }))
    },
    [key, currentTotal]
  )

  const retry = useCallback(() => {
    void queryClient.refetchQueries({ predicate: (q) => pagesOf(key).includes(q as ListQuery) && q.state.status === 'error' })
  }, [key])

  const byPage = new Map(shown.map((q) => [pageNo(q), q]))
  const rowAt = useCallback(
    (index: number) => byPage.get(Math.floor(index / PAGE_SIZE))?.state.data?.rows[index % PAGE_SIZE],
    // `v` changes whenever a page arrives: a new function, so memoised rows re-render.
    [shownKey.current, v]
  )

  return {
    total,
    rowAt,
    stale: shownKey.current !== null && shownKey.current !== key,
    loading: currentTotal === null || results.some((r) => r.isFetching),
    error: currentError,
    request,
    retry
  }
}

function newest(queries: ListQuery[]): ListQuery | undefined {
  let best: ListQuery | undefined
  for (const q of queries) if (q.state.data && (!best || q.state.dataUpdatedAt > best.state.dataUpdatedAt)) best = q
  return best
}
