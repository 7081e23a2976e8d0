import type { BalanceControl, CustomerFilters, CustomerRow, CustomerSortKey, CustomerStatus } from '../../src-shared/domain'
import { compareAmounts, currency } from '../../src-shared/money'
import type { Value } from '../db/access'
import type { DbReader } from '../db/store'
import type { StoredClass } from './customerClasses'
import type { StoredCustomer } from './customers'
import { numberOf } from './sql'
import type { ChangeReport } from './unitOfWork'

/**
 * The customer list in memory, for search-as-you-type at 50k customers: SQLite (WASM) needs
 * ~40 ms to scan 50k rows for a substring and count them; a JS scan takes a few ms.
 *
 * It stays exact without hooks in every writer: triggers (migration 0002) give each inserted or
 * changed customer a higher `row_version`, and each query first loads the rows above the highest
 * version it has seen. What triggers cannot see, it learns from the change each unit of work
 * reports (`applyChange`): a restore replaces everything, and a class renamed changes the class
 * name shown on every row of that class.
 */
interface Entry extends CustomerRow {
  classId: number | null
  /** Position in `byOrdinal` (and in the search blob). */
  ordinal: number
  /** Lowercased, accent-free: customer ID, company, phone, names, account IDs. */
  haystack: string
  customerIdKey: string
  companyKey: string
  classNameKey: string
  /** The currency's exponent: amounts sort by face value across currencies. */
  exponent: number
  /** One of its invoices is Overdue (customers.overdue_invoices, kept by triggers). */
  hasOverdueInvoice: boolean
}

/** The columns of LOAD_*_SQL: the customer's, its class's name and its account IDs. */
type LoadedRow = Pick<
  StoredCustomer,
  | 'id'
  | 'customer_id'
  | 'company_name'
  | 'balance_control'
  | 'currency'
  | 'balance_minor'
  | 'unallocated_minor'
  | 'credit_limit_minor'
  | 'status'
  | 'class_id'
  | 'phone'
  | 'first_name'
  | 'last_name'
  | 'row_version'
  | 'overdue_invoices'
> & { class_name: StoredClass['name'] | null; accounts: string | null }

export interface CustomerQuery {
  search: string
  filters: CustomerFilters
  sort: { key: CustomerSortKey; dir: 'asc' | 'desc' }
}

/** Fold case and accents so "lodz" finds "Łódź" and "cafe" finds "Café". */
export function foldForSearch(s: string): string {
  const lower = s.toLowerCase()
  if (/^[\x00-\x7f]*$/.test(lower)) return lower // most IDs and names: nothing to fold
  return lower.normalize('NFD').replace(/\p{M}/gu, '').replace(/ł/g, 'l').replace(/ø/g, 'o').replace(/ß/g, 'ss')
}

// Keys are folded once on load, so sorting compares plain strings (Intl.Collator is ~10x slower,
// which at 50k rows is the difference between 30 ms and 300 ms).
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

const KEY: Record<CustomerSortKey, (a: Entry, b: Entry) => number> = {
  customerId: (a, b) => cmp(a.customerIdKey, b.customerIdKey),
  companyName: (a, b) => cmp(a.companyKey, b.companyKey),
  balanceControl: (a, b) => cmp(a.balanceControl, b.balanceControl),
  // What the customer owes, so "largest first" means the biggest debts (prepaid funds are negative).
  balance: (a, b) => compareAmounts(a.balanceMinor, a.exponent, b.balanceMinor, b.exponent),
  unallocated: (a, b) => compareAmounts(a.unallocatedPaymentsMinor, a.exponent, b.unallocatedPaymentsMinor, b.exponent),
  // No limit sorts below every limit.
  creditLimit: (a, b) =>
    a.creditLimitMinor === null || b.creditLimitMinor === null
      ? (a.creditLimitMinor === null ? 0 : 1) - (b.creditLimitMinor === null ? 0 : 1)
      : compareAmounts(a.creditLimitMinor, a.exponent, b.creditLimitMinor, b.exponent),
  status: (a, b) => a.status.localeCompare(b.status),
  currency: (a, b) => a.currency.localeCompare(b.currency),
  className: (a, b) => cmp(a.classNameKey, b.classNameKey)
}

const COLUMNS = `c.id, c.customer_id, c.company_name, c.balance_control, c.currency, c.balance_minor,
    c.unallocated_minor, c.credit_limit_minor, c.status, c.class_id, k.name AS class_name, c.phone, c.first_name,
    c.last_name, c.row_version, c.overdue_invoices`
/** A few changed rows: look up each one's accounts. */
const LOAD_CHANGED_SQL = `SELECT ${COLUMNS},
    (SELECT group_concat(a.account_id, ' ') FROM accounts a WHERE a.customer_id = c.id) AS accounts
  FROM customers c LEFT JOIN customer_classes k ON k.id = c.class_id
  WHERE c.row_version > ?`
/** Everything (first look, or after a reset): one pass over accounts instead of one per row. */
const LOAD_ALL_SQL = `SELECT ${COLUMNS}, a.accounts
  FROM customers c LEFT JOIN customer_classes k ON k.id = c.class_id
  LEFT JOIN (SELECT customer_id, group_concat(account_id, ' ') AS accounts FROM accounts GROUP BY customer_id) a ON a.customer_id = c.id`

export class CustomerIndex {
  private entries = new Map<number, Entry>()
  private byOrdinal: Entry[] = []
  private seenVersion = -1
  /** Every entry sorted by a key (ascending, ties by customer ID), built on demand. */
  private sorted = new Map<CustomerSortKey, Entry[]>()
  /**
   * All haystacks in one string, entry by entry, with where each starts: one native indexOf
   * over a few MB finds a substring far faster than 50k separate includes() calls.
   */
  private blob: { text: string; starts: Int32Array } | null = null
  /**
   * Entries changed (or added) since the blob was built: searched one by one, so a payment does
   * not cost the next search a rebuild of the whole blob.
   */
  private staleInBlob = new Set<number>()
  /** A unit of work wrote customer_classes: compare class names on the next refresh. */
  private classesChanged = false

  /** Bring the index up to date with a committed change (Engine's change listener). */
  applyChange(change: ChangeReport): void {
    if (change.replacedDatabase) this.reset()
    else if (change.tables.has('customer_classes')) this.classesChanged = true
  }

  reset(): void {
    this.entries.clear()
    this.byOrdinal = []
    this.sorted.clear()
    this.blob = null
    this.staleInBlob.clear()
    this.seenVersion = -1
    this.classesChanged = false
  }

  /** Load what changed since the last look (everything the first time). */
  refresh(r: DbReader): void {
    if (this.classesChanged) {
      this.classesChanged = false
      // A new class is on no row yet; a renamed one is on every row of its class: start over.
      if (this.seenVersion >= 0 && this.classNamesDiffer(r)) this.reset()
    }
    const newest = numberOf(r, 'SELECT max(row_version) FROM customers') ?? 0
    if (newest === this.seenVersion) return
    const changed: Entry[] = []
    const rows = this.seenVersion < 0 ? r.values(LOAD_ALL_SQL) : r.values(LOAD_CHANGED_SQL, [this.seenVersion])
    for (const values of rows) {
      const row = asLoadedRow(values)
      const old = this.entries.get(row.id)
      const entry = toEntry(row, old?.ordinal ?? this.byOrdinal.length)
      this.entries.set(row.id, entry)
      this.byOrdinal[entry.ordinal] = entry
      changed.push(entry)
      if (old) for (const list of this.sorted.values()) list.splice(list.indexOf(old), 1)
    }
    this.seenVersion = newest
    if (this.blob) for (const e of changed) this.staleInBlob.add(e.ordinal)
    if (this.staleInBlob.size > 1000) {
      this.blob = null
      this.staleInBlob.clear()
    }
    // A few changed rows (a payment, an edit) are put into the sorted lists in place; a large
    // load just drops them to be rebuilt when next asked for.
    if (changed.length > 2000) this.sorted.clear()
    else for (const [key, list] of this.sorted) for (const e of changed) list.splice(insertionPoint(list, e, key), 0, e)
  }

  private classNamesDiffer(r: DbReader): boolean {
    const names = new Map(r.values('SELECT id, name FROM customer_classes').map(([id, name]) => [id as number, name as string]))
    for (const e of this.entries.values()) if (e.classId !== null && names.get(e.classId) !== e.className) return true
    return false
  }

  private sortedBy(key: CustomerSortKey): Entry[] {
    let list = this.sorted.get(key)
    if (!list) {
      list = [...this.entries.values()].sort((a, b) => compare(a, b, key))
      this.sorted.set(key, list)
    }
    return list
  }

  /** Ordinals of the entries whose haystack contains `needle`. */
  private searchHits(needle: string): Uint8Array {
    if (!this.blob) {
      const starts = new Int32Array(this.byOrdinal.length)
      let at = 0
      for (let i = 0; i < this.byOrdinal.length; i++) {
        starts[i] = at
        at += this.byOrdinal[i]!.haystack.length + 1
      }
      this.blob = { text: this.byOrdinal.map((e) => e.haystack).join('\u0000'), starts }
      this.staleInBlob.clear()
    }
    const { text, starts } = this.blob
    const hits = new Uint8Array(this.byOrdinal.length)
    let pos = text.indexOf(needle)
    while (pos !== -1) {
      // Which entry holds this position: the last start at or before it.
      let lo = 0
      let hi = starts.length - 1
      while (lo < hi) {
        const mid = (lo + hi + 1) >>> 1
        if (starts[mid]! <= pos) lo = mid
        else hi = mid - 1
      }
      hits[lo] = 1
      pos = lo + 1 < starts.length ? text.indexOf(needle, starts[lo + 1]!) : -1
    }
    for (const o of this.staleInBlob) hits[o] = this.byOrdinal[o]!.haystack.includes(needle) ? 1 : 0
    return hits
  }

  /** Matching rows in order (the caller pages them). */
  query(q: CustomerQuery): CustomerRow[] {
    const needle = foldForSearch(q.search.trim()).replace(/\u0000/g, '')
    const hits = needle === '' ? null : this.searchHits(needle)
    const f = q.filters
    const statuses = f.statuses && f.statuses.length > 0 ? new Set(f.statuses) : null
    const match = (e: Entry): boolean =>
      // Permanently terminated customers appear only when their status is asked for.
      (statuses ? statuses.has(e.status) : e.status !== 'permanently-terminated') &&
      (f.balanceControl === undefined || e.balanceControl === f.balanceControl) &&
      (f.currency === undefined || e.currency === f.currency) &&
      (f.classId === undefined || e.classId === f.classId) &&
      (f.overLimit !== true || isOverLimit(e)) &&
      (f.hasOverdueInvoice !== true || e.hasOverdueInvoice) &&
      (hits === null || hits[e.ordinal] === 1)
    const list = this.sortedBy(q.sort.key)
    const out: CustomerRow[] = []
    if (q.sort.dir === 'asc') {
      for (const e of list) if (match(e)) out.push(e)
    } else {
      for (let i = list.length - 1; i >= 0; i--) if (match(list[i]!)) out.push(list[i]!)
    }
    return out
  }
}

/**
 * "Over limit": a prepaid customer whose available funds are below zero (it owes something), or a
 * postpaid one owing more than its credit limit. A postpaid customer without a limit is never over.
 */
export function isOverLimit(c: Pick<CustomerRow, 'balanceControl' | 'balanceMinor' | 'creditLimitMinor'>): boolean {
  return c.balanceControl === 'prepaid' ? c.balanceMinor > 0 : c.creditLimitMinor !== null && c.balanceMinor > c.creditLimitMinor
}

function compare(a: Entry, b: Entry, key: CustomerSortKey): number {
  return KEY[key](a, b) || cmp(a.customerIdKey, b.customerIdKey) || a.id - b.id
}

function insertionPoint(list: Entry[], e: Entry, key: CustomerSortKey): number {
  let lo = 0
  let hi = list.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (compare(list[mid]!, e, key) < 0) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** The columns of LOAD_*_SQL, in order. */
function asLoadedRow(v: Value[]): LoadedRow {
  return {
    id: v[0] as number,
    customer_id: v[1] as string,
    company_name: v[2] as string,
    balance_control: v[3] as BalanceControl,
    currency: v[4] as string,
    balance_minor: v[5] as number,
    unallocated_minor: v[6] as number,
    credit_limit_minor: v[7] as number | null,
    status: v[8] as CustomerStatus,
    class_id: v[9] as number | null,
    class_name: v[10] as string | null,
    phone: v[11] as string,
    first_name: v[12] as string,
    last_name: v[13] as string,
    row_version: v[14] as number,
    overdue_invoices: v[15] as number,
    accounts: v[16] as string | null
  }
}

function toEntry(r: LoadedRow, ordinal: number): Entry {
  return {
    id: r.id,
    ordinal,
    customerId: r.customer_id,
    companyName: r.company_name,
    balanceControl: r.balance_control,
    currency: r.currency,
    balanceMinor: r.balance_minor,
    unallocatedPaymentsMinor: r.unallocated_minor,
    creditLimitMinor: r.credit_limit_minor,
    status: r.status,
    className: r.class_name,
    classId: r.class_id,
    haystack: foldForSearch([r.customer_id, r.company_name, r.phone, r.phone.replace(/[^\d+]/g, ''), r.first_name, r.last_name, r.accounts ?? ''].join('\u0001')),
    customerIdKey: foldForSearch(r.customer_id),
    companyKey: foldForSearch(r.company_name),
    classNameKey: foldForSearch(r.class_name ?? ''),
    exponent: currency(r.currency).exponent,
    hasOverdueInvoice: r.overdue_invoices > 0
  }
}
