/**
 * The card_transactions table (migration 0005): one row per card payment, authorization or refund
 * sent to the processor. payments.ts writes it; adjustments.ts (the wizard's targets) and
 * cardActivity.ts (the customer's card panel) read it, picking their columns from this row.
 */

export type CardTransactionKind = 'payment' | 'authorization' | 'refund'
export type CardTransactionState = 'started' | 'pending' | 'authorized' | 'completed' | 'failed' | 'voided'

/** A row of card_transactions. */
export interface StoredCardTransaction {
  id: number
  customer_id: number
  kind: CardTransactionKind
  state: CardTransactionState
  /** Ours, sent to the gateway (finds a lost answer again). */
  reference: string
  /** The gateway's transaction ID, shown to staff; null until it answered. */
  gateway_ref: string | null
  /** A refund's payment, a capture's authorization. */
  parent_id: number | null
  amount_minor: number
  captured_minor: number
  refunded_minor: number
  currency: string
  card_brand: string | null
  card_last4: string | null
  expires_at: string | null
  failure: string | null
  xdr_id: number | null
  operation_key: string | null
  created_at: string
  updated_at: string
}

/** A row the query only returns once the gateway answered (its WHERE asks for the ID). */
export type AnsweredCardTransaction<K extends keyof StoredCardTransaction> = Pick<StoredCardTransaction, K> & { gateway_ref: string }
