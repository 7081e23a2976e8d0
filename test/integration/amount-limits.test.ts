/**
 * Amount limits: one operation moves at most the "Maximum amount per operation" setting (a whole
 * number of major units of the customer's currency, default 1,000,000), and no operation may take
 * a balance or unallocated payments beyond what the books hold exactly (a safe integer of minor
 * units). Both are refused on the Amount field by the preview already, with a message naming the
 * limit, and change nothing.
 */
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { InputOf } from '../../src-shared/contract'
import type { AdjustmentOperation, BalanceControl } from '../../src-shared/domain'
import { currency, formatMinor } from '../../src-shared/money'
import { ADMIN_ACTOR, newKey, openTestDesk, type TestDesk } from '../support/desk'

let desk: TestDesk
let voiceId: number
let seq = 0

beforeAll(async () => {
  desk = await openTestDesk()
  voiceId = desk.addVoiceService()
})
afterAll(async () => {
  await desk.close()
})

async function customer(cur: string, opts: { control?: BalanceControl; opening?: string } = {}) {
  return desk.ok('customers.create', {
    customerId: `limits-${++seq}`,
    companyName: '',
    balanceControl: opts.control ?? 'postpaid',
    currency: cur,
    classId: null,
    creditLimit: null,
    openingBalance: opts.opening ?? ''
  })
}

function adjustment(customerId: number, operation: AdjustmentOperation, amount: string): InputOf<'adjustments.preview'> {
  return { customerId, operation, amount, serviceId: operation === 'manual-charge' || operation === 'manual-credit' ? voiceId : null }
}

const footprint = (id: number) =>
  desk.app.core.engine.read((r) => ({
    customer: r.get('SELECT balance_minor, unallocated_minor FROM customers WHERE id = ?', [id]),
    xdrs: r.get<{ n: number }>('SELECT count(*) AS n FROM xdrs')!.n
  }))

async function setLimit(maxOperationAmount: number) {
  await desk.ok('settings.update', { companyName: 'Test Callshop', address: '', maxOperationAmount })
}

describe('maximum amount per operation', () => {
  it('is a setting, 1,000,000 major units by default, kept in range and audited', async () => {
    expect((await desk.ok('settings.get', {})).maxOperationAmount).toBe(1_000_000)
    for (const bad of [0, -5, 1.5, 1_000_000_000_001]) {
      const res = await desk.call('settings.update', { companyName: 'Test Callshop', address: '', maxOperationAmount: bad })
      expect(res, String(bad)).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'maxOperationAmount' } })
    }
    await setLimit(250_000)
    expect((await desk.ok('settings.get', {})).maxOperationAmount).toBe(250_000)
    expect((await desk.ok('audit.list', { limit: 1 }))[0]!.description).toBe('Maximum amount per operation (major units) changed from "1000000" to "250000".')
    await setLimit(1_000_000)
  })

  it('refuses 90,000,000,000,000.00 USD and 90071992547409.91 on the Amount field, naming the limit, in the preview and on Finish', async () => {
    const c = await customer('USD', { opening: '-2.00' })
    const before = footprint(c.id)
    for (const amount of ['90,000,000,000,000.00', '90071992547409.91', '1,000,000.01', '100000000000000000000']) {
      for (const op of ['manual-payment', 'manual-charge'] as const) {
        const preview = await desk.call('adjustments.preview', adjustment(c.id, op, amount))
        const submit = await desk.call('adjustments.submit', { ...adjustment(c.id, op, amount), operationKey: newKey() })
        for (const res of [preview, submit]) {
          expect(res, `${op} ${amount}`).toMatchObject({
            ok: false,
            error: { code: 'VALIDATION', field: 'amount', message: 'One operation can move at most 1,000,000.00 USD (the maximum amount per operation, in Settings).' }
          })
        }
      }
    }
    expect(footprint(c.id)).toEqual(before)
    // The limit itself is accepted.
    await desk.ok('adjustments.submit', { ...adjustment(c.id, 'manual-payment', '1,000,000.00'), operationKey: newKey() })
  })

  it.each([
    ['JPY', '1,000,000', '1,000,001', 'One operation can move at most 1,000,000 JPY'],
    ['USD', '1,000,000.00', '1,000,000.01', 'One operation can move at most 1,000,000.00 USD'],
    ['KWD', '1,000,000.000', '1,000,000.001', 'One operation can move at most 1,000,000.000 KWD']
  ])('in %s: %s is accepted, %s is refused', async (cur, atLimit, over, message) => {
    const c = await customer(cur)
    expect((await desk.ok('adjustments.preview', adjustment(c.id, 'manual-charge', atLimit))).amountMinor).toBe(1_000_000 * 10 ** currency(cur).exponent)
    const res = await desk.call('adjustments.preview', adjustment(c.id, 'manual-charge', over))
    expect(res).toMatchObject({ ok: false, error: { field: 'amount', message: expect.stringContaining(message) } })
  })
})

describe('balances and unallocated payments stay exact', () => {
  it('refuses an operation that would take the balance past the largest amount the books hold', async () => {
    await setLimit(1_000_000_000_000)
    const owesMost = await customer('USD', { opening: '90,071,992,547,409.91' })
    const res = await desk.call('adjustments.preview', adjustment(owesMost.id, 'manual-charge', '0.01'))
    expect(res).toMatchObject({
      ok: false,
      error: {
        code: 'VALIDATION',
        field: 'amount',
        message: 'This operation would take the balance beyond 90,071,992,547,409.91 USD, the most the books can hold exactly.'
      }
    })
    await desk.ok('adjustments.submit', { ...adjustment(owesMost.id, 'manual-payment', '0.01'), operationKey: newKey() })

    const heldMost = await customer('USD', { control: 'prepaid', opening: '90,071,992,547,409.91' })
    const before = footprint(heldMost.id)
    const credit = await desk.call('adjustments.submit', { ...adjustment(heldMost.id, 'promotional-credit', '0.01'), operationKey: newKey() })
    expect(credit).toMatchObject({
      ok: false,
      error: { field: 'amount', message: 'This operation would take available funds beyond 90,071,992,547,409.91 USD, the most the books can hold exactly.' }
    })
    expect(footprint(heldMost.id)).toEqual(before)
    await setLimit(1_000_000)
  })

  it('refuses a payment that would take unallocated payments past the largest amount the books hold', async () => {
    await setLimit(1_000_000_000_000)
    const c = await customer('JPY')
    // Unallocated payments already at the edge (put there directly: reaching it by payments takes thousands).
    desk.app.core.engine.change(ADMIN_ACTOR, (w) => w.run('UPDATE customers SET unallocated_minor = ? WHERE id = ?', [Number.MAX_SAFE_INTEGER, c.id]))
    const res = await desk.call('adjustments.preview', adjustment(c.id, 'manual-payment', '1'))
    expect(res).toMatchObject({
      ok: false,
      error: { field: 'amount', message: 'This operation would take unallocated payments beyond 9,007,199,254,740,991 JPY, the most the books can hold exactly.' }
    })
    await setLimit(1_000_000)
  })
})

describe('property: amounts at and around the limits', () => {
  it('an operation is accepted exactly when its amount is within the limit and every figure stays exact', async () => {
    const customers: Record<string, { id: number; exponent: number }[]> = {}
    for (const cur of ['JPY', 'USD', 'KWD']) {
      customers[cur] = []
      // Balances at zero and near both edges of what the books hold.
      for (const opening of [0, Number.MAX_SAFE_INTEGER - 5, -(Number.MAX_SAFE_INTEGER - 5)]) {
        const text = opening === 0 ? '' : formatMinor(opening, cur, { grouping: false })
        customers[cur]!.push({ id: (await customer(cur, { opening: text })).id, exponent: currency(cur).exponent })
      }
    }
    const limits = [1, 999, 1_000_000, 9_007_199_254, 1_000_000_000_000]
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('JPY', 'USD', 'KWD'),
        fc.nat(2),
        fc.constantFrom(...limits),
        fc.integer({ min: -3, max: 3 }),
        fc.constantFrom<AdjustmentOperation>('manual-charge', 'manual-credit', 'manual-payment', 'promotional-credit'),
        async (cur, which, limit, offset, op) => {
          const c = customers[cur]![which]!
          const limitMinor = BigInt(limit) * 10n ** BigInt(c.exponent)
          const amountMinor = limitMinor + BigInt(offset)
          if (amountMinor <= 0n) return
          const amount = formatMinor(Number(amountMinor), cur, { grouping: false })
          const state = desk.app.core.engine.read(
            (r) =>
              r.get<{ balance_minor: number; maxm: number }>('SELECT c.balance_minor, s.max_operation_major AS maxm FROM customers c, settings s WHERE c.id = ?', [c.id])!
          )
          if (state.maxm !== limit) await setLimit(limit)
          const sign = op === 'manual-charge' ? 1n : -1n
          const after = BigInt(state.balance_minor) + sign * amountMinor
          const safe = after <= BigInt(Number.MAX_SAFE_INTEGER) && after >= -BigInt(Number.MAX_SAFE_INTEGER)
          const res = await desk.call('adjustments.preview', adjustment(c.id, op, amount))
          if (amountMinor <= limitMinor && safe) {
            expect(res.ok, JSON.stringify(res)).toBe(true)
            if (res.ok) expect(BigInt(res.value.balanceAfterMinor)).toBe(after)
          } else {
            expect(res.ok).toBe(false)
            if (!res.ok) {
              expect(res.error.field).toBe('amount')
              expect(res.error.message).toMatch(
                amountMinor > limitMinor
                  ? /One operation can move at most .* \(the maximum amount per operation, in Settings\)\./
                  : /the most the books can hold exactly\./
              )
            }
          }
        }
      ),
      { numRuns: 600 }
    )
    await setLimit(1_000_000)
  })
})
