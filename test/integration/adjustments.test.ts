import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { openBillingApp } from '../../src-main/app'
import type { Channel, InputOf, ResultOf } from '../../src-shared/contract'
import type { AdjustmentOperation } from '../../src-shared/domain'
import type { IpcResponse } from '../../src-shared/errors'
import { formatMinor } from '../../src-shared/money'
import { tmpDataDir } from '../support/tmp'
import { TEST_ADMIN } from '../support/operators'

async function desk(demo = true) {
  const app = await openBillingApp({ dataDir: tmpDataDir(), now: () => Date.parse('2026-11-21T10:00:00Z'), log: () => {}, dailyBackupDelayMs: 3_600_000 })
  const call = async <C extends Channel>(channel: C, input: InputOf<C>) => (await app.dispatch(channel, input, { transport: 'test' })) as IpcResponse<ResultOf<C>>
  const ok = async <C extends Channel>(channel: C, input: InputOf<C>): Promise<ResultOf<C>> => {
    const res = await call(channel, input)
    if (!res.ok) throw new Error(`${channel}: ${res.error.code} ${res.error.message}`)
    return res.value
  }
  await ok('setup.complete', { companyName: 'Test Callshop', address: '', defaultCurrency: 'USD', loadDemoData: demo, ...TEST_ADMIN })
  return { app, call, ok }
}

let keySeq = 0
const key = () => `test-key-${String(++keySeq).padStart(8, '0')}`

describe('balance adjustments (manual operations)', () => {
  it("the source page's example: a 135.00 cash payment for Easy Call Ltd", async () => {
    const { app, ok } = await desk()
    const easy = (await ok('customers.list', { search: 'easycall' })).rows[0]!
    const preview = await ok('adjustments.preview', { customerId: easy.id, operation: 'manual-payment', amount: '135' })
    expect(preview).toMatchObject({
      balanceBeforeMinor: easy.balanceMinor,
      balanceAfterMinor: easy.balanceMinor - 13500,
      unallocatedAfterMinor: easy.unallocatedPaymentsMinor + 13500
    })
    expect((await ok('audit.list', {})).some((a) => a.kind === 'customer.balance')).toBe(false) // preview wrote nothing
    const done = await ok('adjustments.submit', {
      customerId: easy.id,
      operation: 'manual-payment',
      amount: '135',
      visibleComment: 'Cash at the counter',
      operationKey: key()
    })
    expect(done.auditTexts[0]).toBe(`Balance changed from 123.45 to -11.55 (decreased by 135.00). Source – manual payment (xDR id ${done.xdrId})`)
    expect(done.auditTexts[1]).toBe(
      `Unallocated payments changed from 0.00 to 135.00 (increased by 135.00). Payments source – customer payment transaction (xDR id ${done.xdrId})`
    )
    const audit = await ok('audit.list', {})
    expect(
      audit
        .slice(0, 2)
        .map((a) => a.description)
        .sort()
    ).toEqual([...done.auditTexts].sort())
    expect((await ok('customers.get', { id: easy.id })).balanceMinor).toBe(-1155)
    expect((await ok('ledger.check', {})).ok).toBe(true)
    // The customer page lists it first among the money records (usage is left out).
    const txs = await ok('ledger.transactions', { customerId: easy.id })
    expect(txs[0]).toMatchObject({
      xdrId: done.xdrId,
      kind: 'manual-payment',
      amountMinor: -13500,
      unallocatedDeltaMinor: 13500,
      visibleComment: 'Cash at the counter',
      operatorName: 'Administrator'
    })
    expect(txs.map((t) => t.kind)).toEqual(['manual-payment', 'opening-balance'])
    await app.close()
  })

  it('prepaid customers see available funds rise with a promotional credit, booked to Credits / Promotions', async () => {
    const { app, ok } = await desk()
    const smart = (await ok('customers.list', { search: 'smartcall' })).rows[0]!
    const done = await ok('adjustments.submit', { customerId: smart.id, operation: 'promotional-credit', amount: '5', operationKey: key() })
    expect(done.serviceName).toBe('Credits / Promotions')
    expect(done.auditTexts[0]).toMatch(/^Available funds changed from 75\.00 to 80\.00 \(increased by 5\.00\)\. Source – promotional credit/)
    await app.close()
  })

  it('refuses bad adjustments with the field at fault and writes nothing', async () => {
    const { app, ok, call } = await desk()
    const easy = (await ok('customers.list', { search: 'easycall' })).rows[0]!
    const services = await ok('services.list', {})
    const voice = services.find((s) => s.kind === 'voice')!
    const refundable = (await ok('customers.get', { id: easy.id })).refundableMinor
    expect(refundable).toBeGreaterThan(0)
    const overRefund = formatMinor(refundable + 1, 'USD', { grouping: false })
    const cases: [InputOf<'adjustments.preview'>, string, RegExp][] = [
      // A refund takes back at most what was paid and not yet refunded (here Easy Call's opening balance in its favour).
      [{ customerId: easy.id, operation: 'refund', amount: overRefund }, 'amount', /at most what was paid and not yet refunded, [\d,.]+ USD\.$/],
      [{ customerId: easy.id, operation: 'manual-payment', amount: '1.234' }, 'amount', /at most 2 decimal places/],
      [{ customerId: easy.id, operation: 'manual-payment', amount: '-5' }, 'amount', /more than zero/],
      [{ customerId: easy.id, operation: 'manual-payment', amount: 'ten' }, 'amount', /not an amount/],
      [{ customerId: easy.id, operation: 'manual-charge', amount: '5' }, 'serviceId', /Choose the service/],
      [{ customerId: easy.id, operation: 'manual-charge', amount: '5', serviceId: 1 }, 'serviceId', /promotional credit/],
      [{ customerId: easy.id, operation: 'manual-charge', amount: '5', serviceId: voice.id, date: '2030-01-01' }, 'date', /future/],
      [{ customerId: easy.id, operation: 'manual-payment', amount: '5', outOfTurn: true }, 'outOfTurn', /out-of-turn/],
      [{ customerId: 999999, operation: 'manual-payment', amount: '5' }, 'customerId', /does not exist/],
      [{ customerId: easy.id, operation: 'authorization', amount: '5', cardNumber: '4242 4242 4242 4241', cardExpiry: '12/30' }, 'cardNumber', /not a valid card number/],
      [{ customerId: easy.id, operation: 'manual-payment', amount: '5', transactionId: 'ch_1' }, 'transactionId', /only to e-commerce refunds/]
    ]
    for (const [input, field, message] of cases) {
      const res = await call('adjustments.submit', { ...input, operationKey: key() })
      expect(res.ok, JSON.stringify(input)).toBe(false)
      if (!res.ok) {
        expect(res.error.field, JSON.stringify(input)).toBe(field)
        expect(res.error.message).toMatch(message)
      }
    }
    expect((await ok('customers.get', { id: easy.id })).balanceMinor).toBe(easy.balanceMinor)
    expect((await ok('audit.list', {})).some((a) => a.kind === 'customer.balance')).toBe(false)
    await app.close()
  })

  it('the ledger check reports a balance that no longer matches its records', async () => {
    const { app, ok } = await desk()
    expect(await ok('ledger.check', {})).toMatchObject({ ok: true, customersChecked: 100, differences: [] })
    const easy = (await ok('customers.list', { search: 'easycall' })).rows[0]!
    // Someone edits the balance behind the ledger's back.
    app.core.engine.change({ operatorId: 1, operatorName: 'Administrator' }, (w) =>
      w.run('UPDATE customers SET balance_minor = balance_minor + 1 WHERE id = ?', [easy.id])
    )
    const check = await ok('ledger.check', {})
    expect(check.ok).toBe(false)
    expect(check.differences).toEqual([
      { customerId: easy.id, customerName: 'easycall', currency: 'USD', balanceMinor: 12346, ledgerBalanceMinor: 12345, unallocatedMinor: 0, ledgerUnallocatedMinor: 0 }
    ])
    await app.close()
  })

  it('a repeated operation key returns the first result and adds no record; reusing it for another adjustment is refused', async () => {
    const { app, ok, call } = await desk()
    const easy = (await ok('customers.list', { search: 'easycall' })).rows[0]!
    const k = key()
    const first = await ok('adjustments.submit', { customerId: easy.id, operation: 'manual-payment', amount: '10', operationKey: k })
    const again = await ok('adjustments.submit', { customerId: easy.id, operation: 'manual-payment', amount: '10', operationKey: k })
    expect(again).toEqual({ ...first, repeated: true })
    expect((await ok('customers.get', { id: easy.id })).balanceMinor).toBe(easy.balanceMinor - 1000)
    expect(await call('adjustments.submit', { customerId: easy.id, operation: 'manual-credit', amount: '10', operationKey: k })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT' }
    })
    await app.close()
  })

  it('property: after any sequence of operations every balance equals the sum of its ledger and unallocated payments never go negative', async () => {
    const { app, ok, call } = await desk(false)
    // Without demo data, first-run setup still made the default services.
    const voice = (await ok('services.list', {})).find((s) => s.name === 'Voice calls')!
    // Customers of both balance controls in currencies with 0, 2 and 3 decimals.
    const currencies = ['USD', 'JPY', 'KWD', 'PLN'] as const
    const customers: { id: number; currency: string }[] = []
    for (const [i, currency] of currencies.entries()) {
      for (const balanceControl of ['prepaid', 'postpaid'] as const) {
        const c = await ok('customers.create', { customerId: `p${i}${balanceControl}`, companyName: '', balanceControl, currency, classId: null, creditLimit: null })
        customers.push({ id: c.id, currency })
      }
    }
    const ops: AdjustmentOperation[] = ['manual-charge', 'manual-credit', 'manual-payment', 'promotional-credit', 'refund']
    const step = fc.record({
      customer: fc.nat(customers.length - 1),
      op: fc.constantFrom(...ops),
      units: fc.integer({ min: 1, max: 5_000_000 }),
      repeatKey: fc.boolean()
    })
    let lastKey = key()
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 12 }), async (steps) => {
        for (const s of steps) {
          const c = customers[s.customer]!
          const exp = c.currency === 'JPY' ? 0 : c.currency === 'KWD' ? 3 : 2
          const digits = String(s.units).padStart(exp + 1, '0')
          const amount = exp === 0 ? digits : `${digits.slice(0, -exp)}.${digits.slice(-exp)}`
          const needsService = s.op === 'manual-charge' || s.op === 'manual-credit'
          const before = await ok('ledger.check', {})
          const k = s.repeatKey ? lastKey : key()
          const records = app.core.engine.read((r) => r.get<{ n: number }>('SELECT count(*) AS n FROM xdrs')!.n)
          const res = await call('adjustments.submit', { customerId: c.id, operation: s.op, amount, serviceId: needsService ? voice.id : null, operationKey: k })
          const after = app.core.engine.read((r) => r.get<{ n: number }>('SELECT count(*) AS n FROM xdrs')!.n)
          if (res.ok && res.value.repeated) expect(after).toBe(records) // a repeated key never adds a record
          if (!res.ok) expect(after).toBe(records) // a refused one neither
          if (res.ok && !res.value.repeated) lastKey = k
          expect(before.ok).toBe(true)
        }
        const check = await ok('ledger.check', {})
        expect(check.differences).toEqual([])
        const negative = app.core.engine.read((r) => r.get<{ n: number }>('SELECT count(*) AS n FROM customers WHERE unallocated_minor < 0')!.n)
        expect(negative).toBe(0)
      }),
      { numRuns: 2000 }
    )
    await app.close()
  }, 120_000)
})
