/**
 * Stored invoice PDFs (issue 10 item 5, migration 0019): the document is stored with the invoice;
 * when what it prints changes (amount due reduced, status, void, regenerated lines) the next request
 * stores a new version and keeps the previous one, unchanged, as superseded.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ADMIN_ACTOR, openTestDesk, type TestDesk } from '../support/desk'
import { issueInvoice } from '../support/issueInvoice'
import { pdfReadings } from '../support/pdfText'
import { InvoicePdfBatch } from '../../src-main/engine/invoiceDocuments'
import { invoicePdf } from '../../src-main/pdf/invoicePdf'

let desk: TestDesk
const clock = { t: Date.parse('2026-11-21T10:00:00Z') }

beforeAll(async () => {
  desk = await openTestDesk({ now: () => clock.t })
})
afterAll(async () => desk.close())

const issue = (customerId: string, amount: string) => issueInvoice(desk, clock, customerId, amount)

const flatText = async (base64: string) => (await pdfReadings(Buffer.from(base64, 'base64'))).map((r) => ({ reader: r.reader, text: r.text.replace(/\s+/g, ' ') }))

describe('stored invoice documents', () => {
  it('closing a period stores no PDF; the first request stores version 1 and later requests answer it unchanged', async () => {
    const id = await issue('DOC-1', '100.00')
    expect(await desk.ok('invoiceDocuments.list', { invoiceId: id })).toEqual([])
    const first = await desk.ok('invoices.pdf', { invoiceId: id })
    expect(first.version).toBe(1)
    const again = await desk.ok('invoices.pdf', { invoiceId: id })
    expect(again).toEqual(first)
    const versions = await desk.ok('invoiceDocuments.list', { invoiceId: id })
    expect(versions).toEqual([expect.objectContaining({ version: 1, current: true, supersededAt: null, status: 'open', amountDueMinor: 100_00 })])
    expect(versions[0]!.sizeBytes).toBe(Buffer.from(first.pdfBase64, 'base64').length)
  })

  it('a reduction makes version 2; version 1 stays as issued, marked superseded with its date', async () => {
    const id = await issue('DOC-2', '100.00')
    const v1 = await desk.ok('invoices.pdf', { invoiceId: id })
    clock.t += 3_600_000
    await desk.ok('invoices.reduceAmountDue', { invoiceId: id, amount: '30.00', comment: 'Goodwill' })
    const v2 = await desk.ok('invoices.pdf', { invoiceId: id })
    expect(v2.version).toBe(2)
    const versions = await desk.ok('invoiceDocuments.list', { invoiceId: id })
    expect(versions.map((v) => [v.version, v.current, v.amountDueMinor])).toEqual([
      [2, true, 70_00],
      [1, false, 100_00]
    ])
    expect(versions[1]!.supersededAt).toBe(new Date(clock.t).toISOString())

    const old = await desk.ok('invoiceDocuments.get', { invoiceId: id, version: 1 })
    expect(old.pdfBase64).toBe(v1.pdfBase64)
    expect(old.fileName).toMatch(/-v1\.pdf$/)
    for (const { reader, text } of await flatText(old.pdfBase64)) {
      expect(text, reader).toContain('100.00')
      expect(text, reader).not.toContain('Goodwill')
    }
    for (const { reader, text } of await flatText(v2.pdfBase64)) {
      expect(text, reader).toContain('70.00')
      expect(text, reader).toContain('Goodwill')
    }
    expect(await desk.call('invoiceDocuments.get', { invoiceId: id, version: 3 })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', field: 'version' } })
  })

  it('a voided invoice keeps its PDF as superseded and its new version is marked VOID; a regeneration with the same number too', async () => {
    const id = await issue('DOC-3', '50.00')
    await desk.ok('invoices.pdf', { invoiceId: id })
    // Issue 11 regenerates in place (same number, other lines); here its effect is written directly.
    desk.app.core.engine.change(ADMIN_ACTOR, (w) => {
      w.run('UPDATE invoice_lines SET amount_minor = 4000 WHERE invoice_id = ?', [id])
      w.run('UPDATE invoices SET charges_minor = 4000, total_minor = 4000, amount_due_minor = 4000 WHERE id = ?', [id])
    })
    const regenerated = await desk.ok('invoices.pdf', { invoiceId: id })
    expect(regenerated.version).toBe(2)
    for (const { reader, text } of await flatText(regenerated.pdfBase64)) expect(text, reader).toContain('40.00')

    desk.app.core.engine.change(ADMIN_ACTOR, (w) => w.run("UPDATE invoices SET status = 'void', voided_at = ? WHERE id = ?", [w.at, id]))
    const voided = await desk.ok('invoices.pdf', { invoiceId: id })
    expect(voided.version).toBe(3)
    for (const { reader, text } of await flatText(voided.pdfBase64)) expect(text, reader).toContain('VOID')
    const versions = await desk.ok('invoiceDocuments.list', { invoiceId: id })
    expect(versions.map((v) => [v.version, v.status, v.current])).toEqual([
      [3, 'void', true],
      [2, 'open', false],
      [1, 'open', false]
    ])
  })

  it('a stored version is never changed or deleted', async () => {
    const id = await issue('DOC-4', '10.00')
    await desk.ok('invoices.pdf', { invoiceId: id })
    expect(() => desk.app.core.engine.change(ADMIN_ACTOR, (w) => w.run('DELETE FROM invoice_documents WHERE invoice_id = ?', [id]))).toThrow(/kept/)
    expect(() => desk.app.core.engine.change(ADMIN_ACTOR, (w) => w.run("UPDATE invoice_documents SET pdf = x'00' WHERE invoice_id = ?", [id]))).toThrow(/never changed/)
  })

  it('a batch stores each drawn PDF as the current version, but not one whose invoice changed while it was drawn', async () => {
    const kept = await issue('DOC-5', '20.00')
    const moved = await issue('DOC-6', '30.00')
    const engine = desk.app.core.engine
    const batch = new InvoicePdfBatch(engine, ADMIN_ACTOR, async (doc) => {
      // A payment-like change lands on DOC-6 while its PDF is being drawn.
      if (doc.customer.customerId === 'DOC-6') engine.change(ADMIN_ACTOR, (w) => w.run('UPDATE invoices SET amount_due_minor = 1000 WHERE id = ?', [moved]))
      return invoicePdf(doc)
    })
    batch.add(kept)
    batch.add(moved)
    expect(await batch.drained()).toEqual({ stored: 1, changed: 1, failed: 0 })
    expect((await desk.ok('invoiceDocuments.list', { invoiceId: kept })).map((v) => v.version)).toEqual([1])
    expect(await desk.ok('invoiceDocuments.list', { invoiceId: moved })).toEqual([])
    // Asked for, it is drawn as it stands now.
    expect((await desk.ok('invoices.pdf', { invoiceId: moved })).version).toBe(1)
  })

  it('refuses an unknown invoice', async () => {
    expect(await desk.call('invoiceDocuments.list', { invoiceId: 999_999 })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', field: 'invoiceId' } })
  })
})
