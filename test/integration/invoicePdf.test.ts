/**
 * Invoice PDFs as a customer reads them: the text of generated PDFs, read back with pdftotext
 * where installed and always with a ToUnicode reader (test/support/pdfText.ts), shows the
 * customer's name in any covered script, the number, every amount exactly as the screens format
 * it, VOID on a voided invoice, and never an internal comment.
 */
import { describe, expect, it } from 'vitest'
import type { InvoiceDocument } from '../../src-shared/domain'
import { INVOICE_STATUS_LABEL } from '../../src-shared/labels'
import { formatMinor, formatMoney } from '../../src-shared/money'
import { REPLACEMENT_CHARACTER } from '../../src-main/pdf/fonts'
import { invoicePdf, visibleCommentsOf } from '../../src-main/pdf/invoicePdf'
import { sampleInvoice } from '../../src-main/pdf/samples'
import { PDFDocument } from 'pdf-lib'
import { pdfReadings, pdfTextOf } from '../support/pdfText'

/** Every amount the invoice shows, written as the screens write it. */
function amountsOnScreen(inv: InvoiceDocument): string[] {
  const c = inv.currency
  return [
    ...inv.lines.map((l) => formatMinor(l.amountMinor, c)),
    ...inv.payments.map((p) => formatMinor(p.amountMinor, c)),
    formatMoney(inv.subtotalMinor, c),
    ...inv.taxes.map((t) => formatMoney(t.amountMinor, c)),
    formatMoney(inv.totalMinor, c),
    formatMoney(inv.amountDueMinor, c),
    ...(inv.previousBalanceMinor === undefined ? [] : [formatMoney(inv.previousBalanceMinor, c)])
  ]
}

async function expectPrinted(inv: InvoiceDocument, texts: string[]): Promise<string[]> {
  const pdf = await invoicePdf(inv)
  const readings = await pdfReadings(pdf)
  for (const { reader, text } of readings) {
    for (const t of texts) expect(text, `${reader} shows "${t}"`).toContain(t)
  }
  return readings.map((r) => r.text)
}

describe('invoice PDF', () => {
  it.each([
    ['Polish', 'Łódź Telekom Sp. z o.o.', 'PLN'],
    ['Russian', 'Москва Связь', 'UAH'],
    ['Greek', 'Αθήνα Τηλεπικοινωνίες Α.Ε.', 'EUR'],
    ['Turkish', 'İstanbul Çağrı Şirketi Ğüç Iı', 'USD'],
    ['Kuwaiti dinar (3 decimals)', 'Al-Kuwait Calls', 'KWD'],
    ['Japanese yen (no decimals)', 'Tokyo Calls Ltd', 'JPY']
  ])('prints a %s customer name, the number, the status and every amount exactly as on screen', async (_, name, currency) => {
    const inv = sampleInvoice({ customer: { name, customerId: 'C-1', address: 'Street 1\nCity' }, currency })
    await expectPrinted(inv, [name, inv.number, INVOICE_STATUS_LABEL[inv.status], `Amount (${currency})`, ...amountsOnScreen(inv)])
  })

  it('writes a composed letter typed as letter + combining accent as the one letter', async () => {
    await expectPrinted(sampleInvoice({ customer: { name: 'Cafe\u0301 Gdan\u0301sk', customerId: 'C-2', address: '' } }), ['Café Gdańsk'])
  })

  it('reads back a letter that an earlier document printed only inside an accented letter ("G" after "Ğ")', async () => {
    // The parsed font is shared by every document of the process: the second document's text
    // layer must not depend on what the first one drew.
    await invoicePdf(sampleInvoice({ customer: { name: 'Ğ', customerId: 'C-4', address: '' }, company: { name: 'Ğ', address: '' } }))
    await expectPrinted(sampleInvoice({ customer: { name: 'Gdańsk Gaz', customerId: 'C-5', address: '' } }), ['Gdańsk Gaz'])
  })

  it('prints a character outside Latin, Greek and Cyrillic as a replacement character, and the rest of the name', async () => {
    const [text] = await expectPrinted(sampleInvoice({ customer: { name: '東京 Telecom שלום', customerId: 'C-3', address: '' } }), ['Telecom'])
    expect(text).toContain(`${REPLACEMENT_CHARACTER}${REPLACEMENT_CHARACTER} Telecom`)
  })

  it('marks a voided invoice VOID and names its replacement; an invoice in force has no such mark', async () => {
    await expectPrinted(sampleInvoice({ void: true, status: 'void', replacedBy: 'INV-2026-000200' }), ['VOID', 'replaced by invoice INV-2026-000200', 'Void'])
    // The mark is on every page of a voided invoice that runs over several pages.
    const lines = Array.from({ length: 80 }, (_, i) => ({ description: `Service ${i}`, amountMinor: i }))
    const voided = await invoicePdf(sampleInvoice({ void: true, status: 'void', lines }))
    const pages = (await PDFDocument.load(voided)).getPageCount()
    expect(pages).toBeGreaterThan(1)
    const perPage = (await pdfTextOf(voided)).split('\f').slice(0, pages)
    for (const page of perPage) expect(page.split('\n')).toContain('VOID')
    const readings = await pdfReadings(await invoicePdf(sampleInvoice()))
    for (const { text } of readings) expect(text).not.toContain('VOID')
  })

  it('prints the visible comments and never an internal one', async () => {
    const comments = visibleCommentsOf([
      { visibleComment: 'Discount for the October outage', internalComment: 'Customer threatened to leave; approved by Anna' },
      { visibleComment: '', internalComment: 'Do not extend credit' },
      { visibleComment: 'Discount for the October outage', internalComment: '' }
    ])
    expect(comments).toEqual(['Discount for the October outage'])
    const texts = await expectPrinted(sampleInvoice({ visibleComments: comments }), ['Discount for the October outage'])
    for (const text of texts) {
      expect(text).not.toContain('threatened')
      expect(text).not.toContain('Do not extend credit')
    }
  })

  it('continues on further pages when the lines do not fit, with every amount printed once and page numbers', async () => {
    const lines = Array.from({ length: 90 }, (_, i) => ({
      description: `Service ${i + 1}: calls to zone ${i + 1}${i % 7 === 0 ? ' with a long description that wraps onto a second line of the table because it is long' : ''}`,
      detail: i % 3 === 0 ? `${i * 11} calls` : undefined,
      amountMinor: 100_000 + i * 1_001
    }))
    const subtotal = lines.reduce((s, l) => s + l.amountMinor, 0)
    const inv = sampleInvoice({ lines, subtotalMinor: subtotal, taxes: [], totalMinor: subtotal, payments: [], amountDueMinor: subtotal, status: 'open' })
    const pdf = await invoicePdf(inv)
    const doc = await PDFDocument.load(pdf)
    const pages = doc.getPageCount()
    expect(pages).toBeGreaterThanOrEqual(3)
    for (const p of doc.getPages()) expect([Math.round(p.getWidth()), Math.round(p.getHeight())]).toEqual([595, 842])
    for (const { reader, text } of await pdfReadings(pdf)) {
      for (const a of amountsOnScreen(inv)) expect(text, `${reader} shows ${a}`).toContain(a)
      expect(text).toContain(`Service 90: calls to zone 90`)
      expect(text).toContain(`page ${pages} of ${pages}`)
      expect(text).toContain(`Invoice ${inv.number} (continued)`)
    }
  })

  it('keeps a one-page invoice small: the font is subset to the glyphs used', async () => {
    const pdf = await invoicePdf(sampleInvoice())
    expect(pdf.length).toBeLessThan(30_000)
  })
})
