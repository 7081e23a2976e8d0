/**
 * Re-rating (issue 9, item 5; src-main/engine/rerating.ts): the March story of the source page —
 * a wrong price list rated March, a corrected version uploaded at the same instant, a preview that
 * writes nothing, an apply that moves every balance by exactly the difference through one audited
 * correction per customer, and a second apply that changes nothing — plus scopes, a chosen list
 * in another currency, records that were unrated and now rate, Cancel, and the ledger property.
 */
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { InputOf } from '../../src-shared/contract'
import type { JobSnapshot, ReratingResult } from '../../src-shared/domain'
import { prepareRerating } from '../../src-main/engine/rerating'
import { ADMIN_ACTOR, openTestDesk, type TestDesk } from '../support/desk'
import { usageWorld } from '../support/usageWorld'
import { insertUsage, usageSums } from '../support/usageRows'

let desk: TestDesk
beforeAll(async () => {
  desk = await openTestDesk()
})
afterAll(async () => {
  await desk.close()
})

const MARCH = { from: '2026-03-01T00:00:00Z', to: '2026-04-01T00:00:00Z' }

const count = (sql: string, params: (string | number)[] = []) => desk.app.core.engine.read((r) => r.get<{ n: number }>(sql, params)!.n)
const auditCount = () => count('SELECT count(*) AS n FROM audit_log')
const balanceOf = async (id: number) => (await desk.ok('customers.get', { id })).balanceMinor

async function rerate(input: InputOf<'rerating.start'>): Promise<JobSnapshot<ReratingResult>> {
  const job = await desk.ok('rerating.start', input)
  await desk.app.core.jobs.settle()
  return desk.ok('rerating.status', { jobId: job.id })
}

/** A March world: two customers rated with a wrong list (0.90/min for UK mobiles), one April call outside the period. */
async function marchWorld() {
  const world = await usageWorld(desk)
  await world.upload('2026-03-01T00:00:00Z', '44,UK,0.10,0,60,60,0', '4475,UK mobile,0.90,0,60,60,0')
  const easy = await world.customer({ companyName: 'EasyCall Ltd.' })
  const smart = await world.customer({ companyName: 'SmartCall Ltd.' })
  const call = (customerId: number, startedAt: string, durationS: number, destination: string) => ({
    customerId,
    serviceId: world.serviceId,
    startedAt,
    durationS,
    destination
  })
  const ids = insertUsage(desk, [
    call(easy.id, '2026-03-02T10:00:00Z', 120, '447500111222'), // 1.80 -> 0.20
    call(easy.id, '2026-03-03T10:00:00Z', 60, '442071234567'), // 0.10, unchanged
    call(smart.id, '2026-03-31T23:59:59Z', 30, '447500333444'), // 0.90 -> 0.10
    call(smart.id, '2026-04-01T00:00:00Z', 60, '447500333444') // April: outside the period
  ])
  return { world, easy, smart, ids }
}

describe('re-rating a period (the March story)', () => {
  it('previews without writing, applies one audited correction per customer, and a second apply changes nothing', async () => {
    const { world, easy, smart, ids } = await marchWorld()
    const scope = { kind: 'class' as const, classId: world.klass.id }
    const easyBefore = await balanceOf(easy.id)
    const smartBefore = await balanceOf(smart.id)
    expect(easyBefore).toBe(190)
    expect(smartBefore).toBe(180)

    // The corrected list, uploaded at the same instant as the wrong one.
    await world.upload('2026-03-01T00:00:00Z', '44,UK,0.10,0,60,60,0')

    const auditBefore = auditCount()
    const xdrsBefore = count('SELECT count(*) AS n FROM xdrs')
    const preview = await desk.ok('rerating.preview', { scope, ...MARCH, priceListId: null })
    expect(auditCount()).toBe(auditBefore)
    expect(count('SELECT count(*) AS n FROM xdrs')).toBe(xdrsBefore)
    expect(preview.recordsConsidered).toBe(3)
    expect(preview.recordsChanged).toBe(2)
    expect(preview.customers).toEqual([
      { customerId: easy.id, customerName: easy.customerId, currency: 'USD', records: 1, oldTotalMinor: 190, newTotalMinor: 30, differenceMinor: -160 },
      { customerId: smart.id, customerName: smart.customerId, currency: 'USD', records: 1, oldTotalMinor: 90, newTotalMinor: 10, differenceMinor: -80 }
    ])
    expect(preview.totals).toEqual([{ currency: 'USD', oldTotalMinor: 280, newTotalMinor: 40, differenceMinor: -240 }])
    expect(preview.changes.map((c) => [c.xdrId, c.oldChargeMinor, c.newChargeMinor])).toEqual([
      [ids[0], 180, 20],
      [ids[2], 90, 10]
    ])

    const done = await rerate({ scope, ...MARCH, priceListId: null })
    expect(done.state).toBe('completed')
    expect(done.progress).toMatchObject({ done: 2, total: 2, unit: 'customers' })
    expect(done.result).toMatchObject({ customersChanged: 2, recordsChanged: 2, cancelled: false })
    expect(done.result?.totals).toEqual([{ currency: 'USD', oldTotalMinor: 280, newTotalMinor: 40, differenceMinor: -240 }])
    expect(await balanceOf(easy.id)).toBe(easyBefore - 160)
    expect(await balanceOf(smart.id)).toBe(smartBefore - 80)
    // One correction per customer, named by the re-rating; the usage records keep what was posted.
    const corrections = desk.app.core.engine.read((r) =>
      r.all<{ customer_id: number; amount_minor: number; rerating_id: number }>(
        "SELECT customer_id, amount_minor, rerating_id FROM xdrs WHERE kind = 'rerating-correction' AND customer_id IN (?, ?) ORDER BY customer_id",
        [easy.id, smart.id]
      )
    )
    expect(corrections).toEqual([
      { customer_id: easy.id, amount_minor: -160, rerating_id: done.result?.reratingId },
      { customer_id: smart.id, amount_minor: -80, rerating_id: done.result?.reratingId }
    ])
    expect(count('SELECT amount_minor AS n FROM xdrs WHERE id = ?', [ids[0]!])).toBe(180)
    expect(count('SELECT charge_minor AS n FROM xdrs WHERE id = ?', [ids[0]!])).toBe(20)
    // The April call is outside the period and keeps its wrong charge.
    expect(count('SELECT charge_minor AS n FROM xdrs WHERE id = ?', [ids[3]!])).toBe(90)
    const audit = await desk.ok('audit.list', { limit: 10 })
    const entries = audit.filter((a) => a.kind === 'usage.rerating')
    expect(entries.map((a) => a.customerId).sort()).toEqual([easy.id, smart.id].sort())
    expect(entries.find((a) => a.customerId === easy.id)?.description).toMatch(
      /Usage total changed from 1\.90 to 0\.30 \(decreased by 1\.60\).*1 record.*Balance changed from 1\.90 to 0\.30/
    )
    expect((await desk.ok('ledger.check', {})).ok).toBe(true)
    for (const c of [easy, smart]) {
      const s = usageSums(desk, c.id)
      expect(s.charge).toBe(s.amount + s.corrections)
    }

    // Invoicing (issue 10) reads which customer periods a re-rating made out of date.
    const periods = await desk.ok('rerating.outOfDatePeriods', { customerId: easy.id })
    expect(periods).toEqual([
      expect.objectContaining({
        reratingId: done.result?.reratingId,
        customerId: easy.id,
        from: '2026-03-01T00:00:00.000Z',
        to: '2026-04-01T00:00:00.000Z',
        differenceMinor: -160
      })
    ])
    const history = await desk.ok('rerating.history', {})
    expect(history[0]).toMatchObject({ id: done.result?.reratingId, state: 'completed', customers: 2, records: 2, scope, priceListId: null })

    // The same period again with the same list: nothing to change, nothing written.
    const auditAfter = auditCount()
    const xdrsAfter = count('SELECT count(*) AS n FROM xdrs')
    const reratingsAfter = count('SELECT count(*) AS n FROM reratings')
    const again = await desk.ok('rerating.preview', { scope, ...MARCH, priceListId: null })
    expect(again.recordsChanged).toBe(0)
    expect(again.customers).toEqual([])
    const second = await rerate({ scope, ...MARCH, priceListId: null })
    expect(second.result).toMatchObject({ reratingId: null, customersChanged: 0, recordsChanged: 0 })
    expect(auditCount()).toBe(auditAfter)
    expect(count('SELECT count(*) AS n FROM xdrs')).toBe(xdrsAfter)
    expect(count('SELECT count(*) AS n FROM reratings')).toBe(reratingsAfter)
    expect(await balanceOf(easy.id)).toBe(easyBefore - 160)
  })

  it('re-rates only the picked customers', async () => {
    const { world, easy, smart } = await marchWorld()
    await world.upload('2026-03-01T00:00:00Z', '44,UK,0.10,0,60,60,0')
    const smartBefore = await balanceOf(smart.id)
    const done = await rerate({ scope: { kind: 'customers', customerIds: [easy.id] }, ...MARCH, priceListId: null })
    expect(done.result).toMatchObject({ customersChanged: 1, recordsChanged: 1 })
    expect(await balanceOf(smart.id)).toBe(smartBefore)
  })

  it('rates with one chosen list, and skips and lists customers in another currency', async () => {
    const { easy, smart } = await marchWorld()
    const eurWorld = await usageWorld(desk, { currency: 'EUR' })
    const euro = await eurWorld.customer()
    const chosen = await desk.ok('priceLists.create', { name: 'Chosen USD list', currency: 'USD' })
    await desk.ok('priceLists.uploadVersion', {
      priceListId: chosen.id,
      csv: 'prefix,price_per_minute,connection_fee,first_interval,next_interval,free_seconds\n44,0.05,0,60,60,0',
      effectiveFrom: '2026-01-01T00:00:00Z'
    })
    const scope = { kind: 'customers' as const, customerIds: [easy.id, smart.id, euro.id] }
    const preview = await desk.ok('rerating.preview', { scope, ...MARCH, priceListId: chosen.id })
    expect(preview.priceListName).toBe('Chosen USD list')
    expect(preview.skipped).toEqual([{ customerId: euro.id, customerName: euro.customerId, currency: 'EUR', reason: 'billed in EUR; the chosen list is in USD' }])
    expect(preview.customers.map((c) => [c.customerId, c.newTotalMinor])).toEqual([
      [easy.id, 15], // 2 min + 1 min at 0.05
      [smart.id, 5]
    ])
  })

  it('keeps the charge of a rated record the new list cannot rate, and counts it', async () => {
    const { world, easy, ids } = await marchWorld()
    // The "corrected" list lost the landline prefix 44.
    await world.upload('2026-03-01T00:00:00Z', '4475,UK mobile,0.20,0,60,60,0')
    const scope = { kind: 'customers' as const, customerIds: [easy.id] }
    const preview = await desk.ok('rerating.preview', { scope, ...MARCH, priceListId: null })
    expect(preview.recordsNotRated).toBe(1)
    expect(preview.customers).toEqual([expect.objectContaining({ oldTotalMinor: 190, newTotalMinor: 50, differenceMinor: -140 })])
    await rerate({ scope, ...MARCH, priceListId: null })
    expect(count('SELECT charge_minor AS n FROM xdrs WHERE id = ?', [ids[1]!])).toBe(10)
    expect(count("SELECT count(*) AS n FROM xdrs WHERE id = ? AND rating = 'rated'", [ids[1]!])).toBe(1)
  })

  it('rates records that were unrated: a prefix added since, an account created since', async () => {
    const world = await usageWorld(desk)
    await world.upload('2026-03-01T00:00:00Z', '44,UK,0.10,0,60,60,0')
    const c = await world.customer()
    const [french, orphan] = insertUsage(desk, [
      { customerId: c.id, serviceId: world.serviceId, startedAt: '2026-03-05T09:00:00Z', durationS: 60, destination: '33123456789' },
      { customerId: null, accountRef: `booth-${c.id}`, serviceId: world.serviceId, startedAt: '2026-03-06T09:00:00Z', durationS: 120, destination: '4420' }
    ])
    expect(count('SELECT count(*) AS n FROM xdrs WHERE id IN (?, ?) AND rating = ?', [french!, orphan!, 'unrated'])).toBe(2)
    await world.upload('2026-03-01T00:00:00Z', '44,UK,0.10,0,60,60,0', '33,France,0.30,0,60,60,0')
    await desk.ok('customers.addAccount', { id: c.id, accountId: `BOOTH-${c.id}` })
    const before = await balanceOf(c.id)

    const preview = await desk.ok('rerating.preview', { scope: { kind: 'customers', customerIds: [c.id] }, ...MARCH, priceListId: null })
    expect(preview.changes.map((x) => [x.xdrId, x.oldRating, x.newRating, x.newChargeMinor])).toEqual([
      [french, 'unrated', 'rated', 30],
      [orphan, 'unrated', 'rated', 20]
    ])
    await rerate({ scope: { kind: 'customers', customerIds: [c.id] }, ...MARCH, priceListId: null })
    expect(await balanceOf(c.id)).toBe(before + 50)
    const row = desk.app.core.engine.read((r) =>
      r.get<{ customer_id: number; account_id: number; rating: string }>('SELECT customer_id, account_id, rating FROM xdrs WHERE id = ?', [orphan!])
    )
    expect(row).toMatchObject({ customer_id: c.id, rating: 'rated' })
    expect(row?.account_id).toBeGreaterThan(0)
    expect((await desk.ok('ledger.check', {})).ok).toBe(true)
  })

  it('Cancel stops between customers: what is done stays done, the rest is untouched', async () => {
    const { world, easy, smart } = await marchWorld()
    await world.upload('2026-03-01T00:00:00Z', '44,UK,0.10,0,60,60,0')
    const before = [await balanceOf(easy.id), await balanceOf(smart.id)]
    const job = await desk.ok('rerating.start', { scope: { kind: 'class', classId: world.klass.id }, ...MARCH, priceListId: null })
    // Cancelled before the job's first turn: no customer is re-rated.
    const cancelled = await desk.ok('rerating.cancel', { jobId: job.id })
    expect(cancelled.state).toBe('running')
    await desk.app.core.jobs.settle()
    const end = await desk.ok('rerating.status', { jobId: job.id })
    expect(end.state).toBe('cancelled')
    expect(end.result).toMatchObject({ cancelled: true, customersChanged: 0 })
    expect([await balanceOf(easy.id), await balanceOf(smart.id)]).toEqual(before)
    // The cancel is in the log, saying nothing was re-rated.
    const [entry] = await desk.ok('audit.list', { limit: 1 })
    expect(entry).toMatchObject({ kind: 'usage.rerating.cancel', operatorName: ADMIN_ACTOR.operatorName })
    expect(entry?.description).toMatch(
      /^Re-rating of the usage of 2026-03-01 00:00 – 2026-04-01 00:00 UTC with the assigned price lists cancelled before its first customer: nothing was re-rated; 2 customers in scope keep their rating\.$/
    )
    expect((await desk.ok('ledger.check', {})).ok).toBe(true)
  })

  it('Cancel between units of work: the customers before it are re-rated whole, the others untouched', async () => {
    const { world, easy, smart } = await marchWorld()
    await world.upload('2026-03-01T00:00:00Z', '44,UK,0.10,0,60,60,0')
    const before = [await balanceOf(easy.id), await balanceOf(smart.id)]
    const controller = new AbortController()
    const engine = desk.app.core.engine
    const apply = prepareRerating(engine, ADMIN_ACTOR, { scope: { kind: 'class', classId: world.klass.id }, ...MARCH, priceListId: null }, 1)
    const result = await apply({
      signal: controller.signal,
      // Cancel pressed once the first customer's unit of work has committed.
      progress: (done) => {
        if (done === 1) controller.abort()
      },
      pause: () => Promise.resolve()
    })
    expect(result).toMatchObject({ cancelled: true, customersChanged: 1, recordsChanged: 1 })
    expect([await balanceOf(easy.id), await balanceOf(smart.id)]).toEqual([before[0]! - 160, before[1]])
    expect((await desk.ok('rerating.history', {}))[0]).toMatchObject({ id: result.reratingId, state: 'cancelled', customers: 1 })
    const [entry] = await desk.ok('audit.list', { limit: 1 })
    expect(entry).toMatchObject({ kind: 'usage.rerating.cancel', source: `rerating (re-rating ${result.reratingId})` })
    expect(entry?.description).toContain(
      `Re-rating ${result.reratingId} of the usage of 2026-03-01 00:00 – 2026-04-01 00:00 UTC with the assigned price lists cancelled after 1 of 2 customers: 1 customer re-rated (1 record changed, each with its entry, usage totals changed by -1.60 USD); 1 customer not re-rated`
    )
    expect((await desk.ok('ledger.check', {})).ok).toBe(true)
  })

  it('refuses a period that ends before it starts, a customer or class or list that does not exist', async () => {
    const bad = async (input: InputOf<'rerating.preview'>) => {
      const res = await desk.call('rerating.preview', input)
      if (res.ok) throw new Error('accepted')
      return res.error
    }
    expect(await bad({ scope: { kind: 'all' }, from: MARCH.to, to: MARCH.from, priceListId: null })).toMatchObject({
      code: 'VALIDATION',
      field: 'to',
      message: expect.stringMatching(/after the start/)
    })
    expect(await bad({ scope: { kind: 'class', classId: 999_999 }, ...MARCH, priceListId: null })).toMatchObject({ code: 'NOT_FOUND', field: 'classId' })
    expect(await bad({ scope: { kind: 'customers', customerIds: [999_999] }, ...MARCH, priceListId: null })).toMatchObject({ code: 'NOT_FOUND', field: 'customerIds' })
    expect(await bad({ scope: { kind: 'all' }, ...MARCH, priceListId: 999_999 })).toMatchObject({ code: 'NOT_FOUND', field: 'priceListId' })
  })
})

describe('re-rating property', () => {
  it('after any re-ratings the ledger adds up and each charge total = usage posted + corrections', async () => {
    const world = await usageWorld(desk)
    await world.upload('2026-01-01T00:00:00Z', '44,UK,0.10,0,60,60,0')
    const customers = [await world.customer(), await world.customer(), await world.customer()]
    const days = ['2026-03-01T10:00:00Z', '2026-03-15T10:00:00Z', '2026-04-02T10:00:00Z', '2026-04-20T10:00:00Z']
    insertUsage(
      desk,
      customers.flatMap((c, i) =>
        days.map((d, j) => ({ customerId: c.id, serviceId: world.serviceId, startedAt: d, durationS: 30 + 47 * i + 61 * j, destination: '4479' }))
      )
    )
    let versionSeq = 0
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            price: fc.integer({ min: 0, max: 300 }),
            firstInterval: fc.constantFrom(1, 30, 60),
            fromDay: fc.integer({ min: 0, max: 50 }),
            days: fc.integer({ min: 1, max: 60 }),
            pick: fc.subarray([0, 1, 2], { minLength: 1 })
          }),
          { minLength: 1, maxLength: 3 }
        ),
        async (steps) => {
          for (const s of steps) {
            versionSeq += 1
            await world.upload(
              `2026-01-01T00:00:${String(versionSeq % 60).padStart(2, '0')}Z`,
              `44,UK,${(s.price / 100).toFixed(2)},0,${s.firstInterval},${s.firstInterval},0`
            )
            const from = new Date(Date.parse('2026-02-20T00:00:00Z') + s.fromDay * 86_400_000).toISOString()
            const to = new Date(Date.parse(from) + s.days * 86_400_000).toISOString()
            const preview = await desk.ok('rerating.preview', {
              scope: { kind: 'customers', customerIds: s.pick.map((i) => customers[i]!.id) },
              from,
              to,
              priceListId: null
            })
            const before = await Promise.all(customers.map((c) => balanceOf(c.id)))
            await rerate({ scope: { kind: 'customers', customerIds: s.pick.map((i) => customers[i]!.id) }, from, to, priceListId: null })
            for (const [i, c] of customers.entries()) {
              const line = preview.customers.find((l) => l.customerId === c.id)
              expect(await balanceOf(c.id)).toBe(before[i]! + (line?.differenceMinor ?? 0))
              const sums = usageSums(desk, c.id)
              expect(sums.charge).toBe(sums.amount + sums.corrections)
            }
          }
          expect((await desk.ok('ledger.check', {})).ok).toBe(true)
        }
      ),
      { numRuns: 15 }
    )
  })
})
