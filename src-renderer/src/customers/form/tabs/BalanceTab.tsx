import { Button, Group, Paper, SimpleGrid, Stack, Text } from '@mantine/core'
import type { ReactNode } from 'react'
import type { CustomerDetail } from '../../../../../src-shared/domain'
import { formatAmount } from '../../../../../src-shared/format'
import { useAdjustmentRoute } from '../../../app/nav'
import { useCan } from '../../../app/status'
import { TraceButton } from '../../../audit/TraceButton'
import { BalanceMakeup } from './BalanceMakeup'
import { CardActivityPanel } from './CardActivityPanel'
import { TransactionsTable } from './TransactionsTable'

function Figure(props: { label: string; value: string; hint?: string; tone?: 'red' | undefined; testId: string; trace?: ReactNode }) {
  return (
    <Paper withBorder radius="md" p="sm" data-testid={`${props.testId}-card`}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {props.label}
      </Text>
      <Group justify="space-between" gap={4} wrap="nowrap" align="center">
        <Text size="lg" fw={600} style={{ fontVariantNumeric: 'tabular-nums' }} c={props.tone} data-testid={props.testId}>
          {props.value}
        </Text>
        {props.trace}
      </Group>
      {props.hint && (
        <Text size="xs" c="dimmed">
          {props.hint}
        </Text>
      )}
    </Paper>
  )
}

/**
 * Balance & credits: the amounts as the ledger has them now. One signed balance is stored (what
 * the customer owes); a prepaid customer's available funds are its negation.
 */
export function BalanceTab({ detail }: { detail: CustomerDetail }) {
  const cur = detail.currency
  const prepaid = detail.balanceControl === 'prepaid'
  const funds = -detail.balanceMinor
  const limit = detail.creditLimitMinor
  const headroom = limit === null ? null : limit - detail.balanceMinor
  const canAdjust = useCan()('adjustments.submit')
  const adjust = useAdjustmentRoute()

  return (
    <Stack gap="md">
      <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }} spacing="sm" maw={900}>
        {prepaid ? (
          <Figure
            label="Available funds"
            value={formatAmount(funds, cur, { withCode: true })}
            hint={
              funds < 0
                ? `Below zero: the customer has used ${formatAmount(-funds, cur, { withCode: true })} more than was paid in.`
                : 'Spent as services are used; at zero no more services can be used.'
            }
            tone={funds < 0 ? 'red' : undefined}
            testId="figure-funds"
            trace={<TraceButton target="customer.funds" id={detail.id} what={`available funds of ${detail.customerId}`} />}
          />
        ) : (
          <Figure
            label={detail.balanceMinor < 0 ? 'In credit' : 'Balance'}
            value={formatAmount(detail.balanceMinor, cur, { withCode: true })}
            hint={
              detail.balanceMinor < 0
                ? `The customer is in credit by ${formatAmount(-detail.balanceMinor, cur, { withCode: true })}: nothing is owed.`
                : 'What the customer owes now.'
            }
            testId="figure-balance"
            trace={<TraceButton target="customer.balance" id={detail.id} what={`balance of ${detail.customerId}`} />}
          />
        )}
        <Figure
          label="Unallocated payments"
          value={formatAmount(detail.unallocatedPaymentsMinor, cur, { withCode: true })}
          hint="Received but not yet set against an invoice."
          testId="figure-unallocated"
          trace={<TraceButton target="customer.unallocated" id={detail.id} what={`unallocated payments of ${detail.customerId}`} />}
        />
        {!prepaid && (
          <Figure
            label="Permanent credit limit"
            value={limit === null ? 'No limit' : formatAmount(limit, cur, { withCode: true })}
            hint={limit === null ? 'A limit is strongly recommended.' : undefined}
            testId="figure-credit-limit"
          />
        )}
        {!prepaid && (
          <Figure
            label="Headroom"
            value={headroom === null ? '—' : formatAmount(headroom, cur, { withCode: true })}
            hint={
              headroom === null
                ? 'No limit set.'
                : headroom < 0
                  ? `Over the credit limit by ${formatAmount(-headroom, cur, { withCode: true })}: usage is refused until it is paid down.`
                  : 'Credit limit minus balance.'
            }
            tone={headroom !== null && headroom < 0 ? 'red' : undefined}
            testId="figure-headroom"
          />
        )}
      </SimpleGrid>

      {/* An auditor reads the balance; the button is not shown to a role that may not use it. */}
      {canAdjust && (
        <Group gap="sm" align="center">
          <Button variant="default" onClick={() => adjust.open(detail.id)}>
            Balance adjustment
          </Button>
          <Text size="sm" c="dimmed">
            Charges, credits, payments and refunds, with a summary of the effect before anything is saved.
          </Text>
        </Group>
      )}

      <div>
        <Text fw={600} mb={4}>
          What the {prepaid ? 'available funds are' : 'balance is'} made of
        </Text>
        <Text size="sm" c="dimmed" mb="xs">
          Usage per month (UTC) and service — open a line to see its records — and the money records, which add up to the amount above.
        </Text>
        <BalanceMakeup detail={detail} />
      </div>

      <CardActivityPanel customerId={detail.id} canAdjust={canAdjust} />

      <div>
        <Text fw={600} mb={4}>
          Transactions
        </Text>
        <Text size="sm" c="dimmed" mb="xs">
          The money records behind these amounts, newest first (usage records are on the Usage tab).
        </Text>
        <TransactionsTable customerId={detail.id} currency={cur} balanceControl={detail.balanceControl} />
      </div>
    </Stack>
  )
}
