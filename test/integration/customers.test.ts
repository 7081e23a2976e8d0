/**
 * The customers table's own module (src-main/engine/customers.ts): loading a customer (an unknown
 * id is NOT_FOUND under "id"), counting customers, and which statuses take no edits. Creating and
 * editing are in customerEdit.test.ts, the list in customerList.test.ts, the page in
 * customerDetail.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DbReader } from '../../src-main/db/store'
import { checkEditable, countCustomers, loadCustomer } from '../../src-main/engine/customers'
import { AppError } from '../../src-shared/errors'
import { openTestDesk, type TestDesk } from '../support/desk'

const base = { companyName: '', classId: null, creditLimit: null } as const

let desk: TestDesk
beforeAll(async () => {
  desk = await openTestDesk()
})
afterAll(async () => {
  await desk.close()
})

const read = <T>(fn: (r: DbReader) => T): T => desk.app.core.engine.read(fn)

function refusal(fn: () => unknown): AppError {
  try {
    fn()
  } catch (err) {
    if (err instanceof AppError) return err
    throw err
  }
  throw new Error('expected a refusal')
}

describe('customers', () => {
  it('loads the stored row of a customer, with its amounts in minor units and its flags as numbers', async () => {
    const c = await desk.ok('customers.create', {
      ...base,
      customerId: 'loaded',
      companyName: 'Loaded Ltd',
      balanceControl: 'postpaid',
      currency: 'KWD',
      openingBalance: '12.345',
      creditLimit: '50'
    })
    const row = read((r) => loadCustomer(r, c.id))
    expect(row).toMatchObject({
      id: c.id,
      customer_id: 'loaded',
      company_name: 'Loaded Ltd',
      balance_control: 'postpaid',
      currency: 'KWD',
      balance_minor: 12345,
      credit_limit_minor: 50000,
      unallocated_minor: 0,
      status: 'active',
      lifecycle: 'active',
      blocked: 0,
      suspended: 0
    })
  })

  it('an unknown customer is NOT_FOUND under "id", on its own and through the channels', async () => {
    expect(refusal(() => read((r) => loadCustomer(r, 424_242)))).toMatchObject({ code: 'NOT_FOUND', field: 'id', message: 'Customer 424242 does not exist.' })
    expect(await desk.call('customers.get', { id: 424_242 })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', field: 'id' } })
  })

  it('counts every customer, terminated ones included', async () => {
    const before = read(countCustomers)
    const c = await desk.ok('customers.create', { ...base, customerId: 'counted', balanceControl: 'prepaid', currency: 'USD' })
    await desk.ok('customers.changeStatus', { id: c.id, action: 'permanently-terminate' })
    expect(read(countCustomers)).toBe(before + 1)
    expect((await desk.ok('customers.list', { limit: 500 })).total).toBe(before) // the list hides them; the count does not
  })

  it('permanently terminated and exported customers take no edits; the others do', async () => {
    const make = (customerId: string) => desk.ok('customers.create', { ...base, customerId, balanceControl: 'postpaid', currency: 'USD' })
    const [active, blocked, gone, ported] = [await make('e-active'), await make('e-blocked'), await make('e-gone'), await make('e-ported')]
    await desk.ok('customers.changeStatus', { id: blocked.id, action: 'block' })
    await desk.ok('customers.changeStatus', { id: gone.id, action: 'permanently-terminate' })
    await desk.ok('customers.changeStatus', { id: ported.id, action: 'export' })
    const check = (id: number) => () => read((r) => checkEditable(loadCustomer(r, id), 'phone'))
    expect(check(active.id)).not.toThrow()
    expect(check(blocked.id)).not.toThrow()
    expect(refusal(check(gone.id))).toMatchObject({
      code: 'VALIDATION',
      field: 'phone',
      message: 'This customer is permanently terminated: its details cannot be edited.'
    })
    expect(refusal(check(ported.id))).toMatchObject({
      code: 'VALIDATION',
      field: 'phone',
      message: 'This customer is exported: its details cannot be edited until the export mark is cleared (Change status → Clear export).'
    })
    // The edit channel refuses the same way and changes nothing.
    expect(await desk.call('customers.update', { ...base, id: gone.id, phone: '555' })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
    expect((await desk.ok('customers.get', { id: gone.id })).phone).toBe('')
  })
})
