import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { formatMinor } from '../../src-shared/money'
import { cardDesk } from '../support/cardDesk'

const VISA = '4242 4242 4242 4242'
const clock = { now: Date.parse('2026-11-21T10:00:00Z') }
let seq = 0
const key = () => `pay-key-${String(++seq).padStart(10, '0')}`

const desk = () => cardDesk(clock)

describe('card operations through the test gateway', () => {
  it('an approved e-commerce payment lowers the balance, raises unallocated payments, and never stores the card number', async () => {
    const { app, ok, id, money, dataDir } = await desk()
    const r = await ok('adjustments.submit', { customerId: id, operation: 'ecommerce-payment', amount: '60', cardNumber: VISA, cardExpiry: '12/30', operationKey: key() })
    expect(r).toMatchObject({ card: { brand: 'Visa', last4: '4242' }, balanceAfterMinor: 4000, unallocatedAfterMinor: 6000 })
    expect(r.transactionId).toMatch(/^ch_/)
    expect(await money()).toEqual({ balance: 4000, unallocated: 6000 })
    expect((await ok('ledger.check', {})).ok).toBe(true)
    await app.close()
    const everything = Buffer.concat(
      fs
        .readdirSync(dataDir, { recursive: true })
        .map(String)
        .filter((f) => fs.statSync(path.join(dataDir, f)).isFile())
        .map((f) => fs.readFileSync(path.join(dataDir, f)))
    )
    expect(everything.includes('4242424242424242')).toBe(false)
    expect(everything.includes(VISA)).toBe(false)
  })

  it('a declined card shows why, on the card field, and moves no money', async () => {
    const { app, call, id, money } = await desk()
    const res = await call('adjustments.submit', {
      customerId: id,
      operation: 'ecommerce-payment',
      amount: '60',
      cardNumber: '4000000000009995',
      cardExpiry: '12/30',
      operationKey: key()
    })
    expect(res).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'cardNumber', message: 'Declined by the card issuer: insufficient funds.' } })
    const failed = app.core.engine.read((r) => r.get<{ state: string; failure: string }>('SELECT state, failure FROM card_transactions'))
    expect(failed).toEqual({ state: 'failed', failure: 'Declined by the card issuer: insufficient funds.' })
    expect(await money()).toEqual({ balance: 10000, unallocated: 0 })
    await app.close()
  })

  it('captures an authorization for less than authorized, once; the rest is released', async () => {
    const { app, ok, call, id, money } = await desk()
    const auth = await ok('adjustments.submit', { customerId: id, operation: 'authorization', amount: '50', cardNumber: VISA, cardExpiry: '12/30', operationKey: key() })
    expect(auth.transactionId).toMatch(/^auth_/)
    expect(auth.expiresAt).toBe('2026-11-28T10:00:00.000Z') // 7 days by default
    expect(await money()).toEqual({ balance: 10000, unallocated: 0 }) // an authorization moves no money
    const over = await call('adjustments.submit', { customerId: id, operation: 'capture', amount: '50.01', transactionId: auth.transactionId!, operationKey: key() })
    expect(over).toMatchObject({ ok: false, error: { field: 'amount' } })
    await ok('adjustments.submit', { customerId: id, operation: 'capture', amount: '30', transactionId: auth.transactionId!, operationKey: key() })
    expect(await money()).toEqual({ balance: 7000, unallocated: 3000 })
    const twice = await call('adjustments.submit', { customerId: id, operation: 'capture', amount: '10', transactionId: auth.transactionId!, operationKey: key() })
    expect(twice).toMatchObject({ ok: false, error: { field: 'transactionId', message: expect.stringMatching(/already captured/) } })
    const voidAfter = await call('adjustments.submit', { customerId: id, operation: 'void', amount: '', transactionId: auth.transactionId!, operationKey: key() })
    expect(voidAfter).toMatchObject({ ok: false, error: { field: 'transactionId' } })
    await app.close()
  })

  it('authorizations expire after the configured number of days', async () => {
    const { app, ok, call, id } = await desk()
    expect(await call('settings.update', { companyName: 'Card Shop', address: '', cardAuthorizationDays: 31 })).toMatchObject({
      ok: false,
      error: { field: 'cardAuthorizationDays' }
    })
    await ok('settings.update', { companyName: 'Card Shop', address: '', cardAuthorizationDays: 2 })
    const auth = await ok('adjustments.submit', { customerId: id, operation: 'authorization', amount: '5', cardNumber: VISA, cardExpiry: '12/30', operationKey: key() })
    expect(auth.expiresAt).toBe('2026-11-23T10:00:00.000Z')
    expect((await ok('audit.list', {})).some((a) => a.description === 'Card authorization period (days) changed from "7" to "2".')).toBe(true)
    await app.close()
  })

  it('voids an unexpired authorization; an expired one can be neither captured nor voided', async () => {
    const { app, ok, call, id } = await desk()
    const a1 = await ok('adjustments.submit', { customerId: id, operation: 'authorization', amount: '20', cardNumber: VISA, cardExpiry: '12/30', operationKey: key() })
    const voided = await ok('adjustments.submit', { customerId: id, operation: 'void', amount: '', transactionId: a1.transactionId!, operationKey: key() })
    expect(voided.auditTexts[0]).toMatch(/voided; the balance does not change/)
    expect(await call('adjustments.submit', { customerId: id, operation: 'capture', amount: '20', transactionId: a1.transactionId!, operationKey: key() })).toMatchObject(
      {
        ok: false,
        error: { message: expect.stringMatching(/was voided/) }
      }
    )
    const a2 = await ok('adjustments.submit', { customerId: id, operation: 'authorization', amount: '20', cardNumber: VISA, cardExpiry: '12/30', operationKey: key() })
    clock.now += 8 * 86_400_000
    const late = await call('adjustments.submit', { customerId: id, operation: 'capture', amount: '20', transactionId: a2.transactionId!, operationKey: key() })
    expect(late).toMatchObject({ ok: false, error: { field: 'transactionId', message: expect.stringMatching(/expired on 2026-11/) } })
    clock.now -= 8 * 86_400_000
    await app.close()
  })

  it('refunds a card payment in parts, never more than was charged', async () => {
    const { app, ok, call, id, money } = await desk()
    const paid = await ok('adjustments.submit', {
      customerId: id,
      operation: 'ecommerce-payment',
      amount: '60',
      cardNumber: VISA,
      cardExpiry: '12/30',
      operationKey: key()
    })
    await ok('adjustments.submit', { customerId: id, operation: 'ecommerce-refund', amount: '25', transactionId: paid.transactionId!, operationKey: key() })
    await ok('adjustments.submit', { customerId: id, operation: 'ecommerce-refund', amount: '35', transactionId: paid.transactionId!, operationKey: key() })
    const more = await call('adjustments.submit', {
      customerId: id,
      operation: 'ecommerce-refund',
      amount: '0.01',
      transactionId: paid.transactionId!,
      operationKey: key()
    })
    expect(more).toMatchObject({ ok: false, error: { field: 'amount', message: expect.stringMatching(/never exceed what was charged/) } })
    expect(await money()).toEqual({ balance: 10000, unallocated: 0 })
    expect((await ok('ledger.check', {})).ok).toBe(true)
    await app.close()
  })

  it('a time-out is recorded as pending, never half applied, and reconciled with the gateway', async () => {
    const { app, ok, call, id, money } = await desk()
    const k = key()
    const lost = await call('adjustments.submit', {
      customerId: id,
      operation: 'ecommerce-payment',
      amount: '40',
      cardNumber: '4000000000000408',
      cardExpiry: '12/30',
      operationKey: k
    })
    expect(lost).toMatchObject({ ok: false, error: { code: 'IO', message: expect.stringMatching(/pending/) } })
    expect(await money()).toEqual({ balance: 10000, unallocated: 0 })
    // Retrying the same wizard submission does not charge the card again.
    expect(
      await call('adjustments.submit', {
        customerId: id,
        operation: 'ecommerce-payment',
        amount: '40',
        cardNumber: '4000000000000408',
        cardExpiry: '12/30',
        operationKey: k
      })
    ).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT' }
    })
    expect(await ok('payments.reconcile', {})).toEqual({ settled: 1, stillPending: 0 })
    expect(await money()).toEqual({ balance: 6000, unallocated: 4000 })
    // Now the key returns the settled result.
    const again = await ok('adjustments.submit', {
      customerId: id,
      operation: 'ecommerce-payment',
      amount: '40',
      cardNumber: '4000000000000408',
      cardExpiry: '12/30',
      operationKey: k
    })
    expect(again).toMatchObject({ repeated: true, balanceAfterMinor: 6000 })
    expect((await ok('ledger.check', {})).ok).toBe(true)
    await app.close()
  })
})

describe('card operations: invariants over random sequences', () => {
  it('property: captures never exceed their authorization, refunds never exceed what was paid, balances equal their ledger', async () => {
    const fc = (await import('fast-check')).default
    const { app, call, ok, id } = await desk()
    // Customers of both balance controls in currencies with 0, 2 and 3 decimals.
    const people: { id: number; currency: string }[] = [{ id, currency: 'USD' }]
    for (const [n, balanceControl, currency] of [
      [1, 'prepaid', 'USD'],
      [2, 'postpaid', 'JPY'],
      [3, 'prepaid', 'KWD']
    ] as const) {
      const c = await ok('customers.create', { customerId: `card${n}`, companyName: '', balanceControl, currency, classId: null, creditLimit: null })
      people.push({ id: c.id, currency })
    }
    const cards = [VISA, '5555 5555 5555 4444', '4000000000009995', '4000000000000119']
    const step = fc.oneof(
      fc.record({ op: fc.constant('pay' as const), who: fc.nat(people.length - 1), card: fc.nat(cards.length - 1), cents: fc.integer({ min: 1, max: 50_000 }) }),
      fc.record({ op: fc.constant('auth' as const), who: fc.nat(people.length - 1), card: fc.nat(cards.length - 1), cents: fc.integer({ min: 1, max: 50_000 }) }),
      fc.record({ op: fc.constant('capture' as const), pick: fc.nat(), cents: fc.integer({ min: 1, max: 60_000 }) }),
      fc.record({ op: fc.constant('void' as const), pick: fc.nat() }),
      fc.record({ op: fc.constant('refund' as const), pick: fc.nat(), cents: fc.integer({ min: 1, max: 60_000 }) }),
      fc.record({ op: fc.constant('days' as const), days: fc.integer({ min: 1, max: 4 }) })
    )
    const start = clock.now
    const auths: { customerId: number; currency: string; tx: string }[] = []
    const payments: { customerId: number; currency: string; tx: string }[] = []
    const amount = (units: number, currency: string) => formatMinor(units, currency, { grouping: false })
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 10 }), async (steps) => {
        for (const s of steps) {
          if (s.op === 'days') clock.now += s.days * 86_400_000
          else if (s.op === 'pay' || s.op === 'auth') {
            const who = people[s.who]!
            const res = await call('adjustments.submit', {
              customerId: who.id,
              operation: s.op === 'pay' ? 'ecommerce-payment' : 'authorization',
              amount: amount(s.cents, who.currency),
              cardNumber: cards[s.card]!,
              cardExpiry: '12/40',
              operationKey: key()
            })
            if (res.ok) (s.op === 'pay' ? payments : auths).push({ customerId: who.id, currency: who.currency, tx: res.value.transactionId! })
          } else if (s.op === 'capture' || s.op === 'void') {
            const t = auths[s.pick % Math.max(auths.length, 1)]
            if (!t) continue
            const res = await call('adjustments.submit', {
              customerId: t.customerId,
              operation: s.op,
              amount: s.op === 'capture' ? amount(s.cents, t.currency) : '',
              transactionId: t.tx,
              operationKey: key()
            })
            if (res.ok && s.op === 'capture') payments.push(t)
          } else {
            const t = payments[s.pick % Math.max(payments.length, 1)]
            if (t)
              await call('adjustments.submit', {
                customerId: t.customerId,
                operation: 'ecommerce-refund',
                amount: amount(s.cents, t.currency),
                transactionId: t.tx,
                operationKey: key()
              })
          }
        }
        const overCaptured = app.core.engine.read((r) => r.all("SELECT id FROM card_transactions WHERE kind = 'authorization' AND captured_minor > amount_minor"))
        const overRefunded = app.core.engine.read((r) =>
          r.all(
            "SELECT id FROM card_transactions WHERE (kind = 'payment' AND parent_id IS NULL AND refunded_minor > amount_minor) OR (kind = 'authorization' AND refunded_minor > captured_minor)"
          )
        )
        expect(overCaptured).toEqual([])
        expect(overRefunded).toEqual([])
        expect((await ok('ledger.check', {})).differences).toEqual([])
        expect(app.core.engine.read((r) => r.get<{ n: number }>('SELECT count(*) AS n FROM customers WHERE unallocated_minor < 0')!.n)).toBe(0)
      }),
      { numRuns: 400 }
    )
    // The sequences really exercised the paths the invariants are about.
    const states = app.core.engine.read((r) =>
      r.all<{ kind: string; state: string; n: number }>('SELECT kind, state, count(*) AS n FROM card_transactions GROUP BY kind, state')
    )
    const n = (kind: string, state: string) => states.find((x) => x.kind === kind && x.state === state)?.n ?? 0
    expect(n('authorization', 'completed')).toBeGreaterThan(0) // captured
    expect(n('authorization', 'voided')).toBeGreaterThan(0)
    expect(n('refund', 'completed')).toBeGreaterThan(0)
    expect(n('payment', 'failed')).toBeGreaterThan(0) // declined cards
    clock.now = start
    await app.close()
  }, 120_000)
})
