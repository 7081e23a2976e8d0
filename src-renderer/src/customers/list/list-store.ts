import { create } from 'zustand'
import type { CustomerFilters, CustomerSortKey } from '../../../../src-shared/domain'

/**
 * The customer list's UI state: what is typed in search, the filters, the sort, and where the
 * list was scrolled to. It lives outside the list component so that opening a customer and
 * coming back finds the list as it was left. Not persisted: a restart opens the plain list.
 */

export type SortDir = 'asc' | 'desc'
export interface CustomerSort {
  key: CustomerSortKey
  dir: SortDir
}

export const DEFAULT_SORT: CustomerSort = { key: 'customerId', dir: 'asc' }

/** Amount columns start largest first; text columns A to Z. */
const FIRST_DIR: Record<CustomerSortKey, SortDir> = {
  customerId: 'asc',
  companyName: 'asc',
  balanceControl: 'asc',
  currency: 'asc',
  status: 'asc',
  className: 'asc',
  balance: 'desc',
  unallocated: 'desc',
  creditLimit: 'desc'
}

interface CustomerListState {
  /** The search box's text as typed (the query uses a debounced copy). */
  search: string
  filters: CustomerFilters
  sort: CustomerSort
  /** The highlighted row (keyboard and last opened), by position in the current result. */
  activeIndex: number | null
  /** Scroll position of the list and the query it belongs to, restored when the list is shown again. */
  scroll: { key: string; top: number }
  setSearch: (search: string) => void
  setFilter: <K extends keyof CustomerFilters>(key: K, value: CustomerFilters[K] | undefined) => void
  /** Click on a column header: a new column starts in its natural direction, the same one flips. */
  sortBy: (key: CustomerSortKey) => void
  /** The filters only: the search stays (it has its own box to clear). */
  clearFilters: () => void
  setActiveIndex: (index: number | null) => void
  setScroll: (key: string, top: number) => void
}

/** A different result set: start from the top with nothing highlighted. */
const fresh = { activeIndex: null, scroll: { key: '', top: 0 } }

export const useCustomerList = create<CustomerListState>()((set) => ({
  search: '',
  filters: {},
  sort: DEFAULT_SORT,
  activeIndex: null,
  scroll: { key: '', top: 0 },
  setSearch: (search) => set({ search, ...fresh }),
  setFilter: (key, value) =>
    set((s) => {
      const filters = { ...s.filters }
      const empty = value === undefined || value === false || (Array.isArray(value) && value.length === 0)
      if (empty) delete filters[key]
      else filters[key] = value
      return { filters, ...fresh }
    }),
  sortBy: (key) =>
    set((s) => ({
      sort: s.sort.key === key ? { key, dir: s.sort.dir === 'asc' ? 'desc' : 'asc' } : { key, dir: FIRST_DIR[key] },
      ...fresh
    })),
  clearFilters: () => set({ filters: {}, ...fresh }),
  setActiveIndex: (activeIndex) => set({ activeIndex }),
  setScroll: (key, top) => set({ scroll: { key, top } })
}))

export function activeFilterCount(filters: CustomerFilters): number {
  return Object.values(filters).filter((v) => v !== undefined && v !== false && !(Array.isArray(v) && v.length === 0)).length
}
