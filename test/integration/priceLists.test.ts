/**
 * Price lists (src-main/engine/priceLists.ts) through their channels: creating a list, checking a
 * version's CSV with every problem by line and column, uploading only a file without problems,
 * choosing the version in force at an instant, comparing a version with the one before it, and
 * assigning a list to a class or a customer in their currency; each change audited.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { InputOf } from '../../src-shared/contract'
import { openTestDesk, type TestDesk, classInput } from '../support/desk'

let desk: TestDesk
beforeAll(async () => {
  desk = await openTestDesk()
})
afterAll(async () => {
  await desk.close()
})

const HEADER = 'prefix,description,price_per_minute,connection_fee,first_interval,next_interval,free_seconds'

const priceAudit = () =>
  desk.app.core.engine.read((r) =>
    r.all<{ kind: string; customer_id: number | null; from_value: string | null; to_value: string | null; description: string }>(
      "SELECT kind, customer_id, from_value, to_value, description FROM audit_log WHERE kind LIKE 'priceList.%' ORDER BY id"
    )
  )
const rateCount = () => desk.app.core.engine.read((r) => r.get<{ n: number }>('SELECT count(*) AS n FROM price_list_rates')?.n ?? 0)

let listSeq = 0
async function newList(currency: InputOf<'priceLists.create'>['currency'] = 'USD') {
  listSeq += 1
  return desk.ok('priceLists.create', { name: `Tariff ${listSeq}`, currency })
}

describe('priceLists.create', () => {
  it('creates a list in a currency, audited, and refuses a name already taken whatever its case', async () => {
    const list = await desk.ok('priceLists.create', { name: 'Retail', currency: 'EUR' })
    expect(list).toMatchObject({ name: 'Retail', currency: 'EUR', versionCount: 0 })
    expect(priceAudit().at(-1)).toMatchObject({ kind: 'priceList.create', description: 'Price list "Retail" created (EUR).' })
    expect(await desk.call('priceLists.create', { name: 'RETAIL', currency: 'USD' })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', field: 'name', message: 'A price list called "RETAIL" already exists.' }
    })
    expect((await desk.ok('priceLists.list', {})).filter((l) => l.name.toLowerCase() === 'retail')).toHaveLength(1)
  })
})

describe('priceLists.previewVersion', () => {
  it('reports each bad cell by line and column and keeps the good rows', async () => {
    const list = await newList()
    const csv = [
      HEADER,
      '44,UK,0.01234,0,60,60,0',
      '44,UK again,0.02,0,60,60,0',
      '+49,Germany,0.02,0,60,60,0',
      '33,France,-0.5,0,60,60,0',
      '34,Spain,0.123456,abc,60,60,0',
      '39,Italy,0.02,0,0,1.5,-1',
      '1,USA,0.00500,0.1,30,6,10'
    ].join('\n')
    const preview = await desk.ok('priceLists.previewVersion', { priceListId: list.id, csv })
    expect(preview.totalRows).toBe(7)
    expect(preview.rates.map((r) => r.prefix)).toEqual(['44', '1'])
    expect(preview.rates[0]).toMatchObject({ pricePerMinute: '0.01234', connectionFee: '0.00', firstInterval: 60 })
    expect(preview.rates[1]).toMatchObject({ pricePerMinute: '0.005', connectionFee: '0.10', nextInterval: 6, freeSeconds: 10 })
    expect(preview.issues.map((i) => [i.line, i.field])).toEqual([
      [3, 'prefix'],
      [4, 'prefix'],
      [5, 'price_per_minute'],
      [6, 'price_per_minute'],
      [6, 'connection_fee'],
      [7, 'first_interval'],
      [7, 'next_interval'],
      [7, 'free_seconds']
    ])
    expect(preview.issues[0]?.message).toBe('Prefix 44 is already on line 2; each prefix appears once.')
    expect(preview.issues[2]?.message).toBe('Price per minute cannot be negative ("-0.5").')
    expect(preview.issues[3]?.message).toBe('Price per minute "0.123456" has more than 5 decimal places.')
  })

  it('reads a BOM, ";" separators and Windows line endings', async () => {
    const list = await newList()
    const csv = `\uFEFF${HEADER.replaceAll(',', ';')}\r\n44;UK;0.01;0;60;60;0\r\n49;Germany;0.02;0.05;30;6;0\r\n`
    const preview = await desk.ok('priceLists.previewVersion', { priceListId: list.id, csv })
    expect(preview.issues).toEqual([])
    expect(preview.rates.map((r) => [r.prefix, r.description, r.pricePerMinute])).toEqual([
      ['44', 'UK', '0.01'],
      ['49', 'Germany', '0.02']
    ])
  })

  it('names a missing or unknown column in the header', async () => {
    const list = await newList()
    const preview = await desk.ok('priceLists.previewVersion', { priceListId: list.id, csv: 'prefix,price,first_interval\n44,1,60' })
    expect(preview.issues.map((i) => i.field)).toEqual(['price', 'price_per_minute', 'connection_fee', 'next_interval', 'free_seconds'])
    expect(preview.issues.every((i) => i.line === 1)).toBe(true)
  })
})

describe('priceLists.uploadVersion', () => {
  it('uploads nothing from a file with one bad row, and names its line and column', async () => {
    const list = await newList()
    const before = { rates: rateCount(), audit: priceAudit().length }
    const csv = `${HEADER}\n44,UK,0.01,0,60,60,0\n49,Germany,0.02,0,60,-6,0`
    expect(await desk.call('priceLists.uploadVersion', { priceListId: list.id, csv, effectiveFrom: '2026-03-01T00:00:00Z' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', field: 'csv', message: expect.stringContaining('line 3, column next_interval') }
    })
    expect(rateCount()).toBe(before.rates)
    expect(priceAudit()).toHaveLength(before.audit)
    expect((await desk.ok('priceLists.get', { id: list.id })).versions).toEqual([])
  })

  it('chooses the version in force by instant, effective exactly at its effective-from', async () => {
    const list = await newList()
    const march = await desk.ok('priceLists.uploadVersion', {
      priceListId: list.id,
      csv: `${HEADER}\n44,UK,0.01,0,60,60,0`,
      effectiveFrom: '2026-03-01T00:00:00+01:00'
    })
    expect(march).toMatchObject({ effectiveFrom: '2026-02-28T23:00:00.000Z', rowCount: 1, operatorName: expect.any(String) })
    const april = await desk.ok('priceLists.uploadVersion', { priceListId: list.id, csv: `${HEADER}\n44,UK,0.02,0,60,60,0`, effectiveFrom: '2026-04-01T00:00:00Z' })
    const at = async (instant: string) => (await desk.ok('priceLists.versionAt', { priceListId: list.id, at: instant })).version?.id ?? null
    expect(await at('2026-02-28T22:59:59.999Z')).toBeNull()
    expect(await at('2026-02-28T23:00:00Z')).toBe(march.id)
    expect(await at('2026-03-31T23:59:59.999Z')).toBe(march.id)
    expect(await at('2026-04-01T00:00:00Z')).toBe(april.id)
    expect(await at('2026-04-01T02:00:00+02:00')).toBe(april.id)
    const detail = await desk.ok('priceLists.get', { id: list.id })
    expect(detail.versions.map((v) => v.id)).toEqual([april.id, march.id])
    expect(detail.versionCount).toBe(2)
    expect(priceAudit().at(-1)?.description).toBe(`Price list "${list.name}": version effective from 2026-04-01T00:00:00.000Z uploaded with 1 prefix.`)
    // A second version at the same instant corrects the first: it is in force from then on, the
    // wrong one stays listed as history, and comparing shows what the correction changed.
    const fix = await desk.ok('priceLists.uploadVersion', { priceListId: list.id, csv: `${HEADER}\n44,UK,0.03,0,60,60,0`, effectiveFrom: '2026-04-01T00:00:00Z' })
    expect(await at('2026-04-01T00:00:00Z')).toBe(fix.id)
    expect(await at('2026-03-31T23:59:59.999Z')).toBe(march.id)
    expect((await desk.ok('priceLists.get', { id: list.id })).versions.map((v) => v.id)).toEqual([fix.id, april.id, march.id])
    expect(priceAudit().at(-1)?.description).toContain(`replacing the version uploaded earlier for the same instant (id ${april.id})`)
    const compared = await desk.ok('priceLists.compare', { versionId: fix.id })
    expect(compared.previous?.id).toBe(april.id)
    expect(compared.changed.map((c) => [c.prefix, c.fields])).toEqual([['44', ['price per minute']]])
  })
})

describe('priceLists.compare', () => {
  it('lists prefixes added, removed and changed against the version before', async () => {
    const list = await newList()
    const first = await desk.ok('priceLists.uploadVersion', {
      priceListId: list.id,
      csv: `${HEADER}\n44,UK,0.01,0,60,60,0\n49,Germany,0.02,0,60,60,0\n33,France,0.03,0,60,60,0`,
      effectiveFrom: '2026-03-01T00:00:00Z'
    })
    const second = await desk.ok('priceLists.uploadVersion', {
      priceListId: list.id,
      csv: `${HEADER}\n44,UK,0.015,0,60,60,0\n49,Germany,0.02,0,30,6,0\n1,USA,0.005,0,60,60,0`,
      effectiveFrom: '2026-04-01T00:00:00Z'
    })
    const cmp = await desk.ok('priceLists.compare', { versionId: second.id })
    expect(cmp.previous?.id).toBe(first.id)
    expect(cmp.added.map((r) => r.prefix)).toEqual(['1'])
    expect(cmp.removed.map((r) => r.prefix)).toEqual(['33'])
    expect(cmp.changed.map((c) => [c.prefix, c.before.pricePerMinute, c.after.pricePerMinute, c.fields])).toEqual([
      ['44', '0.01', '0.015', ['price per minute']],
      ['49', '0.02', '0.02', ['first interval', 'next interval']]
    ])
    const firstCmp = await desk.ok('priceLists.compare', { versionId: first.id })
    expect(firstCmp.previous).toBeNull()
    expect(firstCmp.added).toHaveLength(3)
  })
})

describe('assignment to classes and customers', () => {
  it('assigns a list to a class per service in the class currency, and overrides it per customer, audited', async () => {
    const serviceId = desk.addVoiceService()
    const usd = await newList('USD')
    const eur = await newList('EUR')
    const k = await desk.ok('classes.create', classInput({ name: 'Booths', currency: 'USD', invoicePrefix: 'B-' }))
    const auditBefore = priceAudit().length
    expect(await desk.call('priceLists.assignToClass', { classId: k.id, serviceId, priceListId: eur.id })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', field: 'priceListId', message: `Class "Booths" bills in USD; price list "${eur.name}" is in EUR.` }
    })
    expect(priceAudit()).toHaveLength(auditBefore)
    await desk.ok('priceLists.assignToClass', { classId: k.id, serviceId, priceListId: usd.id })
    expect(priceAudit().at(-1)).toMatchObject({ kind: 'priceList.assignClass', from_value: '', to_value: usd.name })

    const customer = await desk.ok('customers.create', {
      customerId: 'booth-7',
      companyName: '',
      balanceControl: 'prepaid',
      currency: 'USD',
      classId: k.id,
      creditLimit: null
    })
    expect(await desk.call('priceLists.overrideForCustomer', { customerId: customer.id, serviceId, priceListId: eur.id })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', field: 'priceListId', message: `Customer booth-7 is billed in USD; price list "${eur.name}" is in EUR.` }
    })
    const usd2 = await newList('USD')
    await desk.ok('priceLists.overrideForCustomer', { customerId: customer.id, serviceId, priceListId: usd2.id })
    expect(priceAudit().at(-1)).toMatchObject({ kind: 'priceList.overrideCustomer', customer_id: customer.id, to_value: usd2.name })
  })
})
