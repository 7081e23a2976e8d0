import '@mantine/dates/styles.css'
import { useEffect, useState } from 'react'
import { useSearchParams } from 'react-router'
import { Alert, Anchor, Badge, Button, FileInput, Group, Paper, Radio, Select, Stack, Table, Text, Title } from '@mantine/core'
import { DateInput, TimeInput } from '@mantine/dates'
import type { InputOf } from '../../../src-shared/contract'
import type { CustomerCsvParse, InvoiceStatus, JobSnapshot, ReissueMode, ReissuePreview, ReissueRunResult } from '../../../src-shared/domain'
import { localDate } from '../../../src-shared/format'
import { INVOICE_STATUS_LABEL } from '../../../src-shared/labels'
import { formatMinor } from '../../../src-shared/money'
import { useJobPolling } from '../api/jobs'
import { useMutation, useQuery } from '../api/query'
import { useCan } from '../app/status'
import { plural } from '../classes/describe'
import { downloadText } from '../lib/download'
import { JobProgressBar } from '../lib/JobProgressBar'
import { notifyError } from '../lib/notify'
import { PageHeader } from '../lib/PageHeader'
import { formatInstant } from '../pricelists/parts'

type Source = 'manual' | 'file' | 'rerating'
type Picked = { id: number; customerId: string; companyName: string }
type Selection = InputOf<'reissue.preview'>

/** A picked day (YYYY-MM-DD) and time (HH:MM) as the local instant. */
function localInstant(date: string | null, time: string): string | null {
  const d = /^(\d{4})-(\d{2})-(\d{2})/.exec(date ?? '')
  const t = /^(\d{1,2}):(\d{2})$/.exec(time.trim())
  if (!d || !t) return null
  return new Date(Number(d[1]), Number(d[2]) - 1, Number(d[3]), Number(t[1]), Number(t[2])).toISOString()
}

const MODE_LABEL: Record<ReissueMode, string> = {
  void: 'All invoices, voiding already sent invoices and generating new ones with new numbers',
  'same-number': 'All invoices, regenerating already sent invoices with the same number'
}

const money = (minor: number | null, currency: string) => (minor === null ? '—' : formatMinor(minor, currency))
const statusLabel = (s: InvoiceStatus | null) => (s === null ? '—' : INVOICE_STATUS_LABEL[s])

/**
 * Batch re-issue, as the source page's dialog: choose how to select customers, the date and time
 * after which the incorrect invoices were issued, and the mode; Next: pick the customers (by hand,
 * from a CSV of customer IDs, or a re-rating's out-of-date invoices); Next: the preview (old and
 * new total, amount due and status per invoice, later invoices carrying the balance, totals);
 * Apply: a job with progress and Cancel, then the results. Past batches below.
 */
export function ReissuePage() {
  const canEdit = useCan()('reissue.start')
  const [step, setStep] = useState<1 | 2 | 3>(1)
  const [source, setSource] = useState<Source>('manual')
  const [date, setDate] = useState<string | null>(null)
  const [time, setTime] = useState('00:00')
  const [mode, setMode] = useState<ReissueMode>('void')
  const [picked, setPicked] = useState<Picked[]>([])
  const [search, setSearch] = useState('')
  const [candidate, setCandidate] = useState<Picked | null>(null)
  const [csv, setCsv] = useState<CustomerCsvParse | null>(null)
  const [reratingId, setReratingId] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [preview, setPreview] = useState<{ input: Selection; result: ReissuePreview } | null>(null)
  const [job, setJob] = useState<JobSnapshot<ReissueRunResult> | null>(null)
  const [batchId, setBatchId] = useState<number | null>(null)
  // A notification's link: #/reissue?batch=N shows that batch's results.
  const [params] = useSearchParams()
  const linked = Number(params.get('batch'))
  const [shownBatch, setShownBatch] = useState<number | null>(Number.isInteger(linked) && linked > 0 ? linked : null)
  useEffect(() => {
    if (Number.isInteger(linked) && linked > 0) setShownBatch(linked)
  }, [linked])

  const found = useQuery('customers.list', { search, limit: 20 }, { enabled: canEdit && step === 2 && source === 'manual' })
  const reratings = useQuery('rerating.history', {}, { enabled: canEdit && source === 'rerating' })
  const parseCsv = useMutation('reissue.parseCustomerCsv')
  const fromRerating = useMutation('reissue.fromRerating')
  const previewCall = useMutation('reissue.preview')
  const exportCsv = useMutation('reissue.exportCsv')
  const start = useMutation('reissue.start')
  const cancel = useMutation('reissue.cancel')
  const offPeak = useQuery('reissue.offPeak', {}, { enabled: canEdit })
  const [scheduled, setScheduled] = useState<string | null>(null)
  useJobPolling(job, setJob, 'reissue.status', 'reissue.start')

  const issuedAfter = localInstant(date, time)
  const customers = source === 'file' ? (csv?.customers ?? []) : picked

  const onNext1 = () => {
    if (source !== 'rerating' && !issuedAfter) {
      setError('Set the date and time after which the incorrect invoices were issued.')
      return
    }
    setError(null)
    setStep(2)
  }

  const onNext2 = async () => {
    if (customers.length === 0) {
      setError(source === 'file' ? 'Upload a CSV naming at least one known customer.' : 'Add at least one customer.')
      return
    }
    const after = issuedAfter
    if (!after) {
      setError('Set the date and time after which the incorrect invoices were issued.')
      return
    }
    setError(null)
    const input: Selection = { customerIds: customers.map((c) => c.id), issuedAfter: after, mode }
    try {
      setPreview({ input, result: await previewCall.run(input) })
      setStep(3)
    } catch (e) {
      notifyError(e)
    }
  }

  const onFile = async (file: File | null) => {
    setCsv(null)
    if (!file) return
    try {
      setCsv(await parseCsv.run({ text: await file.text() }))
    } catch (e) {
      notifyError(e)
    }
  }

  const onRerating = async (id: string | null) => {
    setReratingId(id)
    if (!id) return
    try {
      const sel = await fromRerating.run({ reratingId: Number(id) })
      setPicked(sel.customers)
      if (sel.issuedAfter) {
        const at = new Date(sel.issuedAfter)
        setDate(`${at.getFullYear()}-${String(at.getMonth() + 1).padStart(2, '0')}-${String(at.getDate()).padStart(2, '0')}`)
        setTime(`${String(at.getHours()).padStart(2, '0')}:${String(at.getMinutes()).padStart(2, '0')}`)
      }
    } catch (e) {
      notifyError(e)
    }
  }

  const onApply = async (scheduledFor: string | null) => {
    if (!preview) return
    try {
      const started = await start.run({ ...preview.input, scheduledFor })
      setBatchId(started.batchId)
      setShownBatch(started.batchId)
      setJob(started.job)
      setScheduled(scheduledFor)
    } catch (e) {
      notifyError(e)
    }
  }

  const onExportPreview = async () => {
    if (!preview) return
    try {
      const f = await exportCsv.run({ preview: preview.input })
      downloadText(f.fileName, f.csv, 'text/csv;charset=utf-8')
    } catch (e) {
      notifyError(e)
    }
  }

  const restart = () => {
    setStep(1)
    setPreview(null)
    setJob(null)
    setBatchId(null)
    setShownBatch(null)
    setScheduled(null)
  }

  const options = (found.data?.rows ?? [])
    .filter((c) => !picked.some((p) => p.id === c.id))
    .map((c) => ({ value: String(c.id), label: c.companyName ? `${c.companyName} (${c.customerId})` : c.customerId }))

  // Chosen from the rows found: kept as chosen, since choosing puts its label in the search.
  const choose = (value: string | null) => {
    const c = found.data?.rows.find((r) => String(r.id) === value)
    if (c) setCandidate({ id: c.id, customerId: c.customerId, companyName: c.companyName })
    else if (value === null) setCandidate(null)
  }

  const addCandidate = () => {
    if (!candidate || picked.some((p) => p.id === candidate.id)) return
    setPicked([...picked, candidate])
    setCandidate(null)
    setSearch('')
  }

  if (!canEdit)
    return (
      <>
        <PageHeader title="Re-issue" description="Batch invoice re-issue after a re-rating." />
        <Alert color="gray">Only an administrator can re-issue invoices.</Alert>
      </>
    )

  return (
    <>
      <PageHeader
        title="Re-issue"
        description="Recalculate invoices from the usage and transactions now in the database after a re-rating: choose the customers, the date and time after which the incorrect invoices were issued, and whether to void them and issue new numbers or regenerate them with the same numbers. Later invoices carry the corrected balance forward."
      />
      <Stack gap="md">
        {job === null && step === 1 && (
          <Paper withBorder radius="md" p="md" component="section" aria-label="Batch re-issue">
            <Title order={2} size="h4" mb="sm">
              Batch re-issue
            </Title>
            <Stack gap="sm" maw={760}>
              <Radio.Group label="Select customers using" value={source} onChange={(v) => setSource(v as Source)}>
                <Group mt={4}>
                  <Radio value="manual" label="Manual picking" />
                  <Radio value="file" label="File upload" />
                  <Radio value="rerating" label="A re-rating's out-of-date invoices" />
                </Group>
              </Radio.Group>
              {source !== 'rerating' && (
                <Group align="flex-end">
                  <DateInput
                    label="Invoices issued after (date)"
                    valueFormat="YYYY-MM-DD"
                    placeholder="YYYY-MM-DD"
                    value={date}
                    onChange={(v) => {
                      setDate(v)
                      setError(null)
                    }}
                    popoverProps={{ withinPortal: true }}
                    w={240}
                  />
                  <TimeInput label="Time" value={time} onChange={(e) => setTime(e.currentTarget.value)} w={120} />
                </Group>
              )}
              <Radio.Group label="Re-issue invoices" value={mode} onChange={(v) => setMode(v as ReissueMode)}>
                <Stack gap={6} mt={4}>
                  <Radio value="void" label={MODE_LABEL.void} />
                  <Radio value="same-number" label={MODE_LABEL['same-number']} />
                </Stack>
              </Radio.Group>
            </Stack>
            <Group justify="flex-end" mt="md">
              {error && (
                <Text c="red" size="sm" role="alert">
                  {error}
                </Text>
              )}
              <Button onClick={onNext1}>Next</Button>
            </Group>
          </Paper>
        )}

        {job === null && step === 2 && (
          <Paper withBorder radius="md" p="md" component="section" aria-label="Customers">
            <Title order={2} size="h4" mb="sm">
              {source === 'manual' ? 'Pick customers' : source === 'file' ? 'Upload a CSV of customer IDs' : 'From a re-rating'}
            </Title>
            {source === 'manual' && (
              <Group align="flex-end" mb="sm">
                <Select
                  label="Customer"
                  placeholder="Type to search"
                  searchable
                  searchValue={search}
                  onSearchChange={setSearch}
                  value={candidate ? String(candidate.id) : null}
                  onChange={choose}
                  data={
                    candidate && !options.some((o) => o.value === String(candidate.id))
                      ? [
                          ...options,
                          { value: String(candidate.id), label: candidate.companyName ? `${candidate.companyName} (${candidate.customerId})` : candidate.customerId }
                        ]
                      : options
                  }
                  filter={({ options: o }) => o}
                  nothingFoundMessage="No customer matches"
                  w={360}
                />
                <Button variant="default" onClick={addCandidate} disabled={candidate === null}>
                  Add
                </Button>
              </Group>
            )}
            {source === 'file' && (
              <Stack gap="xs" mb="sm" maw={520}>
                <FileInput
                  label="CSV file"
                  description="Customer IDs in the first column, one a line; a header row is fine."
                  accept=".csv,text/csv,text/plain"
                  placeholder="Choose a file"
                  onChange={(f) => void onFile(f)}
                  clearable
                />
                {csv && csv.problems.length > 0 && (
                  <Alert color="yellow" title={`${plural(csv.problems.length, 'line')} left out`}>
                    <Table verticalSpacing={2} aria-label="Problems">
                      <Table.Tbody>
                        {csv.problems.slice(0, 50).map((p) => (
                          <Table.Tr key={p.line}>
                            <Table.Td className="nowrap">Line {p.line}</Table.Td>
                            <Table.Td ff="monospace">{p.text}</Table.Td>
                            <Table.Td>{p.problem}</Table.Td>
                          </Table.Tr>
                        ))}
                      </Table.Tbody>
                    </Table>
                    {csv.problems.length > 50 && `and ${csv.problems.length - 50} more`}
                  </Alert>
                )}
              </Stack>
            )}
            {source === 'rerating' && (
              <Select
                label="Re-rating"
                placeholder="Choose a re-rating"
                value={reratingId}
                onChange={(v) => void onRerating(v)}
                data={(reratings.data ?? []).map((r) => ({
                  value: String(r.id),
                  label: `No. ${r.id}: ${formatInstant(r.from)} to ${formatInstant(r.to)} (${r.customers} customers)`
                }))}
                w={480}
                mb="sm"
              />
            )}
            {source === 'rerating' && issuedAfter && (
              <Text size="sm" mb="xs">
                Invoices issued after {formatInstant(issuedAfter)}
              </Text>
            )}
            {customers.length > 0 ? (
              <Table verticalSpacing={4} aria-label="Selected customers" maw={720}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Customer ID</Table.Th>
                    <Table.Th>Company</Table.Th>
                    {source !== 'file' && <Table.Th />}
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {customers.map((c) => (
                    <Table.Tr key={c.id}>
                      <Table.Td fw={600}>{c.customerId}</Table.Td>
                      <Table.Td>{c.companyName}</Table.Td>
                      {source !== 'file' && (
                        <Table.Td ta="right">
                          <Button size="compact-sm" variant="subtle" color="red" onClick={() => setPicked(picked.filter((p) => p.id !== c.id))}>
                            Remove
                          </Button>
                        </Table.Td>
                      )}
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            ) : (
              <Text c="dimmed" size="sm">
                No customer selected yet.
              </Text>
            )}
            <Group justify="space-between" mt="md">
              <Button variant="default" onClick={() => setStep(1)}>
                Back
              </Button>
              <Group>
                {error && (
                  <Text c="red" size="sm" role="alert">
                    {error}
                  </Text>
                )}
                <Button onClick={() => void onNext2()} loading={previewCall.running}>
                  Next
                </Button>
              </Group>
            </Group>
          </Paper>
        )}

        {step === 3 && preview && (
          <PreviewSection
            preview={preview.result}
            mode={preview.input.mode}
            applying={job !== null || scheduled !== null}
            offPeakStart={offPeak.data?.nextStart ?? null}
            onBack={() => setStep(2)}
            onApply={(at) => void onApply(at)}
            onExport={() => void onExportPreview()}
            busy={start.running}
          />
        )}

        {job !== null && batchId !== null && (
          <Paper withBorder radius="md" p="md" component="section" aria-label="Run">
            <JobProgress job={job} onCancel={() => void cancel.run({ batchId }).catch(notifyError)} />
            {job.state !== 'running' && (
              <Group justify="flex-end" mt="sm">
                <Button variant="default" onClick={restart}>
                  New batch
                </Button>
              </Group>
            )}
          </Paper>
        )}

        {scheduled !== null && batchId !== null && (
          <Paper withBorder radius="md" p="md" component="section" aria-label="Scheduled">
            <Group justify="space-between">
              <Text size="sm" role="status">
                Batch {batchId} is scheduled for the off-peak window from {formatInstant(scheduled)}. It runs when the app is open then, or at its next start; the
                notifications list says when it is done.
              </Text>
              <Group>
                <Button variant="default" color="red" onClick={() => void cancel.run({ batchId }).then(restart, notifyError)}>
                  Cancel batch
                </Button>
                <Button variant="default" onClick={restart}>
                  New batch
                </Button>
              </Group>
            </Group>
          </Paper>
        )}

        {shownBatch !== null && scheduled === null && (job === null || job.state !== 'running') && <ResultsSection batchId={shownBatch} />}
        <HistorySection onShow={setShownBatch} />
      </Stack>
    </>
  )
}

function PreviewSection(props: {
  preview: ReissuePreview
  mode: ReissueMode
  applying: boolean
  busy: boolean
  offPeakStart: string | null
  onBack: () => void
  onApply: (scheduledFor: string | null) => void
  onExport: () => void
}) {
  const p = props.preview
  const count = p.rows.length - p.skipped
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-label="Preview">
      <Group justify="space-between" mb={4}>
        <Title order={2} size="h4">
          Preview: {plural(count, 'invoice')} to re-issue
        </Title>
        <Button variant="default" size="compact-sm" onClick={props.onExport}>
          Export CSV
        </Button>
      </Group>
      <Text size="sm" c="dimmed" mb="sm">
        {MODE_LABEL[props.mode]}. Nothing has been written yet. Rows marked "carried" are later invoices recalculated to carry the corrected balance forward.
      </Text>
      {p.skipped > 0 && (
        <Alert color="yellow" mb="sm" title={`${plural(p.skipped, 'invoice')} left alone`}>
          Their usage is past retention, so they cannot be recalculated.
        </Alert>
      )}
      <Table tabularNums verticalSpacing={4} aria-label="Invoices to re-issue">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Invoice</Table.Th>
            <Table.Th>Customer</Table.Th>
            <Table.Th>Period</Table.Th>
            <Table.Th className="num-head">Old total</Table.Th>
            <Table.Th className="num-head">New total</Table.Th>
            <Table.Th className="num-head">Old due</Table.Th>
            <Table.Th className="num-head">New due</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th className="num-head">Closing balance</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {p.rows.map((r) => (
            <Table.Tr key={r.invoiceId}>
              <Table.Td className="nowrap" fw={600}>
                {r.number} {r.carried && <Badge variant="light">carried</Badge>}
              </Table.Td>
              <Table.Td>{r.companyName || r.customerName}</Table.Td>
              <Table.Td className="nowrap">
                {localDate(r.periodStart)} – {localDate(new Date(Date.parse(r.periodEnd) - 1).toISOString())}
              </Table.Td>
              <Table.Td className="num">{money(r.oldTotalMinor, r.currency)}</Table.Td>
              <Table.Td className="num" fw={600}>
                {money(r.newTotalMinor, r.currency)}
              </Table.Td>
              <Table.Td className="num">{money(r.oldAmountDueMinor, r.currency)}</Table.Td>
              <Table.Td className="num">{money(r.newAmountDueMinor, r.currency)}</Table.Td>
              <Table.Td className="nowrap">
                {r.skippedReason !== null ? (
                  <Text size="sm" c="orange">
                    {r.skippedReason}
                  </Text>
                ) : r.newStatus === r.oldStatus ? (
                  statusLabel(r.oldStatus)
                ) : (
                  `${statusLabel(r.oldStatus)} → ${statusLabel(r.newStatus)}`
                )}
              </Table.Td>
              <Table.Td className="num nowrap">
                {money(r.oldClosingMinor, r.currency)} → {money(r.newClosingMinor, r.currency)}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
        <Table.Tfoot>
          {p.totals.map((t) => (
            <Table.Tr key={t.currency} fw={700}>
              <Table.Td colSpan={3}>
                Total {t.currency} ({plural(t.invoices, 'invoice')})
              </Table.Td>
              <Table.Td className="num">{money(t.oldTotalMinor, t.currency)}</Table.Td>
              <Table.Td className="num">{money(t.newTotalMinor, t.currency)}</Table.Td>
              <Table.Td className="num">{money(t.oldAmountDueMinor, t.currency)}</Table.Td>
              <Table.Td className="num">{money(t.newAmountDueMinor, t.currency)}</Table.Td>
              <Table.Td colSpan={2} />
            </Table.Tr>
          ))}
        </Table.Tfoot>
      </Table>
      {!props.applying && (
        <Group justify="space-between" mt="md">
          <Button variant="default" onClick={props.onBack}>
            Back
          </Button>
          <Group>
            {props.offPeakStart !== null && (
              <Button variant="default" onClick={() => props.onApply(props.offPeakStart)} disabled={count === 0 || props.busy}>
                Schedule for off-peak ({formatInstant(props.offPeakStart)})
              </Button>
            )}
            <Button color="orange" onClick={() => props.onApply(null)} loading={props.busy} disabled={count === 0}>
              Apply
            </Button>
          </Group>
        </Group>
      )}
    </Paper>
  )
}

function JobProgress(props: { job: JobSnapshot<ReissueRunResult>; onCancel: () => void }) {
  const r = props.job.result
  return (
    <JobProgressBar
      job={props.job}
      title="Re-issuing"
      ended={{
        completed: 'Re-issue done',
        cancelled: 'Re-issue cancelled: the invoices before Cancel are re-issued, the others are untouched',
        failed: 'Re-issue failed'
      }}
      onCancel={props.onCancel}
    >
      {r && (
        <Text size="sm" role="status">
          Batch {r.batchId}: {plural(r.reissued, 'invoice')} re-issued{r.skipped > 0 ? `, ${r.skipped} left alone` : ''}.
        </Text>
      )}
    </JobProgressBar>
  )
}

function ResultsSection(props: { batchId: number }) {
  const q = useQuery('reissue.results', { batchId: props.batchId })
  const exportCsv = useMutation('reissue.exportCsv')
  const data = q.data
  const onExport = async () => {
    try {
      const f = await exportCsv.run({ batchId: props.batchId })
      downloadText(f.fileName, f.csv, 'text/csv;charset=utf-8')
    } catch (e) {
      notifyError(e)
    }
  }
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-label="Results">
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h4">
          Results of batch {props.batchId}
          {data ? ` (${data.batch.state})` : ''}
        </Title>
        <Button variant="default" size="compact-sm" onClick={() => void onExport()}>
          Export CSV
        </Button>
      </Group>
      {data && (
        <Table tabularNums verticalSpacing={4} aria-label="Re-issued invoices">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Invoice</Table.Th>
              <Table.Th>New invoice</Table.Th>
              <Table.Th>Customer</Table.Th>
              <Table.Th className="num-head">Old total</Table.Th>
              <Table.Th className="num-head">New total</Table.Th>
              <Table.Th className="num-head">Amount due</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th>Outcome</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {data.rows.map((r) => (
              <Table.Tr key={r.position}>
                <Table.Td fw={600}>
                  <Anchor href={`#/invoices?invoice=${r.invoiceId}`}>{r.oldNumber}</Anchor>
                </Table.Td>
                <Table.Td>{r.newInvoiceId !== null ? <Anchor href={`#/invoices?invoice=${r.newInvoiceId}`}>{r.newNumber}</Anchor> : '—'}</Table.Td>
                <Table.Td>{r.customerName}</Table.Td>
                <Table.Td className="num">{money(r.oldTotalMinor, r.currency)}</Table.Td>
                <Table.Td className="num">{money(r.newTotalMinor, r.currency)}</Table.Td>
                <Table.Td className="num">{money(r.newAmountDueMinor ?? r.oldAmountDueMinor, r.currency)}</Table.Td>
                <Table.Td>{statusLabel(r.newStatus ?? r.oldStatus)}</Table.Td>
                <Table.Td>
                  {r.state === 'done'
                    ? 'Re-issued'
                    : r.state === 'skipped'
                      ? `Left alone: ${r.reason ?? ''}`
                      : r.state === 'cancelled'
                        ? 'Untouched (cancelled)'
                        : 'Pending'}
                  {r.carried && ' (carried)'}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Paper>
  )
}

function HistorySection(props: { onShow: (batchId: number) => void }) {
  const q = useQuery('reissue.list', {})
  const rows = q.data ?? []
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-label="Past batches">
      <Title order={2} size="h4" mb="xs">
        Past batches
      </Title>
      {rows.length === 0 ? (
        <Text c="dimmed" size="sm">
          No batch yet.
        </Text>
      ) : (
        <Table tabularNums verticalSpacing={4} aria-label="Batches">
          <Table.Thead>
            <Table.Tr>
              <Table.Th className="num-head">No.</Table.Th>
              <Table.Th>When</Table.Th>
              <Table.Th>By</Table.Th>
              <Table.Th>Issued after</Table.Th>
              <Table.Th>Mode</Table.Th>
              <Table.Th className="num-head">Customers</Table.Th>
              <Table.Th className="num-head">Invoices</Table.Th>
              <Table.Th>State</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((b) => (
              <Table.Tr key={b.id}>
                <Table.Td className="num">{b.id}</Table.Td>
                <Table.Td className="nowrap">{formatInstant(b.createdAt)}</Table.Td>
                <Table.Td>{b.operatorName}</Table.Td>
                <Table.Td className="nowrap">{formatInstant(b.issuedAfter)}</Table.Td>
                <Table.Td>{b.mode === 'void' ? 'Void, new numbers' : 'Same numbers'}</Table.Td>
                <Table.Td className="num">{b.customers}</Table.Td>
                <Table.Td className="num">
                  {b.done} of {b.invoices}
                </Table.Td>
                <Table.Td>{b.state}</Table.Td>
                <Table.Td>
                  <Button size="compact-sm" variant="subtle" onClick={() => props.onShow(b.id)}>
                    Results
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Paper>
  )
}
