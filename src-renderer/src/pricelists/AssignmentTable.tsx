import { useEffect, useState, type ReactNode } from 'react'
import { Button, Group, Select, Table, Text } from '@mantine/core'
import type { PriceList, PriceListRef } from '../../../src-shared/domain'
import { useQuery } from '../api/query'
import { notifyError, notifySuccess } from '../lib/notify'

/** One rated service as an assignment table shows it. */
export interface AssignmentRow {
  serviceId: number
  serviceName: string
  /** The list that rates the usage now (shown), and where it comes from. */
  effective: PriceListRef | null
  source: ReactNode
  /** The list set at this level (the class's, or the customer's own): what Remove removes. */
  here: PriceListRef | null
}

/** The lists that may be chosen: those in `currency` (any when null), by name. */
export function listsInCurrency(lists: PriceList[] | undefined, currency: string | null): PriceList[] {
  return (lists ?? []).filter((l) => currency === null || l.currency === currency)
}

/**
 * Services with the price list that rates them, a choice of list (only those in the class's or
 * customer's currency) and Remove: shared by a class's Price lists and a customer's Price lists tab.
 */
export function AssignmentTable(props: {
  label: string
  rows: AssignmentRow[]
  currency: string | null
  canEdit: boolean
  /** "Assign" for a class, "Override" for a customer. */
  assignLabel: string
  removeLabel: string
  onAssign: (serviceId: number, priceListId: number) => Promise<string>
  onRemove: (serviceId: number) => Promise<string>
}) {
  const lists = useQuery('priceLists.list', {})
  const offered = listsInCurrency(lists.data, props.currency)
  return (
    <Table verticalSpacing="xs" horizontalSpacing="sm" aria-label={props.label}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Service</Table.Th>
          <Table.Th>Price list</Table.Th>
          <Table.Th>Source</Table.Th>
          <Table.Th w={420}>Change</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {props.rows.map((row) => (
          <AssignmentRowView key={row.serviceId} row={row} offered={offered} {...props} />
        ))}
      </Table.Tbody>
    </Table>
  )
}

function AssignmentRowView(props: {
  row: AssignmentRow
  offered: PriceList[]
  currency: string | null
  canEdit: boolean
  assignLabel: string
  removeLabel: string
  onAssign: (serviceId: number, priceListId: number) => Promise<string>
  onRemove: (serviceId: number) => Promise<string>
}) {
  const { row } = props
  const current = row.here ? String(row.here.id) : null
  const [choice, setChoice] = useState<string | null>(current)
  const [running, setRunning] = useState<'assign' | 'remove' | null>(null)
  // After a change (here or elsewhere) the choice follows what is stored.
  useEffect(() => setChoice(current), [current])

  async function act(kind: 'assign' | 'remove') {
    setRunning(kind)
    try {
      const message = kind === 'assign' ? await props.onAssign(row.serviceId, Number(choice)) : await props.onRemove(row.serviceId)
      notifySuccess(kind === 'assign' ? 'Price list assigned' : 'Price list removed', message)
    } catch (e) {
      notifyError(e)
    } finally {
      setRunning(null)
    }
  }

  return (
    <Table.Tr data-service={row.serviceName}>
      <Table.Td fw={600}>{row.serviceName}</Table.Td>
      <Table.Td>
        {row.effective ? (
          row.effective.name
        ) : (
          <Text span c="orange.9" size="sm">
            None — usage stays unrated
          </Text>
        )}
      </Table.Td>
      <Table.Td>{row.source}</Table.Td>
      <Table.Td>
        <Group gap="xs" wrap="nowrap">
          <Select
            aria-label={`Price list for ${row.serviceName}`}
            placeholder={props.offered.length === 0 ? `No list in ${props.currency ?? 'any currency'} yet` : 'Choose a list'}
            data={props.offered.map((l) => ({ value: String(l.id), label: `${l.name} (${l.currency})` }))}
            value={choice}
            onChange={setChoice}
            searchable
            size="xs"
            w={220}
            disabled={!props.canEdit || running !== null}
            nothingFoundMessage="No list by that name"
          />
          <Button size="compact-sm" onClick={() => void act('assign')} disabled={!props.canEdit || choice === null || choice === current} loading={running === 'assign'}>
            {props.assignLabel}
          </Button>
          {row.here && (
            <Button
              size="compact-sm"
              variant="subtle"
              color="red"
              onClick={() => void act('remove')}
              disabled={!props.canEdit || running !== null}
              loading={running === 'remove'}
            >
              {props.removeLabel}
            </Button>
          )}
        </Group>
      </Table.Td>
    </Table.Tr>
  )
}
