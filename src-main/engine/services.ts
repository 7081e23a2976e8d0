import type { ParsedInputOf } from '../../src-shared/contract'
import type { Service, ServiceKind, ServiceOption } from '../../src-shared/domain'
import { AppError } from '../../src-shared/errors'
import { SERVICE_KIND_LABEL } from '../../src-shared/labels'
import type { DbReader } from '../db/store'
import { describeValueChange } from './audit'
import type { Work } from './unitOfWork'

/**
 * Services: what a manual charge or credit is for, and the sections of an invoice. The built-in
 * "Credits / Promotions" service (migration 0001) only takes promotional credits and cannot be
 * changed; every other service can be renamed, re-kinded and disabled, never deleted, so every
 * record keeps the service it names.
 */

type ServiceInput = ParsedInputOf<'services.create'>
type ServiceUpdate = ParsedInputOf<'services.update'>

/** The special service promotional credits are booked to (migration 0001). */
export const CREDITS_SERVICE_ID = 1

/**
 * What a first run offers, so a manual charge works before anyone opens the Services page. The
 * codes are the demo data's, so loading it books its usage to these services.
 */
export const DEFAULT_SERVICES: readonly (ServiceInput & { code: string })[] = [
  { code: 'voice', name: 'Voice calls', kind: 'voice' },
  { code: 'international', name: 'International calls', kind: 'voice' },
  { code: 'sms', name: 'SMS', kind: 'messaging' },
  { code: 'subscription-monthly', name: 'Monthly subscription', kind: 'subscription' },
  { code: 'goods', name: 'Phone cards & goods', kind: 'goods' },
  { code: 'fees', name: 'Fees', kind: 'fees' }
]

interface ServiceRow {
  id: number
  code: string
  name: string
  kind: ServiceKind
  is_special: number
  disabled: number
}

const toService = (s: ServiceRow): Service => ({ id: s.id, name: s.name, kind: s.kind, disabled: s.disabled === 1, builtIn: s.is_special === 1 })

const statusLabel = (disabled: boolean) => (disabled ? 'Disabled' : 'Active')

/** Every service for the Services page: the built-in one first, then by name. */
export function listAllServices(r: DbReader): Service[] {
  return r.all<ServiceRow>('SELECT * FROM services ORDER BY is_special DESC, name COLLATE NOCASE').map(toService)
}

/** The services the wizard offers: disabled ones are not offered for new charges and credits. */
export function listServices(r: DbReader): ServiceOption[] {
  return r.all<ServiceOption>('SELECT id, name, kind FROM services WHERE disabled = 0 ORDER BY is_special, name COLLATE NOCASE')
}

export function getService(r: DbReader, id: number, field = 'id'): Service {
  const row = r.get<ServiceRow>('SELECT * FROM services WHERE id = ?', [id])
  if (!row) throw new AppError('NOT_FOUND', `Service ${id} does not exist.`, field)
  return toService(row)
}

/**
 * Names are unique whatever their case, in any script ("Połączenia" and "POŁĄCZENIA" clash), so
 * the comparison is made here rather than by SQLite's ASCII-only NOCASE.
 */
function refuseNameClash(r: DbReader, name: string, exceptId: number | null): void {
  const folded = name.toLocaleLowerCase()
  const clash = r.all<{ id: number; name: string }>('SELECT id, name FROM services').find((s) => s.id !== exceptId && s.name.toLocaleLowerCase() === folded)
  if (clash) throw new AppError('CONFLICT', `A service called "${clash.name}" already exists; choose another name.`, 'name')
}

/** An internal code for a new service, from its name (usage imports may name services by code). */
function newCode(r: DbReader, name: string): string {
  const base =
    name
      .normalize('NFKD')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || 'service'
  for (let n = 1; ; n++) {
    const code = n === 1 ? base : `${base}-${n}`
    if (!r.get('SELECT 1 AS x FROM services WHERE code = ?', [code])) return code
  }
}

export function createService(w: Work, input: ServiceInput & { code?: string }, note = ''): Service {
  refuseNameClash(w, input.name, null)
  const id = w.insert('INSERT INTO services (code, name, kind, is_special, disabled) VALUES (?, ?, ?, 0, 0)', [
    input.code ?? newCode(w, input.name),
    input.name,
    input.kind
  ])
  w.audit({
    kind: 'service.create',
    field: 'name',
    to: input.name,
    description: `Service "${input.name}" created (kind: ${SERVICE_KIND_LABEL[input.kind]}).${note ? ` ${note}` : ''}`
  })
  return getService(w, id)
}

/** Rename, re-kind, disable or enable: one audit entry per field that changed. */
export function updateService(w: Work, input: ServiceUpdate): Service {
  const before = getService(w, input.id)
  if (before.builtIn) {
    // Promotional credits are booked to it by id and it is not a real service: it stays as it is.
    const what = input.name !== before.name ? 'name' : input.disabled ? 'disabled' : 'kind'
    throw new AppError('VALIDATION', `"${before.name}" is built in: promotional credits are booked to it, so it cannot be renamed, given another kind or disabled.`, what)
  }
  if (input.name !== before.name) refuseNameClash(w, input.name, before.id)

  let name = before.name
  if (input.name !== before.name) {
    w.run('UPDATE services SET name = ? WHERE id = ?', [input.name, before.id])
    w.audit({
      kind: 'service.change',
      field: 'name',
      from: before.name,
      to: input.name,
      description: `Service "${before.name}": ${lowerFirst(describeValueChange('Name', before.name, input.name))}`
    })
    name = input.name
  }
  if (input.kind !== before.kind) {
    w.run('UPDATE services SET kind = ? WHERE id = ?', [input.kind, before.id])
    w.audit({
      kind: 'service.change',
      field: 'kind',
      from: before.kind,
      to: input.kind,
      description: `Service "${name}": ${lowerFirst(describeValueChange('Kind', SERVICE_KIND_LABEL[before.kind], SERVICE_KIND_LABEL[input.kind]))}`
    })
  }
  if (input.disabled !== before.disabled) {
    w.run('UPDATE services SET disabled = ? WHERE id = ?', [input.disabled ? 1 : 0, before.id])
    const from = statusLabel(before.disabled)
    const to = statusLabel(input.disabled)
    const consequence = input.disabled
      ? 'It is no longer offered for new charges and credits; existing records keep it.'
      : 'It is offered again for new charges and credits.'
    w.audit({
      kind: 'service.change',
      field: 'disabled',
      from,
      to,
      description: `Service "${name}": ${lowerFirst(describeValueChange('Status', from, to))} ${consequence}`
    })
  }
  return getService(w, before.id)
}

const lowerFirst = (s: string) => s.replace(/^./, (c) => c.toLowerCase())

/**
 * A data folder with no real service cannot take a manual charge or credit: give it the default
 * set (first run, or a folder set up before the Services page existed). Returns how many were
 * created; does nothing when any real service exists, disabled or not.
 */
export function ensureDefaultServices(w: Work, note = ''): number {
  if (w.get('SELECT 1 AS x FROM services WHERE is_special = 0 LIMIT 1')) return 0
  for (const s of DEFAULT_SERVICES) {
    // A default's code may be taken by a special row or an odd import; the name decides then.
    const code = w.get('SELECT 1 AS x FROM services WHERE code = ?', [s.code]) ? undefined : s.code
    createService(w, { name: s.name, kind: s.kind, ...(code ? { code } : {}) }, note)
  }
  return DEFAULT_SERVICES.length
}
