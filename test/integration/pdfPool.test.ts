/** PDFs drawn on worker threads: the same documents as on the main thread, and a bad one fails alone. */
import { afterEach, describe, expect, it } from 'vitest'
import { formatMoney } from '../../src-shared/money'
import { PdfWorkerPool } from '../../src-main/pdf/pdfPool'
import { sampleInvoice, sampleReceipt } from '../../src-main/pdf/samples'
import { pdfTextOf } from '../support/pdfText'

let pool: PdfWorkerPool | null = null
afterEach(async () => {
  await pool?.close()
  pool = null
})

describe('PDF worker pool', () => {
  it('draws invoices and receipts on two workers, each with its own customer and amounts', async () => {
    pool = new PdfWorkerPool(2)
    const names = ['Łódź Telekom Sp. z o.o.', 'Москва Связь', 'Αθήνα Τηλεπικοινωνίες', 'İstanbul Çağrı', 'Zürich Calls AG', 'Kraków Phone']
    const invoices = names.map((name, i) => sampleInvoice({ number: `INV-P-${i}`, customer: { name, customerId: `C-${i}`, address: '' }, amountDueMinor: 1_000 + i }))
    const [receipt, ...pdfs] = await Promise.all([
      pool.render({ kind: 'receipt', document: sampleReceipt() }),
      ...invoices.map((document) => pool!.render({ kind: 'invoice', document }))
    ])
    for (const [i, pdf] of pdfs.entries()) {
      const text = await pdfTextOf(pdf)
      expect(text).toContain(names[i])
      expect(text).toContain(`INV-P-${i}`)
      expect(text).toContain(formatMoney(1_000 + i, 'PLN'))
    }
    expect(await pdfTextOf(receipt!)).toContain('Москва Связь')
  })

  it('rejects a document it cannot draw with the reason, and goes on drawing the next one', async () => {
    pool = new PdfWorkerPool(1)
    await expect(pool.render({ kind: 'invoice', document: sampleInvoice({ currency: 'XXX' }) })).rejects.toThrow(/Unknown currency "XXX"/)
    const pdf = await pool.render({ kind: 'invoice', document: sampleInvoice() })
    expect(await pdfTextOf(pdf)).toContain('Łódź Telekom Sp. z o.o.')
  })
})
