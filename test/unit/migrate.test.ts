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

  it('migration 0012 keeps every record, its id and the id counter, marks old usage rated, and keeps price list versions', async () => {
    const SQL = await loadSqlJs()
    const db = new SQL.Database()
    db.run('PRAGMA foreign_keys = ON')
    migrate(
      db,
      AT,
      MIGRATIONS.filter((m) => m.version < 12)
    )
    db.exec(`INSERT INTO customers (id, customer_id, balance_control, currency, created_at, updated_at) VALUES (1, 'c1', 'postpaid', 'USD', 'x', 'x');
      INSERT INTO xdrs (kind, customer_id, started_at, amount_minor, created_at) VALUES ('usage', 1, 's', 150, 'c'), ('payment', 1, 's', -50, 'c'), ('usage', 1, 's', 7, 'c');
      DELETE FROM xdrs WHERE id = 3;
      INSERT INTO price_lists (id, name, currency, created_at) VALUES (1, 'T', 'USD', 'x');
      INSERT INTO price_list_versions (id, price_list_id, effective_from, uploaded_at, operator_name, row_count) VALUES (1, 1, '2026-03-01T00:00:00.000Z', 'x', 'a', 1);
      INSERT INTO price_list_rates (version_id, prefix, rate_e5, connection_e5, first_interval_s, next_interval_s, free_seconds) VALUES (1, '44', 100, 0, 60, 60, 0);`)
    expect(migrate(db, AT).applied.map((m) => m.version)).toContain(12)
    expect(db.exec('SELECT id, kind, amount_minor, rating, charge_minor FROM xdrs ORDER BY id')[0]!.values).toEqual([
      [1, 'usage', 150, 'rated', 150],
      [2, 'payment', -50, null, null]
    ])
    // The deleted id 3 is not handed out again.
    db.run("INSERT INTO xdrs (kind, customer_id, started_at, created_at) VALUES ('payment', 1, 's', 'c')")
    expect(db.exec('SELECT max(id) FROM xdrs')[0]!.values[0]![0]).toBe(4)
    // Only an unrated usage record may lack a customer.
    db.run("INSERT INTO xdrs (kind, started_at, created_at, rating, account_ref) VALUES ('usage', 's', 'c', 'unrated', 'BOOTH-9')")
    expect(() => db.run("INSERT INTO xdrs (kind, started_at, created_at) VALUES ('payment', 's', 'c')")).toThrow(/CHECK/)
    // Same switch record id twice: refused.
    db.run("INSERT INTO xdrs (kind, customer_id, started_at, created_at, switch_record_id) VALUES ('usage', 1, 's', 'c', 'SW-1')")
    expect(() => db.run("INSERT INTO xdrs (kind, customer_id, started_at, created_at, switch_record_id) VALUES ('usage', 1, 's', 'c', 'SW-1')")).toThrow(/UNIQUE/)
    // Versions kept, still append-only, and a second one at the same instant is allowed.
    db.run("INSERT INTO price_list_versions (price_list_id, effective_from, uploaded_at, operator_name, row_count) VALUES (1, '2026-03-01T00:00:00.000Z', 'y', 'a', 0)")
    expect(() => db.run('DELETE FROM price_list_versions WHERE id = 1')).toThrow(/history/)
    expect(db.exec('SELECT count(*) FROM price_list_rates WHERE version_id = 1')[0]!.values[0]![0]).toBe(1)
    expect(db.exec('PRAGMA foreign_key_check')).toEqual([])
    db.close()
  })
})
