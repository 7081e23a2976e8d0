import type { ParsedInputOf } from '../../src-shared/contract'
import type { AdjustmentImpact, AdjustmentOperation, AdjustmentResult, BalanceControl } from '../../src-shared/domain'
import { AppError } from '../../src-shared/errors'
import { formatMoney, parseAmount } from '../../src-shared/money'
import type { DbReader } from '../db/store'
import { describeAmountChange } from './audit'
import { postToLedger } from './ledger'
import type { Work } from './unitOfWork'

type AdjustmentInput = ParsedInputOf<'adjustments.preview'>
type SubmitInput = ParsedInputOf<'adjustments.submit'>

/** The special service promotional credits are booked to (migration 0001). */
export const CREDITS_SERVICE_ID = 1

const CARD_OPERATIONS: ReadonlySet<AdjustmentOperation> = new Set(['ecommerce-payment', 'ecommerce-refund', 'authorization', 'capture', 'void'])
const WITH_SERVICE: ReadonlySet<AdjustmentOperation> = new Set(['manual-charge', 'manual-credit'])

/** How each manual operation moves the balance (owed) and unallocated payments, per unit amount. */
const EFFECT: Record<string, { balance: 1 | -1; unallocated: 1 | -1 | 0; source: string }> = {
  'manual-charge': { balance: 1, unallocated: 0, source: 'manual charge' },
  'manual-credit': { balance: -1, unallocated: 0, source: 'manual credit' },
  'manual-payment': { balance: -1, unallocated: 1, source: 'manual payment' },
  'promotional-credit': { balance: -1, unallocated: 0, source: 'promotional credit' },
  refund: { balance: 1, unallocated: -1, source: 'refund' }
}

interface CustomerMoney {
  id: number
  customer_id: string
  company_name: string
  balance_control: BalanceControl
  currency: string
  balance_minor: number
  unallocated_minor: number
  credit_limit_minor: number | null
}

interface Plan {
  impact: AdjustmentImpact
  serviceId: number | null
  effectiveDate: string | null
  source: string
}

function loadCustomer(r: DbReader, id: number): CustomerMoney {
  const c = r.get<CustomerMoney>(
    'SELECT id, customer_id, company_name, balance_control, currency, balance_minor, unallocated_minor, credit_limit_minor FROM customers WHERE id = ?',
    [id]
  )
  if (!c) throw new AppError('NOT_FOUND', `Customer ${id} does not exist.`, 'customerId')
  return c
}

/** Audit wording: prepaid customers see "Available funds" (minus the balance), postpaid "Balance". */
function balanceText(c: CustomerMoney, before: number, after: number, source: string, xdr: string): string {
  const change =
    c.balance_control === 'prepaid'
      ? describeAmountChange('Available funds', -before, -after, c.currency)
      : describeAmountChange('Balance', before, after, c.currency)
  return `${change} Source – ${source} (${xdr})`
}

/**
 * Check an adjustment and work out what it would do, without writing anything. Every error names
 * the wizard field it belongs to.
 */
export function planAdjustment(r: DbReader, input: AdjustmentInput, today: string, xdrLabel = 'xDR id assigned on Finish'): Plan {
  if (CARD_OPERATIONS.has(input.operation)) {
    throw new AppError('VALIDATION', 'Card operations need the payment gateway, which this version does not have yet. Use a manual operation.', 'operation')
  }
  const c = loadCustomer(r, input.customerId)
  if (input.amount.trim() === '') throw new AppError('VALIDATION', 'Enter an amount.', 'amount')
  const amount = parseAmount(input.amount, c.currency, 'amount')
  if (amount <= 0) throw new AppError('VALIDATION', 'The amount must be more than zero; the operation type decides the direction.', 'amount')

  let serviceId: number | null = null
  let serviceName: string | null = null
  let effectiveDate: string | null = null
  if (WITH_SERVICE.has(input.operation)) {
    if (input.serviceId === null) throw new AppError('VALIDATION', 'Choose the service this charge or credit is for.', 'serviceId')
    const s = r.get<{ name: string; is_special: number }>('SELECT name, is_special FROM services WHERE id = ?', [input.serviceId])
    if (!s) throw new AppError('NOT_FOUND', `Service ${input.serviceId} does not exist.`, 'serviceId')
    if (s.is_special === 1) throw new AppError('VALIDATION', `"${s.name}" is not a real service; use a promotional credit for that.`, 'serviceId')
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
      serviceName = r.get<{ name: string }>('SELECT name FROM services WHERE id = ?', [CREDITS_SERVICE_ID])?.name ?? 'Credits / Promotions'
    }
  }
  if (input.transactionId !== '') throw new AppError('VALIDATION', 'A transaction ID applies only to card operations.', 'transactionId')

  const effect = EFFECT[input.operation]!
  if (input.operation === 'refund' && amount > c.unallocated_minor) {
    throw new AppError(
      'VALIDATION',
      `A refund returns money not yet used: at most the unallocated payments, ${formatMoney(c.unallocated_minor, c.currency)}.`,
      'amount'
    )
  }
  const balanceAfter = c.balance_minor + effect.balance * amount
  const unallocatedAfter = c.unallocated_minor + effect.unallocated * amount
  const auditTexts = [balanceText(c, c.balance_minor, balanceAfter, effect.source, xdrLabel)]
  if (effect.unallocated !== 0) {
    const source = input.operation === 'refund' ? 'refund to the customer' : 'customer payment transaction'
    auditTexts.push(`${describeAmountChange('Unallocated payments', c.unallocated_minor, unallocatedAfter, c.currency)} Payments source – ${source} (${xdrLabel})`)
  }
  const headroom = (balance: number) => (c.balance_control === 'postpaid' && c.credit_limit_minor !== null ? c.credit_limit_minor - balance : null)
  return {
    serviceId,
    effectiveDate,
    source: effect.source,
    impact: {
      operation: input.operation,
      customerId: c.id,
      customerName: c.company_name || c.customer_id,
      balanceControl: c.balance_control,
      currency: c.currency,
      amountMinor: amount,
      balanceBeforeMinor: c.balance_minor,
      balanceAfterMinor: balanceAfter,
      unallocatedBeforeMinor: c.unallocated_minor,
      unallocatedAfterMinor: unallocatedAfter,
      creditHeadroomBeforeMinor: headroom(c.balance_minor),
      creditHeadroomAfterMinor: headroom(balanceAfter),
      serviceName,
      auditTexts
    }
  }
}

/**
 * Make the adjustment: one ledger record, the balance and unallocated payments moved with it,
 * its audit entries, and the operation key — all in the caller's single unit of work. A key
 * that was already used returns the first result and writes nothing.
 */
export function submitAdjustment(w: Work, input: SubmitInput): AdjustmentResult {
  const seen = w.get<{ customer_id: number; operation: string; result_json: string }>('SELECT customer_id, operation, result_json FROM operation_keys WHERE key = ?', [
    input.operationKey
  ])
  if (seen) {
    if (seen.customer_id !== input.customerId || seen.operation !== input.operation) {
      throw new AppError('CONFLICT', 'This wizard operation key was already used for a different adjustment. Close the wizard and start again.')
    }
    return { ...(JSON.parse(seen.result_json) as AdjustmentResult), repeated: true }
  }
  const { operationKey, ...fields } = input
  const plan = planAdjustment(w, fields, w.at.slice(0, 10))
  const effect = EFFECT[input.operation]!
  const posted = postToLedger(w, {
    kind: input.operation,
    customerId: input.customerId,
    amountMinor: effect.balance * plan.impact.amountMinor,
    unallocatedDeltaMinor: effect.unallocated * plan.impact.amountMinor,
    serviceId: plan.serviceId,
    effectiveDate: plan.effectiveDate,
    outOfTurn: input.outOfTurn,
    visibleComment: input.visibleComment,
    internalComment: input.internalComment
  })
  // The same texts the Summary showed, now with the record's number.
  const texts = planTexts(plan, posted.xdrId)
  w.audit({
    kind: 'customer.balance',
    customerId: input.customerId,
    field: 'balance',
    from: String(plan.impact.balanceBeforeMinor),
    to: String(plan.impact.balanceAfterMinor),
    description: texts[0]!,
    source: { kind: plan.source, id: posted.xdrId }
  })
  if (texts[1] !== undefined) {
    w.audit({
      kind: 'customer.unallocated',
      customerId: input.customerId,
      field: 'unallocated_payments',
      from: String(plan.impact.unallocatedBeforeMinor),
      to: String(plan.impact.unallocatedAfterMinor),
      description: texts[1],
      source: { kind: plan.source, id: posted.xdrId }
    })
  }
  const result: AdjustmentResult = {
    ...plan.impact,
    auditTexts: texts,
    xdrId: posted.xdrId,
    at: w.at,
    operatorName: w.actor.operatorName,
    visibleComment: input.visibleComment,
    repeated: false
  }
  w.run('INSERT INTO operation_keys (key, customer_id, operation, result_json, created_at) VALUES (?, ?, ?, ?, ?)', [
    operationKey,
    input.customerId,
    input.operation,
    JSON.stringify(result),
    w.at
  ])
  return result
}

function planTexts(plan: Plan, xdrId: number): string[] {
  return plan.impact.auditTexts.map((t) => t.replace('xDR id assigned on Finish', `xDR id ${xdrId}`))
}

export function listServices(r: DbReader): { id: number; name: string; kind: string }[] {
  return r.all('SELECT id, name, kind FROM services ORDER BY is_special, name')
}
