import Papa from 'papaparse'
import { STATUS_LABEL } from '../../src-shared/labels'
import { formatMinor } from '../../src-shared/money'
import type { DbReader } from '../db/store'
import type { CustomerIndex, CustomerQuery } from './customerIndex'

const EXPORT_COLUMNS = [
  'customer_id',
  'company_name',
  'balance_control',
  'currency',
  'balance',
  'available_funds',
  'unallocated_payments',
  'credit_limit',
  'status',
  'class'
]

/**
 * Text a spreadsheet would run as a formula ("=HYPERLINK(...)") is kept as text with a leading
 * "'"; plain signed amounts ("-176.55") are numbers, not formulas, and stay as they are.
 */
export const FORMULA_START = /^(?![-+]?\d+(?:\.\d+)?$)[=+\-@\t\r]/

/**
 * Rows as CSV the way every export of the desk writes them: quoted where needed, CRLF, formulas
 * kept as text. The first chunk of a file (`first`) starts with a UTF-8 byte-order mark, so
 * spreadsheet programs read "Łódź" and "Москва" as written, and the header; a later chunk with no
 * rows is empty.
 */
export function csvChunk(fields: readonly string[], data: readonly (readonly (string | number)[])[], first = true): string {
  if (!first && data.length === 0) return ''
  const body = Papa.unparse({ fields: [...fields], data: data.map((row) => [...row]) }, { newline: '\r\n', escapeFormulae: FORMULA_START, header: first })
  return `${first ? '\uFEFF' : ''}${body}\r\n`
}

/**
 * The filtered, sorted list as CSV (amounts exact, in each customer's currency), with a UTF-8
 * byte-order mark so spreadsheet programs read "Łódź" and "Москва" as written.
 */
export function exportCustomersCsv(r: DbReader, index: CustomerIndex, q: CustomerQuery, nowIso: string): { fileName: string; csv: string; rows: number } {
  index.refresh(r)
  const rows = index.query(q)
  const plain = (minor: number, code: string) => formatMinor(minor, code, { grouping: false })
  const csv = csvChunk(
    EXPORT_COLUMNS,
    rows.map((c) => [
      c.customerId,
      c.companyName,
      c.balanceControl,
      c.currency,
      plain(c.balanceMinor, c.currency),
      c.balanceControl === 'prepaid' ? plain(-c.balanceMinor, c.currency) : '',
      plain(c.unallocatedPaymentsMinor, c.currency),
      c.creditLimitMinor === null ? '' : plain(c.creditLimitMinor, c.currency),
      STATUS_LABEL[c.status],
      c.className ?? ''
    ])
  )
  return { fileName: `customers-${nowIso.slice(0, 10)}.csv`, csv, rows: rows.length }
}
