/**
 * Closing billing periods into invoices (src-main/engine/invoicing.ts): period boundaries per
 * class (monthly on the 1st and the 15th, weekly), the amounts and how they add up to the ledger,
 * catch-up after a long closure, charges dated in a closed period, out-of-turn records, gapless
 * numbers per prefix, the Overdue transition at the due-date boundary and the suspension rule.
 */
import { describe, expect, it } from 'vitest'
import { applyPayment } from '../../src-main/engine/invoicePayments'
import { closeDuePeriods, periodContaining, reduceAmountDue } from '../../src-main/engine/invoicing'
import { runInvoiceTransitions } from '../../src-main/engine/lifecycleScheduler'
import type { AppError } from '../../src-shared/errors'
import { postToLedger } from '../../src-main/engine/ledger'
import { getRetention, purgeUsage } from '../../src-main/engine/usageRetention'
import { ADMIN, lifecycleWorld, local, MINUTE } from '../support/lifecycleWorld'

type World = Awaited<ReturnType<typeof invoiceWorld>>

async function invoiceWorld() {
  const t = await lifecycleWorld()
  const voice = t.engine.change(ADMIN, (w) => w.insert("INSERT INTO services (code, name, kind) VALUES ('voice', 'Voice calls', 'voice')"))
  const addClass = (name: string, cols: Record<string, string | number> = {}) =>
    t.engine.change(ADMIN, (w) => {
      const all = { name, billing_period: 'monthly', billing_day: 1, due_days: 14, tax_rate_ppm: 0, invoice_prefix: 'INV-', ...cols }
      const keys = Object.keys(all)
      return w.insert(`INSERT INTO customer_classes (${keys.join(', ')}) VALUES (${keys.map(() => '?').join(', ')})`, Object.values(all))
    })
  const post = (customerId: number, kind: string, amountMinor: number, extra: { serviceId?: number | null; effectiveDate?: string; outOfTurn?: boolean } = {}) =>
    t.engine.change(ADMIN, (w) =>
      postToLedger(w, {
        kind,
        customerId,
        amountMinor,
        unallocatedDeltaMinor: kind === 'manual-payment' ? -amountMinor : 0,
        serviceId: extra.serviceId === undefined ? voice : extra.serviceId,
        effectiveDate: extra.effectiveDate ?? null,
        outOfTurn: extra.outOfTurn ?? false,
        visibleComment: '',
        internalComment: ''
      })
    )
  const close = (opts: { customerId?: number; upToNow?: boolean } = {}) => closeDuePeriods(t.engine, ADMIN, opts)
  const invoices = (customerId?: number) =>
    t.engine.read((r) =>
      r.all<Record<string, number | string | null> & { number: string; period_start: string; period_end: string; status: string }>(
        'SELECT * FROM invoices WHERE ?1 IS NULL OR customer_id = ?1 ORDER BY id',
        [customerId ?? null]
      )
    )
  const lines = (invoiceId: number) =>
    t.engine.read((r) =>
      r.all<{ category: string; description: string; amount_minor: number; records: number }>('SELECT * FROM invoice_lines WHERE invoice_id = ? ORDER BY position', [
        invoiceId
      ])
    )
  const balance = (id: number) => t.engine.read((r) => r.get<{ balance_minor: number }>('SELECT balance_minor FROM customers WHERE id = ?', [id])!.balance_minor)
  const transitions = () => t.engine.change(ADMIN, runInvoiceTransitions)
  return { ...t, voice, addClass, post, close, invoices, lines, balance, transitions }
}

const iso = (ms: number) => new Date(ms).toISOString()

/** A monthly customer with a 23% tax and a month of activity in November 2026. */
async function novemberCustomer(w: World, name = 'Kowalski') {
  const classId = w.addClass(`Monthly ${name}`, { tax_rate_ppm: 230_000 })
  const id = w.addCustomer(name, { classId })
  w.post(id, 'usage', 1000) // 10.00 of calls
  w.post(id, 'usage', 250)
  w.post(id, 'manual-charge', 500)
  w.post(id, 'manual-credit', -200)
  w.post(id, 'manual-payment', -300, { serviceId: null })
  return id
}

describe('billing periods', () => {
  it('monthly on the 1st and on the 15th, weekly on a weekday: local midnight to local midnight', () => {
    const sat = local(2026, 11, 21, 10)
    expect(periodContaining({ period: 'monthly', day: 1 }, sat)).toEqual({ start: iso(local(2026, 11, 1, 0)), end: iso(local(2026, 12, 1, 0)) })
    expect(periodContaining({ period: 'monthly', day: 15 }, sat)).toEqual({ start: iso(local(2026, 11, 15, 0)), end: iso(local(2026, 12, 15, 0)) })
    expect(periodContaining({ period: 'monthly', day: 15 }, local(2026, 11, 14, 23, 59))).toEqual({
      start: iso(local(2026, 10, 15, 0)),
      end: iso(local(2026, 11, 15, 0))
    })
    // 2026-11-21 is a Saturday: weekly on Mondays runs Mon 16th to Mon 23rd; on Saturdays from the 21st itself.
    expect(periodContaining({ period: 'weekly', day: 1 }, sat)).toEqual({ start: iso(local(2026, 11, 16, 0)), end: iso(local(2026, 11, 23, 0)) })
    expect(periodContaining({ period: 'weekly', day: 6 }, sat)).toEqual({ start: iso(local(2026, 11, 21, 0)), end: iso(local(2026, 11, 28, 0)) })
    // December to January crosses the year.
    expect(periodContaining({ period: 'monthly', day: 1 }, local(2026, 12, 31, 23))).toEqual({ start: iso(local(2026, 12, 1, 0)), end: iso(local(2027, 1, 1, 0)) })
  })

  it('a period closes at its end and not a minute before (monthly on the 15th, weekly)', async () => {
    const w = await invoiceWorld()
    const mid = w.addCustomer('Mid', { classId: w.addClass('Mid month', { billing_day: 15 }) })
    const weekly = w.addCustomer('Weekly', { classId: w.addClass('Weekly', { billing_period: 'weekly', billing_day: 1, invoice_prefix: 'W-' }) })
    w.clock.t = local(2026, 11, 23, 0) - MINUTE
    expect(await w.close()).toEqual({ invoicesIssued: 0, customers: 0 })
    w.clock.t = local(2026, 11, 23, 0)
    expect(await w.close()).toEqual({ invoicesIssued: 1, customers: 1 })
    expect(w.invoices(weekly)).toMatchObject([{ number: 'W-000001', period_start: iso(local(2026, 11, 16, 0)), period_end: iso(local(2026, 11, 23, 0)) }])
    w.clock.t = local(2026, 12, 15, 0) - MINUTE
    await w.close()
    expect(w.invoices(mid)).toEqual([])
    w.clock.t = local(2026, 12, 15, 0)
    await w.close()
    expect(w.invoices(mid)).toMatchObject([{ period_start: iso(local(2026, 11, 15, 0)), period_end: iso(local(2026, 12, 15, 0)) }])
  })
})

describe('closing a period', () => {
  it('issues the invoice: lines by service sum to the charges, tax rounded once, total, amount due, due date, closing balance = the ledger', async () => {
    const w = await invoiceWorld()
    const id = await novemberCustomer(w)
    w.clock.t = local(2026, 12, 1, 0) - MINUTE
    expect((await w.close()).invoicesIssued).toBe(0)
    w.clock.t = local(2026, 12, 1, 0, 5)
    expect((await w.close()).invoicesIssued).toBe(1)
    const [inv] = w.invoices(id)
    expect(inv).toMatchObject({
      number: 'INV-000001',
      previous_balance_minor: 0,
      payments_minor: -300,
      charges_minor: 1550,
      tax_rate_ppm: 230_000,
      taxes_minor: 357, // 15.50 x 23% = 3.565 -> 3.57 (away from zero, the default rule)
      total_minor: 1907,
      // The 3.00 paid in the period (unallocated) is applied to the new invoice at once.
      paid_minor: 300,
      amount_due_minor: 1607,
      issue_date: '2026-12-01',
      due_date: '2026-12-15',
      status: 'partially-paid'
    })
    const lines = w.lines(Number(inv!.id))
    expect(lines.map((l) => [l.category, l.description, l.records, l.amount_minor])).toEqual([
      ['usage', 'Usage — Voice calls', 2, 1250],
      ['manual-charge', 'Manual charges — Voice calls', 1, 500],
      ['credit', 'Credits — Voice calls', 1, -200],
      ['tax', 'Tax 23%', 0, 357]
    ])
    expect(lines.reduce((s, l) => s + l.amount_minor, 0)).toBe(inv!.total_minor)
    // The tax is posted to the ledger with the invoice; the closing balance is the balance now.
    expect(inv!.closing_balance_minor).toBe(w.balance(id))
    expect(w.balance(id)).toBe(1250 + 500 - 200 - 300 + 357)
    const audit = w.audits(id).filter((a) => a.kind === 'invoice.issued')
    expect(audit).toHaveLength(1)
    expect(audit[0]!.description).toMatch(/^Invoice INV-000001 issued for 2026-11-01 to 2026-11-30: .*total \$?19\.07.*due 2026-12-15\.$/)
    expect(w.audits(id).find((a) => a.kind === 'customer.balance' && a.description.includes('tax'))).toMatchObject({
      kind: 'customer.balance',
      description: expect.stringMatching(/^Balance changed from 12\.50 to 16\.07 \(increased by 3\.57\)\. Source – tax 23% on invoice INV-000001 \(xDR id \d+\)\.$/)
    })
    // The 3.00 unallocated from the period is applied to the new invoice, audited.
    expect(
      w
        .audits(id)
        .slice(-3)
        .map((a) => a.description)
    ).toEqual([
      expect.stringMatching(/^Unallocated payments changed from 3\.00 to 0\.00 \(decreased by 3\.00\)\. Applied to invoice INV-000001 \(xDR id \d+\)\.$/),
      expect.stringMatching(/^3\.00 of the unallocated payments applied to invoice INV-000001: amount due 19\.07 → 16\.07 \(Open → Partially paid\) \(xDR id \d+\)\.$/),
      'Invoice INV-000001 status changed from Open to Partially paid; amount due 16.07 USD.'
    ])
    // Closing again changes nothing.
    expect((await w.close()).invoicesIssued).toBe(0)
  })

  it('due days 0 is due on receipt; a total of 0 or less needs no payment', async () => {
    const w = await invoiceWorld()
    const id = w.addCustomer('Credit only', { classId: w.addClass('On receipt', { due_days: 0 }) })
    w.post(id, 'manual-credit', -500)
    w.clock.t = local(2026, 12, 1, 9)
    await w.close()
    expect(w.invoices(id)).toMatchObject([{ issue_date: '2026-12-01', due_date: '2026-12-01', total_minor: -500, amount_due_minor: 0, status: 'no-payment-needed' }])
    w.clock.t = local(2026, 12, 5, 9)
    expect(w.transitions()).toBe(0)
    expect(w.invoices(id)[0]!.status).toBe('no-payment-needed')
  })

  it('catches up every period missed while the app was closed, each carrying the previous closing balance forward', async () => {
    const w = await invoiceWorld()
    const id = await novemberCustomer(w)
    w.clock.t = local(2027, 1, 10, 12)
    w.post(id, 'manual-charge', 700) // posted in January, after both closings were due
    w.clock.t = local(2027, 3, 5, 8)
    expect(await w.close()).toEqual({ invoicesIssued: 4, customers: 1 })
    const all = w.invoices(id)
    expect(all.map((i) => [i.number, i.period_start])).toEqual([
      ['INV-000001', iso(local(2026, 11, 1, 0))],
      ['INV-000002', iso(local(2026, 12, 1, 0))],
      ['INV-000003', iso(local(2027, 1, 1, 0))],
      ['INV-000004', iso(local(2027, 2, 1, 0))]
    ])
    for (let i = 1; i < all.length; i++) expect(all[i]!.previous_balance_minor).toBe(all[i - 1]!.closing_balance_minor)
    expect(all[2]).toMatchObject({ charges_minor: 700, taxes_minor: 161 })
    expect(all[1]).toMatchObject({ charges_minor: 0, total_minor: 0, status: 'no-payment-needed' })
    expect(all.at(-1)!.closing_balance_minor).toBe(w.balance(id))
  })

  it('a charge dated in a closed period lands on the next invoice and keeps its date; out-of-turn records are never on a regular invoice', async () => {
    const w = await invoiceWorld()
    const id = await novemberCustomer(w)
    w.post(id, 'manual-charge', 999, { outOfTurn: true }) // an IP phone sold at the counter
    w.clock.t = local(2026, 12, 1, 1)
    await w.close()
    w.clock.t = local(2026, 12, 3, 10)
    const late = w.post(id, 'manual-charge', 400, { effectiveDate: '2026-11-10' })
    w.clock.t = local(2027, 1, 1, 1)
    await w.close()
    const [nov, dec] = w.invoices(id)
    expect(w.lines(Number(nov!.id)).some((l) => l.amount_minor === 999)).toBe(false)
    expect(nov).toMatchObject({ other_minor: 999 })
    expect(w.lines(Number(dec!.id)).map((l) => [l.category, l.amount_minor])).toContainEqual(['manual-charge', 400])
    const taken = w.engine.read((r) => r.get<{ invoice_id: number; effective_date: string }>('SELECT invoice_id, effective_date FROM xdrs WHERE id = ?', [late.xdrId])!)
    expect(taken).toEqual({ invoice_id: dec!.id, effective_date: '2026-11-10' })
    expect(w.engine.read((r) => r.get<{ n: number }>('SELECT count(*) AS n FROM xdrs WHERE out_of_turn = 1 AND invoice_id IS NOT NULL')!.n)).toBe(0)
    // Out-of-turn money is in the balance, shown apart, so the closing balance still adds up.
    expect(dec!.closing_balance_minor).toBe(w.balance(id))
  })

  it('usage purged after it was invoiced is not billed again: its summary stays on the invoice its records were on', async () => {
    const w = await invoiceWorld()
    const id = await novemberCustomer(w)
    w.clock.t = local(2026, 12, 1, 1)
    await w.close()
    w.clock.t = local(2027, 2, 10, 12)
    const now = iso(w.clock.t)
    await purgeUsage(w.engine, ADMIN, now, { cutoff: w.engine.read((r) => getRetention(r, now)).cutoff })
    const summaries = w.engine.read((r) =>
      r.all<{ invoice_id: number | null; amount_minor: number }>("SELECT invoice_id, amount_minor FROM xdrs WHERE kind = 'usage-summary'")
    )
    expect(summaries).toEqual([{ invoice_id: w.invoices(id)[0]!.id, amount_minor: 1250 }])
    await w.close()
    const jan = w.invoices(id).at(-1)!
    expect(jan).toMatchObject({ charges_minor: 0 })
    expect(jan.closing_balance_minor).toBe(w.balance(id))
  })

  it('numbers are gapless per prefix: classes sharing a prefix share its sequence', async () => {
    const w = await invoiceWorld()
    const a1 = w.addClass('A one', { invoice_prefix: 'A-' })
    const a2 = w.addClass('A two', { invoice_prefix: 'A-', billing_day: 15 })
    const b = w.addClass('B', { invoice_prefix: 'B-' })
    for (let i = 0; i < 3; i++) w.addCustomer(`a1-${i}`, { classId: a1 })
    for (let i = 0; i < 2; i++) w.addCustomer(`a2-${i}`, { classId: a2 })
    w.addCustomer('b-0', { classId: b })
    w.clock.t = local(2027, 1, 20, 12)
    await w.close()
    const numbers = w.invoices().map((i) => i.number)
    const a = numbers.filter((n) => n.startsWith('A-')).sort()
    expect(a).toEqual(Array.from({ length: a.length }, (_, i) => `A-${String(i + 1).padStart(6, '0')}`))
    expect(a).toHaveLength(3 * 2 + 2 * 2) // Nov and Dec for the 1st; Nov 15-Dec 15 and Dec 15-Jan 15
    expect(numbers.filter((n) => n.startsWith('B-'))).toEqual(['B-000001', 'B-000002'])
    expect(w.engine.read((r) => r.all('SELECT prefix, last_number FROM invoice_sequences ORDER BY prefix'))).toEqual([
      { prefix: 'A-', last_number: 10 },
      { prefix: 'B-', last_number: 2 }
    ])
  })

  it('close now issues the period to date for one customer; the next invoice starts where it ended', async () => {
    const w = await invoiceWorld()
    const id = await novemberCustomer(w)
    const other = await novemberCustomer(w, 'Other')
    w.clock.t = local(2026, 11, 25, 15)
    expect(await w.close({ customerId: id, upToNow: true })).toEqual({ invoicesIssued: 1, customers: 1 })
    expect(w.invoices(other)).toEqual([])
    expect(w.invoices(id)).toMatchObject([{ period_start: iso(local(2026, 11, 1, 0)), period_end: iso(local(2026, 11, 25, 15)), charges_minor: 1550 }])
    w.post(id, 'manual-charge', 100)
    w.clock.t = local(2026, 12, 1, 0)
    await w.close()
    expect(w.invoices(id)[1]).toMatchObject({ period_start: iso(local(2026, 11, 25, 15)), period_end: iso(local(2026, 12, 1, 0)), charges_minor: 100 })
  })
})

describe('statuses', () => {
  it('Overdue exactly the day after the due date, audited; paid in full it is Paid', async () => {
    const w = await invoiceWorld()
    const id = await novemberCustomer(w)
    const paid = await novemberCustomer(w, 'Payer')
    w.clock.t = local(2026, 12, 1, 0)
    await w.close()
    expect(w.invoices(id)[0]!.due_date).toBe('2026-12-15')
    // The rest of the invoice (3.00 was paid in the period and applied at issue), applied as a payment.
    w.engine.change(ADMIN, (wk) => {
      const x = postToLedger(wk, {
        kind: 'manual-payment',
        customerId: paid,
        amountMinor: -1607,
        unallocatedDeltaMinor: 1607,
        serviceId: null,
        effectiveDate: null,
        outOfTurn: false,
        visibleComment: '',
        internalComment: ''
      })
      return applyPayment(wk, { customerRowId: paid, xdrId: x.xdrId, amountMinor: 1607 })
    })
    expect(w.invoices(paid)[0]).toMatchObject({ status: 'paid', amount_due_minor: 0 })
    w.clock.t = local(2026, 12, 16, 0) - MINUTE
    expect(w.transitions()).toBe(0)
    expect(w.invoices(id)[0]!.status).toBe('partially-paid')
    w.clock.t = local(2026, 12, 16, 0)
    expect(w.transitions()).toBe(1)
    expect(w.invoices(id)[0]).toMatchObject({ status: 'overdue', overdue_since: '2026-12-16' })
    expect(w.invoices(paid)[0]!.status).toBe('paid')
    expect(w.audits(id).at(-1)).toMatchObject({ kind: 'invoice.status', from_value: 'partially-paid', to_value: 'overdue' })
    expect(w.transitions()).toBe(0)
  })

  it('a partial payment makes it Partially paid, and it still goes Overdue (the source page audit story: 100, reduced 30, paid 60, 10 due)', async () => {
    const w = await invoiceWorld()
    const id = w.addCustomer('John Doe', { classId: w.addClass('Plain') })
    w.post(id, 'manual-charge', 10_000)
    w.clock.t = local(2026, 12, 1, 0)
    await w.close()
    const inv = Number(w.invoices(id)[0]!.id)
    w.clock.t = local(2026, 12, 3, 10)
    w.engine.change(ADMIN, (wk) => reduceAmountDue(wk, { invoiceId: inv, amount: '30.00', comment: 'Disputed calls, agreed by phone' }))
    expect(w.invoices(id)[0]).toMatchObject({ status: 'open', amount_due_minor: 7000, total_minor: 10_000, reduced_minor: 3000 })
    expect(w.lines(inv).map((l) => l.amount_minor)).toEqual([10_000]) // the lines stay as issued
    expect(w.audits(id).at(-1)!.description).toBe('Invoice INV-000001: amount due reduced by 30.00 from 100.00 to 70.00 — Disputed calls, agreed by phone.')
    // Never more than is due, never zero; a refusal changes nothing.
    const refused = (amount: string) => {
      try {
        w.engine.change(ADMIN, (wk) => reduceAmountDue(wk, { invoiceId: inv, amount, comment: '' }))
      } catch (e) {
        return (e as AppError).message
      }
      return 'accepted'
    }
    expect(refused('70.01')).toBe('A reduction cannot exceed the amount due, 70.00.')
    expect(refused('0')).toBe('Enter an amount greater than 0.')
    expect(w.invoices(id)[0]).toMatchObject({ amount_due_minor: 7000 })
    w.engine.change(ADMIN, (wk) => {
      const pay = postToLedger(wk, {
        kind: 'manual-payment',
        customerId: id,
        amountMinor: -6000,
        unallocatedDeltaMinor: 6000,
        serviceId: null,
        effectiveDate: null,
        outOfTurn: false,
        visibleComment: '',
        internalComment: ''
      })
      return applyPayment(wk, { customerRowId: id, xdrId: pay.xdrId, amountMinor: 6000 })
    })
    expect(w.invoices(id)[0]).toMatchObject({ status: 'partially-paid', amount_due_minor: 1000 })
    w.clock.t = local(2026, 12, 16, 0)
    w.transitions()
    expect(w.invoices(id)[0]!.status).toBe('overdue')
    expect(
      w
        .audits(id)
        .filter((a) => a.kind === 'invoice.status')
        .map((a) => [a.from_value, a.to_value])
    ).toEqual([
      ['open', 'partially-paid'],
      ['partially-paid', 'overdue']
    ])
    // The reduction credit is on the invoice it reduced, not on the next one; the next still adds up to the ledger.
    w.clock.t = local(2027, 1, 1, 1)
    await w.close()
    const jan = w.invoices(id)[1]!
    expect(jan).toMatchObject({ charges_minor: 0, payments_minor: -6000, other_minor: -3000 })
    expect(jan.closing_balance_minor).toBe(w.balance(id))
  })

  it("Overdue starts the class's suspension rule after its grace days", async () => {
    const w = await invoiceWorld()
    const id = w.addCustomer('Late', { classId: w.addClass('Suspending', { suspend_on_overdue: 1, suspension_grace_days: 3 }) })
    const lenient = w.addCustomer('Lenient', { classId: w.addClass('Never suspends') })
    w.post(id, 'manual-charge', 1000)
    w.post(lenient, 'manual-charge', 1000)
    w.clock.t = local(2026, 12, 1, 0)
    await w.close()
    w.clock.t = local(2026, 12, 18, 23, 59)
    w.transitions()
    expect(w.row(id)).toMatchObject({ status: 'active', suspended: 0 })
    w.clock.t = local(2026, 12, 19, 0)
    w.transitions()
    expect(w.row(id)).toMatchObject({ status: 'suspended', suspended: 1 })
    expect(w.history(id).at(-1)!.note).toBe('Invoice INV-000001 overdue (due 2026-12-15, 3 grace days)')
    expect(w.row(lenient)).toMatchObject({ status: 'active', suspended: 0 })
    expect(w.transitions()).toBe(0)
  })
})
