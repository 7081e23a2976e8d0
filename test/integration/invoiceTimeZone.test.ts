/**
 * The Overdue transition at the due-date boundary when the machine's time zone changes between
 * runs (issue 10, "Done when"): the app decides "the day after the due date" by the local date of
 * the machine at the time of the run (runInvoiceTransitions, lifecycleScheduler.ts), so a move
 * from Europe/Warsaw to America/New_York (or back) neither skips the transition nor repeats it,
 * and `overdue_since` is always the day after the due date.
 *
 * Node re-reads the zone when process.env.TZ is assigned; the test restores it afterwards.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { closeDuePeriods } from '../../src-main/engine/invoicing'
import { postToLedger } from '../../src-main/engine/ledger'
import { runInvoiceTransitions } from '../../src-main/engine/lifecycleScheduler'
import { ADMIN, lifecycleWorld, local } from '../support/lifecycleWorld'

const WARSAW = 'Europe/Warsaw'
const NEW_YORK = 'America/New_York'

let savedTz: string | undefined
beforeEach(() => {
  savedTz = process.env.TZ
})
afterEach(() => {
  if (savedTz === undefined) delete process.env.TZ
  else process.env.TZ = savedTz
})

const setZone = (tz: string) => {
  process.env.TZ = tz
  // The zone really changed for Date's local getters (winter: UTC+1 in Warsaw, UTC-5 in New York).
  expect(new Date('2026-12-15T12:00:00Z').getTimezoneOffset()).toBe(tz === WARSAW ? -60 : 300)
}

/** A customer billed monthly on the 1st, due in 14 days, with a 50.00 charge; its invoice issued on 2026-12-01 local. */
async function issuedInvoice(zone: string) {
  setZone(zone)
  const w = await lifecycleWorld()
  const classId = w.engine.change(ADMIN, (k) =>
    k.insert("INSERT INTO customer_classes (name, billing_period, billing_day, due_days, invoice_prefix) VALUES ('Monthly', 'monthly', 1, 14, 'TZ-')")
  )
  const id = w.addCustomer('Traveller', { classId })
  const service = w.engine.change(ADMIN, (k) => k.insert("INSERT INTO services (code, name, kind) VALUES ('voice', 'Voice calls', 'voice')"))
  w.engine.change(ADMIN, (k) =>
    postToLedger(k, {
      kind: 'manual-charge',
      customerId: id,
      amountMinor: 5000,
      unallocatedDeltaMinor: 0,
      serviceId: service,
      effectiveDate: null,
      outOfTurn: false,
      visibleComment: '',
      internalComment: ''
    })
  )
  w.clock.t = local(2026, 12, 1, 0, 5)
  await closeDuePeriods(w.engine, ADMIN)
  const invoice = () =>
    w.engine.read(
      (r) =>
        r.get<{ status: string; due_date: string; overdue_since: string | null }>('SELECT status, due_date, overdue_since FROM invoices WHERE customer_id = ?', [id])!
    )
  expect(invoice()).toMatchObject({ status: 'open', due_date: '2026-12-15' })
  /** Runs the scheduler's task at an instant in the zone set now; answers how many changes it made. */
  const runAt = (isoUtc: string) => {
    w.clock.t = Date.parse(isoUtc)
    return w.engine.change(ADMIN, runInvoiceTransitions)
  }
  const overdueEntries = () => w.audits(id).filter((a) => a.kind === 'invoice.status' && a.to_value === 'overdue')
  return { invoice, runAt, overdueEntries }
}

describe('Overdue across a time-zone change of the machine', () => {
  it('Warsaw -> New York: not overdue while New York is still on the due date, then exactly once at New York midnight', async () => {
    const t = await issuedInvoice(WARSAW)
    expect(t.runAt('2026-12-15T22:30:00Z')).toBe(0) // Warsaw 23:30 on the due date
    setZone(NEW_YORK)
    // Warsaw would be on 12-16 already; the machine is in New York now, where it is 12-15 18:30.
    expect(t.runAt('2026-12-15T23:30:00Z')).toBe(0)
    expect(t.runAt('2026-12-16T04:59:00Z')).toBe(0) // New York 23:59 on the due date
    expect(t.invoice().status).toBe('open')
    expect(t.runAt('2026-12-16T05:00:00Z')).toBe(1) // New York midnight: the day after the due date
    expect(t.invoice()).toMatchObject({ status: 'overdue', overdue_since: '2026-12-16' })
    expect(t.runAt('2026-12-16T05:01:00Z')).toBe(0)
    // Back in Warsaw (already 12-16 there too): nothing repeats.
    setZone(WARSAW)
    expect(t.runAt('2026-12-16T06:00:00Z')).toBe(0)
    expect(t.overdueEntries()).toHaveLength(1)
  })

  it('New York -> Warsaw: overdue at once when the new zone is past the due date, never undone or repeated by going back', async () => {
    const t = await issuedInvoice(NEW_YORK)
    expect(t.runAt('2026-12-15T23:30:00Z')).toBe(0) // New York 18:30 on the due date
    setZone(WARSAW)
    // The same instant is 12-16 00:30 in Warsaw: the day after the due date.
    expect(t.runAt('2026-12-15T23:30:00Z')).toBe(1)
    expect(t.invoice()).toMatchObject({ status: 'overdue', overdue_since: '2026-12-16' })
    setZone(NEW_YORK)
    // Back in New York it is the due date again (20:00): the invoice stays Overdue, once.
    expect(t.runAt('2026-12-16T01:00:00Z')).toBe(0)
    expect(t.runAt('2026-12-16T05:00:00Z')).toBe(0)
    expect(t.invoice().status).toBe('overdue')
    expect(t.overdueEntries()).toHaveLength(1)
  })

  it('a run days later in another zone catches up once, dating Overdue the day after the due date', async () => {
    const t = await issuedInvoice(WARSAW)
    expect(t.runAt('2026-12-10T12:00:00Z')).toBe(0)
    setZone(NEW_YORK)
    expect(t.runAt('2026-12-20T15:00:00Z')).toBe(1)
    expect(t.invoice()).toMatchObject({ status: 'overdue', overdue_since: '2026-12-16' })
    expect(t.runAt('2026-12-21T15:00:00Z')).toBe(0)
    expect(t.overdueEntries()).toHaveLength(1)
  })
})
