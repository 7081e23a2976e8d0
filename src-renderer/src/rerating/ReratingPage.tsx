import '@mantine/dates/styles.css'
import { useEffect, useRef, useState } from 'react'
import { useSearchParams } from 'react-router'
import { Alert, Badge, Box, Button, Group, MultiSelect, Paper, SegmentedControl, Select, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core'
import { DateInput } from '@mantine/dates'
import type { InputOf } from '../../../src-shared/contract'
import type { JobSnapshot, ReratingPreview, ReratingResult, ReratingScope } from '../../../src-shared/domain'
import { formatMinor } from '../../../src-shared/money'
import { useJobPolling } from '../api/jobs'
import { useMutation, useQuery } from '../api/query'
import { useCan } from '../app/status'
import { notifyError } from '../lib/notify'
import { plural } from '../classes/describe'
import { JobProgressBar } from '../lib/JobProgressBar'
import { PageHeader } from '../lib/PageHeader'
import { formatInstant } from '../pricelists/parts'

type ScopeKind = ReratingScope['kind']

/** A picked calendar day (YYYY-MM-DD) as the instant its local day starts; `plusDays` 1 gives the end of an inclusive "To" day. */
function dayStart(date: string, plusDays = 0): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(date)
  if (!m) return null
  return new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + plusDays).toISOString()
}

const PAGE_SIZE = 50

/**
 * Re-rating: choose whose usage (all, a class, picked customers), the period and the price list
 * (the assigned ones, or one list), preview what changes per customer before anything is written,
 * then apply with a progress bar and Cancel. Each customer's balance moves by its difference
 * through one audited correction.
 */
export function ReratingPage() {
  const canEdit = useCan()('rerating.start')
  const [scopeKind, setScopeKind] = useState<ScopeKind>('all')
  const [classId, setClassId] = useState<string | null>(null)
  const [picked, setPicked] = useState<string[]>([])
  const [search, setSearch] = useState('')
  const [from, setFrom] = useState<string | null>(null)
  const [to, setTo] = useState<string | null>(null)
  const [listMode, setListMode] = useState<'assigned' | 'one'>('assigned')
  const [listId, setListId] = useState<string | null>(null)
  const [preview, setPreview] = useState<{ input: InputOf<'rerating.start'>; result: ReratingPreview; page: number } | null>(null)
  const [job, setJob] = useState<JobSnapshot<ReratingResult> | null>(null)
  const [error, setError] = useState<string | null>(null)

  const classes = useQuery('classes.list', {}, { enabled: canEdit })
  const lists = useQuery('priceLists.list', {}, { enabled: canEdit })
  const found = useQuery('customers.list', { search, limit: 20 }, { enabled: canEdit && scopeKind === 'customers' })
  const [pickedLabels, setPickedLabels] = useState<Record<string, string>>({})
  const previewCall = useMutation('rerating.preview')
  const start = useMutation('rerating.start')
  const cancel = useMutation('rerating.cancel')

  const scope = (): ReratingScope | string => {
    if (scopeKind === 'all') return { kind: 'all' }
    if (scopeKind === 'class') return classId ? { kind: 'class', classId: Number(classId) } : 'Choose a customer class.'
    return picked.length > 0 ? { kind: 'customers', customerIds: picked.map(Number) } : 'Pick at least one customer.'
  }

  const buildInput = (): InputOf<'rerating.start'> | string => {
    const s = scope()
    if (typeof s === 'string') return s
    const f = from ? dayStart(from) : null
    const t = to ? dayStart(to, 1) : null
    if (!f || !t) return 'Choose the first and the last day of the period.'
    if (listMode === 'one' && !listId) return 'Choose the price list to rate with.'
    return { scope: s, from: f, to: t, priceListId: listMode === 'one' ? Number(listId) : null }
  }

  const runPreview = async (page: number, input = preview?.input) => {
    if (!input) return
    try {
      const result = await previewCall.run({ ...input, offset: page * PAGE_SIZE, limit: PAGE_SIZE })
      setPreview({ input, result, page })
    } catch (e) {
      notifyError(e)
    }
  }

  const onPreview = () => {
    const input = buildInput()
    if (typeof input === 'string') {
      setError(input)
      return
    }
    setError(null)
    setJob(null)
    void runPreview(0, input)
  }

  const onApply = async () => {
    if (!preview) return
    try {
      setJob(await start.run(preview.input))
    } catch (e) {
      notifyError(e)
    }
  }

  // Poll the job while it runs; when it ends, refresh what it changed and the preview.
  useJobPolling(job, setJob, 'rerating.status', 'rerating.start')

  const running = job?.state === 'running'
  const customerOptions = [
    ...picked.map((id) => ({ value: id, label: pickedLabels[id] ?? `Customer ${id}` })),
    ...(found.data?.rows ?? []).filter((c) => !picked.includes(String(c.id))).map((c) => ({ value: String(c.id), label: `${c.customerId} (${c.currency})` }))
  ]

  return (
    <>
      <PageHeader
        title="Re-rating"
        description="Rate the usage of a period again after a price list was corrected. The preview shows, per customer, the old and new usage total and the difference before anything is written; applying moves each balance by its difference through one audited correction."
      />
      {!canEdit ? (
        <Alert color="gray">Only an administrator can re-rate usage.</Alert>
      ) : (
        <Stack gap="md">
          <Paper withBorder radius="md" p="md" component="section" aria-label="What to re-rate">
            <SimpleGrid cols={{ base: 1, md: 3 }} spacing="lg">
              <Stack gap="xs">
                <Text fw={600} size="sm">
                  Customers
                </Text>
                <SegmentedControl
                  aria-label="Customers"
                  value={scopeKind}
                  onChange={(v) => setScopeKind(v as ScopeKind)}
                  data={[
                    { value: 'all', label: 'All' },
                    { value: 'class', label: 'A class' },
                    { value: 'customers', label: 'Picked' }
                  ]}
                />
                {scopeKind === 'class' && (
                  <Select
                    label="Customer class"
                    placeholder="Choose a class"
                    value={classId}
                    onChange={setClassId}
                    data={(classes.data ?? []).map((k) => ({ value: String(k.id), label: k.name }))}
                  />
                )}
                {scopeKind === 'customers' && (
                  <MultiSelect
                    label="Customers"
                    placeholder="Type to search"
                    searchable
                    searchValue={search}
                    onSearchChange={setSearch}
                    value={picked}
                    onChange={(ids) => {
                      const labels = { ...pickedLabels }
                      for (const o of customerOptions) if (ids.includes(o.value)) labels[o.value] = o.label
                      setPickedLabels(labels)
                      setPicked(ids)
                    }}
                    data={customerOptions}
                    filter={({ options }) => options}
                    nothingFoundMessage="No customer matches"
                  />
                )}
              </Stack>
              <Stack gap="xs">
                <Text fw={600} size="sm">
                  Period (calls that started on these days)
                </Text>
                <Group grow>
                  <DateInput label="From" valueFormat="YYYY-MM-DD" placeholder="YYYY-MM-DD" value={from} onChange={setFrom} popoverProps={{ withinPortal: true }} />
                  <DateInput label="To (included)" valueFormat="YYYY-MM-DD" placeholder="YYYY-MM-DD" value={to} onChange={setTo} popoverProps={{ withinPortal: true }} />
                </Group>
              </Stack>
              <Stack gap="xs">
                <Text fw={600} size="sm">
                  Price list
                </Text>
                <SegmentedControl
                  aria-label="Price list"
                  value={listMode}
                  onChange={(v) => setListMode(v as 'assigned' | 'one')}
                  data={[
                    { value: 'assigned', label: 'Assigned lists' },
                    { value: 'one', label: 'One list' }
                  ]}
                />
                {listMode === 'one' && (
                  <Select
                    label="Rate everyone with"
                    description="Customers billed in another currency are left out and listed."
                    placeholder="Choose a price list"
                    value={listId}
                    onChange={setListId}
                    data={(lists.data ?? []).map((l) => ({ value: String(l.id), label: `${l.name} (${l.currency})` }))}
                  />
                )}
              </Stack>
            </SimpleGrid>
            <Group justify="flex-end" mt="md">
              {error && (
                <Text c="red" size="sm" role="alert">
                  {error}
                </Text>
              )}
              <Button onClick={onPreview} loading={previewCall.running} disabled={running}>
                Preview
              </Button>
            </Group>
          </Paper>

          {preview && <PreviewSection preview={preview.result} page={preview.page} onPage={(p) => void runPreview(p)} />}

          {preview && (
            <Paper withBorder radius="md" p="md" component="section" aria-label="Apply">
              {job === null ? (
                <Group justify="space-between">
                  <Text size="sm">
                    {preview.result.recordsChanged === 0
                      ? 'Nothing would change: applying writes nothing.'
                      : `Applying changes ${plural(preview.result.recordsChanged, 'record')} of ${plural(preview.result.customers.length, 'customer')}, each customer whole in one unit of work.`}
                  </Text>
                  <Button color="orange" onClick={() => void onApply()} loading={start.running}>
                    Apply re-rating
                  </Button>
                </Group>
              ) : (
                <JobProgress job={job} onCancel={() => void cancel.run({ jobId: job.id }).then(setJob, notifyError)} />
              )}
            </Paper>
          )}

          <HistorySection />
        </Stack>
      )}
    </>
  )
}

function Money(props: { minor: number; currency: string; signed?: boolean }) {
  const text = formatMinor(props.minor, props.currency)
  return <>{props.signed && props.minor > 0 ? `+${text}` : text}</>
}

function PreviewSection(props: { preview: ReratingPreview; page: number; onPage: (page: number) => void }) {
  const p = props.preview
  const pages = Math.ceil(p.recordsChanged / PAGE_SIZE)
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-label="Preview">
      <Title order={2} size="h4" mb={4}>
        Preview: {formatInstant(p.from)} to {formatInstant(p.to)}
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {p.priceListName === null ? "Each customer's assigned price lists." : `Everyone rated with "${p.priceListName}".`} {plural(p.customersConsidered, 'customer')},{' '}
        {plural(p.recordsConsidered, 'usage record')} looked at; {p.recordsChanged.toLocaleString('en-US')} change.
        {p.recordsNotRated > 0 &&
          ` ${p.recordsNotRated.toLocaleString('en-US')} rated records cannot be rated with this choice (no prefix or no list) and keep their charge.`}
      </Text>
      {p.skipped.length > 0 && (
        <Alert color="yellow" mb="sm" title={`${plural(p.skipped.length, 'customer')} left out`}>
          {p.skipped
            .slice(0, 10)
            .map((s) => `${s.customerName}: ${s.reason}`)
            .join('; ')}
          {p.skipped.length > 10 && ` and ${p.skipped.length - 10} more`}
        </Alert>
      )}
      {p.customers.length > 0 && (
        <>
          <Table tabularNums verticalSpacing={4} aria-label="Per customer" mb="md">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Customer</Table.Th>
                <Table.Th className="num-head">Records</Table.Th>
                <Table.Th className="num-head">Old total</Table.Th>
                <Table.Th className="num-head">New total</Table.Th>
                <Table.Th className="num-head">Difference</Table.Th>
                <Table.Th>Currency</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {p.customers.slice(0, 200).map((c) => (
                <Table.Tr key={c.customerId}>
                  <Table.Td fw={600}>{c.customerName}</Table.Td>
                  <Table.Td className="num">{c.records}</Table.Td>
                  <Table.Td className="num">
                    <Money minor={c.oldTotalMinor} currency={c.currency} />
                  </Table.Td>
                  <Table.Td className="num">
                    <Money minor={c.newTotalMinor} currency={c.currency} />
                  </Table.Td>
                  <Table.Td className="num" fw={600}>
                    <Money minor={c.differenceMinor} currency={c.currency} signed />
                  </Table.Td>
                  <Table.Td>{c.currency}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
            <Table.Tfoot>
              {p.totals.map((t) => (
                <Table.Tr key={t.currency} fw={700}>
                  <Table.Td>Total {t.currency}</Table.Td>
                  <Table.Td />
                  <Table.Td className="num">
                    <Money minor={t.oldTotalMinor} currency={t.currency} />
                  </Table.Td>
                  <Table.Td className="num">
                    <Money minor={t.newTotalMinor} currency={t.currency} />
                  </Table.Td>
                  <Table.Td className="num">
                    <Money minor={t.differenceMinor} currency={t.currency} signed />
                  </Table.Td>
                  <Table.Td>{t.currency}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tfoot>
          </Table>
          {p.customers.length > 200 && (
            <Text size="sm" c="dimmed" mb="sm">
              The 200 largest differences of {p.customers.length.toLocaleString('en-US')} customers are shown; the totals cover all of them.
            </Text>
          )}
          <Title order={3} size="h5" mb={4}>
            Records that change
          </Title>
          <Table tabularNums verticalSpacing={4} aria-label="Records that change">
            <Table.Thead>
              <Table.Tr>
                <Table.Th className="num-head">xDR</Table.Th>
                <Table.Th>Customer</Table.Th>
                <Table.Th>Started</Table.Th>
                <Table.Th>Called number</Table.Th>
                <Table.Th className="num-head">Seconds</Table.Th>
                <Table.Th className="num-head">Old charge</Table.Th>
                <Table.Th className="num-head">New charge</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {p.changes.map((c) => (
                <Table.Tr key={c.xdrId}>
                  <Table.Td className="num">{c.xdrId}</Table.Td>
                  <Table.Td>{c.customerName}</Table.Td>
                  <Table.Td className="nowrap">{formatInstant(c.startedAt)}</Table.Td>
                  <Table.Td ff="monospace">{c.destination}</Table.Td>
                  <Table.Td className="num">{c.durationS}</Table.Td>
                  <Table.Td className="num">
                    {c.oldChargeMinor === null ? <Badge variant="light">unrated</Badge> : <Money minor={c.oldChargeMinor} currency={c.currency} />}
                  </Table.Td>
                  <Table.Td className="num">
                    {c.newChargeMinor === null ? <Badge variant="light">unrated</Badge> : <Money minor={c.newChargeMinor} currency={c.currency} />}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {pages > 1 && (
            <Group justify="flex-end" mt="xs">
              <Text size="sm" c="dimmed">
                Page {props.page + 1} of {pages}
              </Text>
              <Button size="compact-sm" variant="default" disabled={props.page === 0} onClick={() => props.onPage(props.page - 1)}>
                Previous
              </Button>
              <Button size="compact-sm" variant="default" disabled={props.page + 1 >= pages} onClick={() => props.onPage(props.page + 1)}>
                Next
              </Button>
            </Group>
          )}
        </>
      )}
    </Paper>
  )
}

function JobProgress(props: { job: JobSnapshot<ReratingResult>; onCancel: () => void }) {
  const r = props.job.result
  return (
    <JobProgressBar
      job={props.job}
      title="Re-rating"
      ended={{
        completed: 'Re-rating done',
        cancelled: 'Re-rating cancelled: the customers before Cancel are re-rated, the others are untouched',
        failed: 'Re-rating failed'
      }}
      onCancel={props.onCancel}
    >
      {r && (
        <Box role="status">
          <Text size="sm">
            {r.reratingId === null
              ? 'Nothing changed: no record, correction or audit entry was written.'
              : `Re-rating ${r.reratingId}: ${plural(r.recordsChanged, 'record')} of ${plural(r.customersChanged, 'customer')} changed; balances moved by ${r.totals
                  .map((t) => `${t.differenceMinor > 0 ? '+' : ''}${formatMinor(t.differenceMinor, t.currency)} ${t.currency}`)
                  .join(', ')}.`}
          </Text>
        </Box>
      )}
    </JobProgressBar>
  )
}

/** Past runs; `?run=N` (an audit entry's link) picks out run N: marked, scrolled to, and named above the table. */
function HistorySection() {
  const q = useQuery('rerating.history', {})
  const rows = q.data ?? []
  const [params] = useSearchParams()
  const chosen = Number(params.get('run')) || null
  const chosenRow = useRef<HTMLTableRowElement>(null)
  const found = chosen === null ? null : (rows.find((h) => h.id === chosen) ?? null)
  useEffect(() => {
    if (found) chosenRow.current?.scrollIntoView({ block: 'center' })
  }, [found])
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-label="Past re-ratings">
      <Title order={2} size="h4" mb="xs">
        Past re-ratings
      </Title>
      {chosen !== null && q.data && (
        <Text size="sm" mb="xs" c={found ? undefined : 'dimmed'} data-testid="rerating-chosen">
          {found
            ? `Re-rating ${found.id}, by ${found.operatorName} on ${formatInstant(found.at)}: ${plural(found.customers, 'customer')} and ${plural(found.records, 'record')} changed, ${found.state} (marked below).`
            : `Re-rating ${chosen} is not among the last ${rows.length} re-ratings that changed something.`}
        </Text>
      )}
      {rows.length === 0 ? (
        <Text c="dimmed" size="sm">
          No re-rating has changed anything yet.
        </Text>
      ) : (
        <Table tabularNums verticalSpacing={4} aria-label="Re-ratings">
          <Table.Thead>
            <Table.Tr>
              <Table.Th className="num-head">No.</Table.Th>
              <Table.Th>When</Table.Th>
              <Table.Th>By</Table.Th>
              <Table.Th>Period</Table.Th>
              <Table.Th>Price list</Table.Th>
              <Table.Th className="num-head">Customers</Table.Th>
              <Table.Th className="num-head">Records</Table.Th>
              <Table.Th>State</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((h) => (
              <Table.Tr
                key={h.id}
                ref={h.id === chosen ? chosenRow : undefined}
                aria-current={h.id === chosen ? 'true' : undefined}
                data-testid={`rerating-run-${h.id}`}
                bg={h.id === chosen ? 'var(--mantine-primary-color-light)' : undefined}
              >
                <Table.Td className="num">{h.id}</Table.Td>
                <Table.Td className="nowrap">{formatInstant(h.at)}</Table.Td>
                <Table.Td>{h.operatorName}</Table.Td>
                <Table.Td className="nowrap">
                  {formatInstant(h.from)} to {formatInstant(h.to)}
                </Table.Td>
                <Table.Td>{h.priceListName ?? 'Assigned lists'}</Table.Td>
                <Table.Td className="num">{h.customers}</Table.Td>
                <Table.Td className="num">{h.records}</Table.Td>
                <Table.Td>{h.state}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Paper>
  )
}
