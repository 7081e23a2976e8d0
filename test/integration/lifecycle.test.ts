/**
 * Status changes of a customer (src-main/engine/lifecycle.ts): each one written with its history
 * line and audit entries in one commit, refusals writing nothing, the overdue-invoice suspension
 * and its lift, provisional and permanent termination, reactivation and export. The timed
 * transitions are in lifecycleScheduler.test.ts, the rules alone in lifecycleRules.test.ts.
 */
import { describe, expect, it } from 'vitest'
import { verifyAuditChain } from '../../src-main/engine/audit'
import { endOfLocalDay } from '../../src-main/engine/calendar'
import { applyOverdueSuspension, changeStatus } from '../../src-main/engine/lifecycle'
import { issueInvoicesToNow } from '../../src-main/engine/invoicing'
import { runDueTransitions } from '../../src-main/engine/lifecycleScheduler'
import { DurableStore } from '../../src-main/db/store'
import { statusChangeInput } from '../../src-shared/contract'
import { localDate } from '../../src-shared/format'
import { ADMIN, DAY, lifecycleWorld, local, refusal } from '../support/lifecycleWorld'

describe('customer life cycle', () => {
  it('every transition writes its history line and audit entries in the same commit', async () => {
    const t = await lifecycleWorld()
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
    const t = await lifecycleWorld()
    expect(refusal(() => t.change(999, 'block'))).toMatchObject({ code: 'NOT_FOUND' })
  })

  it('suspended is set only by the overdue-invoice rule and cannot be cleared by hand, but can be lifted until a date', async () => {
    const t = await lifecycleWorld()
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
    expect(refusal(() => t.engine.change(ADMIN, (w) => changeStatus(w, impossible, issueInvoicesToNow)))).toMatchObject({ code: 'VALIDATION', field: 'until' })
    t.change(id, 'lift-suspension', { until: '2026-11-23', note: 'Pays on Monday' })
    expect(t.row(id)).toMatchObject({ status: 'active', suspended: 1, suspension_lifted_until: endOfLocalDay('2026-11-23') })
    expect(t.history(id).at(-1)).toMatchObject({ from_status: 'suspended', to_status: 'active', note: 'suspension lifted until the end of 2026-11-23; Pays on Monday' })
    expect(t.audits(id).find((a) => a.field === 'suspensionLiftedUntil')?.description).toBe('Suspension lifted until the end of 2026-11-23 — Pays on Monday.')

    // Paying the invoice ends the suspension (and any lift).
    t.change(id, 'lift-suspension', { until: '2026-11-30' })
    t.engine.change(ADMIN, (w) => applyOverdueSuspension(w, id, false, 'Invoice INV-7 paid'))
    expect(t.row(id)).toMatchObject({ status: 'active', suspended: 0, suspension_lifted_until: null })
  })

  it('a lift while blocked changes no status but is still audited', async () => {
    const t = await lifecycleWorld()
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

  it('reactivation within the period restores the customer (and a block that applied before)', async () => {
    const t = await lifecycleWorld()
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

  it('permanent termination with "Generate invoice prior to the end of the billing period" issues the partial period\'s invoice in the same change', async () => {
    const t = await lifecycleWorld()
    const id = t.addCustomer('Leaving now')
    t.clock.t += DAY
    t.change(id, 'permanently-terminate', { issuePartialInvoice: true })
    const invoices = t.engine.read((r) =>
      r.all<{ period_start: string; period_end: string }>('SELECT period_start, period_end FROM invoices WHERE customer_id = ?', [id])
    )
    expect(invoices).toEqual([{ period_start: new Date(local(2026, 11, 1, 0)).toISOString(), period_end: new Date(t.clock.t).toISOString() }])
    expect(t.row(id).status).toBe('permanently-terminated')
    expect(t.audits(id).map((a) => a.kind)).toContain('invoice.issued')
  })

  it('permanent termination: date today by default, not in the future or before creation', async () => {
    const t = await lifecycleWorld()
    const id = t.addCustomer('Gone')
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
    const t = await lifecycleWorld()
    const id = t.addCustomer('Ported')
    t.change(id, 'export')
    expect(t.row(id)).toMatchObject({ status: 'exported', lifecycle: 'exported' })
    expect(refusal(() => t.change(id, 'block')).message).toBe('A customer who is exported cannot be blocked.')
    t.change(id, 'clear-export')
    expect(t.row(id)).toMatchObject({ status: 'active', lifecycle: 'active' })
    expect(t.history(id).map((h) => h.to_status)).toEqual(['active', 'exported', 'active'])
  })
})
