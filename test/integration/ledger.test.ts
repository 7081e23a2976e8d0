/**
 * The ledger (src-main/engine/ledger.ts): posting appends an xDR and moves the balance and the
 * unallocated payments with it, amounts that would stop being exact are refused before anything is
 * written, `ledger.check` finds a balance that no longer equals its records, and
 * `ledger.transactions` pages a customer's money records newest first.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type LedgerEntry, postToLedger, recordableSum } from '../../src-main/engine/ledger'
import { AppError } from '../../src-shared/errors'
import { ADMIN_ACTOR, openTestDesk, type TestDesk } from '../support/desk'

let desk: TestDesk
let serviceId: number
beforeAll(async () => {
  desk = await openTestDesk()
  serviceId = desk.addVoiceService()
})
afterAll(async () => {
  await desk.close()
})

let seq = 0
async function customer(openingBalance = '') {
  const c = await desk.ok('customers.create', {
    customerId: `ledger-${++seq}`,
    companyName: '',
    balanceControl: 'postpaid',
    currency: 'USD',
    openingBalance,
    classId: null,
    creditLimit: null
  })
  return c.id
}

const entry = (customerId: number, amountMinor: number, more: Partial<LedgerEntry> = {}): LedgerEntry => ({
  kind: 'manual-charge',
  customerId,
  amountMinor,
  unallocatedDeltaMinor: 0,
  serviceId,
  effectiveDate: null,
  outOfTurn: false,
  visibleComment: '',
  internalComment: '',
  ...more
})

const post = (e: LedgerEntry) => desk.app.core.engine.change(ADMIN_ACTOR, (w) => postToLedger(w, e))
const stored = (id: number) =>
  desk.app.core.engine.read((r) => ({
    ...r.get<{ balance_minor: number; unallocated_minor: number }>('SELECT balance_minor, unallocated_minor FROM customers WHERE id = ?', [id])!,
    xdrs: r.get<{ n: number }>('SELECT count(*) AS n FROM xdrs WHERE customer_id = ?', [id])!.n
  }))

describe('postToLedger', () => {
  it('appends a record and moves the balance and the unallocated payments by its effect', async () => {
    const id = await customer('10.00')
    expect(stored(id)).toEqual({ balance_minor: 1000, unallocated_minor: 0, xdrs: 1 })
    const charged = post(entry(id, 250))
    expect(charged).toMatchObject({ balanceMinor: 1250, unallocatedMinor: 0 })
    const paid = post(entry(id, -2000, { kind: 'manual-payment', unallocatedDeltaMinor: 750, serviceId: null }))
    expect(paid).toMatchObject({ balanceMinor: -750, unallocatedMinor: 750 })
    expect(paid.xdrId).toBeGreaterThan(charged.xdrId)
    expect(stored(id)).toEqual({ balance_minor: -750, unallocated_minor: 750, xdrs: 3 })
    expect((await desk.ok('ledger.check', {})).ok).toBe(true)
  })

  it('refuses an amount that would take the balance beyond exact whole numbers, before writing anything', async () => {
    const id = await customer('1.00')
    const before = stored(id)
    let refusal: unknown
    try {
      post(entry(id, Number.MAX_SAFE_INTEGER))
    } catch (e) {
      refusal = e
    }
    expect(refusal).toBeInstanceOf(AppError)
    expect(refusal).toMatchObject({ code: 'VALIDATION', field: 'amount', message: expect.stringContaining('beyond the largest amount the billing desk can record') })
    expect(stored(id)).toEqual(before)
    expect(() => recordableSum(-Number.MAX_SAFE_INTEGER, -1, 'USD', 'unallocated payments', 'amount')).toThrow(/unallocated payments/)
    expect(recordableSum(Number.MAX_SAFE_INTEGER - 1, 1, 'USD', 'balance')).toBe(Number.MAX_SAFE_INTEGER)
  })

  it('refuses a customer that does not exist, naming the field', () => {
    expect(() => post(entry(999_999, 100))).toThrow(expect.objectContaining({ code: 'NOT_FOUND', field: 'customerId' }))
  })
})

describe('ledger.check', () => {
  it('finds a balance and unallocated payments that no longer equal the sums of the records', async () => {
    const id = await customer('5.00')
    const healthy = await desk.ok('ledger.check', {})
    expect(healthy.ok).toBe(true)
    // A balance edited behind the ledger's back (the way only a tool outside the app could).
    desk.app.core.engine.change(ADMIN_ACTOR, (w) => w.run('UPDATE customers SET balance_minor = balance_minor + 1, unallocated_minor = 42 WHERE id = ?', [id]))
    const check = await desk.ok('ledger.check', {})
    expect(check).toEqual({
      ok: false,
      customersChecked: healthy.customersChecked,
      differences: [
        {
          customerId: id,
          customerName: `ledger-${seq}`,
          currency: 'USD',
          balanceMinor: 501,
          ledgerBalanceMinor: 500,
          unallocatedMinor: 42,
          ledgerUnallocatedMinor: 0
        }
      ]
    })
    // Unallocated payments alone off their records is found too.
    desk.app.core.engine.change(ADMIN_ACTOR, (w) => w.run('UPDATE customers SET balance_minor = 500 WHERE id = ?', [id]))
    expect((await desk.ok('ledger.check', {})).differences).toEqual([
      expect.objectContaining({ customerId: id, balanceMinor: 500, ledgerBalanceMinor: 500, unallocatedMinor: 42 })
    ])
    // Put it back so the other tests see a sound ledger.
    desk.app.core.engine.change(ADMIN_ACTOR, (w) => w.run('UPDATE customers SET unallocated_minor = 0 WHERE id = ?', [id]))
    expect((await desk.ok('ledger.check', {})).ok).toBe(true)
  })
})

describe('ledger.transactions', () => {
  it("lists a customer's money records newest first, without usage records, in pages", async () => {
    const id = await customer('3.00')
    post(entry(id, 100, { visibleComment: 'first charge' }))
    post(entry(id, 5, { kind: 'usage' }))
    post(entry(id, 200, { visibleComment: 'second charge', internalComment: 'checked' }))
    const all = await desk.ok('ledger.transactions', { customerId: id })
    expect(all.map((t) => [t.kind, t.amountMinor, t.visibleComment])).toEqual([
      ['manual-charge', 200, 'second charge'],
      ['manual-charge', 100, 'first charge'],
      ['opening-balance', 300, '']
    ])
    expect(all[0]).toMatchObject({ serviceName: 'Voice calls', operatorName: 'Administrator', internalComment: 'checked', outOfTurn: false })
    const page = await desk.ok('ledger.transactions', { customerId: id, beforeXdrId: all[0]!.xdrId, limit: 1 })
    expect(page.map((t) => t.visibleComment)).toEqual(['first charge'])
  })

  it('refuses a customer that is not there instead of listing nothing', async () => {
    const res = await desk.call('ledger.transactions', { customerId: 999_999 })
    expect(res).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', field: 'customerId' } })
  })
})
