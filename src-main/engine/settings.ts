import fs from 'node:fs'
import path from 'node:path'
import type { CompanySettings } from '../../src-shared/domain'
import { AppError } from '../../src-shared/errors'
import { ROUNDING_MODE_NAMES, type RoundingMode } from '../../src-shared/money'
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
  rounding_mode: RoundingMode
  usage_import_folder: string | null
  idle_lock_minutes: number
}

type SettingsRow = Omit<StoredSettings, 'id' | 'setup_completed_at'>

export function getSettings(r: DbReader): CompanySettings | null {
  const row = r.get<SettingsRow>(
    'SELECT company_name, address, default_currency, card_authorization_days, max_operation_major, rounding_mode, usage_import_folder, idle_lock_minutes FROM settings WHERE id = 1'
  )
  return row
    ? {
        companyName: row.company_name,
        address: row.address,
        defaultCurrency: row.default_currency,
        cardAuthorizationDays: row.card_authorization_days,
        maxOperationAmount: row.max_operation_major,
        roundingMode: row.rounding_mode,
        usageImportFolder: row.usage_import_folder,
        idleLockMinutes: row.idle_lock_minutes
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
export function completeSetup(w: Work, s: Pick<CompanySettings, 'companyName' | 'address' | 'defaultCurrency'>): void {
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
  input: Pick<CompanySettings, 'companyName' | 'address'> & {
    cardAuthorizationDays?: number | undefined
    maxOperationAmount?: number | undefined
    roundingMode?: RoundingMode | undefined
    /** '' clears it. */
    usageImportFolder?: string | undefined
    idleLockMinutes?: number | undefined
  }
): CompanySettings {
  const cur = getSettings(w)
  if (!cur) throw new AppError('SETUP_REQUIRED', 'Complete the first-run setup first.')
  const next = {
    ...cur,
    companyName: input.companyName,
    address: input.address,
    cardAuthorizationDays: input.cardAuthorizationDays ?? cur.cardAuthorizationDays,
    maxOperationAmount: input.maxOperationAmount ?? cur.maxOperationAmount,
    roundingMode: input.roundingMode ?? cur.roundingMode,
    idleLockMinutes: input.idleLockMinutes ?? cur.idleLockMinutes,
    // Checked only when it changes: a folder that went missing since (an unplugged drive) does not
    // stop the other settings from being saved; the import reports it.
    usageImportFolder:
      input.usageImportFolder === undefined || input.usageImportFolder.trim() === (cur.usageImportFolder ?? '')
        ? cur.usageImportFolder
        : checkImportFolder(input.usageImportFolder)
  }
  const changes: [field: string, label: string, from: string | number, to: string | number][] = [
    ['company_name', 'Company name', cur.companyName, next.companyName],
    ['address', 'Address', cur.address, next.address],
    ['card_authorization_days', 'Card authorization period (days)', cur.cardAuthorizationDays, next.cardAuthorizationDays],
    ['max_operation_major', 'Maximum amount per operation (major units)', cur.maxOperationAmount, next.maxOperationAmount],
    ['idle_lock_minutes', 'Lock the counter after idle minutes (0 = never)', cur.idleLockMinutes, next.idleLockMinutes]
  ]
  for (const [field, label, from, to] of changes) {
    if (from === to) continue
    w.run(`UPDATE settings SET ${field} = ? WHERE id = 1`, [to])
    w.audit({ kind: 'settings.change', field, from: String(from), to: String(to), description: describeValueChange(label, String(from), String(to)) })
  }
  if (next.roundingMode !== cur.roundingMode) {
    w.run('UPDATE settings SET rounding_mode = ? WHERE id = 1', [next.roundingMode])
    w.audit({
      kind: 'settings.change',
      field: 'rounding_mode',
      from: cur.roundingMode,
      to: next.roundingMode,
      description: describeValueChange('Rounding of rated charges', ROUNDING_MODE_NAMES[cur.roundingMode], ROUNDING_MODE_NAMES[next.roundingMode])
    })
  }
  if (next.usageImportFolder !== cur.usageImportFolder) {
    const [from, to] = [cur.usageImportFolder ?? '', next.usageImportFolder ?? '']
    w.run('UPDATE settings SET usage_import_folder = ? WHERE id = 1', [next.usageImportFolder])
    w.audit({ kind: 'settings.change', field: 'usage_import_folder', from, to, description: describeValueChange('Usage import folder', from, to) })
  }
  return next
}

const folderProblem = (message: string) => new AppError('VALIDATION', message, 'usageImportFolder')

/**
 * The usage import folder as typed: '' is none; otherwise a full path to an existing folder the
 * app can write to (imported files are moved into its `imported/` and `rejected/` folders, with a
 * report beside each). Checked by writing and removing a probe file: permission bits say nothing
 * for an administrator account, a read-only mount or a network share.
 */
export function checkImportFolder(typed: string): string | null {
  const folder = typed.trim()
  if (folder === '') return null
  if (!path.isAbsolute(folder) && !path.win32.isAbsolute(folder)) {
    throw folderProblem(`Give the full path of the folder (starting with "/" or a drive letter such as C:\\), not "${folder}".`)
  }
  let stat: fs.Stats
  try {
    stat = fs.statSync(folder)
  } catch {
    throw folderProblem(`The folder ${folder} does not exist.`)
  }
  if (!stat.isDirectory()) throw folderProblem(`${folder} is a file, not a folder.`)
  const probe = path.join(folder, `.billing-write-check-${process.pid}-${Date.now()}`)
  try {
    fs.writeFileSync(probe, '')
    fs.rmSync(probe, { force: true })
  } catch {
    throw folderProblem(`The app cannot write to ${folder}: imported files are moved into folders inside it. Choose a folder it may write to.`)
  }
  return folder
}
