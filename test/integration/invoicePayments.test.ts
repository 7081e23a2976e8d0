/**
 * Payments applied to invoices (src-main/engine/invoicePayments.ts, issue 10 item 2), through the
 * channels a cashier's wizard uses: oldest first with partial payments, leftovers applied when the
 * next invoice is issued, refunds capped at what was paid and not yet refunded and reopening the
 * newest invoices, card refunds un-applying, the overdue suspension ended by paying, the customer
 * list's "Has overdue invoice" filter, the source page's audit story, and a property over random
 * sequences of payments, refunds, charges and period closes.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { applyPayment, netAppliedMinor } from '../../src-main/engine/invoicePayments'
import { postToLedger } from '../../src-main/engine/ledger'
import type { AppError } from '../../src-shared/errors'
import { ADMIN_ACTOR } from '../support/desk'
import { world } from '../support/invoiceWorld'
import { local } from '../support/lifecycleWorld'

const VISA = '4242 4242 4242 4242'
/** Two invoices: December's 100.00 and January's 50.00. */
async function twoInvoices(w: Awaited<ReturnType<typeof world>>) {
  const id = await w.customer('Kowalski')
  await w.done(id, 'manual-charge', '100')
  await w.at(local(2026, 12, 1, 1))
  await w.done(id, 'manual-charge', '50')
  await w.at(local(2027, 1, 1, 1))
  const [dec, jan] = await w.invoices(id)
  expect([dec!.totalMinor, jan!.totalMinor, dec!.status, jan!.status]).toEqual([10_000, 5_000, 'open', 'open'])
  return { id, dec: dec!, jan: jan! }
}

describe('payments applied to invoices', () => {
  it('oldest first, partial payments add up, the rest stays unallocated and goes to the next invoice at issue', async () => {
    const w = await world()
    const { id, dec, jan } = await twoInvoices(w)
    const p1 = await w.done(id, 'manual-payment', '30')
    expect(p1.invoices).toEqual([
      {
        invoiceId: dec.id,
        number: dec.number,
        amountMinor: 3000,
        amountDueBeforeMinor: 10_000,
        amountDueAfterMinor: 7000,
        statusBefore: 'open',
        statusAfter: 'partially-paid'
      }
    ])
    expect(p1).toMatchObject({ unallocatedBeforeMinor: 0, unallocatedAfterMinor: 0 })
    // The preview said the same before anything was written.
    const preview = await w.ok('adjustments.preview', { customerId: id, operation: 'manual-payment', amount: '90' })
    expect(preview.invoices.map((t) => [t.number, t.amountMinor, t.statusBefore, t.statusAfter])).toEqual([
      [dec.number, 7000, 'partially-paid', 'paid'],
      [jan.number, 2000, 'open', 'partially-paid']
    ])
    const p2 = await w.done(id, 'manual-payment', '90')
    expect(p2.invoices).toEqual(preview.invoices)
    expect(p2.auditTexts).toEqual([
      expect.stringMatching(/^Balance changed from 120\.00 to 30\.00/),
      expect.stringMatching(
        /^Unallocated payments changed from 0\.00 to 90\.00 \(increased by 90\.00\)\. Payments source – customer payment transaction \(xDR id \d+\)$/
      ),
      expect.stringMatching(/^Unallocated payments changed from 90\.00 to 0\.00 \(decreased by 90\.00\)\. Applied to invoices INV-000001, INV-000002 \(xDR id \d+\)\.$/),
      expect.stringMatching(/^70\.00 of the manual payment applied to invoice INV-000001: amount due 70\.00 → 0\.00 \(Partially paid → Paid\) \(xDR id \d+\)\.$/),
      expect.stringMatching(/^20\.00 of the manual payment applied to invoice INV-000002: amount due 50\.00 → 30\.00 \(Open → Partially paid\) \(xDR id \d+\)\.$/)
    ])
    // What the wizard showed is what the audit log holds.
    const audit = await w.auditOf(id)
    for (const text of p2.auditTexts) expect(audit).toContain(text)
    expect((await w.invoices(id)).map((i) => [i.status, i.amountDueMinor])).toEqual([
      ['paid', 0],
      ['partially-paid', 3000]
    ])
    const p3 = await w.done(id, 'manual-payment', '40')
    expect(p3.invoices.map((t) => [t.number, t.amountMinor, t.statusAfter])).toEqual([[jan.number, 3000, 'paid']])
    expect((await w.customerRow(id)).unallocatedPaymentsMinor).toBe(1000)
    // The next invoice takes the 10.00 left over as soon as it is issued.
    await w.done(id, 'manual-charge', '25')
    await w.at(local(2027, 2, 1, 1))
    const feb = (await w.invoices(id))[2]!
    expect(feb).toMatchObject({ totalMinor: 2500, amountDueMinor: 1500, status: 'partially-paid' })
    expect((await w.customerRow(id)).unallocatedPaymentsMinor).toBe(0)
    await w.ledgerOk()
    await w.close()
  })

  it('a payment aimed at one invoice pays it first, then the oldest; an invoice of another customer is refused', async () => {
    const w = await world()
    const { id, dec, jan } = await twoInvoices(w)
    const other = await w.customer('Other')
    const pay = (customerRowId: number, amountMinor: number, firstInvoiceId: number) =>
      w.app.core.engine.change(ADMIN_ACTOR, (wk) => {
        const x = postToLedger(wk, {
          kind: 'manual-payment',
          customerId: customerRowId,
          amountMinor: -amountMinor,
          unallocatedDeltaMinor: amountMinor,
          serviceId: null,
          effectiveDate: null,
          outOfTurn: false,
          visibleComment: 'Cash at the counter',
          internalComment: ''
        })
        return applyPayment(wk, { customerRowId, xdrId: x.xdrId, amountMinor, firstInvoiceId })
      })
    const touched = pay(id, 6000, jan.id)
    expect(touched.map((t) => [t.number, t.amountMinor, t.statusAfter])).toEqual([
      [jan.number, 5000, 'paid'],
      [dec.number, 1000, 'partially-paid']
    ])
    let refusal: AppError | null = null
    try {
      pay(other, 1000, dec.id)
    } catch (e) {
      refusal = e as AppError
    }
    expect(refusal).toMatchObject({ code: 'NOT_FOUND', field: 'invoiceId' })
    expect((await w.customerRow(other)).balanceMinor).toBe(0) // nothing written
    await w.ledgerOk()
    await w.close()
  })
})

describe('refunds (a returned cheque)', () => {
  it('take from unallocated payments first, then un-apply the newest applications, reopening those invoices; Overdue again after the due date', async () => {
    const w = await world()
    const { id, dec, jan } = await twoInvoices(w)
    await w.done(id, 'manual-payment', '160') // both paid, 10.00 unallocated
    const r1 = await w.done(id, 'refund', '30')
    expect(r1).toMatchObject({ unallocatedBeforeMinor: 1000, unallocatedAfterMinor: 0, balanceAfterMinor: 2000 })
    expect(r1.invoices).toEqual([
      {
        invoiceId: jan.id,
        number: jan.number,
        amountMinor: -2000,
        amountDueBeforeMinor: 0,
        amountDueAfterMinor: 2000,
        statusBefore: 'paid',
        statusAfter: 'partially-paid'
      }
    ])
    expect(r1.auditTexts.at(-1)).toMatch(/^20\.00 un-applied by the refund from invoice INV-000002: amount due 0\.00 → 20\.00 \(Paid → Partially paid\)/)
    // Past the December invoice's due date (2027-01-15): reopened, it is Overdue at once.
    await w.at(local(2027, 1, 20, 10))
    const r2 = await w.done(id, 'refund', '40')
    expect(r2.invoices.map((t) => [t.number, t.amountMinor, t.statusBefore, t.statusAfter])).toEqual([
      [jan.number, -3000, 'partially-paid', 'open'],
      [dec.number, -1000, 'paid', 'overdue']
    ])
    const [d, j] = await w.invoices(id)
    expect([d!.status, d!.amountDueMinor, j!.status, j!.amountDueMinor]).toEqual(['overdue', 1000, 'open', 5000])
    expect((await w.ok('invoices.get', { id: dec.id })).overdueSince).toBe('2027-01-16')
    await w.ledgerOk()
    await w.close()
  })

  it('may take back at most what was paid and not yet refunded; a refusal names the cap and changes nothing', async () => {
    const w = await world()
    const { id } = await twoInvoices(w)
    await w.done(id, 'manual-payment', '30')
    await w.done(id, 'manual-payment', '20')
    await w.done(id, 'refund', '15')
    expect((await w.customerRow(id)).refundableMinor).toBe(3500)
    const before = await w.customerRow(id)
    const audits = (await w.ok('audit.list', { limit: 1 }))[0]!.id
    const refused = await w.submit(id, 'refund', '35.01')
    expect(refused.ok).toBe(false)
    if (!refused.ok) {
      expect(refused.error).toMatchObject({ code: 'VALIDATION', field: 'amount' })
      expect(refused.error.message).toBe('A refund returns an earlier payment: at most what was paid and not yet refunded, 35.00 USD.')
    }
    const after = await w.customerRow(id)
    expect([after.balanceMinor, after.unallocatedPaymentsMinor]).toEqual([before.balanceMinor, before.unallocatedPaymentsMinor])
    expect((await w.ok('audit.list', { limit: 1 }))[0]!.id).toBe(audits)
    expect((await w.invoices(id)).map((i) => i.amountDueMinor)).toEqual([10_000 - 3500, 5000])
    await w.done(id, 'refund', '35')
    expect((await w.customerRow(id)).refundableMinor).toBe(0)
    const nothing = await w.submit(id, 'refund', '0.01')
    expect(!nothing.ok && nothing.error.message).toMatch(/no payment left to refund/)
    await w.ledgerOk()
    await w.close()
  })

  it('an opening prepaid balance counts as paid', async () => {
    const w = await world()
    const id = await w.customer('Prepaid', { balanceControl: 'prepaid', openingBalance: '50' })
    expect((await w.customerRow(id)).refundableMinor).toBe(5000)
    const r = await w.done(id, 'refund', '50')
    expect(r).toMatchObject({ balanceAfterMinor: 0, unallocatedAfterMinor: 0, invoices: [] })
    const more = await w.submit(id, 'refund', '0.01')
    expect(more.ok).toBe(false)
    await w.ledgerOk()
    await w.close()
  })

  it('an e-commerce refund beyond the unallocated payments un-applies the newest applications', async () => {
    const w = await world()
    const { id, jan } = await twoInvoices(w)
    const paid = await w.done(id, 'ecommerce-payment', '150', { cardNumber: VISA, cardExpiry: '12/30' })
    expect(paid.invoices.map((t) => t.statusAfter)).toEqual(['paid', 'paid'])
    const back = await w.done(id, 'ecommerce-refund', '40', { transactionId: paid.transactionId! })
    expect(back.invoices.map((t) => [t.number, t.amountMinor, t.statusAfter])).toEqual([[jan.number, -4000, 'partially-paid']])
    expect((await w.invoices(id))[1]).toMatchObject({ amountDueMinor: 4000, status: 'partially-paid' })
    // A captured authorization is a payment too: applied at once.
    const auth = await w.done(id, 'authorization', '40', { cardNumber: VISA, cardExpiry: '12/30' })
    const cap = await w.done(id, 'capture', '40', { transactionId: auth.transactionId! })
    expect(cap.invoices.map((t) => [t.number, t.amountMinor, t.statusAfter])).toEqual([[jan.number, 4000, 'paid']])
    await w.ledgerOk()
    await w.close()
  })
})

describe('statuses', () => {
  it("paying the overdue invoices in full ends the class's overdue suspension and its lift-until date; the list's overdue filter follows", async () => {
    const w = await world({ suspendOnOverdue: true, suspensionGraceDays: 0 })
    const { id } = await twoInvoices(w)
    await w.at(local(2027, 1, 16, 1)) // December's invoice was due 2027-01-15: overdue, and the customer suspended
    const overdueIds = async () => (await w.ok('customers.list', { filters: { hasOverdueInvoice: true } })).rows.map((r) => r.id)
    expect((await w.invoices(id))[0]!.status).toBe('overdue')
    expect(await w.customerRow(id)).toMatchObject({ status: 'suspended', suspended: true })
    expect(await overdueIds()).toEqual([id])
    await w.ok('customers.changeStatus', { id, action: 'lift-suspension', until: '2027-01-25', note: 'Pays on Monday' })
    expect((await w.customerRow(id)).suspensionLiftedUntil).not.toBeNull()
    // Part of it: still overdue, still suspended.
    await w.done(id, 'manual-payment', '60')
    expect(await w.customerRow(id)).toMatchObject({ suspended: true })
    expect(await overdueIds()).toEqual([id])
    await w.done(id, 'manual-payment', '40')
    expect(await w.customerRow(id)).toMatchObject({ status: 'active', suspended: false, suspensionLiftedUntil: null })
    expect(await overdueIds()).toEqual([])
    const audit = await w.auditOf(id)
    expect(audit.some((d) => /Overdue invoices paid \(last: INV-000001\)/.test(d))).toBe(true)
    await w.close()
  })

  it('the source page audit story: 100.00 reduced by 30.00, a 60.00 payment, 10.00 due, Partially paid, then Overdue the day after the due date', async () => {
    const w = await world()
    const id = await w.customer('John Doe')
    await w.done(id, 'manual-charge', '100')
    await w.at(local(2026, 12, 1, 1))
    const [inv] = await w.invoices(id)
    expect(inv).toMatchObject({ totalMinor: 10_000, amountDueMinor: 10_000, status: 'open', dueDate: '2027-01-15' })
    w.clock.t = local(2026, 12, 3, 10)
    await w.ok('invoices.reduceAmountDue', { invoiceId: inv!.id, amount: '30', comment: 'Disputed calls' })
    w.clock.t = local(2026, 12, 8, 10)
    const paid = await w.done(id, 'manual-payment', '60')
    expect(paid.invoices).toMatchObject([
      { amountMinor: 6000, amountDueBeforeMinor: 7000, amountDueAfterMinor: 1000, statusBefore: 'open', statusAfter: 'partially-paid' }
    ])
    expect(await w.ok('invoices.get', { id: inv!.id })).toMatchObject({
      totalMinor: 10_000,
      reducedMinor: 3000,
      paidMinor: 6000,
      amountDueMinor: 1000,
      status: 'partially-paid'
    })
    await w.at(local(2027, 1, 15, 23, 59))
    expect((await w.invoices(id))[0]!.status).toBe('partially-paid')
    await w.at(local(2027, 1, 16, 0, 1))
    expect((await w.invoices(id))[0]).toMatchObject({ status: 'overdue', amountDueMinor: 1000 })
    const story = (await w.auditOf(id)).filter((d) => /INV-000001|Unallocated/.test(d))
    expect(story).toEqual([
      expect.stringMatching(/^Invoice INV-000001 issued/),
      expect.stringMatching(/^Balance changed from 100\.00 to 70\.00 .*reducing invoice INV-000001/),
      'Invoice INV-000001: amount due reduced by 30.00 from 100.00 to 70.00 — Disputed calls.',
      expect.stringMatching(
        /^Unallocated payments changed from 0\.00 to 60\.00 \(increased by 60\.00\)\. Payments source – customer payment transaction \(xDR id \d+\)$/
      ),
      expect.stringMatching(/^Unallocated payments changed from 60\.00 to 0\.00 \(decreased by 60\.00\)\. Applied to invoice INV-000001/),
      expect.stringMatching(/^60\.00 of the manual payment applied to invoice INV-000001: amount due 70\.00 → 10\.00 \(Open → Partially paid\)/),
      'Invoice INV-000001 status changed from Open to Partially paid; amount due 10.00 USD.',
      'Invoice INV-000001 status changed from Partially paid to Overdue (due 2027-01-15, not paid in full).'
    ])
    await w.close()
  })
})

describe('property', () => {
  it('after any sequence of payments, refunds, charges and period closes the books add up', async () => {
    const w = await world()
    const ids = [await w.customer('A'), await w.customer('B')]
    let month = 0
    const step = fc.record({
      who: fc.nat(ids.length - 1),
      op: fc.constantFrom('manual-payment', 'refund', 'manual-charge', 'manual-credit', 'close', 'ecommerce-payment'),
      cents: fc.integer({ min: 1, max: 20_000 })
    })
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 10 }), async (steps) => {
        for (const s of steps) {
          const id = ids[s.who]!
          const amount = `${Math.trunc(s.cents / 100)}.${String(s.cents % 100).padStart(2, '0')}`
          if (s.op === 'close') {
            month++
            await w.at(local(2026, 12 + month, 1, 1))
          } else if (s.op === 'ecommerce-payment') await w.submit(id, s.op, amount, { cardNumber: VISA, cardExpiry: '12/30' })
          else await w.submit(id, s.op, amount) // a refund over the cap is refused, which is fine
        }
        expect((await w.ok('ledger.check', {})).differences).toEqual([])
        w.app.core.engine.read((r) => {
          for (const id of ids) {
            const c = r.get<{ unallocated_minor: number }>('SELECT unallocated_minor FROM customers WHERE id = ?', [id])!
            const money = r.get<{ paid: number; refunded: number; taken: number }>(
              `SELECT coalesce(sum(CASE WHEN kind IN ('manual-payment', 'ecommerce-payment', 'capture') THEN -amount_minor END), 0) AS paid,
                 coalesce(sum(CASE WHEN kind IN ('refund', 'ecommerce-refund') THEN amount_minor END), 0) AS refunded,
                 coalesce(sum(CASE WHEN kind IN ('refund', 'ecommerce-refund') THEN -unallocated_delta_minor END), 0) AS taken
               FROM xdrs WHERE customer_id = ?`,
              [id]
            )!
            const applied = netAppliedMinor(r, id)
            // Unallocated + net applied = payments − what refunds took back from them.
            expect(c.unallocated_minor + applied).toBe(money.paid - money.taken)
            expect(money.taken).toBeLessThanOrEqual(money.refunded)
            // Applied never exceeds what was paid and not refunded; never negative.
            expect(applied).toBeGreaterThanOrEqual(0)
            expect(applied).toBeLessThanOrEqual(money.paid - money.refunded)
            expect(c.unallocated_minor).toBeGreaterThanOrEqual(0)
            for (const i of r.all<{ total_minor: number; paid_minor: number; reduced_minor: number; amount_due_minor: number; status: string }>(
              'SELECT total_minor, paid_minor, reduced_minor, amount_due_minor, status FROM invoices WHERE customer_id = ?',
              [id]
            )) {
              expect(i.amount_due_minor).toBe(Math.max(0, i.total_minor - i.paid_minor - i.reduced_minor))
              expect(i.paid_minor).toBeGreaterThanOrEqual(0)
              expect(i.paid_minor).toBeLessThanOrEqual(Math.max(0, i.total_minor))
            }
          }
        })
      }),
      // A fixed seed: the coverage check below (applications and un-applications happened) must not depend on luck.
      { numRuns: 60, seed: 1 }
    )
    // The runs did exercise applications and refunds' un-applications.
    const rows = w.app.core.engine.read(
      (r) => r.get<{ applied: number; unapplied: number }>('SELECT sum(amount_minor > 0) AS applied, sum(amount_minor < 0) AS unapplied FROM invoice_payments')!
    )
    expect(rows.applied).toBeGreaterThan(0)
    expect(rows.unapplied).toBeGreaterThan(0)
    await w.close()
  }, 120_000)
})
