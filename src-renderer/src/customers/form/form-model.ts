import type { InputOf } from '../../../../src-shared/contract'
import type { BalanceControl, CustomerDetail, CustomFieldDefinition } from '../../../../src-shared/domain'
import { formatMinor } from '../../../../src-shared/money'
import { formatPercent, parsePercent } from '../../classes/percent'

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

export type TabId = 'address' | 'balance' | 'invoices' | 'lifecycle' | 'accounts' | 'notes' | 'custom'

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
    creditLimit: d.creditLimitMinor === null ? '' : formatMinor(d.creditLimitMinor, d.currency, { grouping: false }),
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

/** A conversion the form itself cannot make (the engine never sees it). */
export class LocalFieldError extends Error {
  constructor(
    readonly field: string,
    message: string
  ) {
    super(message)
  }
}

function editable(v: CustomerFormValues, fields: readonly CustomFieldDefinition[]) {
  let taxRatePpmOverride: number | null = null
  if (v.taxRateOverride.trim() !== '') {
    const p = parsePercent(v.taxRateOverride)
    if (!p.ok) throw new LocalFieldError('taxRatePpmOverride', p.message)
    taxRatePpmOverride = p.ppm
  }
  let dueDaysOverride: number | null = null
  if (v.dueDaysOverride.trim() !== '') {
    const t = v.dueDaysOverride.trim()
    if (!/^\d{1,4}$/.test(t)) throw new LocalFieldError('dueDaysOverride', 'Enter a whole number of days, or leave it empty to use the class.')
    dueDaysOverride = Number(t)
  }
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
    dueDaysOverride,
    taxRatePpmOverride,
    customFields: fields.map((f) => ({ fieldId: f.id, value: (v.customFields[f.id] ?? '').trim() }))
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
