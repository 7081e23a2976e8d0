import { useEffect, useState } from 'react'
import { Alert, Box, Button, Group, LoadingOverlay, Paper, Table, Text } from '@mantine/core'
import type { AuditEntry, AuditVerifyResult, LedgerCheckResult } from '../../../src-shared/domain'
import { formatAmount } from '../../../src-shared/format'
import { formatDateTime } from '../../../src-shared/format'
import { useMutation, useQuery } from '../api/query'
import { notifyError } from '../lib/notify'
import { PageHeader } from '../lib/PageHeader'
import { QueryError } from '../lib/QueryError'

const PAGE_SIZE = 100

function VerifyResult({ result }: { result: AuditVerifyResult }) {
  return result.ok ? (
    <Alert color="teal" variant="light" title="Audit chain intact" role="status" data-testid="verify-result">
      <Text size="sm">
        {result.checked === 1 ? '1 entry' : `${result.checked} entries`} checked; every entry matches the one before it. {result.message}
      </Text>
    </Alert>
  ) : (
    <Alert color="red" variant="light" title="Audit chain broken" role="alert" data-testid="verify-result">
      <Text size="sm">
        {result.message}
        {result.firstBrokenId !== null && ` First broken link: entry #${result.firstBrokenId}.`} {result.checked === 1 ? '1 entry' : `${result.checked} entries`} checked.
      </Text>
    </Alert>
  )
}

function LedgerResult({ result }: { result: LedgerCheckResult }) {
  return result.ok ? (
    <Alert color="teal" variant="light" title="Ledger matches" role="status" data-testid="ledger-result">
      <Text size="sm">
        {result.customersChecked === 1 ? 'The one customer' : `All ${result.customersChecked} customers`}: every balance and unallocated payments amount equals the sum of
        the customer's ledger records.
      </Text>
    </Alert>
  ) : (
    <Alert color="red" variant="light" title="Ledger differences" role="alert" data-testid="ledger-result">
      <Text size="sm" mb="xs">
        {result.differences.length} of {result.customersChecked} {result.customersChecked === 1 ? 'customer' : 'customers'}{' '}
        {result.differences.length === 1 ? 'differs' : 'differ'} from their ledger:
      </Text>
      {result.differences.slice(0, 20).map((d) => (
        <Text size="sm" key={d.customerId}>
          {d.customerName}: balance {formatAmount(d.balanceMinor, d.currency)} against {formatAmount(d.ledgerBalanceMinor, d.currency)} in the ledger; unallocated
          payments {formatAmount(d.unallocatedMinor, d.currency)} against {formatAmount(d.ledgerUnallocatedMinor, d.currency)}
        </Text>
      ))}
    </Alert>
  )
}

export function AuditPage() {
  const first = useQuery('audit.list', { limit: PAGE_SIZE })
  const more = useMutation('audit.list')
  const verify = useMutation('audit.verify')
  const [older, setOlder] = useState<AuditEntry[]>([])
  const [exhausted, setExhausted] = useState(false)
  const [verified, setVerified] = useState<AuditVerifyResult | null>(null)
  const ledger = useMutation('ledger.check')
  const [ledgerResult, setLedgerResult] = useState<LedgerCheckResult | null>(null)

  // A fresh first page (e.g. after a restore) starts the list over.
  useEffect(() => {
    setOlder([])
    setExhausted(false)
  }, [first.data])

  const entries = [...(first.data ?? []), ...older]
  const canLoadMore = !exhausted && (first.data?.length ?? 0) === PAGE_SIZE

  async function loadOlder() {
    const last = entries[entries.length - 1]
    if (!last) return
    try {
      const page = await more.run({ beforeId: last.id, limit: PAGE_SIZE })
      setOlder((o) => [...o, ...page])
      if (page.length < PAGE_SIZE) setExhausted(true)
    } catch (e) {
      notifyError(e)
    }
  }

  async function runVerify() {
    try {
      setVerified(await verify.run({}))
    } catch (e) {
      notifyError(e)
    }
  }

  async function runLedgerCheck() {
    try {
      setLedgerResult(await ledger.run({}))
    } catch (e) {
      notifyError(e)
    }
  }

  return (
    <>
      <PageHeader
        title="Audit log"
        description="Every change to a balance, unallocated payments, a customer's status or an invoice, newest first. Each entry carries a hash of the one before it, so any later edit breaks the chain."
        actions={
          <Group gap="sm">
            <Button variant="default" onClick={runLedgerCheck} loading={ledger.running}>
              Check balances against the ledger
            </Button>
            <Button onClick={runVerify} loading={verify.running}>
              Verify chain
            </Button>
          </Group>
        }
      />

      {verified && (
        <Box mb="md">
          <VerifyResult result={verified} />
        </Box>
      )}
      {ledgerResult && (
        <Box mb="md">
          <LedgerResult result={ledgerResult} />
        </Box>
      )}

      {first.error && !first.data ? (
        <QueryError error={first.error} onRetry={first.reload} what="the audit log" />
      ) : (
        <Paper withBorder radius="md" pos="relative">
          <LoadingOverlay visible={first.loading && !first.data} zIndex={1} overlayProps={{ blur: 1 }} />
          <Table.ScrollContainer minWidth={960} type="native">
            <Table highlightOnHover tabularNums verticalSpacing="xs" aria-label="Audit log">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Time</Table.Th>
                  <Table.Th>Operator</Table.Th>
                  <Table.Th>Customer</Table.Th>
                  <Table.Th>Kind</Table.Th>
                  <Table.Th>Description</Table.Th>
                  <Table.Th>Source</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {entries.map((e) => (
                  <Table.Tr key={e.id}>
                    <Table.Td className="nowrap" style={{ verticalAlign: 'top' }}>
                      {formatDateTime(e.at)}
                    </Table.Td>
                    <Table.Td className="nowrap" style={{ verticalAlign: 'top' }}>
                      {e.operatorName}
                    </Table.Td>
                    <Table.Td style={{ verticalAlign: 'top' }}>
                      {e.customerName ?? (
                        <Text span c="dimmed">
                          —
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td className="nowrap" style={{ verticalAlign: 'top' }}>
                      {/* A Badge cuts its text ("card…"): the kind is a short code, shown whole. */}
                      <Text span size="xs" ff="monospace" px={6} py={2} bg="var(--mantine-color-default-hover)" style={{ borderRadius: 4 }}>
                        {e.kind}
                      </Text>
                    </Table.Td>
                    <Table.Td style={{ verticalAlign: 'top' }}>{e.description}</Table.Td>
                    <Table.Td style={{ verticalAlign: 'top' }}>
                      {e.source ?? (
                        <Text span c="dimmed">
                          —
                        </Text>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {first.data && entries.length === 0 && (
            <Box p="lg">
              <Text c="dimmed" ta="center">
                The audit log is empty.
              </Text>
            </Box>
          )}
        </Paper>
      )}

      {canLoadMore && (
        <Group justify="center" mt="md">
          <Button variant="default" onClick={loadOlder} loading={more.running}>
            Load older entries
          </Button>
        </Group>
      )}
    </>
  )
}
