import type { ParsedInputOf } from '../../src-shared/contract'
import type { AdjustmentResult } from '../../src-shared/domain'
import { AppError } from '../../src-shared/errors'
import { formatMinor, formatMoney } from '../../src-shared/money'
import { planAdjustment, recordAdjustment, repeatedResult, type Plan } from './adjustments'
import type { Actor } from './audit'
import type { GatewayOutcome, PaymentGateway } from './gateway'
import type { Engine, Work } from './unitOfWork'

type SubmitInput = ParsedInputOf<'adjustments.submit'>

export interface CardDeps {
  engine: Engine
  gateway: PaymentGateway
  actor: Actor
}

interface CardRow {
  id: number
  customer_id: number
  kind: 'payment' | 'authorization' | 'refund'
  state: string
  reference: string
  parent_id: number | null
  amount_minor: number
  operation_key: string | null
}

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
    r.get<{ reference: string }>("SELECT reference FROM card_transactions WHERE operation_key = ? AND state IN ('started', 'pending')", [operationKey])
  )
  if (open) {
    throw new AppError('CONFLICT', `This payment is still pending at the card processor (${open.reference}). Reconcile pending card payments before trying again.`)
  }

  const kind = rowKind(input.operation)
  const rowId = kind
    ? d.engine.change(d.actor, (w) => {
        const attempt = w.get<{ n: number }>('SELECT count(*) AS n FROM card_transactions WHERE operation_key = ?', [operationKey])!.n + 1
        return w.insert(
          `INSERT INTO card_transactions (customer_id, kind, state, reference, parent_id, amount_minor, currency, operation_key, created_at, updated_at)
           VALUES (?, ?, 'started', ?, ?, ?, ?, ?, ?, ?)`,
          [input.customerId, kind, `cbd-${operationKey}-${attempt}`, plan.target?.id ?? null, plan.impact.amountMinor, plan.impact.currency, operationKey, w.at, w.at]
        )
      })
    : null
  const reference = rowId === null ? `cbd-${operationKey}-void` : d.engine.read((r) => r.get<{ reference: string }>('SELECT reference FROM card_transactions WHERE id = ?', [rowId])!.reference)

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

  const settled = d.engine.change(d.actor, (w) => settle(w, rowId, plan, { ...fields, operationKey }, outcome))
  if (settled.ok) return settled.result
  throw settled.error
}

type Settled = { ok: true; result: AdjustmentResult } | { ok: false; error: AppError }

/** Apply the gateway's answer. Failures are recorded too (committed), then reported. */
function settle(w: Work, rowId: number | null, plan: Plan, input: SubmitInput, outcome: GatewayOutcome): Settled {
  const cardField = input.operation === 'ecommerce-payment' || input.operation === 'authorization' ? 'cardNumber' : 'transactionId'
  if (outcome.status === 'timeout') {
    if (rowId !== null) w.run("UPDATE card_transactions SET state = 'pending', updated_at = ? WHERE id = ?", [w.at, rowId])
    w.audit({ kind: 'card.pending', customerId: input.customerId, description: `Card ${plan.source} of ${formatMoney(plan.impact.amountMinor, plan.impact.currency)} sent; the card processor did not answer. Recorded as pending until reconciled.` })
    return {
      ok: false,
      error: new AppError('IO', 'The card processor did not answer in time. The payment is recorded as pending and will be checked with the processor (at the next start-up, or "Reconcile" now); do not charge the card again.')
    }
  }
  if (outcome.status !== 'approved') {
    const reason = outcome.status === 'declined' ? outcome.reason : outcome.message
    if (rowId !== null) w.run("UPDATE card_transactions SET state = 'failed', failure = ?, updated_at = ? WHERE id = ?", [reason, w.at, rowId])
    return { ok: false, error: new AppError('VALIDATION', reason, cardField) }
  }
  return { ok: true, result: applyApproved(w, rowId, plan, input, outcome) }
}

function applyApproved(w: Work, rowId: number | null, plan: Plan, input: Pick<SubmitInput, 'operation' | 'customerId' | 'outOfTurn' | 'visibleComment' | 'internalComment' | 'operationKey'>, outcome: Extract<GatewayOutcome, { status: 'approved' }>): AdjustmentResult {
  const t = plan.target
  switch (input.operation) {
    case 'ecommerce-payment':
      w.run("UPDATE card_transactions SET state = 'completed', gateway_ref = ?, card_brand = ?, card_last4 = ?, updated_at = ? WHERE id = ?", [outcome.gatewayRef, outcome.brand, outcome.last4, w.at, rowId])
      break
    case 'authorization':
      w.run("UPDATE card_transactions SET state = 'authorized', gateway_ref = ?, card_brand = ?, card_last4 = ?, expires_at = ?, updated_at = ? WHERE id = ?", [
        outcome.gatewayRef, outcome.brand, outcome.last4, outcome.expiresAt ?? null, w.at, rowId
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
      w.run("UPDATE card_transactions SET state = 'completed', gateway_ref = ?, card_brand = ?, card_last4 = ?, updated_at = ? WHERE id = ?", [outcome.gatewayRef, outcome.brand, outcome.last4, w.at, rowId])
      w.run('UPDATE card_transactions SET refunded_minor = refunded_minor + ?, updated_at = ? WHERE id = ?', [plan.impact.amountMinor, w.at, t!.id])
      break
    default:
      throw new AppError('INTERNAL', `${input.operation} is not a card operation.`)
  }
  const result = recordAdjustment(w, plan, input, { transactionId: outcome.gatewayRef, brand: outcome.brand, last4: outcome.last4, expiresAt: outcome.expiresAt ?? null })
  if (rowId !== null && result.xdrId !== null) w.run('UPDATE card_transactions SET xdr_id = ? WHERE id = ?', [result.xdrId, rowId])
  return result
}

const OPERATION_OF: Record<string, SubmitInput['operation']> = { payment: 'ecommerce-payment', authorization: 'authorization', refund: 'ecommerce-refund' }

/**
 * Ask the gateway about every card transaction whose answer never arrived (time-out, or a crash
 * between Started and the answer) and settle it. Run at start-up and on demand.
 */
export async function reconcileCardPayments(d: CardDeps): Promise<{ settled: number; stillPending: number }> {
  const open = d.engine.read((r) => r.all<CardRow>("SELECT id, customer_id, kind, state, reference, parent_id, amount_minor, operation_key FROM card_transactions WHERE state IN ('started', 'pending') ORDER BY id"))
  let settled = 0
  let stillPending = 0
  for (const row of open) {
    const outcome = await d.gateway.lookup(row.reference)
    if (outcome?.status === 'timeout') {
      stillPending++
      continue
    }
    d.engine.change(d.actor, (w) => {
      if (!outcome || outcome.status !== 'approved') {
        const why = !outcome ? 'The request never reached the card processor.' : outcome.status === 'declined' ? outcome.reason : outcome.message
        w.run("UPDATE card_transactions SET state = 'failed', failure = ?, updated_at = ? WHERE id = ?", [why, w.at, row.id])
        w.audit({ kind: 'card.reconciled', customerId: row.customer_id, description: `Pending card transaction ${row.reference} reconciled: failed (${why}) — no money moved.` })
        return
      }
      const parent = row.parent_id === null ? null : w.get<{ gateway_ref: string; kind: string }>('SELECT gateway_ref, kind FROM card_transactions WHERE id = ?', [row.parent_id])
      const operation = row.kind === 'payment' && parent?.kind === 'authorization' ? 'capture' : OPERATION_OF[row.kind]!
      const currency = w.get<{ currency: string }>('SELECT currency FROM customers WHERE id = ?', [row.customer_id])!.currency
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
      applyApproved(w, row.id, plan, { operation, customerId: row.customer_id, outOfTurn: false, visibleComment: '', internalComment: 'Settled by reconciliation with the card processor', operationKey: row.operation_key ?? `reconcile-${row.reference}` }, outcome)
    })
    settled++
  }
  return { settled, stillPending }
}
