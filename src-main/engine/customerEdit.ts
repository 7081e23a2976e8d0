import type { ParsedInputOf } from '../../src-shared/contract'
import { AppError } from '../../src-shared/errors'
import { formatMinor, parseAmount } from '../../src-shared/money'
import type { DbReader } from '../db/store'
import { describeAmountChange, describeValueChange } from './audit'
import { getClass } from './customerClasses'
import { checkEditable, loadCustomer, type StoredCustomer } from './customers'
import { checkCustomFields, saveCustomFields } from './customFields'
import { recordStatusChange } from './lifecycle'
import type { Work } from './unitOfWork'

// Creating and editing a customer: every changed field is audited in the same unit of work.

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

/** Create a customer (its opening balance as the first ledger record) and return its row id. */
export function createCustomer(w: Work, input: CreateInput): number {
  const taken = w.get<Pick<StoredCustomer, 'customer_id'>>('SELECT customer_id FROM customers WHERE customer_id = ?', [input.customerId])
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
