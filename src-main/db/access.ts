import type { Database, Statement as SqlStatement } from 'sql.js'
import type { SqlParam } from './journal'

export type Row = Record<string, Value>

export type Value = number | string | null | Uint8Array

export interface DbReader {
  get<T = Row>(sql: string, params?: SqlParam[]): T | undefined
  all<T = Row>(sql: string, params?: SqlParam[]): T[]
  /** Rows as arrays in column order: several times faster than objects for large reads. */
  values(sql: string, params?: SqlParam[]): Value[][]
}

export interface DbWriter extends DbReader {
  /** Run a write; inside DurableStore.transaction it is recorded in the journal entry. */
  run(sql: string, params?: SqlParam[]): number
  /** Run an INSERT and return the new row id. */
  insert(sql: string, params?: SqlParam[]): number
}

export interface DbAccess extends DbWriter {
  /** Free every cached statement (required before db.export() or db.close()). */
  free(): void
}

/**
 * Reads and writes over a sql.js database with prepared statements cached by SQL text (the
 * engine's statements are fixed strings, so the cache stays small). `onWrite` sees every write.
 */
export function dbAccess(db: Database, onWrite?: (sql: string, params: SqlParam[]) => void): DbAccess {
  const cache = new Map<string, SqlStatement>()
  const prepare = (sql: string): SqlStatement => {
    let st = cache.get(sql)
    if (!st) {
      st = db.prepare(sql)
      cache.set(sql, st)
    }
    return st
  }
  const get = <T>(sql: string, params: SqlParam[] = []): T | undefined => {
    const st = prepare(sql)
    try {
      st.bind(params)
      return st.step() ? (st.getAsObject() as T) : undefined
    } finally {
      st.reset()
    }
  }
  const run = (sql: string, params: SqlParam[] = []): number => {
    prepare(sql).run(params)
    onWrite?.(sql, params)
    return db.getRowsModified()
  }
  return {
    get,
    all: <T>(sql: string, params: SqlParam[] = []): T[] => {
      const st = prepare(sql)
      const rows: T[] = []
      try {
        st.bind(params)
        while (st.step()) rows.push(st.getAsObject() as T)
      } finally {
        st.reset()
      }
      return rows
    },
    values: (sql: string, params: SqlParam[] = []): Value[][] => {
      const st = prepare(sql)
      const rows: Value[][] = []
      try {
        st.bind(params)
        while (st.step()) rows.push(st.get() as Value[])
      } finally {
        st.reset()
      }
      return rows
    },
    run,
    insert: (sql, params = []) => {
      run(sql, params)
      return Number(get<{ id: number }>('SELECT last_insert_rowid() AS id')!.id)
    },
    free: () => {
      for (const st of cache.values()) st.free()
      cache.clear()
    }
  }
}
