import type { AdjustmentOperation, CardActivity, CardAttemptOutcome, CardOperation } from '../../../src-shared/domain'

/**
 * What the screens say about a customer's card activity (payments.cardActivity): which card
 * operations can be used now, and the words for pending requests and attempts. The rules behind
 * them (what is open, what is refundable) are the engine's.
 */

/** Card operations this customer cannot use now, with the reason shown on the operation step. */
export function unavailableCardOperations(activity: CardActivity | undefined): Partial<Record<AdjustmentOperation, string>> {
  if (!activity) return {}
  const out: Partial<Record<AdjustmentOperation, string>> = {}
  if (activity.openAuthorizations.length === 0) {
    const why = 'Not available: this customer has no open authorization (one that is not captured, voided or expired). Use Authorization only first.'
    out.capture = why
    out.void = why
  }
  if (activity.refundablePayments.length === 0) {
    out['ecommerce-refund'] = 'Not available: this customer has no card payment with anything left to refund.'
  }
  return out
}

/** What a card request is called ("Card payment", "Card authorization"…), at the start of a sentence. */
export const CARD_NOUN: Record<CardOperation, string> = {
  'ecommerce-payment': 'Card payment',
  authorization: 'Card authorization',
  capture: 'Capture',
  void: 'Void',
  'ecommerce-refund': 'Card refund'
}

/** While a request is pending: what it has (not) done to the customer's figures. */
export const PENDING_EFFECT: Record<CardOperation, string> = {
  'ecommerce-payment': 'Nothing has been applied to the balance yet.',
  capture: 'Nothing has been applied to the balance yet.',
  authorization: 'An authorization never changes the balance; its transaction ID is known once the processor answers.',
  void: 'The authorization is still shown as open until the processor answers.',
  'ecommerce-refund': 'Nothing has been taken from the balance yet.'
}

/** Once approved: what it did. */
export const APPROVED_EFFECT: Record<CardOperation, string> = {
  'ecommerce-payment': 'It has been recorded once and applied to the balance: the figures above are up to date.',
  capture: 'It has been recorded once and applied to the balance: the figures above are up to date.',
  authorization: 'The amount is reserved on the card; the balance does not change. Capture or void it from the Balance adjustment.',
  void: 'The authorization is cancelled and the amount released.',
  'ecommerce-refund': 'It has been recorded once and taken from the balance: the figures above are up to date.'
}

export const OUTCOME_LABEL: Record<CardAttemptOutcome, string> = {
  sent: 'No answer recorded',
  pending: 'Pending',
  approved: 'Approved',
  declined: 'Declined',
  error: 'Processing error'
}

export const OUTCOME_COLOR: Record<CardAttemptOutcome, string> = {
  sent: 'yellow',
  pending: 'yellow',
  approved: 'teal',
  declined: 'red',
  error: 'orange'
}

export const isCardOperation = (op: AdjustmentOperation): op is CardOperation =>
  op === 'ecommerce-payment' || op === 'authorization' || op === 'capture' || op === 'void' || op === 'ecommerce-refund'
