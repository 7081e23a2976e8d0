import type { DbReader, DbWriter, DurableStore } from '../db/store'
import { appendAudit, type Actor, type AuditRecord } from './audit'

/** A change in progress: SQL writes plus the audit entries that explain them, one commit. */
export interface Work extends DbWriter {
  /** The moment of this change (ISO), the same for every row and audit entry it writes. */
  readonly at: string
  readonly actor: Actor
  audit(rec: AuditRecord): number
}

/**
 * The one way to change data: `fn` runs in one SQL transaction with its audit entries, and the
 * change is durable on disk before `change` returns. If `fn` throws, nothing is changed.
 */
export class Engine {
  constructor(
    private readonly store: DurableStore,
    readonly now: () => number
  ) {}

  change<T>(actor: Actor, fn: (w: Work) => T): T {
    const at = new Date(this.now()).toISOString()
    return this.store.transaction((db) => fn({ ...db, at, actor, audit: (rec) => appendAudit(db, at, actor, rec) }))
  }

  read<T>(fn: (r: DbReader) => T): T {
    return this.store.read(fn)
  }
}
