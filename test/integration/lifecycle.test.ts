import { describe, expect, it } from 'vitest'
import { openBillingApp } from '../../src-main/app'
import { loadSqlJs } from '../../src-main/db/sqljs'
import { DurableStore } from '../../src-main/db/store'
import { createCustomer } from '../../src-main/engine/customers'
import {
  applyOverdueSuspension,
  changeStatus,
  endOfLocalDay,
  LIFT_ENDED_NOTE,
  localDate,
  REACTIVATION_ENDED_NOTE,
  runDueTransitions
} from '../../src-main/engine/lifecycle'
import { verifyAuditChain } from '../../src-main/engine/audit'
import { Engine } from '../../src-main/engine/unitOfWork'
import { customerCreateInput, statusChangeInput } from '../../src-shared/contract'
import type { CustomerDetail } from '../../src-shared/domain'
import { AppError } from '../../src-shared/errors'
import { tmpDataDir } from '../support/tmp'

// Local times, so calendar-date rules read the same in any time zone the tests run in.
const local = (y: number, mo: number, d: number, h = 12, mi = 0) => new Date(y, mo - 1, d, h, mi).getTime()
const MINUTE = 60_000
const DAY = 24 * 60 * MINUTE
const ADMIN = { operatorId: 1, operatorName: 'Administrator' }

async function world(dataDir = tmpDataDir()) {
  const clock = { t: local(2026, 11, 21, 10) }
  const sql = await loadSqlJs()
  const store = DurableStore.open({ dataDir, sql, now: () => clock.t, log: () => {} })
  const engine = new Engine(store, () => clock.t)
  const addCustomer = (customerId: string, extra: Record<string, unknown> = {}) =>
    engine.change(ADMIN, (w) =>
      createCustomer(
        w,
        customerCreateInput.parse({ customerId, balanceControl: 'postpaid', currency: 'USD', companyName: customerId, classId: null, creditLimit: null, ...extra })
      )
    )
  const addClass = (name: string, reactivationDays: number) =>
    engine.change(ADMIN, (w) => w.insert('INSERT INTO customer_classes (name, reactivation_days) VALUES (?, ?)', [name, reactivationDays]))
  const change = (id: number, action: string, extra: Record<string, unknown> = {}) =>
    engine.change(ADMIN, (w) => changeStatus(w, statusChangeInput.parse({ id, action, ...extra })))
  const row = (id: number) =>
    engine.read(
      (r) =>
        r.get<{
          status: string
          lifecycle: string
          blocked: number
          suspended: number
          suspension_lifted_until: string | null
          provisionally_terminated_at: string | null
          reactivation_deadline: string | null
          terminated_at: string | null
        }>('SELECT * FROM customers WHERE id = ?', [id])!
    )
  const history = (id: number) =>
    engine.read((r) =>
      r.all<{ at: string; from_status: string | null; to_status: string; note: string; operator_name: string }>(
        'SELECT * FROM customer_status_history WHERE customer_id = ? ORDER BY id',
        [id]
      )
    )
  const audits = (id: number) =>
    engine.read((r) =>
      r.all<{ id: number; at: string; kind: string; field: string | null; from_value: string | null; to_value: string | null; description: string }>(
        'SELECT * FROM audit_log WHERE customer_id = ? ORDER BY id',
        [id]
      )
    )
  const journalSeq = () => Number(engine.read((r) => r.get<{ value: string }>("SELECT value FROM meta WHERE key = 'journal_seq'")!.value))
  return { clock, store, engine, addCustomer, addClass, change, row, history, audits, journalSeq, sql, dataDir }
}

function refusal(fn: () => unknown): AppError {
  try {
    fn()
  } catch (err) {
    if (err instanceof AppError) return err
    throw err
  }
  throw new Error('expected the change to be refused')
}

describe('customer life cycle', () => {
  it('every transition writes its history line and audit entries in the same commit', async () => {
    const t = await world()
    const id = t.addCustomer('Easy Call')
    const seq = t.journalSeq()
    const auditsBefore = t.audits(id).length
    t.change(id, 'block', { note: 'Fraud check' })
    // One durable commit for the columns, the status, the history line and the audit entries.
    expect(t.journalSeq()).toBe(seq + 1)
    expect(t.row(id)).toMatchObject({ status: 'blocked', blocked: 1 })
    expect(t.history(id).at(-1)).toMatchObject({ from_status: 'active', to_status: 'blocked', note: 'Fraud check', operator_name: 'Administrator' })
    const added = t.audits(id).slice(auditsBefore)
    expect(added.map((a) => [a.kind, a.field, a.from_value, a.to_value])).toEqual([
      ['customer.lifecycle', 'blocked', 'No', 'Yes'],
      ['customer.status', 'status', 'Active', 'Blocked']
    ])
    expect(added[1]!.description).toBe('Status changed from "Active" to "Blocked" (Fraud check).')

    // A crash right after: the journal replays all of it, and the audit chain is intact.
    const again = DurableStore.open({ dataDir: t.dataDir, sql: t.sql, now: () => t.clock.t, log: () => {} })
    expect(again.read((r) => r.get<{ status: string }>('SELECT status FROM customers WHERE id = ?', [id])!.status)).toBe('blocked')
    expect(again.read((r) => r.all('SELECT * FROM customer_status_history WHERE customer_id = ?', [id])).length).toBe(t.history(id).length)
    expect(again.read(verifyAuditChain).ok).toBe(true)

    // A refused change writes nothing at all.
    const seqBefore = t.journalSeq()
    const historyBefore = t.history(id).length
    expect(refusal(() => t.change(id, 'block'))).toMatchObject({ code: 'VALIDATION', field: 'action', message: 'The customer is already blocked.' })
    expect(t.journalSeq()).toBe(seqBefore)
    expect(t.history(id).length).toBe(historyBefore)

    t.change(id, 'unblock')
    expect(t.row(id)).toMatchObject({ status: 'active', blocked: 0 })
    expect(t.history(id).at(-1)).toMatchObject({ from_status: 'blocked', to_status: 'active' })
  })

  it('refuses an unknown customer with NOT_FOUND', async () => {
    const t = await world()
    expect(refusal(() => t.change(999, 'block'))).toMatchObject({ code: 'NOT_FOUND' })
  })

  it('suspended is set only by the overdue-invoice rule and cannot be cleared by hand, but can be lifted until a date', async () => {
    const t = await world()
    const id = t.addCustomer('Late Payer')
    const changed = t.engine.change(ADMIN, (w) => applyOverdueSuspension(w, id, true, 'Invoice INV-7 overdue'))
    expect(changed).toBe(true)
    expect(t.row(id)).toMatchObject({ status: 'suspended', suspended: 1 })
    expect(t.history(id).at(-1)).toMatchObject({ from_status: 'active', to_status: 'suspended', note: 'Invoice INV-7 overdue' })
    // Repeating the rule changes nothing.
    expect(t.engine.change(ADMIN, (w) => applyOverdueSuspension(w, id, true, 'again'))).toBe(false)

    // No action clears it: "unblock" says why, and the channel has no "unsuspend".
    expect(refusal(() => t.change(id, 'unblock')).message).toBe(
      'The customer is not blocked. Suspended is set by the overdue-invoice rule and cannot be cleared by hand; lift it until a date instead.'
    )
    expect(statusChangeInput.safeParse({ id, action: 'unsuspend' }).success).toBe(false)

    // The lift: until the end of a day (today or later), the customer shows Active but stays suspended.
    expect(refusal(() => t.change(id, 'lift-suspension'))).toMatchObject({ code: 'VALIDATION', field: 'until' })
    expect(refusal(() => t.change(id, 'lift-suspension', { until: '2026-11-20' }))).toMatchObject({ code: 'VALIDATION', field: 'until' })
    // The contract refuses an impossible date first; the engine still checks its own input.
    expect(statusChangeInput.safeParse({ id, action: 'lift-suspension', until: '2026-02-30' }).error?.issues[0]).toMatchObject({
      path: ['until'],
      message: 'Use a real date like 2026-11-30.'
    })
    const impossible = { ...statusChangeInput.parse({ id, action: 'lift-suspension' }), until: '2026-02-30' }
    expect(refusal(() => t.engine.change(ADMIN, (w) => changeStatus(w, impossible)))).toMatchObject({ code: 'VALIDATION', field: 'until' })
    t.change(id, 'lift-suspension', { until: '2026-11-23', note: 'Pays on Monday' })
    expect(t.row(id)).toMatchObject({ status: 'active', suspended: 1, suspension_lifted_until: endOfLocalDay('2026-11-23') })
    expect(t.history(id).at(-1)).toMatchObject({ from_status: 'suspended', to_status: 'active', note: 'suspension lifted until the end of 2026-11-23; Pays on Monday' })
    expect(t.audits(id).find((a) => a.field === 'suspensionLiftedUntil')?.description).toBe('Suspension lifted until the end of 2026-11-23 — Pays on Monday.')

    // Not yet over at 23:59 on the last day; suspended again from midnight.
    t.clock.t = local(2026, 11, 23, 23, 59)
    expect(t.engine.change(ADMIN, runDueTransitions)).toBe(0)
    t.clock.t = local(2026, 11, 24, 0, 0)
    expect(t.engine.change(ADMIN, runDueTransitions)).toBe(1)
    expect(t.row(id)).toMatchObject({ status: 'suspended', suspended: 1, suspension_lifted_until: null })
    expect(t.history(id).at(-1)).toMatchObject({ from_status: 'active', to_status: 'suspended', note: LIFT_ENDED_NOTE })

    // Paying the invoice ends the suspension (and any lift).
    t.change(id, 'lift-suspension', { until: '2026-11-30' })
    t.engine.change(ADMIN, (w) => applyOverdueSuspension(w, id, false, 'Invoice INV-7 paid'))
    expect(t.row(id)).toMatchObject({ status: 'active', suspended: 0, suspension_lifted_until: null })
  })

  it('a lift while blocked changes no status but is still audited', async () => {
    const t = await world()
    const id = t.addCustomer('Both')
    t.change(id, 'block')
    t.engine.change(ADMIN, (w) => applyOverdueSuspension(w, id, true, 'Invoice overdue'))
    expect(t.row(id).status).toBe('blocked')
    const historyBefore = t.history(id).length
    const auditsBefore = t.audits(id).length
    t.change(id, 'lift-suspension', { until: '2026-12-01' })
    expect(t.row(id).status).toBe('blocked')
    expect(t.history(id).length).toBe(historyBefore)
    const added = t.audits(id).slice(auditsBefore)
    expect(added).toHaveLength(1)
    expect(added[0]).toMatchObject({ kind: 'customer.lifecycle', field: 'suspensionLiftedUntil', from_value: null, to_value: 'the end of 2026-12-01' })
    expect(added[0]!.description).toMatch(/^Suspension lifted until the end of 2026-12-01/)
    // Unblocking now shows Active (the lift is in force), not Suspended.
    t.change(id, 'unblock')
    expect(t.row(id).status).toBe('active')
  })

  it('provisional termination becomes permanent when the reactivation period passes, and not before', async () => {
    const t = await world()
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

  it('reactivation within the period restores the customer (and a block that applied before)', async () => {
    const t = await world()
    const id = t.addCustomer('Changed mind', { blocked: true })
    t.change(id, 'provisionally-terminate')
    // Without a class the period is 30 days.
    expect(t.row(id).reactivation_deadline).toBe(new Date(local(2026, 12, 21, 10)).toISOString())
    t.clock.t += 29 * DAY
    t.change(id, 'reactivate')
    expect(t.row(id)).toMatchObject({ status: 'blocked', lifecycle: 'active', provisionally_terminated_at: null, reactivation_deadline: null })
    t.clock.t += 365 * DAY
    expect(t.engine.change(ADMIN, runDueTransitions)).toBe(0)
  })

  it('permanent termination: date today by default, not in the future or before creation; no partial invoice yet', async () => {
    const t = await world()
    const id = t.addCustomer('Gone')
    expect(refusal(() => t.change(id, 'permanently-terminate', { issuePartialInvoice: true }))).toMatchObject({
      code: 'VALIDATION',
      field: 'issuePartialInvoice',
      message: 'Invoices for the partial period arrive with the invoicing feature; clear this option to terminate now.'
    })
    expect(refusal(() => t.change(id, 'permanently-terminate', { terminationDate: '2026-11-22' }))).toMatchObject({ field: 'terminationDate' })
    expect(refusal(() => t.change(id, 'permanently-terminate', { terminationDate: '2026-11-20' })).message).toBe(
      'The termination date cannot be before the customer was created (2026-11-21).'
    )
    t.clock.t += 3 * DAY
    t.change(id, 'permanently-terminate', { terminationDate: '2026-11-22' })
    expect(t.row(id)).toMatchObject({ status: 'permanently-terminated', terminated_at: '2026-11-22' })

    const other = t.addCustomer('Gone today')
    t.change(other, 'permanently-terminate')
    expect(t.row(other).terminated_at).toBe(localDate(new Date(t.clock.t).toISOString()))
  })

  it('exported customers are inactive and can be cleared back to active', async () => {
    const t = await world()
    const id = t.addCustomer('Ported')
    t.change(id, 'export')
    expect(t.row(id)).toMatchObject({ status: 'exported', lifecycle: 'exported' })
    expect(refusal(() => t.change(id, 'block')).message).toBe('A customer who is exported cannot be blocked.')
    t.change(id, 'clear-export')
    expect(t.row(id)).toMatchObject({ status: 'active', lifecycle: 'active' })
    expect(t.history(id).map((h) => h.to_status)).toEqual(['active', 'exported', 'active'])
  })

  it('runDueTransitions catches up after a long gap, in one run, through the partial indexes', async () => {
    const t = await world()
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
    await app.dispatch('setup.complete', { companyName: 'Callshop', address: '', defaultCurrency: 'USD', loadDemoData: false }, test)
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
