/**
 * A typical invoice and receipt, for the benchmark (pdf.invoices_per_s) and the PDF tests: a
 * Polish company and customer, a Cyrillic receipt, amounts from cents to hundreds of thousands.
 */
import type { InvoiceDocument, ReceiptDocument } from '../../src-shared/domain'

export const COMPANY = { name: 'Callshop Kraków Sp. z o.o.', address: 'ul. Floriańska 12\n31-019 Kraków\nNIP 676-000-00-00' }

export function sampleInvoice(over: Partial<InvoiceDocument> = {}): InvoiceDocument {
  return {
    company: COMPANY,
    customer: { name: 'Łódź Telekom Sp. z o.o.', customerId: 'LODZ-0042', address: 'ul. Piotrkowska 104\n90-926 Łódź\nPolska' },
    number: 'INV-2026-000123',
    issueDate: '2026-11-01',
    dueDate: '2026-11-15',
    period: { from: '2026-10-01', to: '2026-10-31' },
    currency: 'PLN',
    previousBalanceMinor: 4_250,
    lines: [
      { description: 'International calls', detail: '312 calls, 1,204 min', amountMinor: 123_456_78 },
      { description: 'Domestic calls', detail: '1,020 calls, 3,310 min', amountMinor: 98_765 },
      { description: 'SMS', amountMinor: 1_234 },
      { description: 'Monthly subscription — business line', amountMinor: 49_00 },
      { description: 'Credit: goodwill for an outage on 2026-10-12', amountMinor: -15_00 }
    ],
    subtotalMinor: 123_456_78 + 98_765 + 1_234 + 49_00 - 15_00,
    taxes: [{ name: 'VAT 23%', amountMinor: 28_636_52 }],
    totalMinor: 123_456_78 + 98_765 + 1_234 + 49_00 - 15_00 + 28_636_52,
    payments: [
      { date: '2026-11-03', description: 'Cash payment at the counter', amountMinor: 60_000_00 },
      { date: '2026-11-05', description: 'Reduction of the amount due', amountMinor: 30_00 }
    ],
    amountDueMinor: 123_456_78 + 98_765 + 1_234 + 49_00 - 15_00 + 28_636_52 - 60_000_00 - 30_00,
    status: 'partially-paid',
    visibleComments: ['Thank you for your business. Please quote the invoice number with your payment.'],
    void: false,
    ...over
  }
}

export function sampleReceipt(over: Partial<ReceiptDocument> = {}): ReceiptDocument {
  return {
    company: COMPANY,
    receiptNumber: 'R-000987',
    at: '2026-11-03T10:15:00Z',
    customer: { name: 'Москва Связь', customerId: 'MSK-7' },
    operation: 'Payment',
    currency: 'UAH',
    amountMinor: 1_234_567,
    balanceLabel: 'Balance',
    balanceAfterMinor: -2_50,
    operatorName: 'Zofia Żółkiewska',
    balanceBeforeMinor: 12_343_17,
    appliedTo: ['INV-2026-000120: 10,000.00 UAH', 'INV-2026-000121: 2,345.67 UAH'],
    details: [{ label: 'Transaction (xDR id)', value: '22046' }],
    visibleComment: 'Paid in cash.',
    ...over
  }
}
