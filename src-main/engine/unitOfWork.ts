import type { SqlParam } from '../db/journal'
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
 * What one committed unit of work changed, for read models kept in memory (the customer index)
 * to bring themselves up to date without each handler having to remember them.
 */
export interface ChangeReport {
  /** The tables written (INSERT, UPDATE or DELETE), audit_log included. */
  readonly tables: ReadonlySet<string>
  /** The customers (row ids) the change's audit entries name. */
  readonly customers: ReadonlySet<number>
  /** The whole database was replaced (a restore): every read model starts over. */
  readonly replacedDatabase: boolean
}

export type ChangeListener = (change: ChangeReport) => void

/** The report of a restore: the data under every read model changed. */
export const DATABASE_REPLACED: ChangeReport = { tables: new Set(), customers: new Set(), replacedDatabase: true }

const WRITTEN_TABLE = /^\s*(?:INSERT(?:\s+OR\s+\w+)?\s+INTO|REPLACE\s+INTO|UPDATE(?:\s+OR\s+\w+)?|DELETE\s+FROM)\s+["`]?(\w+)/i
/** The engine's statements are fixed strings: each is parsed once. */
const tableOfSql = new Map<string, string | null>()

/** The table a write statement changes, or null (PRAGMA, CREATE ...). */
export function writtenTable(sql: string): string | null {
  let table = tableOfSql.get(sql)
  if (table === undefined) {
    table = WRITTEN_TABLE.exec(sql)?.[1]?.toLowerCase() ?? null
    if (tableOfSql.size < 10_000) tableOfSql.set(sql, table)
  }
  return table
}

/**
 * The one way to change data: `fn` runs in one SQL transaction with its audit entries, and the
 * change is durable on disk before `change` returns. If `fn` throws, nothing is changed.
 * After a commit, `onChange` hears what was written.
 */
export class Engine {
  constructor(
    private readonly store: DurableStore,
    readonly now: () => number,
    private readonly onChange?: ChangeListener
  ) {}

  /** The same object for every Engine over one store (the app makes an Engine per request): a key for what runs in this process. */
  get storeKey(): object {
    return this.store
  }

  /** Background snapshots wait until the returned release is called: see DurableStore.holdSnapshots. */
  holdSnapshots(): () => void {
    return this.store.holdSnapshots()
  }

  /**
   * `opts.checkForeignKeys: false` (only for references just read from the database) and
   * `opts.rollbackJournal: false` (a unit of work that changes thousands of pages): see DurableStore.transaction.
   */
  change<T>(actor: Actor, fn: (w: Work) => T, opts: { checkForeignKeys?: boolean; rollbackJournal?: boolean } = {}): T {
    const at = new Date(this.now()).toISOString()
    const tables = new Set<string>()
    const customers = new Set<number>()
    const wrote = (sql: string) => {
      const table = writtenTable(sql)
      if (table !== null) tables.add(table)
    }
    const result = this.store.transaction(
      (db) =>
        fn({
          ...db,
          run: (sql: string, params?: SqlParam[]) => {
            wrote(sql)
            return db.run(sql, params)
          },
          insert: (sql: string, params?: SqlParam[]) => {
            wrote(sql)
            return db.insert(sql, params)
          },
          at,
          actor,
          audit: (rec) => {
            tables.add('audit_log')
            if (rec.customerId !== undefined && rec.customerId !== null) customers.add(rec.customerId)
            return appendAudit(db, at, actor, rec)
          }
        }),
      opts
    )
    this.onChange?.({ tables, customers, replacedDatabase: false })
    return result
  }

  read<T>(fn: (r: DbReader) => T): T {
    return this.store.read(fn)
  }
}
