import { create } from 'zustand'
import { createJSONStorage, persist } from 'zustand/middleware'

/** UI state only (the theme). Server data never lives here; where the person is lives in the address (app/nav.ts). */

export type PageId = 'customers' | 'classes' | 'pricelists' | 'invoices' | 'reissue' | 'usage' | 'rerating' | 'audit' | 'shifts' | 'operators' | 'settings'
export type ColorScheme = 'light' | 'dark'

interface UiState {
  colorScheme: ColorScheme
  toggleColorScheme: () => void
}

function systemScheme(): ColorScheme {
  return typeof window !== 'undefined' && window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light'
}

export const useUi = create<UiState>()(
  persist(
    (set) => ({
      colorScheme: systemScheme(),
      toggleColorScheme: () => set((s) => ({ colorScheme: s.colorScheme === 'dark' ? 'light' : 'dark' }))
    }),
    {
      name: 'billing.ui',
      storage: createJSONStorage(() => localStorage),
      // Only the theme survives a restart; the address (not stored) says which screen is open.
      partialize: (s) => ({ colorScheme: s.colorScheme })
    }
  )
)
