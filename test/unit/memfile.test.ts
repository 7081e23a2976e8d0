import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { readFileWithSpare, TrackedFile } from '../../src-main/db/memfile'
import { loadSqlJs } from '../../src-main/db/sqljs'
import { tmpDataDir } from '../support/tmp'

async function databaseFile(rows: number): Promise<string> {
  const sql = await loadSqlJs()
  const db = new sql.Database()
  db.run('CREATE TABLE t (id INTEGER PRIMARY KEY, note TEXT)')
  for (let i = 0; i < rows; i++) db.run('INSERT INTO t (note) VALUES (?)', [`row ${i} `.repeat(20)])
  const file = path.join(tmpDataDir(), 'db.sqlite')
  fs.writeFileSync(file, db.export())
  db.close()
  return file
}

describe('the database file in a buffer we own', () => {
  it('is, byte for byte, what an export gives, also after the database grew', async () => {
    const sql = await loadSqlJs()
    const file = await databaseFile(200)
    const { db, file: live } = TrackedFile.open(sql, readFileWithSpare(file, 1024 * 1024))
    expect(live.live).toBe(true)
    for (let i = 0; i < 500; i++) db.run('INSERT INTO t (note) VALUES (?)', [`later ${i} `.repeat(20)])
    const now = Buffer.from(live.current(db)!)
    expect(now.length).toBeGreaterThan(fs.statSync(file).size)
    // An export goes through SQLite's backup, which stamps its own change counter (bytes 24-27,
    // repeated at 92-95); every other byte is the same.
    const exported = Buffer.from(db.export())
    for (const at of [24, 92]) now.copy(exported, at, at, at + 4)
    expect(now.equals(exported)).toBe(true)
    db.close()
  })

  it('the last snapshot with the changed pages written over it is the database as it is now', async () => {
    const sql = await loadSqlJs()
    const file = await databaseFile(300)
    const { db, file: live } = TrackedFile.open(sql, readFileWithSpare(file, 1024 * 1024))
    db.run('UPDATE t SET note = ? WHERE id % 37 = 0', ['changed'])
    db.run('DELETE FROM t WHERE id BETWEEN 100 AND 120')
    for (let i = 0; i < 50; i++) db.run('INSERT INTO t (note) VALUES (?)', [`new ${i} `.repeat(30)])
    const changes = live.takeChanges(db)!
    expect(changes.pages.length).toBeGreaterThan(0)
    expect(changes.pages.length).toBeLessThan(changes.size / changes.pageSize) // not the whole file
    const rebuilt = Buffer.alloc(changes.size)
    fs.readFileSync(file).copy(rebuilt, 0, 0, Math.min(changes.size, fs.statSync(file).size))
    changes.pages.forEach((p, i) => Buffer.from(changes.data.buffer, i * changes.pageSize, changes.pageSize).copy(rebuilt, p * changes.pageSize))
    expect(rebuilt.equals(Buffer.from(live.current(db)!))).toBe(true)
    // Counting starts afresh: the next change notes only its own pages.
    db.run('UPDATE t SET note = ? WHERE id = 1', ['again'])
    expect(live.takeChanges(db)!.pages.length).toBeLessThan(changes.pages.length)
    db.close()
  })

  it('says so when the database outgrew the buffer (the store then exports)', async () => {
    const sql = await loadSqlJs()
    const { db, file: live } = TrackedFile.open(sql, readFileWithSpare(await databaseFile(10), 8192))
    for (let i = 0; i < 500; i++) db.run('INSERT INTO t (note) VALUES (?)', [`later ${i} `.repeat(20)])
    expect(live.current(db)).toBeNull()
    expect(live.takeChanges(db)).toBeNull()
    db.close()
  })
})
