/**
 * The usage import's preparation (src-main/engine/usagePrepare.ts): a large file is read and
 * rated on a worker thread, pipelined with the inserts. Whether a file is prepared there or on the
 * main thread must not show: the same rows, charges, reasons, problems by line and summary; a
 * price list uploaded or an account added between batches is used from the next batch on, as on
 * the main thread; and re-importing part of a file skips what is in.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { scanJournal } from '../../src-main/db/journal'
import { loadSqlJs } from '../../src-main/db/sqljs'
import { DurableStore, JOURNAL_FILE } from '../../src-main/db/store'
import { ADMIN_ACTOR, openTestDesk, type TestDesk } from '../support/desk'
import { usageWorld } from '../support/usageWorld'
import { importUsageCsv } from '../../src-main/engine/usageImport'
import type { StoredXdr } from '../../src-main/engine/ledger'

let desk: TestDesk
beforeAll(async () => {
  desk = await openTestDesk()
})
afterAll(async () => {
  await desk.close()
})

const HEADER = 'switch_record_id,account,start_time,duration,called_number,service'
let fileSeq = 0
const runImport = (csv: string, opts: Parameters<typeof importUsageCsv>[3]) =>
  importUsageCsv(desk.app.core.engine, ADMIN_ACTOR, { source: 'page', fileName: `prepare-${++fileSeq}.csv`, csv }, opts)

/** The stored records whose switch record id starts with `tag`, without what differs between two imports of one file. */
const rowsOf = (tag: string) =>
  desk.app.core.engine
    .read((r) => r.all<StoredXdr & { prefix: string | null }>('SELECT * FROM xdrs WHERE switch_record_id LIKE ? ORDER BY switch_record_id', [`${tag}%`]))
    .map(({ id: _id, import_id: _import, created_at: _created, rated_at: _rated, switch_record_id, ...rest }) => ({
      ...rest,
      switchRecordId: String(switch_record_id).slice(tag.length)
    }))

const balanceOf = (customerId: number) =>
  desk.app.core.engine.read((r) => r.get<{ balance_minor: number }>('SELECT balance_minor FROM customers WHERE id = ?', [customerId])!.balance_minor)

const comparable = (s: Awaited<ReturnType<typeof runImport>>) => {
  const { importId: _id, fileName: _name, ...rest } = s
  return rest
}

describe('usage import on a worker thread', () => {
  it('gives the same rows, charges, reasons, problems and summary as on the main thread', async () => {
    const w = await usageWorld(desk)
    await w.upload('2026-01-01T00:00:00Z', '44,UK,0.10,0.01,60,60,0', '012,Zero,0.20,0,30,6,5', '987654321098,Long,0.07,0,1,1,0', '1,US,0.06,0,60,60,0')
    await w.upload('2026-03-01T00:00:00Z', '44,UK,0.50,0,60,60,0', '1,US,0.30,0,60,60,0')
    const c1 = await w.customer({}, ['acc-prep-a'])
    const c2 = await w.customer({}, ['acc-prep-b', 'acc-prep-closed'])
    desk.app.core.engine.change(ADMIN_ACTOR, (x) => x.run("UPDATE accounts SET status = 'closed' WHERE account_id = 'acc-prep-closed'"))
    const svc = desk.app.core.engine.read((r) => r.get<{ code: string }>('SELECT code FROM services WHERE id = ?', [w.serviceId])!.code)
    const lines = (tag: string) =>
      [
        HEADER,
        `${tag}1,acc-prep-a,2026-02-28T23:59:59Z,61,+44 20 7946 0000,${svc}`,
        `${tag}2,ACC-PREP-B,2026-03-01T00:00:00+01:00,0,0044123,${svc}`,
        `"${tag}3","acc-prep-a","2026-02-27T10:00:00.250Z","125","012 345","${svc}"`,
        `${tag}4-😀,acc-prep-a,2026-01-05T10:00:00Z,3,98765432109876,${svc}`,
        `${tag}5,acc-prep-closed,2026-01-05T10:00:00Z,60,441,${svc}`,
        `${tag}6,nobödy-ñ,2026-01-05T10:00:00Z,60,441,${svc}`,
        `${tag}7,acc-prep-b,2026-01-05T10:00:00Z,60,tel:ünï,${svc}`,
        `${tag}8,acc-prep-b,2026-01-05T10:00:00Z,60,441,no-such-service`,
        `${tag}1,acc-prep-b,2026-01-05T10:00:00Z,60,441,${svc}`,
        '',
        `${tag}9,acc-prep-a,2026-01-05,60,441,${svc}`,
        `${tag}10,acc-prep-a,2026-01-05T10:00:00Z,-1,441,${svc}`,
        ` ${tag}11 , acc-prep-a ,2026-01-06T10:00:00Z, 60 ,"+1 (555) 010-0000",${svc}`,
        ...Array.from({ length: 20 }, (_, i) => `${tag}x${i},acc-prep-${i % 2 ? 'a' : 'b'},2026-02-${String(10 + i).padStart(2, '0')}T10:00:00Z,${i * 7},44${i},${svc}`)
      ].join('\r\n')
    const here = await runImport(lines('here-'), { batchSize: 4, prepareOffThread: false })
    const [b1, b2] = [balanceOf(c1.id), balanceOf(c2.id)]
    const there = await runImport(lines('there-'), { batchSize: 4, prepareOffThread: true })
    expect(comparable(there)).toEqual(comparable(here))
    expect(here).toMatchObject({ state: 'completed', lines: 32, imported: 28, duplicates: 1, rejected: 3 })
    expect(here.problems.map((p) => [p.line, p.field])).toEqual([
      [12, 'start_time'],
      [13, 'duration'],
      // 29 February 2026 does not exist.
      [34, 'start_time']
    ])
    expect(rowsOf('there-')).toEqual(rowsOf('here-'))
    expect(rowsOf('here-')).toHaveLength(28)
    expect(rowsOf('here-').find((x) => x.switchRecordId === '4-😀')).toMatchObject({ prefix: '987654321098', destination: '98765432109876', rating: 'rated' })
    expect(rowsOf('here-').find((x) => x.switchRecordId === '3')).toMatchObject({ prefix: '012', destination: '012 345', rating: 'rated' })
    expect(rowsOf('here-').find((x) => x.switchRecordId === '6')).toMatchObject({ account_ref: 'nobödy-ñ', unrated_reason: 'unknown-account' })
    expect(rowsOf('here-').find((x) => x.switchRecordId === '7')).toMatchObject({ destination: 'tel:ünï', unrated_reason: 'no-matching-prefix' })
    // Each import charged the customers the same again.
    expect([balanceOf(c1.id), balanceOf(c2.id)]).toEqual([2 * b1, 2 * b2])
    expect((await desk.ok('ledger.check', {})).ok).toBe(true)

    // The worker wrote the journal's share of its batches' INSERTs: after a crash (a copy of the
    // folder as it is now), replaying the journal gives the same rows.
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'usage-prepare-replay-'))
    try {
      fs.cpSync(desk.app.dataDir, copy, { recursive: true })
      const journaled = scanJournal(fs.readFileSync(path.join(copy, JOURNAL_FILE))).entries.flatMap((e) => e.stmts)
      const workerInserts = journaled.filter(
        ([sql, params]) => sql.includes('INTO xdrs') && params.some((p) => p instanceof Uint8Array && Buffer.from(p).toString('utf8').startsWith('there-'))
      )
      expect(workerInserts.length).toBeGreaterThan(0)
      const store = DurableStore.open({ dataDir: copy, sql: await loadSqlJs(), now: Date.now, log: () => {} })
      try {
        const replayed = store.read((r) => r.values("SELECT * FROM xdrs WHERE switch_record_id LIKE 'there-%' ORDER BY id"))
        expect(replayed).toHaveLength(28)
        expect(replayed).toEqual(desk.app.core.engine.read((r) => r.values("SELECT * FROM xdrs WHERE switch_record_id LIKE 'there-%' ORDER BY id")))
      } finally {
        store.close()
      }
    } finally {
      fs.rmSync(copy, { recursive: true, force: true })
    }
  })

  it('rates with what the database holds when something else wrote between batches: a new price, a new account', async () => {
    for (const prepareOffThread of [false, true]) {
      const w = await usageWorld(desk)
      await w.upload('2026-01-01T00:00:00Z', '44,UK,0.10,0,60,60,0')
      const acc = `acc-meanwhile-${prepareOffThread}`
      const c = await w.customer({}, [acc])
      const svc = desk.app.core.engine.read((r) => r.get<{ code: string }>('SELECT code FROM services WHERE id = ?', [w.serviceId])!.code)
      const late = `acc-late-${prepareOffThread}`
      const csv = [
        HEADER,
        ...Array.from({ length: 9 }, (_, i) => `mw-${prepareOffThread}-${i},${acc},2026-02-0${i + 1}T10:00:00Z,60,441234,${svc}`),
        `mw-${prepareOffThread}-late,${late},2026-02-01T10:00:00Z,60,441234,${svc}`
      ].join('\n')
      let batches = 0
      const sum = await runImport(csv, {
        batchSize: 3,
        prepareOffThread,
        pause: async () => {
          // After the first batch: a dearer version for the same dates, and the unknown account added.
          if (++batches === 1) {
            await w.upload('2026-01-15T00:00:00Z', '44,UK,0.50,0,60,60,0')
            await desk.ok('customers.addAccount', { id: c.id, accountId: late })
          }
        }
      })
      expect(sum).toMatchObject({ state: 'completed', imported: 10, rated: 10 })
      // 3 records at 0.10, the 6 after them and the late account's one at 0.50.
      expect(balanceOf(c.id)).toBe(3 * 10 + 7 * 50)
    }
  })

  it('stops at a batch that cannot be rated, keeping the batches before it, as on the main thread', async () => {
    for (const prepareOffThread of [false, true]) {
      const w = await usageWorld(desk)
      await w.upload('2026-01-01T00:00:00Z', '44,UK,0.10,0,60,60,0', '99,Dear,99999999999,0,60,60,0')
      const acc = `acc-dear-${prepareOffThread}`
      const c = await w.customer({}, [acc])
      const svc = desk.app.core.engine.read((r) => r.get<{ code: string }>('SELECT code FROM services WHERE id = ?', [w.serviceId])!.code)
      const csv = [
        HEADER,
        ...[1, 2, 3].map((d) => `dear-${prepareOffThread}-${d},${acc},2026-02-0${d}T10:00:00Z,60,441234,${svc}`),
        // 30 days at that price is beyond what a charge can hold.
        ...[4, 5, 6].map((d) => `dear-${prepareOffThread}-${d},${acc},2026-02-0${d}T10:00:00Z,2592000,991234,${svc}`)
      ].join('\n')
      const sum = await runImport(csv, { batchSize: 3, prepareOffThread })
      expect(sum).toMatchObject({ state: 'failed', imported: 3, rated: 3 })
      expect(sum.problems).toEqual([
        { line: 5, field: null, message: expect.stringMatching(/A batch of 3 records \(line 5 among them\) could not be written \(.*too large/) }
      ])
      expect(balanceOf(c.id)).toBe(30)
    }
  })

  it('hands a large file that is all ASCII to the worker as bytes in memory it touched, with the same result as on the main thread', async () => {
    const w = await usageWorld(desk)
    await w.upload('2026-01-01T00:00:00Z', '44,UK,0.10,0.01,60,60,0', '1,US,0.06,0,30,6,5')
    const c = await w.customer({}, ['acc-ascii-a', 'acc-ascii-b'])
    const svc = desk.app.core.engine.read((r) => r.get<{ code: string }>('SELECT code FROM services WHERE id = ?', [w.serviceId])!.code)
    // 60,000 lines (more than one slice of reading, so the worker's memory comes back meanwhile):
    // repeated ids, a bad time, an unknown account and a number with no price among them.
    const lines = (tag: string) =>
      [
        HEADER,
        ...Array.from({ length: 60_000 }, (_, i) => {
          const id = i % 997 === 5 ? `${tag}${i - 1}` : `${tag}${i}`
          const time = i === 30_001 ? '2026-02-30T10:00:00Z' : `2026-02-${String(1 + (i % 28)).padStart(2, '0')}T${String(i % 24).padStart(2, '0')}:00:00Z`
          const account = i % 1000 === 7 ? 'acc-ascii-nobody' : `acc-ascii-${i % 2 ? 'a' : 'b'}`
          return `${id},${account},${time},${(i * 13) % 700},${i % 50 === 3 ? '77' : i % 2 ? '44' : '1'}${i},${svc}`
        })
      ].join('\n')
    const here = await runImport(lines('asc-here-'), { prepareOffThread: false })
    const encodeInto = vi.spyOn(TextEncoder.prototype, 'encodeInto')
    let paused = false
    const thereCsv = lines('asc-there-')
    const there = await runImport(thereCsv, {
      prepareOffThread: true,
      // The first pause (after the first slice is read) gives the worker time to send its memory.
      pause: async () => {
        if (!paused) await new Promise((resolve) => setTimeout(resolve, 300))
        paused = true
      }
    })
    expect(encodeInto.mock.calls.some(([text]) => text === thereCsv)).toBe(true)
    encodeInto.mockRestore()
    expect(comparable(there)).toEqual(comparable(here))
    expect(here).toMatchObject({ state: 'completed', lines: 60_000, rejected: 1 })
    expect(here.duplicates).toBeGreaterThan(50)
    expect(here.unrated).toBeGreaterThan(1000)
    expect(rowsOf('asc-there-')).toEqual(rowsOf('asc-here-'))
    expect(c.id).toBeGreaterThan(0)
  })

  it('skips the records already in when part of a file is imported again', async () => {
    const w = await usageWorld(desk)
    await w.upload('2026-01-01T00:00:00Z', '44,UK,0.10,0,60,60,0')
    const c = await w.customer({}, ['acc-again'])
    const svc = desk.app.core.engine.read((r) => r.get<{ code: string }>('SELECT code FROM services WHERE id = ?', [w.serviceId])!.code)
    const rows = Array.from({ length: 11 }, (_, i) => `again-${i},acc-again,2026-02-${String(i + 1).padStart(2, '0')}T10:00:00Z,60,441234,${svc}`)
    const first = await runImport([HEADER, rows[1], rows[4], rows[5], rows[9]].join('\n'), { prepareOffThread: true })
    expect(first).toMatchObject({ imported: 4, rated: 4 })
    const all = await runImport([HEADER, ...rows].join('\n'), { batchSize: 3, prepareOffThread: true })
    expect(all).toMatchObject({ state: 'completed', imported: 7, duplicates: 4, rated: 7 })
    expect(balanceOf(c.id)).toBe(110)
    expect(rowsOf('again-')).toHaveLength(11)
  })
})
