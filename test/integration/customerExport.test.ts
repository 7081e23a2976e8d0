/**
 * The customer list as CSV (src-main/engine/customerExport.ts) through customers.exportCsv.
 */
import { describe, expect, it } from 'vitest'
import { openTestDesk } from '../support/desk'

const base = { companyName: '', classId: null, creditLimit: null } as const

describe('customers.exportCsv', () => {
  it('exports the filtered list as CSV with exact amounts', async () => {
    const { ok, close } = await openTestDesk()
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
    await close()
  })
})
