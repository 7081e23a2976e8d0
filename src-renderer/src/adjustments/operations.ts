import type { AdjustmentOperation, BalanceControl, CustomerDetail } from '../../../src-shared/domain'
import { STATUS_LABEL } from '../../../src-shared/labels'
import { formatMoney } from '../../../src-shared/money'
import { operationRefusal, paymentCeilingMinor, SETTLING_OPERATIONS } from '../../../src-shared/statusRules'

/**
 * The Balance adjustment wizard's operation types, in the source page's order and wording. The
 * rules themselves (what each does to the balance) live in the engine; this is only what the
 * screen says about them and which fields each one takes.
 */
export interface OperationInfo {
  key: AdjustmentOperation
  label: string
  /** One line: what the operation is for. */
  explanation: string
  /** What it does to this customer's balance, in the source page's words. */
  effect: Record<BalanceControl, string>
  /** Goes through the payment gateway (shown in its own group, after the manual operations). */
  card: boolean
  /** Card number and expiry (E-commerce payment and Authorization only); sent to the gateway, never stored. */
  withCard: boolean
  /** Takes an amount (all but Void, which cancels the whole authorization). */
  withAmount: boolean
  /** Service, Date and "Include into out-of-turn invoice" (Manual charge and Manual credit). */
  withService: boolean
  /** The gateway transaction ID (E-commerce refund, Capture payment, Void). */
  withTransactionId: boolean
  /** The title of the details step ("Payment amount" in the source page's walk-through). */
  detailsTitle: string
  /** The receipt's title. */
  receiptTitle: string
}

// The source page's words for each balance control (this customer's is the one shown).
const owesMore = 'Increases the amount the customer owes you'
const owesLess = 'Decreases the amount the customer owes you'
const fundsMore = 'Increases the money the customer has for service usage'
const fundsLess = 'Decreases the money the customer has for service usage'
const noChange = 'Does not change the balance'

export const OPERATIONS: readonly OperationInfo[] = [
  {
    key: 'manual-charge',
    label: 'Manual charge',
    explanation: 'Charge the customer for a specific service they used.',
    effect: { postpaid: owesMore, prepaid: fundsLess },
    card: false,
    withCard: false,
    withAmount: true,
    withService: true,
    withTransactionId: false,
    detailsTitle: 'Charge details',
    receiptTitle: 'Charge receipt'
  },
  {
    key: 'manual-credit',
    label: 'Manual credit',
    explanation: 'Compensation related to a service: a promotion, a compliment or a complaint settled.',
    effect: { postpaid: owesLess, prepaid: fundsMore },
    card: false,
    withCard: false,
    withAmount: true,
    withService: true,
    withTransactionId: false,
    detailsTitle: 'Credit details',
    receiptTitle: 'Credit receipt'
  },
  {
    key: 'manual-payment',
    label: 'Manual payment',
    explanation: 'A payment received directly from the customer (cash or cheque).',
    effect: { postpaid: owesLess, prepaid: fundsMore },
    card: false,
    withCard: false,
    withAmount: true,
    withService: false,
    withTransactionId: false,
    detailsTitle: 'Payment amount',
    receiptTitle: 'Payment receipt'
  },
  {
    key: 'promotional-credit',
    label: 'Promotional credit',
    explanation: 'Credit as a sales promotion, booked to the special “Credits / Promotions” service, not a real one.',
    effect: { postpaid: owesLess, prepaid: fundsMore },
    card: false,
    withCard: false,
    withAmount: true,
    withService: false,
    withTransactionId: false,
    detailsTitle: 'Promotional credit',
    receiptTitle: 'Promotional credit receipt'
  },
  {
    key: 'refund',
    label: 'Refund',
    explanation: 'Return money paid in advance and not yet used; it is taken from the unallocated payments.',
    effect: { postpaid: owesMore, prepaid: fundsLess },
    card: false,
    withCard: false,
    withAmount: true,
    withService: false,
    withTransactionId: false,
    detailsTitle: 'Refund amount',
    receiptTitle: 'Refund receipt'
  },
  {
    key: 'ecommerce-payment',
    label: 'E-commerce payment',
    explanation: "Charge the customer's credit card and apply the amount to the balance as a payment.",
    effect: { postpaid: owesLess, prepaid: fundsMore },
    card: true,
    withCard: true,
    withAmount: true,
    withService: false,
    withTransactionId: false,
    detailsTitle: 'Card payment',
    receiptTitle: 'Card payment receipt'
  },
  {
    key: 'ecommerce-refund',
    label: 'E-commerce refund',
    explanation: "Reverse an e-commerce payment back to the customer's card; needs the payment's transaction ID and never exceeds what was charged.",
    effect: { postpaid: owesMore, prepaid: fundsLess },
    card: true,
    withCard: false,
    withAmount: true,
    withService: false,
    withTransactionId: true,
    detailsTitle: 'Card refund',
    receiptTitle: 'Card refund receipt'
  },
  {
    key: 'authorization',
    label: 'Authorization only',
    explanation: 'Check the card and reserve an amount; returns a transaction ID to capture or void it, without touching the balance.',
    effect: { postpaid: noChange, prepaid: noChange },
    card: true,
    withCard: true,
    withAmount: true,
    withService: false,
    withTransactionId: false,
    detailsTitle: 'Authorization',
    receiptTitle: 'Authorization receipt'
  },
  {
    key: 'capture',
    label: 'Capture payment',
    explanation: 'Charge an unexpired authorization by its transaction ID: at most the authorized amount; the rest is released.',
    effect: { postpaid: owesLess, prepaid: fundsMore },
    card: true,
    withCard: false,
    withAmount: true,
    withService: false,
    withTransactionId: true,
    detailsTitle: 'Capture',
    receiptTitle: 'Card payment receipt'
  },
  {
    key: 'void',
    label: 'Void',
    explanation: 'Cancel an unexpired authorization that has not been captured, by its transaction ID; the reserved amount is released.',
    effect: { postpaid: noChange, prepaid: noChange },
    card: true,
    withCard: false,
    withAmount: false,
    withService: false,
    withTransactionId: true,
    detailsTitle: 'Void',
    receiptTitle: 'Void receipt'
  }
]

/** Said next to the card operations' group: which processor they go through. */
export const CARD_NOTE = 'charged through the built-in test gateway'

export function operationInfo(key: AdjustmentOperation): OperationInfo {
  const info = OPERATIONS.find((o) => o.key === key)
  if (!info) throw new Error(`Unknown operation ${key}`)
  return info
}

/** "Balance" for postpaid (what is owed), "Available funds" for prepaid (minus the balance). */
export function balanceLabel(control: BalanceControl): string {
  return control === 'prepaid' ? 'Available funds' : 'Balance'
}

/** The figure a person sees for a stored balance (what is owed). */
export function shownBalance(control: BalanceControl, balanceMinor: number): number {
  return control === 'prepaid' ? 0 - balanceMinor : balanceMinor
}

/**
 * What the customer's status allows, as the wizard shows it (the engine enforces the same rules,
 * src-shared/statusRules.ts): a short reason per operation it refuses, and one notice saying why.
 */
export interface StatusLimits {
  /** Operation -> why it is not offered (shown on the operation). */
  unavailable: Partial<Record<AdjustmentOperation, string>>
  /** The status's rule in one sentence, or null when every operation is open. */
  notice: string | null
  /** A permanently terminated customer's most it can pay (what it still owes), else null. */
  paymentCeilingMinor: number | null
}

export function statusLimits(c: Pick<CustomerDetail, 'status' | 'balanceMinor' | 'currency'>): StatusLimits {
  const ceiling = paymentCeilingMinor(c.status, c.balanceMinor)
  const unavailable: StatusLimits['unavailable'] = {}
  const label = STATUS_LABEL[c.status].toLowerCase()
  for (const op of OPERATIONS) {
    if (operationRefusal(c.status, op.key)) unavailable[op.key] = `Not available: the customer is ${label}.`
    else if (ceiling === 0 && SETTLING_OPERATIONS.includes(op.key)) unavailable[op.key] = 'Not available: the customer owes nothing.'
  }
  let notice: string | null = null
  if (c.status === 'exported') notice = operationRefusal(c.status, 'manual-payment')
  else if (ceiling !== null) {
    notice =
      ceiling === 0
        ? 'Permanently terminated and owes nothing: no operation is left to take.'
        : `Permanently terminated: only a manual or e-commerce payment toward what the customer still owes, at most ${formatMoney(ceiling, c.currency)}, to settle the final invoice.`
  }
  return { unavailable, notice, paymentCeilingMinor: ceiling }
}
