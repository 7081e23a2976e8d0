import { useState } from 'react'
import { Alert, Box, Button, Group, Text } from '@mantine/core'
import type { AuditVerifyResult, LedgerCheckResult } from '../../../src-shared/domain'
import { formatAmount, formatDateTime } from '../../../src-shared/format'
import { useMutation } from '../api/query'
import { useAuditView } from '../app/nav'
import { notifyError } from '../lib/notify'
import { PageHeader } from '../lib/PageHeader'
import { AuditLog } from './AuditLog'

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
        {result.firstBrokenId !== null && ` First broken link: entry #${result.firstBrokenId}, written ${formatDateTime(result.firstBrokenAt, { utc: true })} UTC.`}{' '}
        {result.checked === 1 ? '1 entry' : `${result.checked} entries`} before it intact.
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
  const [view, setView] = useAuditView()
  const verify = useMutation('audit.verify')
  const [verified, setVerified] = useState<AuditVerifyResult | null>(null)
  const ledger = useMutation('ledger.check')
  const [ledgerResult, setLedgerResult] = useState<LedgerCheckResult | null>(null)

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

      <AuditLog view={view} onChange={setView} height="max(320px, calc(100vh - 330px))" />
    </>
  )
}
