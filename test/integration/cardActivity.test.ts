/**
 * What the customer page and the wizard show about card payments (payments.cardActivity): open
 * authorizations and refundable payments to pick from, pending requests, and every attempt sent to
 * the card processor — declined and failed ones included, each with an audit entry.
 */
import { describe, expect, it } from 'vitest'
import { openBillingApp } from '../../src-main/app'
import { cardDesk } from '../support/cardDesk'

const VISA = '4242 4242 4242 4242'
const clock = { now: Date.parse('2026-11-21T10:00:00Z') }
let seq = 0
const key = () => `act-key-${String(++seq).padStart(10, '0')}`

describe('card activity of a customer', () => {
  it('lists open authorizations and refundable card payments with their card, amounts and expiry; used, voided and expired ones drop out', async () => {
    const { app, ok, id } = await cardDesk(clock)
    const a1 = await ok('adjustments.submit', { customerId: id, operation: 'authorization', amount: '80', cardNumber: VISA, cardExpiry: '12/30', operationKey: key() })
    const a2 = await ok('adjustments.submit', {
      customerId: id,
      operation: 'authorization',
      amount: '30',
      cardNumber: '5555 5555 5555 4444',
      cardExpiry: '12/30',
      operationKey: key()
    })
    const paid = await ok('adjustments.submit', {
      customerId: id,
      operation: 'ecommerce-payment',
      amount: '60',
      cardNumber: VISA,
      cardExpiry: '12/30',
      operationKey: key()
    })

    let act = await ok('payments.cardActivity', { customerId: id })
    expect(act.currency).toBe('USD')
    expect(act.openAuthorizations).toEqual([
      {
        transactionId: a2.transactionId,
        amountMinor: 3000,
        at: '2026-11-21T10:00:00.000Z',
        card: { brand: 'Mastercard', last4: '4444' },
        expiresAt: '2026-11-28T10:00:00.000Z'
      },
      {
        transactionId: a1.transactionId,
        amountMinor: 8000,
        at: '2026-11-21T10:00:00.000Z',
        card: { brand: 'Visa', last4: '4242' },
        expiresAt: '2026-11-28T10:00:00.000Z'
      }
    ])
    expect(act.refundablePayments).toEqual([
      {
        transactionId: paid.transactionId,
        kind: 'payment',
        chargedMinor: 6000,
        refundableMinor: 6000,
        at: '2026-11-21T10:00:00.000Z',
        card: { brand: 'Visa', last4: '4242' }
      }
    ])

    // Capture 50 of a1, refund 20 of the payment, void a2.
    await ok('adjustments.submit', { customerId: id, operation: 'capture', amount: '50', transactionId: a1.transactionId!, operationKey: key() })
    await ok('adjustments.submit', { customerId: id, operation: 'ecommerce-refund', amount: '20', transactionId: paid.transactionId!, operationKey: key() })
    await ok('adjustments.submit', { customerId: id, operation: 'void', amount: '', transactionId: a2.transactionId!, operationKey: key() })
    act = await ok('payments.cardActivity', { customerId: id })
    expect(act.openAuthorizations).toEqual([])
    expect(act.refundablePayments.map((p) => [p.transactionId, p.kind, p.chargedMinor, p.refundableMinor])).toEqual([
      [paid.transactionId, 'payment', 6000, 4000],
      [a1.transactionId, 'capture', 5000, 5000]
    ])

    // An authorization past its expiry can be neither captured nor voided: it is not offered.
    await ok('adjustments.submit', { customerId: id, operation: 'authorization', amount: '5', cardNumber: VISA, cardExpiry: '12/30', operationKey: key() })
    clock.now += 8 * 86_400_000
    expect((await ok('payments.cardActivity', { customerId: id })).openAuthorizations).toEqual([])
    clock.now -= 8 * 86_400_000
    await app.close()
  })

  it('accepts a transaction ID typed in another case than the processor gave it', async () => {
    const { app, ok, id, money } = await cardDesk(clock)
    const auth = await ok('adjustments.submit', { customerId: id, operation: 'authorization', amount: '50', cardNumber: VISA, cardExpiry: '12/30', operationKey: key() })
    const typed = auth.transactionId!.toUpperCase()
    expect(typed).not.toBe(auth.transactionId)
    const captured = await ok('adjustments.submit', { customerId: id, operation: 'capture', amount: '50', transactionId: typed, operationKey: key() })
    expect(captured.transactionId).toBe(auth.transactionId)
    expect(await money()).toEqual({ balance: 5000, unallocated: 5000 })
    await app.close()
  })

  it('records declined, expired-card and processing-error attempts durably, with an audit entry each, and still refuses them', async () => {
    const { ok, call, id, money, app, dataDir } = await cardDesk(clock)
    const auditBefore = (await ok('audit.list', { limit: 1 }))[0]!.id
    const declined = await call('adjustments.submit', {
      customerId: id,
      operation: 'ecommerce-payment',
      amount: '60',
      cardNumber: '4000 0000 0000 9995',
      cardExpiry: '12/30',
      operationKey: key()
    })
    expect(declined).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'cardNumber', message: 'Declined by the card issuer: insufficient funds.' } })
    const expired = await call('adjustments.submit', {
      customerId: id,
      operation: 'authorization',
      amount: '7',
      cardNumber: '4000000000000069',
      cardExpiry: '12/30',
      operationKey: key()
    })
    expect(expired).toMatchObject({ ok: false, error: { field: 'cardNumber', message: 'Declined by the card issuer: the card has expired.' } })
    const broken = await call('adjustments.submit', {
      customerId: id,
      operation: 'ecommerce-payment',
      amount: '9.99',
      cardNumber: '4000000000000119',
      cardExpiry: '12/30',
      operationKey: key()
    })
    expect(broken).toMatchObject({ ok: false, error: { field: 'cardNumber', message: expect.stringMatching(/processing error/) } })
    expect(await money()).toEqual({ balance: 10000, unallocated: 0 })
    await app.close()

    // Durable: a restart still shows them.
    const again = await openBillingApp({ dataDir, now: () => clock.now, log: () => {}, dailyBackupDelayMs: 3_600_000 })
    const res = await again.dispatch('payments.cardActivity', { customerId: id }, { transport: 'test' })
    if (!res.ok) throw new Error(res.error.message)
    const attempts = (res.value as { attempts: Record<string, unknown>[] }).attempts
    expect(attempts.map((a) => [a.operation, a.outcome, a.reason, a.card, a.amountMinor])).toEqual([
      ['ecommerce-payment', 'error', 'The card processor reported a processing error. Try again later.', { brand: 'Visa', last4: '0119' }, 999],
      ['authorization', 'declined', 'Declined by the card issuer: the card has expired.', { brand: 'Visa', last4: '0069' }, 700],
      ['ecommerce-payment', 'declined', 'Declined by the card issuer: insufficient funds.', { brand: 'Visa', last4: '9995' }, 6000]
    ])
    for (const a of attempts) {
      expect(a.operatorName).toEqual(expect.any(String))
      expect(a.at).toBe('2026-11-21T10:00:00.000Z')
    }
    const auditRes = await again.dispatch('audit.list', { limit: 10 }, { transport: 'test' })
    if (!auditRes.ok) throw new Error(auditRes.error.message)
    const entries = (auditRes.value as { id: number; description: string; customerId: number | null }[]).filter((e) => e.id > auditBefore).reverse()
    expect(entries.map((e) => e.description)).toEqual([
      'Card payment of 60.00 USD declined (Visa •••• 9995): Declined by the card issuer: insufficient funds. Nothing moved: the card was not charged and the balance did not change.',
      'Card authorization of 7.00 USD declined (Visa •••• 0069): Declined by the card issuer: the card has expired. Nothing moved: nothing was reserved on the card and the balance did not change.',
      'Card payment of 9.99 USD failed (Visa •••• 0119): The card processor reported a processing error. Try again later. Nothing moved: the card was not charged and the balance did not change.'
    ])
    expect(entries.every((e) => e.customerId === id)).toBe(true)
    await again.close()
  })

  it('records a refused capture against its authorization, and an approved payment as approved', async () => {
    const { app, ok, call, id } = await cardDesk(clock)
    const auth = await ok('adjustments.submit', { customerId: id, operation: 'authorization', amount: '20', cardNumber: VISA, cardExpiry: '12/30', operationKey: key() })
    // The engine lets this through (not expired by our clock); the processor's own clock says expired.
    clock.now += 7 * 86_400_000 - 1
    app.core.engine.change({ operatorId: 1, operatorName: 'test' }, (w) =>
      w.run("UPDATE card_transactions SET expires_at = '2099-01-01T00:00:00.000Z' WHERE gateway_ref = ?", [auth.transactionId])
    )
    clock.now += 1
    const refused = await call('adjustments.submit', { customerId: id, operation: 'capture', amount: '20', transactionId: auth.transactionId!, operationKey: key() })
    clock.now -= 7 * 86_400_000
    expect(refused).toMatchObject({ ok: false, error: { field: 'transactionId', message: 'This authorization has expired.' } })
    const act = await ok('payments.cardActivity', { customerId: id })
    expect(act.attempts.map((a) => [a.operation, a.outcome, a.transactionId, a.card?.last4])).toEqual([
      ['capture', 'declined', auth.transactionId, '4242'],
      ['authorization', 'approved', auth.transactionId, '4242']
    ])
    const audit = await ok('audit.list', { limit: 1 })
    expect(audit[0]!.description).toBe(
      `Capture of authorization ${auth.transactionId} for 20.00 USD declined (Visa •••• 4242): This authorization has expired. Nothing moved: the card was not charged and the balance did not change.`
    )
    await app.close()
  })

  it('shows a payment whose answer never came as pending, with its card, until reconciliation settles it', async () => {
    const { app, ok, call, id, money } = await cardDesk(clock)
    const k = key()
    const lost = await call('adjustments.submit', {
      customerId: id,
      operation: 'ecommerce-payment',
      amount: '40',
      cardNumber: '4000 0000 0000 0408',
      cardExpiry: '12/30',
      operationKey: k
    })
    expect(lost).toMatchObject({ ok: false, error: { code: 'IO' } })
    if (lost.ok) throw new Error('unreachable')
    // Names what is pending and the button that exists.
    expect(lost.error.message).toContain('The card payment is recorded as pending')
    expect(lost.error.message).toContain('Check pending card payments now')
    expect(lost.error.message).not.toContain('"Reconcile"')

    let act = await ok('payments.cardActivity', { customerId: id })
    expect(act.pending).toEqual([
      {
        reference: expect.stringContaining(k),
        operation: 'ecommerce-payment',
        amountMinor: 4000,
        at: '2026-11-21T10:00:00.000Z',
        card: { brand: 'Visa', last4: '0408' },
        operationKey: k,
        transactionId: null
      }
    ])
    expect(act.attempts[0]).toMatchObject({ operation: 'ecommerce-payment', outcome: 'pending', operationKey: k })

    await ok('payments.reconcile', {})
    act = await ok('payments.cardActivity', { customerId: id })
    expect(act.pending).toEqual([])
    expect(act.attempts[0]).toMatchObject({ operation: 'ecommerce-payment', outcome: 'approved', operationKey: k, transactionId: expect.stringMatching(/^ch_/) })
    expect(act.refundablePayments.map((p) => p.refundableMinor)).toEqual([4000])
    expect(await money()).toEqual({ balance: 6000, unallocated: 4000 })
    await app.close()
  })

  it('calls a lost authorization an authorization, not a payment', async () => {
    const { app, call, id } = await cardDesk(clock)
    const lost = await call('adjustments.submit', {
      customerId: id,
      operation: 'authorization',
      amount: '40',
      cardNumber: '4000000000000408',
      cardExpiry: '12/30',
      operationKey: key()
    })
    if (lost.ok) throw new Error('a lost answer must not succeed')
    expect(lost.error.message).toContain('The card authorization is recorded as pending')
    expect(lost.error.message).not.toMatch(/The payment|charge the card again/)
    await app.close()
  })
})
