import type { ParsedInputOf } from '../../src-shared/contract'
import type { CustomerClass } from '../../src-shared/domain'
import { AppError } from '../../src-shared/errors'
import type { DbReader } from '../db/store'
import { describeValueChange } from './audit'
import { numberOf } from './sql'
import type { Work } from './unitOfWork'

/** "1 customer", "2 customers": counts in messages read as words, never "customer(s)". */
const customers = (n: number) => (n === 1 ? '1 customer' : `${n} customers`)

/** A row of customer_classes. */
export interface StoredClass {
  id: number
  name: string
  currency: string | null
  billing_period: 'monthly' | 'weekly'
  billing_day: number
  due_days: number
  suspend_on_overdue: number
  suspension_grace_days: number
  reactivation_days: number
  tax_rate_ppm: number
  invoice_prefix: string
}

/** A class as listed: its row and how many customers it has. */
type ClassRow = StoredClass & { customer_count: number }

const SELECT_CLASSES = `SELECT k.*, (SELECT count(*) FROM customers c WHERE c.class_id = k.id) AS customer_count FROM customer_classes k`

function toClass(k: ClassRow): CustomerClass {
  return {
    id: k.id,
    name: k.name,
    currency: k.currency,
    billingPeriod: k.billing_period,
    billingDay: k.billing_day,
    dueDays: k.due_days,
    suspendOnOverdue: k.suspend_on_overdue === 1,
    suspensionGraceDays: k.suspension_grace_days,
    reactivationDays: k.reactivation_days,
    taxRatePpm: k.tax_rate_ppm,
    invoicePrefix: k.invoice_prefix,
    customerCount: k.customer_count
  }
}

export function listClasses(r: DbReader): CustomerClass[] {
  return r.all<ClassRow>(`${SELECT_CLASSES} ORDER BY k.name COLLATE NOCASE`).map(toClass)
}

export function getClass(r: DbReader, id: number, field = 'classId'): CustomerClass {
  const row = r.get<ClassRow>(`${SELECT_CLASSES} WHERE k.id = ?`, [id])
  if (!row) throw new AppError('NOT_FOUND', `Customer class ${id} does not exist.`, field)
  return toClass(row)
}

type ClassInput = ParsedInputOf<'classes.create'>

function checkClass(r: DbReader, input: ClassInput, id: number | null): void {
  const clash = r.get<Pick<StoredClass, 'id'>>('SELECT id FROM customer_classes WHERE name = ? AND id IS NOT ?', [input.name, id])
  if (clash) throw new AppError('CONFLICT', `A customer class called "${input.name}" already exists.`, 'name')
  if (input.billingPeriod === 'weekly' && input.billingDay > 7) {
    throw new AppError('VALIDATION', 'For weekly billing, choose a weekday from 1 (Monday) to 7 (Sunday).', 'billingDay')
  }
  if (id !== null && input.currency !== null) {
    const other = numberOf(r, 'SELECT count(*) FROM customers WHERE class_id = ? AND currency <> ?', [id, input.currency]) ?? 0
    if (other > 0) {
      throw new AppError(
        'VALIDATION',
        `${customers(other)} of this class ${other === 1 ? 'is' : 'are'} billed in another currency, so the class cannot be limited to ${input.currency}.`,
        'currency'
      )
    }
  }
}

const COLUMNS: [keyof ClassInput, Exclude<keyof StoredClass, 'id'>, string][] = [
  ['name', 'name', 'Name'],
  ['currency', 'currency', 'Currency'],
  ['billingPeriod', 'billing_period', 'Billing period'],
  ['billingDay', 'billing_day', 'Billing day'],
  ['dueDays', 'due_days', 'Invoice due days'],
  ['suspendOnOverdue', 'suspend_on_overdue', 'Suspension on overdue invoice'],
  ['suspensionGraceDays', 'suspension_grace_days', 'Suspension grace days'],
  ['reactivationDays', 'reactivation_days', 'Reactivation period (days)'],
  ['taxRatePpm', 'tax_rate_ppm', 'Tax rate (ppm)'],
  ['invoicePrefix', 'invoice_prefix', 'Invoice number prefix']
]

const sqlValue = (v: ClassInput[keyof ClassInput]) => (typeof v === 'boolean' ? (v ? 1 : 0) : v)
const shown = (v: ClassInput[keyof ClassInput]) => (v === null ? '' : typeof v === 'boolean' ? (v ? 'on' : 'off') : String(v))

export function createClass(w: Work, input: ClassInput): CustomerClass {
  checkClass(w, input, null)
  const id = w.insert(
    `INSERT INTO customer_classes (${COLUMNS.map((c) => c[1]).join(', ')}) VALUES (${COLUMNS.map(() => '?').join(', ')})`,
    COLUMNS.map(([k]) => sqlValue(input[k]))
  )
  w.audit({ kind: 'class.create', description: `Customer class "${input.name}" created (${input.currency ?? 'any currency'}, ${input.billingPeriod}).` })
  return getClass(w, id)
}

/** Changes apply to every customer of the class; the result carries how many that is. */
export function updateClass(w: Work, id: number, input: ClassInput): CustomerClass {
  const before = getClass(w, id, 'id')
  checkClass(w, input, id)
  const stored = w.get<StoredClass>('SELECT * FROM customer_classes WHERE id = ?', [id])!
  for (const [key, column, label] of COLUMNS) {
    const next = sqlValue(input[key])
    if (stored[column] === next) continue
    w.run(`UPDATE customer_classes SET ${column} = ? WHERE id = ?`, [next, id])
    const from = stored[column] === null ? '' : key === 'suspendOnOverdue' ? (stored[column] === 1 ? 'on' : 'off') : String(stored[column])
    w.audit({
      kind: 'class.change',
      field: column,
      from,
      to: shown(input[key]),
      description: `Customer class "${before.name}": ${describeValueChange(label, from, shown(input[key])).replace(/^./, (c) => c.toLowerCase())} Affects ${customers(before.customerCount)}.`
    })
  }
  return getClass(w, id)
}
