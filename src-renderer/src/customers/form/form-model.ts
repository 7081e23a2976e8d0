import { customerCreateInput, customerUpdateInput, type InputOf } from '../../../../src-shared/contract'
import type { BalanceControl, CustomerDetail, CustomFieldDefinition } from '../../../../src-shared/domain'
import { formatAmount } from '../../../../src-shared/format'
import { parseAmount } from '../../../../src-shared/money'
import { contractValidate, typedWhole } from '../../lib/contract-form'
import { formatPercent, parsePercent } from '../../../../src-shared/percent'

/**
 * What the customer form holds while someone types: text as typed. Amounts stay text (the engine
 * parses them exactly in the customer's currency); only the tax percent is turned into ppm here,
 * since the contract takes ppm.
 */
export interface CustomerFormValues {
  customerId: string
  blocked: boolean
  balanceControl: BalanceControl
  currency: string | null
  classId: string | null
  creditLimit: string
  openingBalance: string
  companyName: string
  firstName: string
  lastName: string
  phone: string
  email: string
  address: string
  city: string
  zip: string
  country: string
  notes: string
  /** Empty: take the class's value. */
  dueDaysOverride: string
  /** Percent as typed; empty: take the class's value. */
  taxRateOverride: string
  customFields: Record<number, string>
}

export type TabId = 'address' | 'balance' | 'usage' | 'invoices' | 'lifecycle' | 'accounts' | 'notes' | 'custom' | 'pricelists' | 'audit'

export const ADDRESS_FIELDS = ['companyName', 'firstName', 'lastName', 'phone', 'email', 'address', 'city', 'zip', 'country'] as const

/** Which tab holds a field the engine named in an error (top-of-form fields: none). */
export function tabOfField(field: string): TabId | null {
  if ((ADDRESS_FIELDS as readonly string[]).includes(field)) return 'address'
  if (field === 'dueDaysOverride' || field === 'taxRatePpmOverride') return 'invoices'
  if (field === 'notes') return 'notes'
  if (field.startsWith('customFields')) return 'custom'
  if (field === 'accountId') return 'accounts'
  return null
}

export function emptyValues(defaultCurrency: string | null): CustomerFormValues {
  return {
    customerId: '',
    blocked: false,
    balanceControl: 'postpaid',
    currency: defaultCurrency,
    classId: null,
    creditLimit: '',
    openingBalance: '',
    companyName: '',
    firstName: '',
    lastName: '',
    phone: '',
    email: '',
    address: '',
    city: '',
    zip: '',
    country: '',
    notes: '',
    dueDaysOverride: '',
    taxRateOverride: '',
    customFields: {}
  }
}

export function valuesFromDetail(d: CustomerDetail): CustomerFormValues {
  const customFields: Record<number, string> = {}
  for (const f of d.customFields) customFields[f.fieldId] = f.value
  return {
    customerId: d.customerId,
    blocked: d.blocked,
    balanceControl: d.balanceControl,
    currency: d.currency,
    classId: d.classId === null ? null : String(d.classId),
    creditLimit: d.creditLimitMinor === null ? '' : formatAmount(d.creditLimitMinor, d.currency),
    openingBalance: '',
    companyName: d.companyName,
    firstName: d.firstName,
    lastName: d.lastName,
    phone: d.phone,
    email: d.email,
    address: d.address,
    city: d.city,
    zip: d.zip,
    country: d.country,
    notes: d.notes,
    dueDaysOverride: d.dueDaysOverride === null ? '' : String(d.dueDaysOverride),
    taxRateOverride: d.taxRatePpmOverride === null ? '' : formatPercent(d.taxRatePpmOverride),
    customFields
  }
}

/**
 * The request as the form would send it. What cannot be converted (letters in a number) is passed
 * on as typed, so the contract's schema refuses it under its field (see validateCustomer).
 */
function editable(v: CustomerFormValues, fields: readonly CustomFieldDefinition[]) {
  const tax = v.taxRateOverride.trim() === '' ? null : parsePercent(v.taxRateOverride)
  const due = v.dueDaysOverride.trim() === '' ? null : typedWhole(v.dueDaysOverride)
  return {
    companyName: v.companyName,
    classId: v.classId === null ? null : Number(v.classId),
    // Prepaid customers have no credit limit; the control is hidden for them.
    creditLimit: v.balanceControl === 'prepaid' || v.creditLimit.trim() === '' ? null : v.creditLimit,
    firstName: v.firstName,
    lastName: v.lastName,
    phone: v.phone,
    email: v.email,
    address: v.address,
    city: v.city,
    zip: v.zip,
    country: v.country,
    notes: v.notes,
    dueDaysOverride: due as number | null,
    taxRatePpmOverride: (tax === null ? null : tax.ok ? tax.ppm : v.taxRateOverride) as number | null,
    customFields: fields.map((f) => ({ fieldId: f.id, value: (v.customFields[f.id] ?? '').trim() }))
  }
}

const validateCreate = contractValidate(customerCreateInput, (x: { v: CustomerFormValues; fields: readonly CustomFieldDefinition[] }) => toCreateInput(x.v, x.fields))
const validateUpdate = contractValidate(customerUpdateInput, (x: { v: CustomerFormValues; fields: readonly CustomFieldDefinition[] }) =>
  toUpdateInput(1, x.v, x.fields, false)
)

/**
 * The contract's verdict on the form, keyed by the engine's field names (as its errors are):
 * the same messages the main process would answer with. The tax percent has its own wording.
 */
export function validateCustomer(v: CustomerFormValues, fields: readonly CustomFieldDefinition[], existing: boolean): Record<string, string> {
  const raw = (existing ? validateUpdate : validateCreate)({ v, fields })
  const errors: Record<string, string> = {}
  for (const [path, message] of Object.entries(raw)) {
    const key = customFieldErrorKey(path, fields)
    if (errors[key] === undefined && typeof message === 'string') errors[key] = message
  }
  const tax = v.taxRateOverride.trim() === '' ? null : parsePercent(v.taxRateOverride)
  if (tax && !tax.ok) errors.taxRatePpmOverride = tax.message
  return errors
}

/**
 * An opening balance that starts the customer over its credit limit, in words (null when it does
 * not, or when either amount cannot be read yet: the schema and the engine judge those).
 */
export function openingOverLimit(v: CustomerFormValues): string | null {
  if (v.balanceControl !== 'postpaid' || v.currency === null || v.creditLimit.trim() === '' || v.openingBalance.trim() === '') return null
  try {
    const limit = parseAmount(v.creditLimit, v.currency, 'creditLimit')
    const opening = parseAmount(v.openingBalance, v.currency, 'openingBalance')
    if (opening <= limit) return null
    return `The opening balance ${formatAmount(opening, v.currency)} is over the credit limit ${formatAmount(limit, v.currency)} by ${formatAmount(opening - limit, v.currency)}: the customer starts over the limit, and usage is refused until it is paid down.`
  } catch {
    return null
  }
}

export function toCreateInput(v: CustomerFormValues, fields: readonly CustomFieldDefinition[]): InputOf<'customers.create'> {
  return {
    customerId: v.customerId,
    blocked: v.blocked,
    balanceControl: v.balanceControl,
    currency: v.currency ?? '',
    openingBalance: v.openingBalance,
    ...editable(v, fields)
  }
}

export function toUpdateInput(
  id: number,
  v: CustomerFormValues,
  fields: readonly CustomFieldDefinition[],
  confirmCreditLimitBelowBalance: boolean
): InputOf<'customers.update'> {
  return { id, ...editable(v, fields), confirmCreditLimitBelowBalance }
}

/**
 * The engine names a custom field's error "customFields.<fieldId>" (its own checks) or
 * "customFields.<index>.value" (schema checks on the array we sent); both become the field id.
 */
export function customFieldErrorKey(field: string, sent: readonly CustomFieldDefinition[]): string {
  const m = /^customFields\.(\d+)(\.value)?$/.exec(field)
  if (!m) return field
  if (m[2]) {
    const def = sent[Number(m[1])]
    return def ? `customFields.${def.id}` : field
  }
  return field
}
