import { Table, Text } from '@mantine/core'
import type { ShiftCurrency } from '../../../src-shared/domain'
import { formatMinor } from '../../../src-shared/money'
import { differenceText } from '../../../src-shared/shifts'

/** A difference as the drawer reads it: red when short, orange when over, "none" when it balances. */
export function Difference({ minor, currency }: { minor: number | null; currency: string }) {
  if (minor === null) return <>—</>
  return (
    <Text span fz="inherit" fw={minor === 0 ? 400 : 700} c={minor < 0 ? 'red' : minor > 0 ? 'orange' : undefined}>
      {differenceText(minor, currency)}
    </Text>
  )
}

/**
 * A shift's cash per currency: float, cash in, cash out and expected; once closed, counted and the
 * difference. `expectedLabel`: "Expected now" while the shift is open.
 */
export function ShiftFigures(props: { currencies: readonly ShiftCurrency[]; closed: boolean; expectedLabel?: string; testId?: string }) {
  const money = (m: number, cur: string) => formatMinor(m, cur)
  return (
    <Table withTableBorder verticalSpacing={4} horizontalSpacing="md" w="auto" className="shift-table" data-testid={props.testId}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Currency</Table.Th>
          <Table.Th ta="right">Float</Table.Th>
          <Table.Th ta="right">Cash in</Table.Th>
          <Table.Th ta="right">Cash out</Table.Th>
          <Table.Th ta="right">{props.expectedLabel ?? 'Expected'}</Table.Th>
          {props.closed && <Table.Th ta="right">Counted</Table.Th>}
          {props.closed && <Table.Th>Difference</Table.Th>}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {props.currencies.map((c) => (
          <Table.Tr key={c.currency} data-currency={c.currency}>
            <Table.Td fw={600} ta="left">
              {c.currency}
            </Table.Td>
            <Table.Td ta="right">{money(c.floatMinor, c.currency)}</Table.Td>
            <Table.Td ta="right">{money(c.cashInMinor, c.currency)}</Table.Td>
            <Table.Td ta="right">{money(c.cashOutMinor, c.currency)}</Table.Td>
            <Table.Td ta="right" fw={700} data-testid={`expected-${c.currency}`}>
              {money(c.expectedMinor, c.currency)}
            </Table.Td>
            {props.closed && (
              <Table.Td ta="right" fw={700} data-testid={`counted-${c.currency}`}>
                {c.countedMinor === null ? '—' : money(c.countedMinor, c.currency)}
              </Table.Td>
            )}
            {props.closed && (
              <Table.Td data-testid={`difference-${c.currency}`}>
                <Difference minor={c.differenceMinor} currency={c.currency} />
              </Table.Td>
            )}
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  )
}
