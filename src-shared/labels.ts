import type { BalanceControl, CustomerStatus } from './domain'

/** The source pages' status names, used on screen, in CSV exports and in audit texts alike. */
export const STATUS_LABEL: Record<CustomerStatus, string> = {
  active: 'Active',
  blocked: 'Blocked',
  suspended: 'Suspended',
  'provisionally-terminated': 'Provisionally terminated',
  'permanently-terminated': 'Permanently terminated',
  exported: 'Exported'
}

export const BALANCE_CONTROL_LABEL: Record<BalanceControl, string> = {
  prepaid: 'Prepaid',
  postpaid: 'Postpaid'
}
