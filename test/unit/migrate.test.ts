import { describe, expect, it } from 'vitest'
import { loadSqlJs } from '../../src-main/db/sqljs'
import { migrate, MIGRATIONS, REBUILD_MARKER, type Migration } from '../../src-main/db/migrate'

const AT = '2026-11-21T10:00:00.000Z'
const fake = (version: number, sql: string): Migration => ({ version, name: `m${version}`, sql, checksum: `sum-of-${sql}` })

describe('migrations', () => {
  it('runs each shipped migration once and records it with its checksum', async () => {
    const SQL = await loadSqlJs()
    const db = new SQL.Database()
    expect(migrate(db, AT).applied.map((m) => m.version)).toEqual(MIGRATIONS.map((m) => m.version))
    expect(migrate(db, AT).applied).toEqual([]) // second start: nothing to do
    const rows = db.exec('SELECT version, checksum FROM schema_migrations')[0]!.values
    expect(rows).toEqual(MIGRATIONS.map((m) => [m.version, m.checksum]))
  })

  it('refuses a database whose applied migration was edited afterwards', async () => {
    const SQL = await loadSqlJs()
    const db = new SQL.Database()
    migrate(db, AT, [fake(1, 'CREATE TABLE a (x)')])
    const edited = [{ ...fake(1, 'CREATE TABLE a (x)'), checksum: 'different' }]
    expect(() => migrate(db, AT, edited)).toThrow(/has changed since it was applied/)
  })

  it('refuses a database written by a newer version (unknown migration)', async () => {
    const SQL = await loadSqlJs()
    const db = new SQL.Database()
    migrate(db, AT, [fake(1, 'CREATE TABLE a (x)'), fake(2, 'CREATE TABLE b (y)')])
    expect(() => migrate(db, AT, [fake(1, 'CREATE TABLE a (x)')])).toThrow(/newer version/)
  })

  it('rolls back a failing migration completely and reports which one', async () => {
    const SQL = await loadSqlJs()
    const db = new SQL.Database()
    const bad = fake(1, 'CREATE TABLE a (x); INSERT INTO nowhere VALUES (1);')
    expect(() => migrate(db, AT, [bad])).toThrow(/Migration 1 "m1" failed/)
    expect(db.exec("SELECT name FROM sqlite_master WHERE name = 'a'")).toEqual([])
  })

  it('a table rebuild runs with foreign keys off, and is rolled back if it leaves a broken reference', async () => {
    const SQL = await loadSqlJs()
    const db = new SQL.Database()
    db.run('PRAGMA foreign_keys = ON')
    const base = [
      fake(
        1,
        "CREATE TABLE p (id INTEGER PRIMARY KEY, k TEXT CHECK (k IN ('a'))); CREATE TABLE c (p_id INTEGER REFERENCES p (id)); INSERT INTO p VALUES (1, 'a'); INSERT INTO c VALUES (1);"
      )
    ]
    migrate(db, AT, base)
    // Widening p's CHECK: the child table c keeps referring to p by name.
    const rebuild = (copy: string) =>
      fake(2, `${REBUILD_MARKER}\nCREATE TABLE p2 (id INTEGER PRIMARY KEY, k TEXT CHECK (k IN ('a', 'b'))); ${copy} DROP TABLE p; ALTER TABLE p2 RENAME TO p;`)
    // Forgetting to copy the rows leaves c pointing at nothing: refused, nothing changed.
    expect(() => migrate(db, AT, [...base, rebuild('')])).toThrow(/Migration 2 "m2" failed: it leaves a c row referring to a missing p row/)
    expect(db.exec('SELECT sql FROM sqlite_master WHERE name = ?', ['p'])[0]!.values[0]![0]).toMatch(/IN \('a'\)\)/)
    expect(db.exec('PRAGMA foreign_keys')[0]!.values[0]![0]).toBe(1)
    migrate(db, AT, [...base, rebuild('INSERT INTO p2 SELECT * FROM p;')])
    db.run("INSERT INTO p VALUES (2, 'b')")
    expect(() => db.run('INSERT INTO c VALUES (9)')).toThrow(/FOREIGN KEY/)
    // Without the marker a migration runs with foreign keys enforced, as before.
    expect(() => migrate(db, AT, [...base, rebuild('INSERT INTO p2 SELECT * FROM p;'), fake(3, 'DELETE FROM p WHERE id = 1')])).toThrow(/FOREIGN KEY/)
  })
})
