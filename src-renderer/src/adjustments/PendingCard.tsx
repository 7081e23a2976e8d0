import { Alert, Button, Text } from '@mantine/core'
import type { CardActivity, CardOperation } from '../../../src-shared/domain'
import { formatAmount } from '../../../src-shared/format'
import { APPROVED_EFFECT, CARD_NOUN, PENDING_EFFECT } from './cardActivity'

export type CardAttempt = CardActivity['attempts'][number]

/**
 * A card request whose answer never came, as one message that changes when it settles: yellow
 * while pending (with "Check pending card payments now"), then approved or declined, saying what
 * that did to the balance. `settled` is this request's attempt once the processor's answer is known.
 */
export function PendingCard(props: {
  operation: CardOperation
  amountMinor: number
  currency: string
  /** The engine's words when the answer did not come (what is recorded, what not to do). */
  message: string
  settled: CardAttempt | null
  /** What the last check found while it is still pending ("still no answer…"), or why it failed. */
  checkNote: string | null
  checking: boolean
  onCheck: () => void
}) {
  const noun = CARD_NOUN[props.operation]
  const amount = formatAmount(props.amountMinor, props.currency, { withCode: true })
  const s = props.settled
  if (s && s.outcome === 'approved') {
    return (
      <Alert color="teal" variant="light" title={`${noun} approved by the card processor`} role="status" data-testid="adj-pending" data-state="approved">
        <Text size="sm">
          {noun} of {amount} was approved{s.transactionId ? ` (transaction ${s.transactionId})` : ''}. {APPROVED_EFFECT[props.operation]}
        </Text>
      </Alert>
    )
  }
  if (s && (s.outcome === 'declined' || s.outcome === 'error')) {
    return (
      <Alert
        color="red"
        variant="light"
        title={`${noun} ${s.outcome === 'declined' ? 'declined' : 'failed'} at the card processor`}
        role="alert"
        data-testid="adj-pending"
        data-state="failed"
      >
        <Text size="sm">{s.reason ?? 'The card processor refused it.'} Nothing moved: the balance did not change. Close this and start again to try another card.</Text>
      </Alert>
    )
  }
  return (
    <Alert color="yellow" variant="light" title={`${noun} pending at the card processor`} role="alert" data-testid="adj-pending" data-state="pending">
      <Text size="sm">{props.message}</Text>
      <Text size="sm" mt={6}>
        {noun} of {amount}: {PENDING_EFFECT[props.operation]} Once the answer is known it is recorded once, as approved or declined.
      </Text>
      {props.checkNote && (
        <Text size="sm" mt={6} fw={600} data-testid="adj-reconciled">
          {props.checkNote}
        </Text>
      )}
      <Button size="xs" variant="default" mt="sm" onClick={props.onCheck} loading={props.checking}>
        Check pending card payments now
      </Button>
    </Alert>
  )
}
