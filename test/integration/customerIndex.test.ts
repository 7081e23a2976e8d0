/**
 * The in-memory customer index behind the customer list (src-main/engine/customerIndex.ts),
 * exercised through `customers.list` as the screen uses it: search folds case and accents and
 * covers phone numbers and account IDs, sorting compares amounts at face value across currencies
 * with ties by customer ID, filters, paging, and rows that change by any path (an edit, a ledger
 * posting, a class rename) showing up in the next query.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { foldForSearch } from '../../src-main/engine/customerIndex'
import { postToLedger } from '../../src-main/engine/ledger'
import type { InputOf } from '../../src-shared/contract'
import { ADMIN_ACTOR, openTestDesk, type TestDesk, classInput } from '../support/desk'

let desk: TestDesk
const ids: Record<string, number> = {}
let classId: number

const create = async (customerId: string, more: Partial<InputOf<'customers.create'>> = {}) => {
  const c = await desk.ok('customers.create', { customerId, companyName: '', balanceControl: 'postpaid', currency: 'USD', classId: null, creditLimit: null, ...more })
  ids[customerId] = c.id
}

beforeAll(async () => {
  desk = await openTestDesk()
  classId = (await desk.ok('classes.create', classInput({ name: 'Street shops' }))).id
  await create('acme-01', { companyName: 'Café Łódź', openingBalance: '10.00', classId })
  await create('acme-02', { companyName: 'Kraków Telecom', openingBalance: '10.00', phone: '+48 12 555 0199' })
  await create('zeta-03', { companyName: 'Plain Trading', currency: 'JPY', openingBalance: '500' })
  await create('beta-04', { companyName: 'Straße Øst', blocked: true, balanceControl: 'prepaid', openingBalance: '2.50' })
})
afterAll(async () => {
  await desk.close()
})

const list = async (q: Partial<InputOf<'customers.list'>> = {}) => await desk.ok('customers.list', q)
const found = async (search: string) => (await list({ search })).rows.map((r) => r.customerId)

describe('search', () => {
  it('folds case and accents both ways: "lodz" finds "Łódź", "CAFÉ" finds "Café", "strasse" finds "Straße"', async () => {
    expect(await found('lodz')).toEqual(['acme-01'])
    expect(await found('CAFÉ')).toEqual(['acme-01'])
    expect(await found('krakow')).toEqual(['acme-02'])
    expect(await found('strasse ost')).toEqual(['beta-04'])
    expect(foldForSearch('Łódź Straße Øst CAFÉ')).toBe('lodz strasse ost cafe')
    expect(foldForSearch('Plain ASCII-42')).toBe('plain ascii-42')
  })

  it('covers customer IDs, phone numbers and account IDs, and finds nothing for a string no one has', async () => {
    expect(await found('acme')).toEqual(['acme-01', 'acme-02'])
    expect(await found('555 0199')).toEqual(['acme-02'])
    await desk.ok('customers.addAccount', { id: ids['zeta-03']!, accountId: 'SIP-77123' })
    expect(await found('sip-77123')).toEqual(['zeta-03'])
    expect(await list({ search: 'no such customer' })).toEqual({ total: 0, offset: 0, rows: [] })
  })
})

describe('sorting, filters and paging', () => {
  it('sorts balances at face value across currencies (500 JPY above 10.00 USD), ties by customer ID, both ways', async () => {
    const asc = (await list({ sort: { key: 'balance', dir: 'asc' } })).rows.map((r) => r.customerId)
    expect(asc).toEqual(['beta-04', 'acme-01', 'acme-02', 'zeta-03'])
    const desc = (await list({ sort: { key: 'balance', dir: 'desc' } })).rows.map((r) => r.customerId)
    expect(desc[0]).toBe('zeta-03')
    expect(desc.at(-1)).toBe('beta-04')
  })

  it('filters by status, currency and class, and pages with the total of all matches', async () => {
    expect((await list({ filters: { statuses: ['blocked'] } })).rows.map((r) => r.customerId)).toEqual(['beta-04'])
    expect((await list({ filters: { currency: 'JPY' } })).rows.map((r) => r.customerId)).toEqual(['zeta-03'])
    expect((await list({ filters: { classId } })).rows.map((r) => [r.customerId, r.className])).toEqual([['acme-01', 'Street shops']])
    const page = await list({ offset: 1, limit: 2 })
    expect(page.total).toBe(4)
    expect(page.offset).toBe(1)
    expect(page.rows.map((r) => r.customerId)).toEqual(['acme-02', 'beta-04'])
  })
})

describe('changes show up in the next query, whichever path made them', () => {
  it('an edit: the new phone number is found and the old one no longer is', async () => {
    await desk.ok('customers.update', { id: ids['acme-02']!, companyName: 'Kraków Telecom', classId: null, creditLimit: null, phone: '+48 22 777 0100' })
    expect(await found('777 0100')).toEqual(['acme-02'])
    expect(await found('555 0199')).toEqual([])
  })

  it('a ledger posting: the balance and its place in the balance order move', async () => {
    desk.app.core.engine.change(ADMIN_ACTOR, (w) =>
      postToLedger(w, {
        kind: 'manual-charge',
        customerId: ids['acme-01']!,
        amountMinor: 100_000,
        unallocatedDeltaMinor: 0,
        serviceId: null,
        effectiveDate: null,
        outOfTurn: false,
        visibleComment: '',
        internalComment: ''
      })
    )
    const rows = (await list({ sort: { key: 'balance', dir: 'desc' } })).rows
    expect(rows[0]).toMatchObject({ customerId: 'acme-01', balanceMinor: 101_000 })
  })

  it('a class rename: every listed customer of the class carries the new name', async () => {
    await desk.ok('classes.update', { id: classId, ...classInput({ name: 'Corner shops' }) })
    expect((await list({ search: 'acme-01' })).rows[0]?.className).toBe('Corner shops')
    expect(await found('street shops')).toEqual([])
  })

  it('a new customer is listed at once, in its sorted place', async () => {
    await create('acme-00', { companyName: 'Newcomer' })
    expect((await list()).rows.map((r) => r.customerId)).toEqual(['acme-00', 'acme-01', 'acme-02', 'beta-04', 'zeta-03'])
  })
})
