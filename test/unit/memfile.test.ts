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
    expect(live.live).toBe(true) // reading and writing pages does not make it let go
    const now = Buffer.from(live.current(db)!)
    expect(now.length).toBeGreaterThan(fs.statSync(file).size)
    // An export goes through SQLite's backup, which stamps its own change counter (bytes 24-27,
    // repeated at 92-95); every other byte is the same.
    const exported = Buffer.from(db.export())
    for (const at of [24, 92]) now.copy(exported, at, at, at + 4)
    expect(now.equals(exported)).toBe(true)
    db.close()
  })

  it('grows into room another thread touches just ahead of it, and the file in the buffer holds every byte written', async () => {
    const sql = await loadSqlJs()
    const file = await databaseFile(100)
    const size = fs.statSync(file).size
    const { db, file: live } = TrackedFile.open(sql, readFileWithSpare(file, 256 * 1024 * 1024))
    expect(live.warmedBytes).toBe(size) // nothing asked for until the file grows by 4 MiB
    // 40 MiB of random bytes in 1 MiB rows, one transaction each, while the room is touched.
    db.run('CREATE TABLE bulk (id INTEGER PRIMARY KEY, b BLOB)')
    for (let i = 0; i < 40; i++) db.run('INSERT INTO bulk (b) VALUES (randomblob(1048576))')
    const grown = live.current(db)!.length
    expect(grown).toBeGreaterThan(size + 40 * 2 ** 20)
    expect(live.warmedBytes).toBeGreaterThan(grown + 16 * 2 ** 20) // kept ahead of the file's end
    await new Promise((resolve) => setTimeout(resolve, 50)) // let the thread touch some of it
    for (let i = 0; i < 10; i++) db.run('UPDATE bulk SET b = randomblob(1048576) WHERE id = ?', [i * 4 + 1])
    // The file as it is in the buffer, opened on its own, holds every byte the database does.
    const copy = new sql.Database(new Uint8Array(live.current(db)!))
    const rows = (d: typeof db) => d.exec('SELECT id, b FROM bulk ORDER BY id')[0]!.values
    const expected = rows(db)
    const actual = rows(copy)
    expect(expected).toHaveLength(40)
    expect(actual.map((r) => r[0])).toEqual(expected.map((r) => r[0]))
    // Compared as buffers: a deep equality of 40 MiB element by element takes minutes.
    expect(actual.filter((r, i) => !Buffer.from(r[1] as Uint8Array).equals(Buffer.from(expected[i]![1] as Uint8Array)))).toEqual([])
    expect(copy.exec('PRAGMA integrity_check')[0]!.values).toEqual([['ok']])
    copy.close()
    live.close()
    db.close()
  })

  it('the last snapshot with the changed pages written over it is the database as it was when the snapshot began', async () => {
    const sql = await loadSqlJs()
    const file = await databaseFile(300)
    const { db, file: live } = TrackedFile.open(sql, readFileWithSpare(file, 1024 * 1024))
    db.run('UPDATE t SET note = ? WHERE id % 37 = 0', ['changed'])
    db.run('DELETE FROM t WHERE id BETWEEN 100 AND 120')
    for (let i = 0; i < 50; i++) db.run('INSERT INTO t (note) VALUES (?)', [`new ${i} `.repeat(30)])
    const atBegin = Buffer.from(live.current(db)!)
    const snapshot = live.beginSnapshot(db)!
    expect(snapshot.pages.length).toBeGreaterThan(2)
    expect(snapshot.pages.length).toBeLessThan(snapshot.size / snapshot.pageSize) // not the whole file
    const rebuilt = Buffer.alloc(snapshot.size)
    fs.readFileSync(file).copy(rebuilt, 0, 0, Math.min(snapshot.size, fs.statSync(file).size))
    // The pages are handed out two at a time while changes go on, touching pages not handed out yet.
    let round = 0
    for (let chunk = live.nextChunk(snapshot, 2); chunk; chunk = live.nextChunk(snapshot, 2)) {
      chunk.pages.forEach((p, i) => {
        Buffer.from(chunk!.data.buffer, i * snapshot.pageSize, snapshot.pageSize).copy(rebuilt, p * snapshot.pageSize)
      })
      db.run('UPDATE t SET note = ? WHERE id % 7 = ?', [`meanwhile ${round}`, round % 7])
      db.run('INSERT INTO t (note) VALUES (?)', [`meanwhile ${round++} `.repeat(40)])
    }
    expect(round).toBeGreaterThan(1)
    expect(rebuilt.equals(atBegin)).toBe(true)
    // The changes made meanwhile are the next snapshot's pages.
    const next = live.beginSnapshot(db)!
    const rebuiltNext = Buffer.alloc(next.size)
    atBegin.copy(rebuiltNext, 0, 0, Math.min(next.size, atBegin.length))
    for (let chunk = live.nextChunk(next, 1000); chunk; chunk = live.nextChunk(next, 1000)) {
      chunk.pages.forEach((p, i) => {
        Buffer.from(chunk!.data.buffer, i * next.pageSize, next.pageSize).copy(rebuiltNext, p * next.pageSize)
      })
    }
    expect(rebuiltNext.equals(Buffer.from(live.current(db)!))).toBe(true)
    db.close()
  })

  it("puts back the pages a unit of work without SQLite's rollback journal wrote before its ROLLBACK: the database is as before", async () => {
    const sql = await loadSqlJs()
    const file = await databaseFile(300)
    const { db, file: live } = TrackedFile.open(sql, readFileWithSpare(file, 64 * 1024 * 1024))
    db.run('CREATE INDEX t_note ON t (note)')
    const state = () => JSON.stringify(db.exec('SELECT id, note FROM t ORDER BY id')[0]!.values)
    const before = state()
    // No rollback journal and a cache of 20 pages that spills: SQLite writes pages mid-transaction.
    db.run('PRAGMA journal_mode = OFF')
    db.run('PRAGMA cache_size = 20')
    live.beginUndo(db)
    db.run('BEGIN')
    const writes = live.writes
    for (let i = 0; i < 400; i++) db.run('INSERT INTO t (note) VALUES (?)', [`undone ${i} `.repeat(30)])
    db.run("UPDATE t SET note = 'changed ' || note WHERE id % 3 = 0")
    db.run('DELETE FROM t WHERE id % 7 = 0')
    expect(live.writes).toBeGreaterThan(writes + 50) // pages reached the file before COMMIT
    db.run('ROLLBACK')
    live.rollBackUndo()
    live.endUndo()
    expect(state()).toBe(before)
    expect(db.exec('PRAGMA integrity_check')[0]!.values).toEqual([['ok']])
    // And the database goes on normally: a change commits, and the file in the buffer holds it.
    db.run('PRAGMA journal_mode = MEMORY')
    db.run("INSERT INTO t (note) VALUES ('after')")
    const copy = new sql.Database(new Uint8Array(live.current(db)!))
    expect(copy.exec("SELECT count(*) FROM t WHERE note = 'after'")[0]!.values).toEqual([[1]])
    expect(copy.exec('PRAGMA integrity_check')[0]!.values).toEqual([['ok']])
    expect(copy.exec('SELECT count(*) FROM t')[0]!.values).toEqual([[301]])
    copy.close()
    db.close()
  })

  it("has a closed database's buffer collected on the next turn (V8 counts shared buffers as no memory pressure: without it a loop of opens ran out of address space)", async () => {
    const sql = await loadSqlJs()
    const file = await databaseFile(50)
    const openAndClose = () => {
      const owned = readFileWithSpare(file, 64 * 1024 * 1024)
      const { db, file: live } = TrackedFile.open(sql, owned)
      db.run("INSERT INTO t (note) VALUES ('x')")
      db.close()
      live.close()
      return new WeakRef(owned.bytes.buffer)
    }
    const buffers = [openAndClose(), openAndClose(), openAndClose()]
    await new Promise((resolve) => setImmediate(resolve))
    await new Promise((resolve) => setImmediate(resolve))
    expect(buffers.map((b) => b.deref() === undefined)).toEqual([true, true, true])
  })

  it('says so when the database outgrew the buffer (the store then exports)', async () => {
    const sql = await loadSqlJs()
    const { db, file: live } = TrackedFile.open(sql, readFileWithSpare(await databaseFile(400), 8192))
    for (let i = 0; i < 500; i++) db.run('INSERT INTO t (note) VALUES (?)', [`later ${i} `.repeat(20)])
    expect(live.live).toBe(false) // seen when MEMFS moved the file to a larger buffer of its own
    expect(live.current(db)).toBeNull()
    expect(live.beginSnapshot(db)).toBeNull()
    db.close()
  })
})
