import { create } from 'zustand'
import type { CustomerFilters, CustomerSortKey } from '../../../../src-shared/domain'

/**
 * The customer list's UI state that has no place in its address (the search, filters and sort
 * are there: list-address.ts): the highlighted row and where the list was scrolled to, each for
 * the query it belongs to. It lives outside the list component so that opening a customer and
 * coming back finds the list as it was left. Not persisted.
 */

export type SortDir = 'asc' | 'desc'
export interface CustomerSort {
  key: CustomerSortKey
  dir: SortDir
}

export const DEFAULT_SORT: CustomerSort = { key: 'customerId', dir: 'asc' }

/** Amount columns start largest first; text columns A to Z. */
export const FIRST_DIR: Record<CustomerSortKey, SortDir> = {
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
  /** The highlighted row (keyboard and last opened), by position in the result of the query `key`. */
  active: { key: string; index: number | null }
  /** Scroll position of the list and the query it belongs to, restored when the list is shown again. */
  scroll: { key: string; top: number }
  setActiveIndex: (key: string, index: number | null) => void
  setScroll: (key: string, top: number) => void
}

export const useCustomerList = create<CustomerListState>()((set) => ({
  active: { key: '', index: null },
  scroll: { key: '', top: 0 },
  setActiveIndex: (key, index) => set({ active: { key, index } }),
  setScroll: (key, top) => set({ scroll: { key, top } })
}))

export function activeFilterCount(filters: CustomerFilters): number {
  return Object.values(filters).filter((v) => v !== undefined && v !== false && !(Array.isArray(v) && v.length === 0)).length
}
