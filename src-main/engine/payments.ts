import type { ParsedInputOf } from '../../src-shared/contract'
import type { AdjustmentResult, CardLabel, CardOperation } from '../../src-shared/domain'
import { AppError } from '../../src-shared/errors'
import { formatMinor, formatMoney } from '../../src-shared/money'
import { planAdjustment, recordAdjustment, repeatedResult, type Plan } from './adjustments'
import type { Actor } from './audit'
import type { DbReader } from '../db/store'
import type { StoredCardTransaction } from './cardTransactions'
import type { StoredCustomer } from './customers'
import { numberOf } from './sql'
import { auditRefusedAttempt, operationOf, recordAttemptSent, settleAttempt, type AttemptStart } from './cardActivity'
import { cardBrand, type GatewayOutcome, type PaymentGateway } from './gateway'
import type { Engine, Work } from './unitOfWork'

type SubmitInput = ParsedInputOf<'adjustments.submit'>

export interface CardDeps {
  engine: Engine
  gateway: PaymentGateway
  actor: Actor
}

/** What reconciliation reads of an unsettled card transaction. */
type CardRow = Pick<StoredCardTransaction, 'id' | 'customer_id' | 'kind' | 'state' | 'reference' | 'parent_id' | 'amount_minor' | 'operation_key'>

/** The card transaction row an operation writes (void changes only its authorization). */
function rowKind(op: SubmitInput['operation']): CardRow['kind'] | null {
  return op === 'ecommerce-payment' || op === 'capture' ? 'payment' : op === 'authorization' ? 'authorization' : op === 'ecommerce-refund' ? 'refund' : null
}

/**
 * A card operation: checked, recorded as Started (durable) before the gateway is asked, then
 * settled with the gateway's answer in a second unit of work. A lost answer leaves the record
 * Pending — never half applied — until reconcileCardPayments asks the gateway what happened.
 */
export async function submitCardAdjustment(d: CardDeps, input: SubmitInput): Promise<AdjustmentResult> {
  const repeated = d.engine.read((r) => repeatedResult(r, input))
  if (repeated) return repeated
  const { operationKey, ...fields } = input
  const nowIso = () => new Date(d.engine.now()).toISOString()
  const plan = d.engine.read((r) => planAdjustment(r, fields, nowIso()))
  const open = d.engine.read((r) =>
    r.get<Pick<StoredCardTransaction, 'reference'>>("SELECT reference FROM card_transactions WHERE operation_key = ? AND state IN ('started', 'pending')", [operationKey])
  )
  if (open) {
    throw new AppError('CONFLICT', `This payment is still pending at the card processor (${open.reference}). Reconcile pending card payments before trying again.`)
  }

  const kind = rowKind(input.operation)
  const operation = input.operation as CardOperation
  // The attempt (who tried what, on which card) is recorded with the Started row, before the
  // processor is asked, so even an attempt whose answer is lost leaves a trace.
  const attempt: AttemptStart = {
    customerId: input.customerId,
    cardTransactionId: null,
    operation,
    card: d.engine.read((r) => attemptCard(r, input, plan)),
    amountMinor: plan.impact.amountMinor,
    currency: plan.impact.currency,
    gatewayRef: plan.target?.gatewayRef ?? null,
    operationKey
  }
  const { rowId, attemptId } = d.engine.change(d.actor, (w) => {
    let rowId: number | null = null
    if (kind) {
      const n = (numberOf(w, 'SELECT count(*) FROM card_transactions WHERE operation_key = ?', [operationKey]) ?? 0) + 1
      rowId = w.insert(
        `INSERT INTO card_transactions (customer_id, kind, state, reference, parent_id, amount_minor, currency, card_brand, card_last4, operation_key, created_at, updated_at)
         VALUES (?, ?, 'started', ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          input.customerId,
          kind,
          `cbd-${operationKey}-${n}`,
          plan.target?.id ?? null,
          plan.impact.amountMinor,
          plan.impact.currency,
          attempt.card?.brand ?? null,
          attempt.card?.last4 ?? null,
          operationKey,
          w.at,
          w.at
        ]
      )
    }
    // A void writes no transaction of its own: its attempt belongs to the authorization.
    attempt.cardTransactionId = rowId ?? plan.target?.id ?? null
    return { rowId, attemptId: recordAttemptSent(w, attempt) }
  })
  const reference =
    rowId === null
      ? `cbd-${operationKey}-void`
      : d.engine.read((r) => r.get<Pick<StoredCardTransaction, 'reference'>>('SELECT reference FROM card_transactions WHERE id = ?', [rowId])!.reference)

  let outcome: GatewayOutcome
  try {
    const card = { number: input.cardNumber, expiry: input.cardExpiry }
    const amountMinor = plan.impact.amountMinor
    const gatewayRef = plan.target?.gatewayRef ?? ''
    outcome =
      input.operation === 'ecommerce-payment'
        ? await d.gateway.charge({ reference, card, amountMinor, currency: plan.impact.currency })
        : input.operation === 'authorization'
          ? await d.gateway.authorize({ reference, card, amountMinor, currency: plan.impact.currency })
          : input.operation === 'capture'
            ? await d.gateway.capture({ reference, gatewayRef, amountMinor })
            : input.operation === 'void'
              ? await d.gateway.void({ reference, gatewayRef })
              : await d.gateway.refund({ reference, gatewayRef, amountMinor })
  } catch (err) {
    outcome = { status: 'error', message: `The card processor could not be reached (${(err as Error).message}).` }
  }

  const settled = d.engine.change(d.actor, (w) => settle(w, rowId, plan, { ...fields, operationKey }, outcome, { id: attemptId, ...attempt }))
  if (settled.ok) return settled.result
  throw settled.error
}

type Settled = { ok: true; result: AdjustmentResult } | { ok: false; error: AppError }

/** What a pending request is called, and what must not be done meanwhile. */
const PENDING_WORDS: Record<CardOperation, { noun: string; dont: string }> = {
  'ecommerce-payment': { noun: 'card payment', dont: 'do not charge the card again' },
  capture: { noun: 'capture', dont: 'do not capture the authorization again' },
  authorization: { noun: 'card authorization', dont: 'do not authorize the card again' },
  void: { noun: 'void', dont: 'do not void the authorization again' },
  'ecommerce-refund': { noun: 'card refund', dont: 'do not refund it again' }
}

/**
 * Apply the gateway's answer. Failures are recorded too (the transaction, the attempt and an
 * audit entry saying nothing moved are committed), then reported.
 */
function settle(w: Work, rowId: number | null, plan: Plan, input: SubmitInput, outcome: GatewayOutcome, attempt: AttemptStart & { id: number }): Settled {
  const cardField = input.operation === 'ecommerce-payment' || input.operation === 'authorization' ? 'cardNumber' : 'transactionId'
  if (outcome.status === 'timeout') {
    if (rowId !== null) w.run("UPDATE card_transactions SET state = 'pending', updated_at = ? WHERE id = ?", [w.at, rowId])
    settleAttempt(w, { attemptId: attempt.id }, 'pending')
    w.audit({
      kind: 'card.pending',
      customerId: input.customerId,
      description: `Card ${plan.source} of ${formatMoney(plan.impact.amountMinor, plan.impact.currency)} sent; the card processor did not answer. Recorded as pending until reconciled.`
    })
    const words = PENDING_WORDS[attempt.operation]
    return {
      ok: false,
      error: new AppError(
        'IO',
        `The card processor did not answer in time. The ${words.noun} is recorded as pending and will be checked with the processor at the next start-up, or now with "Check pending card payments now"; ${words.dont}.`
      )
    }
  }
  if (outcome.status !== 'approved') {
    const reason = outcome.status === 'declined' ? outcome.reason : outcome.message
    if (rowId !== null) w.run("UPDATE card_transactions SET state = 'failed', failure = ?, updated_at = ? WHERE id = ?", [reason, w.at, rowId])
    const refused = outcome.status === 'declined' ? 'declined' : 'error'
    settleAttempt(w, { attemptId: attempt.id }, refused, { reason })
    auditRefusedAttempt(w, attempt, refused, reason)
    return { ok: false, error: new AppError('VALIDATION', reason, cardField) }
  }
  settleAttempt(w, { attemptId: attempt.id }, 'approved', { gatewayRef: outcome.gatewayRef, card: { brand: outcome.brand, last4: outcome.last4 } })
  return { ok: true, result: applyApproved(w, rowId, plan, input, outcome) }
}

/** The card an attempt uses: the typed number's brand and last four, or the transaction's it acts on. */
function attemptCard(r: DbReader, input: SubmitInput, plan: Plan): CardLabel | null {
  if (input.operation === 'ecommerce-payment' || input.operation === 'authorization') {
    const digits = input.cardNumber.replace(/[\s-]/g, '')
    return { brand: cardBrand(digits), last4: digits.slice(-4) }
  }
  if (!plan.target) return null
  const t = r.get<Pick<StoredCardTransaction, 'card_brand' | 'card_last4'>>('SELECT card_brand, card_last4 FROM card_transactions WHERE id = ?', [plan.target.id])
  return t?.card_brand && t.card_last4 ? { brand: t.card_brand, last4: t.card_last4 } : null
}

function applyApproved(
  w: Work,
  rowId: number | null,
  plan: Plan,
  input: Pick<SubmitInput, 'operation' | 'customerId' | 'outOfTurn' | 'visibleComment' | 'internalComment' | 'operationKey'>,
  outcome: Extract<GatewayOutcome, { status: 'approved' }>
): AdjustmentResult {
  const t = plan.target
  switch (input.operation) {
    case 'ecommerce-payment':
      completeWithReference(w, rowId, outcome)
      break
    case 'authorization':
      w.run("UPDATE card_transactions SET state = 'authorized', gateway_ref = ?, card_brand = ?, card_last4 = ?, expires_at = ?, updated_at = ? WHERE id = ?", [
        outcome.gatewayRef,
        outcome.brand,
        outcome.last4,
        outcome.expiresAt ?? null,
        w.at,
        rowId
      ])
      break
    case 'capture':
      w.run("UPDATE card_transactions SET state = 'completed', card_brand = ?, card_last4 = ?, updated_at = ? WHERE id = ?", [outcome.brand, outcome.last4, w.at, rowId])
      w.run("UPDATE card_transactions SET state = 'completed', captured_minor = ?, updated_at = ? WHERE id = ?", [plan.impact.amountMinor, w.at, t!.id])
      break
    case 'void':
      w.run("UPDATE card_transactions SET state = 'voided', updated_at = ? WHERE id = ?", [w.at, t!.id])
      break
    case 'ecommerce-refund':
      completeWithReference(w, rowId, outcome)
      w.run('UPDATE card_transactions SET refunded_minor = refunded_minor + ?, updated_at = ? WHERE id = ?', [plan.impact.amountMinor, w.at, t!.id])
      break
    default:
      throw new AppError('INTERNAL', `${input.operation} is not a card operation.`)
  }
  const result = recordAdjustment(w, plan, input, { transactionId: outcome.gatewayRef, brand: outcome.brand, last4: outcome.last4, expiresAt: outcome.expiresAt ?? null })
  if (rowId !== null && result.xdrId !== null) w.run('UPDATE card_transactions SET xdr_id = ? WHERE id = ?', [result.xdrId, rowId])
  return result
}

/**
 * Ask the gateway about every card transaction whose answer never arrived (time-out, or a crash
 * between Started and the answer) and settle it. Run at start-up and on demand.
 */
export async function reconcileCardPayments(d: CardDeps): Promise<{ settled: number; stillPending: number }> {
  const open = d.engine.read((r) =>
    r.all<CardRow>(
      "SELECT id, customer_id, kind, state, reference, parent_id, amount_minor, operation_key FROM card_transactions WHERE state IN ('started', 'pending') ORDER BY id"
    )
  )
  let settled = 0
  let stillPending = 0
  for (const row of open) {
    const outcome = await d.gateway.lookup(row.reference)
    if (outcome?.status === 'timeout') {
      stillPending++
      continue
    }
    d.engine.change(d.actor, (w) => {
      if (outcome?.status !== 'approved') {
        const why = !outcome ? 'The request never reached the card processor.' : outcome.status === 'declined' ? outcome.reason : outcome.message
        w.run("UPDATE card_transactions SET state = 'failed', failure = ?, updated_at = ? WHERE id = ?", [why, w.at, row.id])
        settleAttempt(w, { cardTransactionId: row.id }, outcome?.status === 'error' ? 'error' : 'declined', { reason: why })
        w.audit({
          kind: 'card.reconciled',
          customerId: row.customer_id,
          description: `Pending card transaction ${row.reference} reconciled: failed (${why}) — no money moved.`
        })
        return
      }
      const parent =
        row.parent_id === null
          ? null
          : w.get<Pick<StoredCardTransaction, 'gateway_ref' | 'kind'>>('SELECT gateway_ref, kind FROM card_transactions WHERE id = ?', [row.parent_id])
      const operation = operationOf(row.kind, parent?.kind ?? null)
      const currency = w.get<Pick<StoredCustomer, 'currency'>>('SELECT currency FROM customers WHERE id = ?', [row.customer_id])!.currency
      const plan = planAdjustment(
        w,
        {
          customerId: row.customer_id,
          operation,
          amount: formatMinor(row.amount_minor, currency, { grouping: false }),
          serviceId: null,
          date: null,
          outOfTurn: false,
          transactionId: parent?.gateway_ref ?? '',
          cardNumber: '',
          cardExpiry: '',
          visibleComment: '',
          internalComment: ''
        },
        w.at,
        { settling: true }
      )
      settleAttempt(w, { cardTransactionId: row.id }, 'approved', { gatewayRef: outcome.gatewayRef, card: { brand: outcome.brand, last4: outcome.last4 } })
      applyApproved(
        w,
        row.id,
        plan,
        {
          operation,
          customerId: row.customer_id,
          outOfTurn: false,
          visibleComment: '',
          internalComment: 'Settled by reconciliation with the card processor',
          operationKey: row.operation_key ?? `reconcile-${row.reference}`
        },
        outcome
      )
    })
    settled++
  }
  return { settled, stillPending }
}

/** A card payment or refund the processor approved: completed, with its reference and card. */
function completeWithReference(w: Work, rowId: number | null, outcome: Extract<GatewayOutcome, { status: 'approved' }>): void {
  w.run("UPDATE card_transactions SET state = 'completed', gateway_ref = ?, card_brand = ?, card_last4 = ?, updated_at = ? WHERE id = ?", [
    outcome.gatewayRef,
    outcome.brand,
    outcome.last4,
    w.at,
    rowId
  ])
}
