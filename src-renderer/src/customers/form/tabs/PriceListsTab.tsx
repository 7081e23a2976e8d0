import { Paper, Skeleton, Stack, Text } from '@mantine/core'
import type { CustomerDetail, CustomerServicePriceList } from '../../../../../src-shared/domain'
import { useMutation, useQuery } from '../../../api/query'
import { QueryError } from '../../../lib/QueryError'
import { AssignmentTable } from '../../../pricelists/AssignmentTable'

function sourceText(s: CustomerServicePriceList, className: string | null) {
  if (s.source === 'own') return s.ofClass ? `Own list (over the class's "${s.ofClass.name}")` : 'Own list'
  if (s.source === 'class') return `Class ${className ?? ''}`
  return className ? `Class ${className} has none` : 'No class'
}

/** Price lists: per rated service, the list that rates this customer's usage and where it comes from. */
export function PriceListsTab(props: { detail: CustomerDetail; canEdit: boolean }) {
  const d = props.detail
  const q = useQuery('priceLists.customerAssignments', { customerId: d.id })
  const override = useMutation('priceLists.overrideForCustomer')
  const remove = useMutation('priceLists.removeCustomerOverride')
  const data = q.data?.customerId === d.id ? q.data : undefined

  return (
    <Stack gap="sm" maw={1100}>
      <Text size="sm" c="dimmed">
        The customer's usage is rated with its own list for a service when it has one, else with its class's. Lists in {d.currency} are offered.
      </Text>
      {q.error && !data ? (
        <QueryError error={q.error} onRetry={q.reload} what="the customer's price lists" />
      ) : !data ? (
        <Skeleton h={120} />
      ) : data.services.length === 0 ? (
        <Text size="sm">No voice or messaging service yet: add one under Settings, Services.</Text>
      ) : (
        <Paper withBorder radius="md">
          <AssignmentTable
            label="Customer price lists"
            rows={data.services.map((s) => ({
              serviceId: s.serviceId,
              serviceName: s.serviceName,
              effective: s.effective,
              here: s.own,
              source: sourceText(s, data.className)
            }))}
            currency={data.currency}
            canEdit={props.canEdit}
            assignLabel="Override"
            removeLabel="Remove override"
            onAssign={async (serviceId, priceListId) => {
              await override.run({ customerId: d.id, serviceId, priceListId })
              return `${d.customerId}'s usage of this service is rated with its own list from now on.`
            }}
            onRemove={async (serviceId) => {
              await remove.run({ customerId: d.id, serviceId })
              return `${d.customerId}'s usage of this service is rated with its class's list again.`
            }}
          />
        </Paper>
      )}
    </Stack>
  )
}
