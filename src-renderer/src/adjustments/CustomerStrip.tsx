import { Group, Text } from '@mantine/core'
import type { CustomerDetail } from '../../../src-shared/domain'
import { formatAmount } from '../../../src-shared/format'
import { StatusBadge } from '../customers/status/StatusBadge'
import { BALANCE_CONTROL_LABEL } from '../lib/labels'
import { balanceLabel, shownBalance } from './operations'

/** Who this is for, and where their figures stand now. */
export function CustomerStrip({ customer }: { customer: CustomerDetail }) {
  const c = customer
  const shown = shownBalance(c.balanceControl, c.balanceMinor)
  // A red number is said in words too.
  const warning =
    c.balanceControl === 'prepaid' && shown < 0
      ? 'below zero'
      : c.balanceControl === 'postpaid' && c.creditLimitMinor !== null && c.balanceMinor > c.creditLimitMinor
        ? `over the credit limit by ${formatAmount(c.balanceMinor - c.creditLimitMinor, c.currency)}`
        : null
  return (
    <Group justify="space-between" className="adj-customer" wrap="wrap" gap="xs">
      <Group gap="xs" wrap="nowrap">
        <StatusBadge status={c.status} testId="adj-customer-status" />
        <Text size="sm">
          <bdi>{c.companyName || 'No company name'}</bdi> · {BALANCE_CONTROL_LABEL[c.balanceControl]} · {c.currency}
        </Text>
      </Group>
      <Group gap="md">
        <Text size="sm">
          {balanceLabel(c.balanceControl)}{' '}
          <Text span fw={600} className="num" c={warning ? 'red' : undefined} data-testid="adj-customer-balance">
            {formatAmount(shown, c.currency)}
          </Text>
          {warning && (
            <Text span c="red" size="sm" data-testid="adj-customer-warning">
              {' '}
              ({warning})
            </Text>
          )}
        </Text>
        <Text size="sm">
          Unallocated{' '}
          <Text span fw={600} className="num">
            {formatAmount(c.unallocatedPaymentsMinor, c.currency)}
          </Text>
        </Text>
      </Group>
    </Group>
  )
}
