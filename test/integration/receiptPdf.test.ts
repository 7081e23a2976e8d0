/** The 80 mm counter receipt as the customer takes it home: its size, and what it says. */
import { PDFDocument } from 'pdf-lib'
import { describe, expect, it } from 'vitest'
import { formatDateTime } from '../../src-shared/format'
import { formatMoney } from '../../src-shared/money'
import { RECEIPT_WIDTH, receiptPdf } from '../../src-main/pdf/receiptPdf'
import { sampleReceipt } from '../../src-main/pdf/samples'
import { pdfReadings } from '../support/pdfText'

describe('80 mm receipt PDF', () => {
  it('is one page 80 mm wide, as tall as its content', async () => {
    const short = await PDFDocument.load(await receiptPdf(sampleReceipt({ appliedTo: [], visibleComment: '' })))
    const long = await PDFDocument.load(await receiptPdf(sampleReceipt({ appliedTo: Array.from({ length: 12 }, (_, i) => `INV-${i}: 1.00 UAH`) })))
    expect(short.getPageCount()).toBe(1)
    expect(Math.round((short.getPage(0).getWidth() / 72) * 25.4)).toBe(80)
    expect(long.getPage(0).getWidth()).toBeCloseTo(RECEIPT_WIDTH)
    expect(long.getPage(0).getHeight()).toBeGreaterThan(short.getPage(0).getHeight() + 12 * 10)
  })

  it('shows the company, customer, operation, amount and balance after as on screen, the operator and the receipt number', async () => {
    const r = sampleReceipt()
    for (const { reader, text } of await pdfReadings(await receiptPdf(r))) {
      for (const t of [
        r.company.name,
        'Москва Связь',
        r.customer.customerId,
        r.operation,
        formatMoney(r.amountMinor, r.currency),
        `${r.balanceLabel} after`,
        formatMoney(r.balanceAfterMinor, r.currency),
        `${r.balanceLabel} before`,
        formatMoney(r.balanceBeforeMinor!, r.currency),
        'Transaction (xDR id)',
        '22046',
        formatDateTime(r.at),
        'Zofia Żółkiewska',
        `Receipt ${r.receiptNumber}`,
        ...(r.appliedTo ?? [])
      ]) {
        expect(text, `${reader} shows "${t}"`).toContain(t)
      }
    }
  })

  it('wraps a long customer name under its label instead of running off the paper', async () => {
    const name = 'Przedsiębiorstwo Usług Telekomunikacyjnych „Żurawie” Spółka z ograniczoną odpowiedzialnością'
    const [reading] = await pdfReadings(await receiptPdf(sampleReceipt({ customer: { name, customerId: 'PUT-1' } })))
    const words = reading!.text.replace(/\s+/g, ' ')
    expect(words).toContain('Przedsiębiorstwo Usług')
    expect(words).toContain('ograniczoną odpowiedzialnością')
  })
})
