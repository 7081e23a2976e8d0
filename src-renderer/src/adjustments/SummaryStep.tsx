import type { ReactNode } from 'react'
import { Stack, Text } from '@mantine/core'
import type { AdjustmentImpact } from '../../../src-shared/domain'
import { formatAmount } from '../../../src-shared/format'
import type { DetailsValues } from './DetailsStep'
import { AuditTexts, ImpactTable, InvoicesTouched } from './ImpactTable'
import type { OperationInfo } from './operations'

/** Label/value pairs, values left-aligned except amounts. */
export function Facts({ rows }: { rows: [label: string, value: ReactNode, opts?: { num?: boolean; testId?: string }][] }) {
  return (
    <dl className="adj-facts">
      {rows.map(([label, value, opts]) => (
        <div key={label} className="adj-fact">
          <dt>{label}</dt>
          <dd className={opts?.num ? 'adj-fact-num' : undefined} data-testid={opts?.testId}>
            {value}
          </dd>
        </div>
      ))}
    </dl>
  )
}

const none = (
  <Text span c="dimmed" size="sm">
    none
  </Text>
)

/** Step 3: what Finish will do, computed by the engine (adjustments.preview); nothing is saved yet. */
export function SummaryStep(props: { op: OperationInfo; impact: AdjustmentImpact; values: DetailsValues; today: string; sent?: boolean }) {
  const { op, impact, values } = props
  const cur = impact.currency
  const rows: Parameters<typeof Facts>[0]['rows'] = [
    ['Operation', op.label, { testId: 'adj-summary-operation' }],
    [op.withAmount ? 'Amount' : 'Amount (the whole authorization)', `${formatAmount(impact.amountMinor, cur)} ${cur}`, { num: true, testId: 'adj-summary-amount' }]
  ]
  if (op.withCard) {
    // Only what the receipt will show: the number itself goes to the card processor and nowhere else.
    const digits = values.cardNumber.replace(/\D/g, '')
    rows.push(['Card', `•••• ${digits.slice(-4)}, expires ${values.cardExpiry.trim()}`, { testId: 'adj-summary-card' }])
  }
  if (impact.serviceName !== null) rows.push(['Service', impact.serviceName])
  if (op.withService) {
    rows.push(['Date', values.date ?? `${props.today} (today)`])
    rows.push(['Out-of-turn invoice', values.outOfTurn ? 'Yes — included in the next out-of-turn invoice' : 'No'])
  }
  if (op.withTransactionId) rows.push(['Transaction ID', <span className="adj-txid">{values.transactionId.trim()}</span>])
  rows.push(['Visible comment', values.visibleComment.trim() || none])
  rows.push(['Internal comment', values.internalComment.trim() ? <span className="adj-pre">{values.internalComment.trim()}</span> : none])

  return (
    <Stack gap="md">
      <Text size="sm">
        {props.sent ? (
          <>What was sent to the card processor, and what it will do once it is settled:</>
        ) : op.card ? (
          <>
            Check the figures: nothing is sent to the card processor or saved until you press <b>Finish</b>.
          </>
        ) : (
          <>
            Check the figures: nothing is saved until you press <b>Finish</b>.
          </>
        )}
      </Text>
      <ImpactTable impact={impact} />
      <InvoicesTouched impact={impact} />
      <Facts rows={rows} />
      <AuditTexts texts={impact.auditTexts} title="Audit entries that will be written" />
    </Stack>
  )
}
