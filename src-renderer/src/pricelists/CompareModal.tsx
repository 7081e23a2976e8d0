import { Alert, Badge, Group, Modal, ScrollArea, Stack, Table, Text, Title } from '@mantine/core'
import type { PriceListVersion } from '../../../src-shared/domain'
import { useQuery } from '../api/query'
import { formatInstant, RatesTable } from './parts'

/** What a version changed against the one before it: prefixes added, removed and changed. */
export function CompareModal(props: { version: PriceListVersion | null; onClose: () => void }) {
  const q = useQuery('priceLists.compare', { versionId: props.version?.id ?? 1 }, { enabled: props.version !== null })
  const cmp = props.version && q.data?.version.id === props.version.id ? q.data : null
  return (
    <Modal
      opened={props.version !== null}
      onClose={props.onClose}
      size="xl"
      title={props.version ? `Version effective from ${formatInstant(props.version.effectiveFrom)}` : ''}
    >
      {q.error && <Alert color="red">{q.error.message}</Alert>}
      {cmp && (
        <Stack gap="sm">
          <Text size="sm">
            {cmp.previous
              ? `Compared with the version effective from ${formatInstant(cmp.previous.effectiveFrom)}.`
              : 'The first version of this list: every prefix is new.'}
          </Text>
          <Group gap="xs">
            <Badge color="green" variant="light">{`${cmp.added.length} added`}</Badge>
            <Badge color="red" variant="light">{`${cmp.removed.length} removed`}</Badge>
            <Badge color="orange" variant="light">{`${cmp.changed.length} changed`}</Badge>
          </Group>
          <ScrollArea.Autosize mah={460}>
            <Stack gap="sm">
              {cmp.changed.length > 0 && (
                <section aria-label="Changed">
                  <Title order={4} size="h5">
                    Changed
                  </Title>
                  <Table tabularNums verticalSpacing={4}>
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>Prefix</Table.Th>
                        <Table.Th>What changed</Table.Th>
                        <Table.Th className="num-head">Per minute before</Table.Th>
                        <Table.Th className="num-head">Per minute now</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {cmp.changed.map((c) => (
                        <Table.Tr key={c.prefix}>
                          <Table.Td ff="monospace">{c.prefix}</Table.Td>
                          <Table.Td>{c.fields.join(', ')}</Table.Td>
                          <Table.Td className="num">{c.before.pricePerMinute}</Table.Td>
                          <Table.Td className="num">{c.after.pricePerMinute}</Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                </section>
              )}
              {cmp.added.length > 0 && (
                <section aria-label="Added">
                  <Title order={4} size="h5">
                    Added
                  </Title>
                  <RatesTable rates={cmp.added} label="Added prefixes" />
                </section>
              )}
              {cmp.removed.length > 0 && (
                <section aria-label="Removed">
                  <Title order={4} size="h5">
                    Removed
                  </Title>
                  <RatesTable rates={cmp.removed} label="Removed prefixes" />
                </section>
              )}
            </Stack>
          </ScrollArea.Autosize>
        </Stack>
      )}
    </Modal>
  )
}
