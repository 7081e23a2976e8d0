import { useMemo, useRef, useState } from 'react'
import { Alert, Anchor, Button, Checkbox, Group, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core'
import { useForm } from '@mantine/form'
import { Link, Navigate, useParams } from 'react-router'
import { type InputOf, outOfTurnIssueInput } from '../../../src-shared/contract'
import type { InvoicePdfFile, OutOfTurnIssued, OutOfTurnItem, OutOfTurnPreview } from '../../../src-shared/domain'
import { formatAmount, formatDateTime } from '../../../src-shared/format'
import { formatMinor } from '../../../src-shared/money'
import { useMutation, useQuery } from '../api/query'
import { customerPath } from '../app/nav'
import { newOperationKey } from '../adjustments/operation-key'
import { InvoiceStatusBadge } from '../invoices/InvoicesPage'
import { downloadBlob, pdfBlob } from '../lib/download'
import { printPdf } from '../pdf/printPdf'
import { contractValidate, reportToForm } from '../lib/contract-form'
import { notifyError } from '../lib/notify'
import { PageHeader } from '../lib/PageHeader'
import { QueryError } from '../lib/QueryError'

/** `#/out-of-turn/<customer id>`: the counter's out-of-turn invoice for one customer. */
export function OutOfTurnRoute() {
  const id = Number(useParams().id)
  if (!Number.isSafeInteger(id) || id <= 0) return <Navigate to="/customers" replace />
  return <OutOfTurnPage key={id} customerId={id} />
}

const KIND_LABEL: Record<OutOfTurnItem['kind'], string> = { 'manual-charge': 'Manual charge', 'manual-credit': 'Manual credit' }

/**
 * Lists the customer's charges and credits flagged "Include into out-of-turn invoice" and not yet
 * invoiced; the chosen ones become an invoice at once, with the cash taken in the same step, and
 * the invoice prints straight away.
 */
export function OutOfTurnPage({ customerId }: { customerId: number }) {
  const pending = useQuery('outOfTurn.pending', { customerId })
  const [issued, setIssued] = useState<OutOfTurnIssued | null>(null)
  if (pending.error) return <QueryError error={pending.error} onRetry={pending.reload} what="the out-of-turn items" />
  const p = pending.data
  const name = p ? p.companyName || p.customerName : ''
  return (
    <Stack gap="md" maw={1100}>
      <PageHeader
        title="Out-of-turn invoice"
        description={
          p && (
            <>
              For <bdi>{name}</bdi> ({p.customerName}, {p.currency}). Charges and credits flagged “Include into out-of-turn invoice” in the Balance adjustment wizard are
              invoiced here, at once, and never on the regular invoice.
            </>
          )
        }
        actions={
          <Anchor component={Link} to={customerPath(customerId)}>
            Back to the customer
          </Anchor>
        }
      />
      {issued ? (
        <IssuedInvoice issued={issued} customerId={customerId} onAnother={p && p.items.length > 0 ? () => setIssued(null) : undefined} />
      ) : p ? (
        p.items.length === 0 ? (
          <Alert variant="light" color="gray" title="Nothing to invoice out of turn" data-testid="oot-empty">
            No charge or credit of this customer is waiting for an out-of-turn invoice. In the Balance adjustment wizard, a Manual charge or Manual credit with “Include
            into out-of-turn invoice” ticked comes here.
          </Alert>
        ) : (
          <IssueForm customerId={customerId} items={p.items} currency={p.currency} onIssued={setIssued} />
        )
      ) : null}
    </Stack>
  )
}

interface CashValues {
  takeCash: boolean
  cashPayment: string
  visibleComment: string
}

function IssueForm(props: { customerId: number; items: OutOfTurnItem[]; currency: string; onIssued: (r: OutOfTurnIssued) => void }) {
  const { customerId, items, currency } = props
  // Made once when the page opens: a double click or a retry issues one invoice.
  const [operationKey] = useState(newOperationKey)
  const [chosen, setChosen] = useState<ReadonlySet<number>>(() => new Set(items.map((i) => i.xdrId)))
  const xdrIds = useMemo(() => items.filter((i) => chosen.has(i.xdrId)).map((i) => i.xdrId), [items, chosen])
  const preview = useQuery('outOfTurn.preview', { customerId, xdrIds }, { enabled: xdrIds.length > 0 })
  const issue = useMutation('outOfTurn.issue')
  const pdf = useMutation('invoices.pdf')
  const shown: OutOfTurnPreview | undefined = xdrIds.length > 0 ? preview.data : undefined
  const due = shown?.amountDueMinor ?? 0
  const form = useForm<CashValues>({
    initialValues: { takeCash: true, cashPayment: '', visibleComment: '' },
    // Checked on the contract's schema with what the page shows now (the ref: the form keeps its first validator).
    validate: contractValidate(outOfTurnIssueInput, (v: CashValues): unknown => latest.current.toInput(v))
  })
  // The cash field follows the amount due until the cashier types their own figure.
  const cashShown: string = form.isDirty('cashPayment') ? form.values.cashPayment : due > 0 ? formatMinor(due, currency, { grouping: false }) : ''
  const toInput = (v: CashValues): InputOf<'outOfTurn.issue'> => ({
    customerId,
    xdrIds,
    cashPayment: v.takeCash && due > 0 ? cashShown : null,
    visibleComment: v.visibleComment,
    operationKey
  })
  const latest = useRef<{ toInput: (v: CashValues) => InputOf<'outOfTurn.issue'> }>({ toInput })
  latest.current = { toInput }

  const toggle = (id: number, on: boolean) =>
    setChosen((prev) => {
      const next = new Set(prev)
      if (on) next.add(id)
      else next.delete(id)
      return next
    })
  const allOn = chosen.size === items.length

  async function submit(v: CashValues) {
    try {
      const result = await issue.run(toInput(v))
      props.onIssued(result)
      // Printed at once: the counter hands it over with the change.
      try {
        await printPdf(await pdf.run({ invoiceId: result.invoice.id }), `Invoice ${result.invoice.number}`)
      } catch (e) {
        notifyError(e)
      }
    } catch (e) {
      reportToForm(form, e)
    }
  }

  return (
    <form onSubmit={form.onSubmit((v) => submit(v))}>
      <Stack gap="md">
        <Paper withBorder p="md">
          <Table verticalSpacing={6} aria-label="Items for the out-of-turn invoice" data-testid="oot-items">
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={40}>
                  <Checkbox
                    aria-label="Choose every item"
                    checked={allOn}
                    indeterminate={!allOn && chosen.size > 0}
                    onChange={(e) => setChosen(new Set(e.currentTarget.checked ? items.map((i) => i.xdrId) : []))}
                  />
                </Table.Th>
                <Table.Th>Posted</Table.Th>
                <Table.Th>Item</Table.Th>
                <Table.Th>Comment</Table.Th>
                <Table.Th ta="right">Amount</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((i) => (
                <Table.Tr key={i.xdrId}>
                  <Table.Td>
                    <Checkbox aria-label={`Invoice xDR ${i.xdrId}`} checked={chosen.has(i.xdrId)} onChange={(e) => toggle(i.xdrId, e.currentTarget.checked)} />
                  </Table.Td>
                  <Table.Td>{formatDateTime(i.postedAt)}</Table.Td>
                  <Table.Td>
                    {KIND_LABEL[i.kind]}
                    {i.serviceName ? ` — ${i.serviceName}` : ''}
                    {i.effectiveDate ? (
                      <Text span c="dimmed" size="xs">
                        {' '}
                        · dated {i.effectiveDate}
                      </Text>
                    ) : null}
                  </Table.Td>
                  <Table.Td>{i.visibleComment}</Table.Td>
                  <Table.Td ta="right" className="num">
                    {formatAmount(i.amountMinor, currency)}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Paper>

        <Group align="flex-start" gap="xl" wrap="wrap">
          <Paper withBorder p="md" w={420}>
            <Title order={2} size="h4" mb="xs">
              The invoice
            </Title>
            {xdrIds.length === 0 ? (
              <Text size="sm" c="dimmed">
                Choose at least one item.
              </Text>
            ) : preview.error ? (
              <QueryError error={preview.error} onRetry={preview.reload} what="the invoice preview" />
            ) : shown ? (
              <Table data-testid="oot-preview">
                <Table.Tbody>
                  {shown.lines.map((l) => (
                    <Table.Tr key={`${l.category}-${l.description}`}>
                      <Table.Td>{l.description}</Table.Td>
                      <Table.Td ta="right" className="num">
                        {formatAmount(l.amountMinor, currency)}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                  <Table.Tr>
                    <Table.Td fw={700}>Total</Table.Td>
                    <Table.Td ta="right" fw={700} className="num" data-testid="oot-total">
                      {formatAmount(shown.totalMinor, currency, { withCode: true })}
                    </Table.Td>
                  </Table.Tr>
                </Table.Tbody>
              </Table>
            ) : null}
          </Paper>

          <Paper withBorder p="md" style={{ flex: 1, minWidth: 320 }}>
            <Stack gap="sm">
              <Checkbox
                label="Take a cash payment now"
                disabled={due === 0}
                {...form.getInputProps('takeCash', { type: 'checkbox' })}
                description={due === 0 && shown ? 'This invoice needs no payment.' : undefined}
              />
              {form.values.takeCash && due > 0 && (
                <Group gap="sm" align="flex-end" wrap="nowrap">
                  <TextInput
                    label={`Cash received (${currency})`}
                    w={200}
                    inputMode="decimal"
                    styles={{ input: { textAlign: 'right', fontVariantNumeric: 'tabular-nums' } }}
                    {...form.getInputProps('cashPayment')}
                    value={cashShown}
                  />
                  <Text size="xs" c="dimmed" pb={8}>
                    Any amount above what is due stays as unallocated payments.
                  </Text>
                </Group>
              )}
              <TextInput label="Visible comment (on the invoice and the payment)" {...form.getInputProps('visibleComment')} />
              <Group gap="sm" mt="xs">
                <Button type="submit" loading={issue.running} disabled={xdrIds.length === 0 || !shown}>
                  Issue and print
                </Button>
              </Group>
            </Stack>
          </Paper>
        </Group>
      </Stack>
    </form>
  )
}

function IssuedInvoice(props: { issued: OutOfTurnIssued; customerId: number; onAnother?: (() => void) | undefined }) {
  const { invoice: i, payment } = props.issued
  const pdf = useMutation('invoices.pdf')
  const [busy, setBusy] = useState(false)
  async function withPdf(action: (f: InvoicePdfFile) => unknown) {
    setBusy(true)
    try {
      await action(await pdf.run({ invoiceId: i.id }))
    } catch (e) {
      notifyError(e)
    } finally {
      setBusy(false)
    }
  }
  return (
    <Stack gap="md">
      <Alert color="teal" variant="light" role="status" title={`Invoice ${i.number} issued`} data-testid="oot-issued">
        <Stack gap={6}>
          <Group gap="sm">
            <Text size="sm">
              Total <b className="num">{formatAmount(i.totalMinor, i.currency, { withCode: true })}</b>, amount due{' '}
              <b className="num" data-testid="oot-issued-due">
                {formatAmount(i.amountDueMinor, i.currency, { withCode: true })}
              </b>
            </Text>
            <InvoiceStatusBadge status={i.status} />
          </Group>
          {payment && (
            <Text size="sm" data-testid="oot-issued-payment">
              Cash payment of {formatAmount(payment.amountMinor, i.currency, { withCode: true })} recorded (xDR id {payment.xdrId}).
            </Text>
          )}
          {props.issued.repeated && <Text size="sm">This invoice had already been issued (the same submission arrived twice); nothing new was written.</Text>}
        </Stack>
      </Alert>
      <Group gap="sm">
        <Button variant="default" loading={busy} onClick={() => withPdf((f) => printPdf(f, `Invoice ${i.number}`))}>
          Print again
        </Button>
        <Button variant="default" disabled={busy} onClick={() => withPdf((f) => downloadBlob(f.fileName, pdfBlob(f.pdfBase64)))}>
          Download PDF
        </Button>
        <Button variant="default" component={Link} to={`/invoices?invoice=${i.id}`}>
          Open the invoice
        </Button>
        {props.onAnother && (
          <Button variant="subtle" onClick={props.onAnother}>
            Invoice the remaining items
          </Button>
        )}
        <Button variant="subtle" component={Link} to={customerPath(props.customerId)}>
          Back to the customer
        </Button>
      </Group>
    </Stack>
  )
}
