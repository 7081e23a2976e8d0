import { useEffect, useState } from 'react'
import { Badge, Box, Group, LoadingOverlay, Pagination, Paper, Table, Text, TextInput } from '@mantine/core'
import { useDebouncedValue } from '@mantine/hooks'
import type { CustomerRow } from '../../../src-shared/domain'
import { formatAmount } from '../../../src-shared/format'
import { useQuery } from '../api/query'
import { BALANCE_CONTROL_LABEL, STATUS_COLOR, STATUS_LABEL } from '../lib/labels'
import { PageHeader } from '../lib/PageHeader'
import { QueryError } from '../lib/QueryError'

const PAGE_SIZE = 50

function BalanceCell({ row }: { row: CustomerRow }) {
  // One signed balance: what the customer owes. Prepaid customers see available funds = -balance.
  const prepaid = row.balanceControl === 'prepaid'
  const shown = prepaid ? -row.balanceMinor : row.balanceMinor
  return (
    <Group gap={6} justify="flex-end" wrap="nowrap">
      <Text span size="xs" c="dimmed">
        {prepaid ? 'funds' : 'balance'}
      </Text>
      <Text span size="sm" c={prepaid && shown < 0 ? 'red' : undefined} className="num">
        {formatAmount(shown, row.currency)}
      </Text>
    </Group>
  )
}

export function CustomersPage() {
  const [search, setSearch] = useState('')
  const [debounced] = useDebouncedValue(search.trim(), 250)
  const [page, setPage] = useState(1)
  useEffect(() => setPage(1), [debounced])

  const q = useQuery('customers.list', { search: debounced, offset: (page - 1) * PAGE_SIZE, limit: PAGE_SIZE })
  const rows = q.data?.rows ?? []
  const total = q.data?.total ?? 0
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE))

  let summary = ''
  if (q.data) {
    const what = total === 1 ? 'customer' : 'customers'
    if (debounced) summary = `${total} ${what} ${total === 1 ? 'matches' : 'match'} “${debounced}”`
    else if (total > PAGE_SIZE)
      summary = `${(page - 1) * PAGE_SIZE + 1}–${Math.min(page * PAGE_SIZE, total)} of ${total} customers`
    else summary = `${total} ${what}`
  }

  return (
    <>
      <PageHeader
        title="Customers"
        description="Balances, funds and unallocated payments as the ledger has them now. The full customer list — filters, adding and editing customers — lands with the customers feature."
      />

      <Group justify="space-between" mb="sm" wrap="wrap">
        <TextInput
          placeholder="Search by customer ID or company name"
          aria-label="Search customers"
          type="search"
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
          w={360}
          maw="100%"
        />
        <Text size="sm" c="dimmed" data-testid="customer-count" aria-live="polite">
          {summary}
        </Text>
      </Group>

      {q.error && !q.data ? (
        <QueryError error={q.error} onRetry={q.reload} what="customers" />
      ) : (
        <Paper withBorder radius="md" pos="relative">
          <LoadingOverlay visible={q.loading && !q.data} zIndex={1} overlayProps={{ blur: 1 }} />
          <Table.ScrollContainer minWidth={900} type="native">
            <Table highlightOnHover tabularNums verticalSpacing="xs" horizontalSpacing="xs" aria-label="Customers" aria-busy={q.loading}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th className="nowrap">Customer ID</Table.Th>
                  <Table.Th>Company name</Table.Th>
                  <Table.Th>Balance control</Table.Th>
                  <Table.Th>Currency</Table.Th>
                  <Table.Th className="num-head">Balance / Available funds</Table.Th>
                  <Table.Th className="num-head">Unallocated payments</Table.Th>
                  <Table.Th>Status</Table.Th>
                  <Table.Th>Class</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((r) => (
                  <Table.Tr key={r.id}>
                    <Table.Td className="nowrap" ff="monospace" fz="sm">
                      {r.customerId}
                    </Table.Td>
                    <Table.Td className="nowrap">{r.companyName}</Table.Td>
                    <Table.Td className="nowrap">{BALANCE_CONTROL_LABEL[r.balanceControl] ?? r.balanceControl}</Table.Td>
                    <Table.Td>{r.currency}</Table.Td>
                    <Table.Td>
                      <BalanceCell row={r} />
                    </Table.Td>
                    <Table.Td className="num">{formatAmount(r.unallocatedPaymentsMinor, r.currency)}</Table.Td>
                    <Table.Td className="nowrap">
                      <Badge
                        variant="light"
                        color={STATUS_COLOR[r.status] ?? 'gray'}
                        radius="sm"
                        tt="none"
                        fw={600}
                        styles={{ root: { maxWidth: 'none', overflow: 'visible' }, label: { overflow: 'visible', textOverflow: 'clip' } }}
                      >
                        {STATUS_LABEL[r.status] ?? r.status}
                      </Badge>
                    </Table.Td>
                    <Table.Td className="nowrap">{r.className ?? <Text span c="dimmed">—</Text>}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {q.data && rows.length === 0 && (
            <Box p="lg">
              <Text c="dimmed" ta="center">
                {debounced ? `No customer matches “${debounced}”.` : 'No customers yet. Adding customers arrives with the customers feature.'}
              </Text>
            </Box>
          )}
        </Paper>
      )}

      {pages > 1 && (
        <Group justify="flex-end" mt="md">
          <Pagination total={pages} value={page} onChange={setPage} />
        </Group>
      )}
    </>
  )
}
