/**
 * The adjustment wizard's receipt as the 80 mm receipt PDF (receipts.pdf, issue 10 item
 * 5): built from the result the wizard showed, it prints the customer's name, the amount and its
 * currency, the balance after, the operator and the visible comment — never the internal one.
 */
import { PDFDocument } from 'pdf-lib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { formatMoney } from '../../src-shared/money'
import { newKey, openTestDesk, type TestDesk } from '../support/desk'
import { pdfReadings } from '../support/pdfText'

let desk: TestDesk

beforeAll(async () => {
  desk = await openTestDesk()
})
afterAll(async () => desk.close())

describe('wizard receipt PDF', () => {
  it('prints the counter payment: customer name, amount and currency, balance after, on 80 mm paper', async () => {
    const c = await desk.ok('customers.create', {
      customerId: 'LODZ-7',
      companyName: 'Łódź Telekom Sp. z o.o.',
      balanceControl: 'postpaid',
      currency: 'PLN',
      classId: null,
      creditLimit: null
    })
    const operationKey = newKey()
    const result = await desk.ok('adjustments.submit', {
      customerId: c.id,
      operation: 'manual-payment',
      amount: '1234.50',
      serviceId: null,
      operationKey,
      visibleComment: 'Cash at the counter',
      internalComment: 'SECRET drawer 2'
    })
    const file = await desk.ok('receipts.pdf', { operationKey })
    expect(file.fileName).toBe(`receipt-${result.xdrId}.pdf`)
    const bytes = Buffer.from(file.pdfBase64, 'base64')
    const page = (await PDFDocument.load(bytes)).getPage(0)
    expect(Math.round((page.getWidth() / 72) * 25.4)).toBe(80)
    const readings = await pdfReadings(bytes)
    for (const { reader, text } of readings) {
      const flat = text.replace(/\s+/g, ' ')
      for (const expected of [
        'Manual payment',
        'Łódź Telekom Sp. z o.o.',
        'LODZ-7',
        formatMoney(123450, 'PLN'),
        formatMoney(result.balanceAfterMinor, 'PLN'),
        'Administrator',
        'Cash at the counter'
      ]) {
        expect(flat, `${reader}: ${expected}`).toContain(expected)
      }
      expect(flat, reader).toContain('PLN')
      expect(flat, reader).not.toContain('SECRET')
    }
  })

  it('refuses an operation that was never recorded', async () => {
    expect(await desk.call('receipts.pdf', { operationKey: newKey() })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', field: 'operationKey' } })
  })
})
