import { describe, expect, it } from 'vitest'
import { loadSqlJs } from '../../src-main/db/sqljs'
import { migrate, MIGRATIONS, type Migration } from '../../src-main/db/migrate'

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
})
