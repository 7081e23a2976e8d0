import { Alert, Button, Drawer, Stack, Table, Text } from '@mantine/core'
import { useState } from 'react'
import type { TraceTarget } from '../../../src-shared/domain'
import { formatDateTime } from '../../../src-shared/format'
import { useQuery } from '../api/query'
import { useCan } from '../app/status'
import { QueryError } from '../lib/QueryError'
import { AuditLinks } from './AuditLinks'

/**
 * "Trace" beside a figure (issue 12 item 4): opens the chain of audit entries that produced its
 * current value, oldest first, with the change and the running value after each and who caused
 * it. A chain that does not add up to the value now is a ledger defect, said in red. Shown to the
 * audit log's readers only (administrators and auditors); the engine checks the role too.
 */
export function TraceButton({ target, id, what }: { target: TraceTarget; id: number; what: string }) {
  const [open, setOpen] = useState(false)
  const allowed = useCan()('audit.trace')
  if (!allowed) return null
  return (
    <>
      <Button size="compact-xs" variant="subtle" onClick={() => setOpen(true)} aria-label={`Trace ${what}`} data-testid={`trace-${target}`}>
        Trace
      </Button>
      <Drawer opened={open} onClose={() => setOpen(false)} position="right" size={880} title={`Trace: ${what}`} closeButtonProps={{ 'aria-label': 'Close the trace' }}>
        {open && <TraceView target={target} id={id} />}
      </Drawer>
    </>
  )
}

function TraceView({ target, id }: { target: TraceTarget; id: number }) {
  const q = useQuery('audit.trace', { target, id })
  if (q.error) return <QueryError error={q.error} onRetry={q.reload} what="the trace" />
  const t = q.data
  if (!t) return null
  return (
    <Stack gap="sm" data-testid="trace-view">
      <Text fw={600}>{t.title}</Text>
      <Text size="sm">
        Now: <b data-testid="trace-current">{t.currentValue}</b>. {t.consistent ? `The ${t.steps.length} changes below, oldest first, add up to it.` : ''}
      </Text>
      {!t.consistent && (
        <Alert color="red" title="The changes do not add up: a ledger defect" data-testid="trace-problem">
          {t.problem}
        </Alert>
      )}
      <Table withTableBorder verticalSpacing={4} data-testid="trace-steps">
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={130}>Time</Table.Th>
            <Table.Th w={110}>Operator</Table.Th>
            <Table.Th>What happened</Table.Th>
            <Table.Th ta="right" w={110}>
              Change
            </Table.Th>
            <Table.Th ta="right" w={120}>
              After
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {t.steps.map((s) => (
            <Table.Tr key={s.entryId} data-testid="trace-step">
              <Table.Td style={{ whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' }}>{formatDateTime(s.at)}</Table.Td>
              <Table.Td>{s.operatorName}</Table.Td>
              <Table.Td>
                <Text size="sm">{s.description}</Text>
                {s.gap && (
                  <Text size="xs" c="red">
                    {s.gap}
                  </Text>
                )}
                <AuditLinks links={s.links} skipCustomer />
              </Table.Td>
              <Table.Td ta="right" style={{ whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' }}>
                {s.delta ?? '—'}
              </Table.Td>
              <Table.Td ta="right" fw={600} style={{ whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' }} data-testid="trace-after">
                {s.valueAfter}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  )
}
