/**
 * What each customer status allows, enforced in the engine (docs/customer-lifecycle.md, "What each
 * status allows"): every status x every one of the ten operations, through both the preview and
 * Finish, and every edit. Active, blocked, suspended and provisionally terminated customers can pay
 * and be charged and credited; a permanently terminated customer accepts only a manual or card
 * payment up to what it still owes, and no edits; an exported customer accepts nothing until the
 * mark is cleared.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { applyOverdueSuspension } from '../../src-main/engine/lifecycle'
import { ADJUSTMENT_OPERATIONS, type InputOf } from '../../src-shared/contract'
import type { AdjustmentOperation, CustomerStatus } from '../../src-shared/domain'
import { ADMIN_ACTOR, newKey, openTestDesk, type TestDesk } from '../support/desk'

const VISA = '4242 4242 4242 4242'
const OPERATIONS: readonly AdjustmentOperation[] = ADJUSTMENT_OPERATIONS
const STATUSES: CustomerStatus[] = ['active', 'blocked', 'suspended', 'provisionally-terminated', 'permanently-terminated', 'exported']

/** The rule under test: which operations each status accepts (for an amount within what is owed). */
const ALLOWED: Record<CustomerStatus, readonly AdjustmentOperation[]> = {
  active: OPERATIONS,
  blocked: OPERATIONS,
  suspended: OPERATIONS,
  'provisionally-terminated': OPERATIONS,
  // Void moves no money: it releases the hold on the card of a customer who has left.
  'permanently-terminated': ['manual-payment', 'ecommerce-payment', 'void'],
  exported: []
}

let desk: TestDesk
let voiceId: number
let fieldId: number
let seq = 0

beforeAll(async () => {
  desk = await openTestDesk()
  voiceId = desk.addVoiceService()
  fieldId = (await desk.ok('customFields.create', { name: 'Contract number', kind: 'text' })).id
})
afterAll(async () => {
  await desk.close()
})

/** Put a customer into `status` the way the app does it (the overdue rule for Suspended). */
async function bringTo(id: number, status: CustomerStatus) {
  const action = {
    blocked: 'block',
    'provisionally-terminated': 'provisionally-terminate',
    'permanently-terminated': 'permanently-terminate',
    exported: 'export'
  } as const
  if (status === 'suspended') desk.app.core.engine.change(ADMIN_ACTOR, (w) => applyOverdueSuspension(w, id, true, 'Invoice overdue'))
  else if (status !== 'active') await desk.ok('customers.changeStatus', { id, action: action[status] })
  expect((await desk.ok('customers.get', { id })).status).toBe(status)
}

/**
 * A postpaid customer owing 70.00 with 30.00 of unallocated payments, a 30.00 card payment (to
 * refund) and a 30.00 authorization (to capture or void) made while active, then put in `status`.
 */
async function customerIn(status: CustomerStatus) {
  const { ok } = desk
  const c = await ok('customers.create', {
    customerId: `status-${++seq}`,
    companyName: 'Lviv Phones',
    balanceControl: 'postpaid',
    currency: 'USD',
    classId: null,
    creditLimit: '500',
    openingBalance: '130.00'
  })
  await ok('adjustments.submit', { customerId: c.id, operation: 'manual-payment', amount: '30.00', operationKey: newKey() })
  const payment = await ok('adjustments.submit', {
    customerId: c.id,
    operation: 'ecommerce-payment',
    amount: '30.00',
    cardNumber: VISA,
    cardExpiry: '12/30',
    operationKey: newKey()
  })
  const auth = await ok('adjustments.submit', {
    customerId: c.id,
    operation: 'authorization',
    amount: '30.00',
    cardNumber: VISA,
    cardExpiry: '12/30',
    operationKey: newKey()
  })
  await bringTo(c.id, status)
  return { id: c.id, paymentId: payment.transactionId!, authId: auth.transactionId! }
}

function inputFor(op: AdjustmentOperation, c: { id: number; paymentId: string; authId: string }, amount = '10.00'): InputOf<'adjustments.preview'> {
  const withCard = op === 'ecommerce-payment' || op === 'authorization'
  return {
    customerId: c.id,
    operation: op,
    amount: op === 'void' ? '' : amount,
    serviceId: op === 'manual-charge' || op === 'manual-credit' ? voiceId : null,
    transactionId: op === 'ecommerce-refund' ? c.paymentId : op === 'capture' || op === 'void' ? c.authId : '',
    cardNumber: withCard ? VISA : '',
    cardExpiry: withCard ? '12/30' : ''
  }
}

/** Everything a refused operation or edit must leave as it was. */
function footprint(id: number) {
  return desk.app.core.engine.read((r) => ({
    customer: r.get('SELECT * FROM customers WHERE id = ?', [id]),
    xdrs: r.get<{ n: number }>('SELECT count(*) AS n FROM xdrs')!.n,
    cards: r.all('SELECT * FROM card_transactions WHERE customer_id = ? ORDER BY id', [id]),
    accounts: r.get<{ n: number }>('SELECT count(*) AS n FROM accounts WHERE customer_id = ?', [id])!.n,
    custom: r.get<{ n: number }>('SELECT count(*) AS n FROM customer_custom_values WHERE customer_id = ?', [id])!.n
  }))
}

describe.each(STATUSES)('a customer who is %s', (status) => {
  it.each(OPERATIONS)('%s follows the status table, in the preview and on Finish', async (op) => {
    const c = await customerIn(status)
    const input = inputFor(op, c)
    const allowed = ALLOWED[status].includes(op)
    const before = footprint(c.id)
    const preview = await desk.call('adjustments.preview', input)
    const submit = await desk.call('adjustments.submit', { ...input, operationKey: newKey() })
    if (allowed) {
      expect(preview.ok, JSON.stringify(preview)).toBe(true)
      expect(submit.ok, JSON.stringify(submit)).toBe(true)
      return
    }
    for (const res of [preview, submit]) {
      expect(res.ok).toBe(false)
      if (res.ok) continue
      expect(res.error).toMatchObject({ code: 'VALIDATION', field: 'operation' })
      expect(res.error.message).toMatch(status === 'exported' ? /exported.*clear/i : /permanently terminated/i)
    }
    // Refused before the card processor is asked: no Started record, no money, no audit.
    expect(footprint(c.id)).toEqual(before)
  })
})

describe('a permanently terminated customer settles the final invoice', () => {
  it('pays at most what it still owes, by cash or card, and nothing once it is settled', async () => {
    const c = await customerIn('permanently-terminated') // owes 70.00
    const over = await desk.call('adjustments.preview', { ...inputFor('manual-payment', c, '70.01') })
    expect(over).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'amount', message: expect.stringMatching(/at most what it still owes, 70\.00 USD/) } })
    const overCard = await desk.call('adjustments.submit', { ...inputFor('ecommerce-payment', c, '70.01'), operationKey: newKey() })
    expect(overCard).toMatchObject({ ok: false, error: { field: 'amount' } })
    await desk.ok('adjustments.submit', { ...inputFor('ecommerce-payment', c, '20.00'), operationKey: newKey() })
    await desk.ok('adjustments.submit', { ...inputFor('manual-payment', c, '50.00'), operationKey: newKey() })
    expect((await desk.ok('customers.get', { id: c.id })).balanceMinor).toBe(0)
    const more = await desk.call('adjustments.preview', inputFor('manual-payment', c, '0.01'))
    expect(more).toMatchObject({ ok: false, error: { field: 'amount', message: expect.stringMatching(/owes nothing/) } })
  })

  it('a prepaid one with funds left owes nothing, so takes no payment', async () => {
    const c = await desk.ok('customers.create', {
      customerId: `status-${++seq}`,
      companyName: '',
      balanceControl: 'prepaid',
      currency: 'USD',
      classId: null,
      creditLimit: null,
      openingBalance: '5.00'
    })
    await bringTo(c.id, 'permanently-terminated')
    const res = await desk.call('adjustments.preview', { customerId: c.id, operation: 'manual-payment', amount: '1' })
    expect(res).toMatchObject({ ok: false, error: { field: 'amount', message: expect.stringMatching(/owes nothing/) } })
  })
})

describe.each(STATUSES)('editing a customer who is %s', (status) => {
  const frozen = status === 'permanently-terminated' || status === 'exported'
  const edit = (id: number): InputOf<'customers.update'>[] => {
    const base = { id, companyName: 'Lviv Phones', classId: null, creditLimit: '500.00' }
    return [
      { ...base, companyName: 'Lviv Phones Ltd' },
      { ...base, creditLimit: '900.00' },
      { ...base, customFields: [{ fieldId, value: 'C-17' }] }
    ]
  }

  it(frozen ? 'refuses every edit: details, credit limit, custom fields, accounts' : 'accepts edits', async () => {
    const c = await customerIn(status)
    const before = footprint(c.id)
    for (const input of edit(c.id)) {
      const res = await desk.call('customers.update', input)
      if (!frozen) {
        expect(res.ok, JSON.stringify(res)).toBe(true)
        continue
      }
      expect(res).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
      if (!res.ok) expect(res.error.message).toMatch(status === 'exported' ? /exported.*clear/i : /permanently terminated.*cannot be edited/i)
    }
    const account = await desk.call('customers.addAccount', { id: c.id, accountId: `acc-${seq}` })
    expect(account.ok).toBe(!frozen)
    if (frozen) expect(footprint(c.id)).toEqual(before)
  })
})

describe('an exported customer', () => {
  it('takes no status action but Clear export; once cleared, it can pay and be edited again', async () => {
    const c = await customerIn('active')
    await desk.ok('customers.changeStatus', { id: c.id, action: 'block' })
    await desk.ok('customers.changeStatus', { id: c.id, action: 'export' })
    expect((await desk.ok('customers.get', { id: c.id })).allowedActions).toEqual(['clear-export'])
    expect(await desk.call('customers.changeStatus', { id: c.id, action: 'unblock' })).toMatchObject({
      ok: false,
      error: { field: 'action', message: expect.stringMatching(/exported/i) }
    })
    await desk.ok('customers.changeStatus', { id: c.id, action: 'clear-export' })
    await desk.ok('adjustments.submit', { ...inputFor('manual-payment', c), operationKey: newKey() })
    await desk.ok('customers.update', { id: c.id, companyName: 'Back again', classId: null, creditLimit: '500.00' })
  })
})
