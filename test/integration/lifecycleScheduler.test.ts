/**
 * The timed transitions (src-main/engine/lifecycleScheduler.ts): a reactivation period that ends
 * makes the customer permanently terminated, dated the day it ended; a suspension lift that ends
 * makes a still-suspended customer Suspended again; both caught up in one run after a long gap,
 * and run by the app at start-up and on its tick.
 */
import { describe, expect, it } from 'vitest'
import { openBillingApp } from '../../src-main/app'
import { applyOverdueSuspension } from '../../src-main/engine/lifecycle'
import { LIFT_ENDED_NOTE, REACTIVATION_ENDED_NOTE, runDueTransitions } from '../../src-main/engine/lifecycleScheduler'
import type { CustomerDetail } from '../../src-shared/domain'
import { tmpDataDir } from '../support/tmp'
import { ADMIN, DAY, lifecycleWorld, local, MINUTE, refusal } from '../support/lifecycleWorld'
import { TEST_ADMIN } from '../support/operators'

describe('runDueTransitions', () => {
  it('a suspension lift lasts to the end of its last day: not over at 23:59, suspended again from midnight', async () => {
    const t = await lifecycleWorld()
    const id = t.addCustomer('Late Payer')
    t.engine.change(ADMIN, (w) => applyOverdueSuspension(w, id, true, 'Invoice INV-7 overdue'))
    t.change(id, 'lift-suspension', { until: '2026-11-23', note: 'Pays on Monday' })
    expect(t.row(id)).toMatchObject({ status: 'active', suspended: 1 })

    // Not yet over at 23:59 on the last day; suspended again from midnight.
    t.clock.t = local(2026, 11, 23, 23, 59)
    expect(t.engine.change(ADMIN, runDueTransitions)).toBe(0)
    t.clock.t = local(2026, 11, 24, 0, 0)
    expect(t.engine.change(ADMIN, runDueTransitions)).toBe(1)
    expect(t.row(id)).toMatchObject({ status: 'suspended', suspended: 1, suspension_lifted_until: null })
    expect(t.history(id).at(-1)).toMatchObject({ from_status: 'active', to_status: 'suspended', note: LIFT_ENDED_NOTE })
  })

  it('provisional termination becomes permanent when the reactivation period passes, and not before', async () => {
    const t = await lifecycleWorld()
    const classId = t.addClass('Ten days', 10)
    const id = t.addCustomer('Leaving', { classId })
    const start = t.clock.t
    t.change(id, 'provisionally-terminate', { note: 'Moving abroad' })
    const deadline = new Date(local(2026, 12, 1, 10)).toISOString()
    expect(t.row(id)).toMatchObject({
      status: 'provisionally-terminated',
      lifecycle: 'provisionally-terminated',
      provisionally_terminated_at: new Date(start).toISOString(),
      reactivation_deadline: deadline
    })

    t.clock.t = Date.parse(deadline) - MINUTE
    expect(t.engine.change(ADMIN, runDueTransitions)).toBe(0)
    expect(t.row(id).status).toBe('provisionally-terminated')

    t.clock.t = Date.parse(deadline)
    expect(refusal(() => t.change(id, 'reactivate')).message).toMatch(/^The reactivation period ended on 2026-12-01 10:00/)
    expect(t.engine.change(ADMIN, runDueTransitions)).toBe(1)
    expect(t.row(id)).toMatchObject({ status: 'permanently-terminated', lifecycle: 'permanently-terminated', terminated_at: '2026-12-01' })
    expect(t.history(id).at(-1)).toMatchObject({ from_status: 'provisionally-terminated', to_status: 'permanently-terminated', note: REACTIVATION_ENDED_NOTE })
    expect(t.engine.change(ADMIN, runDueTransitions)).toBe(0)

    // Final: nothing is allowed any more, and nothing is written trying.
    const seq = t.journalSeq()
    for (const action of ['block', 'unblock', 'reactivate', 'permanently-terminate', 'export', 'clear-export', 'provisionally-terminate']) {
      expect(refusal(() => t.change(id, action)).message).toBe('Permanently terminated customers cannot change status.')
    }
    expect(t.engine.change(ADMIN, (w) => applyOverdueSuspension(w, id, true, 'overdue'))).toBe(false)
    expect(t.journalSeq()).toBe(seq)
  })

  it('runDueTransitions catches up after a long gap, in one run, through the partial indexes', async () => {
    const t = await lifecycleWorld()
    const short = t.addClass('Short', 2)
    const ids = [t.addCustomer('a', { classId: short }), t.addCustomer('b', { classId: short }), t.addCustomer('c'), t.addCustomer('d'), t.addCustomer('e')]
    t.change(ids[0]!, 'provisionally-terminate')
    t.clock.t += DAY
    t.change(ids[1]!, 'provisionally-terminate')
    t.change(ids[2]!, 'provisionally-terminate') // 30 days
    t.engine.change(ADMIN, (w) => applyOverdueSuspension(w, ids[3]!, true, 'overdue'))
    t.change(ids[3]!, 'lift-suspension', { until: '2026-11-25' })
    // e stays active throughout.

    t.clock.t += 200 * DAY // the office was closed
    expect(t.engine.change(ADMIN, runDueTransitions)).toBe(4)
    expect(ids.map((id) => t.row(id).status)).toEqual(['permanently-terminated', 'permanently-terminated', 'permanently-terminated', 'suspended', 'active'])
    // Each is dated the day its period ended, not the day the app noticed.
    expect(ids.slice(0, 3).map((id) => t.row(id).terminated_at)).toEqual(['2026-11-23', '2026-11-24', '2026-12-22'])
    expect(t.engine.change(ADMIN, runDueTransitions)).toBe(0)

    const plans = t.engine.read((r) => [
      r.all<{ detail: string }>("EXPLAIN QUERY PLAN SELECT id FROM customers c WHERE c.lifecycle = 'provisionally-terminated' AND c.reactivation_deadline <= ?", ['x']),
      r.all<{ detail: string }>('EXPLAIN QUERY PLAN SELECT id FROM customers c WHERE c.suspension_lifted_until IS NOT NULL AND c.suspension_lifted_until <= ?', ['x'])
    ])
    expect(plans[0]!.map((p) => p.detail).join(' ')).toMatch(/customers_reactivation_due/)
    expect(plans[1]!.map((p) => p.detail).join(' ')).toMatch(/customers_lift_due/)
  })
})

describe('the life-cycle scheduler in the app', () => {
  it('applies missed transitions at start-up and on its tick', async () => {
    const dataDir = tmpDataDir()
    let clock = local(2026, 11, 21, 10)
    const open = () => openBillingApp({ dataDir, now: () => clock, log: () => {}, dailyBackupDelayMs: 3_600_000 })
    const test = { transport: 'test' as const }
    let app = await open()
    expect(app.core.runLifecycleTasks()).toBe(0) // before first-run setup: nothing to do
    await app.dispatch('setup.complete', { companyName: 'Callshop', address: '', defaultCurrency: 'USD', loadDemoData: false, ...TEST_ADMIN }, test)
    const created = await app.dispatch(
      'customers.create',
      { customerId: 'Leaving', balanceControl: 'postpaid', currency: 'USD', companyName: 'Leaving Ltd', classId: null, creditLimit: null },
      test
    )
    const id = (created as { ok: true; value: CustomerDetail }).value.id
    const res = await app.dispatch('customers.changeStatus', { id, action: 'provisionally-terminate' }, test)
    expect(res).toMatchObject({ ok: true, value: { status: 'provisionally-terminated', allowedActions: ['reactivate', 'permanently-terminate'] } })
    clock += 10 * DAY
    expect(app.core.runLifecycleTasks()).toBe(0)
    await app.close()

    // The app was closed when the period ended; opening it catches up.
    clock += 60 * DAY
    app = await open()
    const after = await app.dispatch('customers.get', { id }, test)
    expect(after).toMatchObject({ ok: true, value: { status: 'permanently-terminated', terminatedAt: '2026-12-21', allowedActions: [] } })
    await app.close()
  })
})
