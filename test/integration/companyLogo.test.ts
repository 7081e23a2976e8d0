/**
 * The company logo (Settings, issue 10 item 5): an administrator uploads a PNG or JPEG, checked in
 * the main process; invoices drawn afterwards carry it as an image beside the company's name, and
 * stored invoices keep the document they were issued with.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LOGO_MAX_BYTES } from '../../src-shared/contract'
import { newKey, openTestDesk, type TestDesk } from '../support/desk'
import { pdfImageCounts, pngBytes } from '../support/images'
import { issueInvoice } from '../support/issueInvoice'
import { pdfReadings } from '../support/pdfText'

let desk: TestDesk
const clock = { t: Date.parse('2026-11-21T10:00:00Z') }
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64')

beforeAll(async () => {
  desk = await openTestDesk({ now: () => clock.t })
})
afterAll(async () => desk.close())

const issue = (customerId: string) => issueInvoice(desk, clock, customerId, '100.00')

async function images(invoiceId: number): Promise<number[]> {
  const file = await desk.ok('invoices.pdf', { invoiceId })
  return (await pdfImageCounts(Buffer.from(file.pdfBase64, 'base64'))).map((c) => c.images)
}

describe('company logo', () => {
  it('is drawn on invoices issued after it is uploaded, and an invoice without one has no image', async () => {
    expect(await desk.ok('companyLogo.get', {})).toEqual({ logo: null })
    const before = await issue('LOGO-1')
    for (const n of await images(before)) expect(n).toBe(0)

    const logo = pngBytes(240, 90)
    const set = await desk.ok('companyLogo.set', { fileName: 'acme.png', dataBase64: b64(logo) })
    expect(set.logo).toMatchObject({ type: 'png', fileName: 'acme.png', width: 240, height: 90, sizeBytes: logo.length })
    expect(await desk.ok('companyLogo.get', {})).toEqual(set)
    const audit = await desk.ok('audit.list', { limit: 5 })
    expect(audit.map((a) => a.description)).toContain('Company logo set to "acme.png" (240 × 90 PNG).')

    const after = await issue('LOGO-2')
    for (const n of await images(after)) expect(n).toBe(1)
    // The company's name and address are still printed beside it.
    const text = (await pdfReadings(Buffer.from((await desk.ok('invoices.pdf', { invoiceId: after })).pdfBase64, 'base64')))[0]!.text
    expect(text).toContain('Test Callshop')
    // The counter's receipt carries it too.
    const customer = (await desk.ok('invoices.list', {})).rows.find((r) => r.id === after)!.customerId
    const operationKey = newKey()
    await desk.ok('adjustments.submit', { customerId: customer, operation: 'manual-payment', amount: '20.00', serviceId: null, operationKey })
    const receipt = await desk.ok('receipts.pdf', { operationKey })
    for (const { reader, images } of await pdfImageCounts(Buffer.from(receipt.pdfBase64, 'base64'))) expect(images, reader).toBe(1)
    // The invoice issued before keeps the document it was issued with.
    for (const n of await images(before)) expect(n).toBe(0)

    expect(await desk.ok('companyLogo.remove', {})).toEqual({ logo: null })
    const later = await issue('LOGO-3')
    for (const n of await images(later)) expect(n).toBe(0)
    expect(await desk.call('companyLogo.remove', {})).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
  })

  it.each([
    ['notes.txt', new Uint8Array(Buffer.from('hello, this is not a picture')), 'it is not a PNG or JPEG picture.'],
    ['fake.png', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...new Array(40).fill(7)]), 'cannot be used as the logo'],
    ['huge.png', new Uint8Array(LOGO_MAX_BYTES + 1), 'the logo may be at most 512 KB.']
  ])('refuses %s with a clear message on the file field and keeps the logo it had', async (fileName, bytes, message) => {
    const res = await desk.call('companyLogo.set', { fileName, dataBase64: b64(bytes) })
    expect(res).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'file' } })
    if (!res.ok) {
      expect(res.error.message).toContain(fileName)
      expect(res.error.message).toContain(message)
    }
    expect(await desk.ok('companyLogo.get', {})).toEqual({ logo: null })
  })

  it('accepts a JPEG (its size read from the frame header)', async () => {
    // The smallest JPEG pdf-lib embeds: start of image, a baseline frame header (3 components), end.
    const sof = [0xff, 0xc0, 0x00, 0x11, 0x08, 0x00, 0x20, 0x00, 0x40, 0x03, 0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01]
    const jpeg = new Uint8Array([0xff, 0xd8, ...sof, 0xff, 0xd9])
    const set = await desk.ok('companyLogo.set', { fileName: 'logo.jpg', dataBase64: b64(jpeg) })
    expect(set.logo).toMatchObject({ type: 'jpeg', width: 64, height: 32 })
    await desk.ok('companyLogo.remove', {})
  })
})
