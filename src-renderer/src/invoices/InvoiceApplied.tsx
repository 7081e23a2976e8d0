import { Stack, Table, Text } from '@mantine/core'
import type { InvoiceDetail } from '../../../src-shared/domain'
import { formatAmount, formatDateTime } from '../../../src-shared/format'
import { appliedPaymentLabel } from '../../../src-shared/labels'

const NUM = { fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' } as const

/**
 * What lowered the amount due after the invoice was issued: the payments applied (from
 * invoice_payments; a refund that un-applied one shows negative) and the reductions, each with its
 * date and ledger record. Empty sections are left out.
 */
export function InvoiceApplied({ invoice }: { invoice: InvoiceDetail }) {
  const c = invoice.currency
  return (
    <>
      {invoice.payments.length > 0 && (
        <Stack gap={4}>
          <Text size="sm" fw={600}>
            Payments applied
          </Text>
          <Table withTableBorder verticalSpacing={4} data-testid="invoice-payments">
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={140}>Date</Table.Th>
                <Table.Th>Payment record</Table.Th>
                <Table.Th ta="right">Amount</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {invoice.payments.map((p) => (
                <Table.Tr key={`${p.xdrId}-${p.at}`}>
                  <Table.Td style={NUM}>{formatDateTime(p.at)}</Table.Td>
                  <Table.Td>
                    {appliedPaymentLabel(p.kind)} (xDR id {p.xdrId})
                  </Table.Td>
                  <Table.Td ta="right" style={NUM}>
                    {formatAmount(p.amountMinor, c)}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Stack>
      )}
      {invoice.reductions.length > 0 && (
        <Stack gap={4}>
          <Text size="sm" fw={600}>
            Reductions of the amount due
          </Text>
          <Table withTableBorder verticalSpacing={4} data-testid="invoice-reductions">
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={140}>Date</Table.Th>
                <Table.Th>Manual credit</Table.Th>
                <Table.Th ta="right">Amount</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {invoice.reductions.map((d) => (
                <Table.Tr key={d.xdrId}>
                  <Table.Td style={NUM}>{formatDateTime(d.at)}</Table.Td>
                  <Table.Td>
                    xDR id {d.xdrId}
                    {d.comment && (
                      <Text span c="dimmed" size="sm">
                        {' '}
                        — {d.comment}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td ta="right" style={NUM}>
                    {formatAmount(d.amountMinor, c)}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Stack>
      )}
    </>
  )
}
