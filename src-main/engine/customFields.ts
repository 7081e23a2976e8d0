import { isCalendarDate, type ParsedInputOf } from '../../src-shared/contract'
import type { CustomFieldDefinition } from '../../src-shared/domain'
import { AppError } from '../../src-shared/errors'
import type { DbReader } from '../db/store'
import { describeValueChange } from './audit'
import type { Work } from './unitOfWork'

/**
 * Custom fields: defined by an administrator (custom_field_definitions), valued per customer
 * (customer_custom_values). This module owns both tables.
 */

/** A row of custom_field_definitions. */
export interface StoredCustomField {
  id: number
  name: string
  kind: CustomFieldDefinition['kind']
  created_at: string
}

/** A row of customer_custom_values. */
export interface StoredCustomValue {
  customer_id: number
  field_id: number
  value: string
}

export function toCustomField(row: Pick<StoredCustomField, 'id' | 'name' | 'kind'>): CustomFieldDefinition {
  return { id: row.id, name: row.name, kind: row.kind }
}

type CustomFieldValues = ParsedInputOf<'customers.update'>['customFields']

export function listCustomFields(r: DbReader): CustomFieldDefinition[] {
  return r.all<Pick<StoredCustomField, 'id' | 'name' | 'kind'>>('SELECT id, name, kind FROM custom_field_definitions ORDER BY name COLLATE NOCASE').map(toCustomField)
}

/** Every defined field with this customer's value ('' when none), by name. */
export function customFieldValuesOf(r: DbReader, customerRowId: number): { fieldId: number; name: string; kind: CustomFieldDefinition['kind']; value: string }[] {
  return r
    .all<Pick<StoredCustomField, 'name' | 'kind'> & { field_id: StoredCustomField['id']; value: StoredCustomValue['value'] | null }>(
      `SELECT d.id AS field_id, d.name, d.kind, v.value FROM custom_field_definitions d
     LEFT JOIN customer_custom_values v ON v.field_id = d.id AND v.customer_id = ? ORDER BY d.name COLLATE NOCASE`,
      [customerRowId]
    )
    .map((f) => ({ fieldId: f.field_id, name: f.name, kind: f.kind, value: f.value ?? '' }))
}

export function createCustomField(w: Work, name: string, kind: CustomFieldDefinition['kind']): CustomFieldDefinition {
  if (w.get('SELECT id FROM custom_field_definitions WHERE name = ?', [name])) throw new AppError('CONFLICT', `A custom field called "${name}" already exists.`, 'name')
  const id = w.insert('INSERT INTO custom_field_definitions (name, kind, created_at) VALUES (?, ?, ?)', [name, kind, w.at])
  w.audit({ kind: 'customField.create', description: `Custom field "${name}" (${kind}) defined.` })
  return { id, name, kind }
}

/** Refuse values that do not fit their field's kind, naming the field. */
export function checkCustomFields(r: DbReader, values: CustomFieldValues): void {
  for (const { fieldId, value } of values) {
    const def = r.get<Pick<StoredCustomField, 'name' | 'kind'>>('SELECT name, kind FROM custom_field_definitions WHERE id = ?', [fieldId])
    const field = `customFields.${fieldId}`
    if (!def) throw new AppError('NOT_FOUND', `Custom field ${fieldId} does not exist.`, field)
    if (value === '') continue
    if (def.kind === 'number' && !/^-?\d+(\.\d+)?$/.test(value)) throw new AppError('VALIDATION', `${def.name} must be a number.`, field)
    if (def.kind === 'date' && !/^\d{4}-\d{2}-\d{2}$/.test(value)) throw new AppError('VALIDATION', `${def.name} must be a date like 2026-11-30.`, field)
    if (def.kind === 'date' && !isCalendarDate(value)) throw new AppError('VALIDATION', `${def.name} must be a real date like 2026-11-30.`, field)
  }
}

/** Store the values that changed, each with its audit entry. */
export function saveCustomFields(w: Work, customerRowId: number, values: CustomFieldValues): void {
  for (const { fieldId, value } of values) {
    const before = w.get<Pick<StoredCustomField, 'name'> & { value: StoredCustomValue['value'] | null }>(
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
