import { Fragment, useMemo, useState } from 'react'
import { Button, Checkbox, Group, Paper, SegmentedControl, Stack, Table, Text, TextInput, Title } from '@mantine/core'
import type { Shift } from '../../../src-shared/domain'
import { formatDateTime } from '../../../src-shared/format'
import { formatMinor } from '../../../src-shared/money'
import { useMutation, useQuery } from '../api/query'
import { useAddressQuery } from '../app/nav'
import { useCan } from '../app/status'
import { noSubmit } from '../lib/filters'
import { downloadText } from '../lib/download'
import { DownloadIcon } from '../lib/icons'
import { notifyError, notifySuccess } from '../lib/notify'
import { QueryError } from '../lib/QueryError'
import { printPdf } from '../pdf/printPdf'
import { CloseShiftDialog } from './CloseShiftDialog'
import { Difference } from './ShiftFigures'
import { parseShiftsView, shiftFilterOf, type ShiftsView, withShiftsView } from './shifts-address'

const PAGE_SIZE = 100

/**
 * Every operator's shifts, newest first, one line per currency with its difference, a page at a
 * time; filters (status, difference, opened from/to) and the page in the address; export as CSV.
 * An administrator closes a shift its operator left open from here.
 */
export function AllShifts() {
  const [params, updateAddress] = useAddressQuery()
  const text = params.toString()
  const view = useMemo(() => parseShiftsView(new URLSearchParams(text)), [text])
  const filter = shiftFilterOf(view)
  const page = view.page ?? 0
  const listQ = useQuery('shifts.list', { ...filter, offset: page * PAGE_SIZE, limit: PAGE_SIZE })
  const can = useCan()
  const [closing, setClosing] = useState<Shift | null>(null)
  /** A change of filter is a history entry (Back undoes it) and goes back to the first page. */
  const set = (patch: ShiftsView) =>
    updateAddress((current) => {
      const next: ShiftsView = { ...parseShiftsView(current), ...patch }
      if (!('page' in patch)) delete next.page
      return withShiftsView(current, next)
    })
  const filtered = view.status !== undefined || view.withDifference || view.from !== undefined || view.to !== undefined
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

  const date = (label: string, key: 'from' | 'to') => (
    <TextInput
      label={label}
      type="date"
      size="xs"
      w={140}
      value={view[key] ?? ''}
      onKeyDown={noSubmit}
      onChange={(e) => set({ [key]: e.currentTarget.value || undefined })}
    />
  )

  const data = listQ.data
  return (
    <Paper withBorder radius="md" p="lg" data-testid="all-shifts">
      <Stack gap="sm">
        <Group justify="space-between" align="flex-end">
          <Title order={2} size="h4">
            All shifts
          </Title>
          <Group gap="md" align="flex-end">
            {date('Opened from', 'from')}
            {date('Opened to', 'to')}
            <SegmentedControl
              size="xs"
              aria-label="Shift status"
              value={filter.status}
              onChange={(v) => set({ status: v === 'open' || v === 'closed' ? v : undefined })}
              data={[
                { value: 'all', label: 'All' },
                { value: 'open', label: 'Open' },
                { value: 'closed', label: 'Closed' }
              ]}
            />
            <Checkbox label="Only with a difference" checked={filter.withDifference} onChange={(e) => set({ withDifference: e.currentTarget.checked || undefined })} />
            <Button variant="default" leftSection={<DownloadIcon />} onClick={() => void onExport()} loading={exportCsv.running} disabled={!data || data.total === 0}>
              Export CSV
            </Button>
          </Group>
        </Group>
        {listQ.error && <QueryError error={listQ.error} what="the shifts" onRetry={listQ.reload} />}
        {data && data.total === 0 && (
          <Text size="sm" c="dimmed">
            {filtered ? 'No shift matches.' : 'No shift has been opened yet.'}
          </Text>
        )}
        {data && data.total > 0 && (
          <>
            <Text size="sm" c="dimmed" data-testid="shift-count">
              {data.total} {data.total === 1 ? 'shift' : 'shifts'}
              {data.total > PAGE_SIZE ? `, ${page * PAGE_SIZE + 1}–${page * PAGE_SIZE + data.rows.length} shown` : ''}
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
                                    <>
                                      {formatDateTime(s.closedAt)}
                                      {s.closedBy && s.closedBy !== s.operatorName && (
                                        <Text span size="xs" c="dimmed" display="block">
                                          by <bdi>{s.closedBy}</bdi>
                                        </Text>
                                      )}
                                    </>
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
                                <Stack gap={4} align="stretch">
                                  <Button size="compact-xs" variant="default" onClick={() => void print(s.id)} aria-label={`Print the report of shift ${s.id}`}>
                                    Report
                                  </Button>
                                  {s.closedAt === null && can('shifts.close') && (
                                    <Button size="compact-xs" variant="light" color="red" onClick={() => setClosing(s)} aria-label={`Close shift ${s.id}`}>
                                      Close…
                                    </Button>
                                  )}
                                </Stack>
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
            {data.total > PAGE_SIZE && (
              <Group gap="sm">
                <Button variant="default" size="xs" disabled={page === 0} onClick={() => set({ page: page - 1 })}>
                  Newer
                </Button>
                <Text size="sm" data-testid="shift-page">
                  Page {page + 1} of {Math.ceil(data.total / PAGE_SIZE)}
                </Text>
                <Button variant="default" size="xs" disabled={(page + 1) * PAGE_SIZE >= data.total} onClick={() => set({ page: page + 1 })}>
                  Older
                </Button>
              </Group>
            )}
          </>
        )}
        {closing && <CloseShiftDialog shift={closing} onClose={() => setClosing(null)} onClosed={() => {}} />}
      </Stack>
    </Paper>
  )
}
