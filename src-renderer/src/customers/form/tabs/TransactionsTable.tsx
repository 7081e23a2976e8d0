import { Table, Text } from '@mantine/core'
import type { BalanceControl } from '../../../../../src-shared/domain'
import { formatAmount, formatDate, formatDateTime } from '../../../../../src-shared/format'
import { OPERATIONS } from '../../../adjustments/operations'
import { useQuery } from '../../../api/query'
import { QueryError } from '../../../lib/QueryError'

const LABEL: Record<string, string> = {
  ...Object.fromEntries(OPERATIONS.map((o) => [o.key, o.label])),
  'opening-balance': 'Opening balance',
  usage: 'Usage'
}

/**
 * The ledger records behind the balance, newest first. Amounts are shown as the customer sees
 * them: "Balance" for postpaid (what is owed), "Funds" for prepaid (the opposite sign).
 */
export function TransactionsTable(props: { customerId: number; currency: string; balanceControl: BalanceControl }) {
  const q = useQuery('ledger.transactions', { customerId: props.customerId, limit: 50 })
  const prepaid = props.balanceControl === 'prepaid'
  if (q.error && !q.data) return <QueryError error={q.error} onRetry={q.reload} what="the transactions" />
  const rows = q.data ?? []
  return (
    <Table.ScrollContainer minWidth={820} type="native">
      <Table tabularNums verticalSpacing="xs" horizontalSpacing="sm" aria-label="Transactions" striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th className="nowrap">xDR id</Table.Th>
            <Table.Th>When</Table.Th>
            <Table.Th>Operation</Table.Th>
            <Table.Th ta="right">{prepaid ? 'Funds' : 'Balance'}</Table.Th>
            <Table.Th ta="right">Unallocated</Table.Th>
            <Table.Th className="nowrap">Service / date</Table.Th>
            <Table.Th>Comments</Table.Th>
            <Table.Th>Operator</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((t) => {
            const effect = prepaid ? -t.amountMinor : t.amountMinor
            return (
              <Table.Tr key={t.xdrId}>
                <Table.Td ff="monospace" fz="sm">
                  {t.xdrId}
                </Table.Td>
                <Table.Td className="nowrap">{formatDateTime(t.at)}</Table.Td>
                <Table.Td className="nowrap">{LABEL[t.kind] ?? t.kind}</Table.Td>
                <Table.Td ta="right" className="nowrap">
                  {effect > 0 ? '+' : ''}
                  {formatAmount(effect, props.currency)}
                </Table.Td>
                <Table.Td ta="right" className="nowrap">
                  {t.unallocatedDeltaMinor === 0 ? '—' : `${t.unallocatedDeltaMinor > 0 ? '+' : ''}${formatAmount(t.unallocatedDeltaMinor, props.currency)}`}
                </Table.Td>
                <Table.Td>
                  {t.serviceName ?? '—'}
                  {t.effectiveDate && (
                    <Text span size="xs" c="dimmed">
                      {' '}
                      · {formatDate(t.effectiveDate)}
                      {t.outOfTurn ? ' · out-of-turn' : ''}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  {t.visibleComment}
                  {t.internalComment && (
                    <Text size="xs" c="dimmed">
                      Internal: {t.internalComment}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td className="nowrap">{t.operatorName ?? '—'}</Table.Td>
              </Table.Tr>
            )
          })}
        </Table.Tbody>
      </Table>
      {q.data && rows.length === 0 && (
        <Text c="dimmed" size="sm" p="sm">
          No transactions yet.
        </Text>
      )}
    </Table.ScrollContainer>
  )
}
