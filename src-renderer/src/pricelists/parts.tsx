import { Table } from '@mantine/core'
import type { PriceListRate } from '../../../src-shared/domain'

/** "2026-03-01 00:00 UTC": instants are stored in UTC and shown so, to the minute. */
export const formatInstant = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`

/** Rates as the preview and the comparison show them. */
export function RatesTable(props: { rates: PriceListRate[]; label: string }) {
  return (
    <Table tabularNums verticalSpacing={4} aria-label={props.label}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Prefix</Table.Th>
          <Table.Th>Description</Table.Th>
          <Table.Th className="num-head">Per minute</Table.Th>
          <Table.Th className="num-head">Connection</Table.Th>
          <Table.Th className="num-head">Intervals</Table.Th>
          <Table.Th className="num-head">Free s</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {props.rates.map((r) => (
          <Table.Tr key={r.prefix}>
            <Table.Td ff="monospace">{r.prefix}</Table.Td>
            <Table.Td>{r.description}</Table.Td>
            <Table.Td className="num">{r.pricePerMinute}</Table.Td>
            <Table.Td className="num">{r.connectionFee}</Table.Td>
            <Table.Td className="num">
              {r.firstInterval}/{r.nextInterval}
            </Table.Td>
            <Table.Td className="num">{r.freeSeconds}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  )
}
