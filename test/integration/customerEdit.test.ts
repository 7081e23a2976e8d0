/**
 * Creating and editing customers (src-main/engine/customerEdit.ts) through their channels: exact
 * opening amounts in the ledger and the audit log, refusals under the field at fault, edits that
 * never touch currency or balance, and the confirmation a credit limit below the balance needs.
 */
import { describe, expect, it } from 'vitest'
import type { InputOf } from '../../src-shared/contract'
import type { AuditEntry } from '../../src-shared/domain'
import { openTestDesk, classInput } from '../support/desk'

const base = { companyName: '', classId: null, creditLimit: null } as const

describe('customers.create and customers.update', () => {
  it('creates prepaid and postpaid customers with exact opening amounts, audited and in the ledger', async () => {
    const { app, ok, close } = await openTestDesk()
    const pre = await ok('customers.create', {
      ...base,
      customerId: 'smartcall',
      companyName: 'SmartCall Ltd',
      balanceControl: 'prepaid',
      currency: 'USD',
      openingBalance: '75.00'
    })
    expect(pre).toMatchObject({ balanceControl: 'prepaid', balanceMinor: -7500, status: 'active', creditLimitMinor: null })
    const post = await ok('customers.create', {
      ...base,
      customerId: 'easycall',
      companyName: 'Easy Call Ltd',
      balanceControl: 'postpaid',
      currency: 'KWD',
      openingBalance: '1,234.567',
      creditLimit: '500'
    })
    expect(post).toMatchObject({ balanceMinor: 1234567, creditLimitMinor: 500000, currency: 'KWD' })
    // The opening balance is the first ledger record, so balance = sum of the ledger from the start.
    const ledger = app.core.engine.read((r) => r.get<{ s: number }>('SELECT sum(amount_minor) AS s FROM xdrs WHERE customer_id = ?', [post.id])!.s)
    expect(ledger).toBe(1234567)
    const audit = await ok('audit.list', {})
    const texts = audit.filter((a: AuditEntry) => a.customerId === post.id).map((a) => a.description)
    expect(texts).toContain('Customer "easycall" created: postpaid, KWD, credit limit 500.000.')
    expect(texts.some((t) => /^Balance changed from 0\.000 to 1,234\.567 \(increased by 1,234\.567\)\. Source – opening balance \(xDR id \d+\)$/.test(t))).toBe(true)
    expect(texts).toContain('Status set to "Active" (Created).')
    await close()
  })

  it('rejects bad customers with the field at fault and writes nothing', async () => {
    const { ok, call, close } = await openTestDesk()
    await ok('customers.create', { ...base, customerId: 'MegaTrunk', balanceControl: 'postpaid', currency: 'EUR', openingBalance: '' })
    const eurClass = await ok('classes.create', classInput({ name: 'Reseller EUR', currency: 'EUR', dueDays: 30, invoicePrefix: 'EU-' }))
    const cases: [InputOf<'customers.create'>, string, RegExp][] = [
      [{ ...base, customerId: 'megatrunk', balanceControl: 'postpaid', currency: 'EUR' }, 'customerId', /already used/],
      [{ ...base, customerId: 'a1', balanceControl: 'prepaid', currency: 'USD', creditLimit: '100' }, 'creditLimit', /Prepaid customers have no credit limit/],
      [{ ...base, customerId: 'a2', balanceControl: 'postpaid', currency: 'USD', openingBalance: '1.234' }, 'openingBalance', /at most 2 decimal places/],
      [{ ...base, customerId: 'a3', balanceControl: 'postpaid', currency: 'USD', classId: eurClass.id }, 'classId', /bills in EUR/],
      [{ ...base, customerId: 'a4', balanceControl: 'prepaid', currency: 'JPY', openingBalance: '-5' }, 'openingBalance', /cannot start below zero/],
      [{ ...base, customerId: '  ', balanceControl: 'prepaid', currency: 'USD' }, 'customerId', /required/]
    ]
    for (const [input, field, message] of cases) {
      const res = await call('customers.create', input)
      expect(res.ok, JSON.stringify(input)).toBe(false)
      if (!res.ok) {
        expect(res.error.field).toBe(field)
        expect(res.error.message).toMatch(message)
      }
    }
    expect((await ok('customers.list', {})).total).toBe(1)
    await close()
  })

  it('never changes currency or balance through an edit, and audits each edited field from -> to', async () => {
    const { ok, call, close } = await openTestDesk()
    const c = await ok('customers.create', {
      ...base,
      customerId: 'johndoe',
      companyName: 'John Doe',
      balanceControl: 'postpaid',
      currency: 'PLN',
      openingBalance: '40',
      creditLimit: '100'
    })
    const currencyChange = await call('customers.update', { ...base, id: c.id, currency: 'USD' } as unknown as InputOf<'customers.update'>)
    expect(currencyChange).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
    const updated = await ok('customers.update', { ...base, id: c.id, companyName: 'John Doe Telecom', creditLimit: '150.50', phone: '+48 600 100 200' })
    expect(updated).toMatchObject({ companyName: 'John Doe Telecom', creditLimitMinor: 15050, balanceMinor: 4000, currency: 'PLN' })
    const audit = (await ok('audit.list', {})).map((a) => a.description)
    expect(audit).toContain('Company name changed from "John Doe" to "John Doe Telecom".')
    expect(audit).toContain('Permanent credit limit changed from 100.00 to 150.50 (increased by 50.50).')
    expect(audit).toContain('Phone changed from (empty) to "+48 600 100 200".')
    await close()
  })

  it('asks for confirmation before a credit limit below the current balance', async () => {
    const { ok, call, close } = await openTestDesk()
    const c = await ok('customers.create', { ...base, customerId: 'owing', balanceControl: 'postpaid', currency: 'USD', openingBalance: '300', creditLimit: '500' })
    const res = await call('customers.update', { ...base, id: c.id, creditLimit: '200' })
    expect(res).toMatchObject({ ok: false, error: { code: 'CONFLICT', field: 'creditLimit' } })
    expect((await ok('customers.get', { id: c.id })).creditLimitMinor).toBe(50000)
    const confirmed = await ok('customers.update', { ...base, id: c.id, creditLimit: '200', confirmCreditLimitBelowBalance: true })
    expect(confirmed.creditLimitMinor).toBe(20000)
    await close()
  })
})
