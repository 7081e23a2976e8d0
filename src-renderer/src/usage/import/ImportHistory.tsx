import { Anchor, Badge, Paper, ScrollArea, Table, Text } from '@mantine/core'
import type { UsageImportRecord } from '../../../../src-shared/domain'
import { formatDateTime } from '../../../../src-shared/format'
import { useQuery } from '../../api/query'

const STATE_COLOR: Record<UsageImportRecord['state'], string> = {
  running: 'blue',
  completed: 'teal',
  cancelled: 'yellow',
  failed: 'red',
  interrupted: 'orange'
}

const SOURCE_LABEL: Record<UsageImportRecord['source'], string> = { page: 'Usage page', folder: 'Import folder', 'command-line': 'Command line' }

const n = (x: number) => x.toLocaleString('en-US')

/** The last usage imports with their counters; choosing one shows its stored summary. */
export function ImportHistory(props: { onOpen: (importId: number) => void }) {
  const list = useQuery('usageImport.list', { limit: 10 })
  const rows = list.data ?? []
  if (rows.length === 0) return null
  return (
    <div>
      <Text fw={600} size="sm" mb={6}>
        Recent imports
      </Text>
      <Paper withBorder radius="md">
        <ScrollArea.Autosize mah={240} type="auto">
          <Table verticalSpacing={4} horizontalSpacing="sm" aria-label="Recent usage imports" stickyHeader>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>File</Table.Th>
                <Table.Th>Started</Table.Th>
                <Table.Th>From</Table.Th>
                <Table.Th>State</Table.Th>
                <Table.Th ta="right">Imported</Table.Th>
                <Table.Th ta="right">Unrated</Table.Th>
                <Table.Th ta="right">Duplicates</Table.Th>
                <Table.Th ta="right">Rejected</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((r) => (
                <Table.Tr key={r.importId}>
                  <Table.Td>
                    <Anchor component="button" type="button" size="sm" onClick={() => props.onOpen(r.importId)}>
                      #{r.importId} {r.fileName}
                    </Anchor>
                  </Table.Td>
                  <Table.Td className="nowrap">{formatDateTime(r.startedAt)}</Table.Td>
                  <Table.Td>{SOURCE_LABEL[r.source]}</Table.Td>
                  <Table.Td>
                    <Badge variant="light" color={STATE_COLOR[r.state]}>
                      {r.state}
                    </Badge>
                  </Table.Td>
                  <Table.Td ta="right">{n(r.imported)}</Table.Td>
                  <Table.Td ta="right">{n(r.unrated)}</Table.Td>
                  <Table.Td ta="right">{n(r.duplicates)}</Table.Td>
                  <Table.Td ta="right">{n(r.rejected)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollArea.Autosize>
      </Paper>
    </div>
  )
}
