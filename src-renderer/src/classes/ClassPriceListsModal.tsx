import { Modal, Skeleton, Stack, Text } from '@mantine/core'
import { useMutation, useQuery } from '../api/query'
import { QueryError } from '../lib/QueryError'
import { AssignmentTable } from '../pricelists/AssignmentTable'

/**
 * A class's price lists: per rated service, the list that rates its customers' usage (unless a
 * customer has its own). Only lists in the class's currency are offered.
 */
export function ClassPriceListsModal(props: { classId: number | null; canEdit: boolean; onClose: () => void }) {
  const classId = props.classId ?? 0
  const q = useQuery('priceLists.classAssignments', { classId }, { enabled: props.classId !== null })
  const assign = useMutation('priceLists.assignToClass')
  const remove = useMutation('priceLists.removeClassAssignment')
  const data = q.data?.classId === props.classId ? q.data : undefined

  return (
    <Modal opened={props.classId !== null} onClose={props.onClose} title={data ? `Price lists of ${data.className}` : 'Price lists'} size={980} centered>
      {q.error && !data ? (
        <QueryError error={q.error} onRetry={q.reload} what="the class's price lists" />
      ) : !data ? (
        <Skeleton h={120} />
      ) : (
        <Stack gap="sm">
          <Text size="sm" c="dimmed">
            The list that rates the usage of each service for every customer in this class; a customer can have its own list instead (its Price lists tab).
            {data.currency ? ` Lists in ${data.currency} are offered.` : ' The class has no currency and no customers yet: lists in any currency are offered.'}
          </Text>
          {data.services.length === 0 ? (
            <Text size="sm">No voice or messaging service yet: add one under Settings, Services.</Text>
          ) : (
            <AssignmentTable
              label="Class price lists"
              rows={data.services.map((s) => ({
                serviceId: s.serviceId,
                serviceName: s.serviceName,
                effective: s.priceList,
                here: s.priceList,
                source: s.priceList ? 'This class' : '—'
              }))}
              currency={data.currency}
              canEdit={props.canEdit}
              assignLabel="Assign"
              removeLabel="Remove"
              onAssign={async (serviceId, priceListId) => {
                await assign.run({ classId, serviceId, priceListId })
                return `Usage of this service by ${data.className} customers is rated with the chosen list.`
              }}
              onRemove={async (serviceId) => {
                await remove.run({ classId, serviceId })
                return `${data.className} has no list for this service now; its customers' usage is unrated unless they have their own.`
              }}
            />
          )}
        </Stack>
      )}
    </Modal>
  )
}
