/** A desk with a monthly class and a clock, for traces (test/integration/trace.test.ts, auditLinks.test.ts). */
import type { InputOf } from '../../src-shared/contract'
import { classInput, newKey, openTestDesk } from './desk'
import { local } from './lifecycleWorld'

export async function world(classFields: Partial<InputOf<'classes.create'>> = {}) {
  const clock = { t: local(2026, 11, 21, 10) }
  const desk = await openTestDesk({ now: () => clock.t })
  const voice = desk.addVoiceService()
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
  const done = async (customerId: number, operation: InputOf<'adjustments.submit'>['operation'], amount: string) => {
    const r = await desk.call('adjustments.submit', {
      customerId,
      operation,
      amount,
      serviceId: operation === 'manual-charge' || operation === 'manual-credit' ? voice : null,
      operationKey: newKey()
    })
    if (!r.ok) throw new Error(`${operation} ${amount}: ${r.error.message}`)
    return r.value
  }
  const at = async (t: number) => {
    clock.t = t
    return desk.app.core.runInvoiceTasks()
  }
  const invoices = async (customerId: number) => (await desk.ok('invoices.list', { customerId, limit: 100 })).rows.slice().reverse()
  const traceOf = (target: InputOf<'audit.trace'>['target'], id: number) => desk.ok('audit.trace', { target, id })
  return { ...desk, clock, voice, klass, customer, done, at, invoices, traceOf }
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
