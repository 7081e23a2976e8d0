import { useState } from 'react'
import { useSearchParams } from 'react-router'
import { Box, Button, LoadingOverlay, Paper, Table, Text } from '@mantine/core'
import type { CustomerClass } from '../../../src-shared/domain'
import { useQuery } from '../api/query'
import { useCan } from '../app/status'
import { PageHeader } from '../lib/PageHeader'
import { QueryError } from '../lib/QueryError'
import { ClassFormModal } from './ClassFormModal'
import { ClassPriceListsModal } from './ClassPriceListsModal'
import { describeBillingPeriod, describeSuspension, plural } from './describe'
import { formatPercent } from '../../../src-shared/percent'

/** Customer classes: the billing, invoicing and life-cycle rules customers share. */
export function ClassesPage() {
  const q = useQuery('classes.list', {})
  const [editing, setEditing] = useState<{ klass: CustomerClass | null } | null>(null)
  const canEdit = useCan()('classes.create')
  const classes = q.data ?? []
  // A class's price lists open over the page, in the address (#/classes?pricelists=<id>).
  const [params, setParams] = useSearchParams()
  const priceListsOf = /^\d+$/.test(params.get('pricelists') ?? '') ? Number(params.get('pricelists')) : null

  return (
    <>
      <PageHeader
        title="Customer classes"
        description="A class sets the currency (optional), billing period, invoice due days, suspension on an overdue invoice, reactivation period and tax rate for every customer in it."
        actions={
          <Button onClick={() => setEditing({ klass: null })} disabled={!canEdit}>
            New class
          </Button>
        }
      />

      {q.error && !q.data ? (
        <QueryError error={q.error} onRetry={q.reload} what="customer classes" />
      ) : (
        <Paper withBorder radius="md" pos="relative">
          <LoadingOverlay visible={q.loading && !q.data} zIndex={1} overlayProps={{ blur: 1 }} />
          <Table.ScrollContainer minWidth={1000} type="native">
            <Table highlightOnHover tabularNums verticalSpacing="xs" horizontalSpacing="xs" aria-label="Customer classes">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Name</Table.Th>
                  <Table.Th>Currency</Table.Th>
                  <Table.Th>Billing period</Table.Th>
                  <Table.Th className="num-head">Due days</Table.Th>
                  <Table.Th>Suspension on overdue</Table.Th>
                  <Table.Th className="num-head">Reactivation period</Table.Th>
                  <Table.Th className="num-head">Tax</Table.Th>
                  <Table.Th>Invoice prefix</Table.Th>
                  <Table.Th className="num-head">Customers</Table.Th>
                  <Table.Th aria-label="Actions" />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {classes.map((k) => (
                  <Table.Tr key={k.id}>
                    <Table.Td fw={600} miw={125}>
                      {k.name}
                    </Table.Td>
                    <Table.Td>
                      {k.currency ?? (
                        <Text span c="dimmed" size="sm">
                          any
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td className="nowrap">{describeBillingPeriod(k.billingPeriod, k.billingDay)}</Table.Td>
                    <Table.Td className="num">{k.dueDays}</Table.Td>
                    <Table.Td className="nowrap">{describeSuspension(k)}</Table.Td>
                    <Table.Td className="num nowrap">{plural(k.reactivationDays, 'day')}</Table.Td>
                    <Table.Td className="num">{formatPercent(k.taxRatePpm)}%</Table.Td>
                    <Table.Td ff="monospace" fz="sm">
                      {k.invoicePrefix || (
                        <Text span c="dimmed" size="sm">
                          —
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td className="num">{k.customerCount}</Table.Td>
                    <Table.Td ta="right" pr="md" className="nowrap">
                      <Button size="compact-sm" variant="subtle" onClick={() => setParams({ pricelists: String(k.id) })} aria-label={`Price lists of ${k.name}`}>
                        Price lists
                      </Button>
                      <Button size="compact-sm" variant="subtle" onClick={() => setEditing({ klass: k })} disabled={!canEdit} aria-label={`Edit ${k.name}`}>
                        Edit
                      </Button>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {q.data && classes.length === 0 && (
            <Box p="lg">
              <Text c="dimmed" ta="center">
                No customer classes yet. Create one to share billing and life-cycle rules between customers.
              </Text>
            </Box>
          )}
        </Paper>
      )}

      <ClassPriceListsModal classId={priceListsOf} canEdit={canEdit} onClose={() => setParams({})} />
      <ClassFormModal opened={editing !== null} klass={editing?.klass ?? null} onClose={() => setEditing(null)} />
    </>
  )
}
