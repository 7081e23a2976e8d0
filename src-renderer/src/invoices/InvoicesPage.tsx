import { useState } from 'react'
import { INVOICE_STATUS_LABEL } from '../../../src-shared/labels'
import { Alert, Badge, Button, Checkbox, CloseButton, Drawer, Group, Paper, Progress, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core'
import { useSearchParams } from 'react-router'
import { useForm } from '@mantine/form'
import { invoiceReductionInput, isCalendarDate, type InputOf } from '../../../src-shared/contract'
import { INVOICE_STATUSES, type InvoiceCloseResult, type InvoiceDetail, type InvoiceStatus, type JobSnapshot } from '../../../src-shared/domain'
import { formatAmount, formatLastDay, localDate } from '../../../src-shared/format'
import { InvoicePdfActions, InvoicePdfPreview } from './InvoicePdfPreview'
import { InvoicePdfVersions } from './InvoicePdfVersions'
import { useJobPolling } from '../api/jobs'
import { refreshAfter, useMutation, useQuery } from '../api/query'
import { useAppStatus } from '../app/status'
import { notifyError } from '../lib/notify'
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

/**
 * The list's filters live in the address (`#/invoices?status=overdue&customer=12&from=2026-11-01&to=2026-12-01&overdue=1`)
 * and so does the open invoice (`&invoice=5`): a reload or Back shows the same. A value the contract
 * would reject is left out.
 */
function filtersOf(params: URLSearchParams): InputOf<'invoices.list'> {
  const f: InputOf<'invoices.list'> = {}
  const status = params.get('status')
  if (status && (INVOICE_STATUSES as readonly string[]).includes(status)) f.status = status as InvoiceStatus
  const customer = Number(params.get('customer'))
  if (Number.isSafeInteger(customer) && customer > 0) f.customerId = customer
  const from = params.get('from')
  if (from && isCalendarDate(from)) f.periodFrom = from
  const to = params.get('to')
  if (to && isCalendarDate(to)) f.periodTo = to
  if (params.get('overdue') === '1') f.overdue = true
  const page = Number(params.get('page'))
  if (Number.isSafeInteger(page) && page > 0) f.offset = page * PAGE_SIZE
  return f
}

/** The list of invoices with its filters (the Invoices page, and a customer's tab with `customerId` fixed). */
export function InvoiceList(props: { customerId?: number }) {
  const [params, setParams] = useSearchParams()
  const filters = { ...filtersOf(params), ...(props.customerId ? { customerId: props.customerId } : {}), limit: PAGE_SIZE }
  const list = useQuery('invoices.list', filters)
  const openId = Number(params.get('invoice'))
  const set = (key: string, value: string | null) => {
    const next = new URLSearchParams(params)
    if (value === null || value === '') next.delete(key)
    else next.set(key, value)
    if (key !== 'invoice' && key !== 'page') next.delete('page')
    setParams(next)
  }
  const page = Math.floor((filters.offset ?? 0) / PAGE_SIZE)
  const rows = list.data?.rows ?? []
  const total = list.data?.total ?? 0

  return (
    <Stack gap="sm">
      <Group gap="sm" align="flex-end" wrap="wrap">
        <Select
          label="Status"
          placeholder="Any status"
          clearable
          w={180}
          data={INVOICE_STATUSES.map((s) => ({ value: s, label: INVOICE_STATUS_LABEL[s] }))}
          value={filters.status ?? null}
          onChange={(v) => set('status', v)}
        />
        <TextInput label="Period from" type="date" w={160} value={filters.periodFrom ?? ''} onChange={(e) => set('from', e.currentTarget.value)} />
        <TextInput label="Period to" type="date" w={160} value={filters.periodTo ?? ''} onChange={(e) => set('to', e.currentTarget.value)} />
        {!props.customerId && (
          <Checkbox label="Has overdue invoice" checked={filters.overdue === true} onChange={(e) => set('overdue', e.currentTarget.checked ? '1' : null)} mb={8} />
        )}
        {!props.customerId && filters.customerId !== undefined && (
          <Badge size="lg" variant="outline" rightSection={<CloseButton size="xs" aria-label="Show every customer" onClick={() => set('customer', null)} />} mb={6}>
            Customer {rows[0]?.customerName ?? `#${filters.customerId}`}
          </Badge>
        )}
      </Group>
      {list.error && <QueryError error={list.error} onRetry={list.reload} what="the invoices" />}
      <Group gap="lg" data-testid="invoice-totals">
        <Text size="sm" fw={500}>
          {total === 1 ? '1 invoice' : `${total} invoices`}
        </Text>
        {list.data?.totals.map((t) => (
          <Text size="sm" key={t.currency}>
            {t.currency}: total {formatAmount(t.totalMinor, t.currency)}, amount due {formatAmount(t.amountDueMinor, t.currency)}
          </Text>
        ))}
      </Group>
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
              <Table.Tr key={i.id}>
                <Table.Td>
                  <Button variant="subtle" size="compact-sm" onClick={() => set('invoice', String(i.id))}>
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
                <Table.Td>{periodText(i.periodStart, i.periodEnd)}</Table.Td>
                <Table.Td>{i.issueDate}</Table.Td>
                <Table.Td>{i.dueDate}</Table.Td>
                <Table.Td ta="right">{formatAmount(i.totalMinor, i.currency)}</Table.Td>
                <Table.Td ta="right">{formatAmount(i.amountDueMinor, i.currency)}</Table.Td>
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
          <Button variant="default" disabled={page === 0} onClick={() => set('page', String(page - 1))}>
            Newer
          </Button>
          <Text size="sm">
            Page {page + 1} of {Math.ceil(total / PAGE_SIZE)}
          </Text>
          <Button variant="default" disabled={(page + 1) * PAGE_SIZE >= total} onClick={() => set('page', String(page + 1))}>
            Older
          </Button>
        </Group>
      )}
      <Drawer
        opened={openId > 0}
        onClose={() => set('invoice', null)}
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

function SummaryRow(props: { label: string; minor: number; currency: string; strong?: boolean; testId?: string }) {
  return (
    <Table.Tr>
      <Table.Td fw={props.strong ? 700 : undefined}>{props.label}</Table.Td>
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
  const q = useQuery('invoices.get', { id })
  const { status } = useAppStatus()
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
        <InvoiceStatusBadge status={i.status} />
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
          <SummaryRow label="Amount due" minor={i.amountDueMinor} currency={c} strong testId="invoice-amount-due" />
        </Table.Tbody>
      </Table>
      {status.operator.role === 'administrator' && i.amountDueMinor > 0 && i.status !== 'void' && <ReduceAmountDue invoiceId={i.id} />}
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
  const { status } = useAppStatus()
  return (
    <>
      <PageHeader
        title="Invoices"
        description="Invoices are issued when a customer's billing period ends (the desk catches up on start-up). Overdue from the day after the due date while money is due."
        actions={status.operator.role === 'administrator' ? <CloseNowButton /> : undefined}
      />
      <InvoiceList />
    </>
  )
}
