/**
 * The forms validate with the contract's schemas: what the form refuses, and with which message
 * under which field, is what the main process would answer for the same typed values.
 */
import { describe, expect, it } from 'vitest'
import { classInput, settingsInput } from '../../src-shared/contract'
import { contractValidate, typedWhole } from '../../src-renderer/src/lib/contract-form'

describe('contract form validation', () => {
  it('keeps typed whole numbers as typed and converts only real ones', () => {
    expect(typedWhole('31')).toBe(31)
    expect(typedWhole(' -3 ')).toBe(-3)
    expect(typedWhole('1,000,000')).toBe(1_000_000)
    expect(typedWhole('abc')).toBe('abc')
    expect(typedWhole('1.5')).toBe('1.5')
    expect(typedWhole('')).toBe('')
  })

  it('refuses settings with the schema’s message under the field', () => {
    const validate = contractValidate(settingsInput, (v: { days: string }) => ({ companyName: 'X', address: '', cardAuthorizationDays: typedWhole(v.days) }))
    expect(validate({ days: '-3' })).toEqual({ cardAuthorizationDays: 'At least 1 day.' })
    expect(validate({ days: 'abc' })).toEqual({ cardAuthorizationDays: 'Enter a whole number.' })
    expect(validate({ days: '' })).toEqual({ cardAuthorizationDays: 'Enter a whole number.' })
    expect(validate({ days: '7' })).toEqual({})
  })

  it('gives the same message the main process gives for a class', () => {
    const input = {
      name: 'C',
      currency: null,
      billingPeriod: 'monthly',
      billingDay: 31,
      dueDays: -3,
      suspendOnOverdue: true,
      suspensionGraceDays: 0,
      reactivationDays: 30,
      taxRatePpm: 0,
      invoicePrefix: ''
    }
    const errors = contractValidate(classInput, (v: typeof input) => v)(input)
    const issues = classInput.safeParse(input).error!.issues
    expect(errors.billingDay).toBe(issues.find((i) => i.path[0] === 'billingDay')!.message)
    expect(errors.billingDay).toBe('Billing day is 1-28 (monthly) or 1-7 (weekly).')
    expect(errors.dueDays).toBe('Due days cannot be negative.')
  })
})
