import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { openBillingApp } from '../../src-main/app'
import { loadSqlJs } from '../../src-main/db/sqljs'
import { DurableStore, SNAPSHOT_CHECK_FILE, SNAPSHOT_FILE } from '../../src-main/db/store'
import type { Channel, InputOf, ResultOf } from '../../src-shared/contract'
import type { IpcResponse } from '../../src-shared/errors'
import { tmpDataDir } from '../support/tmp'
import { ARCHIVE_DIR } from '../../src-main/db/journalArchive'
import { mulberry32 } from '../../src-main/demo/random'
import { TEST_ADMIN } from '../support/operators'

const T0 = Date.parse('2026-11-21T10:00:00Z')

async function desk(dataDir: string, opts: { snapshotAfterBytes?: number } = {}) {
  const app = await openBillingApp({ dataDir, now: () => T0, log: () => {}, dailyBackupDelayMs: 3_600_000, ...opts })
  const call = async <C extends Channel>(channel: C, input: InputOf<C>) => (await app.dispatch(channel, input, { transport: 'test' })) as IpcResponse<ResultOf<C>>
  const ok = async <C extends Channel>(channel: C, input: InputOf<C>): Promise<ResultOf<C>> => {
    const res = await call(channel, input)
    if (!res.ok) throw new Error(`${channel}: ${res.error.code} ${res.error.message}`)
    return res.value
  }
  return { app, call, ok }
}

/** The process dies: no snapshot on the way out, the journal holds what was acknowledged. */
async function kill(app: Awaited<ReturnType<typeof desk>>['app']) {
  app.core.store!.close({ snapshot: false })
  await app.close()
}

let keySeq = 0
const key = () => `recovery-key-${String(++keySeq).padStart(8, '0')}`

/** Acknowledged cash payments, spread over the demo customers. */
async function payments(d: Awaited<ReturnType<typeof desk>>, n: number) {
  const customers = (await d.ok('customers.list', { limit: 20 })).rows
  const made: { customerId: number; xdrId: number }[] = []
  for (let i = 0; i < n; i++) {
    const c = customers[i % customers.length]!
    const r = await d.ok('adjustments.submit', { customerId: c.id, operation: 'manual-payment', amount: `${1 + i}.25`, operationKey: key() })
    made.push({ customerId: c.id, xdrId: r.xdrId! })
  }
  return made
}

function damage(dataDir: string, at = 5000) {
  const file = path.join(dataDir, SNAPSHOT_FILE)
  const bytes = fs.readFileSync(file)
  bytes[at] = bytes[at]! ^ 0x5a
  fs.writeFileSync(file, bytes)
}

describe('a damaged database file', () => {
  it('every random single-byte change to the database file ends in recovery, never in an opened file', async () => {
    const dir = tmpDataDir()
    const sql = await loadSqlJs()
    const open = () => DurableStore.open({ dataDir: dir, sql, now: () => T0, log: () => {} })
    const s = open()
    for (let i = 0; i < 50; i++) {
      s.transaction((w) =>
        w.insert(`INSERT INTO customers (customer_id, company_name, balance_control, currency, created_at, updated_at) VALUES (?, ?, 'prepaid', 'USD', 'x', 'x')`, [
          `liberty${String(i).padStart(5, '0')}`,
          `Liberty Telecom ${i}`
        ])
      )
    }
    s.close()
    const snapshot = fs.readFileSync(path.join(dir, SNAPSHOT_FILE))
    const check = fs.readFileSync(path.join(dir, SNAPSHOT_CHECK_FILE))
    const random = mulberry32(13) // seeded: a failure names a reproducible flip
    const openedSilently: number[] = []
    for (let i = 0; i < 80; i++) {
      const at = Math.floor(random() * snapshot.length)
      const flipped = Buffer.from(snapshot)
      flipped[at] = flipped[at]! ^ (1 + Math.floor(random() * 255))
      fs.writeFileSync(path.join(dir, SNAPSHOT_FILE), flipped)
      fs.writeFileSync(path.join(dir, SNAPSHOT_CHECK_FILE), check)
      try {
        open().close({ snapshot: false })
        openedSilently.push(at)
      } catch (err) {
        expect((err as { code?: string }).code, `byte ${at}`).toBe('DB_CORRUPT')
      }
    }
    expect(openedSilently, 'offsets whose change was not noticed').toEqual([])
  })
})

describe('the check record and a crash during a snapshot', () => {
  it('a snapshot cut short at any of its steps is never taken for damage, and loses nothing', async () => {
    const sql = await loadSqlJs()
    // A snapshot renames two files into place (the check record and the database), then empties
    // the journal. The process dies at each of those steps in turn.
    for (const step of ['first rename', 'second rename', 'journal reset']) {
      const dir = tmpDataDir()
      const open = () => DurableStore.open({ dataDir: dir, sql, now: () => T0, log: () => {} })
      const add = (s: DurableStore, name: string) =>
        s.transaction((w) =>
          w.insert(`INSERT INTO customers (customer_id, company_name, balance_control, currency, created_at, updated_at) VALUES (?, ?, 'prepaid', 'USD', 'x', 'x')`, [
            name,
            name
          ])
        )
      const s = open()
      add(s, 'first')
      s.snapshot()
      add(s, 'second')
      const realRename = fs.renameSync.bind(fs)
      let renames = 0
      const rename = vi.spyOn(fs, 'renameSync').mockImplementation((from, to) => {
        renames++
        if ((step === 'first rename' && renames === 1) || (step === 'second rename' && renames === 2)) throw new Error('killed')
        realRename(from, to)
      })
      const truncate = vi.spyOn(fs, 'ftruncateSync').mockImplementation(() => {
        throw new Error('killed')
      })
      try {
        expect(() => s.snapshot(), step).toThrow('killed')
      } finally {
        rename.mockRestore()
        truncate.mockRestore()
      }
      const again = open()
      expect(
        again.read((r) => r.all<{ customer_id: string }>('SELECT customer_id FROM customers ORDER BY id')).map((c) => c.customer_id),
        step
      ).toEqual(['first', 'second'])
      again.close()
    }
  })
})

describe('recovery from the newest backup', () => {
  it('replays every journal change made after the backup, so no acknowledged payment is lost', async () => {
    const dir = tmpDataDir()
    const d = await desk(dir)
    await d.ok('setup.complete', { companyName: 'Liberty Callshop', address: '', defaultCurrency: 'USD', loadDemoData: true, ...TEST_ADMIN })
    const daily = (await d.app.core.dailyBackup())!
    const made = await payments(d, 30)
    const balances = new Map<number, number>()
    for (const m of made) balances.set(m.customerId, (await d.ok('customers.get', { id: m.customerId })).balanceMinor)
    await kill(d.app)
    damage(dir)

    const r = await desk(dir)
    const status = await r.ok('app.status', {})
    expect(status.phase).toBe('recovery')
    expect(status.recovery?.recommendedBackup).toBe(daily.fileName)
    // Before anything is done, the screen can say what restoring the recommended backup will do.
    // The backup's own audit entry ("Daily backup created: …", written after the copy) and the 30 payments.
    expect(status.recovery?.recommendedReplay).toMatchObject({ replayed: 31, missing: null })
    const restored = await r.ok('backup.restore', { source: { kind: 'backup', fileName: daily.fileName } })
    expect(restored.phase).toBe('ready')
    expect(restored.replay).toMatchObject({ replayed: 31, missing: null, stoppedBecause: null })
    for (const m of made) {
      const txs = await r.ok('ledger.transactions', { customerId: m.customerId })
      expect(txs.some((t) => t.xdrId === m.xdrId)).toBe(true)
    }
    for (const [id, balance] of balances) expect((await r.ok('customers.get', { id })).balanceMinor).toBe(balance)
    expect((await r.ok('audit.verify', {})).ok).toBe(true)
    expect((await r.ok('ledger.check', {})).ok).toBe(true)
    await r.app.close()

    // And it stays so after a restart.
    const again = await desk(dir)
    expect((await again.ok('app.status', {})).phase).toBe('ready')
    for (const [id, balance] of balances) expect((await again.ok('customers.get', { id })).balanceMinor).toBe(balance)
    await again.app.close()
  })

  it('says which changes are in no file when the journal starts after the backup', async () => {
    const dir = tmpDataDir()
    const d = await desk(dir)
    await d.ok('setup.complete', { companyName: 'Liberty Callshop', address: '', defaultCurrency: 'USD', loadDemoData: true, ...TEST_ADMIN })
    const daily = (await d.app.core.dailyBackup())!
    // The change after the copy is the backup's own audit entry.
    const backupSeq = d.app.core.store!.lastSeq - 1
    await payments(d, 5)
    d.app.core.store!.snapshot() // the journal starts afresh: these five are only in the snapshot and the journal archive
    fs.rmSync(path.join(dir, ARCHIVE_DIR), { recursive: true, force: true }) // ...and the archive is lost too
    await payments(d, 3)
    await kill(d.app)
    damage(dir)

    const r = await desk(dir)
    const status = await r.ok('app.status', {})
    expect(status.recovery?.recommendedReplay).toMatchObject({ replayed: 0, missing: { from: backupSeq + 1, to: backupSeq + 9 } })
    const restored = await r.ok('backup.restore', { source: { kind: 'backup', fileName: daily.fileName } })
    expect(restored.replay).toMatchObject({ restoredUpTo: backupSeq, replayed: 0, missing: { from: backupSeq + 1, to: backupSeq + 9 } })
    // The journal that could not be applied is kept for inspection.
    expect(fs.readdirSync(path.join(dir, 'corrupt')).some((f) => f.startsWith('journal'))).toBe(true)
    await r.app.close()
  })

  /** Every payment is in the ledger with its balance, the audit chain and ledger check pass. */
  async function expectAll(r: Awaited<ReturnType<typeof desk>>, made: { customerId: number; xdrId: number }[], balances: Map<number, number>) {
    for (const m of made) {
      const txs = await r.ok('ledger.transactions', { customerId: m.customerId })
      expect(
        txs.some((t) => t.xdrId === m.xdrId),
        `payment ${m.xdrId}`
      ).toBe(true)
    }
    for (const [id, balance] of balances) expect((await r.ok('customers.get', { id })).balanceMinor).toBe(balance)
    expect((await r.ok('audit.verify', {})).ok).toBe(true)
    expect((await r.ok('ledger.check', {})).ok).toBe(true)
  }

  async function balancesOf(d: Awaited<ReturnType<typeof desk>>, made: { customerId: number }[]) {
    const balances = new Map<number, number>()
    for (const m of made) balances.set(m.customerId, (await d.ok('customers.get', { id: m.customerId })).balanceMinor)
    return balances
  }

  it('loses nothing after a normal close emptied the journal: the journal archive holds every change since the newest backup', async () => {
    const dir = tmpDataDir()
    const d = await desk(dir)
    await d.ok('setup.complete', { companyName: 'Liberty Callshop', address: '', defaultCurrency: 'USD', loadDemoData: true, ...TEST_ADMIN })
    const daily = (await d.app.core.dailyBackup())!
    const before = await payments(d, 10)
    await d.app.close() // the snapshot on close empties the journal
    const d2 = await desk(dir)
    const after = await payments(d2, 7)
    const made = [...before, ...after]
    const balances = await balancesOf(d2, made)
    await kill(d2.app)
    damage(dir)

    const r = await desk(dir)
    const status = await r.ok('app.status', {})
    expect(status.phase).toBe('recovery')
    expect(status.recovery?.recommendedBackup).toBe(daily.fileName)
    expect(status.recovery?.recommendedReplay).toMatchObject({ missing: null, stoppedBecause: null })
    expect(status.recovery!.recommendedReplay!.replayed).toBeGreaterThanOrEqual(17)
    const restored = await r.ok('backup.restore', { source: { kind: 'backup', fileName: daily.fileName } })
    expect(restored.replay).toMatchObject({ missing: null, stoppedBecause: null })
    expect(restored.replay!.replayed).toBe(status.recovery!.recommendedReplay!.replayed)
    await expectAll(r, made, balances)
    await r.app.close()
  })

  it('loses nothing when background snapshots replaced the journal after the backup', async () => {
    const dir = tmpDataDir()
    const d = await desk(dir, { snapshotAfterBytes: 16 * 1024 })
    await d.ok('setup.complete', { companyName: 'Liberty Callshop', address: '', defaultCurrency: 'USD', loadDemoData: true, ...TEST_ADMIN })
    const daily = (await d.app.core.dailyBackup())!
    const made: { customerId: number; xdrId: number }[] = []
    let snapshots = 0
    while (snapshots < 2) {
      const bytes = d.app.core.store!.journalBytes
      made.push(...(await payments(d, 5)))
      await new Promise((resolve) => setTimeout(resolve, 20))
      while (d.app.core.store!.snapshotInProgress) await new Promise((resolve) => setTimeout(resolve, 10))
      if (d.app.core.store!.journalBytes < bytes) snapshots++
    }
    made.push(...(await payments(d, 3)))
    const balances = await balancesOf(d, made)
    await kill(d.app)
    damage(dir)

    const r = await desk(dir)
    const status = await r.ok('app.status', {})
    expect(status.recovery?.recommendedReplay).toMatchObject({ missing: null })
    const restored = await r.ok('backup.restore', { source: { kind: 'backup', fileName: daily.fileName } })
    expect(restored.replay).toMatchObject({ missing: null, stoppedBecause: null })
    await expectAll(r, made, balances)
    await r.app.close()
  })

  it('never replays changes of the history a restore left behind onto a later recovery', async () => {
    const dir = tmpDataDir()
    const d = await desk(dir)
    await d.ok('setup.complete', { companyName: 'Liberty Callshop', address: '', defaultCurrency: 'USD', loadDemoData: true, ...TEST_ADMIN })
    const daily = (await d.app.core.dailyBackup())!
    const undone = await payments(d, 6) // undone by the restore below
    await d.app.close() // archived
    const d2 = await desk(dir)
    await d2.ok('backup.restore', { source: { kind: 'backup', fileName: daily.fileName } })
    const manual = await d2.ok('backup.create', {})
    const made = await payments(d2, 4)
    const balances = await balancesOf(d2, made)
    await d2.app.close()
    const d3 = await desk(dir)
    made.push(...(await payments(d3, 2)))
    for (const [id, balance] of await balancesOf(d3, made)) balances.set(id, balance)
    await kill(d3.app)
    damage(dir)

    const r = await desk(dir)
    const restored = await r.ok('backup.restore', { source: { kind: 'backup', fileName: manual.fileName } })
    expect(restored.replay).toMatchObject({ missing: null, stoppedBecause: null })
    await expectAll(r, made, balances)
    for (const u of undone) {
      const txs = await r.ok('ledger.transactions', { customerId: u.customerId })
      expect(
        txs.some((t) => t.xdrId === u.xdrId && !made.some((m) => m.xdrId === t.xdrId)),
        `undone payment ${u.xdrId} came back`
      ).toBe(false)
    }
    await r.app.close()
  })

  it('keeps archived journal records from the second-newest backup on, and nothing older', async () => {
    const dir = tmpDataDir()
    const archive = path.join(dir, ARCHIVE_DIR)
    const segments = () =>
      (fs.existsSync(archive) ? fs.readdirSync(archive) : [])
        .map((f) => /-(\d+)-(\d+)\.log$/.exec(f))
        .filter((m) => m !== null)
        .map((m) => ({ first: Number(m[1]), last: Number(m[2]) }))
    const d = await desk(dir)
    await d.ok('setup.complete', { companyName: 'Liberty Callshop', address: '', defaultCurrency: 'USD', loadDemoData: true, ...TEST_ADMIN })
    await d.app.core.dailyBackup()
    const dailySeq = d.app.core.store!.lastSeq - 1 // the change after the copy is the backup's audit entry
    await payments(d, 5)
    await d.app.close()
    // No backup holds these five: they stay archived.
    expect(segments().some((s) => s.first <= dailySeq + 1 && s.last >= dailySeq + 5)).toBe(true)
    if (process.platform !== 'win32') {
      expect(fs.statSync(archive).mode & 0o777).toBe(0o700)
      for (const f of fs.readdirSync(archive)) expect(fs.statSync(path.join(archive, f)).mode & 0o777).toBe(0o600)
    }
    const d2 = await desk(dir)
    await payments(d2, 3)
    await d2.ok('backup.create', {})
    const manualSeq = d2.app.core.store!.lastSeq - 1
    // The manual backup holds them, but it could be the damaged one: the daily backup plus the
    // archive must still reach it, so everything after the daily backup stays.
    expect(segments().some((s) => s.first <= dailySeq + 1 && s.last >= dailySeq + 5)).toBe(true)
    expect(segments().filter((s) => s.last <= dailySeq)).toEqual([])
    await payments(d2, 2)
    await d2.ok('backup.create', {})
    await payments(d2, 1)
    await d2.app.close()
    // A third backup: what the second (manual) one holds goes; what came after it stays.
    expect(segments().filter((s) => s.last <= manualSeq)).toEqual([])
    expect(segments().some((s) => s.last > manualSeq)).toBe(true)
  })
})
