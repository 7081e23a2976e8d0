import type { CustomerStatus } from '../../src-shared/domain'
import { AppError } from '../../src-shared/errors'
import { editRefusal } from '../../src-shared/statusRules'
import type { DbReader } from '../db/store'
import { numberOf } from './sql'

/**
 * The customers table: its row (the one definition of its shape). The list is in
 * customerList.ts, creating and editing in customerEdit.ts, the page's detail in customerDetail.ts, the CSV export in
 * customerExport.ts, accounts in accounts.ts and custom fields in customFields.ts.
 */

/** Defaults when a customer has no class and no override. */
export const DEFAULT_DUE_DAYS = 14
export const DEFAULT_BILLING = { billingPeriod: 'monthly' as const, billingDay: 1 }

/** A row of the customers table, as SQLite returns it: the one definition of its shape. */
export interface StoredCustomer {
  id: number
  customer_id: string
  company_name: string
  balance_control: 'prepaid' | 'postpaid'
  currency: string
  class_id: number | null
  credit_limit_minor: number | null
  balance_minor: number
  unallocated_minor: number
  status: CustomerStatus
  phone: string
  email: string
  address: string
  country: string
  first_name: string
  last_name: string
  city: string
  zip: string
  notes: string
  due_days_override: number | null
  tax_rate_ppm_override: number | null
  blocked: number
  suspended: number
  suspension_lifted_until: string | null
  lifecycle: 'active' | 'provisionally-terminated' | 'permanently-terminated' | 'exported'
  provisionally_terminated_at: string | null
  reactivation_deadline: string | null
  terminated_at: string | null
  created_at: string
  updated_at: string
  /** Raised by triggers on every change to the row or its accounts (migration 0002). */
  row_version: number
  /** How many of its invoices are Overdue, kept by triggers on invoices (migration 0018). */
  overdue_invoices: number
}

export function loadCustomer(r: DbReader, id: number): StoredCustomer {
  const c = r.get<StoredCustomer>('SELECT * FROM customers WHERE id = ?', [id])
  if (!c) throw new AppError('NOT_FOUND', `Customer ${id} does not exist.`, 'id')
  return c
}

export function countCustomers(r: DbReader): number {
  return numberOf(r, 'SELECT count(*) FROM customers') ?? 0
}

/** Permanently terminated and exported customers take no edits (docs/customer-lifecycle.md). */
export function checkEditable(c: StoredCustomer, field?: string): void {
  const refusal = editRefusal(c.status)
  if (refusal) throw new AppError('VALIDATION', refusal, field)
}
