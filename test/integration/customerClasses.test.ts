/**
 * Customer classes (src-main/engine/customerClasses.ts) through their channels: creating one,
 * refusing a duplicate name, a weekday beyond Sunday and a currency the class's customers do not
 * use, auditing each changed field with the number of customers it affects, and listing by name.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestDesk, type TestDesk, classInput } from '../support/desk'

let desk: TestDesk
beforeAll(async () => {
  desk = await openTestDesk()
})
afterAll(async () => {
  await desk.close()
})

const CLASS = classInput({ name: 'Residential', invoicePrefix: 'RES-' })

const classAudit = () =>
  desk.app.core.engine.read((r) =>
    r.all<{ kind: string; field: string | null; from_value: string | null; to_value: string | null; description: string }>(
      "SELECT kind, field, from_value, to_value, description FROM audit_log WHERE kind LIKE 'class.%' ORDER BY id"
    )
  )

describe('classes.create', () => {
  it('creates a class with no customers yet and audits it', async () => {
    const created = await desk.ok('classes.create', { ...CLASS, name: 'Business', currency: 'USD', billingPeriod: 'weekly', billingDay: 5 })
    expect(created).toMatchObject({ name: 'Business', currency: 'USD', billingPeriod: 'weekly', billingDay: 5, customerCount: 0, suspendOnOverdue: false })
    expect(classAudit().at(-1)).toMatchObject({ kind: 'class.create', description: 'Customer class "Business" created (USD, weekly).' })
  })

  it('refuses a name already taken, a weekday beyond 7 and a monthly day beyond 28, under the field, creating nothing', async () => {
    await desk.ok('classes.create', { ...CLASS, name: 'Taken' })
    const before = (await desk.ok('classes.list', {})).length
    expect(await desk.call('classes.create', { ...CLASS, name: 'Taken' })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', field: 'name', message: 'A customer class called "Taken" already exists.' }
    })
    expect(await desk.call('classes.create', { ...CLASS, name: 'Weekly', billingPeriod: 'weekly', billingDay: 8 })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', field: 'billingDay', message: 'For weekly billing, choose a weekday from 1 (Monday) to 7 (Sunday).' }
    })
    expect(await desk.call('classes.create', { ...CLASS, name: 'Monthly', billingDay: 31 })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', field: 'billingDay' }
    })
    expect(await desk.call('classes.create', { ...CLASS, name: 'Negative', dueDays: -3 })).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'dueDays' } })
    expect(await desk.ok('classes.list', {})).toHaveLength(before)
  })
})

describe('classes.update', () => {
  it('audits each changed field, saying how many customers it affects; an unchanged save writes nothing', async () => {
    const k = await desk.ok('classes.create', { ...CLASS, name: 'Prepaid cards' })
    for (const customerId of ['pc-1', 'pc-2']) {
      await desk.ok('customers.create', { customerId, companyName: '', balanceControl: 'prepaid', currency: 'EUR', classId: k.id, creditLimit: null })
    }
    const auditBefore = classAudit().length
    const updated = await desk.ok('classes.update', { ...CLASS, id: k.id, name: 'Prepaid cards', dueDays: 30, suspendOnOverdue: true })
    expect(updated).toMatchObject({ dueDays: 30, suspendOnOverdue: true, customerCount: 2 })
    expect(classAudit().slice(auditBefore)).toEqual([
      {
        kind: 'class.change',
        field: 'due_days',
        from_value: '14',
        to_value: '30',
        description: 'Customer class "Prepaid cards": invoice due days changed from "14" to "30". Affects 2 customers.'
      },
      {
        kind: 'class.change',
        field: 'suspend_on_overdue',
        from_value: 'off',
        to_value: 'on',
        description: 'Customer class "Prepaid cards": suspension on overdue invoice changed from "off" to "on". Affects 2 customers.'
      }
    ])
    await desk.ok('classes.update', { ...CLASS, id: k.id, name: 'Prepaid cards', dueDays: 30, suspendOnOverdue: true })
    expect(classAudit()).toHaveLength(auditBefore + 2)
  })

  it('refuses to limit a class to a currency some of its customers are not billed in', async () => {
    const k = await desk.ok('classes.create', { ...CLASS, name: 'Mixed currencies' })
    await desk.ok('customers.create', { customerId: 'mixed-eur', companyName: '', balanceControl: 'prepaid', currency: 'EUR', classId: k.id, creditLimit: null })
    expect(await desk.call('classes.update', { ...CLASS, id: k.id, name: 'Mixed currencies', currency: 'USD' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', field: 'currency', message: '1 customer of this class is billed in another currency, so the class cannot be limited to USD.' }
    })
    expect((await desk.ok('classes.list', {})).find((c) => c.id === k.id)?.currency).toBeNull()
    // The currency its customers do use is fine.
    expect((await desk.ok('classes.update', { ...CLASS, id: k.id, name: 'Mixed currencies', currency: 'EUR' })).currency).toBe('EUR')
  })

  it('refuses a class that does not exist, naming the id', async () => {
    expect(await desk.call('classes.update', { ...CLASS, id: 999_999 })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', field: 'id' } })
  })
})

it('classes.list is sorted by name whatever the case, with each class counting its customers', async () => {
  await desk.ok('classes.create', { ...CLASS, name: 'aardvark' })
  await desk.ok('classes.create', { ...CLASS, name: 'Zebra' })
  const names = (await desk.ok('classes.list', {})).map((c) => c.name)
  expect(names).toEqual([...names].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())))
  expect(names[0]).toBe('aardvark')
  expect(names.at(-1)).toBe('Zebra')
  expect((await desk.ok('classes.list', {})).find((c) => c.name === 'Prepaid cards')?.customerCount).toBe(2)
})

describe('classes and their customers', () => {
  const base = { companyName: '', classId: null, creditLimit: null } as const

  it('customer classes: unique names, currency limits checked against members, member count shown', async () => {
    const { ok, call, close } = await openTestDesk()
    const klass = classInput({ name: 'Callshop USD', suspendOnOverdue: true, suspensionGraceDays: 5, invoicePrefix: 'CS-' })
    const k = await ok('classes.create', klass)
    expect(await call('classes.create', { ...klass, name: 'callshop usd' })).toMatchObject({ ok: false, error: { code: 'CONFLICT', field: 'name' } })
    await ok('customers.create', { ...base, customerId: 'p1', balanceControl: 'postpaid', currency: 'EUR', classId: k.id })
    expect(await call('classes.update', { ...klass, id: k.id, currency: 'USD' })).toMatchObject({ ok: false, error: { field: 'currency' } })
    const updated = await ok('classes.update', { ...klass, id: k.id, dueDays: 7 })
    expect(updated).toMatchObject({ dueDays: 7, customerCount: 1 })
    expect((await ok('customers.list', {})).rows[0]?.className).toBe('Callshop USD')
    const audit = (await ok('audit.list', {})).map((a) => a.description)
    expect(audit).toContain('Customer class "Callshop USD": invoice due days changed from "14" to "7". Affects 1 customer.')
    await close()
  })
})
