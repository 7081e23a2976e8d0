import { Table, Text } from '@mantine/core'
import type { AdjustmentImpact } from '../../../src-shared/domain'
import { INVOICE_STATUS_LABEL } from '../../../src-shared/labels'
import { formatAmount } from '../../../src-shared/format'
import { balanceLabel, shownBalance } from './operations'

interface Line {
  id: string
  label: string
  before: number
  after: number
  /** Shown in red when below zero (prepaid funds, credit headroom). */
  warnNegative: boolean
}

function lines(i: AdjustmentImpact): Line[] {
  const out: Line[] = [
    {
      id: 'balance',
      label: balanceLabel(i.balanceControl),
      before: shownBalance(i.balanceControl, i.balanceBeforeMinor),
      after: shownBalance(i.balanceControl, i.balanceAfterMinor),
      warnNegative: i.balanceControl === 'prepaid'
    },
    { id: 'unallocated', label: 'Unallocated payments', before: i.unallocatedBeforeMinor, after: i.unallocatedAfterMinor, warnNegative: true }
  ]
  if (i.creditHeadroomBeforeMinor !== null && i.creditHeadroomAfterMinor !== null) {
    out.push({ id: 'headroom', label: 'Credit limit headroom', before: i.creditHeadroomBeforeMinor, after: i.creditHeadroomAfterMinor, warnNegative: true })
  }
  return out
}

/** "+135.00" / "-135.00" / "no change" (plain hyphen, like every other amount here). */
function change(delta: number, cur: string): string {
  if (delta === 0) return 'no change'
  return (delta > 0 ? '+' : '') + formatAmount(delta, cur)
}

/**
 * Before -> after for the figures a cashier checks: balance (postpaid) or available funds
 * (prepaid), unallocated payments and, with a credit limit, the headroom left under it.
 */
export function ImpactTable({ impact, afterLabel = 'After' }: { impact: AdjustmentImpact; afterLabel?: string }) {
  const cur = impact.currency
  return (
    <Table className="adj-impact" withTableBorder verticalSpacing={6} horizontalSpacing="sm" data-testid="adj-impact">
      <Table.Thead>
        <Table.Tr>
          <Table.Th scope="col">
            <span className="adj-visually-hidden">Figure</span>
          </Table.Th>
          <Table.Th scope="col" className="num-head">
            Before
          </Table.Th>
          <Table.Th scope="col" className="num-head">
            Change
          </Table.Th>
          <Table.Th scope="col" className="num-head">
            {afterLabel}
          </Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {lines(impact).map((l) => (
          <Table.Tr key={l.id} data-testid={`adj-impact-${l.id}`}>
            <Table.Th scope="row" fw={500}>
              {l.label}{' '}
              <Text span size="xs" c="dimmed">
                {cur}
              </Text>
            </Table.Th>
            <Table.Td className="num" data-testid="before" c={l.warnNegative && l.before < 0 ? 'red' : undefined}>
              {formatAmount(l.before, cur)}
            </Table.Td>
            <Table.Td className="num" c={l.after === l.before ? 'dimmed' : undefined} data-testid="change">
              {change(l.after - l.before, cur)}
            </Table.Td>
            <Table.Td className="num adj-after" data-testid="after" c={l.warnNegative && l.after < 0 ? 'red' : undefined}>
              {formatAmount(l.after, cur)}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  )
}

/** The audit entries the change will write (Summary) or wrote (result). */
export function AuditTexts({ texts, title }: { texts: string[]; title: string }) {
  if (texts.length === 0) return null
  return (
    <div className="adj-audit" data-testid="adj-audit">
      <Text size="xs" c="dimmed" fw={600} tt="uppercase" mb={4}>
        {title}
      </Text>
      <ul>
        {texts.map((t, i) => (
          <li key={i}>{t}</li>
        ))}
      </ul>
    </div>
  )
}

/**
 * The invoices a payment is applied to or a refund un-applies from: number, amount, amount due
 * and status before -> after. Nothing when the operation touches no invoice.
 */
export function InvoicesTouched({ impact, done }: { impact: AdjustmentImpact; done?: boolean }) {
  const cur = impact.currency
  const touched = impact.invoices ?? []
  if (touched.length === 0) return null
  const refund = touched[0]!.amountMinor < 0
  const caption = done ? (refund ? 'Invoices reopened' : 'Applied to invoices') : refund ? 'Invoices this refund reopens' : 'Invoices this payment is applied to'
  return (
    <Table className="adj-impact adj-invoices" withTableBorder verticalSpacing={6} horizontalSpacing="sm" data-testid="adj-invoices" aria-label={caption}>
      <Table.Caption style={{ captionSide: 'top', textAlign: 'left', marginTop: 0, marginBottom: 4 }}>
        <Text span size="xs" c="dimmed" fw={600} tt="uppercase">
          {caption}
        </Text>
      </Table.Caption>
      <Table.Thead>
        <Table.Tr>
          <Table.Th scope="col">Invoice</Table.Th>
          <Table.Th scope="col" className="num-head">
            {refund ? 'Un-applied' : 'Applied'} {cur}
          </Table.Th>
          <Table.Th scope="col" className="num-head">
            Amount due
          </Table.Th>
          <Table.Th scope="col">Status</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {touched.map((t) => (
          <Table.Tr key={t.invoiceId} data-testid="adj-invoice">
            <Table.Th scope="row" fw={500} data-testid="number">
              {t.number}
            </Table.Th>
            <Table.Td className="num" data-testid="amount">
              {formatAmount(Math.abs(t.amountMinor), cur)}
            </Table.Td>
            <Table.Td className="num" data-testid="due">
              {formatAmount(t.amountDueBeforeMinor, cur)} → {formatAmount(t.amountDueAfterMinor, cur)}
            </Table.Td>
            <Table.Td data-testid="status">
              {t.statusBefore === t.statusAfter
                ? INVOICE_STATUS_LABEL[t.statusAfter]
                : `${INVOICE_STATUS_LABEL[t.statusBefore]} → ${INVOICE_STATUS_LABEL[t.statusAfter]}`}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  )
}
