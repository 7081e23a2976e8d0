import type { AdjustmentOperation, BalanceControl } from '../../../src-shared/domain'

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
