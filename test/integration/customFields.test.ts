/**
 * Custom fields (src-main/engine/customFields.ts): an administrator defines them through
 * customFields.create (text, number or date; names unique), customers.update values them, each
 * value checked against its field's kind and audited from -> to, and every field shows on every
 * customer's page ('' where it has no value).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestDesk, type TestDesk } from '../support/desk'

const base = { companyName: '', classId: null, creditLimit: null } as const

let desk: TestDesk
beforeAll(async () => {
  desk = await openTestDesk()
})
afterAll(async () => {
  await desk.close()
})

const storedValues = () => desk.app.core.engine.read((r) => r.all('SELECT * FROM customer_custom_values ORDER BY customer_id, field_id'))

describe('customFields.create', () => {
  it('defines text, number and date fields, audited, listed by name whatever the case; a taken name is refused', async () => {
    const { ok, call } = desk
    const created = [
      await ok('customFields.create', { name: 'tax office', kind: 'text' }),
      await ok('customFields.create', { name: 'Booths', kind: 'number' }),
      await ok('customFields.create', { name: 'Licence expiry', kind: 'date' })
    ]
    expect(created.map((f) => [f.name, f.kind])).toEqual([
      ['tax office', 'text'],
      ['Booths', 'number'],
      ['Licence expiry', 'date']
    ])
    const listed = await ok('customFields.list', {})
    expect(listed.map((f) => f.name).filter((n) => created.some((c) => c.name === n))).toEqual(['Booths', 'Licence expiry', 'tax office'])
    expect(await call('customFields.create', { name: 'Booths', kind: 'text' })).toMatchObject({ ok: false, error: { code: 'CONFLICT', field: 'name' } })
    expect(await call('customFields.create', { name: 'Colour', kind: 'colour' as 'text' })).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'kind' } })
    expect((await ok('customFields.list', {})).length).toBe(listed.length)
    const audit = (await ok('audit.list', {})).map((a) => a.description)
    expect(audit).toContain('Custom field "Booths" (number) defined.')
    expect(audit).toContain('Custom field "Licence expiry" (date) defined.')
  })
})

describe('custom field values', () => {
  it('refuses a date field value that is not a date, and saves a text value', async () => {
    const { ok, call } = desk
    const c = await ok('customers.create', { ...base, customerId: 'booths', balanceControl: 'prepaid', currency: 'USD' })
    const field = await ok('customFields.create', { name: 'VAT number', kind: 'text' })
    const date = await ok('customFields.create', { name: 'Contract start', kind: 'date' })
    expect(await call('customers.update', { ...base, id: c.id, customFields: [{ fieldId: date.id, value: 'soon' }] })).toMatchObject({
      ok: false,
      error: { field: `customFields.${date.id}` }
    })
    const saved = await ok('customers.update', { ...base, id: c.id, customFields: [{ fieldId: field.id, value: 'PL123' }] })
    expect(saved.customFields.find((f) => f.name === 'VAT number')?.value).toBe('PL123')
  })

  it('checks each value against its kind, naming the field, and stores nothing of a refused update', async () => {
    const { ok, call } = desk
    const c = await ok('customers.create', { ...base, customerId: 'kinds', balanceControl: 'postpaid', currency: 'USD' })
    const [number, date] = [await ok('customFields.create', { name: 'Seats', kind: 'number' }), await ok('customFields.create', { name: 'Opened on', kind: 'date' })]
    const before = storedValues()
    const refusals: [number, string, string][] = [
      [number.id, 'twelve', 'Seats must be a number.'],
      [number.id, '1,5', 'Seats must be a number.'],
      [date.id, '30.11.2026', 'Opened on must be a date like 2026-11-30.'],
      [date.id, '2026-02-30', 'Opened on must be a real date like 2026-11-30.']
    ]
    for (const [fieldId, value, message] of refusals) {
      // A valid value alongside is not stored either: the update is one unit.
      const res = await call('customers.update', {
        ...base,
        id: c.id,
        phone: '555',
        customFields: [
          { fieldId: number.id, value: '3' },
          { fieldId, value }
        ]
      })
      expect(res, value).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: `customFields.${fieldId}`, message } })
    }
    expect(await call('customers.update', { ...base, id: c.id, customFields: [{ fieldId: 999_999, value: 'x' }] })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND', field: 'customFields.999999' }
    })
    expect(storedValues()).toEqual(before)
    expect((await ok('customers.get', { id: c.id })).phone).toBe('')

    const saved = await ok('customers.update', {
      ...base,
      id: c.id,
      customFields: [
        { fieldId: number.id, value: '-12.5' },
        { fieldId: date.id, value: '2028-02-29' }
      ]
    })
    expect(saved.customFields.filter((f) => f.fieldId === number.id || f.fieldId === date.id).map((f) => [f.name, f.kind, f.value])).toEqual([
      ['Opened on', 'date', '2028-02-29'],
      ['Seats', 'number', '-12.5']
    ])
  })

  it('every field shows on every customer, empty where unset; clearing a value removes it, each change audited', async () => {
    const { ok } = desk
    const c = await ok('customers.create', { ...base, customerId: 'audited', balanceControl: 'postpaid', currency: 'USD' })
    const region = await ok('customFields.create', { name: 'Region', kind: 'text' })
    const fields = await ok('customFields.list', {})
    const fresh = await ok('customers.get', { id: c.id })
    expect(fresh.customFields.map((f) => [f.fieldId, f.value])).toEqual(fields.map((f) => [f.id, '']))

    await ok('customers.update', { ...base, id: c.id, customFields: [{ fieldId: region.id, value: 'North' }] })
    await ok('customers.update', { ...base, id: c.id, customFields: [{ fieldId: region.id, value: 'South' }] })
    const cleared = await ok('customers.update', { ...base, id: c.id, customFields: [{ fieldId: region.id, value: '' }] })
    expect(cleared.customFields.find((f) => f.fieldId === region.id)?.value).toBe('')
    expect(desk.app.core.engine.read((r) => r.all('SELECT * FROM customer_custom_values WHERE customer_id = ?', [c.id]))).toEqual([])
    const audit = (await ok('audit.list', {})).filter((a) => a.customerId === c.id).map((a) => a.description)
    expect(audit).toContain('Region changed from (empty) to "North".')
    expect(audit).toContain('Region changed from "North" to "South".')
    expect(audit).toContain('Region changed from "South" to (empty).')
  })
})
