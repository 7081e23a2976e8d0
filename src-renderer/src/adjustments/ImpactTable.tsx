import { Table, Text } from '@mantine/core'
import type { AdjustmentImpact } from '../../../src-shared/domain'
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
