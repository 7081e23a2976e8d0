/**
 * The card_transactions table's row (src-main/engine/cardTransactions.ts): its type names exactly
 * the table's columns and its kinds and states are exactly those the table accepts; and what a row
 * holds after each card operation, as payments.ts stores it and the card panel reads it back.
 */
import { describe, expect, it } from 'vitest'
import type { CardTransactionKind, CardTransactionState, StoredCardTransaction } from '../../src-main/engine/cardTransactions'
import { cardDesk } from '../support/cardDesk'

const VISA = '4242 4242 4242 4242'
const MASTERCARD = '5555 5555 5555 4444'
let seq = 0
const key = () => `ctx-key-${String(++seq).padStart(10, '0')}`

// Written as records so the compiler fails when the type gains or loses a column, kind or state.
const COLUMNS: Record<keyof StoredCardTransaction, true> = {
  id: true,
  customer_id: true,
  kind: true,
  state: true,
  reference: true,
  gateway_ref: true,
  parent_id: true,
  amount_minor: true,
  captured_minor: true,
  refunded_minor: true,
  currency: true,
  card_brand: true,
  card_last4: true,
  expires_at: true,
  failure: true,
  xdr_id: true,
  operation_key: true,
  created_at: true,
  updated_at: true
}
const KINDS: Record<CardTransactionKind, true> = { payment: true, authorization: true, refund: true }
const STATES: Record<CardTransactionState, true> = { started: true, pending: true, authorized: true, completed: true, failed: true, voided: true }

describe('the card_transactions row', () => {
  it('names exactly the columns of the table, and its kinds and states are exactly those the table accepts', async () => {
    const clock = { now: Date.parse('2026-11-21T10:00:00Z') }
    const { app, id } = await cardDesk(clock)
    const columns = app.core.engine.read((r) => r.all<{ name: string }>("SELECT name FROM pragma_table_info('card_transactions') ORDER BY cid").map((c) => c.name))
    expect([...columns].sort()).toEqual(Object.keys(COLUMNS).sort())
    const insert = (kind: string, state: string) =>
      app.core.engine.change({ operatorId: 1, operatorName: 'Administrator' }, (w) =>
        w.insert(
          'INSERT INTO card_transactions (customer_id, kind, state, reference, amount_minor, currency, created_at, updated_at) VALUES (?, ?, ?, ?, 100, ?, ?, ?)',
          [id, kind, state, `probe-${kind}-${state}`, 'USD', w.at, w.at]
        )
      )
    for (const kind of Object.keys(KINDS)) for (const state of Object.keys(STATES)) expect(() => insert(kind, state), `${kind} ${state}`).not.toThrow()
    expect(() => insert('capture', 'completed')).toThrow(/CHECK/)
    expect(() => insert('payment', 'declined')).toThrow(/CHECK/)
    await app.close()
  })

  it('stores each card operation: a payment, an authorization and its capture, a refund, a declined card', async () => {
    const clock = { now: Date.parse('2026-11-21T10:00:00Z') }
    const { app, ok, call, id } = await cardDesk(clock)
    // A card the customer presents: a payment or an authorization.
    const presentCard = (operation: 'ecommerce-payment' | 'authorization', amount: string, cardNumber: string, operationKey = key()) =>
      call('adjustments.submit', { customerId: id, operation, amount, cardNumber, cardExpiry: '12/30', operationKey })
    const answered = async (res: ReturnType<typeof presentCard>) => {
      const r = await res
      if (!r.ok) throw new Error(r.error.message)
      return r.value
    }
    const paid = await answered(presentCard('ecommerce-payment', '60', VISA))
    clock.now += 60_000
    const auth = await answered(presentCard('authorization', '50', MASTERCARD))
    clock.now += 60_000
    await ok('adjustments.submit', { customerId: id, operation: 'capture', amount: '30', transactionId: auth.transactionId!, operationKey: key() })
    await ok('adjustments.submit', { customerId: id, operation: 'ecommerce-refund', amount: '25', transactionId: paid.transactionId!, operationKey: key() })
    const declinedKey = key()
    expect((await presentCard('ecommerce-payment', '60', '4000000000009995', declinedKey)).ok).toBe(false)

    const rows = app.core.engine.read((r) => r.all<StoredCardTransaction>('SELECT * FROM card_transactions ORDER BY id'))
    const [payment, authorization] = rows
    expect(rows).toMatchObject([
      // The payment remembers what was refunded of it; the authorization what was captured.
      {
        kind: 'payment',
        state: 'completed',
        gateway_ref: paid.transactionId,
        parent_id: null,
        amount_minor: 6000,
        captured_minor: 0,
        refunded_minor: 2500,
        expires_at: null,
        failure: null
      },
      {
        kind: 'authorization',
        state: 'completed',
        gateway_ref: auth.transactionId,
        parent_id: null,
        amount_minor: 5000,
        captured_minor: 3000,
        refunded_minor: 0,
        expires_at: auth.expiresAt,
        failure: null
      },
      // A capture is a payment whose parent is the authorization.
      {
        kind: 'payment',
        state: 'completed',
        gateway_ref: null,
        parent_id: authorization!.id,
        amount_minor: 3000,
        captured_minor: 0,
        refunded_minor: 0,
        expires_at: null,
        failure: null
      },
      { kind: 'refund', state: 'completed', parent_id: payment!.id, amount_minor: 2500, captured_minor: 0, refunded_minor: 0, expires_at: null, failure: null },
      {
        kind: 'payment',
        state: 'failed',
        gateway_ref: null,
        parent_id: null,
        amount_minor: 6000,
        xdr_id: null,
        failure: 'Declined by the card issuer: insufficient funds.'
      }
    ])
    expect(rows).toHaveLength(5)
    expect(rows.map((t) => [t.currency, t.card_brand, t.card_last4])).toEqual([
      ['USD', 'Visa', '4242'],
      ['USD', 'Mastercard', '4444'],
      ['USD', 'Mastercard', '4444'],
      ['USD', 'Visa', '4242'],
      ['USD', 'Visa', '9995']
    ])
    expect(rows.every((t) => t.customer_id === id && t.reference.length > 0)).toBe(true)
    expect(new Set(rows.map((t) => t.reference)).size).toBe(rows.length)
    expect(rows[4]!.operation_key).toBe(declinedKey)
    expect(rows.map((t) => [t.created_at, t.updated_at])).toEqual([
      ['2026-11-21T10:00:00.000Z', '2026-11-21T10:02:00.000Z'],
      ['2026-11-21T10:01:00.000Z', '2026-11-21T10:02:00.000Z'],
      ['2026-11-21T10:02:00.000Z', '2026-11-21T10:02:00.000Z'],
      ['2026-11-21T10:02:00.000Z', '2026-11-21T10:02:00.000Z'],
      ['2026-11-21T10:02:00.000Z', '2026-11-21T10:02:00.000Z']
    ])

    // Money moved only where the card was charged or refunded, each with its ledger record of that size.
    expect(rows.map((t) => t.xdr_id !== null)).toEqual([true, false, true, true, false])
    for (const t of rows.filter((x) => x.xdr_id !== null)) {
      const xdr = app.core.engine.read((r) => r.get<{ customer_id: number; amount_minor: number }>('SELECT customer_id, amount_minor FROM xdrs WHERE id = ?', [t.xdr_id]))
      expect(xdr?.customer_id).toBe(id)
      expect(Math.abs(xdr!.amount_minor)).toBe(t.amount_minor)
    }

    // Read back for the card panel: the capture by its authorization's ID, the payment with what is left to refund.
    const act = await ok('payments.cardActivity', { customerId: id })
    expect(act.refundablePayments.map((p) => [p.transactionId, p.kind, p.chargedMinor, p.refundableMinor])).toEqual([
      [auth.transactionId, 'capture', 3000, 3000],
      [paid.transactionId, 'payment', 6000, 3500]
    ])
    expect(act.attempts.map((a) => [a.operation, a.outcome, a.amountMinor, a.transactionId])).toEqual([
      ['ecommerce-payment', 'declined', 6000, null],
      ['ecommerce-refund', 'approved', 2500, paid.transactionId],
      ['capture', 'approved', 3000, auth.transactionId],
      ['authorization', 'approved', 5000, auth.transactionId],
      ['ecommerce-payment', 'approved', 6000, paid.transactionId]
    ])
    await app.close()
  })
})
