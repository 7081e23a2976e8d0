import { Badge, Button, Group, Paper, SimpleGrid, Stack, Table, Text } from '@mantine/core'
import type { CustomerDetail } from '../../../../../src-shared/domain'
import { formatDate, formatDateTime, formatLastDay } from '../../../../../src-shared/format'
import { STATUS_LABEL } from '../../../lib/labels'
import { StatusBadge } from '../../status/StatusBadge'

/** `date`: a calendar date; `lastDay`: the day that ends at the instant given (a lift's end). */
function DateItem(props: { label: string; value: string | null; date?: boolean; lastDay?: boolean; testId: string }) {
  return (
    <div>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {props.label}
      </Text>
      <Text size="sm" style={{ fontVariantNumeric: 'tabular-nums' }} data-testid={props.testId}>
        {props.lastDay ? formatLastDay(props.value) : props.date ? formatDate(props.value) : formatDateTime(props.value)}
      </Text>
    </div>
  )
}

/** Newest first; a stable sort keeps the engine's order for changes in the same instant. */
function newestFirst(history: CustomerDetail['statusHistory']) {
  return [...history].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0))
}

/** Life cycle: the current status, its dates and its history (newest first). */
export function LifeCycleTab(props: { detail: CustomerDetail; onChangeStatus: () => void; canChange: boolean }) {
  const d = props.detail
  return (
    <Stack gap="md" maw={1000}>
      <Group gap="sm">
        <Text size="sm">Current status</Text>
        <StatusBadge status={d.status} size="lg" testId="lifecycle-status" />
        {d.suspended && d.status !== 'suspended' && (
          <Badge variant="outline" color="yellow" tt="none">
            overdue suspension{d.suspensionLiftedUntil ? ' lifted' : ''}
          </Badge>
        )}
        {props.canChange && (
          <Button variant="light" onClick={props.onChangeStatus}>
            Change status
          </Button>
        )}
      </Group>

      <Paper withBorder radius="md" p="sm">
        <SimpleGrid cols={{ base: 2, md: 3, xl: 5 }} spacing="sm" verticalSpacing="sm">
          <DateItem label="Created" value={d.createdAt} testId="date-created" />
          <DateItem label="Provisionally terminated at" value={d.provisionallyTerminatedAt} testId="date-provisional" />
          <DateItem label="Reactivation deadline" value={d.reactivationDeadline} testId="date-reactivation-deadline" />
          <DateItem label="Permanent termination date" value={d.terminatedAt} date testId="date-terminated" />
          <DateItem label="Suspension lifted until" value={d.suspensionLiftedUntil} lastDay testId="date-lifted-until" />
        </SimpleGrid>
      </Paper>

      <div>
        <Text fw={600} size="sm" mb={6}>
          Status history
        </Text>
        <Paper withBorder radius="md">
          <Table.ScrollContainer minWidth={640} type="native">
            <Table verticalSpacing="xs" horizontalSpacing="sm" aria-label="Status history" striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th className="nowrap">When</Table.Th>
                  <Table.Th>From</Table.Th>
                  <Table.Th>To</Table.Th>
                  <Table.Th>Note</Table.Th>
                  <Table.Th>By</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {newestFirst(d.statusHistory).map((h, i) => (
                  <Table.Tr key={`${h.at}-${i}`}>
                    <Table.Td className="nowrap" style={{ fontVariantNumeric: 'tabular-nums' }}>
                      {formatDateTime(h.at)}
                    </Table.Td>
                    <Table.Td className="nowrap">
                      {h.fromStatus ? (
                        STATUS_LABEL[h.fromStatus]
                      ) : (
                        <Text span c="dimmed">
                          —
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td className="nowrap">
                      <StatusBadge status={h.toStatus} />
                    </Table.Td>
                    <Table.Td>
                      {h.note || (
                        <Text span c="dimmed">
                          —
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td className="nowrap">{h.operatorName}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {d.statusHistory.length === 0 && (
            <Text c="dimmed" size="sm" p="sm">
              No status changes recorded.
            </Text>
          )}
        </Paper>
      </div>
    </Stack>
  )
}
