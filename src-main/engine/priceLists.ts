import type { ParsedInputOf } from '../../src-shared/contract'
import type { ImportIssue, PriceList, PriceListComparison, PriceListDetail, PriceListPreview, PriceListRate, PriceListVersion } from '../../src-shared/domain'
import { AppError } from '../../src-shared/errors'
import type { DbReader } from '../db/store'
import { readCsv } from './customerImport'
import type { Work } from './unitOfWork'

/**
 * Price lists (tariffs): a list in one currency, versions uploaded from CSV with the instant they
 * take effect, and their assignment to customer classes per service (overridden per customer).
 * Prices are exact: integers of 1e-5 of the major unit, since per-minute rates need sub-cent
 * precision; rating rounds once per record, never here.
 */

/** Decimal places kept for per-minute prices and connection fees. */
export const PRICE_DECIMALS = 5
const PRICE_SCALE = 10 ** PRICE_DECIMALS

/** A row of price_lists. */
export interface StoredPriceList {
  id: number
  name: string
  currency: string
  created_at: string
}

/** A row of price_list_versions. */
export interface StoredPriceListVersion {
  id: number
  price_list_id: number
  effective_from: string
  uploaded_at: string
  operator_name: string
  row_count: number
}

/** A row of price_list_rates. */
export interface StoredPriceListRate {
  version_id: number
  prefix: string
  description: string
  rate_e5: number
  connection_e5: number
  first_interval_s: number
  next_interval_s: number
  free_seconds: number
}

export const PRICE_LIST_COLUMNS = ['prefix', 'description', 'price_per_minute', 'connection_fee', 'first_interval', 'next_interval', 'free_seconds'] as const
type PriceListColumn = (typeof PRICE_LIST_COLUMNS)[number]

/** Problems listed in a preview; beyond that, one closing line counts the rest. */
const MAX_LISTED_ISSUES = 500

const toList = (p: StoredPriceList & { version_count: number }): PriceList => ({
  id: p.id,
  name: p.name,
  currency: p.currency,
  createdAt: p.created_at,
  versionCount: p.version_count
})

const toVersion = (v: StoredPriceListVersion): PriceListVersion => ({
  id: v.id,
  priceListId: v.price_list_id,
  effectiveFrom: v.effective_from,
  uploadedAt: v.uploaded_at,
  operatorName: v.operator_name,
  rowCount: v.row_count
})

/** 1234 (1e-5 units) -> "0.01234"; trailing zeros beyond the cents are dropped ("0.50"). */
export function formatPrice(e5: number): string {
  const whole = Math.floor(e5 / PRICE_SCALE)
  const frac = String(e5 % PRICE_SCALE)
    .padStart(PRICE_DECIMALS, '0')
    .replace(/0{1,3}$/, '')
  return `${whole}.${frac}`
}

const toRate = (r: StoredPriceListRate): PriceListRate => ({
  prefix: r.prefix,
  description: r.description,
  pricePerMinute: formatPrice(r.rate_e5),
  connectionFee: formatPrice(r.connection_e5),
  firstInterval: r.first_interval_s,
  nextInterval: r.next_interval_s,
  freeSeconds: r.free_seconds
})

const SELECT_LISTS = 'SELECT p.*, (SELECT count(*) FROM price_list_versions v WHERE v.price_list_id = p.id) AS version_count FROM price_lists p'

export function listPriceLists(r: DbReader): PriceList[] {
  return r.all<StoredPriceList & { version_count: number }>(`${SELECT_LISTS} ORDER BY p.name COLLATE NOCASE`).map(toList)
}

function findList(r: DbReader, id: number, field: string): PriceList {
  const row = r.get<StoredPriceList & { version_count: number }>(`${SELECT_LISTS} WHERE p.id = ?`, [id])
  if (!row) throw new AppError('NOT_FOUND', `Price list ${id} does not exist.`, field)
  return toList(row)
}

/** A list with its versions, the latest effective first. */
export function getPriceList(r: DbReader, id: number): PriceListDetail {
  const list = findList(r, id, 'id')
  const versions = r.all<StoredPriceListVersion>('SELECT * FROM price_list_versions WHERE price_list_id = ? ORDER BY effective_from DESC, id DESC', [id]).map(toVersion)
  return { ...list, versions }
}

export function createPriceList(w: Work, input: ParsedInputOf<'priceLists.create'>): PriceList {
  const clash = w.get<Pick<StoredPriceList, 'id'>>('SELECT id FROM price_lists WHERE name = ? COLLATE NOCASE', [input.name])
  if (clash) throw new AppError('CONFLICT', `A price list called "${input.name}" already exists.`, 'name')
  const id = w.insert('INSERT INTO price_lists (name, currency, created_at) VALUES (?, ?, ?)', [input.name, input.currency, w.at])
  w.audit({ kind: 'priceList.create', description: `Price list "${input.name}" created (${input.currency}).` })
  return findList(w, id, 'id')
}

/** "Price-Per-Minute", " price per minute " -> "price_per_minute". */
const normaliseHeader = (h: string) =>
  h
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_')

type PriceCheck = { e5: number } | { problem: string }

/** Exact decimal text with up to 5 places, never negative, read without floating point. */
function parsePrice(text: string, label: string): PriceCheck {
  const t = text.trim()
  if (t === '') return { problem: `${label} is required.` }
  if (/^-\s*\d/.test(t)) return { problem: `${label} cannot be negative ("${t}").` }
  const m = /^(\d{1,12})(?:\.(\d+))?$/.exec(t)
  if (!m) return { problem: `${label} "${t}" is not a number; write it like 0.01234, with a "." for decimals.` }
  const frac = m[2] ?? ''
  if (frac.length > PRICE_DECIMALS) return { problem: `${label} "${t}" has more than ${PRICE_DECIMALS} decimal places.` }
  return { e5: Number(m[1]) * PRICE_SCALE + Number(frac.padEnd(PRICE_DECIMALS, '0')) }
}

type SecondsCheck = { seconds: number } | { problem: string }

function parseSeconds(text: string, label: string, allowZero: boolean): SecondsCheck {
  const t = text.trim()
  if (t === '') return { problem: `${label} is required.` }
  if (!/^\d{1,9}$/.test(t)) {
    return { problem: `${label} "${t}" must be a whole number of seconds${allowZero ? ', 0 or more' : ', 1 or more'}.` }
  }
  const seconds = Number(t)
  if (!allowZero && seconds === 0) return { problem: `${label} must be at least 1 second.` }
  return { seconds }
}

interface ParsedVersion {
  totalRows: number
  rates: StoredPriceListRate[]
  issues: ImportIssue[]
}

/** Reads a version's CSV (a BOM, "," or ";", any line ending) and checks every row; writes nothing. */
function parseVersionCsv(text: string): ParsedVersion {
  const issues: ImportIssue[] = []
  const rates: StoredPriceListRate[] = []
  const rows = readCsv(text)
  const [head, ...body] = rows
  if (!head) return { totalRows: 0, rates, issues: [{ line: 1, field: '', message: 'The file is empty: it needs a header line and one line per prefix.' }] }
  if (head.problem) return { totalRows: body.length, rates, issues: [{ line: head.line, field: '', message: head.problem }] }

  const index = new Map<PriceListColumn, number>()
  head.cells.forEach((raw, i) => {
    const name = normaliseHeader(raw)
    if (!(PRICE_LIST_COLUMNS as readonly string[]).includes(name)) {
      issues.push({ line: head.line, field: raw.trim(), message: `"${raw.trim()}" is not a price list column. The columns are: ${PRICE_LIST_COLUMNS.join(', ')}.` })
    } else if (index.has(name as PriceListColumn)) {
      issues.push({ line: head.line, field: name, message: `Column "${name}" appears twice in the header.` })
    } else {
      index.set(name as PriceListColumn, i)
    }
  })
  for (const col of PRICE_LIST_COLUMNS) {
    if (col !== 'description' && !index.has(col)) issues.push({ line: head.line, field: col, message: `The header has no "${col}" column; it is required.` })
  }
  if (issues.length > 0) return { totalRows: body.length, rates, issues }
  if (body.length === 0) return { totalRows: 0, rates, issues: [{ line: head.line, field: '', message: 'The file has a header but no prefixes.' }] }

  const firstLineOfPrefix = new Map<string, number>()
  for (const row of body) {
    if (row.problem) {
      issues.push({ line: row.line, field: '', message: row.problem })
      continue
    }
    const cell = (col: PriceListColumn) => {
      const i = index.get(col)
      return i === undefined ? '' : (row.cells[i] ?? '')
    }
    const rowIssues: ImportIssue[] = []
    const problem = (field: PriceListColumn, message: string) => rowIssues.push({ line: row.line, field, message })

    const prefix = cell('prefix').trim()
    if (prefix === '') problem('prefix', 'Prefix is required.')
    else if (!/^\d{1,20}$/.test(prefix)) problem('prefix', `Prefix "${prefix}" must be digits only (no "+", spaces or letters), at most 20.`)
    else {
      const first = firstLineOfPrefix.get(prefix)
      if (first !== undefined) problem('prefix', `Prefix ${prefix} is already on line ${first}; each prefix appears once.`)
      else firstLineOfPrefix.set(prefix, row.line)
    }
    const description = cell('description').trim()
    if (description.length > 200) problem('description', 'Description is at most 200 characters.')
    const rate = parsePrice(cell('price_per_minute'), 'Price per minute')
    if ('problem' in rate) problem('price_per_minute', rate.problem)
    const fee = parsePrice(cell('connection_fee'), 'Connection fee')
    if ('problem' in fee) problem('connection_fee', fee.problem)
    const first = parseSeconds(cell('first_interval'), 'First interval', false)
    if ('problem' in first) problem('first_interval', first.problem)
    const next = parseSeconds(cell('next_interval'), 'Next interval', false)
    if ('problem' in next) problem('next_interval', next.problem)
    const free = parseSeconds(cell('free_seconds'), 'Free seconds', true)
    if ('problem' in free) problem('free_seconds', free.problem)

    if (rowIssues.length > 0) {
      issues.push(...rowIssues)
    } else if ('e5' in rate && 'e5' in fee && 'seconds' in first && 'seconds' in next && 'seconds' in free) {
      rates.push({
        version_id: 0,
        prefix,
        description,
        rate_e5: rate.e5,
        connection_e5: fee.e5,
        first_interval_s: first.seconds,
        next_interval_s: next.seconds,
        free_seconds: free.seconds
      })
    }
  }
  return { totalRows: body.length, rates, issues }
}

function limitIssues(issues: ImportIssue[]): ImportIssue[] {
  if (issues.length <= MAX_LISTED_ISSUES) return issues
  const rest = issues.length - MAX_LISTED_ISSUES
  return [...issues.slice(0, MAX_LISTED_ISSUES), { line: 0, field: '', message: `…and ${rest} more problem${rest === 1 ? '' : 's'}.` }]
}

export function previewVersion(r: DbReader, input: ParsedInputOf<'priceLists.previewVersion'>): PriceListPreview {
  findList(r, input.priceListId, 'priceListId')
  const parsed = parseVersionCsv(input.csv)
  return { totalRows: parsed.totalRows, rates: parsed.rates.map(toRate), issues: limitIssues(parsed.issues) }
}

/** The instant in one spelling (UTC, milliseconds) so that text order is time order. */
const normaliseInstant = (text: string) => new Date(text).toISOString()

/** Writes the version only when the whole file is valid: nothing is half-imported. */
export function uploadVersion(w: Work, input: ParsedInputOf<'priceLists.uploadVersion'>): PriceListVersion {
  const list = findList(w, input.priceListId, 'priceListId')
  const parsed = parseVersionCsv(input.csv)
  const [firstIssue] = parsed.issues
  if (firstIssue) {
    const where = firstIssue.field ? `line ${firstIssue.line}, column ${firstIssue.field}` : `line ${firstIssue.line}`
    const more = parsed.issues.length > 1 ? ` (and ${parsed.issues.length - 1} more problem${parsed.issues.length === 2 ? '' : 's'})` : ''
    throw new AppError('VALIDATION', `Nothing was uploaded: ${where}: ${firstIssue.message}${more}`, 'csv')
  }
  const effectiveFrom = normaliseInstant(input.effectiveFrom)
  // A version at the same instant as an earlier upload corrects it (a wrong file uploaded by
  // mistake): from now on it is the one in force from that instant; the earlier one stays as history.
  const replaced = w.get<Pick<StoredPriceListVersion, 'id'>>(
    'SELECT id FROM price_list_versions WHERE price_list_id = ? AND effective_from = ? ORDER BY id DESC LIMIT 1',
    [list.id, effectiveFrom]
  )
  const versionId = w.insert('INSERT INTO price_list_versions (price_list_id, effective_from, uploaded_at, operator_name, row_count) VALUES (?, ?, ?, ?, ?)', [
    list.id,
    effectiveFrom,
    w.at,
    w.actor.operatorName,
    parsed.rates.length
  ])
  for (const rate of parsed.rates) {
    w.run(
      'INSERT INTO price_list_rates (version_id, prefix, description, rate_e5, connection_e5, first_interval_s, next_interval_s, free_seconds) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      [versionId, rate.prefix, rate.description, rate.rate_e5, rate.connection_e5, rate.first_interval_s, rate.next_interval_s, rate.free_seconds]
    )
  }
  w.audit({
    kind: 'priceList.version',
    description: `Price list "${list.name}": version effective from ${effectiveFrom} uploaded with ${parsed.rates.length} prefix${parsed.rates.length === 1 ? '' : 'es'}${replaced ? `, replacing the version uploaded earlier for the same instant (id ${replaced.id})` : ''}.`
  })
  return toVersion(w.get<StoredPriceListVersion>('SELECT * FROM price_list_versions WHERE id = ?', [versionId])!)
}

/** The version rating a call that starts at `at`: the latest effective at or before it. */
export function versionAt(r: DbReader, priceListId: number, at: string): PriceListVersion | null {
  findList(r, priceListId, 'priceListId')
  const row = r.get<StoredPriceListVersion>(
    'SELECT * FROM price_list_versions WHERE price_list_id = ? AND effective_from <= ? ORDER BY effective_from DESC, id DESC LIMIT 1',
    [priceListId, normaliseInstant(at)]
  )
  return row ? toVersion(row) : null
}

const ratesOf = (r: DbReader, versionId: number) =>
  new Map(r.all<StoredPriceListRate>('SELECT * FROM price_list_rates WHERE version_id = ? ORDER BY prefix', [versionId]).map((x) => [x.prefix, x]))

const COMPARED: [keyof StoredPriceListRate, string][] = [
  ['rate_e5', 'price per minute'],
  ['connection_e5', 'connection fee'],
  ['first_interval_s', 'first interval'],
  ['next_interval_s', 'next interval'],
  ['free_seconds', 'free seconds'],
  ['description', 'description']
]

/** What a version changed against the one in force before it. */
export function compareVersion(r: DbReader, versionId: number): PriceListComparison {
  const row = r.get<StoredPriceListVersion>('SELECT * FROM price_list_versions WHERE id = ?', [versionId])
  if (!row) throw new AppError('NOT_FOUND', `Price list version ${versionId} does not exist.`, 'versionId')
  const prev = r.get<StoredPriceListVersion>(
    'SELECT * FROM price_list_versions WHERE price_list_id = ? AND (effective_from < ? OR (effective_from = ? AND id < ?)) ORDER BY effective_from DESC, id DESC LIMIT 1',
    [row.price_list_id, row.effective_from, row.effective_from, row.id]
  )
  const after = ratesOf(r, row.id)
  const before = prev ? ratesOf(r, prev.id) : new Map<string, StoredPriceListRate>()
  const result: PriceListComparison = { version: toVersion(row), previous: prev ? toVersion(prev) : null, added: [], removed: [], changed: [] }
  for (const [prefix, a] of after) {
    const b = before.get(prefix)
    if (!b) {
      result.added.push(toRate(a))
      continue
    }
    const fields = COMPARED.filter(([k]) => a[k] !== b[k]).map(([, label]) => label)
    if (fields.length > 0) result.changed.push({ prefix, before: toRate(b), after: toRate(a), fields })
  }
  for (const [prefix, b] of before) if (!after.has(prefix)) result.removed.push(toRate(b))
  return result
}

function serviceName(r: DbReader, serviceId: number): string {
  const s = r.get<{ name: string }>('SELECT name FROM services WHERE id = ?', [serviceId])
  if (!s) throw new AppError('NOT_FOUND', `Service ${serviceId} does not exist.`, 'serviceId')
  return s.name
}

/** The list that rates a class's usage of a service; the class's customers must use the list's currency. */
export function assignToClass(w: Work, input: ParsedInputOf<'priceLists.assignToClass'>) {
  const list = findList(w, input.priceListId, 'priceListId')
  const service = serviceName(w, input.serviceId)
  const k = w.get<{ name: string; currency: string | null }>('SELECT name, currency FROM customer_classes WHERE id = ?', [input.classId])
  if (!k) throw new AppError('NOT_FOUND', `Customer class ${input.classId} does not exist.`, 'classId')
  if (k.currency !== null && k.currency !== list.currency) {
    throw new AppError('VALIDATION', `Class "${k.name}" bills in ${k.currency}; price list "${list.name}" is in ${list.currency}.`, 'priceListId')
  }
  const other = w.get<{ n: number }>('SELECT count(*) AS n FROM customers WHERE class_id = ? AND currency <> ?', [input.classId, list.currency])?.n ?? 0
  if (other > 0) {
    throw new AppError(
      'VALIDATION',
      `${other === 1 ? '1 customer' : `${other} customers`} of class "${k.name}" ${other === 1 ? 'is' : 'are'} billed in another currency than price list "${list.name}" (${list.currency}).`,
      'priceListId'
    )
  }
  const before = w.get<{ name: string }>(
    'SELECT p.name FROM class_price_lists a JOIN price_lists p ON p.id = a.price_list_id WHERE a.class_id = ? AND a.service_id = ?',
    [input.classId, input.serviceId]
  )
  w.run('INSERT OR REPLACE INTO class_price_lists (class_id, service_id, price_list_id) VALUES (?, ?, ?)', [input.classId, input.serviceId, list.id])
  w.audit({
    kind: 'priceList.assignClass',
    field: `service:${input.serviceId}`,
    from: before?.name ?? '',
    to: list.name,
    description: `Class "${k.name}", ${service}: price list ${before ? `"${before.name}" replaced by ` : ''}"${list.name}".`
  })
  return { classId: input.classId, serviceId: input.serviceId, priceListId: list.id }
}

/** A customer's own list for a service, over its class's; in the customer's currency. */
export function overrideForCustomer(w: Work, input: ParsedInputOf<'priceLists.overrideForCustomer'>) {
  const list = findList(w, input.priceListId, 'priceListId')
  const service = serviceName(w, input.serviceId)
  const c = w.get<{ customer_id: string; currency: string }>('SELECT customer_id, currency FROM customers WHERE id = ?', [input.customerId])
  if (!c) throw new AppError('NOT_FOUND', `Customer ${input.customerId} does not exist.`, 'customerId')
  if (c.currency !== list.currency) {
    throw new AppError('VALIDATION', `Customer ${c.customer_id} is billed in ${c.currency}; price list "${list.name}" is in ${list.currency}.`, 'priceListId')
  }
  const before = w.get<{ name: string }>(
    'SELECT p.name FROM customer_price_lists a JOIN price_lists p ON p.id = a.price_list_id WHERE a.customer_id = ? AND a.service_id = ?',
    [input.customerId, input.serviceId]
  )
  w.run('INSERT OR REPLACE INTO customer_price_lists (customer_id, service_id, price_list_id) VALUES (?, ?, ?)', [input.customerId, input.serviceId, list.id])
  w.audit({
    kind: 'priceList.overrideCustomer',
    customerId: input.customerId,
    field: `service:${input.serviceId}`,
    from: before?.name ?? '',
    to: list.name,
    description: `${service}: price list ${before ? `"${before.name}" replaced by ` : ''}"${list.name}" for this customer.`
  })
  return { customerId: input.customerId, serviceId: input.serviceId, priceListId: list.id }
}
