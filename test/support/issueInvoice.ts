/** An issued invoice for the PDF tests: a customer with one manual charge, its period closed now. */
import type { JobSnapshot } from '../../src-shared/domain'
import { newKey, type TestDesk } from './desk'

/** Creates customer `customerId` (USD, postpaid, no class), charges `amount`, closes its period a minute later: the invoice's id. */
export async function issueInvoice(desk: TestDesk, clock: { t: number }, customerId: string, amount: string): Promise<number> {
  const { ok } = desk
  const service = desk.addVoiceService()
  const c = await ok('customers.create', { customerId, companyName: `${customerId} Ltd`, balanceControl: 'postpaid', currency: 'USD', classId: null, creditLimit: null })
  await ok('adjustments.submit', { customerId: c.id, operation: 'manual-charge', amount, serviceId: service, operationKey: newKey() })
  clock.t += 60_000
  let job: JobSnapshot<unknown> = await ok('invoices.closeNow', { customerId: c.id })
  for (let i = 0; i < 2000 && job.state === 'running'; i++) {
    await new Promise((r) => setTimeout(r, 5))
    job = await ok('invoiceClose.status', { jobId: job.id })
  }
  return (await ok('invoices.list', { customerId: c.id })).rows[0]!.id
}
