import { useCallback, useEffect, useRef, useSyncExternalStore } from 'react'
import type { CustomerFilters, CustomerRow } from '../../../../src-shared/domain'
import type { AppError } from '../../../../src-shared/errors'
import { asAppError, invoke } from '../../api/invoke'
import type { CustomerSort } from './list-store'

/**
 * The customer list asks the engine for pages (offset/limit) around what is on screen, never for
 * the whole list. Pages are kept in a small cache keyed by the query (search, filters, sort), so
 * going back to an earlier search or returning from a customer paints at once; whatever is shown
 * from the cache is fetched again in the background (stale-while-revalidate), so a change made
 * elsewhere appears without a manual reload.
 */

export const PAGE_SIZE = 200
/** Rows fetched beyond the visible ones, so ordinary scrolling rarely shows a skeleton. */
const MARGIN_ROWS = 60
/** Requests in flight at once: scrolling through 50k rows must not queue hundreds of pages. */
const MAX_IN_FLIGHT = 2
const MAX_QUERIES = 8
const MAX_PAGES_PER_QUERY = 40

export interface CustomerQuery {
  search: string
  filters: CustomerFilters
  sort: CustomerSort
}

interface Page {
  rows: CustomerRow[]
  /** The cache generation this page was fetched in; older than the entry's = stale. */
  gen: number
}

interface Entry {
  key: string
  query: CustomerQuery
  total: number | null
  pages: Map<number, Page>
  /** page -> generation it is being fetched for. */
  inFlight: Map<number, number>
  error: AppError | null
  gen: number
  lastUsed: number
}

let version = 0
let tick = 0
let inFlight = 0
const entries = new Map<string, Entry>()
const listeners = new Set<() => void>()
/** The pages the list on screen wants now (only the latest request counts). */
let wanted: { key: string; pages: number[] } | null = null

function changed(): void {
  version += 1
  for (const fn of [...listeners]) fn()
}

function subscribe(fn: () => void): () => void {
  listeners.add(fn)
  return () => {
    listeners.delete(fn)
  }
}

const getVersion = () => version

function entryFor(key: string, query: CustomerQuery): Entry {
  let e = entries.get(key)
  if (!e) {
    e = { key, query, total: null, pages: new Map(), inFlight: new Map(), error: null, gen: 0, lastUsed: 0 }
    entries.set(key, e)
  }
  e.lastUsed = ++tick
  return e
}

function evict(keep: ReadonlySet<string>): void {
  if (entries.size > MAX_QUERIES) {
    const old = [...entries.values()].filter((e) => !keep.has(e.key) && e.inFlight.size === 0).sort((a, b) => a.lastUsed - b.lastUsed)
    for (const e of old.slice(0, entries.size - MAX_QUERIES)) entries.delete(e.key)
  }
  if (!wanted) return
  const e = entries.get(wanted.key)
  if (!e || e.pages.size <= MAX_PAGES_PER_QUERY) return
  const centre = wanted.pages[0] ?? 0
  const far = [...e.pages.keys()].sort((a, b) => Math.abs(b - centre) - Math.abs(a - centre))
  for (const p of far.slice(0, e.pages.size - MAX_PAGES_PER_QUERY)) e.pages.delete(p)
}

function needsFetch(e: Entry, page: number): boolean {
  if (e.error) return false
  const requested = e.inFlight.get(page)
  if (requested !== undefined && requested >= e.gen) return false
  const have = e.pages.get(page)
  return !have || have.gen < e.gen
}

function pump(): void {
  while (inFlight < MAX_IN_FLIGHT && wanted) {
    const e = entries.get(wanted.key)
    if (!e) return
    const page = wanted.pages.find((p) => needsFetch(e, p))
    if (page === undefined) return
    fetchPage(e, page)
  }
}

function fetchPage(e: Entry, page: number): void {
  const gen = e.gen
  e.inFlight.set(page, gen)
  inFlight += 1
  invoke('customers.list', { ...e.query, offset: page * PAGE_SIZE, limit: PAGE_SIZE })
    .then(
      (res) => {
        const have = e.pages.get(page)
        if (!have || have.gen <= gen) e.pages.set(page, { rows: res.rows, gen })
        if (gen >= e.gen || e.total === null) e.total = res.total
        e.error = null
      },
      (err: unknown) => {
        e.error = asAppError(err)
      }
    )
    .finally(() => {
      if (e.inFlight.get(page) === gen) e.inFlight.delete(page)
      inFlight -= 1
      evict(new Set([e.key]))
      changed()
      pump()
    })
}

/**
 * Mark what is cached as stale: shown rows stay until their fresh copy arrives. `cachedOnly`
 * leaves alone queries with nothing fetched yet (their first answer is on its way and is new).
 */
export function invalidateCustomerPages(opts: { cachedOnly?: boolean } = {}): void {
  for (const e of entries.values()) if (!opts.cachedOnly || e.pages.size > 0) e.gen += 1
  changed()
  pump()
}

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
  useSyncExternalStore(subscribe, getVersion)
  const current = entryFor(key, query)

  // Until the new query's first answer is in, keep showing the previous result (no flash of
  // skeletons on every keystroke).
  const shownKey = useRef<string | null>(null)
  if (current.total !== null || current.error) shownKey.current = key
  const shown = shownKey.current ? entries.get(shownKey.current) : undefined

  // Returning to the list: show what the cache has, and fetch it again.
  useEffect(() => {
    invalidateCustomerPages({ cachedOnly: true })
  }, [])

  const request = useCallback(
    (first: number, last: number) => {
      const e = entries.get(key)
      if (!e) return
      const total = e.total
      let lo = Math.max(0, first - MARGIN_ROWS)
      let hi = last + MARGIN_ROWS
      if (total !== null) hi = Math.min(hi, total - 1)
      if (hi < lo) {
        lo = 0
        hi = 0
      }
      const pages: number[] = []
      // Visible pages first, then the margins.
      const visFirst = Math.floor(Math.max(0, first) / PAGE_SIZE)
      const visLast = Math.max(visFirst, Math.floor(Math.max(0, Math.min(last, hi)) / PAGE_SIZE))
      for (let p = visFirst; p <= visLast; p++) pages.push(p)
      for (let p = Math.floor(lo / PAGE_SIZE); p <= Math.floor(hi / PAGE_SIZE); p++) if (!pages.includes(p)) pages.push(p)
      if (total === null && !pages.includes(0)) pages.unshift(0)
      wanted = { key, pages }
      pump()
    },
    [key]
  )

  const retry = useCallback(() => {
    const e = entries.get(key)
    if (e) e.error = null
    changed()
    pump()
  }, [key])

  const rowAt = useCallback(
    (index: number) => shown?.pages.get(Math.floor(index / PAGE_SIZE))?.rows[index % PAGE_SIZE],
    // `version` changes whenever a page arrives: a new function, so memoised rows re-render.
    [shown, version]
  )

  return {
    total: shown?.total ?? null,
    rowAt,
    stale: shown !== undefined && shown.key !== key,
    loading: current.total === null || current.inFlight.size > 0,
    error: current.error,
    request,
    retry
  }
}
