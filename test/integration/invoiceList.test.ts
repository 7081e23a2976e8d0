/**
 * The invoice list and view (issue 10 item 6) through the app's handler table: the filters
 * (status, billing period, issue dates, customer, customers with an overdue invoice), the totals
 * of the filtered view per currency, the CSV export of the filtered view (every row, quoting,
 * amounts with the currency's exponent), the payments and reductions applied, and the events
 * that changed one invoice.
 */
import Papa from 'papaparse'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAppDispatcher } from '../../src-main/app'
import { runInvoiceTransitions } from '../../src-main/engine/lifecycleScheduler'
import type { InputOf } from '../../src-shared/contract'
import type { Operator, Role } from '../../src-shared/domain'
import { ADMIN_ACTOR, applyPaymentByHand, classInput, newKey, openTestDesk, type TestDesk, untilJobDone } from '../support/desk'

let desk: TestDesk
const clock = { t: Date.parse('2026-11-21T10:00:00Z') }
const ids: Record<string, number> = {}

/** The whole export of a filter, fetched in chunks as the page does, parsed back. */
async function exportRows(filter: Omit<InputOf<'invoices.exportCsv'>, 'offset' | 'chunkRows'>, chunkRows = 2) {
  const parts: string[] = []
  let offset: number | null = 0
  let fileName = ''
  while (offset !== null) {
    const chunk: Awaited<ReturnType<typeof desk.ok<'invoices.exportCsv'>>> = await desk.ok('invoices.exportCsv', { ...filter, offset, chunkRows })
    parts.push(chunk.csv)
    fileName = chunk.fileName
    offset = chunk.next
  }
  const text = parts.join('')
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { skipEmptyLines: true })
  return { text, fileName, header: parsed.data[0]!, rows: parsed.data.slice(1) }
}

beforeAll(async () => {
  desk = await openTestDesk({ now: () => clock.t })
  const { ok } = desk
  const service = desk.addVoiceService()
  const usd = await ok('classes.create', classInput({ name: 'Monthly USD', currency: 'USD', invoicePrefix: 'U-' }))
  const jpy = await ok('classes.create', classInput({ name: 'Monthly JPY', currency: 'JPY', invoicePrefix: 'J-' }))
  const kwd = await ok('classes.create', classInput({ name: 'Monthly KWD', currency: 'KWD', invoicePrefix: 'K-' }))
  const customer = async (customerId: string, companyName: string, currency: string, classId: number, charge: string | null) => {
    const c = await ok('customers.create', { customerId, companyName, balanceControl: 'postpaid', currency, classId, creditLimit: null })
    ids[customerId] = c.id
    const operation = charge?.startsWith('-') ? 'manual-credit' : 'manual-charge'
    if (charge) await ok('adjustments.submit', { customerId: c.id, operation, amount: charge.replace('-', ''), serviceId: service, operationKey: newKey() })
  }
  await customer('lodz', 'Łódź "Telekom", Sp. z o.o.', 'USD', usd.id, '12.30')
  await customer('kiosk', 'Corner Kiosk', 'USD', usd.id, '-5.00')
  await customer('tokyo', 'Tokyo Denwa', 'JPY', jpy.id, '1230')
  await customer('kuwait', 'Kuwait Calls', 'KWD', kwd.id, '1.234')
  // Issued 2026-11-21 (the period to date), due in 14 days: 2026-12-05.
  clock.t += 60_000
  await untilJobDone(await ok('invoices.closeNow', {}), (jobId) => ok('invoiceClose.status', { jobId }))
  // A second invoice for lodz, closed now on 2026-11-28 (due 2026-12-12).
  await ok('adjustments.submit', { customerId: ids.lodz!, operation: 'manual-charge', amount: '100.00', serviceId: service, operationKey: newKey() })
  clock.t = Date.parse('2026-11-28T12:00:00Z')
  await untilJobDone(await ok('invoices.closeNow', { customerId: ids.lodz! }), (jobId) => ok('invoiceClose.status', { jobId }))
})
afterAll(async () => desk.close())

describe('invoice list filters and totals', () => {
  it('lists newest first with the totals of every match per currency', async () => {
    const all = await desk.ok('invoices.list', {})
    expect(all.rows.map((r) => [r.number, r.customerName, r.issueDate, r.status])).toEqual([
      ['U-000003', 'lodz', '2026-11-28', 'open'],
      ['K-000001', 'kuwait', '2026-11-21', 'open'],
      ['J-000001', 'tokyo', '2026-11-21', 'open'],
      ['U-000002', 'kiosk', '2026-11-21', 'no-payment-needed'],
      ['U-000001', 'lodz', '2026-11-21', 'open']
    ])
    expect(all.total).toBe(5)
    expect(all.totals).toEqual([
      { currency: 'JPY', count: 1, totalMinor: 1230, amountDueMinor: 1230 },
      { currency: 'KWD', count: 1, totalMinor: 1234, amountDueMinor: 1234 },
      { currency: 'USD', count: 3, totalMinor: 1230 - 500 + 10_000, amountDueMinor: 1230 + 10_000 }
    ])
    // A page of one still totals every match.
    const page = await desk.ok('invoices.list', { limit: 1, offset: 1 })
    expect(page.rows.map((r) => r.number)).toEqual(['K-000001'])
    expect(page.totals).toEqual(all.totals)
  })

  it('filters by status, customer, issue dates and billing period, and totals only what matches', async () => {
    const numbers = async (f: InputOf<'invoices.list'>) => (await desk.ok('invoices.list', f)).rows.map((r) => r.number)
    expect(await numbers({ status: 'no-payment-needed' })).toEqual(['U-000002'])
    expect(await numbers({ customerId: ids.lodz! })).toEqual(['U-000003', 'U-000001'])
    expect(await numbers({ issuedFrom: '2026-11-28' })).toEqual(['U-000003'])
    expect(await numbers({ issuedTo: '2026-11-27' })).toEqual(['K-000001', 'J-000001', 'U-000002', 'U-000001'])
    expect(await numbers({ issuedFrom: '2026-11-21', issuedTo: '2026-11-21', customerId: ids.lodz! })).toEqual(['U-000001'])
    // Billing period: U-000003 covers 2026-11-21 (closed then) to 2026-11-28.
    expect(await numbers({ periodFrom: '2026-11-25', periodTo: '2026-11-26' })).toEqual(['U-000003'])
    const usdOpen = await desk.ok('invoices.list', { status: 'open', customerId: ids.lodz! })
    expect(usdOpen.totals).toEqual([{ currency: 'USD', count: 2, totalMinor: 11_230, amountDueMinor: 11_230 }])
    expect((await desk.ok('invoices.list', { status: 'paid' })).totals).toEqual([])
    // A date that is no date is refused, naming the field.
    expect(await desk.call('invoices.list', { issuedFrom: '2026-02-30' })).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'issuedFrom' } })
  })

  it('"has overdue invoice": every invoice of the customers with an overdue one, once it is overdue', async () => {
    expect((await desk.ok('invoices.list', { overdue: true })).rows).toEqual([])
    clock.t = Date.parse('2026-12-06T12:00:00Z') // the day after the due date 2026-12-05
    expect(desk.app.core.engine.change(ADMIN_ACTOR, runInvoiceTransitions)).toBe(3)
    const overdue = await desk.ok('invoices.list', { overdue: true })
    expect(overdue.rows.map((r) => [r.number, r.status])).toEqual([
      ['U-000003', 'open'],
      ['K-000001', 'overdue'],
      ['J-000001', 'overdue'],
      ['U-000001', 'overdue']
    ])
    expect((await desk.ok('invoices.list', { status: 'overdue', customerId: ids.tokyo! })).rows.map((r) => r.number)).toEqual(['J-000001'])
  })
})

describe('CSV export of the filtered view', () => {
  it('exports every row of the filter (not only a page), in chunks that join into one file', async () => {
    const all = await exportRows({}, 2)
    expect(all.fileName).toBe('invoices-2026-12-06.csv')
    expect(all.text.startsWith('\uFEFFnumber,customer_id,company_name,')).toBe(true)
    expect(all.header).toEqual([
      'number',
      'customer_id',
      'company_name',
      'period_from',
      'period_to',
      'issue_date',
      'due_date',
      'status',
      'out_of_turn',
      'currency',
      'total',
      'amount_due'
    ])
    expect(all.rows.map((r) => r[0])).toEqual(['U-000003', 'K-000001', 'J-000001', 'U-000002', 'U-000001'])
    // One header and one BOM, however many chunks.
    expect(all.text.match(/number,customer_id/g)).toHaveLength(1)
    expect(all.text.match(/\uFEFF/g)).toHaveLength(1)
    expect((await exportRows({}, 1000)).text).toBe(all.text)
  })

  it('amounts in major units with the currency exponent, quoting where needed', async () => {
    const { rows, text } = await exportRows({})
    const byNumber = new Map(rows.map((r) => [r[0], r]))
    expect(byNumber.get('U-000001')).toEqual([
      'U-000001',
      'lodz',
      'Łódź "Telekom", Sp. z o.o.',
      '2026-11-01',
      '2026-11-21',
      '2026-11-21',
      '2026-12-05',
      'Overdue',
      'no',
      'USD',
      '12.30',
      '12.30'
    ])
    // The name with a comma and quotes is one quoted field, quotes doubled.
    expect(text).toContain(',"Łódź ""Telekom"", Sp. z o.o.",')
    expect(byNumber.get('U-000002')!.slice(9)).toEqual(['USD', '-5.00', '0.00'])
    expect(byNumber.get('J-000001')!.slice(9)).toEqual(['JPY', '1230', '1230'])
    expect(byNumber.get('K-000001')!.slice(9)).toEqual(['KWD', '1.234', '1.234'])
    expect(byNumber.get('U-000003')!.slice(10)).toEqual(['100.00', '100.00'])
    // Rows end with CRLF.
    expect(text.endsWith('\r\n')).toBe(true)
  })

  it('exports only the filtered view', async () => {
    expect((await exportRows({ status: 'overdue', customerId: ids.lodz! })).rows.map((r) => r[0])).toEqual(['U-000001'])
    expect((await exportRows({ issuedFrom: '2026-11-28' })).rows.map((r) => r[0])).toEqual(['U-000003'])
    const none = await exportRows({ status: 'paid' })
    expect(none.rows).toEqual([])
    expect(none.header[0]).toBe('number')
  })
})

describe('the invoice view: payments applied, reductions, events', () => {
  it('shows the payments applied and the reductions, and the events that changed it, oldest first', async () => {
    const inv = (await desk.ok('invoices.list', { customerId: ids.lodz!, issuedTo: '2026-11-27' })).rows[0]!
    expect(inv.number).toBe('U-000001')
    clock.t = Date.parse('2026-12-07T09:00:00Z')
    await desk.ok('invoices.reduceAmountDue', { invoiceId: inv.id, amount: '2.30', comment: 'Dropped call' })
    // Payments applied to invoices are item 2's; one is applied here through the engine's hook.
    clock.t = Date.parse('2026-12-08T09:00:00Z')
    const payment = applyPaymentByHand(desk.app.core.engine, ids.lodz!, inv.id, 400)
    const view = await desk.ok('invoices.get', { id: inv.id })
    expect(view).toMatchObject({ totalMinor: 1230, reducedMinor: 230, paidMinor: 400, amountDueMinor: 600, status: 'overdue' })
    expect(view.payments).toEqual([{ at: '2026-12-08T09:00:00.000Z', xdrId: payment, kind: 'manual-payment', amountMinor: 400 }])
    expect(view.reductions).toEqual([{ at: '2026-12-07T09:00:00.000Z', xdrId: expect.any(Number), amountMinor: 230, comment: 'Dropped call' }])

    const events = await desk.ok('invoices.events', { invoiceId: inv.id })
    expect(events.map((e) => e.kind)).toEqual(['invoice.issued', 'invoice.status', 'customer.balance', 'invoice.reduced'])
    expect(events.every((e) => e.operatorName !== '')).toBe(true)
    expect(events.map((e) => e.at)).toEqual([...events.map((e) => e.at)].sort())
    expect(events[0]!.description).toMatch(/^Invoice U-000001 issued for 2026-11-01 to 2026-11-21/)
    expect(events[1]!.description).toContain('Invoice U-000001 status changed from Open to Overdue')
    expect(events[3]!.description).toBe('Invoice U-000001: amount due reduced by 2.30 from 12.30 to 10.00 — Dropped call.')
    // The other invoice of the same customer has its own events only.
    const other = (await desk.ok('invoices.list', { customerId: ids.lodz!, issuedFrom: '2026-11-28' })).rows[0]!
    const otherEvents = await desk.ok('invoices.events', { invoiceId: other.id })
    expect(otherEvents.map((e) => e.kind)).toEqual(['invoice.issued'])
    expect(otherEvents.some((e) => e.description.includes('U-000001'))).toBe(false)
  })

  it('events are for the audit log readers: a cashier is refused, an auditor reads them; an unknown invoice is NOT_FOUND', async () => {
    const inv = (await desk.ok('invoices.list', { customerId: ids.tokyo! })).rows[0]!
    const as = (role: Role) =>
      createAppDispatcher(
        desk.app.core,
        () => ({ operator: { id: 7, login: role, name: `A ${role}`, role } satisfies Operator, sessionId: null, locked: false }),
        () => {}
      )
    expect(await as('cashier').dispatch('invoices.events', { invoiceId: inv.id }, { transport: 'test' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    expect(await as('auditor').dispatch('invoices.events', { invoiceId: inv.id }, { transport: 'test' })).toMatchObject({ ok: true })
    expect(await as('auditor').dispatch('invoices.exportCsv', {}, { transport: 'test' })).toMatchObject({ ok: true })
    expect(await as('cashier').dispatch('invoices.exportCsv', {}, { transport: 'test' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    expect(await desk.call('invoices.events', { invoiceId: 999_999 })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', field: 'invoiceId' } })
  })
})
