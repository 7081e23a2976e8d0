import { create } from 'zustand'
import { createJSONStorage, persist } from 'zustand/middleware'

/** UI state only (theme, navigation). Server data never lives here. */

export type PageId = 'customers' | 'invoices' | 'reissue' | 'usage' | 'audit' | 'settings'
export type ColorScheme = 'light' | 'dark'

interface UiState {
  colorScheme: ColorScheme
  page: PageId
  toggleColorScheme: () => void
  go: (page: PageId) => void
}

function systemScheme(): ColorScheme {
  return typeof window !== 'undefined' && window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light'
}

export const useUi = create<UiState>()(
  persist(
    (set) => ({
      colorScheme: systemScheme(),
      page: 'customers',
      toggleColorScheme: () => set((s) => ({ colorScheme: s.colorScheme === 'dark' ? 'light' : 'dark' })),
      go: (page) => set({ page })
    }),
    {
      name: 'billing.ui',
      storage: createJSONStorage(() => localStorage),
      // Only the theme survives a restart; every start opens on Customers.
      partialize: (s) => ({ colorScheme: s.colorScheme })
    }
  )
)
