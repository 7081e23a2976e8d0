/**
 * Which price list rates whose usage (src-main/engine/priceListAssignments.ts) through its
 * channels: a class's list per rated service, a customer's own lists over its class's with the
 * effective list and where it comes from, and removing an assignment or an override, audited.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { UsageRater } from '../../src-main/engine/usageRating'
import { classInput, openTestDesk, type TestDesk } from '../support/desk'
import { TARIFF_HEADER } from '../support/usageWorld'

let desk: TestDesk
beforeAll(async () => {
  desk = await openTestDesk()
})
afterAll(async () => {
  await desk.close()
})

const lastAudit = () =>
  desk.app.core.engine.read((r) =>
    r.get<{ kind: string; customer_id: number | null; field: string; from_value: string; to_value: string; description: string }>(
      'SELECT kind, customer_id, field, from_value, to_value, description FROM audit_log ORDER BY id DESC LIMIT 1'
    )
  )

/** A class with a voice and an SMS service and lists in USD and EUR. */
async function world(name: string) {
  const voice = await desk.ok('services.create', { name: `${name} voice`, kind: 'voice' })
  const sms = await desk.ok('services.create', { name: `${name} SMS`, kind: 'messaging' })
  const goods = await desk.ok('services.create', { name: `${name} handsets`, kind: 'goods' })
  const klass = await desk.ok('classes.create', classInput({ name: `${name} class`, currency: 'USD' }))
  const retail = await desk.ok('priceLists.create', { name: `${name} retail`, currency: 'USD' })
  const vip = await desk.ok('priceLists.create', { name: `${name} VIP`, currency: 'USD' })
  const customer = await desk.ok('customers.create', {
    customerId: `${name}-1`,
    companyName: '',
    balanceControl: 'postpaid',
    currency: 'USD',
    classId: klass.id,
    creditLimit: null
  })
  return { voice, sms, goods, klass, retail, vip, customer }
}

describe('price-list assignments', () => {
  it("lists a class's list per rated service (voice and messaging, not goods), and removes one, audited", async () => {
    const w = await world('booths')
    await desk.ok('priceLists.assignToClass', { classId: w.klass.id, serviceId: w.voice.id, priceListId: w.retail.id })
    const got = await desk.ok('priceLists.classAssignments', { classId: w.klass.id })
    expect(got.currency).toBe('USD')
    const mine = got.services.filter((s) => s.serviceName.startsWith('booths'))
    expect(mine).toEqual(
      [
        { serviceId: w.voice.id, serviceName: 'booths voice', priceList: { id: w.retail.id, name: 'booths retail', currency: 'USD' } },
        { serviceId: w.sms.id, serviceName: 'booths SMS', priceList: null }
      ].sort((a, b) => a.serviceName.localeCompare(b.serviceName))
    )
    expect(got.services.some((s) => s.serviceId === w.goods.id)).toBe(false)

    await desk.ok('priceLists.removeClassAssignment', { classId: w.klass.id, serviceId: w.voice.id })
    expect(lastAudit()).toMatchObject({
      kind: 'priceList.unassignClass',
      field: `service:${w.voice.id}`,
      from_value: 'booths retail',
      to_value: '',
      description: 'Class "booths class", booths voice: price list "booths retail" removed; its usage is no longer rated until a list is assigned.'
    })
    const after = await desk.ok('priceLists.classAssignments', { classId: w.klass.id })
    expect(after.services.find((s) => s.serviceId === w.voice.id)?.priceList).toBeNull()
    // Nothing assigned there: a clear error naming the field, and nothing audited.
    const auditBefore = lastAudit()
    expect(await desk.call('priceLists.removeClassAssignment', { classId: w.klass.id, serviceId: w.voice.id })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND', field: 'serviceId' }
    })
    expect(lastAudit()).toEqual(auditBefore)
  })

  it("shows a customer's effective list per service and where it comes from, and removing the override falls back to the class", async () => {
    const w = await world('kiosk')
    await desk.ok('priceLists.assignToClass', { classId: w.klass.id, serviceId: w.voice.id, priceListId: w.retail.id })
    const service = async (serviceId: number) =>
      (await desk.ok('priceLists.customerAssignments', { customerId: w.customer.id })).services.find((s) => s.serviceId === serviceId)
    expect(await service(w.voice.id)).toMatchObject({ own: null, ofClass: { id: w.retail.id }, effective: { id: w.retail.id }, source: 'class' })
    expect(await service(w.sms.id)).toMatchObject({ own: null, ofClass: null, effective: null, source: 'none' })

    await desk.ok('priceLists.overrideForCustomer', { customerId: w.customer.id, serviceId: w.voice.id, priceListId: w.vip.id })
    const got = await desk.ok('priceLists.customerAssignments', { customerId: w.customer.id })
    expect(got).toMatchObject({ customerId: w.customer.id, currency: 'USD', className: 'kiosk class' })
    expect(await service(w.voice.id)).toMatchObject({ own: { id: w.vip.id }, ofClass: { id: w.retail.id }, effective: { id: w.vip.id }, source: 'own' })
    // The rater agrees with what the screen says: the VIP list rates this customer's calls.
    await desk.ok('priceLists.uploadVersion', { priceListId: w.vip.id, csv: `${TARIFF_HEADER}\n44,UK,0.50,0,60,60,0`, effectiveFrom: '2026-01-01T00:00:00Z' })
    const rated = desk.app.core.engine.read((r) =>
      new UsageRater(r).rate({ customerId: w.customer.id, serviceId: w.voice.id, durationS: 60, calledNumber: '441234', start: Date.parse('2026-06-01T00:00:00Z') })
    )
    expect(rated).toMatchObject({ rating: 'rated', chargeMinor: 50 })

    await desk.ok('priceLists.removeCustomerOverride', { customerId: w.customer.id, serviceId: w.voice.id })
    expect(lastAudit()).toMatchObject({
      kind: 'priceList.removeOverride',
      customer_id: w.customer.id,
      from_value: 'kiosk VIP',
      to_value: 'kiosk retail',
      description: 'kiosk voice: this customer\'s own price list "kiosk VIP" removed; its class\'s "kiosk retail" rates it from now on.'
    })
    expect(await service(w.voice.id)).toMatchObject({ own: null, effective: { id: w.retail.id }, source: 'class' })
    expect(await desk.call('priceLists.removeCustomerOverride', { customerId: w.customer.id, serviceId: w.voice.id })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND', field: 'serviceId' }
    })
  })

  it('answers NOT_FOUND for a class or customer that does not exist', async () => {
    expect(await desk.call('priceLists.classAssignments', { classId: 999_999 })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', field: 'classId' } })
    expect(await desk.call('priceLists.customerAssignments', { customerId: 999_999 })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND', field: 'customerId' }
    })
  })

  it('gives every demo customer a list in its currency for every voice and messaging service: from its class, or its own in a class without a currency', async () => {
    const demo = await openTestDesk({ demo: true })
    try {
      const customers = (await demo.ok('customers.list', { limit: 500, filters: { statuses: ['active', 'blocked', 'suspended', 'provisionally-terminated'] } })).rows
      expect(customers.length).toBeGreaterThan(50)
      const sources = new Set<string>()
      for (const c of customers) {
        const got = await demo.ok('priceLists.customerAssignments', { customerId: c.id })
        expect(got.services.map((s) => s.serviceName).sort()).toEqual(['International calls', 'SMS', 'Voice calls'])
        for (const s of got.services) {
          expect(s.effective?.currency, `${c.customerId} ${s.serviceName}`).toBe(c.currency)
          sources.add(s.source)
        }
      }
      expect([...sources].sort()).toEqual(['class', 'own'])
    } finally {
      await demo.close()
    }
  })
})
