/**
 * A customer's card activity as staff need to see it: the open authorizations and refundable
 * payments that Capture, Void and E-commerce refund act on (so nobody has to copy a transaction ID
 * from a receipt), the requests still waiting for the processor's answer, and every attempt sent
 * to the processor, declined and failed ones included (card_attempts, migration 0009).
 */
import type { CardActivity, CardAttemptOutcome, CardLabel, CardOperation } from '../../src-shared/domain'
import { AppError } from '../../src-shared/errors'
import { formatMoney } from '../../src-shared/money'
import type { DbReader } from '../db/store'
import type { Work } from './unitOfWork'

/** How many attempts the customer page lists (newest first). */
const ATTEMPTS_SHOWN = 50

const card = (brand: string | null, last4: string | null): CardLabel | null => (brand && last4 ? { brand, last4 } : null)

export function cardActivity(r: DbReader, customerId: number, nowIso: string): CardActivity {
  const c = r.get<{ currency: string }>('SELECT currency FROM customers WHERE id = ?', [customerId])
  if (!c) throw new AppError('NOT_FOUND', `Customer ${customerId} does not exist.`, 'customerId')

  type TxRow = {
    gateway_ref: string
    amount_minor: number
    captured_minor: number
    refunded_minor: number
    created_at: string
    card_brand: string | null
    card_last4: string | null
    expires_at: string
    kind: string
  }
  const openAuthorizations = r
    .all<TxRow>(
      `SELECT gateway_ref, amount_minor, created_at, card_brand, card_last4, expires_at FROM card_transactions
       WHERE customer_id = ? AND kind = 'authorization' AND state = 'authorized' AND expires_at > ? ORDER BY id DESC`,
      [customerId, nowIso]
    )
    .map((t) => ({ transactionId: t.gateway_ref, amountMinor: t.amount_minor, at: t.created_at, card: card(t.card_brand, t.card_last4), expiresAt: t.expires_at }))

  // The same rule findCardTarget applies: a completed payment, or a captured authorization (its
  // ID is the one a refund names), minus what was refunded so far.
  const refundablePayments = r
    .all<TxRow>(
      // A captured authorization was charged when the capture completed, not when it was authorized.
      `SELECT t.kind, t.gateway_ref, t.amount_minor, t.captured_minor, t.refunded_minor, t.card_brand, t.card_last4,
              coalesce((SELECT min(c.updated_at) FROM card_transactions c WHERE c.parent_id = t.id AND c.kind = 'payment' AND c.state = 'completed'), t.created_at) AS created_at
       FROM card_transactions t
       WHERE t.customer_id = ? AND t.state = 'completed' AND t.gateway_ref IS NOT NULL AND t.kind IN ('payment', 'authorization') ORDER BY created_at DESC, t.id DESC`,
      [customerId]
    )
    .map((t) => {
      const charged = t.kind === 'payment' ? t.amount_minor : t.captured_minor
      return {
        transactionId: t.gateway_ref,
        kind: t.kind === 'payment' ? ('payment' as const) : ('capture' as const),
        chargedMinor: charged,
        refundableMinor: charged - t.refunded_minor,
        at: t.created_at,
        card: card(t.card_brand, t.card_last4)
      }
    })
    .filter((p) => p.refundableMinor > 0)

  const pending = r
    .all<{
      reference: string
      kind: string
      parent_kind: string | null
      parent_ref: string | null
      amount_minor: number
      created_at: string
      card_brand: string | null
      card_last4: string | null
      operation_key: string | null
    }>(
      `SELECT t.reference, t.kind, p.kind AS parent_kind, p.gateway_ref AS parent_ref, t.amount_minor, t.created_at,
              coalesce(t.card_brand, p.card_brand) AS card_brand, coalesce(t.card_last4, p.card_last4) AS card_last4, t.operation_key
       FROM card_transactions t LEFT JOIN card_transactions p ON p.id = t.parent_id
       WHERE t.customer_id = ? AND t.state IN ('started', 'pending') ORDER BY t.id DESC`,
      [customerId]
    )
    .map((t) => ({
      reference: t.reference,
      operation: operationOf(t.kind, t.parent_kind),
      amountMinor: t.amount_minor,
      at: t.created_at,
      card: card(t.card_brand, t.card_last4),
      operationKey: t.operation_key,
      transactionId: t.parent_ref
    }))

  const attempts = r
    .all<{
      id: number
      created_at: string
      operation: CardOperation
      outcome: CardAttemptOutcome
      reason: string | null
      card_brand: string | null
      card_last4: string | null
      amount_minor: number
      gateway_ref: string | null
      operation_key: string | null
      operator_name: string
    }>(
      `SELECT id, created_at, operation, outcome, reason, card_brand, card_last4, amount_minor, gateway_ref, operation_key, operator_name
       FROM card_attempts WHERE customer_id = ? ORDER BY id DESC LIMIT ${ATTEMPTS_SHOWN}`,
      [customerId]
    )
    .map((a) => ({
      id: a.id,
      at: a.created_at,
      operation: a.operation,
      outcome: a.outcome,
      reason: a.reason,
      card: card(a.card_brand, a.card_last4),
      amountMinor: a.amount_minor,
      transactionId: a.gateway_ref,
      operationKey: a.operation_key,
      operatorName: a.operator_name
    }))

  return { currency: c.currency, openAuthorizations, refundablePayments, pending, attempts }
}

/** A card_transactions row's operation: a payment row with an authorization parent is a capture. */
export function operationOf(kind: string, parentKind: string | null): CardOperation {
  if (kind === 'authorization') return 'authorization'
  if (kind === 'refund') return 'ecommerce-refund'
  return parentKind === 'authorization' ? 'capture' : 'ecommerce-payment'
}

export interface AttemptStart {
  customerId: number
  cardTransactionId: number | null
  operation: CardOperation
  card: CardLabel | null
  amountMinor: number
  currency: string
  /** Capture, void, refund: the processor's ID of the transaction acted on. */
  gatewayRef: string | null
  operationKey: string
}

/** Write the attempt as 'sent', in the unit of work that records the request before it goes out. */
export function recordAttemptSent(w: Work, a: AttemptStart): number {
  return w.insert(
    `INSERT INTO card_attempts (customer_id, card_transaction_id, operation, outcome, card_brand, card_last4, amount_minor, currency, gateway_ref, operation_key, operator_id, operator_name, created_at)
     VALUES (?, ?, ?, 'sent', ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      a.customerId,
      a.cardTransactionId,
      a.operation,
      a.card?.brand ?? null,
      a.card?.last4 ?? null,
      a.amountMinor,
      a.currency,
      a.gatewayRef,
      a.operationKey,
      w.actor.operatorId,
      w.actor.operatorName,
      w.at
    ]
  )
}

/** The processor's answer to an attempt (or reconciliation's): approved keeps the ID it gave. */
export function settleAttempt(
  w: Work,
  where: { attemptId: number } | { cardTransactionId: number },
  outcome: Exclude<CardAttemptOutcome, 'sent'>,
  detail: { reason?: string | null; gatewayRef?: string | null; card?: CardLabel | null } = {}
): void {
  const [column, id] = 'attemptId' in where ? ['id', where.attemptId] : ['card_transaction_id', where.cardTransactionId]
  w.run(
    `UPDATE card_attempts SET outcome = ?, reason = ?, gateway_ref = coalesce(gateway_ref, ?), card_brand = coalesce(card_brand, ?), card_last4 = coalesce(card_last4, ?), settled_at = ?
     WHERE ${column} = ? AND outcome IN ('sent', 'pending')`,
    [outcome, detail.reason ?? null, detail.gatewayRef ?? null, detail.card?.brand ?? null, detail.card?.last4 ?? null, outcome === 'pending' ? null : w.at, id]
  )
}

const WHAT: Record<CardOperation, (amount: string, ref: string | null) => string> = {
  'ecommerce-payment': (amount) => `Card payment of ${amount}`,
  authorization: (amount) => `Card authorization of ${amount}`,
  capture: (amount, ref) => `Capture of authorization ${ref ?? ''} for ${amount}`,
  void: (amount, ref) => `Void of authorization ${ref ?? ''} (${amount})`,
  'ecommerce-refund': (amount, ref) => `Card refund of ${amount} against ${ref ?? ''}`
}

const NOTHING_MOVED: Record<CardOperation, string> = {
  'ecommerce-payment': 'the card was not charged and the balance did not change',
  capture: 'the card was not charged and the balance did not change',
  authorization: 'nothing was reserved on the card and the balance did not change',
  void: 'the authorization still holds and the balance did not change',
  'ecommerce-refund': 'no money went back to the card and the balance did not change'
}

/** The audit entry for an attempt the processor refused or could not process: nothing moved. */
export function auditRefusedAttempt(
  w: Work,
  a: Pick<AttemptStart, 'customerId' | 'operation' | 'card' | 'amountMinor' | 'currency' | 'gatewayRef'>,
  outcome: 'declined' | 'error',
  reason: string
): void {
  const cardText = a.card ? ` (${a.card.brand} •••• ${a.card.last4})` : ''
  w.audit({
    kind: outcome === 'declined' ? 'card.declined' : 'card.failed',
    customerId: a.customerId,
    description: `${WHAT[a.operation](formatMoney(a.amountMinor, a.currency), a.gatewayRef)} ${outcome === 'declined' ? 'declined' : 'failed'}${cardText}: ${reason} Nothing moved: ${NOTHING_MOVED[a.operation]}.`
  })
}
