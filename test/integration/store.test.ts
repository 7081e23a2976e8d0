import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { scanJournal } from '../../src-main/db/journal'
import { loadSqlJs } from '../../src-main/db/sqljs'
import type { DbWriter } from '../../src-main/db/access'
import { DurableStore, JOURNAL_FILE, SNAPSHOT_CHECK_FILE, SNAPSHOT_FILE } from '../../src-main/db/store'
import { killedCopy, tmpDataDir } from '../support/tmp'

const T0 = Date.parse('2026-11-21T10:00:00Z')

async function open(dataDir: string, snapshotAfterBytes?: number, heldJournalCapBytes?: number) {
  const sql = await loadSqlJs()
  return DurableStore.open({
    dataDir,
    sql,
    now: () => T0,
    log: () => {},
    ...(snapshotAfterBytes ? { snapshotAfterBytes } : {}),
    ...(heldJournalCapBytes ? { heldJournalCapBytes } : {})
  })
}

function addCustomer(store: DurableStore, name: string): number {
  return store.transaction((w) =>
    w.insert(`INSERT INTO customers (customer_id, company_name, balance_control, currency, created_at, updated_at) VALUES (?, ?, 'prepaid', 'USD', 'x', 'x')`, [
      name,
      name
    ])
  )
}

const names = (store: DurableStore) => store.read((r) => r.all<{ customer_id: string }>('SELECT customer_id FROM customers ORDER BY id').map((c) => c.customer_id))

describe('durable store', () => {
  it('keeps every acknowledged change when the process dies without a snapshot (journal replay)', async () => {
    const dir = tmpDataDir()
    const a = await open(dir)
    addCustomer(a, 'Łódź Telecom')
    addCustomer(a, 'Easy Call Ltd')
    expect(fs.statSync(path.join(dir, JOURNAL_FILE)).size).toBeGreaterThan(0)
    // Simulate a crash: the in-memory database is simply gone; no close, no snapshot.
    const b = await open(dir)
    expect(b.replayedEntries).toBe(2)
    expect(names(b)).toEqual(['Łódź Telecom', 'Easy Call Ltd'])
    b.close()
  })

  it('a failing unit of work changes nothing, in memory or on disk', async () => {
    const dir = tmpDataDir()
    const s = await open(dir)
    addCustomer(s, 'first')
    const journalBefore = fs.readFileSync(path.join(dir, JOURNAL_FILE))
    expect(() =>
      s.transaction((w) => {
        w.run(`INSERT INTO customers (customer_id, balance_control, currency, created_at, updated_at) VALUES ('second', 'prepaid', 'USD', 'x', 'x')`)
        throw new Error('declined')
      })
    ).toThrow('declined')
    expect(names(s)).toEqual(['first'])
    expect(fs.readFileSync(path.join(dir, JOURNAL_FILE)).equals(journalBefore)).toBe(true)
  })

  it('replays only what the snapshot lacks, even if a crash hit between snapshot and journal reset', async () => {
    const dir = tmpDataDir()
    const s = await open(dir)
    addCustomer(s, 'a')
    addCustomer(s, 'b')
    const records = (file: string) => {
      const buf = fs.readFileSync(file)
      return buf.subarray(0, scanJournal(buf).validBytes)
    }
    const journal = records(path.join(dir, JOURNAL_FILE))
    s.snapshot() // holds a and b; journal emptied
    addCustomer(s, 'c')
    // Crash window: snapshot renamed but the old journal entries are still there, before c's.
    const tail = records(path.join(dir, JOURNAL_FILE))
    fs.writeFileSync(path.join(dir, JOURNAL_FILE), Buffer.concat([journal, tail]))
    const again = await open(dir)
    expect(names(again)).toEqual(['a', 'b', 'c'])
    expect(again.replayedEntries).toBe(1)
  })

  it('keeps the rollback journal in memory (not a MEMFS file copied as it grows) and still undoes a large failed unit of work', async () => {
    const dir = tmpDataDir()
    const store = await open(dir)
    // A MEMFS journal file grows by 1.125x copies of itself: a 60 MB unit of work cost seconds.
    expect(store.read((r) => r.values('PRAGMA journal_mode'))[0]?.[0]).toBe('memory')
    addCustomer(store, 'Kept Ltd')
    expect(() =>
      store.transaction((w) => {
        for (let i = 0; i < 5_000; i++) {
          w.run(`INSERT INTO customers (customer_id, company_name, balance_control, currency, created_at, updated_at) VALUES (?, ?, 'prepaid', 'USD', 'x', 'x')`, [
            `C${i}`,
            'x'.repeat(500)
          ])
        }
        throw new Error('cancelled at the end')
      })
    ).toThrow('cancelled at the end')
    expect(names(store)).toEqual(['Kept Ltd'])
    store.close()
    const again = await open(dir)
    expect(names(again)).toEqual(['Kept Ltd'])
    again.close()
  })

  it("runs a large unit of work without SQLite's rollback journal when asked: a failure leaves memory and disk as before, a success is durable, and the journal is back on after", async () => {
    const dir = tmpDataDir()
    const s = await open(dir)
    s.transaction((w) => {
      w.run('CREATE TABLE t (id INTEGER PRIMARY KEY, note TEXT NOT NULL)')
      w.run('CREATE INDEX t_note ON t (note)')
      for (let i = 0; i < 2000; i++) w.run('INSERT INTO t (note) VALUES (?)', [`kept ${i} `.repeat(10)])
    })
    const state = (store: DurableStore) => JSON.stringify(store.read((r) => r.values('SELECT id, note FROM t ORDER BY id')))
    const before = state(s)
    const journalBefore = s.journalBytes
    const manyPages = (w: DbWriter, tag: string) => {
      for (let i = 0; i < 3000; i++) w.run('INSERT INTO t (note) VALUES (?)', [`${tag} ${i} `.repeat(20)])
      w.run("UPDATE t SET note = note || ' changed' WHERE id % 2 = 0")
    }
    expect(() =>
      s.transaction(
        (w) => {
          manyPages(w, 'undone')
          throw new Error('the batch met a problem')
        },
        { rollbackJournal: false }
      )
    ).toThrow('the batch met a problem')
    expect(state(s)).toBe(before)
    expect(s.journalBytes).toBe(journalBefore)
    expect(s.read((r) => r.values('PRAGMA journal_mode'))).toEqual([['memory']])
    expect(s.read((r) => r.values('PRAGMA integrity_check'))).toEqual([['ok']])
    // A failure with the usual journal still rolls back too.
    expect(() =>
      s.transaction((w) => {
        manyPages(w, 'undone again')
        throw new Error('again')
      })
    ).toThrow('again')
    expect(state(s)).toBe(before)
    // A success commits, and is in the journal: killed now, the folder gives it back.
    s.transaction((w) => manyPages(w, 'committed'), { rollbackJournal: false, checkForeignKeys: false })
    const after = state(s)
    expect(after).not.toBe(before)
    const killed = await open(killedCopy(dir))
    expect(state(killed)).toBe(after)
    expect(killed.read((r) => r.values('PRAGMA integrity_check'))).toEqual([['ok']])
    killed.close()
    // And the snapshot of the database in memory holds the same.
    s.close()
    const again = await open(dir)
    expect(state(again)).toBe(after)
    again.close()
  })

  it('skips foreign-key lookups only in a unit of work that asks (the usage import vouches for its references), and checks them again after', async () => {
    const dir = tmpDataDir()
    const store = await open(dir)
    const id = addCustomer(store, 'Parent Ltd')
    const fk = (r: { values(sql: string): unknown[][] }) => r.values('PRAGMA foreign_keys')[0]?.[0]
    const addAccount = (customerId: number, account: string, opts?: { checkForeignKeys?: boolean }) =>
      store.transaction((w) => {
        const checked = fk(w)
        w.insert("INSERT INTO accounts (customer_id, account_id, status, created_at) VALUES (?, ?, 'active', 'x')", [customerId, account])
        return checked
      }, opts)
    expect(addAccount(id, 'acc-1', { checkForeignKeys: false })).toBe(0)
    expect(store.read(fk)).toBe(1)
    expect(() => addAccount(id + 999, 'acc-orphan')).toThrow(/FOREIGN KEY/)
    // A failing unchecked unit of work also leaves the check on.
    expect(() =>
      store.transaction(
        () => {
          throw new Error('boom')
        },
        { checkForeignKeys: false }
      )
    ).toThrow('boom')
    expect(store.read(fk)).toBe(1)
    expect(() => addAccount(id + 998, 'acc-orphan-2')).toThrow(/FOREIGN KEY/)
    store.close()
    const again = await open(dir)
    expect(again.read((r) => r.values('SELECT account_id FROM accounts'))).toEqual([['acc-1']])
    again.close()
  })

  it('takes a snapshot in the background once the journal passes its limit', async () => {
    const dir = tmpDataDir()
    const s = await open(dir, 2048)
    for (let i = 0; i < 30; i++) addCustomer(s, `c${i}`)
    await new Promise((r) => setImmediate(r))
    expect(s.snapshotInProgress).toBe(true) // made by the worker, while this thread goes on
    await vi.waitFor(() => expect(s.snapshotInProgress).toBe(false), { timeout: 20_000 })
    expect(s.journalBytes).toBeLessThan(2048)
    const again = await open(dir)
    expect(names(again)).toHaveLength(30)
  })

  it('holds background snapshots while a bulk writer asks (a usage import), up to the held cap; nothing is lost meanwhile, and the release takes the snapshot', async () => {
    const dir = tmpDataDir()
    const s = await open(dir, 2048, 16 * 1024)
    const release = s.holdSnapshots()
    for (let i = 0; i < 30; i++) addCustomer(s, `c${i}`)
    await new Promise((r) => setImmediate(r))
    // Past the limit, under the held cap: the journal keeps growing, no snapshot.
    expect(s.snapshotInProgress).toBe(false)
    expect(s.journalBytes).toBeGreaterThan(2 * 2048)
    expect(s.journalBytes).toBeLessThan(16 * 1024)
    // Killed while held (the folder as it is now, opened elsewhere): the journal gives back every change.
    const killed = await open(killedCopy(dir))
    expect(killed.replayedEntries).toBe(30)
    expect(names(killed)).toHaveLength(30)
    killed.close()
    // A second holder: the first release alone (twice) does not let snapshots go.
    const release2 = s.holdSnapshots()
    release()
    release()
    addCustomer(s, 'c30')
    await new Promise((r) => setImmediate(r))
    expect(s.snapshotInProgress).toBe(false)
    // The last release takes the snapshot that was due.
    release2()
    await new Promise((r) => setImmediate(r))
    expect(s.snapshotInProgress).toBe(true)
    await vi.waitFor(() => expect(s.snapshotInProgress).toBe(false), { timeout: 20_000 })
    expect(s.journalBytes).toBeLessThan(2048)
    // At the held cap a snapshot is taken all the same.
    const hold = s.holdSnapshots()
    for (let i = 31; s.journalBytes < 16 * 1024; i++) addCustomer(s, `c${i}`)
    await new Promise((r) => setImmediate(r))
    expect(s.snapshotInProgress).toBe(true)
    await vi.waitFor(() => expect(s.snapshotInProgress).toBe(false), { timeout: 20_000 })
    expect(s.journalBytes).toBeLessThan(16 * 1024)
    hold()
    const n = names(s).length
    s.close()
    const again = await open(dir)
    expect(names(again)).toHaveLength(n)
    again.close()
  })

  it('counts invoice documents (blobs) in the journal by what they cost to replay: no snapshot per limit of them, one at the cap; replay gives every document back', async () => {
    const dir = tmpDataDir()
    const limit = 64 * 1024
    const s = await open(dir, limit)
    s.transaction((w) => w.run('CREATE TABLE docs (id INTEGER PRIMARY KEY, pdf BLOB NOT NULL)'))
    const doc = (i: number) => new Uint8Array(12 * 1024).map((_, j) => (i * 31 + j * 7) & 0xff)
    const addDoc = (store: DurableStore, i: number) => store.transaction((w) => w.insert('INSERT INTO docs (id, pdf) VALUES (?, ?)', [i, doc(i)]))
    // 25 documents of 12 KiB: over 6 times the limit in journal bytes, but cheap to replay.
    for (let i = 1; i <= 25; i++) addDoc(s, i)
    await new Promise((r) => setImmediate(r))
    expect(s.snapshotInProgress).toBe(false)
    expect(s.journalBytes).toBeGreaterThan(6 * limit)
    // Killed here: every document comes back from the journal, byte for byte.
    const docs = (store: DurableStore) => store.read((r) => r.all<{ id: number; pdf: Uint8Array }>('SELECT id, pdf FROM docs ORDER BY id'))
    const b = await open(dir, limit)
    expect(b.replayedEntries).toBe(26)
    expect(docs(b).map((d) => [d.id, Buffer.from(d.pdf).equals(Buffer.from(doc(d.id)))])).toEqual(Array.from({ length: 25 }, (_, i) => [i + 1, true]))
    // The journal may not grow without bound: past 8 times the limit a snapshot is made all the same.
    for (let i = 26; i <= 80; i++) addDoc(b, i)
    await new Promise((r) => setImmediate(r))
    expect(b.snapshotInProgress).toBe(true)
    await vi.waitFor(() => expect(b.snapshotInProgress).toBe(false), { timeout: 20_000 })
    expect(b.journalBytes).toBeLessThan(8 * limit)
    const c = await open(dir, limit)
    expect(docs(c).map((d) => [d.id, Buffer.from(d.pdf).equals(Buffer.from(doc(d.id)))])).toEqual(Array.from({ length: 80 }, (_, i) => [i + 1, true]))
    c.close()
  })

  it('detects a damaged database file, keeps a copy aside and does not touch the original', async () => {
    const dir = tmpDataDir()
    const s = await open(dir)
    addCustomer(s, 'a')
    s.close()
    const file = path.join(dir, SNAPSHOT_FILE)
    const bytes = fs.readFileSync(file)
    // The check record lets a clean start skip SQLite's slow full check...
    expect(JSON.parse(fs.readFileSync(path.join(dir, SNAPSHOT_CHECK_FILE), 'utf8'))).toMatchObject({ size: fs.statSync(file).size })
    bytes.fill(0x41, 4096, 8192) // ...but a scribbled page no longer matches it, so the full check runs
    fs.writeFileSync(file, bytes)
    const err = await open(dir).then(
      () => null,
      (e: unknown) => e as Error & { code: string; keptAt: string }
    )
    expect(err?.code).toBe('DB_CORRUPT')
    expect(err?.message).toMatch(/damaged|not a SQLite/)
    expect(fs.existsSync(err!.keptAt)).toBe(true)
    expect(fs.readFileSync(file).equals(bytes)).toBe(true)
  })

  it('refuses a file that is not a database at all', async () => {
    const dir = tmpDataDir()
    fs.writeFileSync(path.join(dir, SNAPSHOT_FILE), 'hello, I am a spreadsheet')
    await expect(open(dir)).rejects.toMatchObject({ code: 'DB_CORRUPT' })
  })
})
