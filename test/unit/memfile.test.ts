import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { openOwning, readFileWithSpare } from '../../src-main/db/memfile'
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

describe('a database file in a buffer we own', () => {
  it('holds, byte for byte, what an export gives, also after the database grew', async () => {
    const sql = await loadSqlJs()
    const owning = openOwning(sql, readFileWithSpare(await databaseFile(200), 1024 * 1024))
    expect(owning.adopted).toBe(true)
    for (let i = 0; i < 500; i++) owning.db.run('INSERT INTO t (note) VALUES (?)', [`later ${i} `.repeat(20)])
    const file = owning.file()!
    expect(file.length).toBeGreaterThan(fs.statSync(await databaseFile(200)).size)
    // An export goes through SQLite's backup, which stamps its own change counter (bytes 24-27,
    // repeated at 92-95); every other byte is the same.
    const exported = Buffer.from(owning.db.export())
    const live = Buffer.from(file)
    for (const at of [24, 92]) live.copy(exported, at, at, at + 4)
    expect(live.equals(exported)).toBe(true)
    owning.db.close()
  })

  it('says so when the database outgrew the buffer (the caller then exports)', async () => {
    const sql = await loadSqlJs()
    const owning = openOwning(sql, readFileWithSpare(await databaseFile(10), 8192))
    for (let i = 0; i < 500; i++) owning.db.run('INSERT INTO t (note) VALUES (?)', [`later ${i} `.repeat(20)])
    expect(owning.file()).toBeNull()
    owning.db.close()
  })
})
