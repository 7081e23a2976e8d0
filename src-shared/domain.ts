/** Domain types shared by the engine and the renderer. Amounts are integer minor units. */

export type Role = 'administrator' | 'cashier' | 'auditor'
export const ROLES: readonly Role[] = ['administrator', 'cashier', 'auditor']

export interface Operator {
  id: number
  login: string
  name: string
  role: Role
}

export interface CompanySettings {
  companyName: string
  address: string
  defaultCurrency: string
}

export interface BackupInfo {
  fileName: string
  createdAt: string // ISO timestamp
  sizeBytes: number
  kind: 'daily' | 'manual' | 'before-restore'
}

/** What the renderer needs to decide which screen to show. */
export type AppPhase = 'setup' | 'ready' | 'recovery'

export interface RecoveryInfo {
  reason: string
  corruptFileKeptAt: string | null
  backups: BackupInfo[]
  /** The newest backup that passed the same checks as a restore; null if none did. */
  recommendedBackup: string | null
  /** Backups that failed those checks (they cannot be restored), by file name. */
  unusableBackups: string[]
}

export interface AppStatus {
  phase: AppPhase
  version: string
  dataDir: string
  operator: Operator
  settings: CompanySettings | null
  recovery: RecoveryInfo | null
  counts: { customers: number; usageRecords: number }
}

export type BalanceControl = 'prepaid' | 'postpaid'
export type CustomerStatus =
  | 'active'
  | 'blocked'
  | 'suspended'
  | 'provisionally-terminated'
  | 'permanently-terminated'
  | 'exported'

export interface CustomerRow {
  id: number
  customerId: string // the name as shown in the system
  companyName: string
  balanceControl: BalanceControl
  currency: string
  balanceMinor: number // what the customer owes; prepaid "available funds" = -balanceMinor
  unallocatedPaymentsMinor: number
  creditLimitMinor: number | null
  status: CustomerStatus
  className: string | null
}

export interface AuditEntry {
  id: number
  at: string
  operatorName: string
  customerId: number | null
  customerName: string | null
  kind: string
  description: string
  source: string | null
}

export interface AuditVerifyResult {
  ok: boolean
  checked: number
  firstBrokenId: number | null
  message: string
}
