import type { LedgerCheckResult, LedgerTransaction } from '../../src-shared/domain'
import { AppError } from '../../src-shared/errors'
import { formatMoney } from '../../src-shared/money'
import type { DbReader } from '../db/store'
import { countCustomers, type StoredCustomer } from './customers'
import type { StoredService } from './services'
import type { Work } from './unitOfWork'

/**
 * The ledger: every change to a balance is an xDR that is never edited or deleted, and each
 * customer's balance and unallocated payments equal the sums of their records' effects.
 */
/** A row of xdrs: usage records and money transactions in one numbered space (the ledger). */
export interface StoredXdr {
  id: number
  kind: string
  /** NULL only on a usage record whose account is unknown (unrated, see migration 0012). */
  customer_id: number | null
  account_id: number | null
  service_id: number | null
  started_at: string
  duration_s: number
  destination: string
  amount_minor: number
  unallocated_delta_minor: number
  effective_date: string | null
  out_of_turn: number
  visible_comment: string
  internal_comment: string
  operator_name: string | null
  created_at: string
  switch_record_id: string | null
  account_ref: string | null
  rating: 'rated' | 'unrated' | null
  unrated_reason: string | null
  charge_minor: number | null
  billed_s: number | null
  prefix: string | null
  price_list_version_id: number | null
  rated_at: string | null
  import_id: number | null
  rerating_id: number | null
}

type TransactionRow = Pick<
  StoredXdr,
  'id' | 'created_at' | 'kind' | 'amount_minor' | 'unallocated_delta_minor' | 'effective_date' | 'out_of_turn' | 'visible_comment' | 'internal_comment' | 'operator_name'
> & { service_name: StoredService['name'] | null }

function toLedgerTransaction(x: TransactionRow): LedgerTransaction {
  return {
    xdrId: x.id,
    at: x.created_at,
    kind: x.kind,
    amountMinor: x.amount_minor,
    unallocatedDeltaMinor: x.unallocated_delta_minor,
    serviceName: x.service_name,
    effectiveDate: x.effective_date,
    outOfTurn: x.out_of_turn === 1,
    visibleComment: x.visible_comment,
    internalComment: x.internal_comment,
    operatorName: x.operator_name
  }
}

export interface LedgerEntry {
  kind: string
  customerId: number
  /** Effect on the balance (what the customer owes): charges +, payments and credits -. */
  amountMinor: number
  unallocatedDeltaMinor: number
  serviceId: number | null
  effectiveDate: string | null
  outOfTurn: boolean
  visibleComment: string
  internalComment: string
}

/**
 * `before + change`, refused in words when the result leaves the safe-integer range: beyond it
 * JavaScript numbers (and so every amount the app shows and stores) stop being exact to the
 * minor unit. `what` names the amount as a person reads it ("balance", "unallocated payments").
 */
export function recordableSum(before: number, change: number, currencyCode: string, what: string, field = 'amount'): number {
  const after = before + change
  if (!Number.isSafeInteger(after)) {
    throw new AppError(
      'VALIDATION',
      `This would take the ${what} beyond the largest amount the billing desk can record: ${formatMoney(Number.MAX_SAFE_INTEGER, currencyCode)} either way.`,
      field
    )
  }
  return after
}

/** Append a record and move the customer's balance and unallocated payments with it. */
export function postToLedger(w: Work, e: LedgerEntry): { xdrId: number; balanceMinor: number; unallocatedMinor: number } {
  const c = w.get<Pick<StoredCustomer, 'balance_minor' | 'unallocated_minor' | 'currency'>>(
    'SELECT balance_minor, unallocated_minor, currency FROM customers WHERE id = ?',
    [e.customerId]
  )
  if (!c) throw new AppError('NOT_FOUND', `Customer ${e.customerId} does not exist.`, 'customerId')
  // Checked before anything is written, so a refusal leaves the unit of work untouched.
  const balanceMinor = recordableSum(c.balance_minor, e.amountMinor, c.currency, 'balance')
  const unallocatedMinor = recordableSum(c.unallocated_minor, e.unallocatedDeltaMinor, c.currency, 'unallocated payments')
  const xdrId = w.insert(
    `INSERT INTO xdrs (kind, customer_id, service_id, started_at, amount_minor, unallocated_delta_minor, effective_date, out_of_turn,
       visible_comment, internal_comment, operator_name, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      e.kind,
      e.customerId,
      e.serviceId,
      w.at,
      e.amountMinor,
      e.unallocatedDeltaMinor,
      e.effectiveDate,
      e.outOfTurn ? 1 : 0,
      e.visibleComment,
      e.internalComment,
      w.actor.operatorName,
      w.at
    ]
  )
  w.run('UPDATE customers SET balance_minor = ?, unallocated_minor = ?, updated_at = ? WHERE id = ?', [balanceMinor, unallocatedMinor, w.at, e.customerId])
  return { xdrId, balanceMinor, unallocatedMinor }
}

/**
 * Recompute every balance and unallocated amount from the ledger and report any difference.
 * Unallocated payments = the records' unallocated deltas − the net payments applied to invoices
 * (invoice_payments: applications, and refunds' un-applications).
 */
export function checkLedger(r: DbReader): LedgerCheckResult {
  const rows = r.all<
    Pick<StoredCustomer, 'id' | 'customer_id' | 'currency' | 'balance_minor' | 'unallocated_minor'> & { ledger_balance: number; ledger_unallocated: number }
  >(
    `SELECT c.id, c.customer_id, c.currency, c.balance_minor, c.unallocated_minor,
       coalesce(x.balance, 0) AS ledger_balance, coalesce(x.unallocated, 0) - coalesce(p.applied, 0) AS ledger_unallocated
     FROM customers c LEFT JOIN (
       SELECT customer_id, sum(amount_minor) AS balance, sum(unallocated_delta_minor) AS unallocated FROM xdrs GROUP BY customer_id
     ) x ON x.customer_id = c.id
     LEFT JOIN (
       SELECT i.customer_id, sum(ip.amount_minor) AS applied FROM invoice_payments ip JOIN invoices i ON i.id = ip.invoice_id GROUP BY i.customer_id
     ) p ON p.customer_id = c.id
     WHERE c.balance_minor <> coalesce(x.balance, 0) OR c.unallocated_minor <> coalesce(x.unallocated, 0) - coalesce(p.applied, 0)
     ORDER BY c.id`
  )
  const checked = countCustomers(r)
  return {
    ok: rows.length === 0,
    customersChecked: checked,
    differences: rows.map((d) => ({
      customerId: d.id,
      customerName: d.customer_id,
      currency: d.currency,
      balanceMinor: d.balance_minor,
      ledgerBalanceMinor: d.ledger_balance,
      unallocatedMinor: d.unallocated_minor,
      ledgerUnallocatedMinor: d.ledger_unallocated
    }))
  }
}

/** A customer's money records, newest first (usage records are not listed here). */
export function listTransactions(r: DbReader, q: { customerId: number; beforeXdrId?: number | undefined; limit: number }): LedgerTransaction[] {
  // An empty list would read as "no money moved yet" for a customer that is not there at all.
  if (!r.get('SELECT 1 AS found FROM customers WHERE id = ?', [q.customerId])) {
    throw new AppError('NOT_FOUND', `Customer ${q.customerId} does not exist.`, 'customerId')
  }
  return r
    .all<TransactionRow>(
      `SELECT x.id, x.created_at, x.kind, x.amount_minor, x.unallocated_delta_minor, s.name AS service_name, x.effective_date,
         x.out_of_turn, x.visible_comment, x.internal_comment, x.operator_name
       FROM xdrs x LEFT JOIN services s ON s.id = x.service_id
       WHERE x.customer_id = ? AND x.kind <> 'usage' AND x.id < ? ORDER BY x.id DESC LIMIT ?`,
      [q.customerId, q.beforeXdrId ?? Number.MAX_SAFE_INTEGER, q.limit]
    )
    .map(toLedgerTransaction)
}
