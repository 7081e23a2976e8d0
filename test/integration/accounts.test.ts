/**
 * A customer's account IDs (src-main/engine/accounts.ts) through customers.addAccount: added and
 * audited, shown on the customer's page in order, refused when any customer already has the ID
 * (whatever its case), refused for a customer whose details cannot be edited, and writing nothing
 * when refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestDesk, type TestDesk } from '../support/desk'

const base = { companyName: '', classId: null, creditLimit: null } as const

let desk: TestDesk
beforeAll(async () => {
  desk = await openTestDesk()
})
afterAll(async () => {
  await desk.close()
})

const accountRows = () => desk.app.core.engine.read((r) => r.all<{ customer_id: number; account_id: string }>('SELECT customer_id, account_id FROM accounts ORDER BY id'))

describe('customers.addAccount', () => {
  it('adds an account, refuses the same ID in another case, and an edit keeps the accounts', async () => {
    const { ok, call } = desk
    const c = await ok('customers.create', { ...base, customerId: 'booths', balanceControl: 'prepaid', currency: 'USD' })
    await ok('customers.addAccount', { id: c.id, accountId: 'BOOTH-01' })
    expect(await call('customers.addAccount', { id: c.id, accountId: 'booth-01' })).toMatchObject({ ok: false, error: { code: 'CONFLICT', field: 'accountId' } })
    const saved = await ok('customers.update', { ...base, id: c.id, phone: '+48 600 100 200' })
    expect(saved.accounts.map((a) => a.accountId)).toEqual(['BOOTH-01'])
  })

  it('shows the accounts on the customer page sorted by ID, each audited as added', async () => {
    const { ok } = desk
    const c = await ok('customers.create', { ...base, customerId: 'kiosk', balanceControl: 'postpaid', currency: 'USD' })
    await ok('customers.addAccount', { id: c.id, accountId: 'KIOSK-2' })
    const detail = await ok('customers.addAccount', { id: c.id, accountId: 'KIOSK-1' })
    expect(detail.accounts.map((a) => [a.accountId, a.status, a.createdAt])).toEqual([
      ['KIOSK-1', 'active', '2026-11-21T10:00:00.000Z'],
      ['KIOSK-2', 'active', '2026-11-21T10:00:00.000Z']
    ])
    expect((await ok('customers.get', { id: c.id })).accounts).toEqual(detail.accounts)
    const audit = (await ok('audit.list', {})).filter((a) => a.customerId === c.id).map((a) => a.description)
    expect(audit).toContain('Account "KIOSK-1" added.')
    expect(audit).toContain('Account "KIOSK-2" added.')
  })

  it('refuses an account ID another customer has, naming that customer, and adds nothing', async () => {
    const { ok, call } = desk
    const owner = await ok('customers.create', { ...base, customerId: 'first-owner', balanceControl: 'prepaid', currency: 'USD' })
    const other = await ok('customers.create', { ...base, customerId: 'second-shop', balanceControl: 'prepaid', currency: 'EUR' })
    await ok('customers.addAccount', { id: owner.id, accountId: 'SHARED-7' })
    const before = accountRows()
    for (const accountId of ['SHARED-7', 'shared-7']) {
      expect(await call('customers.addAccount', { id: other.id, accountId })).toEqual({
        ok: false,
        error: expect.objectContaining({ code: 'CONFLICT', field: 'accountId', message: `Account "${accountId}" already belongs to customer "first-owner".` })
      })
    }
    expect(accountRows()).toEqual(before)
    expect((await ok('customers.get', { id: other.id })).accounts).toEqual([])
  })

  it('refuses an account for a permanently terminated or exported customer, under the field, and for no customer at all', async () => {
    const { ok, call } = desk
    const gone = await ok('customers.create', { ...base, customerId: 'gone-shop', balanceControl: 'postpaid', currency: 'USD' })
    await ok('customers.changeStatus', { id: gone.id, action: 'permanently-terminate' })
    const ported = await ok('customers.create', { ...base, customerId: 'ported-shop', balanceControl: 'postpaid', currency: 'USD' })
    await ok('customers.changeStatus', { id: ported.id, action: 'export' })
    const before = accountRows()
    expect(await call('customers.addAccount', { id: gone.id, accountId: 'GONE-1' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', field: 'accountId', message: 'This customer is permanently terminated: its details cannot be edited.' }
    })
    expect(await call('customers.addAccount', { id: ported.id, accountId: 'PORTED-1' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', field: 'accountId', message: expect.stringMatching(/^This customer is exported/) }
    })
    expect(await call('customers.addAccount', { id: 999_999, accountId: 'NOBODY-1' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
    expect(accountRows()).toEqual(before)
  })
})
