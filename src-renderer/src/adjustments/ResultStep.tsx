import { useRef, useState } from 'react'
import { Alert, Button, Group, Stack, Text } from '@mantine/core'
import type { AdjustmentResult } from '../../../src-shared/domain'
import { formatAmount, formatDateTime } from '../../../src-shared/format'
import { AuditTexts, ImpactTable, InvoicesTouched } from './ImpactTable'
import { balanceLabel, shownBalance, type OperationInfo } from './operations'
import { Facts } from './SummaryStep'

/** "Visa •••• 4242" */
export function cardLabel(card: { brand: string; last4: string }): string {
  return `${card.brand} •••• ${card.last4}`
}

/** Step 4: what happened — the record written and the balance now. */
export function ResultStep({ op, result }: { op: OperationInfo; result: AdjustmentResult }) {
  const cur = result.currency
  const now = shownBalance(result.balanceControl, result.balanceAfterMinor)
  const authorization = op.key === 'authorization'
  const facts: Parameters<typeof Facts>[0]['rows'] = [['xDR id', result.xdrId === null ? '—' : String(result.xdrId), { testId: 'adj-result-xdr' }]]
  if (result.card) facts.push(['Card', cardLabel(result.card), { testId: 'adj-result-card' }])
  if (result.transactionId) facts.push(['Transaction ID', <TransactionId id={result.transactionId} />])
  if (result.expiresAt) facts.push(['Authorization expires', formatDateTime(result.expiresAt), { testId: 'adj-result-expires' }])
  facts.push(['Recorded', formatDateTime(result.at)])
  facts.push(['Operator', result.operatorName])
  return (
    <Stack gap="md">
      <Alert color="teal" variant="light" title={`${op.label} recorded`} role="status" data-testid="adj-result">
        <Text size="sm">
          {formatAmount(result.amountMinor, cur, { withCode: true })}
          {authorization ? ' reserved on the card' : op.key === 'void' ? ' released on the card' : ''} for <bdi>{result.customerName}</bdi>
          {result.xdrId !== null ? ` — xDR id ${result.xdrId}` : ''}. {balanceLabel(result.balanceControl)} now{' '}
          <Text span fw={700} className="num" c={result.balanceControl === 'prepaid' && now < 0 ? 'red' : undefined} data-testid="adj-result-balance">
            {formatAmount(now, cur, { withCode: true })}
          </Text>
          .
        </Text>
        {authorization && result.transactionId && (
          <Text size="sm" mt={6} data-testid="adj-result-hint">
            Keep the transaction ID <b>{result.transactionId}</b>: it is needed to capture or void this authorization
            {result.expiresAt ? `, which expires ${formatDateTime(result.expiresAt)}` : ''}. It is also on the receipt.
          </Text>
        )}
        {result.repeated && (
          <Text size="sm" mt={6} data-testid="adj-result-repeated">
            This operation had already been recorded (the same submission arrived twice); nothing new was written.
          </Text>
        )}
      </Alert>
      <ImpactTable impact={result} afterLabel="Now" />
      <InvoicesTouched impact={result} done />
      <Facts rows={facts} />
      <AuditTexts texts={result.auditTexts} title="Audit entries written" />
    </Stack>
  )
}

/**
 * The gateway's transaction ID, selectable whole, with a Copy button. The clipboard API may be
 * refused (the desktop session denies clipboard permission), so Copy falls back to selecting the
 * ID and asking for Ctrl+C.
 */
function TransactionId({ id }: { id: string }) {
  const ref = useRef<HTMLSpanElement>(null)
  const [copied, setCopied] = useState<'yes' | 'select' | null>(null)

  function selectId(): void {
    const el = ref.current
    const sel = window.getSelection()
    if (!el || !sel) return
    const range = document.createRange()
    range.selectNodeContents(el)
    sel.removeAllRanges()
    sel.addRange(range)
  }

  async function copy(): Promise<void> {
    try {
      if (!navigator.clipboard) throw new Error('no clipboard')
      await navigator.clipboard.writeText(id)
      setCopied('yes')
    } catch {
      selectId()
      setCopied('select')
    }
  }

  return (
    <Group gap="xs" wrap="wrap" component="span">
      <span ref={ref} className="adj-txid" data-testid="adj-result-transaction">
        {id}
      </span>
      <Button size="compact-xs" variant="default" onClick={() => void copy()} aria-label={`Copy transaction ID ${id}`}>
        Copy
      </Button>
      <Text span size="xs" c="dimmed" aria-live="polite">
        {copied === 'yes' ? 'Copied.' : copied === 'select' ? 'Selected: press Ctrl+C to copy.' : ''}
      </Text>
    </Group>
  )
}
