import { Alert, Stack, Text } from '@mantine/core'
import type { AdjustmentResult } from '../../../src-shared/domain'
import { formatAmount, formatDateTime } from '../../../src-shared/format'
import { AuditTexts, ImpactTable } from './ImpactTable'
import { balanceLabel, shownBalance, type OperationInfo } from './operations'
import { Facts } from './SummaryStep'

/** Step 4: what happened — the record written and the balance now. */
export function ResultStep({ op, result }: { op: OperationInfo; result: AdjustmentResult }) {
  const cur = result.currency
  const now = shownBalance(result.balanceControl, result.balanceAfterMinor)
  return (
    <Stack gap="md">
      <Alert color="teal" variant="light" title={`${op.label} recorded`} role="status" data-testid="adj-result">
        <Text size="sm">
          {formatAmount(result.amountMinor, cur, { withCode: true })} for <bdi>{result.customerName}</bdi>
          {result.xdrId !== null ? ` — xDR id ${result.xdrId}` : ''}.{' '}
          {balanceLabel(result.balanceControl)} now{' '}
          <Text span fw={700} className="num" c={result.balanceControl === 'prepaid' && now < 0 ? 'red' : undefined} data-testid="adj-result-balance">
            {formatAmount(now, cur, { withCode: true })}
          </Text>
          .
        </Text>
        {result.repeated && (
          <Text size="sm" mt={6} data-testid="adj-result-repeated">
            This operation had already been recorded (the same submission arrived twice); nothing new was written.
          </Text>
        )}
      </Alert>
      <ImpactTable impact={result} afterLabel="Now" />
      <Facts
        rows={[
          ['xDR id', result.xdrId === null ? '—' : String(result.xdrId), { testId: 'adj-result-xdr' }],
          ['Recorded', formatDateTime(result.at)],
          ['Operator', result.operatorName]
        ]}
      />
      <AuditTexts texts={result.auditTexts} title="Audit entries written" />
    </Stack>
  )
}
