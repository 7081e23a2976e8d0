/**
 * What each of the ten operations does to a customer's figures, pinned exactly, for prepaid and
 * postpaid customers: DESIGN.md's "Balance convention" table as a test. The property tests only
 * check that balances equal their ledgers, which stays true if an operation moves money the wrong
 * way; this table does not. Card operations go through the built-in test gateway.
 */
import { beforeAll, afterAll, describe, expect, it } from 'vitest'
import type { InputOf } from '../../src-shared/contract'
import type { AdjustmentOperation, BalanceControl } from '../../src-shared/domain'
import { newKey, openTestDesk, type TestDesk } from '../support/desk'

const VISA = '4242 4242 4242 4242'
const AMOUNT = 1000 // 10.00 USD, the amount of every operation below

/**
 * Per 10.00: the change to the balance (what is owed), to a prepaid customer's available funds
 * (minus the balance) and to unallocated payments. A refund takes back unallocated payments first
 * (there are enough here), an authorization and a void move nothing.
 */
const TABLE: [operation: AdjustmentOperation, owed: number, availableFunds: number, unallocated: number][] = [
  ['manual-charge', +AMOUNT, -AMOUNT, 0],
  ['manual-credit', -AMOUNT, +AMOUNT, 0],
  ['manual-payment', -AMOUNT, +AMOUNT, +AMOUNT],
  ['promotional-credit', -AMOUNT, +AMOUNT, 0],
  ['refund', +AMOUNT, -AMOUNT, -AMOUNT],
  ['ecommerce-payment', -AMOUNT, +AMOUNT, +AMOUNT],
  ['ecommerce-refund', +AMOUNT, -AMOUNT, -AMOUNT],
  ['authorization', 0, 0, 0],
  ['capture', -AMOUNT, +AMOUNT, +AMOUNT],
  ['void', 0, 0, 0]
]

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

/**
 * A customer with 30.00 of unallocated payments (so a refund has something to take back) and,
 * for the card operations that refer to an earlier transaction, that transaction: a 30.00 card
 * payment to refund, or a 30.00 authorization to capture or void.
 */
async function customerReadyFor(operation: AdjustmentOperation, control: BalanceControl) {
  const { ok } = desk
  const c = await ok('customers.create', {
    customerId: `effects-${++seq}`,
    companyName: '',
    balanceControl: control,
    currency: 'USD',
    classId: null,
    creditLimit: null,
    // Postpaid: 100.00 owed; prepaid: 50.00 of available funds.
    openingBalance: control === 'postpaid' ? '100.00' : '50.00'
  })
  await ok('adjustments.submit', { customerId: c.id, operation: 'manual-payment', amount: '30.00', operationKey: newKey() })
  let transactionId = ''
  if (operation === 'ecommerce-refund') {
    transactionId = (
      await ok('adjustments.submit', { customerId: c.id, operation: 'ecommerce-payment', amount: '30.00', cardNumber: VISA, cardExpiry: '12/30', operationKey: newKey() })
    ).transactionId!
  }
  if (operation === 'capture' || operation === 'void') {
    transactionId = (
      await ok('adjustments.submit', { customerId: c.id, operation: 'authorization', amount: '30.00', cardNumber: VISA, cardExpiry: '12/30', operationKey: newKey() })
    ).transactionId!
  }
  return { id: c.id, transactionId }
}

function inputFor(operation: AdjustmentOperation, customerId: number, transactionId: string): InputOf<'adjustments.preview'> {
  const withCard = operation === 'ecommerce-payment' || operation === 'authorization'
  const withService = operation === 'manual-charge' || operation === 'manual-credit'
  return {
    customerId,
    operation,
    // A void cancels the whole authorization and takes no amount.
    amount: operation === 'void' ? '' : '10.00',
    serviceId: withService ? voiceId : null,
    transactionId,
    cardNumber: withCard ? VISA : '',
    cardExpiry: withCard ? '12/30' : ''
  }
}

describe.each(['postpaid', 'prepaid'] as const)('the ten operations on a %s customer', (control) => {
  it.each(TABLE)('%s: balance %i, available funds %i, unallocated payments %i (minor units)', async (operation, owed, availableFunds, unallocated) => {
    const { ok } = desk
    const { id, transactionId } = await customerReadyFor(operation, control)
    const before = await ok('customers.get', { id })
    const input = inputFor(operation, id, transactionId)

    // The Summary promises exactly this...
    const preview = await ok('adjustments.preview', input)
    expect(preview.balanceAfterMinor - preview.balanceBeforeMinor, 'previewed balance change').toBe(owed)
    expect(preview.unallocatedAfterMinor - preview.unallocatedBeforeMinor, 'previewed unallocated change').toBe(unallocated)

    // ...and Finish does it.
    const done = await ok('adjustments.submit', { ...input, operationKey: newKey() })
    const after = await ok('customers.get', { id })
    const changed = {
      balance: after.balanceMinor - before.balanceMinor,
      unallocated: after.unallocatedPaymentsMinor - before.unallocatedPaymentsMinor
    }
    if (control === 'postpaid') expect(changed, 'what the postpaid customer owes').toEqual({ balance: owed, unallocated })
    else {
      // Prepaid customers see available funds: minus the balance.
      expect({ availableFunds: -after.balanceMinor - -before.balanceMinor, unallocated: changed.unallocated }, "the prepaid customer's funds").toEqual({
        availableFunds,
        unallocated
      })
      expect(changed.balance).toBe(owed)
    }

    // One ledger record carries the change (none when no money moves).
    const newest = (await ok('ledger.transactions', { customerId: id, limit: 1 }))[0]!
    if (owed === 0 && unallocated === 0) expect(done.xdrId).toBeNull()
    else expect(newest).toMatchObject({ xdrId: done.xdrId, kind: operation, amountMinor: owed, unallocatedDeltaMinor: unallocated })
    expect((await ok('ledger.check', {})).ok).toBe(true)
  })
})
