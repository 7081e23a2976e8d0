/**
 * A customer's page (src-main/engine/customerDetail.ts, served by customers.get): the stored
 * columns, the billing terms in force (the class's, or the customer's own overrides, or the
 * defaults), accounts, the status history newest first with who changed it and why, every custom
 * field, and the status actions allowed at the moment asked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { getCustomerDetail } from '../../src-main/engine/customerDetail'
import { openTestDesk, type TestDesk, classInput } from '../support/desk'

const base = { companyName: '', classId: null, creditLimit: null } as const
const clock = { t: Date.parse('2026-11-21T10:00:00Z') }

let desk: TestDesk
beforeAll(async () => {
  desk = await openTestDesk({ now: () => clock.t })
})
afterAll(async () => {
  await desk.close()
})

describe('customers.get', () => {
  it('shows a customer with a history: columns, class terms, accounts, status changes newest first, custom fields, allowed actions', async () => {
    const { ok } = desk
    const klass = await ok(
      'classes.create',
      classInput({ name: 'Weekly EUR', currency: 'EUR', billingPeriod: 'weekly', billingDay: 3, dueDays: 10, taxRatePpm: 230_000, invoicePrefix: 'WK-' })
    )
    const vat = await ok('customFields.create', { name: 'VAT number', kind: 'text' })
    // An update sends the whole form, so both carry the same contact details.
    const details = { companyName: 'History Calls', classId: klass.id, creditLimit: '500', phone: '+48 600 100 200', city: 'Łódź' }
    const c = await ok('customers.create', { ...details, customerId: 'history', balanceControl: 'postpaid', currency: 'EUR', openingBalance: '42.10' })
    await ok('customers.addAccount', { id: c.id, accountId: 'HIST-B' })
    await ok('customers.addAccount', { id: c.id, accountId: 'HIST-A' })
    await ok('customers.update', { ...details, id: c.id, customFields: [{ fieldId: vat.id, value: 'PL123' }] })
    clock.t = Date.parse('2026-11-22T09:00:00Z')
    await ok('customers.changeStatus', { id: c.id, action: 'block', note: 'Fraud check' })
    clock.t = Date.parse('2026-11-23T09:30:00Z')
    await ok('customers.changeStatus', { id: c.id, action: 'unblock', note: 'Cleared' })
    clock.t = Date.parse('2026-11-24T08:00:00Z')
    await ok('customers.changeStatus', { id: c.id, action: 'provisionally-terminate', note: 'Moving' })

    const d = await ok('customers.get', { id: c.id })
    expect(d).toMatchObject({
      id: c.id,
      customerId: 'history',
      companyName: 'History Calls',
      balanceControl: 'postpaid',
      currency: 'EUR',
      balanceMinor: 4210,
      unallocatedPaymentsMinor: 0,
      creditLimitMinor: 50000,
      status: 'provisionally-terminated',
      classId: klass.id,
      className: 'Weekly EUR',
      phone: '+48 600 100 200',
      city: 'Łódź',
      dueDaysOverride: null,
      taxRatePpmOverride: null,
      effective: { billingPeriod: 'weekly', billingDay: 3, dueDays: 10, taxRatePpm: 230_000 },
      blocked: false,
      suspended: false,
      provisionallyTerminatedAt: '2026-11-24T08:00:00.000Z',
      terminatedAt: null,
      createdAt: '2026-11-21T10:00:00.000Z',
      updatedAt: '2026-11-24T08:00:00.000Z'
    })
    expect(d.reactivationDeadline).not.toBeNull()
    expect(d.accounts.map((a) => a.accountId)).toEqual(['HIST-A', 'HIST-B'])
    expect(d.statusHistory.map((h) => [h.at, h.fromStatus, h.toStatus, h.note, h.operatorName])).toEqual([
      [
        '2026-11-24T08:00:00.000Z',
        'active',
        'provisionally-terminated',
        expect.stringMatching(/^reactivation possible until 2026-12-2\d \d\d:\d\d; Moving$/),
        'Administrator'
      ],
      ['2026-11-23T09:30:00.000Z', 'blocked', 'active', 'Cleared', 'Administrator'],
      ['2026-11-22T09:00:00.000Z', 'active', 'blocked', 'Fraud check', 'Administrator'],
      ['2026-11-21T10:00:00.000Z', null, 'active', 'Created', 'Administrator']
    ])
    expect(d.customFields.find((f) => f.fieldId === vat.id)).toEqual({ fieldId: vat.id, name: 'VAT number', kind: 'text', value: 'PL123' })
    expect(d.allowedActions).toEqual(['reactivate', 'permanently-terminate'])

    // The actions are those allowed at the moment asked: after the reactivation deadline, no reactivation.
    const later = desk.app.core.engine.read((r) => getCustomerDetail(r, c.id, d.reactivationDeadline!))
    expect(later.allowedActions).toEqual(['permanently-terminate'])
    expect(later.statusHistory).toEqual(d.statusHistory)
  })

  it("the customer's own due days and tax rate win over the class's; without a class the defaults apply", async () => {
    const { ok } = desk
    const own = await ok('customers.create', {
      ...base,
      customerId: 'overrides',
      balanceControl: 'postpaid',
      currency: 'USD',
      dueDaysOverride: 3,
      taxRatePpmOverride: 80_000
    })
    expect((await ok('customers.get', { id: own.id })).effective).toEqual({ billingPeriod: 'monthly', billingDay: 1, dueDays: 3, taxRatePpm: 80_000 })
    const plain = await ok('customers.create', { ...base, customerId: 'defaults', balanceControl: 'prepaid', currency: 'USD' })
    const d = await ok('customers.get', { id: plain.id })
    expect(d).toMatchObject({ className: null, classId: null, effective: { billingPeriod: 'monthly', billingDay: 1, dueDays: 14, taxRatePpm: 0 }, accounts: [] })
    expect(d.statusHistory).toHaveLength(1)
    expect(d.allowedActions).toEqual(['block', 'provisionally-terminate', 'permanently-terminate', 'export'])
  })
})
