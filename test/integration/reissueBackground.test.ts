/**
 * Batch re-issue in the background (issue 11 items 3 and 5), through the channels and the app:
 * the re-issued invoices' PDFs drawn on worker threads as the batch runs and stored as their
 * current version (the voided invoice's PDF kept, a regenerated one's previous version kept as
 * superseded), Cancel of a batch the minute's check started, and the desktop notification when a
 * batch ends (the seam main.ts fills with Electron's Notification).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { NotifyDesktop } from '../../src-main/app'
import { openTestDesk, type TestDesk, untilJobDone } from '../support/desk'
import { pdfTextOf } from '../support/pdfText'
import { buildReissueStory } from '../support/reissueStory'

const clock = { t: Date.parse('2026-02-20T09:00:00Z') }
const shown: Parameters<NotifyDesktop>[0][] = []
let desk: TestDesk
let story: Awaited<ReturnType<typeof buildReissueStory>>
beforeAll(async () => {
  desk = await openTestDesk({ now: () => clock.t, notifyDesktop: (n) => shown.push(n) })
  story = await buildReissueStory(desk, desk.ok, clock)
}, 60_000)
afterAll(async () => {
  await desk.close()
})

const marchInvoice = async (customerRowId: number) => {
  const list = await desk.ok('invoices.list', { customerId: customerRowId, offset: 0, limit: 10 })
  return list.rows.find((r) => r.periodStart < '2026-03-31T23:59:59Z' && r.periodStart >= '2026-02-28T00:00:00Z' && r.status !== 'void')!
}
const versions = async (invoiceId: number) =>
  (await desk.ok('invoiceDocuments.list', { invoiceId })).map((v) => [v.version, v.status === 'void' ? 'void' : 'live', v.current] as const)

describe('a batch re-issue in the background', () => {
  it('void and renumber as a job: each new invoice has its PDF stored as it is made; the old one keeps its PDF and prints VOID; the desktop is told once, with the link', async () => {
    clock.t = Date.parse('2026-04-10T10:00:00Z')
    const first = await marchInvoice(story.ids[0]!)
    // A PDF of the old invoice was handed out before the correction.
    expect((await desk.ok('invoices.pdf', { invoiceId: first.id })).version).toBe(1)
    const started = await desk.ok('reissue.start', {
      customerIds: [story.ids[0]!, story.ids[1]!],
      issuedAfter: '2026-03-31T00:00:00Z',
      mode: 'void',
      scheduledFor: null
    })
    const done = await untilJobDone(started.job!, (jobId) => desk.ok('reissue.status', { jobId }))
    expect(done.state).toBe('completed')
    const results = await desk.ok('reissue.results', { batchId: started.batchId })
    expect(results.rows.map((r) => r.state)).toEqual(['done', 'done'])
    for (const row of results.rows) {
      // Drawn and stored by the batch, before anyone asked for it.
      expect(await versions(row.newInvoiceId!)).toEqual([[1, 'live', true]])
      const pdf = await desk.ok('invoices.pdf', { invoiceId: row.newInvoiceId! })
      expect(pdf.version).toBe(1)
      expect(await pdfTextOf(Buffer.from(pdf.pdfBase64, 'base64'))).toContain(row.newNumber!)
    }
    // The old invoice's PDF is kept as it was handed out; asked for now, it prints VOID.
    expect(await versions(first.id)).toEqual([[1, 'live', true]])
    const voided = await desk.ok('invoices.pdf', { invoiceId: first.id })
    expect(voided.version).toBe(2)
    expect(await pdfTextOf(Buffer.from(voided.pdfBase64, 'base64'))).toContain('VOID')
    expect(await versions(first.id)).toEqual([
      [2, 'void', true],
      [1, 'live', false]
    ])

    expect(shown).toEqual([
      { title: `Re-issue batch ${started.batchId} completed`, body: '2 invoices re-issued, 0 left alone.', link: `#/reissue?batch=${started.batchId}` }
    ])
    // Reading it on the list is not news.
    const notes = await desk.ok('notifications.list', {})
    await desk.ok('notifications.markRead', { ids: [notes[0]!.id] })
    expect(shown).toHaveLength(1)
  })

  it('same number: the regenerated PDF is stored as the current version, the previous one kept as superseded', async () => {
    const third = await marchInvoice(story.ids[2]!)
    expect((await desk.ok('invoices.pdf', { invoiceId: third.id })).version).toBe(1)
    const started = await desk.ok('reissue.start', { customerIds: [story.ids[2]!], issuedAfter: '2026-03-31T00:00:00Z', mode: 'same-number', scheduledFor: null })
    expect((await untilJobDone(started.job!, (jobId) => desk.ok('reissue.status', { jobId }))).state).toBe('completed')
    expect(await versions(third.id)).toEqual([
      [2, 'live', true],
      [1, 'live', false]
    ])
    const after = await desk.ok('invoices.get', { id: third.id })
    const pdf = await desk.ok('invoices.pdf', { invoiceId: third.id })
    expect(pdf.version).toBe(2)
    expect(after.totalMinor).toBeLessThan(third.totalMinor)
    expect(shown.at(-1)).toMatchObject({ title: `Re-issue batch ${started.batchId} completed`, link: `#/reissue?batch=${started.batchId}` })
  })

  it("Cancel stops a scheduled batch the minute's check is running, between customers: each invoice whole or untouched", async () => {
    const started = await desk.ok('reissue.start', {
      customerIds: story.ids,
      issuedAfter: '2026-03-31T00:00:00Z',
      mode: 'same-number',
      scheduledFor: '2026-04-10T22:00:00Z'
    })
    expect(started.job).toBeNull()
    clock.t = Date.parse('2026-04-10T22:01:00Z')
    const before = await desk.ok('reissue.results', { batchId: started.batchId })
    // The minute's check starts it (one customer a unit of work here); Cancel comes while it runs.
    const running = desk.app.core.runReissueBatches({ unitMaxMs: 0 })
    const asked = await desk.ok('reissue.cancel', { batchId: started.batchId })
    expect(asked.state).toBe('running')
    const reissued = await running
    const after = await desk.ok('reissue.results', { batchId: started.batchId })
    expect(after.batch.state).toBe('cancelled')
    expect(after.rows.at(-1)!.state).toBe('cancelled')
    expect(after.rows.filter((r) => r.state === 'done')).toHaveLength(reissued)
    expect(reissued).toBeLessThan(3)
    for (const [i, row] of after.rows.entries()) {
      const inv = await desk.ok('invoices.get', { id: row.invoiceId })
      // Untouched: the total it had when the batch was planned; re-issued: the recalculated one.
      if (row.state === 'cancelled') expect(inv.totalMinor).toBe(before.rows[i]!.oldTotalMinor)
      else expect(inv.totalMinor).toBe(row.newTotalMinor)
    }
    expect(shown.at(-1)).toMatchObject({ title: `Re-issue batch ${started.batchId} cancelled`, link: `#/reissue?batch=${started.batchId}` })
  })
})
