import type { CustomerRow } from '../../src-shared/domain'
import type { DbReader } from '../db/store'
import type { CustomerIndex, CustomerQuery } from './customerIndex'

/** One page of the customer list, from the index kept in memory (customerIndex.ts). */
export function listCustomers(
  r: DbReader,
  index: CustomerIndex,
  q: CustomerQuery & { offset: number; limit: number }
): { total: number; offset: number; rows: CustomerRow[] } {
  index.refresh(r)
  const all = index.query(q)
  return { total: all.length, offset: q.offset, rows: all.slice(q.offset, q.offset + q.limit).map(plainRow) }
}

function plainRow(e: CustomerRow): CustomerRow {
  return {
    id: e.id,
    customerId: e.customerId,
    companyName: e.companyName,
    balanceControl: e.balanceControl,
    currency: e.currency,
    balanceMinor: e.balanceMinor,
    unallocatedPaymentsMinor: e.unallocatedPaymentsMinor,
    creditLimitMinor: e.creditLimitMinor,
    status: e.status,
    className: e.className
  }
}
