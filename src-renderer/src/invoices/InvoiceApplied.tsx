import type { ReactNode } from 'react'
import { Stack, Table, Text } from '@mantine/core'
import type { InvoiceDetail } from '../../../src-shared/domain'
import { formatAmount, formatDateTime } from '../../../src-shared/format'
import { appliedPaymentLabel } from '../../../src-shared/labels'

const NUM = { fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' } as const

interface AppliedRow {
  key: string
  at: string
  record: ReactNode
  amountMinor: number
}

/** One section: date, the ledger record, the amount (right-aligned, in the invoice's currency). */
function AppliedTable(props: { title: string; recordLabel: string; rows: AppliedRow[]; currency: string; testId: string }) {
  if (props.rows.length === 0) return null
  return (
    <Stack gap={4}>
      <Text size="sm" fw={600}>
        {props.title}
      </Text>
      <Table withTableBorder verticalSpacing={4} data-testid={props.testId}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={140}>Date</Table.Th>
            <Table.Th>{props.recordLabel}</Table.Th>
            <Table.Th ta="right">Amount</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {props.rows.map((r) => (
            <Table.Tr key={r.key}>
              <Table.Td style={NUM}>{formatDateTime(r.at)}</Table.Td>
              <Table.Td>{r.record}</Table.Td>
              <Table.Td ta="right" style={NUM}>
                {formatAmount(r.amountMinor, props.currency)}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  )
}

/**
 * What lowered the amount due after the invoice was issued: the payments applied (from
 * invoice_payments; a refund that un-applied one shows negative) and the reductions, each with its
 * date and ledger record. Empty sections are left out.
 */
export function InvoiceApplied({ invoice }: { invoice: InvoiceDetail }) {
  return (
    <>
      <AppliedTable
        title="Payments applied"
        recordLabel="Payment record"
        testId="invoice-payments"
        currency={invoice.currency}
        rows={invoice.payments.map((p, n) => ({ key: `p${n}`, at: p.at, record: `${appliedPaymentLabel(p.kind)} (xDR id ${p.xdrId})`, amountMinor: p.amountMinor }))}
      />
      <AppliedTable
        title="Reductions of the amount due"
        recordLabel="Manual credit"
        testId="invoice-reductions"
        currency={invoice.currency}
        rows={invoice.reductions.map((d) => ({
          key: `r${d.xdrId}`,
          at: d.at,
          record: (
            <>
              xDR id {d.xdrId}
              {d.comment && (
                <Text span c="dimmed" size="sm">
                  {' '}
                  — {d.comment}
                </Text>
              )}
            </>
          ),
          amountMinor: d.amountMinor
        }))}
      />
    </>
  )
}
