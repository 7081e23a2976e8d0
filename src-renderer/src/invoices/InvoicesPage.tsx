import { type ReactNode, useMemo, useState } from 'react'
import { INVOICE_STATUS_LABEL } from '../../../src-shared/labels'
import { Alert, Badge, Button, Checkbox, Drawer, Group, Paper, Progress, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core'
import { useForm } from '@mantine/form'
import { invoiceReductionInput } from '../../../src-shared/contract'
import { INVOICE_STATUSES, type InvoiceCloseResult, type InvoiceDetail, type InvoiceListResult, type InvoiceStatus, type JobSnapshot } from '../../../src-shared/domain'
import { formatAmount, formatLastDay, localDate } from '../../../src-shared/format'
import { downloadCsvChunks } from '../lib/download'
import { DownloadIcon } from '../lib/icons'
import { CustomerPicker, noSubmit } from '../lib/filters'
import { CUSTOMER_TAB_PREFIX, invoiceFilterOf, type InvoiceListView, parseInvoiceView, withInvoiceView } from './invoice-address'
import { InvoiceApplied } from './InvoiceApplied'
import { InvoiceEvents } from './InvoiceEvents'
import { TraceButton } from '../audit/TraceButton'
import { InvoicePdfActions, InvoicePdfPreview } from './InvoicePdfPreview'
import { InvoicePdfVersions } from './InvoicePdfVersions'
import { useJobPolling } from '../api/jobs'
import { refreshAfter, useMutation, useQuery } from '../api/query'
import { useAddressQuery } from '../app/nav'
import { useCan } from '../app/status'
import { notifyError, notifySuccess } from '../lib/notify'
import { contractValidate, reportToForm } from '../lib/contract-form'
import { PageHeader } from '../lib/PageHeader'
import { QueryError } from '../lib/QueryError'

const PAGE_SIZE = 100

const STATUS_COLOR: Record<InvoiceStatus, string> = {
  open: 'blue',
  'partially-paid': 'yellow',
  paid: 'teal',
  overdue: 'red',
  'no-payment-needed': 'gray',
  void: 'dark'
}

export function InvoiceStatusBadge({ status }: { status: InvoiceStatus }) {
  return (
    <Badge color={STATUS_COLOR[status]} variant="light">
      {INVOICE_STATUS_LABEL[status]}
    </Badge>
  )
}

/** "2026-11-01 – 2026-11-30": the period's first and last local day (its end is excluded). */
export const periodText = (start: string, end: string) => `${localDate(start)} – ${formatLastDay(end)}`

/** Invoices per export request: small enough that one request never holds the engine for long. */
const EXPORT_CHUNK = 5_000

const NUM = { fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' } as const

/** The filtered view's totals per currency: count, total, amount due (of every match, not only the page). */
function InvoiceTotals({ totals }: { totals: InvoiceListResult['totals'] }) {
  if (totals.length === 0) return null
  return (
    <Table withRowBorders={false} verticalSpacing={2} horizontalSpacing="md" w="auto" data-testid="invoice-totals-table">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Currency</Table.Th>
          <Table.Th ta="right">Invoices</Table.Th>
          <Table.Th ta="right">Total</Table.Th>
          <Table.Th ta="right">Amount due</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {totals.map((t) => (
          <Table.Tr key={t.currency} data-testid={`invoice-totals-${t.currency}`}>
            <Table.Td>{t.currency}</Table.Td>
            <Table.Td ta="right" style={NUM}>
              {t.count.toLocaleString('en-US')}
            </Table.Td>
            <Table.Td ta="right" style={NUM}>
              {formatAmount(t.totalMinor, t.currency)}
            </Table.Td>
            <Table.Td ta="right" style={NUM}>
              {formatAmount(t.amountDueMinor, t.currency)}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  )
}

/**
 * The list of invoices with its filters, totals and CSV export: the Invoices page, and a customer's
 * tab with `customerId` fixed. The filters, page and open invoice live in the address
 * (invoice-address.ts); the tab's under its own prefix.
 */
export function InvoiceList(props: { customerId?: number }) {
  const [params, updateAddress] = useAddressQuery()
  const prefix = props.customerId ? CUSTOMER_TAB_PREFIX : ''
  const text = params.toString()
  const view = useMemo(() => parseInvoiceView(new URLSearchParams(text), prefix), [text, prefix])
  const filter = { ...invoiceFilterOf(view), ...(props.customerId ? { customerId: props.customerId } : {}) }
  const page = view.page ?? 0
  const list = useQuery('invoices.list', { ...filter, offset: page * PAGE_SIZE, limit: PAGE_SIZE })
  const exportCsv = useMutation('invoices.exportCsv')
  const can = useCan()
  const [exported, setExported] = useState<number | null>(null)
  const openId = view.invoice ?? 0
  /**
   * A change of filter is a history entry (Back undoes it) and goes back to the first page. It
   * applies to the address as it is now, so a filter changed right before is kept.
   */
  const set = (patch: InvoiceListView) =>
    updateAddress((current) => {
      const next: InvoiceListView = { ...parseInvoiceView(current, prefix), ...patch }
      if (!('page' in patch) && !('invoice' in patch)) delete next.page
      return withInvoiceView(current, next, prefix)
    })
  const rows = list.data?.rows ?? []
  const total = list.data?.total ?? 0

  async function onExport() {
    setExported(0)
    try {
      const { fileName, rows: n } = await downloadCsvChunks<number>((next) => exportCsv.run({ ...filter, offset: next ?? 0, chunkRows: EXPORT_CHUNK }), setExported)
      notifySuccess('Invoices exported', `${n === 1 ? '1 invoice' : `${n.toLocaleString('en-US')} invoices`} saved to ${fileName}.`)
    } catch (e) {
      notifyError(e)
    } finally {
      setExported(null)
    }
  }

  const date = (label: string, key: 'periodFrom' | 'periodTo' | 'issuedFrom' | 'issuedTo') => (
    <TextInput label={label} type="date" w={150} value={view[key] ?? ''} onKeyDown={noSubmit} onChange={(e) => set({ [key]: e.currentTarget.value || undefined })} />
  )

  return (
    <Stack gap="sm">
      <Group gap="sm" align="flex-end" wrap="wrap" data-testid="invoice-filters">
        <Select
          label="Status"
          placeholder="Any status"
          clearable
          w={170}
          data={INVOICE_STATUSES.map((s) => ({ value: s, label: INVOICE_STATUS_LABEL[s] }))}
          value={view.status ?? null}
          onChange={(v) => set({ status: (v as InvoiceStatus | null) ?? undefined })}
        />
        {!props.customerId && <CustomerPicker value={view.customerId} onChange={(id) => set({ customerId: id })} />}
        {date('Billing period from', 'periodFrom')}
        {date('Billing period to', 'periodTo')}
        {date('Issued from', 'issuedFrom')}
        {date('Issued to', 'issuedTo')}
        {!props.customerId && (
          <Checkbox label="Has overdue invoice" checked={view.overdue === true} onChange={(e) => set({ overdue: e.currentTarget.checked || undefined })} mb={8} />
        )}
      </Group>
      {list.error && <QueryError error={list.error} onRetry={list.reload} what="the invoices" />}
      <Paper withBorder radius="md" p="sm">
        <Group justify="space-between" align="flex-start" wrap="wrap">
          <Stack gap={4}>
            <Text fw={600} data-testid="invoice-totals">
              {total === 1 ? '1 invoice' : `${total.toLocaleString('en-US')} invoices`}
            </Text>
            <InvoiceTotals totals={list.data?.totals ?? []} />
          </Stack>
          <Stack gap={4} align="flex-end">
            {can('invoices.exportCsv') && (
              <Button variant="default" leftSection={<DownloadIcon />} onClick={() => void onExport()} loading={exported !== null} disabled={total === 0}>
                Export CSV
              </Button>
            )}
            {exported !== null && (
              <Text size="sm" c="dimmed" aria-live="polite">
                Exporting… {exported.toLocaleString('en-US')} of {total.toLocaleString('en-US')} invoices
              </Text>
            )}
          </Stack>
        </Group>
      </Paper>
      <Paper withBorder>
        <Table striped highlightOnHover stickyHeader>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Number</Table.Th>
              {!props.customerId && <Table.Th>Customer</Table.Th>}
              <Table.Th>Period</Table.Th>
              <Table.Th>Issued</Table.Th>
              <Table.Th>Due</Table.Th>
              <Table.Th ta="right">Total</Table.Th>
              <Table.Th ta="right">Amount due</Table.Th>
              <Table.Th>Status</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((i) => (
              <Table.Tr key={i.id} data-testid="invoice-row">
                <Table.Td>
                  <Button variant="subtle" size="compact-sm" onClick={() => set({ invoice: i.id })}>
                    {i.number}
                  </Button>
                </Table.Td>
                {!props.customerId && (
                  <Table.Td>
                    {i.customerName}
                    {i.companyName && i.companyName !== i.customerName && (
                      <Text span c="dimmed" size="xs">
                        {' '}
                        {i.companyName}
                      </Text>
                    )}
                  </Table.Td>
                )}
                <Table.Td style={NUM}>{periodText(i.periodStart, i.periodEnd)}</Table.Td>
                <Table.Td style={NUM}>{i.issueDate}</Table.Td>
                <Table.Td style={NUM}>{i.dueDate}</Table.Td>
                <Table.Td ta="right" style={NUM}>
                  {formatAmount(i.totalMinor, i.currency)}
                </Table.Td>
                <Table.Td ta="right" style={NUM}>
                  {formatAmount(i.amountDueMinor, i.currency)}
                </Table.Td>
                <Table.Td>
                  <InvoiceStatusBadge status={i.status} />
                </Table.Td>
              </Table.Tr>
            ))}
            {list.data && rows.length === 0 && (
              <Table.Tr>
                <Table.Td colSpan={8}>
                  <Text c="dimmed" size="sm" ta="center" py="md">
                    No invoices match these filters. Invoices are issued when a billing period ends.
                  </Text>
                </Table.Td>
              </Table.Tr>
            )}
          </Table.Tbody>
        </Table>
      </Paper>
      {total > PAGE_SIZE && (
        <Group gap="sm">
          <Button variant="default" disabled={page === 0} onClick={() => set({ page: page - 1 })}>
            Newer
          </Button>
          <Text size="sm">
            Page {page + 1} of {Math.ceil(total / PAGE_SIZE)}
          </Text>
          <Button variant="default" disabled={(page + 1) * PAGE_SIZE >= total} onClick={() => set({ page: page + 1 })}>
            Older
          </Button>
        </Group>
      )}
      <Drawer
        opened={openId > 0}
        onClose={() => set({ invoice: undefined })}
        position="right"
        size="xl"
        title={
          <Title order={2} size="h3">
            Invoice
          </Title>
        }
      >
        {openId > 0 && <InvoiceView id={openId} />}
      </Drawer>
    </Stack>
  )
}

function SummaryRow(props: { label: string; minor: number; currency: string; strong?: boolean; testId?: string; trace?: ReactNode }) {
  return (
    <Table.Tr>
      <Table.Td fw={props.strong ? 700 : undefined}>
        {props.label}
        {props.trace}
      </Table.Td>
      <Table.Td ta="right" fw={props.strong ? 700 : undefined} data-testid={props.testId}>
        {formatAmount(props.minor, props.currency)}
      </Table.Td>
    </Table.Tr>
  )
}

interface ReductionValues {
  amount: string
  comment: string
}

/**
 * Reduce the amount due (an administrator): a manual credit aimed at this invoice. Only ever
 * decreases it; the lines and total stay as issued.
 */
function ReduceAmountDue({ invoiceId }: { invoiceId: number }) {
  const [open, setOpen] = useState(false)
  const reduce = useMutation('invoices.reduceAmountDue')
  const toInput = (v: ReductionValues) => ({ invoiceId, amount: v.amount, comment: v.comment })
  const form = useForm<ReductionValues>({ initialValues: { amount: '', comment: '' }, validate: contractValidate(invoiceReductionInput, toInput) })
  if (!open) {
    return (
      <Group>
        <Button variant="default" onClick={() => setOpen(true)}>
          Reduce amount due
        </Button>
      </Group>
    )
  }
  return (
    <form
      onSubmit={form.onSubmit(async (v) => {
        try {
          await reduce.run(toInput(v))
          form.reset()
          setOpen(false)
        } catch (e) {
          reportToForm(form, e)
        }
      })}
    >
      <Group align="flex-start" gap="sm">
        <TextInput label="Reduce by" w={140} {...form.getInputProps('amount')} />
        <TextInput label="Comment (on the invoice)" style={{ flex: 1 }} {...form.getInputProps('comment')} />
      </Group>
      <Group gap="sm" mt="sm">
        <Button type="submit" loading={reduce.running}>
          Reduce
        </Button>
        <Button variant="default" onClick={() => setOpen(false)}>
          Cancel
        </Button>
      </Group>
    </form>
  )
}

/** One invoice: its status, dates, the balance-forward summary, the lines and the amount due. */
export function InvoiceView({ id }: { id: number }) {
  const can = useCan()
  const q = useQuery('invoices.get', { id })
  if (q.error) return <QueryError error={q.error} onRetry={q.reload} what="the invoice" />
  const i: InvoiceDetail | undefined = q.data
  if (!i) return null
  const c = i.currency
  return (
    <Stack gap="md" data-testid="invoice-view">
      <Group justify="space-between">
        <div>
          <Title order={3}>{i.number}</Title>
          <Text size="sm">
            {i.customerName}
            {i.companyName && i.companyName !== i.customerName ? ` — ${i.companyName}` : ''}
          </Text>
        </div>
        <Group gap={4}>
          <InvoiceStatusBadge status={i.status} />
          <TraceButton target="invoice.status" id={i.id} what={`status of ${i.number}`} />
        </Group>
      </Group>
      <InvoicePdfActions invoiceId={i.id} number={i.number} />
      <Group gap="xl">
        <Text size="sm">Period {periodText(i.periodStart, i.periodEnd)}</Text>
        <Text size="sm">Issued {i.issueDate}</Text>
        <Text size="sm">Due {i.dueDate === i.issueDate ? `${i.dueDate} (on receipt)` : i.dueDate}</Text>
      </Group>
      {i.status === 'no-payment-needed' && (
        <Alert color="gray" variant="light">
          This invoice needs no payment: its total is {formatAmount(i.totalMinor, c)}.
        </Alert>
      )}
      {i.status === 'overdue' && (
        <Alert color="red" variant="light">
          Overdue since {i.overdueSince}: {formatAmount(i.amountDueMinor, c)} is still due.
        </Alert>
      )}
      {i.outOfDate && (
        <Alert color="yellow" variant="light">
          Out of date after re-rating: usage of this period was re-rated after the invoice was issued.
        </Alert>
      )}
      {!i.recalculable && (
        <Alert color="gray" variant="light">
          Usage no longer kept: this invoice cannot be recalculated.
        </Alert>
      )}
      <Table withTableBorder>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Charges</Table.Th>
            <Table.Th ta="right">Records</Table.Th>
            <Table.Th ta="right">Amount</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {i.lines.map((l, n) => (
            <Table.Tr key={n}>
              <Table.Td>{l.description}</Table.Td>
              <Table.Td ta="right">{l.category === 'tax' ? '' : l.records}</Table.Td>
              <Table.Td ta="right">{formatAmount(l.amountMinor, c)}</Table.Td>
            </Table.Tr>
          ))}
          {i.lines.length === 0 && (
            <Table.Tr>
              <Table.Td colSpan={3}>
                <Text c="dimmed" size="sm">
                  No charges in this period.
                </Text>
              </Table.Td>
            </Table.Tr>
          )}
        </Table.Tbody>
      </Table>
      <Table withTableBorder>
        <Table.Tbody>
          <SummaryRow label="Previous balance" minor={i.previousBalanceMinor} currency={c} />
          <SummaryRow label="Payments received" minor={i.paymentsMinor} currency={c} />
          <SummaryRow label="Charges" minor={i.chargesMinor} currency={c} />
          <SummaryRow label="Taxes" minor={i.taxesMinor} currency={c} />
          <SummaryRow label="Total of this invoice" minor={i.totalMinor} currency={c} strong testId="invoice-total" />
          {i.otherMinor !== 0 && <SummaryRow label="Out-of-turn items (invoiced separately)" minor={i.otherMinor} currency={c} />}
          <SummaryRow label="Closing balance" minor={i.closingBalanceMinor} currency={c} />
          {i.paidMinor !== 0 && <SummaryRow label="Payments applied" minor={-i.paidMinor} currency={c} />}
          {i.reducedMinor !== 0 && <SummaryRow label="Amount due reduced" minor={-i.reducedMinor} currency={c} />}
          <SummaryRow
            label="Amount due"
            minor={i.amountDueMinor}
            currency={c}
            strong
            testId="invoice-amount-due"
            trace={<TraceButton target="invoice.amountDue" id={i.id} what={`amount due of ${i.number}`} />}
          />
        </Table.Tbody>
      </Table>
      <InvoiceApplied invoice={i} />
      {can('invoices.reduceAmountDue') && i.amountDueMinor > 0 && i.status !== 'void' && <ReduceAmountDue invoiceId={i.id} />}
      <InvoiceEvents invoiceId={i.id} />
      <InvoicePdfVersions invoiceId={i.id} currency={c} />
      <InvoicePdfPreview invoiceId={i.id} number={i.number} />
    </Stack>
  )
}

/** "Close periods now": issues every invoice due and the current period to date, as a job with progress. */
function CloseNowButton() {
  const start = useMutation('invoices.closeNow')
  const [job, setJob] = useState<JobSnapshot<InvoiceCloseResult> | null>(null)
  useJobPolling(job, setJob, 'invoiceClose.status', 'invoices.closeNow')
  const running = job?.state === 'running'
  const pct = job && job.progress.total > 0 ? (100 * job.progress.done) / job.progress.total : 0
  return (
    <Stack gap={4} w={300}>
      <Button
        loading={start.running || running}
        onClick={() =>
          void start.run({}).then((j) => {
            setJob(j)
            if (j.state !== 'running') void refreshAfter('invoices.closeNow')
          }, notifyError)
        }
      >
        Close billing periods now
      </Button>
      {job && (
        <div role="status">
          {running && <Progress value={pct} animated aria-label="Progress" />}
          <Text size="xs" c="dimmed">
            {running
              ? `${job.progress.done} of ${job.progress.total} customers`
              : job.result
                ? `${job.result.invoicesIssued === 1 ? '1 invoice' : `${job.result.invoicesIssued} invoices`} issued.`
                : (job.error?.message ?? '')}
          </Text>
        </div>
      )}
    </Stack>
  )
}

export function InvoicesPage() {
  const can = useCan()
  return (
    <>
      <PageHeader
        title="Invoices"
        description="Invoices are issued when a customer's billing period ends (the desk catches up on start-up). Overdue from the day after the due date while money is due."
        actions={can('invoices.closeNow') ? <CloseNowButton /> : undefined}
      />
      <InvoiceList />
    </>
  )
}
