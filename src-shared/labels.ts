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

/** The title of an adjustment's 80 mm receipt PDF (the wizard's "Print receipt"). */
export const RECEIPT_TITLE: Record<AdjustmentOperation, string> = {
  'manual-charge': 'Charge receipt',
  'manual-credit': 'Credit receipt',
  'manual-payment': 'Payment receipt',
  'promotional-credit': 'Promotional credit receipt',
  refund: 'Refund receipt',
  'ecommerce-payment': 'Card payment receipt',
  'ecommerce-refund': 'Card refund receipt',
  authorization: 'Authorization receipt',
  capture: 'Card payment receipt',
  void: 'Void receipt'
}
