/**
 * The customer list (src-main/engine/customerList.ts over the index in customerIndex.ts) through
 * customers.list: search, filters, sorting by amount across currencies, and changes showing in the
 * next answer.
 */
import { describe, expect, it } from 'vitest'
import { formatMinor } from '../../src-shared/money'
import { newKey, openTestDesk } from '../support/desk'

const base = { companyName: '', classId: null, creditLimit: null } as const

describe('customers.list', () => {
  it('lists, searches (ID, company, phone, account; accents folded), filters and sorts', async () => {
    const { ok, close } = await openTestDesk({ demo: true })
    const search = async (s: string) => (await ok('customers.list', { search: s, limit: 500 })).rows.map((r) => r.customerId)
    expect(await search('easy call')).toContain('easycall')
    expect(await search('ECL-BOOTH')).toContain('easycall') // by account
    expect((await search('lodz')).length).toBeGreaterThan(0) // "Łódź" without the Polish letters
    const all = await ok('customers.list', { limit: 500 })
    expect(all.rows.some((r) => r.status === 'permanently-terminated')).toBe(false)
    const terminated = await ok('customers.list', { filters: { statuses: ['permanently-terminated'] }, limit: 500 })
    expect(terminated.total).toBeGreaterThan(0)
    expect(terminated.rows.every((r) => r.status === 'permanently-terminated')).toBe(true)
    const byBalance = await ok('customers.list', { sort: { key: 'balance', dir: 'desc' }, limit: 500 })
    // By face value across currencies (exponent applied, no exchange rate).
    const faceValues = byBalance.rows.map((r) => Number(formatMinor(r.balanceMinor, r.currency, { grouping: false })))
    expect(faceValues).toEqual([...faceValues].sort((a, b) => b - a))
    const prepaidUsd = await ok('customers.list', { filters: { balanceControl: 'prepaid', currency: 'USD' }, limit: 500 })
    expect(prepaidUsd.rows.every((r) => r.balanceControl === 'prepaid' && r.currency === 'USD')).toBe(true)
    const over = await ok('customers.list', { filters: { overLimit: true }, limit: 500 })
    expect(over.total).toBeGreaterThan(0)
    expect(over.rows.every((r) => (r.balanceControl === 'prepaid' ? r.balanceMinor > 0 : r.creditLimitMinor !== null && r.balanceMinor > r.creditLimitMinor))).toBe(true)
    expect((await ok('customers.list', { filters: { hasOverdueInvoice: true } })).total).toBe(0)
    // A change shows in the next answer: the index picks up the new row version.
    const c = await ok('customers.create', { ...base, customerId: 'zz-new', companyName: 'Zebra Ščuka', balanceControl: 'prepaid', currency: 'PLN' })
    expect(await search('scuka')).toEqual(['zz-new'])
    await ok('customers.update', { ...base, id: c.id, companyName: 'Quokka Calls' })
    expect(await search('scuka')).toEqual([])
    expect(await search('quokka')).toEqual(['zz-new'])
    await close()
  })

  it('sorts by balance, unallocated payments and credit limit by the amount, across currencies', async () => {
    const { ok, close } = await openTestDesk()
    // KWD 88.434 is 88434 minor units: by raw minor units it would sort above PLN 1,026.88.
    const make = (customerId: string, currency: string, openingBalance: string, creditLimit: string) =>
      ok('customers.create', { ...base, customerId, balanceControl: 'postpaid', currency, openingBalance, creditLimit })
    await make('pln-1026', 'PLN', '1026.88', '2000')
    await make('kwd-88', 'KWD', '88.434', '100.000')
    await make('pln-790', 'PLN', '790.80', '900')
    await make('jpy-5000', 'JPY', '5000', '6000')
    await make('usd-88-43', 'USD', '88.43', '150')
    const order = async (key: 'balance' | 'creditLimit', dir: 'asc' | 'desc') =>
      (await ok('customers.list', { sort: { key, dir }, limit: 500 })).rows.map((r) => r.customerId)
    expect(await order('balance', 'desc')).toEqual(['jpy-5000', 'pln-1026', 'pln-790', 'kwd-88', 'usd-88-43'])
    expect(await order('balance', 'asc')).toEqual(['usd-88-43', 'kwd-88', 'pln-790', 'pln-1026', 'jpy-5000'])
    expect(await order('creditLimit', 'desc')).toEqual(['jpy-5000', 'pln-1026', 'pln-790', 'usd-88-43', 'kwd-88'])
    await close()
  })

  it('"Over limit" lists prepaid customers whose funds are below zero and postpaid ones over their credit limit', async () => {
    const { ok, addVoiceService, close } = await openTestDesk()
    const serviceId = addVoiceService()
    const make = (customerId: string, balanceControl: 'prepaid' | 'postpaid', openingBalance: string, creditLimit: string | null) =>
      ok('customers.create', { ...base, customerId, balanceControl, currency: 'USD', openingBalance, creditLimit })
    const charge = (customerId: number, amount: string) => ok('adjustments.submit', { customerId, operation: 'manual-charge', amount, serviceId, operationKey: newKey() })
    const pre = await make('pre-below', 'prepaid', '5.00', null)
    await charge(pre.id, '5.01') // funds -0.01
    const preZero = await make('pre-zero', 'prepaid', '5.00', null)
    await charge(preZero.id, '5.00') // funds exactly 0: not below zero
    await make('pre-funded', 'prepaid', '10.00', null)
    await make('post-over', 'postpaid', '100.01', '100.00')
    await make('post-at', 'postpaid', '100.00', '100.00')
    await make('post-nolimit', 'postpaid', '5000.00', null)
    const over = await ok('customers.list', { filters: { overLimit: true }, limit: 500 })
    expect(over.rows.map((r) => r.customerId)).toEqual(['post-over', 'pre-below'])
    const overPrepaid = await ok('customers.list', { filters: { overLimit: true, balanceControl: 'prepaid' }, limit: 500 })
    expect(overPrepaid.rows.map((r) => r.customerId)).toEqual(['pre-below'])
    // A payment that brings the funds back to zero takes the customer off the list.
    await ok('adjustments.submit', { customerId: pre.id, operation: 'manual-payment', amount: '0.01', operationKey: newKey() })
    expect((await ok('customers.list', { filters: { overLimit: true }, limit: 500 })).rows.map((r) => r.customerId)).toEqual(['post-over'])
    await close()
  })
})
