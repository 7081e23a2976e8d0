import type { SqlParam } from '../db/journal'
import type { DbReader } from '../db/store'

/**
 * The one number an aggregate query returns (`SELECT count(*) ...`, `SELECT max(...) ...`):
 * its first column of its first row, null when SQL says NULL. Saves a row type per count.
 */
export function numberOf(r: DbReader, sql: string, params?: SqlParam[]): number | null {
  const v = r.values(sql, params)[0]?.[0]
  return v === undefined || v === null ? null : Number(v)
}
