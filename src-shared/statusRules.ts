import type { AdjustmentOperation, CustomerStatus } from './domain'
import { AppError } from './errors'
import { formatMoney } from './money'

/**
 * What each customer status allows (docs/customer-lifecycle.md, "What each status allows").
 * The engine enforces these rules on every money channel and every edit; the wizard and the
 * customer form call the same functions only to show what is allowed, and why not.
 *
 * Active, Blocked, Suspended and Provisionally terminated customers can pay and be charged and
 * credited. A Permanently terminated customer accepts only a payment (cash, cheque or card) up to
 * what it still owes, to settle the final invoice, the void of an open card authorization (no
 * money moves; the card hold is released), and no edits. An Exported customer accepts
 * nothing until the export mark is cleared.
 */

/** The operations that settle a permanently terminated customer's final invoice. */
export const SETTLING_OPERATIONS: readonly AdjustmentOperation[] = ['manual-payment', 'ecommerce-payment']

/**
 * Also open to a permanently terminated customer: voiding an authorization made before the
 * termination moves no money and releases the hold on the customer's card at once, instead of
 * leaving it until the authorization expires.
 */
const RELEASING_OPERATIONS: readonly AdjustmentOperation[] = ['void']

const EXPORTED = 'This customer is exported: it accepts no operations until the export mark is cleared (Change status → Clear export).'

/** Why `status` refuses `operation` whatever the amount, or null when the status allows it. */
export function operationRefusal(status: CustomerStatus, operation: AdjustmentOperation): string | null {
  if (status === 'exported') return EXPORTED
  if (status === 'permanently-terminated' && !SETTLING_OPERATIONS.includes(operation) && !RELEASING_OPERATIONS.includes(operation)) {
    return 'This customer is permanently terminated: it accepts only a manual or e-commerce payment toward what it still owes, to settle the final invoice (and the void of an open card authorization).'
  }
  return null
}

/**
 * The most a customer in `status` may pay, in minor units, or null when the status sets no such
 * limit. A permanently terminated customer pays at most what it still owes (a positive balance);
 * a prepaid one with funds left owes nothing.
 */
export function paymentCeilingMinor(status: CustomerStatus, balanceMinor: number): number | null {
  return status === 'permanently-terminated' ? Math.max(0, balanceMinor) : null
}

/** Refuse (on the Amount field) a payment over what a permanently terminated customer owes. */
export function checkPaymentCeiling(status: CustomerStatus, balanceMinor: number, amountMinor: number, currency: string): void {
  const ceiling = paymentCeilingMinor(status, balanceMinor)
  if (ceiling === null || amountMinor <= ceiling) return
  throw new AppError(
    'VALIDATION',
    ceiling === 0
      ? 'This customer is permanently terminated and owes nothing, so there is nothing left to pay.'
      : `A permanently terminated customer pays at most what it still owes, ${formatMoney(ceiling, currency)}, to settle the final invoice.`,
    'amount'
  )
}

/** Why a customer in `status` cannot be edited (details, credit limit, custom fields, accounts), or null. */
export function editRefusal(status: CustomerStatus): string | null {
  if (status === 'exported') return 'This customer is exported: its details cannot be edited until the export mark is cleared (Change status → Clear export).'
  if (status === 'permanently-terminated') return 'This customer is permanently terminated: its details cannot be edited.'
  return null
}
