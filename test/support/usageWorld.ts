/**
 * A small world for usage tests: a USD class whose voice usage is rated by one price list, and
 * customers with accounts in it. Prices are in USD per minute; `tariffCsv` builds a version file.
 */
import type { InputOf } from '../../src-shared/contract'
import { classInput, type TestDesk } from './desk'

export const TARIFF_HEADER = 'prefix,description,price_per_minute,connection_fee,first_interval,next_interval,free_seconds'

/** A price-list version file from rows like "44,UK,0.10,0,60,60,0". */
export const tariffCsv = (...rows: string[]) => [TARIFF_HEADER, ...rows].join('\n')

let worldSeq = 0

export async function usageWorld(desk: TestDesk, opts: { currency?: 'USD' | 'EUR' | 'JPY' | 'KWD' } = {}) {
  const n = ++worldSeq
  const currency = opts.currency ?? 'USD'
  const serviceId = desk.addVoiceService()
  const klass = await desk.ok('classes.create', classInput({ name: `Usage class ${n}`, currency }))
  const list = await desk.ok('priceLists.create', { name: `Usage tariff ${n}`, currency })
  await desk.ok('priceLists.assignToClass', { classId: klass.id, serviceId, priceListId: list.id })
  const upload = (effectiveFrom: string, ...rows: string[]) => desk.ok('priceLists.uploadVersion', { priceListId: list.id, csv: tariffCsv(...rows), effectiveFrom })
  let customerSeq = 0
  const customer = async (fields: Partial<InputOf<'customers.create'>> = {}, accounts: string[] = []) => {
    customerSeq += 1
    const c = await desk.ok('customers.create', {
      customerId: `usage-${n}-${customerSeq}`,
      companyName: '',
      balanceControl: 'postpaid',
      currency,
      classId: klass.id,
      creditLimit: null,
      ...fields
    })
    for (const accountId of accounts) await desk.ok('customers.addAccount', { id: c.id, accountId })
    return c
  }
  return { serviceId, klass, list, upload, customer, currency }
}
