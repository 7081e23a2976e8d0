/**
 * Retention of usage (issue 9, item 6; src-main/engine/usageRetention.ts): usage is kept for the
 * months set in Settings (default 2); a purge is previewed, confirmed against the cutoff the person
 * saw, audited, and replaces the purged records by one summary per customer, month and service so
 * that balances still equal the ledger; afterwards the purged period cannot be re-rated.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isUsageRecalculable } from '../../src-main/engine/usageRetention'
import { ADMIN_ACTOR, openTestDesk, type TestDesk } from '../support/desk'
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

  it("purges a busy customer's month in slices, each its own unit of work, into one summary per service", async () => {
    const world = await usageWorld(desk)
    await world.upload('2026-01-01T00:00:00Z', '44,UK,0.10,0,60,60,0')
    const busy = await world.customer()
    const sms = desk.app.core.engine.change(ADMIN_ACTOR, (w) => w.insert("INSERT INTO services (code, name, kind) VALUES ('test-sms', 'Text messages', 'messaging')"))
    const rows = []
    // 6,000 calls at one instant (a slice never splits an instant), then 6,500 spread over June,
    // and a few text messages: more than two units' worth.
    for (let i = 0; i < 6000; i++) rows.push({ customerId: busy.id, serviceId: world.serviceId, startedAt: '2026-06-02T08:00:00Z', durationS: 60, destination: '4420' })
    for (let i = 0; i < 6500; i++) {
      rows.push({
        customerId: busy.id,
        serviceId: world.serviceId,
        startedAt: new Date(Date.parse('2026-06-03T00:00:00Z') + i * 300_000).toISOString(),
        durationS: 30,
        destination: '4420'
      })
    }
    for (let i = 0; i < 3; i++) rows.push({ customerId: busy.id, serviceId: sms, startedAt: `2026-06-2${i}T10:00:00Z`, durationS: 0, destination: '4420' })
    insertUsage(desk, rows)
    const balance = (await desk.ok('customers.get', { id: busy.id })).balanceMinor
    const auditBefore = count('SELECT max(id) AS n FROM audit_log')

    const preview = await desk.ok('usage.retentionPreview', {})
    const done = await desk.ok('usage.purge', { cutoff: preview.cutoff })
    expect(done).toMatchObject({ recordsPurged: 12_503, summariesWritten: 2 })
    const summaries = desk.app.core.engine.read((r) =>
      r.all<{ service_id: number; amount_minor: number; duration_s: number; visible_comment: string }>(
        "SELECT service_id, amount_minor, duration_s, visible_comment FROM xdrs WHERE kind = 'usage-summary' AND customer_id = ? ORDER BY id",
        [busy.id]
      )
    )
    // Each call is charged a whole minute: 12,500 x 0.10; the text messages have no price list.
    expect(summaries).toEqual([
      { service_id: world.serviceId, amount_minor: 125_000, duration_s: 6000 * 60 + 6500 * 30, visible_comment: 'Usage of 2026-06: 12500 records (details purged)' },
      { service_id: sms, amount_minor: 0, duration_s: 0, visible_comment: 'Usage of 2026-06: 3 records (details purged)' }
    ])
    expect((await desk.ok('customers.get', { id: busy.id })).balanceMinor).toBe(balance)
    expect((await desk.ok('ledger.check', {})).ok).toBe(true)
    // One unit per slice: the instant's 6,000, then 5,000 and the rest (with the text messages).
    const entries = desk.app.core.engine.read((r) =>
      r.all<{ description: string }>("SELECT description FROM audit_log WHERE id > ? AND kind = 'usage.purge' AND description LIKE 'Usage of 2026-06%' ORDER BY id", [
        auditBefore
      ])
    )
    expect(entries.map((e) => e.description)).toEqual([
      'Usage of 2026-06 purged for 1 customer: 6000 records replaced by 1 summary record (balances unchanged).',
      'Usage of 2026-06 purged for 1 customer: 5000 records replaced by 0 summary records and added to 1 summary record written before (balances unchanged).',
      'Usage of 2026-06 purged for 1 customer: 1503 records replaced by 1 summary record and added to 1 summary record written before (balances unchanged).'
    ])
  })
})
