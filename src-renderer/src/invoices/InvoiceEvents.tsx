import { Stack, Table, Text } from '@mantine/core'
import { formatDateTime } from '../../../src-shared/format'
import { useQuery } from '../api/query'
import { useCan } from '../app/status'
import { QueryError } from '../lib/QueryError'
import { AuditLinks } from '../audit/AuditLinks'

/**
 * The events that changed an invoice (invoices.events): the audit entries whose source is the
 * invoice or that name it, oldest first, with time, operator and description. Only the audit
 * log's readers (administrator, auditor) see them; the engine checks the role too.
 */
export function InvoiceEvents({ invoiceId }: { invoiceId: number }) {
  const allowed = useCan()('invoices.events')
  const q = useQuery('invoices.events', { invoiceId }, { enabled: allowed })
  if (!allowed) return null
  return (
    <Stack gap={4}>
      <Text size="sm" fw={600}>
        Events
      </Text>
      {q.error && <QueryError error={q.error} onRetry={q.reload} what="the invoice's events" />}
      <Table withTableBorder verticalSpacing={4} data-testid="invoice-events">
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={140}>Time</Table.Th>
            <Table.Th w={130}>Operator</Table.Th>
            <Table.Th>What changed</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(q.data ?? []).map((e) => (
            <Table.Tr key={e.id}>
              <Table.Td style={{ whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' }}>{formatDateTime(e.at)}</Table.Td>
              <Table.Td>{e.operatorName}</Table.Td>
              <Table.Td>
                {e.description}
                <AuditLinks links={e.links} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  )
}
