import type { ParsedInputOf } from './contract'

/**
 * The customer import's CSV columns (docs/customer-import.md), in the template's order, each with
 * the customer form field it fills (the contract's key). The engine reads files by these names and
 * the import dialog offers the same template: one list for both.
 */
export const IMPORT_COLUMN_FIELDS = {
  customer_id: 'customerId',
  company_name: 'companyName',
  balance_control: 'balanceControl',
  currency: 'currency',
  class: 'classId',
  credit_limit: 'creditLimit',
  opening_balance: 'openingBalance',
  blocked: 'blocked',
  first_name: 'firstName',
  last_name: 'lastName',
  phone: 'phone',
  email: 'email',
  address: 'address',
  city: 'city',
  zip: 'zip',
  country: 'country',
  notes: 'notes'
} as const satisfies Record<string, keyof ParsedInputOf<'customers.create'>>

export type ImportColumn = keyof typeof IMPORT_COLUMN_FIELDS

/** The CSV columns the import reads, in this order; one customer per line after the header. */
export const IMPORT_COLUMNS = Object.keys(IMPORT_COLUMN_FIELDS) as ImportColumn[]

/** Columns every file must have. */
export const REQUIRED_IMPORT_COLUMNS: readonly ImportColumn[] = ['customer_id', 'balance_control', 'currency']
