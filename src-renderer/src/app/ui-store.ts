import { create } from 'zustand'
import { createJSONStorage, persist } from 'zustand/middleware'

/** UI state only (theme, navigation). Server data never lives here. */

export type PageId = 'customers' | 'classes' | 'invoices' | 'reissue' | 'usage' | 'audit' | 'settings'
export type ColorScheme = 'light' | 'dark'

/** Within the Customers page: the list, one customer's page, or the new-customer form. */
export type CustomerView = { kind: 'list' } | { kind: 'customer'; id: number } | { kind: 'new' }

interface UiState {
  colorScheme: ColorScheme
  page: PageId
  customerView: CustomerView
  toggleColorScheme: () => void
  go: (page: PageId) => void
  /** Go to the Customers page showing `view`. */
  showCustomers: (view: CustomerView) => void
}

function systemScheme(): ColorScheme {
  return typeof window !== 'undefined' && window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light'
}

export const useUi = create<UiState>()(
  persist(
    (set) => ({
      colorScheme: systemScheme(),
      page: 'customers',
      customerView: { kind: 'list' },
      toggleColorScheme: () => set((s) => ({ colorScheme: s.colorScheme === 'dark' ? 'light' : 'dark' })),
      go: (page) => set(page === 'customers' ? { page, customerView: { kind: 'list' } } : { page }),
      showCustomers: (customerView) => set({ page: 'customers', customerView })
    }),
    {
      name: 'billing.ui',
      storage: createJSONStorage(() => localStorage),
      // Only the theme survives a restart; every start opens on Customers.
      partialize: (s) => ({ colorScheme: s.colorScheme })
    }
  )
)
