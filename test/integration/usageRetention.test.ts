/**
 * Retention of usage (issue 9, item 6; src-main/engine/usageRetention.ts): usage is kept for the
 * months set in Settings (default 2); a purge is previewed, confirmed against the cutoff the person
 * saw, audited, and replaces the purged records by one summary per customer, month and service so
 * that balances still equal the ledger; afterwards the purged period cannot be re-rated.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isUsageRecalculable } from '../../src-main/engine/usageRetention'
import { openTestDesk, type TestDesk } from '../support/desk'
import { insertUsage, usageSums } from '../support/usageRows'
import { usageWorld } from '../support/usageWorld'

// The desk's clock: 2026-11-21, so with 2 months kept the cutoff is the start of September.
let desk: TestDesk
beforeAll(async () => {
  process.env.TZ = 'UTC'
  desk = await openTestDesk()
})
afterAll(async () => {
  await desk.close()
})

const count = (sql: string, params: (string | number)[] = []) => desk.app.core.engine.read((r) => r.get<{ n: number }>(sql, params)!.n)

describe('usage retention', () => {
  it('keeps 2 months by default; the setting is audited and validated', async () => {
    expect(await desk.ok('usage.retention', {})).toEqual({ months: 2, cutoff: '2026-09-01T00:00:00.000Z', purgedBefore: null })
    expect(await desk.ok('usage.setRetention', { months: 3 })).toMatchObject({ months: 3, cutoff: '2026-08-01T00:00:00.000Z' })
    const audit = await desk.ok('audit.list', { limit: 1 })
    expect(audit[0]?.description).toBe('Usage kept for (months) changed from "2" to "3".')
    const res = await desk.call('usage.setRetention', { months: 0 })
    expect(res.ok ? null : res.error).toMatchObject({ code: 'VALIDATION', field: 'months' })
    await desk.ok('usage.setRetention', { months: 2 })
  })

  it('previews, purges into summaries per customer, month and service, keeps balances, and refuses re-rating before the cutoff', async () => {
    const world = await usageWorld(desk)
    await world.upload('2026-01-01T00:00:00Z', '44,UK,0.10,0,60,60,0')
    const a = await world.customer()
    const b = await world.customer()
    const call = (customerId: number | null, startedAt: string, durationS: number) => ({
      customerId,
      serviceId: world.serviceId,
      startedAt,
      durationS,
      destination: '4420'
    })
    insertUsage(desk, [
      call(a.id, '2026-07-03T10:00:00Z', 60),
      call(a.id, '2026-07-20T10:00:00Z', 120),
      call(a.id, '2026-08-31T23:59:59Z', 60),
      call(a.id, '2026-09-01T00:00:00Z', 60), // kept: at the cutoff
      call(b.id, '2026-08-10T10:00:00Z', 180),
      { ...call(null, '2026-08-11T10:00:00Z', 60), accountRef: 'nobody' }
    ])
    const balances = [(await desk.ok('customers.get', { id: a.id })).balanceMinor, (await desk.ok('customers.get', { id: b.id })).balanceMinor]
    const auditBefore = count('SELECT count(*) AS n FROM audit_log')

    const preview = await desk.ok('usage.retentionPreview', {})
    expect(count('SELECT count(*) AS n FROM audit_log')).toBe(auditBefore)
    expect(preview).toMatchObject({ cutoff: '2026-09-01T00:00:00.000Z', records: 5, customers: 2, summaries: 3, unassignedRecords: 1 })
    expect(preview.months.filter((m) => m.customerId === a.id || m.customerId === b.id)).toEqual([
      { customerId: a.id, customerName: a.customerId, currency: 'USD', month: '2026-07', records: 2, amountMinor: 30 },
      { customerId: a.id, customerName: a.customerId, currency: 'USD', month: '2026-08', records: 1, amountMinor: 10 },
      { customerId: b.id, customerName: b.customerId, currency: 'USD', month: '2026-08', records: 1, amountMinor: 30 }
    ])

    // Confirming a cutoff other than the one previewed is refused.
    const stale = await desk.call('usage.purge', { cutoff: '2026-08-01T00:00:00Z' })
    expect(stale.ok ? null : stale.error).toMatchObject({ code: 'CONFLICT', field: 'cutoff' })

    const done = await desk.ok('usage.purge', { cutoff: preview.cutoff })
    expect(done).toEqual({ cutoff: '2026-09-01T00:00:00.000Z', recordsPurged: 5, summariesWritten: 3, customers: 2 })
    expect(count("SELECT count(*) AS n FROM xdrs WHERE kind = 'usage' AND started_at < '2026-09-01'")).toBe(0)
    const summaries = desk.app.core.engine.read((r) =>
      r.all<{ customer_id: number; started_at: string; amount_minor: number; charge_minor: number; duration_s: number }>(
        "SELECT customer_id, started_at, amount_minor, charge_minor, duration_s FROM xdrs WHERE kind = 'usage-summary' AND customer_id IN (?, ?) ORDER BY customer_id, started_at",
        [a.id, b.id]
      )
    )
    expect(summaries).toEqual([
      { customer_id: a.id, started_at: '2026-07-01T00:00:00.000Z', amount_minor: 30, charge_minor: 30, duration_s: 180 },
      { customer_id: a.id, started_at: '2026-08-01T00:00:00.000Z', amount_minor: 10, charge_minor: 10, duration_s: 60 },
      { customer_id: b.id, started_at: '2026-08-01T00:00:00.000Z', amount_minor: 30, charge_minor: 30, duration_s: 180 }
    ])
    expect([(await desk.ok('customers.get', { id: a.id })).balanceMinor, (await desk.ok('customers.get', { id: b.id })).balanceMinor]).toEqual(balances)
    expect((await desk.ok('ledger.check', {})).ok).toBe(true)
    const sums = usageSums(desk, a.id)
    expect(sums.charge).toBe(sums.amount + sums.corrections)
    const audit = await desk.ok('audit.list', { limit: 5 })
    // Started, July, August, and August's record of an unknown account.
    expect(audit.map((e) => e.kind).filter((k) => k === 'usage.purge')).toHaveLength(4)
    expect(audit.map((e) => e.description)).toContain('Usage of 2026-07 purged for 1 customer: 2 records replaced by 1 summary record (balances unchanged).')
    expect(audit.map((e) => e.description)).toContain('Usage of 2026-08: 1 unrated record of unknown accounts purged (they charged nothing).')

    expect(await desk.ok('usage.retention', {})).toMatchObject({ purgedBefore: '2026-09-01T00:00:00.000Z' })
    expect(desk.app.core.engine.read((r) => [isUsageRecalculable(r, '2026-08-01T00:00:00Z'), isUsageRecalculable(r, '2026-09-01T00:00:00Z')])).toEqual([false, true])
    const refused = await desk.call('rerating.preview', { scope: { kind: 'all' }, from: '2026-08-01T00:00:00Z', to: '2026-10-01T00:00:00Z', priceListId: null })
    expect(refused.ok ? null : refused.error).toMatchObject({
      code: 'VALIDATION',
      field: 'from',
      message: expect.stringMatching(/Usage before 2026-09-01 has been purged/)
    })
    expect(
      (await desk.ok('rerating.preview', { scope: { kind: 'all' }, from: '2026-09-01T00:00:00Z', to: '2026-10-01T00:00:00Z', priceListId: null })).recordsConsidered
    ).toBe(1)

    // Purging again finds nothing more to do.
    expect(await desk.ok('usage.purge', { cutoff: preview.cutoff })).toMatchObject({ recordsPurged: 0, summariesWritten: 0 })
  })
})
