import { Alert, Anchor, Badge, Group, Paper, ScrollArea, SimpleGrid, Stack, Table, Text } from '@mantine/core'
import { Link } from 'react-router'
import type { UsageImportFlag, UsageImportSummary } from '../../../../src-shared/domain'
import { formatMoney } from '../../../../src-shared/money'
import { customerPath } from '../../app/nav'

/** Why a record stayed unrated, as the person reads it (the reasons of src-main/engine/usageRating.ts). */
export const UNRATED_REASON_LABEL: Record<string, string> = {
  'no-matching-prefix': 'No prefix of the price list matches the called number',
  'no-price-list': 'No price list rates this service for the customer at that time',
  'unknown-account': 'Unknown account',
  'closed-account': 'Closed account',
  'unknown-service': 'Unknown service'
}

const FLAG_LABEL: Record<UsageImportFlag, string> = {
  blocked: 'Blocked — usage rated',
  suspended: 'Suspended — usage rated',
  terminated: 'Terminated — usage rated',
  exported: 'Exported — usage rated',
  'funds-below-zero': 'Prepaid: available funds below zero',
  'over-credit-limit': 'Postpaid: over the credit limit'
}

const n = (x: number) => x.toLocaleString('en-US')

function Count(props: { label: string; value: number; color?: string | undefined; testId: string }) {
  return (
    <Paper withBorder radius="md" p="xs">
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {props.label}
      </Text>
      <Text size="xl" fw={700} c={props.color} style={{ fontVariantNumeric: 'tabular-nums' }} data-testid={props.testId}>
        {n(props.value)}
      </Text>
    </Paper>
  )
}

const STATE_TEXT: Record<UsageImportSummary['state'], { color: string; title: string }> = {
  completed: { color: 'teal', title: 'Import completed' },
  cancelled: { color: 'yellow', title: 'Import cancelled — the batches written before Cancel stay imported' },
  failed: { color: 'red', title: 'Import stopped' }
}

/** What a usage import did: counts, unrated records by reason, charges per currency, problems by line, customers to look at. */
export function ImportSummary({ summary: s }: { summary: UsageImportSummary }) {
  const state = STATE_TEXT[s.state]
  const reasons = Object.entries(s.unratedByReason).sort((a, b) => b[1] - a[1])
  const unlisted = s.rejected - s.problems.filter((p) => p.line > 1).length
  return (
    <Stack gap="md" data-testid="usage-import-summary">
      <Alert color={state.color} title={state.title} role="status">
        Import #{s.importId} of <b>{s.fileName}</b>: {n(s.lines)} lines read, {n(s.imported)} records imported.
        {s.state !== 'completed' && ' Importing the same file again skips what is already in and imports the rest; nothing is charged twice.'}
      </Alert>
      <SimpleGrid cols={{ base: 3, sm: 6 }} spacing="sm">
        <Count label="Lines" value={s.lines} testId="usage-import-lines" />
        <Count label="Imported" value={s.imported} testId="usage-import-imported" />
        <Count label="Rated" value={s.rated} color="teal" testId="usage-import-rated" />
        <Count label="Unrated" value={s.unrated} color={s.unrated > 0 ? 'orange' : undefined} testId="usage-import-unrated" />
        <Count label="Duplicates skipped" value={s.duplicates} testId="usage-import-duplicates" />
        <Count label="Rejected lines" value={s.rejected} color={s.rejected > 0 ? 'red' : undefined} testId="usage-import-rejected" />
      </SimpleGrid>

      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <div>
          <Text fw={600} size="sm" mb={6}>
            Charged
          </Text>
          {s.chargedByCurrency.length === 0 ? (
            <Text size="sm" c="dimmed">
              Nothing was charged.
            </Text>
          ) : (
            <Table verticalSpacing={4} aria-label="Charged per currency">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Currency</Table.Th>
                  <Table.Th ta="right">Records</Table.Th>
                  <Table.Th ta="right">Charged</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {s.chargedByCurrency.map((c) => (
                  <Table.Tr key={c.currency}>
                    <Table.Td>{c.currency}</Table.Td>
                    <Table.Td ta="right">{n(c.records)}</Table.Td>
                    <Table.Td ta="right" style={{ fontVariantNumeric: 'tabular-nums' }} data-testid={`usage-import-charged-${c.currency}`}>
                      {formatMoney(c.chargedMinor, c.currency)}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </div>
        <div>
          <Text fw={600} size="sm" mb={6}>
            Unrated records (kept, not charged; rated again after the fix)
          </Text>
          {reasons.length === 0 ? (
            <Text size="sm" c="dimmed">
              Every imported record was rated.
            </Text>
          ) : (
            <Table verticalSpacing={4} aria-label="Unrated records by reason">
              <Table.Tbody>
                {reasons.map(([reason, count]) => (
                  <Table.Tr key={reason}>
                    <Table.Td>{UNRATED_REASON_LABEL[reason] ?? reason}</Table.Td>
                    <Table.Td ta="right">{n(count)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </div>
      </SimpleGrid>

      {s.flagged.length > 0 && (
        <div>
          <Text fw={600} size="sm" mb={6}>
            Customers to look at
          </Text>
          <Paper withBorder radius="md">
            <ScrollArea.Autosize mah={220} type="auto">
              <Table verticalSpacing={4} horizontalSpacing="sm" aria-label="Customers to look at" stickyHeader>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Customer</Table.Th>
                    <Table.Th>Why</Table.Th>
                    <Table.Th ta="right">Balance owed</Table.Th>
                    <Table.Th ta="right">Credit limit</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {s.flagged.map((f) => (
                    <Table.Tr key={`${f.customerId}-${f.reason}`}>
                      <Table.Td>
                        <Anchor component={Link} to={customerPath(f.customerId)} size="sm">
                          {f.customerName}
                        </Anchor>
                      </Table.Td>
                      <Table.Td>
                        <Badge variant="light" color={f.reason === 'funds-below-zero' || f.reason === 'over-credit-limit' ? 'red' : 'orange'}>
                          {FLAG_LABEL[f.reason]}
                        </Badge>
                      </Table.Td>
                      <Table.Td ta="right">{formatMoney(f.balanceMinor, f.currency)}</Table.Td>
                      <Table.Td ta="right">{f.creditLimitMinor === null ? '—' : formatMoney(f.creditLimitMinor, f.currency)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </ScrollArea.Autosize>
          </Paper>
        </div>
      )}

      {s.problems.length > 0 && (
        <div>
          <Group justify="space-between" mb={6}>
            <Text fw={600} size="sm" c="red">
              Problems by line and column (these lines were not imported)
            </Text>
            {unlisted > 0 && (
              <Text size="xs" c="dimmed">
                and {n(unlisted)} more rejected lines not listed
              </Text>
            )}
          </Group>
          <Paper withBorder radius="md">
            <ScrollArea.Autosize mah={220} type="auto">
              <Table verticalSpacing={4} horizontalSpacing="sm" aria-label="Import problems" stickyHeader>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th w={70}>Line</Table.Th>
                    <Table.Th w={150}>Column</Table.Th>
                    <Table.Th>Problem</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {s.problems.map((p) => (
                    <Table.Tr key={`${p.line}-${p.field ?? ''}`}>
                      <Table.Td>{p.line}</Table.Td>
                      <Table.Td>{p.field ?? '—'}</Table.Td>
                      <Table.Td>{p.message}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </ScrollArea.Autosize>
          </Paper>
        </div>
      )}
    </Stack>
  )
}
