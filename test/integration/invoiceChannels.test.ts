/**
 * The Invoices channels (issue 10) through the app's handler table: close now as a job with
 * progress, the list with its filters and totals, one invoice with its lines, and bad input.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { JobSnapshot } from '../../src-shared/domain'
import { classInput, newKey, openTestDesk, type TestDesk } from '../support/desk'

let desk: TestDesk
const clock = { t: Date.parse('2026-11-21T10:00:00Z') }

beforeAll(async () => {
  desk = await openTestDesk({ now: () => clock.t })
})
afterAll(async () => desk.close())

async function untilDone<R>(snapshot: JobSnapshot<R>, status: (jobId: string) => Promise<JobSnapshot<R>>): Promise<JobSnapshot<R>> {
  let s = snapshot
  for (let i = 0; i < 2000 && s.state === 'running'; i++) {
    await new Promise((r) => setTimeout(r, 5))
    s = await status(s.id)
  }
  return s
}

describe('invoices channels', () => {
  it('close now issues invoices to date as a job; the list filters and totals them; get shows the lines', async () => {
    const { ok } = desk
    const service = desk.addVoiceService()
    const cls = await ok('classes.create', classInput({ name: 'Taxed', taxRatePpm: 100_000, invoicePrefix: 'T-' }))
    const customer = (customerId: string) =>
      ok('customers.create', { customerId, companyName: `${customerId} Ltd`, balanceControl: 'postpaid', currency: 'USD', classId: cls.id, creditLimit: null })
    const a = await customer('alpha')
    const b = await customer('beta')
    await ok('adjustments.submit', { customerId: a.id, operation: 'manual-charge', amount: '20.00', serviceId: service, operationKey: newKey() })
    await ok('adjustments.submit', { customerId: b.id, operation: 'manual-credit', amount: '5.00', serviceId: service, operationKey: newKey() })
    // The period to date ends at the moment of closing: what was posted before it is on the invoice.
    clock.t += 60_000

    const one = await untilDone(await ok('invoices.closeNow', { customerId: a.id }), (jobId) => ok('invoiceClose.status', { jobId }))
    expect(one).toMatchObject({ state: 'completed', kind: 'invoice-close', result: { invoicesIssued: 1, customers: 1 } })
    const all = await untilDone(await ok('invoices.closeNow', {}), (jobId) => ok('invoiceClose.status', { jobId }))
    expect(all.result).toEqual({ invoicesIssued: 1, customers: 1 })
    expect(all.progress).toMatchObject({ done: 1, total: 1, unit: 'customers' })

    const list = await ok('invoices.list', {})
    expect(list.rows.map((r) => [r.number, r.customerName, r.totalMinor, r.status])).toEqual([
      ['T-000002', 'beta', -550, 'no-payment-needed'],
      ['T-000001', 'alpha', 2200, 'open']
    ])
    expect(list.totals).toEqual([{ currency: 'USD', count: 2, totalMinor: 1650, amountDueMinor: 2200 }])
    expect((await ok('invoices.list', { status: 'open' })).rows.map((r) => r.number)).toEqual(['T-000001'])
    expect((await ok('invoices.list', { customerId: b.id })).rows.map((r) => r.number)).toEqual(['T-000002'])
    expect((await ok('invoices.list', { periodFrom: '2026-12-01' })).rows).toEqual([])
    expect((await ok('invoices.list', { overdue: true })).rows).toEqual([])

    const detail = await ok('invoices.get', { id: list.rows[1]!.id })
    expect(detail).toMatchObject({
      number: 'T-000001',
      chargesMinor: 2000,
      taxesMinor: 200,
      totalMinor: 2200,
      amountDueMinor: 2200,
      dueDate: '2026-12-05',
      recalculable: true,
      outOfDate: false
    })
    expect(detail.lines.map((l) => [l.description, l.amountMinor])).toEqual([
      ['Manual charges — Voice calls', 2000],
      ['Tax 10%', 200]
    ])
  })

  it("the app's scheduler task catches up the periods that ended and moves unpaid invoices to Overdue", async () => {
    clock.t = Date.parse('2026-12-16T12:00:00Z')
    expect(await desk.app.core.runInvoiceTasks()).toEqual({ issued: 2, statusChanges: 1 })
    const overdue = await desk.ok('invoices.list', { status: 'overdue' })
    expect(overdue.rows.map((r) => [r.number, r.dueDate])).toEqual([['T-000001', '2026-12-05']])
    expect((await desk.ok('invoices.list', { overdue: true })).rows.map((r) => r.customerName)).toEqual(['alpha', 'alpha'])
    expect(await desk.app.core.runInvoiceTasks()).toEqual({ issued: 0, statusChanges: 0 })
  })

  it("reduces an issued invoice's amount due: the total stays, the reduction is shown, over the amount due is refused on the amount", async () => {
    const [open] = (await desk.ok('invoices.list', { status: 'overdue' })).rows
    const after = await desk.ok('invoices.reduceAmountDue', { invoiceId: open!.id, amount: '5.00', comment: 'Goodwill' })
    expect(after).toMatchObject({ totalMinor: 2200, reducedMinor: 500, amountDueMinor: 1700, status: 'overdue' })
    expect(await desk.call('invoices.reduceAmountDue', { invoiceId: open!.id, amount: '17.01', comment: '' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', field: 'amount', message: 'A reduction cannot exceed the amount due, 17.00.' }
    })
    expect(await desk.call('invoices.reduceAmountDue', { invoiceId: open!.id, amount: 'ten', comment: '' })).toMatchObject({ ok: false, error: { field: 'amount' } })
  })

  it('refuses an unknown customer and a bad status, naming the field, and issues nothing', async () => {
    const before = (await desk.ok('invoices.list', {})).total
    const unknown = await desk.call('invoices.closeNow', { customerId: 999_999 })
    expect(unknown).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', field: 'customerId' } })
    const bad = await desk.call('invoices.list', { status: 'lost' as 'open' })
    expect(bad).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
    expect((await desk.ok('invoices.list', {})).total).toBe(before)
  })
})
