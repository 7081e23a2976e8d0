import { describe, expect, it } from 'vitest'
import { openBillingApp } from '../../src-main/app'
import type { Channel, InputOf, ResultOf } from '../../src-shared/contract'
import type { AuditEntry } from '../../src-shared/domain'
import type { IpcResponse } from '../../src-shared/errors'
import { formatMinor } from '../../src-shared/money'
import { tmpDataDir } from '../support/tmp'

const clock = { now: Date.parse('2026-11-21T10:00:00Z') }

async function desk(demo = false) {
  const app = await openBillingApp({ dataDir: tmpDataDir(), now: () => clock.now, log: () => {}, dailyBackupDelayMs: 3_600_000 })
  const call = async <C extends Channel>(channel: C, input: InputOf<C>) => (await app.dispatch(channel, input, { transport: 'test' })) as IpcResponse<ResultOf<C>>
  const ok = async <C extends Channel>(channel: C, input: InputOf<C>): Promise<ResultOf<C>> => {
    const res = await call(channel, input)
    if (!res.ok) throw new Error(`${channel}: ${res.error.code} ${res.error.message}`)
    return res.value
  }
  await ok('setup.complete', { companyName: 'Test Callshop', address: '', defaultCurrency: 'USD', loadDemoData: demo })
  return { app, call, ok }
}

const base = { companyName: '', classId: null, creditLimit: null } as const

describe('customers', () => {
  it('creates prepaid and postpaid customers with exact opening amounts, audited and in the ledger', async () => {
    const { app, ok } = await desk()
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
    await app.close()
  })

  it('rejects bad customers with the field at fault and writes nothing', async () => {
    const { app, ok, call } = await desk()
    await ok('customers.create', { ...base, customerId: 'MegaTrunk', balanceControl: 'postpaid', currency: 'EUR', openingBalance: '' })
    const eurClass = await ok('classes.create', {
      name: 'Reseller EUR',
      currency: 'EUR',
      billingPeriod: 'monthly',
      billingDay: 1,
      dueDays: 30,
      suspendOnOverdue: false,
      suspensionGraceDays: 0,
      reactivationDays: 30,
      taxRatePpm: 0,
      invoicePrefix: 'EU-'
    })
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
    await app.close()
  })

  it('never changes currency or balance through an edit, and audits each edited field from -> to', async () => {
    const { app, ok, call } = await desk()
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
    await app.close()
  })

  it('asks for confirmation before a credit limit below the current balance', async () => {
    const { app, ok, call } = await desk()
    const c = await ok('customers.create', { ...base, customerId: 'owing', balanceControl: 'postpaid', currency: 'USD', openingBalance: '300', creditLimit: '500' })
    const res = await call('customers.update', { ...base, id: c.id, creditLimit: '200' })
    expect(res).toMatchObject({ ok: false, error: { code: 'CONFLICT', field: 'creditLimit' } })
    expect((await ok('customers.get', { id: c.id })).creditLimitMinor).toBe(50000)
    const confirmed = await ok('customers.update', { ...base, id: c.id, creditLimit: '200', confirmCreditLimitBelowBalance: true })
    expect(confirmed.creditLimitMinor).toBe(20000)
    await app.close()
  })

  it('lists, searches (ID, company, phone, account; accents folded), filters and sorts', async () => {
    const { app, ok } = await desk(true)
    const search = async (s: string) => (await ok('customers.list', { search: s, limit: 500 })).rows.map((r) => r.customerId)
    expect(await search('easy call')).toContain('easycall')
    expect(await search('ECL-BOOTH')).toContain('easycall') // by account
    expect((await search('lodz')).length).toBeGreaterThan(0) // "Łódź" without the Polish letters
    const all = await ok('customers.list', { limit: 500 })
    expect(all.rows.some((r) => r.status === 'permanently-terminated')).toBe(false)
    const terminated = await ok('customers.list', { filters: { statuses: ['permanently-terminated'] }, limit: 500 })
    expect(terminated.total).toBeGreaterThan(0)
    expect(terminated.rows.every((r) => r.status === 'permanently-terminated')).toBe(true)
    const byBalance = await ok('customers.list', { sort: { key: 'balance', dir: 'desc' }, limit: 500 })
    // By face value across currencies (exponent applied, no exchange rate).
    const faceValues = byBalance.rows.map((r) => Number(formatMinor(r.balanceMinor, r.currency, { grouping: false })))
    expect(faceValues).toEqual([...faceValues].sort((a, b) => b - a))
    const prepaidUsd = await ok('customers.list', { filters: { balanceControl: 'prepaid', currency: 'USD' }, limit: 500 })
    expect(prepaidUsd.rows.every((r) => r.balanceControl === 'prepaid' && r.currency === 'USD')).toBe(true)
    const over = await ok('customers.list', { filters: { overCreditLimit: true }, limit: 500 })
    expect(over.rows.every((r) => r.creditLimitMinor !== null && r.balanceMinor > r.creditLimitMinor)).toBe(true)
    expect((await ok('customers.list', { filters: { hasOverdueInvoice: true } })).total).toBe(0)
    // A change shows in the next answer: the index picks up the new row version.
    const c = await ok('customers.create', { ...base, customerId: 'zz-new', companyName: 'Zebra Ščuka', balanceControl: 'prepaid', currency: 'PLN' })
    expect(await search('scuka')).toEqual(['zz-new'])
    await ok('customers.update', { ...base, id: c.id, companyName: 'Quokka Calls' })
    expect(await search('scuka')).toEqual([])
    expect(await search('quokka')).toEqual(['zz-new'])
    await app.close()
  })

  it('sorts by balance, unallocated payments and credit limit by the amount, across currencies', async () => {
    const { app, ok } = await desk(false)
    // KWD 88.434 is 88434 minor units: by raw minor units it would sort above PLN 1,026.88.
    const make = (customerId: string, currency: string, openingBalance: string, creditLimit: string) =>
      ok('customers.create', { ...base, customerId, balanceControl: 'postpaid', currency, openingBalance, creditLimit })
    await make('pln-1026', 'PLN', '1026.88', '2000')
    await make('kwd-88', 'KWD', '88.434', '100.000')
    await make('pln-790', 'PLN', '790.80', '900')
    await make('jpy-5000', 'JPY', '5000', '6000')
    await make('usd-88-43', 'USD', '88.43', '150')
    const order = async (key: 'balance' | 'creditLimit', dir: 'asc' | 'desc') =>
      (await ok('customers.list', { sort: { key, dir }, limit: 500 })).rows.map((r) => r.customerId)
    expect(await order('balance', 'desc')).toEqual(['jpy-5000', 'pln-1026', 'pln-790', 'kwd-88', 'usd-88-43'])
    expect(await order('balance', 'asc')).toEqual(['usd-88-43', 'kwd-88', 'pln-790', 'pln-1026', 'jpy-5000'])
    expect(await order('creditLimit', 'desc')).toEqual(['jpy-5000', 'pln-1026', 'pln-790', 'usd-88-43', 'kwd-88'])
    await app.close()
  })

  it('exports the filtered list as CSV with exact amounts', async () => {
    const { app, ok } = await desk()
    await ok('customers.create', { ...base, customerId: 'a', companyName: 'Comma, Inc', balanceControl: 'prepaid', currency: 'USD', openingBalance: '1234.5' })
    await ok('customers.create', { ...base, customerId: 'b', balanceControl: 'postpaid', currency: 'JPY', openingBalance: '700' })
    await ok('customers.create', {
      ...base,
      customerId: 'lodz',
      companyName: '=HYPERLINK("x") Łódź Москва',
      balanceControl: 'prepaid',
      currency: 'PLN',
      openingBalance: '5'
    })
    const out = await ok('customers.exportCsv', { filters: { balanceControl: 'prepaid' } })
    expect(out.rows).toBe(2)
    // A UTF-8 byte-order mark first, so Excel reads Łódź and Москва as written.
    expect(out.csv.startsWith('\uFEFF')).toBe(true)
    expect(out.csv.slice(1).split('\r\n')).toEqual([
      'customer_id,company_name,balance_control,currency,balance,available_funds,unallocated_payments,credit_limit,status,class',
      'a,"Comma, Inc",prepaid,USD,-1234.50,1234.50,0.00,,Active,',
      // Text a spreadsheet would run as a formula is kept as text; negative amounts stay numbers.
      `lodz,"'=HYPERLINK(""x"") Łódź Москва",prepaid,PLN,-5.00,5.00,0.00,,Active,`,
      ''
    ])
    await app.close()
  })

  it('customer classes: unique names, currency limits checked against members, member count shown', async () => {
    const { app, ok, call } = await desk()
    const klass = {
      name: 'Callshop USD',
      currency: null,
      billingPeriod: 'monthly',
      billingDay: 1,
      dueDays: 14,
      suspendOnOverdue: true,
      suspensionGraceDays: 5,
      reactivationDays: 30,
      taxRatePpm: 0,
      invoicePrefix: 'CS-'
    } as const
    const k = await ok('classes.create', klass)
    expect(await call('classes.create', { ...klass, name: 'callshop usd' })).toMatchObject({ ok: false, error: { code: 'CONFLICT', field: 'name' } })
    await ok('customers.create', { ...base, customerId: 'p1', balanceControl: 'postpaid', currency: 'EUR', classId: k.id })
    expect(await call('classes.update', { ...klass, id: k.id, currency: 'USD' })).toMatchObject({ ok: false, error: { field: 'currency' } })
    const updated = await ok('classes.update', { ...klass, id: k.id, dueDays: 7 })
    expect(updated).toMatchObject({ dueDays: 7, customerCount: 1 })
    expect((await ok('customers.list', {})).rows[0]?.className).toBe('Callshop USD')
    const audit = (await ok('audit.list', {})).map((a) => a.description)
    expect(audit).toContain('Customer class "Callshop USD": invoice due days changed from "14" to "7". Affects 1 customer.')
    await app.close()
  })

  it('accounts and custom fields', async () => {
    const { app, ok, call } = await desk()
    const c = await ok('customers.create', { ...base, customerId: 'booths', balanceControl: 'prepaid', currency: 'USD' })
    await ok('customers.addAccount', { id: c.id, accountId: 'BOOTH-01' })
    expect(await call('customers.addAccount', { id: c.id, accountId: 'booth-01' })).toMatchObject({ ok: false, error: { code: 'CONFLICT', field: 'accountId' } })
    const field = await ok('customFields.create', { name: 'VAT number', kind: 'text' })
    const date = await ok('customFields.create', { name: 'Contract start', kind: 'date' })
    expect(await call('customers.update', { ...base, id: c.id, customFields: [{ fieldId: date.id, value: 'soon' }] })).toMatchObject({
      ok: false,
      error: { field: `customFields.${date.id}` }
    })
    const saved = await ok('customers.update', { ...base, id: c.id, customFields: [{ fieldId: field.id, value: 'PL123' }] })
    expect(saved.accounts.map((a) => a.accountId)).toEqual(['BOOTH-01'])
    expect(saved.customFields.find((f) => f.name === 'VAT number')?.value).toBe('PL123')
    await app.close()
  })
})
