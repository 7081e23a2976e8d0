import type { CustomerRow } from '../../src-shared/domain'
import type { DbReader } from '../db/store'

interface StoredCustomer {
  id: number
  customer_id: string
  company_name: string
  balance_control: CustomerRow['balanceControl']
  currency: string
  balance_minor: number
  unallocated_minor: number
  credit_limit_minor: number | null
  status: CustomerRow['status']
  class_name: string | null
}

function toRow(c: StoredCustomer): CustomerRow {
  return {
    id: c.id,
    customerId: c.customer_id,
    companyName: c.company_name,
    balanceControl: c.balance_control,
    currency: c.currency,
    balanceMinor: c.balance_minor,
    unallocatedPaymentsMinor: c.unallocated_minor,
    creditLimitMinor: c.credit_limit_minor,
    status: c.status,
    className: c.class_name
  }
}

/** A page of customers matching `search` (customer ID or company name), by customer ID. */
export function listCustomers(r: DbReader, q: { search: string; offset: number; limit: number }): { total: number; rows: CustomerRow[] } {
  const like = `%${q.search.trim().replace(/[\\%_]/g, (ch) => '\\' + ch)}%`
  const where = `WHERE (c.customer_id LIKE ?1 ESCAPE '\\' OR c.company_name LIKE ?1 ESCAPE '\\') AND c.status <> 'permanently-terminated'`
  const total = r.get<{ n: number }>(`SELECT count(*) AS n FROM customers c ${where}`, [like])!.n
  const rows = r.all<StoredCustomer>(
    `SELECT c.*, k.name AS class_name FROM customers c LEFT JOIN customer_classes k ON k.id = c.class_id ${where}
     ORDER BY c.customer_id COLLATE NOCASE LIMIT ?2 OFFSET ?3`,
    [like, q.limit, q.offset]
  )
  return { total, rows: rows.map(toRow) }
}

export function countCustomers(r: DbReader): number {
  return r.get<{ n: number }>('SELECT count(*) AS n FROM customers')!.n
}
