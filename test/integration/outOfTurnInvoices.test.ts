/**
 * Out-of-turn invoices (src-main/engine/outOfTurnInvoices.ts, issue 10 item 4), through the
 * handler table: the counter lists the flagged charges and credits, previews the invoice, issues
 * it with a cash payment in the same step, and those items never reach the regular invoice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { invoiceDocument } from '../../src-main/engine/invoiceDocuments'
import { closeDuePeriods } from '../../src-main/engine/invoicing'
import type { InputOf } from '../../src-shared/contract'
import { ADMIN_ACTOR, classInput, newKey, openTestDesk, type TestDesk } from '../support/desk'

let desk: TestDesk
let voiceId: number
let seq = 0
const clock = { t: Date.parse('2026-11-21T10:00:00Z') }

beforeAll(async () => {
  desk = await openTestDesk({ now: () => clock.t })
  voiceId = desk.addVoiceService()
})
afterAll(async () => {
  await desk.close()
})

async function counterCustomer(taxRatePpm = 230_000) {
  const k = await desk.ok('classes.create', classInput({ name: `Counter ${++seq}`, currency: 'USD', taxRatePpm, invoicePrefix: `OT${seq}-` }))
  return desk.ok('customers.create', {
    customerId: `counter-${seq}`,
    companyName: `Counter Customer ${seq}`,
    balanceControl: 'postpaid',
    currency: 'USD',
    classId: k.id,
    creditLimit: null,
    openingBalance: ''
  })
}

async function adjust(customerId: number, operation: 'manual-charge' | 'manual-credit', amount: string, outOfTurn: boolean, visibleComment = '') {
  const r = await desk.ok('adjustments.submit', { customerId, operation, amount, serviceId: voiceId, outOfTurn, visibleComment, operationKey: newKey() })
  return r.xdrId!
}

const issue = (input: Omit<InputOf<'outOfTurn.issue'>, 'operationKey'> & { operationKey?: string }) =>
  desk.call('outOfTurn.issue', { operationKey: newKey(), ...input } as InputOf<'outOfTurn.issue'>)

const row = (id: number) =>
  desk.app.core.engine.read(
    (r) => r.get<{ balance_minor: number; unallocated_minor: number }>('SELECT balance_minor, unallocated_minor FROM customers WHERE id = ?', [id])!
  )

describe('out-of-turn invoices', () => {
  it('lists only flagged charges and credits not yet invoiced, and previews the invoice with tax', async () => {
    const c = await counterCustomer()
    const phone = await adjust(c.id, 'manual-charge', '49.99', true, 'IP phone')
    const discount = await adjust(c.id, 'manual-credit', '5.00', true, 'Counter discount')
    await adjust(c.id, 'manual-charge', '10.00', false) // a regular charge: not for the counter
    const pending = await desk.ok('outOfTurn.pending', { customerId: c.id })
    expect(pending.items.map((i) => [i.xdrId, i.kind, i.amountMinor, i.visibleComment])).toEqual([
      [phone, 'manual-charge', 4999, 'IP phone'],
      [discount, 'manual-credit', -500, 'Counter discount']
    ])
    const preview = await desk.ok('outOfTurn.preview', { customerId: c.id, xdrIds: [phone, discount] })
    // 44.99 x 23% = 10.3477 -> 10.35 (rounded once, away from zero)
    expect(preview).toMatchObject({ currency: 'USD', chargesMinor: 4499, taxesMinor: 1035, totalMinor: 5534, amountDueMinor: 5534 })
    expect(preview.lines.map((l) => [l.category, l.amountMinor])).toEqual([
      ['manual-charge', 4999],
      ['credit', -500],
      ['tax', 1035]
    ])
    expect(preview.lines.reduce((s, l) => s + l.amountMinor, 0)).toBe(preview.totalMinor)
  })

  it('issues the chosen items with a number from the class sequence, takes the cash, and the invoice is Paid', async () => {
    const c = await counterCustomer()
    const phone = await adjust(c.id, 'manual-charge', '49.99', true, 'IP phone')
    const cable = await adjust(c.id, 'manual-charge', '3.00', true, 'Cable')
    const balanceBefore = row(c.id).balance_minor
    const res = await issue({ customerId: c.id, xdrIds: [phone], cashPayment: '61.49' })
    expect(res.ok).toBe(true)
    if (!res.ok) return
    const { invoice, payment } = res.value
    expect(invoice).toMatchObject({ number: `OT${seq}-000001`, outOfTurn: true, totalMinor: 6149, amountDueMinor: 0, status: 'paid', paidMinor: 6149 })
    expect(payment).toMatchObject({ xdrId: expect.any(Number), visibleComment: `Cash payment for invoice OT${seq}-000001` })
    // The tax moved the balance; the payment took it back down: charge 49.99 + tax 11.50 - 61.49.
    expect(row(c.id).balance_minor).toBe(balanceBefore + 1150 - 6149)
    // The cable stays pending for a later visit.
    expect((await desk.ok('outOfTurn.pending', { customerId: c.id })).items.map((i) => i.xdrId)).toEqual([cable])
    const audit = await desk.ok('audit.list', { limit: 10 })
    expect(audit.some((a) => a.kind === 'invoice.issued' && a.description.startsWith(`Out-of-turn invoice OT${seq}-000001 issued for 1 item`))).toBe(true)
    expect((await desk.ok('ledger.check', {})).ok).toBe(true)
    // Its document shows only its own items: no balance carried forward.
    const doc = desk.app.core.engine.read((r) => invoiceDocument(r, invoice.id))
    expect(doc).toMatchObject({ number: invoice.number, totalMinor: 6149, amountDueMinor: 0, account: [] })
    expect(doc.previousBalanceMinor).toBeUndefined()
    expect(doc.payments.map((p) => p.amountMinor)).toEqual([-6149])
  })

  it('a repeated submission with the same key issues once; the items cannot be invoiced twice', async () => {
    const c = await counterCustomer(0)
    const item = await adjust(c.id, 'manual-charge', '12.00', true)
    const key = newKey()
    const first = await issue({ customerId: c.id, xdrIds: [item], cashPayment: '12.00', operationKey: key })
    const again = await issue({ customerId: c.id, xdrIds: [item], cashPayment: '12.00', operationKey: key })
    expect(first.ok && again.ok).toBe(true)
    if (!first.ok || !again.ok) return
    expect(again.value.repeated).toBe(true)
    expect(again.value.invoice.id).toBe(first.value.invoice.id)
    expect(row(c.id).balance_minor).toBe(0)
    const twice = await issue({ customerId: c.id, xdrIds: [item], cashPayment: null })
    expect(twice).toMatchObject({ ok: false, error: { code: 'CONFLICT', field: 'xdrIds', message: expect.stringContaining(first.value.invoice.number) } })
  })

  it('refuses items that are not this customer’s, not flagged, or none at all, and changes nothing', async () => {
    const c = await counterCustomer()
    const other = await counterCustomer()
    const theirs = await adjust(other.id, 'manual-charge', '1.00', true)
    const regular = await adjust(c.id, 'manual-charge', '2.00', false)
    const mine = await adjust(c.id, 'manual-charge', '3.00', true)
    const invoicesBefore = (await desk.ok('invoices.list', {})).total
    expect(await issue({ customerId: c.id, xdrIds: [mine, theirs], cashPayment: null })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', field: 'xdrIds' } })
    expect(await issue({ customerId: c.id, xdrIds: [regular], cashPayment: null })).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'xdrIds' } })
    expect(await issue({ customerId: c.id, xdrIds: [], cashPayment: null })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
    expect(await issue({ customerId: c.id, xdrIds: [mine], cashPayment: '1.234' })).toMatchObject({ ok: false, error: { field: 'cashPayment' } })
    expect(await issue({ customerId: 999_999, xdrIds: [mine], cashPayment: null })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
    expect((await desk.ok('invoices.list', {})).total).toBe(invoicesBefore)
    expect((await desk.ok('outOfTurn.pending', { customerId: c.id })).items.map((i) => i.xdrId)).toEqual([mine])
  })

  it('a credit-only invoice needs no payment and refuses cash', async () => {
    const c = await counterCustomer()
    const credit = await adjust(c.id, 'manual-credit', '4.00', true)
    expect(await issue({ customerId: c.id, xdrIds: [credit], cashPayment: '1.00' })).toMatchObject({ ok: false, error: { field: 'cashPayment' } })
    const res = await issue({ customerId: c.id, xdrIds: [credit], cashPayment: null })
    expect(res).toMatchObject({ ok: true, value: { invoice: { status: 'no-payment-needed', amountDueMinor: 0 } } })
  })

  it('the items and their tax never appear on the regular invoice, which still adds up to the balance', async () => {
    const c = await counterCustomer()
    await adjust(c.id, 'manual-charge', '20.00', false)
    const item = await adjust(c.id, 'manual-charge', '10.00', true)
    await issue({ customerId: c.id, xdrIds: [item], cashPayment: null })
    clock.t = Date.parse('2026-12-01T12:00:00Z')
    await closeDuePeriods(desk.app.core.engine, ADMIN_ACTOR, { customerId: c.id })
    const regular = (await desk.ok('invoices.list', { customerId: c.id })).rows.find((i) => !i.outOfTurn)!
    const detail = await desk.ok('invoices.get', { id: regular.id })
    expect(detail.lines.filter((l) => l.category !== 'tax').map((l) => [l.category, l.amountMinor])).toEqual([['manual-charge', 2000]])
    expect(detail.otherMinor).toBe(1000 + 230) // the out-of-turn item and its tax, shown apart
    expect(detail.closingBalanceMinor).toBe(row(c.id).balance_minor)
  })

  it('the cash pays the out-of-turn invoice first, even with an older regular invoice unpaid', async () => {
    const c = await counterCustomer()
    await adjust(c.id, 'manual-charge', '20.00', false)
    clock.t = Date.parse('2027-01-01T12:00:00Z')
    await closeDuePeriods(desk.app.core.engine, ADMIN_ACTOR, { customerId: c.id })
    const regular = (await desk.ok('invoices.list', { customerId: c.id })).rows.find((i) => !i.outOfTurn)!
    expect(regular.status).toBe('open')
    const item = await adjust(c.id, 'manual-charge', '10.00', true)
    const res = await issue({ customerId: c.id, xdrIds: [item], cashPayment: '12.30' })
    expect(res).toMatchObject({ ok: true, value: { invoice: { status: 'paid', amountDueMinor: 0 } } })
    expect((await desk.ok('invoices.get', { id: regular.id })).status).toBe('open')
    expect(row(c.id).unallocated_minor).toBe(0)
    expect((await desk.ok('ledger.check', {})).ok).toBe(true)
  })
})
