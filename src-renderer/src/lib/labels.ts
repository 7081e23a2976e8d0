import type { CustomerStatus } from '../../../src-shared/domain'

export { BALANCE_CONTROL_LABEL, STATUS_LABEL } from '../../../src-shared/labels'

export const STATUS_COLOR: Record<CustomerStatus, string> = {
  active: 'teal',
  blocked: 'orange',
  suspended: 'yellow',
  'provisionally-terminated': 'red',
  'permanently-terminated': 'gray',
  exported: 'gray'
}
