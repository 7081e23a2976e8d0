/**
 * The invoice PDF through the invoices.pdf channel (issue 10 item 5): an issued invoice prints the
 * customer's name (Polish and Russian), address, number, every amount the invoice view shows
 * (formatted as on screen), the applied reduction and the visible comments — never an internal one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { formatAmount, formatLastDay } from '../../src-shared/format'
import { INVOICE_STATUS_LABEL } from '../../src-shared/labels'
import type { InvoiceDetail, JobSnapshot } from '../../src-shared/domain'
import { classInput, newKey, openTestDesk, type TestDesk } from '../support/desk'
import { pdfReadings } from '../support/pdfText'

let desk: TestDesk
const clock = { t: Date.parse('2026-11-21T10:00:00Z') }

beforeAll(async () => {
  desk = await openTestDesk({ now: () => clock.t })
})
afterAll(async () => desk.close())

async function untilDone<R>(s: JobSnapshot<R>): Promise<JobSnapshot<R>> {
  for (let i = 0; i < 2000 && s.state === 'running'; i++) {
    await new Promise((r) => setTimeout(r, 5))
    s = (await desk.ok('invoiceClose.status', { jobId: s.id })) as JobSnapshot<R>
  }
  return s
}

/** Every amount InvoiceView draws for this invoice, as its text. */
function amountsOnScreen(i: InvoiceDetail): string[] {
  const c = i.currency
  const shown = [
    ...i.lines.map((l) => l.amountMinor),
    i.previousBalanceMinor,
    i.paymentsMinor,
    i.chargesMinor,
    i.taxesMinor,
    i.totalMinor,
    i.closingBalanceMinor,
    i.amountDueMinor,
    ...(i.otherMinor !== 0 ? [i.otherMinor] : []),
    ...(i.paidMinor !== 0 ? [-i.paidMinor] : []),
    ...(i.reducedMinor !== 0 ? [-i.reducedMinor] : [])
  ]
  return shown.map((m) => formatAmount(m, c))
}

describe('invoice PDF (invoices.pdf)', () => {
  it.each([
    ['Łódź Telekom Sp. z o.o.', 'LODZ-1', 'PLN', 'ul. Piotrkowska 104', 'Łódź'],
    ['Москва Связь', 'MSK-1', 'UAH', 'ул. Тверская 7', 'Москва']
  ])('prints %s with the number, every amount on screen and visible comments only', async (name, customerId, currency, address, city) => {
    const { ok } = desk
    const service = desk.addVoiceService()
    const cls = await ok('classes.create', classInput({ name: `Taxed ${customerId}`, taxRatePpm: 230_000, invoicePrefix: `${customerId}-` }))
    const customer = await ok('customers.create', {
      customerId,
      companyName: name,
      balanceControl: 'postpaid',
      currency,
      classId: cls.id,
      creditLimit: null,
      address,
      city,
      zip: '90-926'
    })
    await ok('adjustments.submit', {
      customerId: customer.id,
      operation: 'manual-charge',
      amount: '1234.56',
      serviceId: service,
      operationKey: newKey(),
      visibleComment: 'Installation of the booth',
      internalComment: 'SECRET: customer argued about the price'
    })
    await ok('adjustments.submit', { customerId: customer.id, operation: 'manual-credit', amount: '34.56', serviceId: service, operationKey: newKey() })
    // A payment received in the period: "Payments received" and the closing balance differ from every other amount.
    await ok('adjustments.submit', { customerId: customer.id, operation: 'manual-payment', amount: '200.01', serviceId: null, operationKey: newKey() })
    clock.t += 60_000
    expect((await untilDone(await ok('invoices.closeNow', { customerId: customer.id }))).state).toBe('completed')
    const [row] = (await ok('invoices.list', { customerId: customer.id })).rows
    await ok('invoices.reduceAmountDue', { invoiceId: row!.id, amount: '100.00', comment: 'Goodwill for the outage' })
    const view = await ok('invoices.get', { id: row!.id })
    expect(view.reducedMinor).toBe(100_00)

    const file = await ok('invoices.pdf', { invoiceId: row!.id })
    expect(file.fileName).toBe(`${view.number}.pdf`)
    const bytes = Buffer.from(file.pdfBase64, 'base64')
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-')
    for (const { reader, text } of await pdfReadings(bytes)) {
      const flat = text.replace(/\s+/g, ' ')
      for (const expected of [
        name,
        customerId,
        address,
        `90-926 ${city}`,
        view.number,
        INVOICE_STATUS_LABEL[view.status],
        formatLastDay(view.periodEnd),
        'Installation of the booth',
        'Goodwill for the outage'
      ]) {
        expect(flat, `${reader}: ${expected}`).toContain(expected)
      }
      for (const amount of amountsOnScreen(view)) expect(flat, `${reader}: ${amount}`).toContain(amount)
      expect(flat, reader).not.toContain('SECRET')
      // The tax is a line of its own, not a note.
      expect(flat, reader).not.toContain('on invoice')
    }
  })

  it('refuses an unknown invoice, naming the field', async () => {
    expect(await desk.call('invoices.pdf', { invoiceId: 999_999 })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
  })
})
