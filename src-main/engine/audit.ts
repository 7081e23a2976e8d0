import { createHash } from 'node:crypto'
import type { AuditEntry, AuditVerifyResult } from '../../src-shared/domain'
import { formatMinor } from '../../src-shared/money'
import type { DbReader, DbWriter } from '../db/store'

/** What a unit of work records about one change. */
export interface AuditRecord {
  kind: string // e.g. 'setup', 'settings.change', 'customer.balance'
  customerId?: number | null
  field?: string | null
  from?: string | null
  to?: string | null
  description: string
  source?: { kind: string; id?: number | null } | null
}

export interface Actor {
  operatorId: number
  operatorName: string
}

export const GENESIS_HASH = '0'.repeat(64)

interface StoredAudit {
  id: number
  at: string
  operator_id: number
  operator_name: string
  customer_id: number | null
  kind: string
  field: string | null
  from_value: string | null
  to_value: string | null
  description: string
  source_kind: string | null
  source_id: number | null
  prev_hash: string
  hash: string
}

function hashEntry(e: Omit<StoredAudit, 'hash'>): string {
  const content = JSON.stringify([
    e.id,
    e.at,
    e.operator_id,
    e.operator_name,
    e.customer_id,
    e.kind,
    e.field,
    e.from_value,
    e.to_value,
    e.description,
    e.source_kind,
    e.source_id
  ])
  return createHash('sha256').update(e.prev_hash).update('\n').update(content).digest('hex')
}

/** Append one entry, chained to its predecessor. Called only inside a unit of work. */
export function appendAudit(w: DbWriter, at: string, actor: Actor, rec: AuditRecord): number {
  const last = w.get<{ id: number; hash: string }>('SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1')
  const entry: Omit<StoredAudit, 'hash'> = {
    id: (last?.id ?? 0) + 1,
    at,
    operator_id: actor.operatorId,
    operator_name: actor.operatorName,
    customer_id: rec.customerId ?? null,
    kind: rec.kind,
    field: rec.field ?? null,
    from_value: rec.from ?? null,
    to_value: rec.to ?? null,
    description: rec.description,
    source_kind: rec.source?.kind ?? null,
    source_id: rec.source?.id ?? null,
    prev_hash: last?.hash ?? GENESIS_HASH
  }
  w.run(
    `INSERT INTO audit_log (id, at, operator_id, operator_name, customer_id, kind, field, from_value, to_value,
       description, source_kind, source_id, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
    [
      entry.id,
      entry.at,
      entry.operator_id,
      entry.operator_name,
      entry.customer_id,
      entry.kind,
      entry.field,
      entry.from_value,
      entry.to_value,
      entry.description,
      entry.source_kind,
      entry.source_id,
      entry.prev_hash,
      hashEntry(entry)
    ]
  )
  return entry.id
}

/**
 * The seed's wording for a money change, e.g.
 * "Balance changed from 40.00 to -95.00 (decreased by 135.00)."
 */
export function describeAmountChange(label: string, fromMinor: number, toMinor: number, currencyCode: string): string {
  const f = (m: number) => formatMinor(m, currencyCode)
  if (toMinor === fromMinor) return `${label} unchanged at ${f(fromMinor)}.`
  const dir = toMinor > fromMinor ? 'increased' : 'decreased'
  return `${label} changed from ${f(fromMinor)} to ${f(toMinor)} (${dir} by ${f(Math.abs(toMinor - fromMinor))}).`
}

export function describeValueChange(label: string, from: string | null, to: string | null): string {
  const show = (v: string | null) => (v === null || v === '' ? '(empty)' : `"${v}"`)
  return `${label} changed from ${show(from)} to ${show(to)}.`
}

export function listAudit(r: DbReader, opts: { beforeId?: number; limit: number }): AuditEntry[] {
  const rows = r.all<StoredAudit & { customer_name: string | null }>(
    `SELECT a.*, c.customer_id AS customer_name FROM audit_log a LEFT JOIN customers c ON c.id = a.customer_id
     WHERE a.id < ? ORDER BY a.id DESC LIMIT ?`,
    [opts.beforeId ?? Number.MAX_SAFE_INTEGER, opts.limit]
  )
  return rows.map((a) => ({
    id: a.id,
    at: a.at,
    operatorName: a.operator_name,
    customerId: a.customer_id,
    customerName: a.customer_name,
    kind: a.kind,
    description: a.description,
    source: a.source_kind === null ? null : a.source_id === null ? a.source_kind : `${a.source_kind} (xDR id ${a.source_id})`
  }))
}

/** Walk the chain from the first entry; report the first entry whose link or content is broken. */
export function verifyAuditChain(r: DbReader): AuditVerifyResult {
  let prev = GENESIS_HASH
  let checked = 0
  let expectedId = 1
  for (const row of r.all<StoredAudit>('SELECT * FROM audit_log ORDER BY id')) {
    const { hash, ...rest } = row
    const broken =
      row.id !== expectedId
        ? `entry ${expectedId} is missing`
        : row.prev_hash !== prev
          ? 'its link to the previous entry is broken'
          : hashEntry(rest) !== hash
            ? 'its content was altered'
            : null
    if (broken) {
      return { ok: false, checked, firstBrokenId: row.id, message: `Audit entry ${row.id}: ${broken}.` }
    }
    prev = hash
    checked++
    expectedId++
  }
  return { ok: true, checked, firstBrokenId: null, message: `All ${checked} audit entries are intact.` }
}
