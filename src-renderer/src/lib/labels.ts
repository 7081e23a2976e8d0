import type { BalanceControl, CustomerStatus } from '../../../src-shared/domain'

export const STATUS_LABEL: Record<CustomerStatus, string> = {
  active: 'Active',
  blocked: 'Blocked',
  suspended: 'Suspended',
  'provisionally-terminated': 'Provisionally terminated',
  'permanently-terminated': 'Permanently terminated',
  exported: 'Exported'
}

export const STATUS_COLOR: Record<CustomerStatus, string> = {
  active: 'teal',
  blocked: 'orange',
  suspended: 'yellow',
  'provisionally-terminated': 'red',
  'permanently-terminated': 'gray',
  exported: 'gray'
}

export const BALANCE_CONTROL_LABEL: Record<BalanceControl, string> = {
  prepaid: 'Prepaid',
  postpaid: 'Postpaid'
}
