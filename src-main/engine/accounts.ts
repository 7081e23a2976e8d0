import type { CustomerDetail } from '../../src-shared/domain'
import { AppError } from '../../src-shared/errors'
import type { DbReader } from '../db/store'
import { checkEditable, loadCustomer, type StoredCustomer } from './customers'
import type { Work } from './unitOfWork'

/** A row of the accounts table: a customer's account IDs (the usage records' key). */
export interface StoredAccount {
  id: number
  customer_id: number
  account_id: string
  status: string
  created_at: string
}

export function toAccount(a: Pick<StoredAccount, 'id' | 'account_id' | 'status' | 'created_at'>): CustomerDetail['accounts'][number] {
  return { id: a.id, accountId: a.account_id, status: a.status, createdAt: a.created_at }
}

export function accountsOf(r: DbReader, customerRowId: number): CustomerDetail['accounts'] {
  return r
    .all<Pick<StoredAccount, 'id' | 'account_id' | 'status' | 'created_at'>>(
      'SELECT id, account_id, status, created_at FROM accounts WHERE customer_id = ? ORDER BY account_id',
      [customerRowId]
    )
    .map(toAccount)
}

export function addAccount(w: Work, customerRowId: number, accountId: string): void {
  const c = loadCustomer(w, customerRowId)
  checkEditable(c, 'accountId')
  const taken = w.get<Pick<StoredCustomer, 'customer_id'>>('SELECT c.customer_id FROM accounts a JOIN customers c ON c.id = a.customer_id WHERE a.account_id = ?', [
    accountId
  ])
  if (taken) throw new AppError('CONFLICT', `Account "${accountId}" already belongs to customer "${taken.customer_id}".`, 'accountId')
  w.insert("INSERT INTO accounts (customer_id, account_id, status, created_at) VALUES (?, ?, 'active', ?)", [c.id, accountId, w.at])
  w.audit({ kind: 'customer.account', customerId: c.id, field: 'accounts', from: null, to: accountId, description: `Account "${accountId}" added.` })
}
