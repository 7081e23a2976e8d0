import Papa from 'papaparse'
import { isCalendarDate, type ParsedInputOf } from '../../src-shared/contract'
import type { CustomerDetail, CustomerRow, CustomerStatus, CustomFieldDefinition, StatusHistoryEntry } from '../../src-shared/domain'
import { AppError } from '../../src-shared/errors'
import { formatMinor, parseAmount } from '../../src-shared/money'
import type { DbReader } from '../db/store'
import { describeAmountChange, describeValueChange } from './audit'
import { getClass } from './customerClasses'
import type { CustomerIndex, CustomerQuery } from './customerIndex'
import { STATUS_LABEL } from '../../src-shared/labels'
import { editRefusal } from '../../src-shared/statusRules'
import { allowedActions, recordStatusChange } from './lifecycle'
import type { Work } from './unitOfWork'

/** Defaults when a customer has no class and no override. */
export const DEFAULT_DUE_DAYS = 14
export const DEFAULT_BILLING = { billingPeriod: 'monthly' as const, billingDay: 1 }

interface StoredCustomer {
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
}

function loadCustomer(r: DbReader, id: number): StoredCustomer {
  const c = r.get<StoredCustomer>('SELECT * FROM customers WHERE id = ?', [id])
  if (!c) throw new AppError('NOT_FOUND', `Customer ${id} does not exist.`, 'id')
  return c
}

// ---------------------------------------------------------------------------------------------
// The list

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
const FORMULA_START = /^(?![-+]?\d+(?:\.\d+)?$)[=+\-@\t\r]/

/**
 * The filtered, sorted list as CSV (amounts exact, in each customer's currency), with a UTF-8
 * byte-order mark so spreadsheet programs read "Łódź" and "Москва" as written.
 */
export function exportCustomersCsv(r: DbReader, index: CustomerIndex, q: CustomerQuery, nowIso: string): { fileName: string; csv: string; rows: number } {
  index.refresh(r)
  const rows = index.query(q)
  const plain = (minor: number, code: string) => formatMinor(minor, code, { grouping: false })
  const body = Papa.unparse(
    {
      fields: EXPORT_COLUMNS,
      data: rows.map((c) => [
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
    },
    { newline: '\r\n', escapeFormulae: FORMULA_START }
  )
  return { fileName: `customers-${nowIso.slice(0, 10)}.csv`, csv: `\uFEFF${body}\r\n`, rows: rows.length }
}

// ---------------------------------------------------------------------------------------------
// One customer

export function getCustomerDetail(r: DbReader, id: number, nowIso: string): CustomerDetail {
  const c = loadCustomer(r, id)
  const klass = c.class_id === null ? null : getClass(r, c.class_id)
  const accounts = r.all<{ id: number; account_id: string; status: string; created_at: string }>(
    'SELECT id, account_id, status, created_at FROM accounts WHERE customer_id = ? ORDER BY account_id',
    [id]
  )
  const history = r.all<{ at: string; from_status: CustomerStatus | null; to_status: CustomerStatus; note: string; operator_name: string }>(
    'SELECT at, from_status, to_status, note, operator_name FROM customer_status_history WHERE customer_id = ? ORDER BY id DESC',
    [id]
  )
  const custom = r.all<{ field_id: number; name: string; kind: CustomFieldDefinition['kind']; value: string | null }>(
    `SELECT d.id AS field_id, d.name, d.kind, v.value FROM custom_field_definitions d
     LEFT JOIN customer_custom_values v ON v.field_id = d.id AND v.customer_id = ? ORDER BY d.name COLLATE NOCASE`,
    [id]
  )
  const state = {
    lifecycle: c.lifecycle,
    blocked: c.blocked === 1,
    suspended: c.suspended === 1,
    suspensionLiftedUntil: c.suspension_lifted_until,
    reactivationDeadline: c.reactivation_deadline
  }
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
    className: klass?.name ?? null,
    classId: c.class_id,
    firstName: c.first_name,
    lastName: c.last_name,
    phone: c.phone,
    email: c.email,
    address: c.address,
    city: c.city,
    zip: c.zip,
    country: c.country,
    notes: c.notes,
    dueDaysOverride: c.due_days_override,
    taxRatePpmOverride: c.tax_rate_ppm_override,
    effective: {
      billingPeriod: klass?.billingPeriod ?? DEFAULT_BILLING.billingPeriod,
      billingDay: klass?.billingDay ?? DEFAULT_BILLING.billingDay,
      dueDays: c.due_days_override ?? klass?.dueDays ?? DEFAULT_DUE_DAYS,
      taxRatePpm: c.tax_rate_ppm_override ?? klass?.taxRatePpm ?? 0
    },
    blocked: state.blocked,
    suspended: state.suspended,
    suspensionLiftedUntil: c.suspension_lifted_until,
    provisionallyTerminatedAt: c.provisionally_terminated_at,
    reactivationDeadline: c.reactivation_deadline,
    terminatedAt: c.terminated_at,
    createdAt: c.created_at,
    updatedAt: c.updated_at,
    accounts: accounts.map((a) => ({ id: a.id, accountId: a.account_id, status: a.status, createdAt: a.created_at })),
    statusHistory: history.map((h): StatusHistoryEntry => ({ at: h.at, fromStatus: h.from_status, toStatus: h.to_status, note: h.note, operatorName: h.operator_name })),
    customFields: custom.map((f) => ({ fieldId: f.field_id, name: f.name, kind: f.kind, value: f.value ?? '' })),
    allowedActions: allowedActions(state, nowIso)
  }
}

// ---------------------------------------------------------------------------------------------
// Create and edit

type CreateInput = ParsedInputOf<'customers.create'>
type UpdateInput = ParsedInputOf<'customers.update'>

/** Check the class fits the currency; returns the class (or null). */
function checkClass(r: DbReader, classId: number | null, currency: string) {
  if (classId === null) return null
  const klass = getClass(r, classId)
  if (klass.currency !== null && klass.currency !== currency) {
    throw new AppError(
      'VALIDATION',
      `The class "${klass.name}" bills in ${klass.currency}; this customer's currency is ${currency}. Choose a class with ${currency} or with no currency.`,
      'classId'
    )
  }
  return klass
}

function parseCreditLimit(text: string | null, balanceControl: 'prepaid' | 'postpaid', currency: string): number | null {
  if (text === null || text.trim() === '') return null
  if (balanceControl === 'prepaid') throw new AppError('VALIDATION', 'Prepaid customers have no credit limit: they spend their available funds.', 'creditLimit')
  const minor = parseAmount(text, currency, 'creditLimit')
  if (minor < 0) throw new AppError('VALIDATION', 'A credit limit cannot be negative.', 'creditLimit')
  return minor
}

function checkCustomFields(r: DbReader, values: UpdateInput['customFields']): void {
  for (const { fieldId, value } of values) {
    const def = r.get<{ name: string; kind: string }>('SELECT name, kind FROM custom_field_definitions WHERE id = ?', [fieldId])
    const field = `customFields.${fieldId}`
    if (!def) throw new AppError('NOT_FOUND', `Custom field ${fieldId} does not exist.`, field)
    if (value === '') continue
    if (def.kind === 'number' && !/^-?\d+(\.\d+)?$/.test(value)) throw new AppError('VALIDATION', `${def.name} must be a number.`, field)
    if (def.kind === 'date' && !/^\d{4}-\d{2}-\d{2}$/.test(value)) throw new AppError('VALIDATION', `${def.name} must be a date like 2026-11-30.`, field)
    if (def.kind === 'date' && !isCalendarDate(value)) throw new AppError('VALIDATION', `${def.name} must be a real date like 2026-11-30.`, field)
  }
}

function saveCustomFields(w: Work, customerRowId: number, values: UpdateInput['customFields']): void {
  for (const { fieldId, value } of values) {
    const before = w.get<{ value: string; name: string }>(
      'SELECT v.value, d.name FROM custom_field_definitions d LEFT JOIN customer_custom_values v ON v.field_id = d.id AND v.customer_id = ? WHERE d.id = ?',
      [customerRowId, fieldId]
    )!
    const from = before.value ?? ''
    if (from === value) continue
    if (value === '') w.run('DELETE FROM customer_custom_values WHERE customer_id = ? AND field_id = ?', [customerRowId, fieldId])
    else w.run('INSERT OR REPLACE INTO customer_custom_values (customer_id, field_id, value) VALUES (?, ?, ?)', [customerRowId, fieldId, value])
    w.audit({
      kind: 'customer.change',
      customerId: customerRowId,
      field: `custom:${before.name}`,
      from,
      to: value,
      description: describeValueChange(before.name, from, value)
    })
  }
}

/** Create a customer (its opening balance as the first ledger record) and return its row id. */
export function createCustomer(w: Work, input: CreateInput): number {
  const taken = w.get<{ customer_id: string }>('SELECT customer_id FROM customers WHERE customer_id = ?', [input.customerId])
  if (taken)
    throw new AppError(
      'CONFLICT',
      `Customer ID "${input.customerId}" is already used (by "${taken.customer_id}"). Customer IDs are unique regardless of case.`,
      'customerId'
    )
  checkClass(w, input.classId, input.currency)
  const creditLimit = parseCreditLimit(input.creditLimit, input.balanceControl, input.currency)
  const opening = input.openingBalance === '' ? 0 : parseAmount(input.openingBalance, input.currency, 'openingBalance')
  if (input.balanceControl === 'prepaid' && opening < 0) {
    throw new AppError('VALIDATION', 'Available funds cannot start below zero.', 'openingBalance')
  }
  // One signed balance: what the customer owes. Prepaid funds are money held, so they count negative.
  const balance = input.balanceControl === 'prepaid' ? -opening : opening
  checkCustomFields(w, input.customFields)
  const id = w.insert(
    `INSERT INTO customers (customer_id, company_name, balance_control, currency, class_id, credit_limit_minor, balance_minor,
       status, blocked, phone, email, address, country, first_name, last_name, city, zip, notes, due_days_override,
       tax_rate_ppm_override, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, 0, 'active', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      input.customerId,
      input.companyName,
      input.balanceControl,
      input.currency,
      input.classId,
      creditLimit,
      input.blocked ? 1 : 0,
      input.phone,
      input.email,
      input.address,
      input.country,
      input.firstName,
      input.lastName,
      input.city,
      input.zip,
      input.notes,
      input.dueDaysOverride,
      input.taxRatePpmOverride,
      w.at,
      w.at
    ]
  )
  w.audit({
    kind: 'customer.create',
    customerId: id,
    description: `Customer "${input.customerId}" created: ${input.balanceControl}, ${input.currency}${creditLimit === null ? '' : `, credit limit ${formatMinor(creditLimit, input.currency)}`}.`
  })
  if (balance !== 0) {
    const xdr = w.insert(`INSERT INTO xdrs (kind, customer_id, started_at, amount_minor, created_at) VALUES ('opening-balance', ?, ?, ?, ?)`, [id, w.at, balance, w.at])
    w.run('UPDATE customers SET balance_minor = ? WHERE id = ?', [balance, id])
    w.audit({
      kind: 'customer.balance',
      customerId: id,
      field: 'balance',
      from: formatMinor(0, input.currency),
      to: formatMinor(balance, input.currency),
      description: `${describeAmountChange('Balance', 0, balance, input.currency)} Source – opening balance (xDR id ${xdr})`,
      source: { kind: 'opening balance', id: xdr }
    })
  }
  saveCustomFields(w, id, input.customFields)
  recordStatusChange(w, id, null, input.blocked ? 'blocked' : 'active', input.blocked ? 'Blocked on creation' : 'Created')
  return id
}

const money = (minor: number | null, currency: string) => (minor === null ? '' : formatMinor(minor, currency))

/** Permanently terminated and exported customers take no edits (docs/customer-lifecycle.md). */
function checkEditable(c: StoredCustomer, field?: string): void {
  const refusal = editRefusal(c.status)
  if (refusal) throw new AppError('VALIDATION', refusal, field)
}

/** Edit a customer; currency and balance never change here. Each changed field is audited. */
export function updateCustomer(w: Work, input: UpdateInput): void {
  const c = loadCustomer(w, input.id)
  checkEditable(c)
  const klass = checkClass(w, input.classId, c.currency)
  const creditLimit = parseCreditLimit(input.creditLimit, c.balance_control, c.currency)
  if (creditLimit !== null && creditLimit !== c.credit_limit_minor && creditLimit < c.balance_minor && !input.confirmCreditLimitBelowBalance) {
    throw new AppError(
      'CONFLICT',
      `The new credit limit ${formatMinor(creditLimit, c.currency)} is below the current balance ${formatMinor(c.balance_minor, c.currency)}: the customer will be over the limit at once. Confirm to save it.`,
      'creditLimit'
    )
  }
  checkCustomFields(w, input.customFields)
  const text: [column: keyof StoredCustomer, label: string, next: string][] = [
    ['company_name', 'Company name', input.companyName],
    ['first_name', 'First name', input.firstName],
    ['last_name', 'Last name', input.lastName],
    ['phone', 'Phone', input.phone],
    ['email', 'E-mail', input.email],
    ['address', 'Address', input.address],
    ['city', 'City', input.city],
    ['zip', 'Postal code', input.zip],
    ['country', 'Country', input.country],
    ['notes', 'Notes', input.notes]
  ]
  for (const [column, label, next] of text) {
    const from = c[column] as string
    if (from === next) continue
    w.run(`UPDATE customers SET ${column} = ?, updated_at = ? WHERE id = ?`, [next, w.at, c.id])
    w.audit({ kind: 'customer.change', customerId: c.id, field: column, from, to: next, description: describeValueChange(label, from, next) })
  }
  if (c.class_id !== input.classId) {
    const from = c.class_id === null ? '' : getClass(w, c.class_id).name
    const to = klass?.name ?? ''
    w.run('UPDATE customers SET class_id = ?, updated_at = ? WHERE id = ?', [input.classId, w.at, c.id])
    w.audit({ kind: 'customer.class', customerId: c.id, field: 'class', from, to, description: describeValueChange('Customer class', from, to) })
  }
  if (c.credit_limit_minor !== creditLimit) {
    const from = money(c.credit_limit_minor, c.currency)
    const to = money(creditLimit, c.currency)
    w.run('UPDATE customers SET credit_limit_minor = ?, updated_at = ? WHERE id = ?', [creditLimit, w.at, c.id])
    w.audit({
      kind: 'customer.creditLimit',
      customerId: c.id,
      field: 'credit_limit',
      from,
      to,
      description:
        c.credit_limit_minor !== null && creditLimit !== null
          ? describeAmountChange('Permanent credit limit', c.credit_limit_minor, creditLimit, c.currency)
          : describeValueChange('Permanent credit limit', from || 'none', to || 'none')
    })
  }
  const numbers: [column: keyof StoredCustomer, label: string, next: number | null][] = [
    ['due_days_override', 'Invoice due days (override)', input.dueDaysOverride],
    ['tax_rate_ppm_override', 'Tax rate in ppm (override)', input.taxRatePpmOverride]
  ]
  for (const [column, label, next] of numbers) {
    const from = c[column] as number | null
    if (from === next) continue
    w.run(`UPDATE customers SET ${column} = ?, updated_at = ? WHERE id = ?`, [next, w.at, c.id])
    const show = (v: number | null) => (v === null ? 'class default' : String(v))
    w.audit({
      kind: 'customer.change',
      customerId: c.id,
      field: column,
      from: show(from),
      to: show(next),
      description: describeValueChange(label, show(from), show(next))
    })
  }
  saveCustomFields(w, c.id, input.customFields)
}

export function addAccount(w: Work, customerRowId: number, accountId: string): void {
  const c = loadCustomer(w, customerRowId)
  checkEditable(c, 'accountId')
  const taken = w.get<{ customer_id: string }>('SELECT c.customer_id FROM accounts a JOIN customers c ON c.id = a.customer_id WHERE a.account_id = ?', [accountId])
  if (taken) throw new AppError('CONFLICT', `Account "${accountId}" already belongs to customer "${taken.customer_id}".`, 'accountId')
  w.insert("INSERT INTO accounts (customer_id, account_id, status, created_at) VALUES (?, ?, 'active', ?)", [c.id, accountId, w.at])
  w.audit({ kind: 'customer.account', customerId: c.id, field: 'accounts', from: null, to: accountId, description: `Account "${accountId}" added.` })
}

// ---------------------------------------------------------------------------------------------
// Custom fields (defined by an administrator, valued per customer)

export function listCustomFields(r: DbReader): CustomFieldDefinition[] {
  return r.all<CustomFieldDefinition>('SELECT id, name, kind FROM custom_field_definitions ORDER BY name COLLATE NOCASE')
}

export function createCustomField(w: Work, name: string, kind: CustomFieldDefinition['kind']): CustomFieldDefinition {
  if (w.get('SELECT id FROM custom_field_definitions WHERE name = ?', [name])) throw new AppError('CONFLICT', `A custom field called "${name}" already exists.`, 'name')
  const id = w.insert('INSERT INTO custom_field_definitions (name, kind, created_at) VALUES (?, ?, ?)', [name, kind, w.at])
  w.audit({ kind: 'customField.create', description: `Custom field "${name}" (${kind}) defined.` })
  return { id, name, kind }
}

export function countCustomers(r: DbReader): number {
  return r.get<{ n: number }>('SELECT count(*) AS n FROM customers')!.n
}
