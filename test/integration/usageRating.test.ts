/**
 * UsageRater (src-main/engine/usageRating.ts): the list that rates a customer's usage (own list over
 * its class's, or the one a re-rating chose), the version in force at the call's start (a correction
 * uploaded at the same instant wins), the rounding rule from Settings, and the reasons a record
 * stays unrated.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ADMIN_ACTOR, openTestDesk, type TestDesk } from '../support/desk'
import { usageWorld } from '../support/usageWorld'
import { UsageRater } from '../../src-main/engine/usageRating'

let desk: TestDesk
beforeAll(async () => {
  desk = await openTestDesk()
})
afterAll(async () => {
  await desk.close()
})

const rater = (opts?: ConstructorParameters<typeof UsageRater>[1]) => desk.app.core.engine.read((r) => new UsageRater(r, opts))
const at = (iso: string) => Date.parse(iso)

describe('UsageRater', () => {
  it('rates with the class list, the version in force at the start, and a same-instant correction', async () => {
    const world = await usageWorld(desk)
    const c = await world.customer()
    const wrong = await world.upload('2026-03-01T00:00:00Z', '44,UK,0.50,0,60,60,0', '4475,UK mobile,0.90,0,60,60,0')
    const call = { customerId: c.id, serviceId: world.serviceId, durationS: 61, calledNumber: '+44 7500 123456' }
    expect(desk.app.core.engine.read((r) => new UsageRater(r).rate({ ...call, start: at('2026-02-28T23:59:59Z') }))).toMatchObject({
      rating: 'unrated',
      unratedReason: 'no-price-list',
      chargeMinor: null
    })
    expect(rater().rate({ ...call, start: at('2026-03-10T12:00:00Z') })).toEqual({
      rating: 'rated',
      unratedReason: null,
      chargeMinor: 180, // 120 s at 0.90
      billedS: 120,
      prefix: '4475',
      priceListVersionId: wrong.id
    })
    const fixed = await world.upload('2026-03-01T00:00:00Z', '44,UK,0.05,0,60,60,0')
    expect(rater().rate({ ...call, start: at('2026-03-10T12:00:00Z') })).toMatchObject({ chargeMinor: 10, prefix: '44', priceListVersionId: fixed.id })
    expect(rater().rate({ ...call, calledNumber: '+33 1 2345', start: at('2026-03-10T12:00:00Z') })).toMatchObject({
      rating: 'unrated',
      unratedReason: 'no-matching-prefix'
    })
  })

  it("prefers the customer's own list, and a re-rating's chosen list over both", async () => {
    const world = await usageWorld(desk)
    await world.upload('2026-01-01T00:00:00Z', '1,US,0.10,0,60,60,0')
    const own = await desk.ok('priceLists.create', { name: 'Own list', currency: 'USD' })
    await desk.ok('priceLists.uploadVersion', {
      priceListId: own.id,
      csv: 'prefix,price_per_minute,connection_fee,first_interval,next_interval,free_seconds\n1,0.20,0,60,60,0',
      effectiveFrom: '2026-01-01T00:00:00Z'
    })
    const chosen = await desk.ok('priceLists.create', { name: 'Chosen list', currency: 'USD' })
    await desk.ok('priceLists.uploadVersion', {
      priceListId: chosen.id,
      csv: 'prefix,price_per_minute,connection_fee,first_interval,next_interval,free_seconds\n1,0.30,0,60,60,0',
      effectiveFrom: '2026-01-01T00:00:00Z'
    })
    const plain = await world.customer()
    const special = await world.customer()
    await desk.ok('priceLists.overrideForCustomer', { customerId: special.id, serviceId: world.serviceId, priceListId: own.id })
    const call = { serviceId: world.serviceId, durationS: 60, calledNumber: '12125550100', start: at('2026-03-01T10:00:00Z') }
    expect(rater().rate({ ...call, customerId: plain.id }).chargeMinor).toBe(10)
    expect(rater().rate({ ...call, customerId: special.id }).chargeMinor).toBe(20)
    expect(rater({ priceListId: chosen.id }).rate({ ...call, customerId: special.id }).chargeMinor).toBe(30)
  })

  it('rounds with the rule set in Settings', async () => {
    const world = await usageWorld(desk)
    const c = await world.customer()
    await world.upload('2026-01-01T00:00:00Z', '1,US,0.125,0,60,60,0')
    const call = { customerId: c.id, serviceId: world.serviceId, durationS: 60, calledNumber: '1555', start: at('2026-03-01T10:00:00Z') }
    expect(rater().rate(call).chargeMinor).toBe(13) // away from zero, DESIGN's default
    desk.app.core.engine.change(ADMIN_ACTOR, (w) => w.run("UPDATE settings SET rounding_mode = 'half-even' WHERE id = 1"))
    try {
      expect(rater().rate(call).chargeMinor).toBe(12)
    } finally {
      desk.app.core.engine.change(ADMIN_ACTOR, (w) => w.run("UPDATE settings SET rounding_mode = 'away-from-zero' WHERE id = 1"))
    }
  })

  it('rates a messaging service per message: a 0-second text is charged its price, not zero', async () => {
    const world = await usageWorld(desk)
    const c = await world.customer()
    const smsId = desk.app.core.engine.read((r) => r.get<{ id: number }>("SELECT id FROM services WHERE kind = 'messaging' ORDER BY id LIMIT 1")!.id)
    await desk.ok('priceLists.assignToClass', { classId: world.klass.id, serviceId: smsId, priceListId: world.list.id })
    await world.upload('2026-01-01T00:00:00Z', '44,UK,0.10,0.03,60,60,0')
    const text = { customerId: c.id, durationS: 0, calledNumber: '+447700900123', start: at('2026-03-01T10:00:00Z') }
    expect(rater().rate({ ...text, serviceId: smsId })).toMatchObject({ rating: 'rated', chargeMinor: 3, billedS: 0 })
    expect(rater().rate({ ...text, serviceId: world.serviceId })).toMatchObject({ rating: 'rated', chargeMinor: 0 })
  })

  it('refuses to rate for a customer that does not exist', () => {
    expect(() => rater().rate({ customerId: 999_999, serviceId: 1, durationS: 1, calledNumber: '1', start: 0 })).toThrow(/Customer 999999 does not exist/)
  })
})
