/**
 * A desk with a monthly class (due in 45 days), a movable clock and the channels a cashier's wizard
 * uses, for payments applied to invoices and traces (invoicePayments, trace and auditLinks tests).
 */
import { expect } from 'vitest'
import type { InputOf } from '../../src-shared/contract'
import { classInput, newKey, openTestDesk } from './desk'
import { local } from './lifecycleWorld'

export async function world(classFields: Partial<InputOf<'classes.create'>> = {}) {
  const clock = { t: local(2026, 11, 21, 10) }
  const desk = await openTestDesk({ now: () => clock.t })
  const voice = desk.addVoiceService()
  // Due in 45 days: December's invoice is due 2027-01-15, after January's is issued.
  const klass = await desk.ok('classes.create', classInput({ name: 'Monthly', invoicePrefix: 'INV-', dueDays: 45, ...classFields }))
  const customer = async (customerId: string, extra: Partial<InputOf<'customers.create'>> = {}) =>
    (
      await desk.ok('customers.create', {
        customerId,
        companyName: customerId,
        balanceControl: 'postpaid',
        currency: 'USD',
        classId: klass.id,
        creditLimit: null,
        ...extra
      })
    ).id
  const submit = (customerId: number, operation: InputOf<'adjustments.submit'>['operation'], amount: string, extra: Partial<InputOf<'adjustments.submit'>> = {}) =>
    desk.call('adjustments.submit', {
      customerId,
      operation,
      amount,
      serviceId: operation === 'manual-charge' || operation === 'manual-credit' ? voice : null,
      operationKey: newKey(),
      ...extra
    })
  const done = async (...args: Parameters<typeof submit>) => {
    const r = await submit(...args)
    if (!r.ok) throw new Error(`${args[1]} ${args[2]}: ${r.error.message}`)
    return r.value
  }
  /** Move the clock and run what the scheduler runs: close due periods, then Overdue and suspension. */
  const at = async (t: number) => {
    clock.t = t
    return desk.app.core.runInvoiceTasks()
  }
  const invoices = async (customerId: number) => (await desk.ok('invoices.list', { customerId, limit: 100 })).rows.slice().reverse()
  const customerRow = (id: number) => desk.ok('customers.get', { id })
  /** A customer's audit entries, oldest first. */
  const auditOf = async (customerId: number) =>
    (await desk.ok('audit.list', { limit: 500 }))
      .filter((a) => a.customerId === customerId)
      .reverse()
      .map((a) => a.description)
  const ledgerOk = async () => expect((await desk.ok('ledger.check', {})).differences).toEqual([])
  /** The trace of a value (audit.trace). */
  const traceOf = (target: InputOf<'audit.trace'>['target'], id: number) => desk.ok('audit.trace', { target, id })
  return { ...desk, clock, voice, klass, customer, submit, done, at, invoices, customerRow, auditOf, ledgerOk, traceOf }
}

/** The source page: a 100.00 invoice reduced by 30.00, a 60.00 payment, 10.00 due, Partially paid, Overdue. */
export async function sourceStory() {
  const w = await world()
  const id = await w.customer('John Doe')
  await w.done(id, 'manual-charge', '100')
  await w.at(local(2026, 12, 1, 1))
  const [inv] = await w.invoices(id)
  w.clock.t = local(2026, 12, 3, 10)
  await w.ok('invoices.reduceAmountDue', { invoiceId: inv!.id, amount: '30', comment: 'Disputed calls' })
  w.clock.t = local(2026, 12, 8, 10)
  await w.done(id, 'manual-payment', '60')
  await w.at(local(2027, 1, 16, 0, 1))
  return { w, id, invoiceId: inv!.id }
}

/** Re-rate March for a class's customers, as a job run to its end. */
export async function rerateMarch(w: Awaited<ReturnType<typeof world>>, classId: number) {
  const job = await w.ok('rerating.start', { scope: { kind: 'class', classId }, from: '2026-03-01T00:00:00Z', to: '2026-04-01T00:00:00Z', priceListId: null })
  await w.app.core.jobs.settle()
  expect((await w.ok('rerating.status', { jobId: job.id })).state).toBe('completed')
}
