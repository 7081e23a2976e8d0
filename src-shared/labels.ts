import type { AdjustmentOperation, BalanceControl, CustomerStatus, InvoiceStatus, ServiceKind } from './domain'

/** The source pages' status names, used on screen, in CSV exports and in audit texts alike. */
export const STATUS_LABEL: Record<CustomerStatus, string> = {
  active: 'Active',
  blocked: 'Blocked',
  suspended: 'Suspended',
  'provisionally-terminated': 'Provisionally terminated',
  'permanently-terminated': 'Permanently terminated',
  exported: 'Exported'
}

export const BALANCE_CONTROL_LABEL: Record<BalanceControl, string> = {
  prepaid: 'Prepaid',
  postpaid: 'Postpaid'
}

/** Service kinds on the Services page and in audit texts; goods and fees are one-off sales. */
export const SERVICE_KIND_LABEL: Record<ServiceKind, string> = {
  voice: 'Voice',
  messaging: 'Messaging',
  subscription: 'Subscription',
  goods: 'One-off goods',
  fees: 'Fees',
  credits: 'Promotional credits'
}

/** Invoice statuses as the Invoices page, the invoice PDF and CSV exports name them. */
export const INVOICE_STATUS_LABEL: Record<InvoiceStatus, string> = {
  open: 'Open',
  'partially-paid': 'Partially paid',
  paid: 'Paid',
  overdue: 'Overdue',
  'no-payment-needed': 'Needs no payment',
  void: 'Void'
}

/** How a payment record applied to an invoice is named (the invoice view and its PDF). */
const APPLIED_PAYMENT_LABEL: Record<string, string> = {
  'manual-payment': 'Payment',
  'card-payment': 'Card payment',
  'cash-payment': 'Cash payment',
  'ecommerce-payment': 'E-commerce payment',
  capture: 'Captured card payment',
  refund: 'Refund',
  'ecommerce-refund': 'E-commerce refund'
}
export const appliedPaymentLabel = (kind: string) => APPLIED_PAYMENT_LABEL[kind] ?? kind.replace(/-/g, ' ')

/** The adjustment wizard's operation names (its first step), as the 80 mm receipt PDF prints them. */
export const ADJUSTMENT_OPERATION_LABEL: Record<AdjustmentOperation, string> = {
  'manual-charge': 'Manual charge',
  'manual-credit': 'Manual credit',
  'manual-payment': 'Manual payment',
  'promotional-credit': 'Promotional credit',
  refund: 'Refund',
  'ecommerce-payment': 'E-commerce payment',
  'ecommerce-refund': 'E-commerce refund',
  authorization: 'Authorization only',
  capture: 'Capture payment',
  void: 'Void'
}
