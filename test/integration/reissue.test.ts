/**
 * Batch invoice re-issue (src-main/engine/reissue.ts, issue 11): March invoices issued with a wrong
 * price list, re-rated in April, re-issued — void and renumber, or the same numbers; the corrected
 * March balance carried into April (issued already or not); payments and reductions moved from a
 * voided invoice; usage past retention left alone; cancel between customers; a customer CSV's
 * edge cases; and, as a property, the invariants after any sequence of charges, usage,
 * re-ratings, closings and re-issues.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { reduceAmountDue, settleInvoice } from '../../src-main/engine/invoicing'
import { applyPayment } from '../../src-main/engine/invoicePayments'
import { postToLedger } from '../../src-main/engine/ledger'
import { trace } from '../../src-main/engine/trace'
import {
  batchResults,
  createBatch,
  dueBatches,
  listBatches,
  listNotifications,
  markNotificationsRead,
  offPeakWindow,
  parseCustomerCsv,
  previewReissue,
  runBatch,
  runDueBatches,
  setOffPeakWindow
} from '../../src-main/engine/reissue'
import { ADMIN, local } from '../support/lifecycleWorld'
import { type ReissueWorld, reissueWorld } from '../support/reissueWorld'

const iso = (ms: number) => new Date(ms).toISOString()
const MARCH = iso(local(2026, 3, 1, 0))
const APRIL = iso(local(2026, 4, 1, 0))

/** A customer with March usage at a wrong price (twice the right one), March closed on April 1. */
async function marchStory(w?: ReissueWorld, taxPpm = 0) {
  const t = w ?? (await reissueWorld())
  t.clock.t = local(2026, 3, 2, 9)
  const classId = t.classId(taxPpm)
  const id = t.addCustomer(`trunk-${Math.random().toString(36).slice(2, 8)}`, { classId })
  t.clock.t = local(2026, 3, 10, 12)
  t.usage(id, 1000)
  t.usage(id, 600)
  t.post(id, 'manual-charge', 500)
  t.clock.t = local(2026, 4, 1, 0, 5)
  await t.close()
  return { t, id }
}

const reissue = async (t: ReissueWorld, customerIds: number[], issuedAfter: string, mode: 'void' | 'same-number') => {
  const batchId = t.engine.change(ADMIN, (w) => createBatch(w, { customerIds, issuedAfter, mode }))
  return runBatch(t.engine, ADMIN, batchId)
}

describe('re-issue after a re-rating (the March story)', () => {
  it('void and renumber: the old one Void and replaced, a new number, the corrected usage as a correction line; April carries the corrected balance', async () => {
    const { t, id } = await marchStory(undefined, 230_000)
    const [march] = t.invoices(id)
    expect(march!.total_minor).toBe(2100 + 483)
    t.clock.t = local(2026, 4, 10, 9)
    const diff = t.rerate(id, MARCH, APRIL, (c) => c / 2)
    expect(diff).toBe(-800)

    const preview = t.engine.read((r) => previewReissue(r, { customerIds: [id], issuedAfter: iso(local(2026, 3, 31, 23)), mode: 'void' }, iso(t.clock.t)))
    expect(preview.rows).toHaveLength(1)
    expect(preview.rows[0]).toMatchObject({ number: march!.number, oldTotalMinor: 2583, newTotalMinor: 1300 + 299, carried: false, skippedReason: null })
    expect(preview.totals).toEqual([{ currency: 'USD', invoices: 1, oldTotalMinor: 2583, newTotalMinor: 1599, oldAmountDueMinor: 2583, newAmountDueMinor: 1599 }])
    // The preview wrote nothing.
    expect(t.invoices(id)).toHaveLength(1)

    const result = await reissue(t, [id], iso(local(2026, 3, 31, 23)), 'void')
    expect(result).toMatchObject({ reissued: 1, skipped: 0, cancelled: false })
    const [old, fresh] = t.invoices(id)
    expect(old).toMatchObject({ status: 'void', replaced_by: fresh!.id })
    expect(fresh).toMatchObject({ number: 'INV-000002', total_minor: 1599, amount_due_minor: 1599, status: 'open', period_start: march!.period_start })
    expect(t.lines(fresh!.id).map((l) => [l.category, l.amount_minor])).toEqual([
      ['usage', 1600],
      ['correction', -800],
      ['manual-charge', 500],
      ['tax', 299]
    ])
    expect(t.broken()).toEqual([])

    // April: no second correction, and the corrected March balance brought forward.
    t.usage(id, 100)
    t.clock.t = local(2026, 5, 1, 0, 5)
    await t.close()
    const april = t.live(id).at(-1)!
    expect(april.previous_balance_minor).toBe(fresh!.closing_balance_minor)
    expect(t.lines(april.id).map((l) => l.category)).toEqual(['usage', 'tax'])
    expect(april.closing_balance_minor).toBe(t.balance(id))
    expect(t.broken()).toEqual([])
    // Audit entries name the batch.
    const audits = t.audits(id).map((a) => a.description)
    expect(audits.some((d) => d.includes(`re-issue batch ${result.batchId}`) && d.includes('INV-000001') && d.includes('INV-000002'))).toBe(true)
  })

  it('same number: regenerated in place, the tax difference posted; an April issued already is recalculated too (carried)', async () => {
    const { t, id } = await marchStory(undefined, 100_000)
    t.clock.t = local(2026, 4, 10, 9)
    t.rerate(id, MARCH, APRIL, (c) => c / 2)
    t.usage(id, 300)
    t.clock.t = local(2026, 5, 1, 0, 5)
    await t.close()
    const [march, april] = t.invoices(id)
    // April took the whole correction as issued.
    expect(t.lines(april!.id).map((l) => [l.category, l.amount_minor])).toEqual([
      ['usage', 300],
      ['correction', -800],
      ['tax', -50]
    ])
    const preview = t.engine.read((r) => previewReissue(r, { customerIds: [id], issuedAfter: iso(local(2026, 3, 31)), mode: 'same-number' }, iso(t.clock.t)))
    expect(preview.rows.map((r) => [r.number, r.carried, r.oldTotalMinor, r.newTotalMinor])).toEqual([
      [march!.number, false, 2310, 1430],
      [april!.number, false, -550, 330]
    ])
    await reissue(t, [id], iso(local(2026, 3, 31)), 'same-number')
    const [m2, a2] = t.invoices(id)
    expect(t.invoices(id)).toHaveLength(2)
    expect([m2!.number, m2!.total_minor, a2!.number, a2!.total_minor]).toEqual([march!.number, 1430, april!.number, 330])
    expect(a2!.previous_balance_minor).toBe(m2!.closing_balance_minor)
    expect(a2!.closing_balance_minor).toBe(t.balance(id))
    expect(t.lines(a2!.id).map((l) => l.category)).toEqual(['usage', 'tax'])
    expect(t.broken()).toEqual([])

    // Regenerated invoices count as issued when regenerated: chosen again, they come out the same.
    const third = await reissue(t, [id], iso(local(2026, 4, 30)), 'void')
    expect(third.reissued).toBe(2)
    expect(t.live(id).map((i) => i.total_minor)).toEqual([1430, 330])
    expect(t.broken()).toEqual([])
  })

  it('a March re-issue with April issued after the chosen instant carries into April, marked carried when April was issued before it', async () => {
    const { t, id } = await marchStory()
    t.clock.t = local(2026, 4, 10, 9)
    t.rerate(id, MARCH, APRIL, (c) => c + 10)
    t.clock.t = local(2026, 5, 1, 0, 5)
    await t.close()
    // Both issued after March 31; April is recalculated in the same unit as March.
    const res = await reissue(t, [id], iso(local(2026, 3, 31)), 'void')
    expect(res.reissued).toBe(2)
    const rows = t.engine.read((r) => batchResults(r, res.batchId))
    expect(rows.map((r) => [r.oldNumber, r.newNumber, r.state])).toEqual([
      ['INV-000001', 'INV-000003', 'done'],
      ['INV-000002', 'INV-000004', 'done']
    ])
    expect(t.live(id).at(-1)!.closing_balance_minor).toBe(t.balance(id))
    expect(t.broken()).toEqual([])
  })

  it('void mode moves the payments applied and the reductions to the new invoice and settles it', async () => {
    const { t, id } = await marchStory()
    const [march] = t.invoices(id)
    t.clock.t = local(2026, 4, 5, 9)
    const pay = t.post(id, 'manual-payment', -1000)
    t.engine.change(ADMIN, (w) => applyPayment(w, { customerRowId: id, xdrId: pay, amountMinor: 1000 }))
    t.engine.change(ADMIN, (w) => reduceAmountDue(w, { invoiceId: march!.id, amount: '1.00', comment: 'goodwill' }))
    expect(t.invoices(id)[0]).toMatchObject({ status: 'partially-paid', amount_due_minor: 2100 - 1000 - 100 })
    t.clock.t = local(2026, 4, 10, 9)
    t.rerate(id, MARCH, APRIL, (c) => c / 2)
    await reissue(t, [id], iso(local(2026, 3, 31)), 'void')
    const fresh = t.live(id)[0]!
    expect(fresh).toMatchObject({ total_minor: 1300, paid_minor: 1000, amount_due_minor: 200, status: 'partially-paid' })
    const moved = t.engine.read((r) => [
      r.all('SELECT xdr_id FROM invoice_payments WHERE invoice_id = ?', [fresh.id]).length,
      r.all('SELECT xdr_id FROM invoice_reductions WHERE invoice_id = ?', [fresh.id]).length,
      r.all('SELECT id FROM invoice_payments WHERE invoice_id = ?', [march!.id]).length
    ])
    expect(moved).toEqual([1, 1, 0])
    expect(t.broken()).toEqual([])
    t.clock.t = local(2026, 5, 1, 0, 5)
    await t.close()
    expect(t.live(id).at(-1)!.closing_balance_minor).toBe(t.balance(id))
  })

  it('a recalculated total below what was paid returns the excess to unallocated payments, which then pay what else is due', async () => {
    const { t, id } = await marchStory()
    t.clock.t = local(2026, 4, 5, 9)
    const pay = t.post(id, 'manual-payment', -2100)
    t.engine.change(ADMIN, (w) => applyPayment(w, { customerRowId: id, xdrId: pay, amountMinor: 2100 }))
    expect(t.invoices(id)[0]).toMatchObject({ status: 'paid', amount_due_minor: 0 })
    t.clock.t = local(2026, 4, 10, 9)
    t.rerate(id, MARCH, APRIL, (c) => c / 2)
    await reissue(t, [id], iso(local(2026, 3, 31)), 'void')
    const fresh = t.live(id)[0]!
    expect(fresh).toMatchObject({ total_minor: 1300, paid_minor: 1300, amount_due_minor: 0, status: 'paid' })
    const unallocated = t.engine.read((r) => r.get<{ u: number }>('SELECT unallocated_minor AS u FROM customers WHERE id = ?', [id])!.u)
    expect(unallocated).toBe(800)
    expect(t.broken()).toEqual([])
    // The next invoice takes what is waiting.
    t.clock.t = local(2026, 4, 20, 9)
    t.post(id, 'manual-charge', 500)
    t.clock.t = local(2026, 5, 1, 0, 5)
    await t.close()
    expect(t.live(id).at(-1)).toMatchObject({ status: 'paid', amount_due_minor: 0 })
    expect(t.engine.read((r) => r.get<{ u: number }>('SELECT unallocated_minor AS u FROM customers WHERE id = ?', [id])!.u)).toBe(300)
    expect(t.broken()).toEqual([])
  })

  it("an invoice's traces still add up after a re-issue in either mode: amounts due and statuses of the old, new and later invoices", async () => {
    for (const mode of ['void', 'same-number'] as const) {
      const { t, id } = await marchStory(undefined, 230_000)
      t.clock.t = local(2026, 4, 5, 9)
      const pay = t.post(id, 'manual-payment', -2600)
      t.engine.change(ADMIN, (w) => applyPayment(w, { customerRowId: id, xdrId: pay, amountMinor: 2600 }))
      t.clock.t = local(2026, 4, 10, 9)
      t.rerate(id, MARCH, APRIL, (c) => c / 2)
      await reissue(t, [id], iso(local(2026, 3, 31)), mode)
      // (This world posts usage and payments straight to the ledger, without the audit entries
      // the app writes, so only the invoices' chains are traced here; trace.test.ts covers the rest.)
      const ids = t.engine.read((r) => r.all<{ id: number }>('SELECT id FROM invoices WHERE customer_id = ?', [id]).map((i) => i.id))
      expect(ids).toHaveLength(mode === 'void' ? 2 : 1)
      const traces = t.engine.read((r) => ids.flatMap((i) => [trace(r, 'invoice.amountDue', i), trace(r, 'invoice.status', i)]))
      for (const tr of traces) expect(`${mode} ${tr.title}: ${tr.consistent ? 'ok' : tr.problem}`).toBe(`${mode} ${tr.title}: ok`)
    }
  })

  it('an invoice whose usage is past retention is listed with the reason and left alone', async () => {
    const { t, id } = await marchStory()
    t.engine.change(ADMIN, (w) => {
      w.run("INSERT OR IGNORE INTO settings (id, company_name, address, default_currency, setup_completed_at) VALUES (1, 'Desk', '', 'USD', ?)", [w.at])
      w.run('UPDATE settings SET usage_purged_before = ? WHERE id = 1', [APRIL])
    })
    const preview = t.engine.read((r) => previewReissue(r, { customerIds: [id], issuedAfter: iso(local(2026, 3, 31)), mode: 'void' }, iso(t.clock.t)))
    expect(preview.skipped).toBe(1)
    expect(preview.rows[0]!.skippedReason).toMatch(/past retention/)
    const res = await reissue(t, [id], iso(local(2026, 3, 31)), 'void')
    expect(res).toMatchObject({ reissued: 0, skipped: 1 })
    expect(t.invoices(id)).toHaveLength(1)
    expect(t.invoices(id)[0]!.status).toBe('open')
  })

  it('cancel stops between customers: those before are re-issued whole, the rest untouched', async () => {
    const t = await reissueWorld()
    const a = await marchStory(t)
    const b = await marchStory(t)
    t.clock.t = local(2026, 4, 10, 9)
    t.rerate(a.id, MARCH, APRIL, (c) => c / 2)
    t.rerate(b.id, MARCH, APRIL, (c) => c / 2)
    const batchId = t.engine.change(ADMIN, (w) => createBatch(w, { customerIds: [a.id, b.id], issuedAfter: iso(local(2026, 3, 31)), mode: 'void' }))
    const ctl = new AbortController()
    const res = await runBatch(t.engine, ADMIN, batchId, { signal: ctl.signal, unitMaxMs: 0, progress: (done) => done === 1 && ctl.abort() })
    expect(res).toMatchObject({ reissued: 1, cancelled: true })
    expect(t.invoices(a.id).map((i) => i.status)).toEqual(['void', 'open'])
    expect(t.invoices(b.id).map((i) => i.status)).toEqual(['open'])
    expect(t.engine.read((r) => batchResults(r, batchId)).map((r) => r.state)).toEqual(['done', 'cancelled'])
    expect(t.engine.read((r) => listBatches(r))[0]).toMatchObject({ id: batchId, state: 'cancelled', done: 1, invoices: 2 })
    expect(t.engine.read((r) => dueBatches(r, iso(t.clock.t)))).toEqual([])
    expect(t.broken()).toEqual([])
  })

  it('payments taken while the batch runs are applied to the invoice as it stands: moved with it, never lost or applied twice', async () => {
    const t = await reissueWorld()
    const a = await marchStory(t)
    const b = await marchStory(t)
    t.clock.t = local(2026, 4, 10, 9)
    t.rerate(a.id, MARCH, APRIL, (c) => c / 2)
    t.rerate(b.id, MARCH, APRIL, (c) => c / 2)
    const batchId = t.engine.change(ADMIN, (w) => createBatch(w, { customerIds: [a.id, b.id], issuedAfter: iso(local(2026, 3, 31)), mode: 'void' }))
    // The cashier, between units: a payment applied to B's live March invoice each time.
    const payB = (amount: number) =>
      t.engine.change(ADMIN, (w) => {
        const inv = w.get<{ id: number }>('SELECT id FROM invoices WHERE customer_id = ? AND voided_at IS NULL ORDER BY period_start LIMIT 1', [b.id])!
        const pay = postToLedger(w, {
          kind: 'manual-payment',
          customerId: b.id,
          amountMinor: -amount,
          unallocatedDeltaMinor: 0,
          serviceId: null,
          effectiveDate: null,
          outOfTurn: false,
          visibleComment: '',
          internalComment: ''
        }).xdrId
        w.run('INSERT INTO invoice_payments (invoice_id, xdr_id, amount_minor, at) VALUES (?, ?, ?, ?)', [inv.id, pay, amount, w.at])
        settleInvoice(w, inv.id)
        return inv.id
      })
    const paidTo: number[] = []
    await runBatch(t.engine, ADMIN, batchId, {
      unitMaxMs: 0,
      pause: async () => {
        paidTo.push(payB(100))
      }
    })
    const [oldB, newB] = t.invoices(b.id)
    // The first went to the old invoice (then moved), the second to the new one.
    expect(paidTo).toEqual([oldB!.id, newB!.id])
    expect(newB).toMatchObject({ paid_minor: 200, amount_due_minor: 1300 - 200, status: 'partially-paid' })
    expect(t.engine.read((r) => r.all('SELECT id FROM invoice_payments WHERE invoice_id = ?', [newB!.id])).length).toBe(2)
    expect(t.broken()).toEqual([])
  })

  it('an invoice issued after the batch was planned (a period closed meanwhile) is recalculated with it', async () => {
    const { t, id } = await marchStory()
    t.clock.t = local(2026, 4, 10, 9)
    t.rerate(id, MARCH, APRIL, (c) => c / 2)
    const batchId = t.engine.change(ADMIN, (w) => createBatch(w, { customerIds: [id], issuedAfter: iso(local(2026, 3, 31)), mode: 'void' }))
    t.clock.t = local(2026, 5, 1, 0, 5)
    await t.close()
    const res = await runBatch(t.engine, ADMIN, batchId)
    expect(res.reissued).toBe(2)
    expect(t.engine.read((r) => batchResults(r, batchId)).map((r) => [r.oldNumber, r.newNumber, r.carried])).toEqual([
      ['INV-000001', 'INV-000003', false],
      ['INV-000002', 'INV-000004', true]
    ])
    expect(t.broken()).toEqual([])
  })

  it('customers re-issued together in one unit of work come out as one customer a unit does: numbers, due dates, figures, moved payments and reductions, audit', async () => {
    // Four customers of two classes (prefixes, tax, a due-days override), one with a reduction and
    // one with a payment applied, all re-rated; re-issued with every customer in one unit of work
    // and with one customer a unit.
    const outcome = async (mode: 'void' | 'same-number', unitMaxMs: number) => {
      const t = await reissueWorld()
      t.clock.t = local(2026, 3, 2, 9)
      const classA = t.classId(230_000, 'A-')
      const classB = t.classId(0, 'B-')
      const ids = [
        t.addCustomer('c0', { classId: classA }),
        t.addCustomer('c1', { classId: classB, dueDaysOverride: 30 }),
        t.addCustomer('c2', { classId: classA }),
        t.addCustomer('c3', { classId: classB })
      ]
      t.clock.t = local(2026, 3, 10, 12)
      ids.forEach((id, k) => {
        t.usage(id, 1000 + 100 * k)
        t.post(id, 'manual-charge', 500)
      })
      t.clock.t = local(2026, 4, 1, 0, 5)
      await t.close()
      t.clock.t = local(2026, 4, 5, 9)
      t.engine.change(ADMIN, (w) => reduceAmountDue(w, { invoiceId: t.live(ids[1]!)[0]!.id, amount: '1.00', comment: 'goodwill' }))
      const pay = t.post(ids[2]!, 'manual-payment', -1000)
      t.engine.change(ADMIN, (w) => applyPayment(w, { customerRowId: ids[2]!, xdrId: pay, amountMinor: 1000 }))
      t.clock.t = local(2026, 4, 10, 9)
      for (const id of ids) t.rerate(id, MARCH, APRIL, (c) => c / 2)
      const batchId = t.engine.change(ADMIN, (w) => createBatch(w, { customerIds: ids, issuedAfter: iso(local(2026, 3, 31)), mode }))
      let units = 0
      await runBatch(t.engine, ADMIN, batchId, { unitMaxMs, progress: () => units++ })
      expect(t.broken()).toEqual([])
      const got = t.engine.read((r) => ({
        results: batchResults(r, batchId),
        invoices: r.all('SELECT * FROM invoices ORDER BY id'),
        lines: r.all('SELECT * FROM invoice_lines ORDER BY id'),
        payments: r.all('SELECT * FROM invoice_payments ORDER BY id'),
        reductions: r.all('SELECT * FROM invoice_reductions ORDER BY id'),
        audit: r.all('SELECT kind, customer_id, field, from_value, to_value, description, source_kind, source_id FROM audit_log ORDER BY id')
      }))
      t.store.close()
      return { got, units }
    }
    for (const mode of ['void', 'same-number'] as const) {
      const together = await outcome(mode, 60_000)
      const apart = await outcome(mode, 0)
      // progress is told once at the start and once per unit.
      expect([together.units, apart.units]).toEqual([2, 5])
      expect(together.got).toEqual(apart.got)
    }
    const { got } = await outcome('void', 60_000)
    const reduced = got.invoices.find((i) => i.reduced_minor === 100 && i.voided_at === null)
    // c1's replacement: class B's prefix, due 30 days after the re-issue (its override).
    expect(reduced).toMatchObject({ prefix: 'B-', status: 'open', issue_date: '2026-04-10', due_date: '2026-05-10' })
    expect(got.reductions.map((x) => x.invoice_id)).toEqual([reduced!.id])
  })

  it('refuses a selection with nothing to re-issue', async () => {
    const { t, id } = await marchStory()
    expect(() => t.engine.change(ADMIN, (w) => createBatch(w, { customerIds: [id], issuedAfter: iso(local(2026, 4, 2)), mode: 'void' }))).toThrow(
      /None of these customers/
    )
    expect(() => t.engine.change(ADMIN, (w) => createBatch(w, { customerIds: [], issuedAfter: iso(local(2026, 4, 2)), mode: 'void' }))).toThrow(/at least one customer/)
  })
})

describe('scheduling and notifying', () => {
  it('the off-peak window (audited) and its next start; a scheduled batch runs once its time has come, then a notification links to its results', async () => {
    const { t, id } = await marchStory()
    t.clock.t = local(2026, 4, 10, 9)
    t.rerate(id, MARCH, APRIL, (c) => c / 2)
    expect(t.engine.read((r) => offPeakWindow(r, iso(t.clock.t)))).toEqual({ start: '01:00', end: '05:00', nextStart: iso(local(2026, 4, 11, 1)) })
    expect(() => t.engine.change(ADMIN, (w) => setOffPeakWindow(w, { start: '25:00', end: '05:00' }))).toThrow(/HH:MM/)
    const w = t.engine.change(ADMIN, (w) => setOffPeakWindow(w, { start: '22:30', end: '04:00' }))
    expect(w.nextStart).toBe(iso(local(2026, 4, 10, 22, 30)))
    const batchId = t.engine.change(ADMIN, (w) =>
      createBatch(w, { customerIds: [id], issuedAfter: iso(local(2026, 3, 31)), mode: 'void', scheduledFor: iso(local(2026, 4, 10, 22, 30)) })
    )
    expect(await runDueBatches(t.engine, ADMIN)).toEqual([])
    expect(t.live(id)[0]!.number).toBe('INV-000001')
    t.clock.t = local(2026, 4, 10, 22, 31)
    const ran = await runDueBatches(t.engine, ADMIN)
    expect(ran).toEqual([{ batchId, reissued: 1, skipped: 0, cancelled: false }])
    const notes = t.engine.read((r) => listNotifications(r))
    expect(notes[0]).toMatchObject({ kind: 'reissue', title: `Re-issue batch ${batchId} completed`, link: `#/reissue?batch=${batchId}`, read: false })
    t.engine.change(ADMIN, (w) => markNotificationsRead(w, [notes[0]!.id]))
    expect(t.engine.read((r) => listNotifications(r))[0]!.read).toBe(true)
  })
})

describe('customers from a CSV of customer IDs', () => {
  it('a BOM, Windows line endings, a header, blank lines, duplicates and unknown IDs, problems by line', async () => {
    const t = await reissueWorld()
    t.addCustomer('easycall')
    t.addCustomer('smartcall')
    t.addCustomer('megatrunk')
    const csv = '\uFEFFcustomer_id\r\neasycall\r\n\r\nSmartCall\r\nnobody\r\neasycall\r\n"megatrunk",extra\r\n   \r\n'
    const parsed = t.engine.read((r) => parseCustomerCsv(r, csv))
    expect(parsed.customers.map((c) => c.customerId)).toEqual(['easycall', 'smartcall', 'megatrunk'])
    expect(parsed.problems).toEqual([
      { line: 5, text: 'nobody', problem: 'No customer has this ID.' },
      { line: 6, text: 'easycall', problem: 'Duplicate of line 2.' }
    ])
    // No header: the first line is a customer.
    expect(t.engine.read((r) => parseCustomerCsv(r, 'megatrunk\nsmartcall')).customers).toHaveLength(2)
  })
})

describe('invariants (property)', () => {
  it('after any sequence of charges, usage, re-ratings, closings and re-issues: lines = total, latest closing = ledger, gapless numbers, no record twice', async () => {
    const step = fc.oneof(
      fc.record({ k: fc.constant('usage' as const), c: fc.nat(2), amount: fc.integer({ min: 1, max: 5000 }) }),
      fc.record({ k: fc.constant('charge' as const), c: fc.nat(2), amount: fc.integer({ min: -2000, max: 5000 }) }),
      fc.record({ k: fc.constant('pay' as const), c: fc.nat(2), amount: fc.integer({ min: 1, max: 5000 }) }),
      fc.record({ k: fc.constant('rerate' as const), c: fc.nat(2), back: fc.nat(2), num: fc.integer({ min: 1, max: 30 }) }),
      fc.record({ k: fc.constant('month' as const) }),
      fc.record({ k: fc.constant('reissue' as const), cs: fc.subarray([0, 1, 2], { minLength: 1 }), back: fc.nat(3), same: fc.boolean() })
    )
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 3, maxLength: 25 }), async (steps) => {
        const t = await reissueWorld()
        t.clock.t = local(2026, 1, 2, 9)
        const classA = t.classId(230_000, 'A-')
        const classB = t.classId(0, 'B-')
        const ids = [t.addCustomer('c0', { classId: classA }), t.addCustomer('c1', { classId: classB }), t.addCustomer('c2', { classId: classA })]
        let month = 1
        const monthStart = (m: number) => local(2026, m, 1, 0)
        for (const s of steps) {
          t.clock.t += 60_000
          if (s.k === 'usage') t.usage(ids[s.c]!, s.amount)
          else if (s.k === 'charge') t.post(ids[s.c]!, s.amount >= 0 ? 'manual-charge' : 'manual-credit', s.amount)
          else if (s.k === 'pay') t.post(ids[s.c]!, 'manual-payment', -s.amount)
          else if (s.k === 'rerate') {
            const m = Math.max(1, month - s.back)
            t.rerate(ids[s.c]!, iso(monthStart(m)), iso(monthStart(m + 1)), (c) => Math.floor((c * s.num) / 10))
          } else if (s.k === 'month') {
            month += 1
            t.clock.t = monthStart(month) + 5 * 60_000
            await t.close()
          } else {
            const after = iso(monthStart(Math.max(1, month - s.back)) - 60_000)
            const customers = s.cs.map((i) => ids[i]!)
            const planned = t.invoices().filter((i) => customers.includes(i.customer_id) && i.voided_at === null).length
            if (planned === 0) continue
            try {
              await reissue(t, customers, after, s.same ? 'same-number' : 'void')
            } catch (err) {
              if (!/None of these customers/.test((err as Error).message)) throw err
            }
          }
          expect(t.broken()).toEqual([])
        }
        // Close up to date: each customer's latest invoice then says its balance.
        month += 1
        t.clock.t = monthStart(month) + 5 * 60_000
        await t.close()
        expect(t.broken()).toEqual([])
        for (const id of ids) {
          const latest = t.live(id).at(-1)
          if (latest) expect(latest.closing_balance_minor).toBe(t.balance(id))
        }
        t.store.close()
      }),
      { numRuns: 40 }
    )
  }, 120_000)
})
