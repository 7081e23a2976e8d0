import { useCan } from '../app/status'
import { useEffect, useMemo, useState } from 'react'
import { Badge, Button, Checkbox, Group, Paper, Select, Stack, Table, Text, TextInput, Tooltip } from '@mantine/core'
import { useDebouncedValue } from '@mantine/hooks'
import { USAGE_UNRATED_REASONS } from '../../../src-shared/contract'
import type { UsageBrowserRow, UsageCursor, UsageTotals } from '../../../src-shared/domain'
import { formatAmount, formatDateTime } from '../../../src-shared/format'
import { OPERATIONS } from '../adjustments/operations'
import { useMutation, useQuery } from '../api/query'
import { customerPath } from '../app/nav'
import { downloadCsvChunks } from '../lib/download'
import { DownloadIcon } from '../lib/icons'
import { notifyError, notifySuccess } from '../lib/notify'
import { CustomerPicker, noSubmit } from '../lib/filters'
import { QueryError } from '../lib/QueryError'
import { usageFilterOf, type UsageView } from './usage-address'
import { useUsageTotals } from './useUsageTotals'

const PAGE_SIZE = 100
/** Records per export request: small enough that one request never holds the engine for long. */
const EXPORT_CHUNK = 20_000

const KIND_LABEL: Record<string, string> = {
  ...Object.fromEntries(OPERATIONS.map((o) => [o.key, o.label])),
  'opening-balance': 'Opening balance',
  'rerating-correction': 'Re-rating correction',
  usage: 'Usage'
}
export const kindLabel = (kind: string) => KIND_LABEL[kind] ?? kind

const REASON_LABEL: Record<(typeof USAGE_UNRATED_REASONS)[number], string> = {
  'no-matching-prefix': 'No matching prefix',
  'no-price-list': 'No price list',
  'unknown-account': 'Unknown account',
  'closed-account': 'Closed account',
  'unknown-service': 'Unknown service'
}
const reasonLabel = (r: string | null) => (r && r in REASON_LABEL ? REASON_LABEL[r as keyof typeof REASON_LABEL] : (r ?? ''))

const money = (minor: number | null, currency: string | null) => (minor === null || currency === null ? '—' : formatAmount(minor, currency))
const duration = (s: number) => `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`

/** A text filter applied once typing pauses (each change is a history entry). */
export function useTypedFilter(value: string | undefined, apply: (v: string | undefined) => void): [string, (v: string) => void] {
  const [text, setText] = useState(value ?? '')
  const [debounced] = useDebouncedValue(text, 300)
  useEffect(() => setText(value ?? ''), [value])
  useEffect(() => {
    const next = debounced.trim() || undefined
    if (next !== (value ?? undefined)) apply(next)
    // Only a pause in typing applies; the address changing is handled above.
  }, [debounced])
  return [text, setText]
}

function Filters(props: { view: UsageView; onChange: (v: UsageView) => void; fixedCustomer: boolean }) {
  const { view, onChange } = props
  const services = useQuery('services.listAll', {})
  const set = (patch: Partial<UsageView>) => {
    const next: UsageView = { ...view, ...patch }
    for (const k of Object.keys(next) as (keyof UsageView)[]) if (next[k] === undefined || next[k] === '') delete next[k]
    onChange(next)
  }
  const [account, setAccount] = useTypedFilter(view.account, (v) => set({ account: v }))
  const [dest, setDest] = useTypedFilter(view.destination, (v) => set({ destination: v }))
  const destError = dest !== '' && !/^\+?[0-9]*$/.test(dest.trim()) ? 'Digits, optionally after "+"' : undefined
  const rating = view.unratedReason ? `unrated:${view.unratedReason}` : (view.rating ?? 'all')
  return (
    <Group gap="sm" align="flex-end" wrap="wrap" data-testid="usage-filters">
      {!props.fixedCustomer && <CustomerPicker value={view.customerId} onChange={(id) => set({ customerId: id })} />}
      <TextInput label="Account" placeholder="Any account" w={150} value={account} onKeyDown={noSubmit} onChange={(e) => setAccount(e.currentTarget.value)} />
      <TextInput label="From (UTC)" type="date" w={150} value={view.from ?? ''} onChange={(e) => set({ from: e.currentTarget.value || undefined })} />
      <TextInput label="To (UTC)" type="date" w={150} value={view.to ?? ''} onChange={(e) => set({ to: e.currentTarget.value || undefined })} />
      <Select
        label="Service"
        placeholder="Any service"
        clearable
        w={170}
        data={(services.data ?? []).map((s) => ({ value: String(s.id), label: s.name }))}
        value={view.serviceId === undefined ? null : String(view.serviceId)}
        onChange={(v) => set({ serviceId: v === null ? undefined : Number(v) })}
      />
      <Select
        label="Rating"
        w={200}
        allowDeselect={false}
        data={[
          { value: 'all', label: 'Rated and unrated' },
          { value: 'rated', label: 'Rated' },
          { value: 'unrated', label: 'Unrated (any reason)' },
          ...USAGE_UNRATED_REASONS.map((r) => ({ value: `unrated:${r}`, label: `Unrated: ${REASON_LABEL[r]}` }))
        ]}
        value={rating}
        onChange={(v) => {
          if (!v || v === 'all') set({ rating: undefined, unratedReason: undefined })
          else if (v.startsWith('unrated:')) set({ rating: 'unrated', unratedReason: v.slice(8) as UsageView['unratedReason'] })
          else set({ rating: v as 'rated' | 'unrated', unratedReason: undefined })
        }}
      />
      <TextInput
        label="Destination"
        placeholder="e.g. +44"
        w={130}
        value={dest}
        error={destError}
        onKeyDown={noSubmit}
        onChange={(e) => setDest(e.currentTarget.value)}
        aria-label="Destination (start of the called number)"
      />
      <Checkbox
        label="Show payments and credits"
        checked={view.includeTransactions ?? false}
        onChange={(e) => set({ includeTransactions: e.currentTarget.checked || undefined })}
        mb={8}
      />
    </Group>
  )
}

/** The totals' lines of one record kind and service, its amounts per currency side by side. */
interface TotalGroup {
  key: string
  label: string
  isUsage: boolean
  records: number
  unrated: number
  durationS: number
  amounts: { currency: string | null; minor: number }[]
}

function groupTotals(totals: Pick<UsageTotals, 'lines'>): TotalGroup[] {
  const groups = new Map<string, TotalGroup>()
  for (const l of totals.lines) {
    const key = `${l.kind}|${l.serviceId ?? ''}`
    let g = groups.get(key)
    if (!g) {
      const label = l.kind === 'usage' ? (l.serviceName ?? 'No service') : `${kindLabel(l.kind)}${l.serviceName ? ` · ${l.serviceName}` : ''}`
      g = { key, label, isUsage: l.kind === 'usage', records: 0, unrated: 0, durationS: 0, amounts: [] }
      groups.set(key, g)
    }
    g.records += l.records
    g.unrated += l.unrated
    g.durationS += l.durationS
    g.amounts.push({ currency: l.currency, minor: l.chargeMinor })
  }
  return [...groups.values()]
}

/** One row per service (and per kind of money record), amounts per currency: a short table above the records. */
function TotalsTable({ totals }: { totals: Pick<UsageTotals, 'lines' | 'records'> }) {
  if (totals.lines.length === 0) return null
  return (
    <Table.ScrollContainer minWidth={640} type="native">
      <Table tabularNums verticalSpacing={4} horizontalSpacing="sm" aria-label="Totals" withTableBorder>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Records of</Table.Th>
            <Table.Th ta="right">Records</Table.Th>
            <Table.Th ta="right">Unrated</Table.Th>
            <Table.Th ta="right">Minutes</Table.Th>
            <Table.Th ta="right">Amount per currency</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {groupTotals(totals).map((g) => (
            <Table.Tr key={g.key} data-testid="usage-total-line">
              <Table.Td className="nowrap">{g.label}</Table.Td>
              <Table.Td ta="right">{g.records.toLocaleString('en-US')}</Table.Td>
              <Table.Td ta="right">{g.isUsage ? g.unrated.toLocaleString('en-US') : ''}</Table.Td>
              <Table.Td ta="right">{g.isUsage ? Math.round(g.durationS / 60).toLocaleString('en-US') : ''}</Table.Td>
              <Table.Td ta="right">
                <Group gap={4} justify="flex-end" wrap="wrap">
                  {g.amounts.map((a) => (
                    <Badge key={a.currency ?? 'none'} variant="default" radius="sm" tt="none" fw={500} size="md" style={{ fontVariantNumeric: 'tabular-nums' }}>
                      {a.currency === null ? 'no customer: —' : formatAmount(a.minor, a.currency, { withCode: true })}
                    </Badge>
                  ))}
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  )
}

function RecordsTable(props: { rows: UsageBrowserRow[]; showCustomer: boolean }) {
  return (
    <Table.ScrollContainer minWidth={1000} type="native">
      <Table tabularNums verticalSpacing={4} horizontalSpacing="xs" fz="sm" aria-label="Usage records" striped stickyHeader>
        <Table.Thead>
          <Table.Tr>
            <Table.Th className="nowrap">Start (UTC)</Table.Th>
            {props.showCustomer && <Table.Th>Customer</Table.Th>}
            <Table.Th>Account</Table.Th>
            <Table.Th>Service</Table.Th>
            <Table.Th>Destination</Table.Th>
            <Table.Th ta="right">Duration</Table.Th>
            <Table.Th ta="right">Billed</Table.Th>
            <Table.Th>Rating</Table.Th>
            <Table.Th ta="right">Amount</Table.Th>
            <Table.Th>Comment</Table.Th>
            <Table.Th ta="right" className="nowrap">
              xDR id
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {props.rows.map((r) => (
            <Table.Tr key={r.xdrId} data-testid="usage-row">
              <Table.Td className="nowrap">{formatDateTime(r.startedAt, { utc: true })}</Table.Td>
              {props.showCustomer && (
                <Table.Td className="nowrap">
                  {r.customerId === null ? (
                    <Text span c="dimmed" size="sm">
                      unknown
                    </Text>
                  ) : (
                    <a href={`#${customerPath(r.customerId, 'usage')}`}>{r.customerName}</a>
                  )}
                </Table.Td>
              )}
              <Table.Td className="nowrap">{r.account ?? '—'}</Table.Td>
              <Table.Td className="nowrap">{r.kind === 'usage' ? (r.serviceName ?? '—') : kindLabel(r.kind)}</Table.Td>
              <Table.Td ff="monospace" fz="sm">
                {r.destination}
              </Table.Td>
              <Table.Td ta="right">{r.kind === 'usage' && (r.durationS > 0 || r.billedS !== null) ? duration(r.durationS) : ''}</Table.Td>
              <Table.Td ta="right">{r.billedS === null ? '' : duration(r.billedS)}</Table.Td>
              <Table.Td className="nowrap">
                {r.rating === 'unrated' ? (
                  <Tooltip label="Kept unrated and not charged; it is rated once the cause is fixed.">
                    <Badge color="orange" variant="light" size="sm">
                      {reasonLabel(r.unratedReason) || 'Unrated'}
                    </Badge>
                  </Tooltip>
                ) : r.rating === 'rated' ? (
                  <Text span size="sm" c="dimmed">
                    {r.prefix ? `prefix ${r.prefix}` : 'rated'}
                  </Text>
                ) : (
                  ''
                )}
              </Table.Td>
              <Table.Td ta="right" className="nowrap">
                {money(r.chargeMinor, r.currency)}
                {/* Several customers' records: each amount says its currency. */}
                {props.showCustomer && r.currency && r.chargeMinor !== null && (
                  <Text span size="xs" c="dimmed" ml={4}>
                    {r.currency}
                  </Text>
                )}
                {r.currency && r.chargeMinor !== null && r.kind === 'usage' && r.chargeMinor !== r.postedMinor && (
                  <Text size="xs" c="dimmed">
                    posted {formatAmount(r.postedMinor, r.currency)}
                  </Text>
                )}
              </Table.Td>
              <Table.Td maw={260}>{r.visibleComment}</Table.Td>
              <Table.Td ta="right" ff="monospace" fz="sm">
                {r.xdrId}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  )
}

/**
 * Usage records (and, when asked, payments and credits with their visible comments) for the filters
 * in the address, newest first, a page at a time, with the totals of the whole filter and a CSV
 * export of it. `fixedCustomer`: on a customer's Usage tab, the customer is not a filter to change.
 */
export function UsageBrowser(props: { view: UsageView; onChange: (v: UsageView) => void; fixedCustomer?: boolean }) {
  const filter = useMemo(() => usageFilterOf(props.view), [props.view])
  const filterKey = JSON.stringify(filter)
  // Older pages are reached through the cursors of the pages before them (keyset paging).
  const [cursors, setCursors] = useState<UsageCursor[]>([])
  useEffect(() => setCursors([]), [filterKey])
  const after = cursors[cursors.length - 1]
  const page = useQuery('usage.list', { ...filter, limit: PAGE_SIZE, ...(after ? { after } : {}) })
  const totals = useUsageTotals(filter)
  const exportCsv = useMutation('usage.exportCsv')
  const can = useCan()
  const [exported, setExported] = useState<number | null>(null)

  async function onExport() {
    setExported(0)
    try {
      const { fileName, rows } = await downloadCsvChunks<UsageCursor>(
        (next) => exportCsv.run({ ...filter, chunkRows: EXPORT_CHUNK, ...(next ? { after: next } : {}) }),
        setExported
      )
      notifySuccess('Usage exported', `${rows.toLocaleString('en-US')} records saved to ${fileName}.`)
    } catch (e) {
      notifyError(e)
    } finally {
      setExported(null)
    }
  }

  const rows = page.data?.rows ?? []
  const first = cursors.length * PAGE_SIZE + 1
  return (
    <Stack gap="sm">
      <Filters view={props.view} onChange={props.onChange} fixedCustomer={props.fixedCustomer ?? false} />
      <Paper withBorder radius="md" p="sm">
        <Group justify="space-between" align="flex-start" mb={totals.data?.lines.length ? 'xs' : 0} wrap="wrap">
          <Text fw={600} data-testid="usage-total-records">
            {totals.progress !== null
              ? `Counting… ${Math.floor(totals.progress * 100)}%`
              : totals.data
                ? `${totals.data.records.toLocaleString('en-US')} ${totals.data.records === 1 ? 'record' : 'records'}`
                : 'Counting…'}
          </Text>
          {can('usage.exportCsv') && (
            <Button
              variant="default"
              leftSection={<DownloadIcon />}
              onClick={() => void onExport()}
              loading={exported !== null}
              disabled={!totals.data || totals.data.records === 0}
            >
              Export CSV
            </Button>
          )}
        </Group>
        {exported !== null && (
          <Text size="sm" c="dimmed" aria-live="polite">
            Exporting… {exported.toLocaleString('en-US')} of {(totals.data?.records ?? 0).toLocaleString('en-US')} records
          </Text>
        )}
        {totals.error && <QueryError error={totals.error} onRetry={totals.reload} what="the totals" />}
        {totals.data && <TotalsTable totals={totals.data} />}
      </Paper>
      {page.error && !page.data ? (
        <QueryError error={page.error} onRetry={page.reload} what="the usage records" />
      ) : (
        <>
          <RecordsTable rows={rows} showCustomer={!props.fixedCustomer} />
          {page.data && rows.length === 0 && (
            <Text c="dimmed" size="sm" p="sm">
              No records match these filters.
            </Text>
          )}
          <Group gap="sm" justify="flex-end">
            <Text size="sm" c="dimmed" data-testid="usage-page-range">
              {rows.length > 0 ? `Records ${first.toLocaleString('en-US')}–${(first + rows.length - 1).toLocaleString('en-US')}, newest first` : ''}
            </Text>
            <Button variant="default" disabled={cursors.length === 0} onClick={() => setCursors((c) => c.slice(0, -1))}>
              Newer
            </Button>
            <Button variant="default" disabled={!page.data?.next} onClick={() => page.data?.next && setCursors((c) => [...c, page.data!.next!])}>
              Older
            </Button>
          </Group>
        </>
      )}
    </Stack>
  )
}
