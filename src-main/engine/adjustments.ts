import type { ParsedInputOf } from '../../src-shared/contract'
import type { AdjustmentImpact, AdjustmentOperation, AdjustmentResult, InvoiceTouch } from '../../src-shared/domain'
import { AppError } from '../../src-shared/errors'
import { localDate } from '../../src-shared/format'
import { currency, formatMoney, parseAmountExact } from '../../src-shared/money'
import { checkPaymentCeiling, operationRefusal } from '../../src-shared/statusRules'
import type { DbReader } from '../db/store'
import { describeAmountChange } from './audit'
import type { AnsweredCardTransaction } from './cardTransactions'
import type { StoredCustomer } from './customers'
import { luhnValid } from './gateway'
import { applyPayment, PAYMENT_KINDS, planApplication, planRefund, recordRefund, REFUND_KINDS, refundableMinor, touchText } from './invoicePayments'
import { postToLedger } from './ledger'
import { maxOperationMinor } from './settings'
import { cashShiftFor, recordShiftCash } from './shifts'
import { CREDITS_SERVICE_ID, type StoredService } from './services'
import type { Work } from './unitOfWork'

type AdjustmentInput = ParsedInputOf<'adjustments.preview'>
type SubmitInput = ParsedInputOf<'adjustments.submit'>

export const CARD_OPERATIONS: ReadonlySet<AdjustmentOperation> = new Set(['ecommerce-payment', 'ecommerce-refund', 'authorization', 'capture', 'void'])
const WITH_SERVICE: ReadonlySet<AdjustmentOperation> = new Set(['manual-charge', 'manual-credit'])
const WITH_CARD: ReadonlySet<AdjustmentOperation> = new Set(['ecommerce-payment', 'authorization'])
const WITH_TRANSACTION: ReadonlySet<AdjustmentOperation> = new Set(['ecommerce-refund', 'capture', 'void'])

/**
 * How each operation moves the balance (owed) and unallocated payments, per unit of amount.
 * Payments are then applied to unpaid invoices; refunds take from unallocated payments first,
 * then un-apply the newest applications (invoicePayments.ts).
 */
export const EFFECT: Record<AdjustmentOperation, { balance: 1 | -1 | 0; unallocated: 1 | -1 | 0; source: string }> = {
  'manual-charge': { balance: 1, unallocated: 0, source: 'manual charge' },
  'manual-credit': { balance: -1, unallocated: 0, source: 'manual credit' },
  'manual-payment': { balance: -1, unallocated: 1, source: 'manual payment' },
  'promotional-credit': { balance: -1, unallocated: 0, source: 'promotional credit' },
  refund: { balance: 1, unallocated: -1, source: 'refund' },
  'ecommerce-payment': { balance: -1, unallocated: 1, source: 'e-commerce payment' },
  'ecommerce-refund': { balance: 1, unallocated: -1, source: 'e-commerce refund' },
  authorization: { balance: 0, unallocated: 0, source: 'authorization only' },
  capture: { balance: -1, unallocated: 1, source: 'captured card payment' },
  void: { balance: 0, unallocated: 0, source: 'void' }
}

/** The card transaction an e-commerce refund, capture or void refers to. */
export interface CardTarget {
  id: number
  kind: 'payment' | 'authorization'
  gatewayRef: string
  amountMinor: number
  /** What a refund may still return (charged or captured, minus refunds so far). */
  refundableMinor: number
}

/** A row of operation_keys: a wizard's key and the result it gave, so a repeat gives it again. */
export interface StoredOperationKey {
  key: string
  customer_id: number
  operation: string
  result_json: string
  created_at: string
}

type CustomerMoney = Pick<
  StoredCustomer,
  'id' | 'customer_id' | 'company_name' | 'balance_control' | 'currency' | 'balance_minor' | 'unallocated_minor' | 'credit_limit_minor' | 'status'
>

export interface Plan {
  impact: AdjustmentImpact
  serviceId: number | null
  effectiveDate: string | null
  source: string
  /** Ledger effect of the record (0 for operations that move no money). */
  balanceDeltaMinor: number
  unallocatedDeltaMinor: number
  target: CardTarget | null
}

function loadCustomer(r: DbReader, id: number): CustomerMoney {
  const c = r.get<CustomerMoney>(
    'SELECT id, customer_id, company_name, balance_control, currency, balance_minor, unallocated_minor, credit_limit_minor, status FROM customers WHERE id = ?',
    [id]
  )
  if (!c) throw new AppError('NOT_FOUND', `Customer ${id} does not exist.`, 'customerId')
  return c
}

/** Audit wording: prepaid customers see "Available funds" (minus the balance), postpaid "Balance". */
function balanceText(c: CustomerMoney, before: number, after: number, source: string, xdr: string): string {
  const change =
    c.balance_control === 'prepaid' ? describeAmountChange('Available funds', -before, -after, c.currency) : describeAmountChange('Balance', before, after, c.currency)
  return `${change} Source – ${source} (${xdr})`
}

/**
 * Check an adjustment and work out what it would do, without writing anything. Every error names
 * the wizard field it belongs to.
 */
export function planAdjustment(r: DbReader, input: AdjustmentInput, nowIso: string, opts: { settling?: boolean } = {}): Plan {
  // Settling an answer the gateway already gave (reconciliation): the card and the
  // authorization's state were checked when the request was sent.
  const settling = opts.settling === true
  const xdrLabel = 'xDR id assigned on Finish'
  // A date the person picks is a day on this computer's calendar, not UTC's.
  const today = localDate(nowIso)
  const c = loadCustomer(r, input.customerId)
  // What the customer's status allows comes first. Settling keeps what the gateway already did:
  // the status was checked when the request was sent, and the card has been charged.
  const refusal = settling ? null : operationRefusal(c.status, input.operation)
  if (refusal) throw new AppError('VALIDATION', refusal, 'operation')
  const target = WITH_TRANSACTION.has(input.operation) ? findCardTarget(r, c, input, nowIso, settling) : null
  if (!WITH_TRANSACTION.has(input.operation) && input.transactionId !== '') {
    throw new AppError('VALIDATION', 'A transaction ID applies only to e-commerce refunds, captures and voids.', 'transactionId')
  }
  if (WITH_CARD.has(input.operation)) {
    if (!settling) checkCard(input.cardNumber, input.cardExpiry, nowIso)
  } else if (input.cardNumber !== '' || input.cardExpiry !== '')
    throw new AppError('VALIDATION', 'Card details apply only to e-commerce payments and authorizations.', 'cardNumber')

  // A void cancels the whole authorization: its amount is the authorized one.
  let amount: number
  if (input.operation === 'void' && input.amount.trim() === '') amount = target!.amountMinor
  else {
    if (input.amount.trim() === '') throw new AppError('VALIDATION', 'Enter an amount.', 'amount')
    amount = parseOperationAmount(r, input.amount, c.currency, settling)
  }
  if (!settling) checkPaymentCeiling(c.status, c.balance_minor, amount, c.currency)
  if (input.operation === 'capture' && amount > target!.amountMinor) {
    throw new AppError('VALIDATION', `A capture can take at most the authorized ${formatMoney(target!.amountMinor, c.currency)}; the rest is released.`, 'amount')
  }
  if (input.operation === 'void' && amount !== target!.amountMinor)
    throw new AppError('VALIDATION', 'A void cancels the whole authorization; leave the amount empty.', 'amount')
  if (input.operation === 'ecommerce-refund' && amount > target!.refundableMinor) {
    throw new AppError(
      'VALIDATION',
      `Refunds never exceed what was charged: at most ${formatMoney(target!.refundableMinor, c.currency)} of this payment can still be refunded.`,
      'amount'
    )
  }

  let serviceId: number | null = null
  let serviceName: string | null = null
  let effectiveDate: string | null = null
  if (WITH_SERVICE.has(input.operation)) {
    if (input.serviceId === null) throw new AppError('VALIDATION', 'Choose the service this charge or credit is for.', 'serviceId')
    const s = r.get<Pick<StoredService, 'name' | 'is_special' | 'disabled'>>('SELECT name, is_special, disabled FROM services WHERE id = ?', [input.serviceId])
    if (!s) throw new AppError('NOT_FOUND', `Service ${input.serviceId} does not exist.`, 'serviceId')
    if (s.is_special === 1) throw new AppError('VALIDATION', `"${s.name}" is not a real service; use a promotional credit for that.`, 'serviceId')
    // Disabled services stay on the records that name them but take no new charges or credits.
    if (s.disabled === 1)
      throw new AppError(
        'VALIDATION',
        `"${s.name}" is disabled: it takes no new charges or credits. Choose another service, or enable it in Settings > Services.`,
        'serviceId'
      )
    serviceId = input.serviceId
    serviceName = s.name
    effectiveDate = input.date ?? today
    if (effectiveDate > today) throw new AppError('VALIDATION', 'The date cannot be in the future.', 'date')
  } else {
    if (input.serviceId !== null) throw new AppError('VALIDATION', 'A service applies only to manual charges and credits.', 'serviceId')
    if (input.date !== null) throw new AppError('VALIDATION', 'A date applies only to manual charges and credits.', 'date')
    if (input.outOfTurn) throw new AppError('VALIDATION', 'Only manual charges and credits can go on an out-of-turn invoice.', 'outOfTurn')
    if (input.operation === 'promotional-credit') {
      serviceId = CREDITS_SERVICE_ID
      serviceName = r.get<Pick<StoredService, 'name'>>('SELECT name FROM services WHERE id = ?', [CREDITS_SERVICE_ID])?.name ?? 'Credits / Promotions'
    }
  }

  const effect = EFFECT[input.operation]
  if (input.operation === 'refund') {
    const cap = refundableMinor(r, c.id)
    if (amount > cap) {
      throw new AppError(
        'VALIDATION',
        cap === 0
          ? 'A refund returns an earlier payment, and this customer has no payment left to refund (nothing paid, or all of it already refunded).'
          : `A refund returns an earlier payment: at most what was paid and not yet refunded, ${formatMoney(cap, c.currency)}.`,
        'amount'
      )
    }
  }
  const balanceDelta = effect.balance * amount
  const money = moneyEffect(r, c, input.operation, amount, today)
  const balanceAfter = c.balance_minor + balanceDelta
  const unallocatedAfter = money.unallocatedAfterMinor
  checkExact(c, balanceAfter, unallocatedAfter)
  const auditTexts =
    balanceDelta !== 0
      ? [balanceText(c, c.balance_minor, balanceAfter, effect.source, xdrLabel)]
      : [
          input.operation === 'authorization'
            ? `Authorization only: ${formatMoney(amount, c.currency)} reserved on the card; the balance does not change.`
            : `Authorization ${target!.gatewayRef} for ${formatMoney(amount, c.currency)} voided; the balance does not change.`
        ]
  auditTexts.push(...moneyTexts(c, input.operation, effect.source, money, xdrLabel))
  return {
    serviceId,
    effectiveDate,
    source: effect.source,
    balanceDeltaMinor: balanceDelta,
    unallocatedDeltaMinor: money.unallocatedDeltaMinor,
    target,
    impact: {
      operation: input.operation,
      customerId: c.id,
      customerName: c.company_name || c.customer_id,
      balanceControl: c.balance_control,
      currency: c.currency,
      amountMinor: amount,
      ...figures(c, balanceAfter, unallocatedAfter),
      serviceName,
      auditTexts,
      invoices: money.invoices
    }
  }
}

/** Before and after: balance, unallocated payments, and (postpaid with a limit) the headroom under the limit. */
function figures(c: CustomerMoney, balanceAfter: number, unallocatedAfter: number) {
  const headroom = (balance: number) => (c.balance_control === 'postpaid' && c.credit_limit_minor !== null ? c.credit_limit_minor - balance : null)
  return {
    balanceBeforeMinor: c.balance_minor,
    balanceAfterMinor: balanceAfter,
    unallocatedBeforeMinor: c.unallocated_minor,
    unallocatedAfterMinor: unallocatedAfter,
    creditHeadroomBeforeMinor: headroom(c.balance_minor),
    creditHeadroomAfterMinor: headroom(balanceAfter)
  }
}

/** What an operation does to unallocated payments and to invoices. */
interface MoneyEffect {
  /** The record's unallocated delta (xdrs.unallocated_delta_minor). */
  unallocatedDeltaMinor: number
  /** The unallocated payments the record itself leaves (a payment received, a refund taken), before applications. */
  receivedAfterMinor: number
  unallocatedAfterMinor: number
  invoices: InvoiceTouch[]
}

function moneyEffect(r: DbReader, c: CustomerMoney, operation: AdjustmentOperation, amount: number, today: string, firstInvoiceId?: number): MoneyEffect {
  if (PAYMENT_KINDS.has(operation)) {
    const invoices = planApplication(r, { customerRowId: c.id, amountMinor: amount, today, firstInvoiceId })
    const applied = invoices.reduce((s, t) => s + t.amountMinor, 0)
    return { unallocatedDeltaMinor: amount, receivedAfterMinor: c.unallocated_minor + amount, unallocatedAfterMinor: c.unallocated_minor + amount - applied, invoices }
  }
  if (REFUND_KINDS.has(operation)) {
    const p = planRefund(r, { customerRowId: c.id, amountMinor: amount, today })
    const after = c.unallocated_minor - p.fromUnallocatedMinor
    return { unallocatedDeltaMinor: p.unallocatedDeltaMinor, receivedAfterMinor: after, unallocatedAfterMinor: after, invoices: p.invoices }
  }
  const delta = EFFECT[operation].unallocated * amount
  return { unallocatedDeltaMinor: delta, receivedAfterMinor: c.unallocated_minor + delta, unallocatedAfterMinor: c.unallocated_minor + delta, invoices: [] }
}

/**
 * The audit texts after the balance's: unallocated payments moved by the record itself, then
 * (payments) what applying it took from them, then each invoice touched — the wording
 * invoicePayments.ts writes.
 */
function moneyTexts(c: CustomerMoney, operation: AdjustmentOperation, source: string, m: MoneyEffect, xdr: string): string[] {
  const texts: string[] = []
  if (m.receivedAfterMinor !== c.unallocated_minor) {
    const from = REFUND_KINDS.has(operation) ? 'refund to the customer' : 'customer payment transaction'
    texts.push(`${describeAmountChange('Unallocated payments', c.unallocated_minor, m.receivedAfterMinor, c.currency)} Payments source – ${from} (${xdr})`)
  }
  if (PAYMENT_KINDS.has(operation) && m.invoices.length > 0) {
    texts.push(
      `${describeAmountChange('Unallocated payments', m.receivedAfterMinor, m.unallocatedAfterMinor, c.currency)} Applied to invoice${m.invoices.length > 1 ? 's' : ''} ${m.invoices.map((t) => t.number).join(', ')} (${xdr}).`
    )
  }
  for (const t of m.invoices) texts.push(`${touchText(t, c.currency, source)} (${xdr}).`)
  return texts
}

/**
 * Make the adjustment: one ledger record, the balance and unallocated payments moved with it,
 * its audit entries, and the operation key — all in the caller's single unit of work. A key
 * that was already used returns the first result and writes nothing.
 */
export function repeatedResult(r: DbReader, input: SubmitInput): AdjustmentResult | null {
  const seen = r.get<Pick<StoredOperationKey, 'customer_id' | 'operation' | 'result_json'>>(
    'SELECT customer_id, operation, result_json FROM operation_keys WHERE key = ?',
    [input.operationKey]
  )
  if (!seen) return null
  if (seen.customer_id !== input.customerId || seen.operation !== input.operation) {
    throw new AppError('CONFLICT', 'This wizard operation key was already used for a different adjustment. Close the wizard and start again.')
  }
  // Results stored before payments were applied to invoices have no `invoices`.
  const first = JSON.parse(seen.result_json) as AdjustmentResult
  return { ...first, invoices: first.invoices ?? [], repeated: true }
}

/** Where a payment goes first: an invoice paid at the counter as it is issued (out-of-turn invoices). */
export interface ApplyOptions {
  firstInvoiceId?: number
}

/** A manual operation, whole, in the caller's unit of work. Card operations go through payments.ts. */
export function submitAdjustment(w: Work, input: SubmitInput, opts: ApplyOptions = {}): AdjustmentResult {
  if (CARD_OPERATIONS.has(input.operation)) throw new AppError('INTERNAL', 'Card operations go through the payment gateway.')
  const repeated = repeatedResult(w, input)
  if (repeated) return repeated
  const { operationKey, ...fields } = input
  // Cash goes on the operator's open shift (a cashier without one is refused before anything is written).
  const shiftId = cashShiftFor(w, w.actor.operatorId, input.operation)
  const result = recordAdjustment(w, planAdjustment(w, fields, w.at), { ...fields, operationKey }, null, opts)
  if (shiftId !== null && result.xdrId !== null) recordShiftCash(w, shiftId, result.xdrId, input.operation, result.currency, result.amountMinor)
  return result
}

/** What the wizard's Summary shows, with the operator's shift rule checked first (cash needs a shift for a cashier). */
export function previewAdjustment(r: DbReader, input: AdjustmentInput, nowIso: string, operatorId: number): AdjustmentImpact {
  cashShiftFor(r, operatorId, input.operation)
  return planAdjustment(r, input, nowIso).impact
}

/**
 * Write what a checked plan does: the ledger record (if money moves), the audit entries, the
 * operation key with the result. Also used by card operations once the gateway approved.
 */
export function recordAdjustment(
  w: Work,
  plan: Plan,
  input: Pick<SubmitInput, 'operation' | 'customerId' | 'outOfTurn' | 'visibleComment' | 'internalComment' | 'operationKey'>,
  card: { transactionId: string; brand: string; last4: string; expiresAt: string | null } | null,
  opts: ApplyOptions = {}
): AdjustmentResult {
  const entry = (unallocatedDeltaMinor: number) => ({
    kind: input.operation,
    customerId: input.customerId,
    amountMinor: plan.balanceDeltaMinor,
    unallocatedDeltaMinor,
    serviceId: plan.serviceId,
    effectiveDate: plan.effectiveDate,
    outOfTurn: input.outOfTurn,
    visibleComment: input.visibleComment,
    internalComment: input.internalComment
  })
  const moves = plan.balanceDeltaMinor !== 0 || plan.unallocatedDeltaMinor !== 0
  // Figures now (a card answer may arrive after other changes): what the record really does.
  const c = loadCustomer(w, input.customerId)
  const money = moneyEffect(w, c, input.operation, plan.impact.amountMinor, localDate(w.at), opts.firstInvoiceId)
  let xdrId: number | null = null
  let invoices: InvoiceTouch[] = []
  const balanceLine = (id: number) => balanceText(c, c.balance_minor, c.balance_minor + plan.balanceDeltaMinor, plan.source, `xDR id ${id}`)
  const auditRecord = (id: number | null) => {
    const text = id !== null ? balanceLine(id) : plan.impact.auditTexts[0]!
    const description = card ? `${text} Card: ${card.brand} •••• ${card.last4}, transaction ${card.transactionId}.` : text
    w.audit({
      kind: id !== null ? 'customer.balance' : 'card.authorization',
      customerId: input.customerId,
      field: id !== null ? 'balance' : null,
      from: id !== null ? String(c.balance_minor) : null,
      to: id !== null ? String(c.balance_minor + plan.balanceDeltaMinor) : null,
      description,
      source: id !== null ? { kind: plan.source, id } : { kind: plan.source }
    })
    if (id !== null && money.receivedAfterMinor !== c.unallocated_minor) {
      w.audit({
        kind: 'customer.unallocated',
        customerId: input.customerId,
        field: 'unallocated_payments',
        from: String(c.unallocated_minor),
        to: String(money.receivedAfterMinor),
        description: planTexts(moneyTexts(c, input.operation, plan.source, { ...money, invoices: [] }, 'xDR id assigned on Finish'), id)[0]!,
        source: { kind: plan.source, id }
      })
    }
  }
  if (!moves) auditRecord(null)
  else if (REFUND_KINDS.has(input.operation)) {
    const done = recordRefund(w, { customerRowId: input.customerId, amountMinor: plan.impact.amountMinor, source: plan.source }, (delta) => {
      const id = postToLedger(w, entry(delta)).xdrId
      auditRecord(id)
      return id
    })
    xdrId = done.xdrId
    invoices = done.invoices
  } else {
    xdrId = postToLedger(w, entry(money.unallocatedDeltaMinor)).xdrId
    auditRecord(xdrId)
    if (PAYMENT_KINDS.has(input.operation)) {
      invoices = applyPayment(w, {
        customerRowId: input.customerId,
        xdrId,
        amountMinor: plan.impact.amountMinor,
        source: plan.source,
        firstInvoiceId: opts.firstInvoiceId
      })
    }
  }
  const balanceAfter = c.balance_minor + plan.balanceDeltaMinor
  const unallocatedAfter = loadCustomer(w, input.customerId).unallocated_minor
  const impact: AdjustmentImpact = { ...plan.impact, ...figures(c, balanceAfter, unallocatedAfter), invoices }
  const texts =
    xdrId !== null
      ? [balanceLine(xdrId), ...planTexts(moneyTexts(c, input.operation, plan.source, { ...money, invoices }, 'xDR id assigned on Finish'), xdrId)]
      : plan.impact.auditTexts
  const result: AdjustmentResult = {
    ...impact,
    auditTexts: texts,
    xdrId,
    at: w.at,
    operatorName: w.actor.operatorName,
    visibleComment: input.visibleComment,
    repeated: false,
    transactionId: card?.transactionId ?? null,
    card: card ? { brand: card.brand, last4: card.last4 } : null,
    expiresAt: card?.expiresAt ?? null
  }
  w.run('INSERT INTO operation_keys (key, customer_id, operation, result_json, created_at) VALUES (?, ?, ?, ?, ?)', [
    input.operationKey,
    input.customerId,
    input.operation,
    JSON.stringify(result),
    w.at
  ])
  return result
}

/**
 * The amount as typed, in minor units: more than zero and at most the maximum amount per
 * operation (Settings), refused on the Amount field with the limit named. Settling a card
 * answer skips the limit: the gateway already moved the money.
 */
function parseOperationAmount(r: DbReader, text: string, code: string, settling: boolean): number {
  const minor = parseAmountExact(text, code, 'amount')
  if (minor <= 0n) throw new AppError('VALIDATION', 'The amount must be more than zero; the operation type decides the direction.', 'amount')
  const max = maxOperationMinor(r, currency(code).exponent)
  if (minor > max && !settling) {
    throw new AppError('VALIDATION', `One operation can move at most ${formatMoney(max, code)} (the maximum amount per operation, in Settings).`, 'amount')
  }
  if (minor > BigInt(Number.MAX_SAFE_INTEGER)) throw new AppError('VALIDATION', 'The amount is too large.', 'amount')
  return Number(minor)
}

/**
 * Every figure an operation leaves must stay an exact (safe) integer of minor units; past that,
 * arithmetic on it would silently round. Refused on the Amount field, naming the edge.
 */
function checkExact(c: CustomerMoney, balanceAfter: number, unallocatedAfter: number): void {
  const edge = (v: number) => formatMoney(v < 0 ? -Number.MAX_SAFE_INTEGER : Number.MAX_SAFE_INTEGER, c.currency)
  const beyond = (what: string, shown: number) =>
    new AppError('VALIDATION', `This operation would take ${what} beyond ${edge(shown)}, the most the books can hold exactly.`, 'amount')
  if (!Number.isSafeInteger(balanceAfter)) {
    throw c.balance_control === 'prepaid' ? beyond('available funds', -balanceAfter) : beyond('the balance', balanceAfter)
  }
  if (!Number.isSafeInteger(unallocatedAfter)) throw beyond('unallocated payments', unallocatedAfter)
}

function findCardTarget(r: DbReader, c: CustomerMoney, input: AdjustmentInput, nowIso: string, settling: boolean): CardTarget {
  if (input.transactionId === '') throw new AppError('VALIDATION', 'Enter the transaction ID from the authorization or payment.', 'transactionId')
  const t = r.get<AnsweredCardTransaction<'id' | 'kind' | 'state' | 'amount_minor' | 'captured_minor' | 'refunded_minor' | 'expires_at'>>(
    // Staff type the ID from a receipt: any letter case finds it (an exact match wins should the
    // processor ever issue IDs differing only in case).
    `SELECT id, kind, state, gateway_ref, amount_minor, captured_minor, refunded_minor, expires_at FROM card_transactions
     WHERE gateway_ref = ? COLLATE NOCASE AND customer_id = ? ORDER BY gateway_ref = ? DESC LIMIT 1`,
    [input.transactionId, c.id, input.transactionId]
  )
  const field = 'transactionId'
  if (!t) throw new AppError('NOT_FOUND', `No card transaction ${input.transactionId} for this customer.`, field)
  if (input.operation === 'ecommerce-refund') {
    const refundable =
      t.kind === 'payment' && t.state === 'completed'
        ? t.amount_minor - t.refunded_minor
        : t.kind === 'authorization' && t.state === 'completed'
          ? t.captured_minor - t.refunded_minor
          : null
    if (refundable === null) throw new AppError('VALIDATION', `${t.gateway_ref} is not a completed card payment, so there is nothing to refund.`, field)
    return { id: t.id, kind: t.kind as CardTarget['kind'], gatewayRef: t.gateway_ref, amountMinor: t.amount_minor, refundableMinor: refundable }
  }
  if (t.kind !== 'authorization') throw new AppError('VALIDATION', `${t.gateway_ref} is not an authorization.`, field)
  if (settling) return { id: t.id, kind: 'authorization', gatewayRef: t.gateway_ref, amountMinor: t.amount_minor, refundableMinor: 0 }
  if (t.state === 'completed') throw new AppError('VALIDATION', `Authorization ${t.gateway_ref} was already captured.`, field)
  if (t.state === 'voided') throw new AppError('VALIDATION', `Authorization ${t.gateway_ref} was voided.`, field)
  if (t.state !== 'authorized') throw new AppError('VALIDATION', `Authorization ${t.gateway_ref} is ${t.state}; it cannot be used.`, field)
  if ((t.expires_at ?? '') <= nowIso) throw new AppError('VALIDATION', `Authorization ${t.gateway_ref} expired on ${(t.expires_at ?? '').slice(0, 10)}.`, field)
  return { id: t.id, kind: 'authorization', gatewayRef: t.gateway_ref, amountMinor: t.amount_minor, refundableMinor: 0 }
}

function checkCard(number: string, expiry: string, nowIso: string): void {
  const digits = number.replace(/[\s-]/g, '')
  if (!/^\d{12,19}$/.test(digits) || !luhnValid(digits)) throw new AppError('VALIDATION', 'This is not a valid card number.', 'cardNumber')
  const m = /^(\d{2})\s*\/\s*(\d{2})$/.exec(expiry)
  if (!m || Number(m[1]) < 1 || Number(m[1]) > 12) throw new AppError('VALIDATION', 'Enter the expiry as MM/YY.', 'cardExpiry')
  const now = new Date(nowIso)
  if (2000 * 12 + Number(m[2]) * 12 + Number(m[1]) < now.getUTCFullYear() * 12 + now.getUTCMonth() + 1) {
    throw new AppError('VALIDATION', 'The card has expired.', 'cardExpiry')
  }
}

function planTexts(texts: string[], xdrId: number): string[] {
  return texts.map((t) => t.replace('xDR id assigned on Finish', `xDR id ${xdrId}`))
}
