import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { openBillingApp } from '../../src-main/app'
import { scanJournal } from '../../src-main/db/journal'
import { copyWithSpare, spareFor, TrackedFile } from '../../src-main/db/memfile'
import { loadSqlJs } from '../../src-main/db/sqljs'
import { DurableStore, JOURNAL_FILE, SNAPSHOT_FILE } from '../../src-main/db/store'
import { tmpDataDir } from '../support/tmp'
import { TEST_ADMIN } from '../support/operators'

const T0 = Date.parse('2026-11-21T10:00:00Z')

async function open(dataDir: string) {
  const sql = await loadSqlJs()
  return DurableStore.open({ dataDir, sql, now: () => T0, log: () => {} })
}

function addCustomer(store: DurableStore, name: string): void {
  store.transaction((w) =>
    w.insert(`INSERT INTO customers (customer_id, company_name, balance_control, currency, created_at, updated_at) VALUES (?, ?, 'prepaid', 'USD', 'x', 'x')`, [
      name,
      name
    ])
  )
}

const names = (store: DurableStore) => store.read((r) => r.all<{ customer_id: string }>('SELECT customer_id FROM customers ORDER BY id').map((c) => c.customer_id))
const nextTurn = () => new Promise<void>((r) => setImmediate(r))
const journalSeqs = (dir: string) => scanJournal(fs.readFileSync(path.join(dir, JOURNAL_FILE))).entries.map((e) => e.seq)

async function snapshotSeq(dir: string): Promise<number> {
  const sql = await loadSqlJs()
  const db = new sql.Database(fs.readFileSync(path.join(dir, SNAPSHOT_FILE)))
  try {
    return Number(db.exec("SELECT value FROM meta WHERE key = 'journal_seq'")[0]!.values[0]![0])
  } finally {
    db.close()
  }
}

describe('snapshots and backups off the main thread', () => {
  it('keeps answering changes while a snapshot is written, and loses none of them', async () => {
    const dir = tmpDataDir()
    const s = await open(dir)
    for (let i = 0; i < 20; i++) addCustomer(s, `before-${i}`)
    let finished = false
    const snap = s.snapshotInBackground().then((r) => {
      finished = true
      return r
    })
    // A cashier keeps working: one change per event-loop turn until the snapshot is in place.
    let during = 0
    while (!finished) {
      addCustomer(s, `during-${during++}`)
      await nextTurn()
    }
    const result = await snap
    expect(during).toBeGreaterThan(0) // changes were answered while the snapshot was being made
    // The snapshot holds what was committed when the worker began (the first change or two made
    // after the request may be in it), the journal exactly the changes it lacks.
    expect(result).toMatchObject({ installed: true })
    expect(result.pages).toBeGreaterThan(0) // written by the worker from the changed pages
    expect(result.seq).toBeGreaterThanOrEqual(20)
    expect(result.seq).toBeLessThan(s.lastSeq)
    expect(await snapshotSeq(dir)).toBe(result.seq)
    const expected = Array.from({ length: s.lastSeq - result.seq }, (_, i) => result.seq + 1 + i)
    expect(journalSeqs(dir)).toEqual(expected)
    addCustomer(s, 'after')
    // Crash (no close): the snapshot plus the journal give back every acknowledged change.
    const again = await open(dir)
    expect(names(again)).toEqual([...Array.from({ length: 20 }, (_, i) => `before-${i}`), ...Array.from({ length: during }, (_, i) => `during-${i}`), 'after'])
    again.close()
  })

  it('writes each later snapshot over the one before the last (no copy of the whole file), and each holds exactly what was committed', async () => {
    const dir = tmpDataDir()
    const s = await open(dir)
    s.transaction((w) => {
      w.run('CREATE TABLE wide (id INTEGER PRIMARY KEY, v TEXT NOT NULL)')
      for (let i = 0; i < 400; i++) w.run('INSERT INTO wide (id, v) VALUES (?, ?)', [i, `start-${i}`.padEnd(2000, '.')])
    })
    const sql = await loadSqlJs()
    const expected = new Map<number, string>()
    const reused: boolean[] = []
    for (let round = 0; round < 6; round++) {
      // Rows far apart (other pages) changed in each round: a page changed in one round only must
      // still reach the snapshots after it, whichever file they are written over.
      for (const id of [(round * 67) % 400, (round * 131 + 5) % 400]) {
        const v = `round-${round}-${id}`.padEnd(2000, '.')
        s.transaction((w) => w.run('UPDATE wide SET v = ? WHERE id = ?', [v, id]))
        expected.set(id, v)
      }
      addCustomer(s, `round-${round}`)
      const snap = await s.snapshotInBackground()
      expect(snap.installed).toBe(true)
      reused.push(snap.phases.some((p) => p.name === 'reuse'))
      const db = new sql.Database(fs.readFileSync(path.join(dir, SNAPSHOT_FILE)))
      try {
        expect(db.exec('PRAGMA integrity_check')[0]!.values).toEqual([['ok']])
        const rows = new Map((db.exec('SELECT id, v FROM wide')[0]!.values as [number, string][]).map(([id, v]) => [id, v]))
        expect(rows.size).toBe(400)
        for (const [id, v] of expected) expect(rows.get(id), `round ${round}, row ${id}`).toBe(v)
        expect(db.exec('SELECT count(*) FROM customers')[0]!.values[0]![0]).toBe(round + 1)
      } finally {
        db.close()
      }
    }
    // The first two copy the file (the one read at start-up is not written over: see
    // DurableStore.inPlaceByWorker); from then on each is written over the one before the last.
    expect(reused).toEqual([false, false, true, true, true, true])
    // A snapshot written on the main thread (here on close) makes the kept file useless: removed.
    s.close()
    expect(fs.readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([])
  })

  it('never installs a background snapshot that a newer one (restore, bulk load, close) overtook', async () => {
    const dir = tmpDataDir()
    const s = await open(dir)
    addCustomer(s, 'a')
    const snap = s.snapshotInBackground()
    await nextTurn() // the worker has the job
    addCustomer(s, 'b')
    s.snapshot() // on the main thread: holds a and b, journal emptied
    addCustomer(s, 'c')
    // Depending on whether the worker read the files before or after that snapshot, it finishes
    // unused or fails; either way it is not installed.
    expect(
      await snap.then(
        (r) => r.installed,
        () => false
      )
    ).toBe(false)
    expect(fs.readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([])
    const again = await open(dir)
    expect(names(again)).toEqual(['a', 'b', 'c'])
    again.close()
    s.close({ snapshot: false })
  })

  it('keeps snapshotting in the background after the database grew by 100 MiB (a 1M usage import at M adds about 250 MB)', async () => {
    const dir = tmpDataDir()
    const s = await open(dir)
    addCustomer(s, 'a')
    s.transaction((w) => {
      w.run('CREATE TABLE bulk (b BLOB)')
      w.run('WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100) INSERT INTO bulk SELECT zeroblob(1048576) FROM n')
    })
    // Made by the worker from the changed pages: the file never left the buffer we own.
    const snap = await s.snapshotInBackground()
    expect(snap).toMatchObject({ installed: true })
    expect(snap.pages).toBeGreaterThan(25_000)
    addCustomer(s, 'b')
    const again = await open(dir)
    expect(names(again)).toEqual(['a', 'b'])
    expect(again.read((r) => r.values('SELECT count(*) FROM bulk'))[0]?.[0]).toBe(100)
    again.close()
    s.close({ snapshot: false })
  })

  it('falls back to a main-thread snapshot if the database left its buffer, then goes back to the worker', async () => {
    const dir = tmpDataDir()
    const s = await open(dir)
    addCustomer(s, 'a')
    // What a database outgrowing its buffer's spare room looks like to the store.
    ;(s as unknown as { tracked: { markLost(): void } }).tracked.markLost()
    addCustomer(s, 'b')
    expect(await s.snapshotInBackground()).toMatchObject({ installed: true, pages: null })
    expect(journalSeqs(dir)).toEqual([])
    addCustomer(s, 'c')
    const next = await s.snapshotInBackground()
    expect(next.pages).toBeGreaterThan(0)
    addCustomer(s, 'd')
    const again = await open(dir)
    expect(names(again)).toEqual(['a', 'b', 'c', 'd'])
    again.close()
    s.close({ snapshot: false })
  })

  it('after a bulk load that used most of the spare room, moves the database to a buffer with room again', async () => {
    const dir = tmpDataDir()
    const s = await open(dir)
    addCustomer(s, 'a')
    // A buffer with little room, as a new data folder's is for the load that fills it.
    const sql = await loadSqlJs()
    const store = s as unknown as { db: import('sql.js').Database; use(o: { db: import('sql.js').Database; file: TrackedFile }): void; tracked: TrackedFile }
    store.use(TrackedFile.open(sql, copyWithSpare(store.tracked.current(store.db)!, 256 * 1024)))
    s.bulkTransaction((w) => {
      w.run('CREATE TABLE bulk (b BLOB)')
      w.run('WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 4) INSERT INTO bulk SELECT zeroblob(16384) FROM n')
    })
    const size = store.tracked.current(store.db)!.length
    expect(store.tracked.room(store.db)).toBeGreaterThanOrEqual(spareFor(size))
    // Still the database, tracked for the worker's snapshots.
    addCustomer(s, 'b')
    expect((await s.snapshotInBackground()).pages).toBeGreaterThan(0)
    const again = await open(dir)
    expect(names(again)).toEqual(['a', 'b'])
    expect(again.read((r) => r.values('SELECT count(*) FROM bulk'))[0]?.[0]).toBe(4)
    again.close()
    s.close({ snapshot: false })
  })

  it('writes a manual backup while other requests are answered, with every committed change in it', async () => {
    const dir = tmpDataDir()
    const app = await openBillingApp({ dataDir: dir, now: () => T0, log: () => {}, dailyBackupDelayMs: 3_600_000 })
    await app.dispatch(
      'setup.complete',
      { companyName: 'Łódź Callshop', address: 'ul. Piotrkowska 1', defaultCurrency: 'PLN', loadDemoData: false, ...TEST_ADMIN },
      { transport: 'test' }
    )
    for (let i = 0; i < 5; i++) addCustomer(app.core.store!, `c${i}`)
    const order: string[] = []
    const backup = app.dispatch('backup.create', {}, { transport: 'test' }).then((r) => {
      order.push('backup')
      return r as { ok: true; value: { fileName: string; sizeBytes: number } }
    })
    const status = app.dispatch('app.status', {}, { transport: 'test' }).then(() => order.push('status'))
    await Promise.all([backup, status])
    expect(order).toEqual(['status', 'backup']) // the status request did not wait for the backup
    const { value } = await backup
    const file = path.join(dir, 'backups', value.fileName)
    expect(fs.statSync(file).size).toBe(value.sizeBytes)
    const sql = await loadSqlJs()
    const copy = new sql.Database(fs.readFileSync(file))
    expect(copy.exec('SELECT customer_id FROM customers ORDER BY id')[0]!.values.map((v) => v[0])).toEqual(['c0', 'c1', 'c2', 'c3', 'c4'])
    expect(copy.exec('PRAGMA quick_check')[0]!.values[0]![0]).toBe('ok')
    copy.close()
    await app.close()
  })
})
