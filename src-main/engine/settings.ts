import type { CompanySettings } from '../../src-shared/domain'
import { AppError } from '../../src-shared/errors'
import type { DbReader } from '../db/store'
import { describeValueChange } from './audit'
import { ensureDefaultServices } from './services'
import type { Work } from './unitOfWork'

/** The settings table's one row (id 1), written by first-run setup. */
export interface StoredSettings {
  id: 1
  company_name: string
  address: string
  default_currency: string
  card_authorization_days: number
  max_operation_major: number
  setup_completed_at: string
}

type SettingsRow = Omit<StoredSettings, 'id' | 'setup_completed_at'>

export function getSettings(r: DbReader): CompanySettings | null {
  const row = r.get<SettingsRow>('SELECT company_name, address, default_currency, card_authorization_days, max_operation_major FROM settings WHERE id = 1')
  return row
    ? {
        companyName: row.company_name,
        address: row.address,
        defaultCurrency: row.default_currency,
        cardAuthorizationDays: row.card_authorization_days,
        maxOperationAmount: row.max_operation_major
      }
    : null
}

export const DEFAULT_AUTHORIZATION_DAYS = 7
/** Maximum amount per operation before Settings changes it (migration 0010's default). */
export const DEFAULT_MAX_OPERATION_AMOUNT = 1_000_000

/** The most one operation may move, in minor units of `currencyExponent` (exact: see the contract's ceiling). */
export function maxOperationMinor(r: DbReader, currencyExponent: number): bigint {
  return BigInt(getSettings(r)?.maxOperationAmount ?? DEFAULT_MAX_OPERATION_AMOUNT) * 10n ** BigInt(currencyExponent)
}

/** First run: the company's details. Done once; afterwards Settings edits them. */
export function completeSetup(w: Work, s: Omit<CompanySettings, 'cardAuthorizationDays' | 'maxOperationAmount'>): void {
  if (getSettings(w)) throw new AppError('CONFLICT', 'First-run setup has already been completed.')
  w.run('INSERT INTO settings (id, company_name, address, default_currency, setup_completed_at) VALUES (1, ?, ?, ?, ?)', [
    s.companyName,
    s.address,
    s.defaultCurrency,
    w.at
  ])
  w.audit({ kind: 'setup', description: `First-run setup completed for "${s.companyName}" (default currency ${s.defaultCurrency}).` })
  // Manual charges and credits need a real service from the first day.
  ensureDefaultServices(w)
}

export function updateSettings(
  w: Work,
  input: Pick<CompanySettings, 'companyName' | 'address'> & { cardAuthorizationDays?: number | undefined; maxOperationAmount?: number | undefined }
): CompanySettings {
  const cur = getSettings(w)
  if (!cur) throw new AppError('SETUP_REQUIRED', 'Complete the first-run setup first.')
  const next = {
    ...cur,
    companyName: input.companyName,
    address: input.address,
    cardAuthorizationDays: input.cardAuthorizationDays ?? cur.cardAuthorizationDays,
    maxOperationAmount: input.maxOperationAmount ?? cur.maxOperationAmount
  }
  const changes: [field: string, label: string, from: string | number, to: string | number][] = [
    ['company_name', 'Company name', cur.companyName, next.companyName],
    ['address', 'Address', cur.address, next.address],
    ['card_authorization_days', 'Card authorization period (days)', cur.cardAuthorizationDays, next.cardAuthorizationDays],
    ['max_operation_major', 'Maximum amount per operation (major units)', cur.maxOperationAmount, next.maxOperationAmount]
  ]
  for (const [field, label, from, to] of changes) {
    if (from === to) continue
    w.run(`UPDATE settings SET ${field} = ? WHERE id = 1`, [to])
    w.audit({ kind: 'settings.change', field, from: String(from), to: String(to), description: describeValueChange(label, String(from), String(to)) })
  }
  return next
}
