/**
 * Batch re-issue through the channels (issue 11), the source page's story: the March invoices of
 * EasyCall Ltd., SmartCall Ltd. and MegaTrunk issued with a wrong price list and re-rated; the
 * selection from the re-rating's out-of-date invoices, the preview, the batch as a job, its
 * history, results and CSV, a scheduled batch cancelled, and the customer CSV.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestDesk, type TestDesk, untilJobDone } from '../support/desk'
import { buildReissueStory } from '../support/reissueStory'

const clock = { t: Date.parse('2026-02-20T09:00:00Z') }
let desk: TestDesk
let story: Awaited<ReturnType<typeof buildReissueStory>>
beforeAll(async () => {
  desk = await openTestDesk({ now: () => clock.t })
  story = await buildReissueStory(desk, desk.ok, clock)
})
afterAll(async () => {
  await desk.close()
})

describe('re-issue channels', () => {
  it("from the re-rating's out-of-date invoices: preview, then void and renumber as a job; April carries the corrected balance", async () => {
    clock.t = Date.parse('2026-04-10T10:00:00Z')
    const sel = await desk.ok('reissue.fromRerating', { reratingId: story.reratingId })
    expect(sel.customers.map((c) => c.companyName)).toEqual(['EasyCall Ltd.', 'MegaTrunk', 'SmartCall Ltd.'])
    expect(sel.issuedAfter! < '2026-04-01T00:10:00.000Z').toBe(true)
    const input = { customerIds: sel.customers.map((c) => c.id), issuedAfter: sel.issuedAfter!, mode: 'void' as const }
    const preview = await desk.ok('reissue.preview', input)
    expect(preview.rows).toHaveLength(3)
    for (const row of preview.rows) expect(row.newTotalMinor!).toBeLessThan(row.oldTotalMinor)
    const csv = await desk.ok('reissue.exportCsv', { preview: input })
    expect(csv.csv.startsWith('\uFEFFinvoice,customer_id,company_name')).toBe(true)
    expect(csv.csv.split('\r\n').filter(Boolean)).toHaveLength(4)

    const started = await desk.ok('reissue.start', { ...input, scheduledFor: null })
    const done = await untilJobDone(started.job!, (jobId) => desk.ok('reissue.status', { jobId }))
    expect(done.state).toBe('completed')
    expect(done.result).toMatchObject({ reissued: 3, skipped: 0, cancelled: false })
    const results = await desk.ok('reissue.results', { batchId: started.batchId })
    expect(results.batch).toMatchObject({ state: 'completed', invoices: 3, done: 3, mode: 'void' })
    expect(results.rows.map((r) => [r.oldNumber, r.newNumber])).toEqual([
      ['SIP-000004', 'SIP-000007'],
      ['SIP-000005', 'SIP-000008'],
      ['SIP-000006', 'SIP-000009']
    ])
    for (const [i, r] of results.rows.entries()) expect(r.newTotalMinor).toBe(preview.rows[i]!.newTotalMinor)
    const old = await desk.ok('invoices.get', { id: results.rows[0]!.invoiceId })
    expect(old.status).toBe('void')
    const fresh = await desk.ok('invoices.get', { id: results.rows[0]!.newInvoiceId! })
    expect(fresh.outOfDate).toBe(false)
    expect(fresh.lines.map((l) => l.category)).toEqual(['usage', 'correction', 'tax'])
    expect((await desk.ok('reissue.exportCsv', { batchId: started.batchId })).csv).toContain('SIP-000007')
    expect((await desk.ok('reissue.list', {}))[0]).toMatchObject({ id: started.batchId, customers: 3 })

    // April: the corrected March balance, no second correction.
    clock.t = Date.parse('2026-05-01T00:10:00Z')
    await desk.app.core.runInvoiceTasks()
    for (const id of story.ids) {
      const list = await desk.ok('invoices.list', { customerId: id, offset: 0, limit: 10 })
      const april = list.rows.find((r) => r.periodStart.startsWith('2026-04') || r.periodStart.startsWith('2026-03-31'))!
      const detail = await desk.ok('invoices.get', { id: april.id })
      expect(detail.lines.some((l) => l.category === 'correction')).toBe(false)
      expect(detail.closingBalanceMinor).toBe((await desk.ok('customers.get', { id })).balanceMinor)
    }
  })

  it('a scheduled batch waits; cancelled, it leaves every invoice untouched', async () => {
    const started = await desk.ok('reissue.start', {
      customerIds: [story.ids[0]!],
      issuedAfter: '2026-03-31T00:00:00Z',
      mode: 'same-number',
      scheduledFor: '2026-05-02T02:00:00Z'
    })
    expect(started.job).toBeNull()
    expect(await desk.app.core.runReissueBatches()).toBe(0)
    const cancelled = await desk.ok('reissue.cancel', { batchId: started.batchId })
    expect(cancelled.state).toBe('cancelled')
    const results = await desk.ok('reissue.results', { batchId: started.batchId })
    expect(results.rows.every((r) => r.state === 'cancelled')).toBe(true)
  })

  it('a CSV of customer IDs: problems listed by line', async () => {
    const parsed = await desk.ok('reissue.parseCustomerCsv', { text: '\uFEFFcustomer_id\r\nEasyCall\r\n\r\nghost\r\nEasyCall\r\nMegaTrunk\r\n' })
    expect(parsed.customers.map((c) => c.customerId)).toEqual(['EasyCall', 'MegaTrunk'])
    expect(parsed.problems.map((p) => p.line)).toEqual([4, 5])
  })
})
