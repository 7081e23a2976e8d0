import { Anchor, Table, Text } from '@mantine/core'
import { Link } from 'react-router'
import type { CustomerDetail } from '../../../../../src-shared/domain'
import { formatAmount } from '../../../../../src-shared/format'
import { useQuery } from '../../../api/query'
import { usagePath } from '../../../app/nav'
import { QueryError } from '../../../lib/QueryError'
import { kindLabel } from '../../../usage/UsageBrowser'
import { monthPeriod } from '../../../usage/usage-address'

/**
 * What the balance is made of: the customer's usage per month (UTC) and service, each linked to
 * the usage browser with those filters, and its money records per kind (listed one by one under
 * Transactions). Every record posts to the balance once, so the lines add up to it; the last
 * line says so, in the same terms as the figure above (available funds for prepaid).
 */
export function BalanceMakeup({ detail }: { detail: CustomerDetail }) {
  const q = useQuery('usage.customerSummary', { customerId: detail.id })
  if (q.error && !q.data) return <QueryError error={q.error} onRetry={q.reload} what="the balance breakdown" />
  const s = q.data
  if (!s) return null
  const cur = s.currency
  const prepaid = detail.balanceControl === 'prepaid'
  // As the customer sees it: prepaid funds go up with payments and down with usage.
  const shown = (minor: number) => formatAmount(prepaid ? -minor : minor, cur)
  return (
    <Table.ScrollContainer minWidth={640} type="native">
      <Table tabularNums verticalSpacing={4} horizontalSpacing="sm" aria-label="Balance breakdown" withTableBorder maw={900}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Records</Table.Th>
            <Table.Th>Period</Table.Th>
            <Table.Th ta="right">Count</Table.Th>
            <Table.Th ta="right">{prepaid ? 'Funds' : 'Balance'}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {s.usage.map((u) => (
            <Table.Tr key={`${u.month}-${u.serviceId}`} data-testid="makeup-line">
              <Table.Td>
                <Anchor
                  component={Link}
                  to={usagePath({ customerId: detail.id, ...monthPeriod(u.month), ...(u.serviceId === null ? {} : { serviceId: u.serviceId }) }, { onCustomerTab: true })}
                  size="sm"
                >
                  Usage · {u.serviceName ?? 'no service'}
                </Anchor>
                {u.unrated > 0 && (
                  <Text span size="xs" c="orange" ml={6}>
                    {u.unrated} unrated, not charged
                  </Text>
                )}
                {u.chargeMinor !== u.postedMinor && (
                  <Text size="xs" c="dimmed">
                    Re-rated: now {shown(u.chargeMinor)}; the difference is a re-rating correction below.
                  </Text>
                )}
              </Table.Td>
              <Table.Td className="nowrap">{u.month}</Table.Td>
              <Table.Td ta="right">{u.records.toLocaleString('en-US')}</Table.Td>
              <Table.Td ta="right" className="nowrap" data-testid="makeup-amount" data-minor={prepaid ? -u.postedMinor : u.postedMinor}>
                {shown(u.postedMinor)}
              </Table.Td>
            </Table.Tr>
          ))}
          {s.money.map((m) => (
            <Table.Tr key={m.kind} data-testid="makeup-line">
              <Table.Td>{kindLabel(m.kind)}</Table.Td>
              <Table.Td c="dimmed">listed under Transactions</Table.Td>
              <Table.Td ta="right">{m.records.toLocaleString('en-US')}</Table.Td>
              <Table.Td ta="right" className="nowrap" data-testid="makeup-amount" data-minor={prepaid ? -m.totalMinor : m.totalMinor}>
                {shown(m.totalMinor)}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
        <Table.Tfoot>
          <Table.Tr>
            <Table.Th>{prepaid ? 'Available funds' : 'Balance'}</Table.Th>
            <Table.Th />
            <Table.Th />
            <Table.Th ta="right" className="nowrap" data-testid="makeup-total" data-minor={prepaid ? -s.listedTotalMinor : s.listedTotalMinor}>
              {formatAmount(prepaid ? -s.listedTotalMinor : s.listedTotalMinor, cur, { withCode: true })}
            </Table.Th>
          </Table.Tr>
        </Table.Tfoot>
      </Table>
      {s.listedTotalMinor !== s.balanceMinor && (
        <Text c="red" size="sm" mt="xs" role="alert">
          These records add up to {formatAmount(s.listedTotalMinor, cur, { withCode: true })}, not the stored balance of{' '}
          {formatAmount(s.balanceMinor, cur, { withCode: true })}. Run the ledger check on the Audit log page.
        </Text>
      )}
    </Table.ScrollContainer>
  )
}
