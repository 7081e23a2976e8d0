import Papa from 'papaparse'
import { customerCreateInput, type ParsedInputOf } from '../../src-shared/contract'
import type { ImportIssue, ImportPreview } from '../../src-shared/domain'
import { AppError } from '../../src-shared/errors'
import { CURRENCY_CODES, parseAmount } from '../../src-shared/money'
import { IMPORT_COLUMN_FIELDS, IMPORT_COLUMNS, REQUIRED_IMPORT_COLUMNS, type ImportColumn } from '../../src-shared/importColumns'
import type { DbReader } from '../db/store'
import { createCustomer } from './customerEdit'
import type { StoredCustomer } from './customers'
import type { Work } from './unitOfWork'

/**
 * Customers from a CSV file (moving from another system): see docs/customer-import.md.
 * The preview and the commit run the same validation; the commit writes only when every row is
 * valid, or only the valid rows when the person chose that, all in the caller's unit of work.
 */

type CreateInput = ParsedInputOf<'customers.create'>

const FIELD_TO_COLUMN = new Map<string, ImportColumn>(IMPORT_COLUMNS.map((c) => [IMPORT_COLUMN_FIELDS[c], c]))

/** Issues listed in a preview; the rest are counted in one closing line. */
export const MAX_LISTED_ISSUES = 500
const SAMPLE_ROWS = 20

/** The database compares customer IDs and class names with NOCASE, which folds ASCII letters only. */
const fold = (s: string) => s.replace(/[A-Z]/g, (ch) => ch.toLowerCase())

/** "Customer ID", "customer-id", " CUSTOMER_ID " -> "customer_id". */
const normaliseHeader = (h: string) => fold(h.trim()).replace(/[\s-]+/g, '_')

export interface CsvRow {
  /** Physical line (1 = header) where the row starts, as an editor numbers lines. */
  line: number
  cells: string[]
  /** A parse problem that makes the row unusable (e.g. an unterminated quote). */
  problem: string | null
}

const LINE_BREAK = /\r\n|\r|\n/g
const countLineBreaks = (s: string) => s.match(LINE_BREAK)?.length ?? 0

/** Split the text into rows with the line each starts on (quoted fields may span lines). */
export function readCsv(text: string): CsvRow[] {
  const csv = text.replace(/^\uFEFF/, '')
  const rows: CsvRow[] = []
  let start = 0
  let line = 1
  Papa.parse<string[]>(csv, {
    header: false,
    skipEmptyLines: false,
    step: (res) => {
      const cursor = res.meta.cursor
      // A file with one column has no separator to detect; Papa's note about that is no problem.
      const error = res.errors.find((e) => e.code !== 'UndetectableDelimiter')
      const problem = error ? describeParseError(error) : null
      rows.push({ line, cells: res.data, problem })
      line += countLineBreaks(csv.slice(start, cursor))
      start = cursor
    }
  })
  return rows.filter((r) => r.problem !== null || r.cells.some((c) => c.trim() !== ''))
}

function describeParseError(e: Papa.ParseError): string {
  switch (e.code) {
    case 'MissingQuotes':
      return 'A quoted value is never closed (a " is missing), so the rest of the file cannot be read.'
    case 'InvalidQuotes':
      return 'A value has a stray " inside it; put the whole value in quotes and double the " inside ("").'
    default:
      return `The line cannot be read: ${e.message}.`
  }
}

interface ClassRef {
  id: number
  name: string
  currency: string | null
}

interface Validated {
  totalRows: number
  issues: ImportIssue[]
  /** Rows that passed every check, in file order. */
  valid: { line: number; input: CreateInput; className: string | null }[]
}

/** Validate the whole file without writing anything. */
function validate(r: DbReader, text: string): Validated {
  const issues: ImportIssue[] = []
  const valid: Validated['valid'] = []
  const rows = readCsv(text)
  if (rows.length === 0) return { totalRows: 0, issues: [{ line: 1, field: '', message: 'The file is empty: it needs a header line and one line per customer.' }], valid }

  // Header: known columns only, each once, the required ones present.
  const [head, ...body] = rows as [CsvRow, ...CsvRow[]]
  const headerLine = head.line
  if (head.problem) return { totalRows: body.length, issues: [{ line: headerLine, field: '', message: head.problem }], valid }
  const index = new Map<ImportColumn, number>()
  head.cells.forEach((raw, i) => {
    const name = normaliseHeader(raw)
    if (name === '') {
      issues.push({ line: headerLine, field: '', message: `Column ${i + 1} has no name in the header.` })
    } else if (!(name in IMPORT_COLUMN_FIELDS)) {
      issues.push({ line: headerLine, field: raw.trim(), message: `"${raw.trim()}" is not a column this import knows. Known columns: ${IMPORT_COLUMNS.join(', ')}.` })
    } else if (index.has(name as ImportColumn)) {
      issues.push({ line: headerLine, field: name, message: `Column "${name}" appears twice in the header.` })
    } else {
      index.set(name as ImportColumn, i)
    }
  })
  for (const col of REQUIRED_IMPORT_COLUMNS) {
    if (!index.has(col)) issues.push({ line: headerLine, field: col, message: `The header has no "${col}" column; it is required.` })
  }
  if (issues.length > 0) return { totalRows: body.length, issues, valid }
  if (body.length === 0) return { totalRows: 0, issues: [{ line: headerLine, field: '', message: 'The file has a header but no customers.' }], valid }

  const classes = new Map(r.all<ClassRef>('SELECT id, name, currency FROM customer_classes').map((k) => [fold(k.name), k]))
  const seen = new Map<string, number>() // folded customer ID -> line of its first row
  for (const row of body) {
    const rowIssues = validateRow(r, row, head.cells.length, index, classes, seen)
    if (rowIssues.ok) valid.push({ line: row.line, input: rowIssues.input, className: rowIssues.className })
    else issues.push(...rowIssues.issues)
  }
  return { totalRows: body.length, issues, valid }
}

type RowResult = { ok: true; input: CreateInput; className: string | null } | { ok: false; issues: ImportIssue[] }

function validateRow(r: DbReader, row: CsvRow, width: number, index: Map<ImportColumn, number>, classes: Map<string, ClassRef>, seen: Map<string, number>): RowResult {
  const { line } = row
  if (row.problem) return { ok: false, issues: [{ line, field: '', message: row.problem }] }
  if (row.cells.length !== width) {
    return {
      ok: false,
      issues: [
        {
          line,
          field: '',
          message: `The line has ${row.cells.length} values but the header has ${width} columns (a missing or extra separator, or a value with the separator that is not in quotes).`
        }
      ]
    }
  }
  const issues: ImportIssue[] = []
  const problem = (field: ImportColumn, message: string) => {
    if (!issues.some((i) => i.field === field)) issues.push({ line, field, message })
  }
  const cell = (c: ImportColumn) => {
    const i = index.get(c)
    return i === undefined ? '' : (row.cells[i] ?? '').trim()
  }

  // Values that need more than the form's field rules: choices, lookups and amounts.
  const customerId = cell('customer_id')
  if (customerId !== '') {
    const key = fold(customerId)
    const earlier = seen.get(key)
    if (earlier !== undefined) problem('customer_id', `Customer ID "${customerId}" already appears on line ${earlier} of this file.`)
    else {
      seen.set(key, line)
      const taken = r.get<Pick<StoredCustomer, 'customer_id'>>('SELECT customer_id FROM customers WHERE customer_id = ?', [customerId])
      if (taken)
        problem(
          'customer_id',
          `Customer ID "${customerId}" is already used by an existing customer ("${taken.customer_id}"). Customer IDs are unique regardless of case.`
        )
    }
  }

  const bcText = fold(cell('balance_control'))
  const balanceControl = bcText === 'prepaid' || bcText === 'postpaid' ? bcText : null
  if (balanceControl === null) {
    problem(
      'balance_control',
      bcText === '' ? 'Balance control is required: prepaid or postpaid.' : `"${cell('balance_control')}" is not a balance control; use prepaid or postpaid.`
    )
  }

  const curText = cell('currency').toUpperCase()
  const currency = (CURRENCY_CODES as readonly string[]).includes(curText) ? curText : null
  if (currency === null) {
    problem('currency', curText === '' ? 'Currency is required.' : `${cell('currency')} is not a currency. Use one of: ${CURRENCY_CODES.join(', ')}.`)
  }

  let klass: ClassRef | null = null
  const className = cell('class')
  if (className !== '') {
    klass = classes.get(fold(className)) ?? null
    if (!klass) problem('class', `There is no customer class named "${className}".`)
    else if (currency !== null && klass.currency !== null && klass.currency !== currency) {
      problem('class', `The class "${klass.name}" bills in ${klass.currency}; this customer's currency is ${currency}. Use a class with ${currency} or with no currency.`)
    }
  }

  const amount = (c: ImportColumn, label: string): void => {
    const text = cell(c)
    if (text === '' || currency === null) return
    try {
      const minor = parseAmount(text, currency, c)
      if (c === 'credit_limit' && minor < 0) problem(c, 'A credit limit cannot be negative.')
      if (c === 'opening_balance' && balanceControl === 'prepaid' && minor < 0) problem(c, 'Available funds cannot start below zero.')
    } catch (err) {
      if (err instanceof AppError) problem(c, `${label}: ${err.message}`)
      else throw err
    }
  }
  if (cell('credit_limit') !== '' && balanceControl === 'prepaid') {
    problem('credit_limit', 'Prepaid customers have no credit limit: they spend their available funds. Leave credit_limit empty.')
  }
  amount('credit_limit', 'Credit limit')
  amount('opening_balance', 'Opening balance')

  const blockedText = fold(cell('blocked'))
  const blocked = ['yes', 'y', 'true', '1'].includes(blockedText) ? true : ['', 'no', 'n', 'false', '0'].includes(blockedText) ? false : null
  if (blocked === null) problem('blocked', `"${cell('blocked')}" is not yes or no.`)

  // The form's own field rules (lengths, e-mail, required values), through the same schema.
  const parsed = customerCreateInput.safeParse({
    customerId,
    blocked: blocked ?? false,
    balanceControl: balanceControl ?? cell('balance_control'),
    currency: currency ?? cell('currency'),
    openingBalance: cell('opening_balance'),
    companyName: cell('company_name'),
    classId: klass?.id ?? null,
    creditLimit: cell('credit_limit') === '' ? null : cell('credit_limit'),
    firstName: cell('first_name'),
    lastName: cell('last_name'),
    phone: cell('phone'),
    email: cell('email'),
    address: cell('address'),
    city: cell('city'),
    zip: cell('zip'),
    country: cell('country'),
    notes: cell('notes'),
    dueDaysOverride: null,
    taxRatePpmOverride: null,
    customFields: []
  })
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const column = FIELD_TO_COLUMN.get(String(issue.path[0] ?? '')) ?? null
      if (column === null) issues.push({ line, field: '', message: issue.message })
      else problem(column, issue.message)
    }
  }
  if (issues.length > 0 || !parsed.success) return { ok: false, issues }
  return { ok: true, input: parsed.data, className: klass?.name ?? null }
}

/** What the import would do, without writing anything. */
export function previewImport(r: DbReader, csv: string): ImportPreview {
  const v = validate(r, csv)
  const issues = v.issues.length <= MAX_LISTED_ISSUES ? v.issues : listedIssues(v.issues)
  return {
    totalRows: v.totalRows,
    validRows: v.valid.length,
    issues,
    sample: v.valid.slice(0, SAMPLE_ROWS).map(({ line, input, className }) => ({
      line,
      customerId: input.customerId,
      companyName: input.companyName,
      balanceControl: input.balanceControl,
      currency: input.currency,
      className
    }))
  }
}

function listedIssues(all: ImportIssue[]): ImportIssue[] {
  const rest = all.length - MAX_LISTED_ISSUES
  const last = all[all.length - 1]!
  return [
    ...all.slice(0, MAX_LISTED_ISSUES),
    { line: last.line, field: '', message: `…and ${rest} more problem${rest === 1 ? '' : 's'} up to line ${last.line}, not listed.` }
  ]
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`

/**
 * Create the customers in `csv` in the caller's unit of work (all or nothing). With problems in
 * the file it writes nothing and throws, unless `onlyValidRows`, which creates the valid rows and
 * skips the rest. Problems in the header (or no valid row at all) always stop the import.
 */
export function commitImport(w: Work, csv: string, onlyValidRows: boolean): { imported: number; skipped: number } {
  const v = validate(w, csv)
  const badRows = v.totalRows - v.valid.length
  const first = v.issues[0]
  if (first !== undefined && (!onlyValidRows || v.valid.length === 0)) {
    const where = `Line ${first.line}${first.field ? `, ${first.field}` : ''}: ${first.message.replace(/\.$/, '')}`
    const summary =
      v.valid.length === 0 && v.totalRows > 0 && onlyValidRows
        ? `no row is valid — nothing was imported`
        : badRows > 0
          ? `${plural(badRows, 'row has', 'rows have')} problems — nothing was imported`
          : 'nothing was imported'
    throw new AppError('VALIDATION', `${where}; ${summary}.`, 'csv')
  }
  for (const row of v.valid) createCustomer(w, row.input)
  w.audit({
    kind: 'customer.import',
    description: `Imported ${plural(v.valid.length, 'customer', 'customers')} from CSV${badRows > 0 ? ` (${plural(badRows, 'row', 'rows')} skipped)` : ''}.`
  })
  return { imported: v.valid.length, skipped: badRows }
}
