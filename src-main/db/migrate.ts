import { createHash } from 'node:crypto'
import type { Database } from 'sql.js'
import { AppError } from '../../src-shared/errors'

export interface Migration {
  version: number
  name: string
  sql: string
  checksum: string
}

const files = import.meta.glob('./migrations/*.sql', { query: '?raw', import: 'default', eager: true }) as Record<string, string>

function parseMigrations(sources: Record<string, string>): Migration[] {
  return Object.entries(sources)
    .map(([file, sql]) => {
      const m = /\/(\d{4})_([a-z0-9_]+)\.sql$/.exec(file)
      if (!m) throw new Error(`Migration file name must look like 0001_name.sql: ${file}`)
      return { version: Number(m[1]), name: m[2]!, sql, checksum: createHash('sha256').update(sql).digest('hex') }
    })
    .sort((a, b) => a.version - b.version)
}

/** The migrations shipped with this build, in order. */
export const MIGRATIONS: readonly Migration[] = parseMigrations(files)

/** A migration whose SQL holds this line runs with foreign keys off, then checked (see below). */
export const REBUILD_MARKER = '-- migrate: rebuilds tables (foreign keys off, checked before commit)'

export interface MigrationResult {
  applied: Migration[]
}

/**
 * Bring `db` up to this build's schema: each pending migration runs once, inside its own
 * transaction, and is recorded with its checksum. A database that ran an edited migration, or one
 * this build does not know (a newer app wrote it), is refused before anything changes.
 */
export function migrate(db: Database, now: string, migrations: readonly Migration[] = MIGRATIONS): MigrationResult {
  db.run(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL, applied_at TEXT NOT NULL)`)
  const done = new Map<number, { name: string; checksum: string }>()
  const res = db.exec('SELECT version, name, checksum FROM schema_migrations ORDER BY version')
  for (const row of res[0]?.values ?? []) done.set(Number(row[0]), { name: String(row[1]), checksum: String(row[2]) })

  const known = new Map(migrations.map((m) => [m.version, m]))
  for (const [version, rec] of done) {
    const mine = known.get(version)
    if (!mine) {
      throw new AppError(
        'DB_VERSION',
        `This database was written by a newer version of Callshop billing desk (it has migration ${version} "${rec.name}", which this version does not know). Install the newer version to open it.`
      )
    }
    if (mine.checksum !== rec.checksum) {
      throw new AppError(
        'DB_VERSION',
        `Migration ${version} "${rec.name}" has changed since it was applied to this database. Refusing to open it; restore the application version that created it.`
      )
    }
  }

  const applied: Migration[] = []
  const foreignKeys = Number(db.exec('PRAGMA foreign_keys')[0]?.values[0]?.[0] ?? 0) === 1
  for (const m of migrations) {
    if (done.has(m.version)) continue
    // A migration that rebuilds a table other tables refer to (the only way SQLite can change a
    // CHECK constraint) says so with REBUILD_MARKER: SQLite's procedure is foreign keys off (it
    // cannot change inside a transaction), then a foreign key check before the commit, so a
    // rebuild that breaks a reference is rolled back like any other failure. Other migrations run
    // with foreign keys enforced as usual (and skip the check, a full scan of the usage records).
    const rebuild = foreignKeys && m.sql.includes(REBUILD_MARKER)
    if (rebuild) db.run('PRAGMA foreign_keys = OFF')
    db.run('BEGIN')
    try {
      db.exec(m.sql)
      const broken = rebuild ? db.exec('PRAGMA foreign_key_check')[0]?.values[0] : undefined
      if (broken) throw new Error(`it leaves a ${String(broken[0])} row referring to a missing ${String(broken[2])} row`)
      db.run('INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (?, ?, ?, ?)', [m.version, m.name, m.checksum, now])
      db.run('COMMIT')
    } catch (err) {
      db.run('ROLLBACK')
      throw new AppError('DB_VERSION', `Migration ${m.version} "${m.name}" failed: ${(err as Error).message}`)
    } finally {
      if (rebuild) db.run('PRAGMA foreign_keys = ON')
    }
    applied.push(m)
  }
  return { applied }
}
