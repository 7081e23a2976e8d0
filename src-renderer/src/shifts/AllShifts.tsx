import { Fragment, useState } from 'react'
import { Button, Checkbox, Group, Paper, SegmentedControl, Stack, Table, Text, Title } from '@mantine/core'
import type { InputOf } from '../../../src-shared/contract'
import { formatDateTime } from '../../../src-shared/format'
import { formatMinor } from '../../../src-shared/money'
import { useMutation, useQuery } from '../api/query'
import { downloadText } from '../lib/download'
import { DownloadIcon } from '../lib/icons'
import { notifyError, notifySuccess } from '../lib/notify'
import { QueryError } from '../lib/QueryError'
import { printPdf } from '../pdf/printPdf'
import { Difference } from './ShiftFigures'

type Filter = Pick<InputOf<'shifts.list'>, 'status' | 'withDifference'>

/** Every operator's shifts, newest first, one line per currency with its difference; export as CSV. */
export function AllShifts() {
  const [filter, setFilter] = useState<Filter>({ status: 'all', withDifference: false })
  const listQ = useQuery('shifts.list', { ...filter, limit: 200 })
  const exportCsv = useMutation('shifts.export')
  const report = useMutation('shifts.report')
  const money = (m: number | null, cur: string) => (m === null ? '—' : formatMinor(m, cur))

  async function onExport() {
    try {
      const res = await exportCsv.run(filter)
      downloadText(res.fileName, res.csv, 'text/csv;charset=utf-8')
      notifySuccess('Shifts exported', `${res.rows} ${res.rows === 1 ? 'line' : 'lines'} in ${res.fileName}.`)
    } catch (e) {
      notifyError(e)
    }
  }

  async function print(shiftId: number) {
    try {
      await printPdf(await report.run({ shiftId }), `Shift report ${shiftId}`)
    } catch (e) {
      notifyError(e)
    }
  }

  const data = listQ.data
  return (
    <Paper withBorder radius="md" p="lg" data-testid="all-shifts">
      <Stack gap="sm">
        <Group justify="space-between" align="center">
          <Title order={2} size="h4">
            All shifts
          </Title>
          <Group gap="md">
            <SegmentedControl
              size="xs"
              aria-label="Shift status"
              value={filter.status}
              onChange={(v) => setFilter((f) => ({ ...f, status: v as Filter['status'] }))}
              data={[
                { value: 'all', label: 'All' },
                { value: 'open', label: 'Open' },
                { value: 'closed', label: 'Closed' }
              ]}
            />
            <Checkbox
              label="Only with a difference"
              checked={filter.withDifference}
              onChange={(e) => {
                // Read now: React clears currentTarget before a state updater runs.
                const withDifference = e.currentTarget.checked
                setFilter((f) => ({ ...f, withDifference }))
              }}
            />
            <Button variant="default" leftSection={<DownloadIcon />} onClick={() => void onExport()} loading={exportCsv.running} disabled={!data || data.total === 0}>
              Export CSV
            </Button>
          </Group>
        </Group>
        {listQ.error && <QueryError error={listQ.error} what="the shifts" onRetry={listQ.reload} />}
        {data && data.total === 0 && (
          <Text size="sm" c="dimmed">
            {filter.status === 'all' && !filter.withDifference ? 'No shift has been opened yet.' : 'No shift matches.'}
          </Text>
        )}
        {data && data.total > 0 && (
          <>
            <Text size="sm" c="dimmed" data-testid="shift-count">
              {data.total} {data.total === 1 ? 'shift' : 'shifts'}
              {data.rows.length < data.total ? `, the newest ${data.rows.length} shown (the export has them all)` : ''}
            </Text>
            <Table.ScrollContainer minWidth={980} type="native">
              <Table withTableBorder verticalSpacing={4} fz="xs" className="shift-table" data-testid="shift-table">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Shift</Table.Th>
                    <Table.Th>Operator</Table.Th>
                    <Table.Th>Opened</Table.Th>
                    <Table.Th>Closed</Table.Th>
                    <Table.Th>Currency</Table.Th>
                    <Table.Th ta="right">Float</Table.Th>
                    <Table.Th ta="right">Cash in</Table.Th>
                    <Table.Th ta="right">Cash out</Table.Th>
                    <Table.Th ta="right">Expected</Table.Th>
                    <Table.Th ta="right">Counted</Table.Th>
                    <Table.Th>Difference</Table.Th>
                    <Table.Th />
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {data.rows.map((s) => {
                    const lines = s.currencies.length > 0 ? s.currencies : [null]
                    return (
                      <Fragment key={s.id}>
                        {lines.map((c, i) => (
                          <Table.Tr key={c?.currency ?? 'none'} data-shift={s.id} data-currency={c?.currency}>
                            {i === 0 && (
                              <>
                                <Table.Td rowSpan={lines.length}>{s.id}</Table.Td>
                                <Table.Td rowSpan={lines.length}>
                                  <bdi>{s.operatorName}</bdi>
                                </Table.Td>
                                <Table.Td rowSpan={lines.length}>{formatDateTime(s.openedAt)}</Table.Td>
                                <Table.Td rowSpan={lines.length}>
                                  {s.closedAt ? (
                                    formatDateTime(s.closedAt)
                                  ) : (
                                    <Text span size="sm" c="teal" fw={600}>
                                      open
                                    </Text>
                                  )}
                                </Table.Td>
                              </>
                            )}
                            <Table.Td ta="left">{c?.currency ?? '—'}</Table.Td>
                            <Table.Td ta="right">{c ? money(c.floatMinor, c.currency) : '—'}</Table.Td>
                            <Table.Td ta="right">{c ? money(c.cashInMinor, c.currency) : '—'}</Table.Td>
                            <Table.Td ta="right">{c ? money(c.cashOutMinor, c.currency) : '—'}</Table.Td>
                            <Table.Td ta="right">{c ? money(c.expectedMinor, c.currency) : '—'}</Table.Td>
                            <Table.Td ta="right">{c ? money(c.countedMinor, c.currency) : '—'}</Table.Td>
                            <Table.Td>{c ? <Difference minor={c.differenceMinor} currency={c.currency} /> : '—'}</Table.Td>
                            {i === 0 && (
                              <Table.Td rowSpan={lines.length}>
                                <Button size="compact-xs" variant="default" onClick={() => void print(s.id)} aria-label={`Print the report of shift ${s.id}`}>
                                  Report
                                </Button>
                              </Table.Td>
                            )}
                          </Table.Tr>
                        ))}
                      </Fragment>
                    )
                  })}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </>
        )}
      </Stack>
    </Paper>
  )
}
