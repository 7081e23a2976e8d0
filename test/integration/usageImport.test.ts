/**
 * The usage import engine (src-main/engine/usageImport.ts): a switch's CSV of usage records read,
 * rated and posted to the ledger in whole batches. Time zones, duplicates, bad rows by line and
 * column, unrated reasons, the summary's flagged customers, Cancel between batches, a batch that
 * fails leaving the ones before it, and balances that always equal the ledger.
 */
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { loadSqlJs } from '../../src-main/db/sqljs'
import { DurableStore } from '../../src-main/db/store'
import { ADMIN_ACTOR, openTestDesk, type TestDesk } from '../support/desk'
import { killedCopy } from '../support/tmp'
import { usageWorld } from '../support/usageWorld'
import { importUsageCsv, parseZonedTime, parseZonedTimeByPattern } from '../../src-main/engine/usageImport'
import type { StoredXdr } from '../../src-main/engine/ledger'

let desk: TestDesk
let serviceCode = ''
beforeAll(async () => {
  desk = await openTestDesk()
  const serviceId = desk.addVoiceService()
  serviceCode = desk.app.core.engine.read((r) => r.get<{ code: string }>('SELECT code FROM services WHERE id = ?', [serviceId])!.code)
})
afterAll(async () => {
  await desk.close()
})

const HEADER = 'switch_record_id,account,start_time,duration,called_number,service'
let fileSeq = 0
/** A usage file; `{svc}` in a row stands for the test's voice service code. */
const usageCsv = (...rows: string[]) => [HEADER, ...rows].join('\n').replaceAll('{svc}', serviceCode)
const runImport = (csv: string, opts?: Parameters<typeof importUsageCsv>[3]) =>
  importUsageCsv(desk.app.core.engine, ADMIN_ACTOR, { source: 'page', fileName: `usage-${++fileSeq}.csv`, csv }, opts)

const usageOf = (switchRecordId: string) => desk.app.core.engine.read((r) => r.get<StoredXdr>('SELECT * FROM xdrs WHERE switch_record_id = ?', [switchRecordId]))
const balanceOf = (customerId: number) =>
  desk.app.core.engine.read((r) => r.get<{ balance_minor: number }>('SELECT balance_minor FROM customers WHERE id = ?', [customerId])!.balance_minor)
const ledgerOk = async () => (await desk.ok('ledger.check', {})).ok

let idSeq = 0
/** A switch record id no other test uses. */
const rid = () => `sw-${++idSeq}`

/** A world with one UK/US tariff from 1 January 2026 and a new tariff from 1 March 2026 00:00 UTC. */
async function world() {
  const w = await usageWorld(desk)
  await w.upload('2026-01-01T00:00:00Z', '44,UK,0.10,0,60,60,0', '1,US,0.06,0,60,60,0')
  await w.upload('2026-03-01T00:00:00Z', '44,UK,0.50,0,60,60,0', '1,US,0.30,0,60,60,0')
  return w
}

describe('importUsageCsv', () => {
  it('reads the start time in its own time zone, in either spelling, and chooses the version in force at that instant', async () => {
    const w = await world()
    const c = await w.customer({}, [`acc-tz-${idSeq}`])
    const acc = `acc-tz-${idSeq}`
    const [a, b, z, d] = [rid(), rid(), rid(), rid()]
    const sum = await runImport(
      usageCsv(
        // 01:30 at +02:00 is 23:30 UTC on 28 February: the January version (0.10/min).
        `${a},${acc},2026-03-01T01:30:00+02:00,60,+44 20 7946 0000,{svc}`,
        `${b},${acc},2026-03-01 03:00:00 +02:00,60,+442079460000,{svc}`,
        `${z},${acc},2026-03-01T00:00:00Z,60,00442079460000,{svc}`,
        `${d},${acc},2026-03-01T00:00:00,60,442079460000,{svc}`
      )
    )
    expect(usageOf(a)).toMatchObject({ started_at: '2026-02-28T23:30:00.000Z', charge_minor: 10, amount_minor: 10, rating: 'rated', customer_id: c.id })
    expect(usageOf(b)).toMatchObject({ started_at: '2026-03-01T01:00:00.000Z', charge_minor: 50 })
    expect(usageOf(z)).toMatchObject({ started_at: '2026-03-01T00:00:00.000Z', charge_minor: 50 })
    expect(usageOf(d)).toBeUndefined()
    expect(sum).toMatchObject({ state: 'completed', lines: 4, imported: 3, rated: 3, rejected: 1 })
    expect(sum.problems).toEqual([{ line: 5, field: 'start_time', message: expect.stringMatching(/time zone/) }])
    expect(sum.chargedByCurrency).toEqual([{ currency: 'USD', chargedMinor: 110, records: 3 }])
    expect(balanceOf(c.id)).toBe(110)
  })

  it('stores the start as UTC text to the millisecond and the matched prefix digit for digit, whatever its length or leading zero', async () => {
    const w = await usageWorld(desk)
    await w.upload('2026-01-01T00:00:00Z', '012,Zero,0.10,0,60,60,0', '123456789,Nine,0.10,0,60,60,0', '987654321098,Twelve,0.10,0,60,60,0', '7,Seven,0.10,0,60,60,0')
    const acc = `acc-text-${idSeq}`
    await w.customer({}, [acc])
    const [a, b, c, d] = [rid(), rid(), rid(), rid()]
    const sum = await runImport(
      usageCsv(
        `${a},${acc},2026-01-10T10:00:00.5+05:30,60,+0123456,{svc}`,
        `${b},${acc},2026-01-10T10:00:00.123456Z,60,+1234567891,{svc}`,
        `${c},${acc},9999-12-31T23:59:59.999-05:00,60,+98765432109855,{svc}`,
        `${d},${acc},2026-01-10T10:00+00,60,+71,{svc}`
      )
    )
    expect(sum).toMatchObject({ state: 'completed', imported: 4, rated: 4 })
    expect(usageOf(a)).toMatchObject({ started_at: '2026-01-10T04:30:00.500Z', prefix: '012' })
    expect(usageOf(b)).toMatchObject({ started_at: '2026-01-10T10:00:00.123Z', prefix: '123456789' })
    expect(usageOf(c)).toMatchObject({ started_at: '+010000-01-01T04:59:59.999Z', prefix: '987654321098' })
    expect(usageOf(d)).toMatchObject({ started_at: '2026-01-10T10:00:00.000Z', prefix: '7' })
    const types = desk.app.core.engine.read((r) =>
      r.values('SELECT DISTINCT typeof(started_at), typeof(prefix) FROM xdrs WHERE switch_record_id IN (?, ?, ?, ?)', [a, b, c, d])
    )
    expect(types).toEqual([['text', 'text']])
  })

  it('accepts a BOM, ";" separators, Windows line endings, headers in any order and spelling, and the service by name', async () => {
    const w = await world()
    const acc = `acc-fmt-${idSeq}`
    const c = await w.customer({}, [acc])
    const svcName = desk.app.core.engine.read((r) => r.get<{ name: string }>('SELECT name FROM services WHERE id = ?', [w.serviceId])!.name)
    const [a, b] = [rid(), rid()]
    const csv = `\uFEFFService;Called-Number;DURATION; Start Time ;Account;Switch Record ID\r\n${svcName.toUpperCase()};+1 212 555 0100;61;2026-01-10T10:00:00Z;${acc};${a}\r\n{svc};12125550100;0;2026-01-10T11:00:00Z;${acc};${b}\r\n`
    const sum = await runImport(csv.replaceAll('{svc}', serviceCode))
    expect(sum).toMatchObject({ state: 'completed', lines: 2, imported: 2, rated: 2, rejected: 0, problems: [] })
    expect(usageOf(a)).toMatchObject({ charge_minor: 12, billed_s: 120, prefix: '1', duration_s: 61, destination: '+1 212 555 0100' })
    expect(usageOf(b)).toMatchObject({ charge_minor: 0, rating: 'rated' })
    expect(balanceOf(c.id)).toBe(12)
  })

  it('charges a record once: a switch record id seen before, in this file or an earlier import, is skipped and counted', async () => {
    const w = await world()
    const acc = `acc-dup-${idSeq}`
    const c = await w.customer({}, [acc])
    const [a, b] = [rid(), rid()]
    const csv = usageCsv(
      `${a},${acc},2026-01-10T10:00:00Z,60,441234,{svc}`,
      `${b},${acc},2026-01-10T11:00:00Z,60,441234,{svc}`,
      `${a},${acc},2026-01-10T12:00:00Z,600,441234,{svc}`
    )
    const first = await runImport(csv)
    expect(first).toMatchObject({ lines: 3, imported: 2, duplicates: 1, rated: 2 })
    expect(balanceOf(c.id)).toBe(20)
    const again = await runImport(csv, { batchSize: 1 })
    expect(again).toMatchObject({ state: 'completed', lines: 3, imported: 0, duplicates: 3, rated: 0, chargedByCurrency: [] })
    expect(balanceOf(c.id)).toBe(20)
    expect(await ledgerOk()).toBe(true)
  })

  it('rejects broken rows by line and column and imports the rest', async () => {
    const w = await world()
    const acc = `acc-bad-${idSeq}`
    const c = await w.customer({}, [acc])
    const ok = rid()
    const sum = await runImport(
      usageCsv(
        `${ok},${acc},2026-01-10T10:00:00Z,60,441234,{svc}`,
        `${rid()},${acc},2026-01-10T10:00:00Z,-5,441234,{svc}`,
        `${rid()},${acc},2026-01-10T10:00:00Z,12.5,441234,{svc}`,
        `,${acc},2026-01-10T10:00:00Z,60,441234,{svc}`,
        `${rid()},,2026-01-10T10:00:00Z,60,441234,{svc}`,
        `${rid()},${acc},2026-02-30T10:00:00Z,60,441234,{svc}`,
        `${rid()},${acc},2026-01-10T10:00:00Z,60`,
        '',
        `${rid()},${acc},2026-01-10T10:00:00Z,60,,{svc}`
      )
    )
    expect(sum).toMatchObject({ state: 'completed', lines: 8, imported: 1, rejected: 7 })
    expect(sum.problems.map((p) => [p.line, p.field])).toEqual([
      [3, 'duration'],
      [4, 'duration'],
      [5, 'switch_record_id'],
      [6, 'account'],
      [7, 'start_time'],
      [8, null],
      [10, 'called_number']
    ])
    expect(balanceOf(c.id)).toBe(10)
  })

  it('writes nothing from a file whose header lacks a column, and says which', async () => {
    const sum = await runImport('switch_record_id,account,start_time,duration,service\nx-1,a,2026-01-10T10:00:00Z,60,voice')
    expect(sum).toMatchObject({ state: 'failed', imported: 0 })
    expect(sum.problems).toEqual([{ line: 1, field: 'called_number', message: expect.stringMatching(/called_number/) }])
    expect(usageOf('x-1')).toBeUndefined()
  })

  it('keeps usage of an unknown account, a closed account, an unknown service or an unpriced destination unrated, with the reason, charging nothing', async () => {
    const w = await world()
    const acc = `acc-unr-${idSeq}`
    const closed = `acc-closed-${idSeq}`
    const c = await w.customer({}, [acc, closed])
    desk.app.core.engine.change(ADMIN_ACTOR, (x) => x.run("UPDATE accounts SET status = 'closed' WHERE account_id = ?", [closed]))
    const [u, k, s, p, r] = [rid(), rid(), rid(), rid(), rid()]
    const sum = await runImport(
      usageCsv(
        `${u},nobody-${idSeq},2026-01-10T10:00:00Z,60,441234,{svc}`,
        `${k},${closed},2026-01-10T10:00:00Z,60,441234,{svc}`,
        `${s},${acc},2026-01-10T10:00:00Z,60,441234,no-such-service`,
        `${p},${acc},2026-01-10T10:00:00Z,60,+33 1 23 45,{svc}`,
        `${r},${acc},2026-01-10T10:00:00Z,60,441234,{svc}`
      )
    )
    expect(sum).toMatchObject({ imported: 5, rated: 1, unrated: 4 })
    expect(sum.unratedByReason).toEqual({ 'unknown-account': 1, 'closed-account': 1, 'unknown-service': 1, 'no-matching-prefix': 1 })
    expect(usageOf(u)).toMatchObject({
      customer_id: null,
      account_ref: `nobody-${idSeq}`,
      rating: 'unrated',
      unrated_reason: 'unknown-account',
      amount_minor: 0,
      charge_minor: null
    })
    expect(usageOf(k)).toMatchObject({ customer_id: c.id, rating: 'unrated', unrated_reason: 'closed-account', amount_minor: 0 })
    expect(usageOf(s)).toMatchObject({ customer_id: c.id, service_id: null, rating: 'unrated', unrated_reason: 'unknown-service' })
    expect(usageOf(p)).toMatchObject({ rating: 'unrated', unrated_reason: 'no-matching-prefix', amount_minor: 0 })
    expect(balanceOf(c.id)).toBe(10)
    expect(await ledgerOk()).toBe(true)
  })

  it('rates usage of blocked customers and flags them; lists prepaid customers below zero funds and postpaid ones over their credit limit', async () => {
    const w = await world()
    const [bAcc, pAcc, qAcc, okAcc] = [`acc-bl-${idSeq}`, `acc-pre-${idSeq}`, `acc-post-${idSeq}`, `acc-fine-${idSeq}`]
    const blocked = await w.customer({ blocked: true }, [bAcc])
    const prepaid = await w.customer({ balanceControl: 'prepaid', openingBalance: '0.15' }, [pAcc])
    const postpaid = await w.customer({ creditLimit: '0.15' }, [qAcc])
    await w.customer({ creditLimit: '5.00' }, [okAcc])
    const sum = await runImport(
      usageCsv(
        `${rid()},${bAcc},2026-01-10T10:00:00Z,60,441234,{svc}`,
        `${rid()},${pAcc},2026-01-10T10:00:00Z,120,441234,{svc}`,
        `${rid()},${qAcc},2026-01-10T10:00:00Z,120,441234,{svc}`,
        `${rid()},${okAcc},2026-01-10T10:00:00Z,120,441234,{svc}`
      )
    )
    expect(sum.rated).toBe(4)
    expect(sum.flagged).toEqual([
      { customerId: blocked.id, customerName: blocked.customerId, currency: 'USD', reason: 'blocked', balanceMinor: 10, creditLimitMinor: null },
      { customerId: prepaid.id, customerName: prepaid.customerId, currency: 'USD', reason: 'funds-below-zero', balanceMinor: 5, creditLimitMinor: null },
      { customerId: postpaid.id, customerName: postpaid.customerId, currency: 'USD', reason: 'over-credit-limit', balanceMinor: 20, creditLimitMinor: 15 }
    ])
  })

  it('stops between whole batches on Cancel, and a second import of the file completes it without charging twice', async () => {
    const w = await world()
    const acc = `acc-cancel-${idSeq}`
    const c = await w.customer({}, [acc])
    const rows = Array.from({ length: 7 }, (_, i) => `${rid()},${acc},2026-01-10T10:0${i}:00Z,60,441234,{svc}`)
    const csv = usageCsv(...rows)
    const ctl = new AbortController()
    const progress: [number, number][] = []
    const cancelled = await runImport(csv, {
      batchSize: 3,
      signal: ctl.signal,
      onProgress: (done, total) => {
        progress.push([done, total])
        if (done >= 3) ctl.abort()
      }
    })
    expect(cancelled).toMatchObject({ state: 'cancelled', lines: 7, imported: 3, rated: 3 })
    expect(progress[progress.length - 1]).toEqual([3, 7])
    expect(balanceOf(c.id)).toBe(30)
    const history = desk.app.core.engine.read((r) =>
      r.get<{ state: string; imported: number }>('SELECT state, imported FROM usage_imports WHERE id = ?', [cancelled.importId])
    )
    expect(history).toEqual({ state: 'cancelled', imported: 3 })
    // Batches of 4: the first holds the 3 records in already and a new one.
    const rest = await runImport(csv, { batchSize: 4 })
    expect(rest).toMatchObject({ state: 'completed', lines: 7, imported: 4, duplicates: 3 })
    expect(balanceOf(c.id)).toBe(70)
    expect(await ledgerOk()).toBe(true)
  })

  it('lets no background snapshot start while its batches are written, takes the one due after the last, and loses nothing meanwhile', async () => {
    // A desk whose journal is due for a snapshot after 16 KiB: every batch below passes that.
    const small = await openTestDesk({ snapshotAfterBytes: 16 * 1024 })
    try {
      const w = await usageWorld(small)
      await w.upload('2026-01-01T00:00:00Z', '44,UK,0.10,0,60,60,0')
      const acc = 'acc-held'
      const c = await w.customer({}, [acc])
      const code = small.app.core.engine.read((r) => r.get<{ code: string }>('SELECT code FROM services WHERE id = ?', [w.serviceId])!.code)
      const rows = Array.from({ length: 1200 }, (_, i) => `held-${i},${acc},2026-01-10T10:00:${String(i % 60).padStart(2, '0')}Z,60,441234,${code}`)
      const store = small.app.core.store!
      const during: { inProgress: boolean; journalBytes: number }[] = []
      const sum = await importUsageCsv(
        small.app.core.engine,
        ADMIN_ACTOR,
        { source: 'page', fileName: 'held.csv', csv: [HEADER, ...rows].join('\n') },
        {
          batchSize: 300,
          onProgress: (done) => {
            if (done > 0) during.push({ inProgress: store.snapshotInProgress, journalBytes: store.journalBytes })
          },
          pause: () => new Promise((resolve) => setImmediate(resolve))
        }
      )
      expect(sum).toMatchObject({ state: 'completed', imported: 1200, rated: 1200 })
      expect(during).toHaveLength(4)
      expect(during.every((d) => !d.inProgress)).toBe(true)
      expect(during.at(-1)!.journalBytes).toBeGreaterThan(4 * 16 * 1024)
      // Killed now (the folder as it is, opened elsewhere): the journal gives back every batch.
      const reopened = DurableStore.open({ dataDir: killedCopy(path.dirname(store.snapshotPath)), sql: await loadSqlJs(), now: Date.now, log: () => {} })
      expect(
        reopened.read((r) => r.get<{ n: number; s: number }>("SELECT count(*) AS n, sum(amount_minor) AS s FROM xdrs WHERE switch_record_id LIKE 'held-%'"))
      ).toEqual({
        n: 1200,
        s: 12_000
      })
      reopened.close()
      // The import over, the snapshot that was due is taken.
      await new Promise((resolve) => setImmediate(resolve))
      expect(store.snapshotInProgress).toBe(true)
      await vi.waitFor(() => expect(store.snapshotInProgress).toBe(false), { timeout: 20_000 })
      expect(store.journalBytes).toBeLessThan(16 * 1024)
      expect(small.app.core.engine.read((r) => r.get<{ b: number }>('SELECT balance_minor AS b FROM customers WHERE id = ?', [c.id])!.b)).toBe(12_000)
    } finally {
      await small.close()
    }
  })

  it('commits each batch whole: a batch that fails leaves nothing of itself and the batches before it; re-importing completes', async () => {
    const w = await world()
    const acc = `acc-atomic-${idSeq}`
    const c = await w.customer({}, [acc])
    const ids = Array.from({ length: 5 }, () => rid())
    const csv = usageCsv(...ids.map((id, i) => `${id},${acc},2026-01-10T10:0${i}:00Z,60,441234,{svc}`))
    // The database refuses the 5th record: the failure happens inside the second batch (records 4-5).
    desk.app.core.engine.change(ADMIN_ACTOR, (x) =>
      x.run(`CREATE TRIGGER usage_boom BEFORE INSERT ON xdrs WHEN NEW.switch_record_id = '${ids[4]}' BEGIN SELECT RAISE(ABORT, 'disk on fire'); END`)
    )
    const failed = await runImport(csv, { batchSize: 3 })
    expect(failed).toMatchObject({ state: 'failed', imported: 3 })
    expect(failed.problems).toEqual([{ line: 5, field: null, message: expect.stringMatching(/disk on fire/) }])
    expect(usageOf(ids[3]!)).toBeUndefined()
    expect(balanceOf(c.id)).toBe(30)
    expect(await ledgerOk()).toBe(true)
    desk.app.core.engine.change(ADMIN_ACTOR, (x) => x.run('DROP TRIGGER usage_boom'))
    const rest = await runImport(csv, { batchSize: 3 })
    expect(rest).toMatchObject({ state: 'completed', imported: 2, duplicates: 3 })
    expect(balanceOf(c.id)).toBe(50)
  })

  it('keeps balances equal to the ledger and audits each balance change with the import', async () => {
    const w = await world()
    const accs = [`acc-led-a-${idSeq}`, `acc-led-b-${idSeq}`]
    const a = await w.customer({ openingBalance: '1.00' }, [accs[0]!])
    const b = await w.customer({}, [accs[1]!])
    const rows = Array.from({ length: 10 }, (_, i) => `${rid()},${accs[i % 2]},2026-01-10T10:00:${String(i).padStart(2, '0')}Z,${30 + i},1 212,{svc}`)
    const sum = await runImport(usageCsv(...rows), { batchSize: 4 })
    expect(sum).toMatchObject({ state: 'completed', imported: 10, rated: 10 })
    expect(balanceOf(a.id)).toBe(100 + 5 * 6)
    expect(balanceOf(b.id)).toBe(5 * 6)
    expect(await ledgerOk()).toBe(true)
    const audit = desk.app.core.engine.read((r) =>
      r.all<{ customer_id: number | null; description: string; from_value: string | null; to_value: string | null }>(
        "SELECT customer_id, description, from_value, to_value FROM audit_log WHERE source_kind = 'usage-import' AND source_id = ? ORDER BY id",
        [sum.importId]
      )
    )
    // The file alternates a and b; records are written grouped by customer in batches of 4:
    // a a a a | a b b b | b b. One audit entry per customer per batch.
    expect(audit.filter((e) => e.customer_id === a.id).map((e) => [e.from_value, e.to_value])).toEqual([
      ['100', '124'],
      ['124', '130']
    ])
    expect(audit.filter((e) => e.customer_id === b.id).map((e) => [e.from_value, e.to_value])).toEqual([
      ['0', '18'],
      ['18', '30']
    ])
    expect(audit.find((e) => e.customer_id === a.id)!.description).toMatch(/Usage import #\d+ \(usage-\d+\.csv\): 4 records rated, balance changed from 1\.00 to 1\.24/)
    expect(audit.some((e) => e.customer_id === null && /10 records imported/.test(e.description))).toBe(true)
  })

  it('writes the records of a batch in time order (the time indexes grow forward), still one balance change per customer per batch', async () => {
    const w = await world()
    const accs = [`acc-ord-a-${idSeq}`, `acc-ord-b-${idSeq}`]
    const a = await w.customer({}, [accs[0]!])
    const b = await w.customer({}, [accs[1]!])
    // a at 10:00, 10:02, 10:04; b at 10:01, 10:03, 10:05: grouped by customer, in time order.
    const rows = Array.from({ length: 6 }, (_, i) => `${rid()},${accs[i % 2]},2026-01-11T10:0${i}:00Z,60,1 212,{svc}`)
    const sum = await runImport(usageCsv(...rows))
    expect(sum).toMatchObject({ state: 'completed', imported: 6, rated: 6 })
    const written = desk.app.core.engine.read((r) =>
      r.all<{ started_at: string }>('SELECT started_at FROM xdrs WHERE import_id = ? ORDER BY id', [sum.importId]).map((x) => x.started_at.slice(11, 16))
    )
    expect(written).toEqual(['10:00', '10:01', '10:02', '10:03', '10:04', '10:05'])
    expect(balanceOf(a.id)).toBe(3 * 6)
    expect(balanceOf(b.id)).toBe(3 * 6)
    const changes = desk.app.core.engine.read((r) =>
      r.values("SELECT count(*) FROM audit_log WHERE source_kind = 'usage-import' AND source_id = ? AND customer_id IS NOT NULL", [sum.importId])
    )
    expect(changes[0]?.[0]).toBe(2)
    expect(await ledgerOk()).toBe(true)
  })
})

describe('parseZonedTime', () => {
  it('reads every spelling of a zone and refuses a time without one, or one not on the calendar', () => {
    const utc = Date.parse('2026-03-05T08:00:00Z')
    for (const text of [
      '2026-03-05T10:00:00+02:00',
      '2026-03-05T10:00:00+0200',
      '2026-03-05T10:00:00+02',
      '2026-03-05 10:00:00 +02:00',
      '2026-03-05T08:00:00Z',
      '2026-03-05T08:00Z'
    ]) {
      expect(parseZonedTime(text), text).toBe(utc)
    }
    expect(parseZonedTime('2026-03-05T02:30:00.250-05:30')).toBe(utc + 250)
    expect(parseZonedTime('2026-03-05T08:00:00,0079Z')).toBe(utc + 7)
    expect(parseZonedTime('2026-03-05T10:00:00')).toMatch(/has no time zone/)
    expect(parseZonedTime('2026-02-29T10:00:00Z')).toMatch(/not a date and time that exists/)
    expect(parseZonedTime('2026-03-05T24:00:00Z')).toMatch(/not a date and time that exists/)
    expect(parseZonedTime('2026-03-05T10:00:00+15:00')).toMatch(/offset that does not exist/)
    expect(parseZonedTime('5 March 2026')).toMatch(/not a date and time with a time zone/)
  })

  it('reads the usual spellings the quick way with the same answer as the full pattern, problems included', () => {
    let checked = 0
    for (const y of ['0050', '1969', '2024', '2100', '9999'])
      for (const mo of ['00', '01', '02', '12', '13'])
        for (const d of ['00', '01', '28', '29', '30', '31', '32'])
          for (const sep of ['T', ' ', 't', 'x'])
            for (const time of [
              '10:00',
              '23:59:59',
              '24:00:00',
              '10:60',
              '10:00:60',
              '10:00:00.5',
              '1:00',
              '10:00:00,123456789',
              '10:00:00.1234567890',
              '10:00:00.',
              '10:00.5'
            ])
              for (const zone of ['Z', 'z', '+02:00', '+0200', '+02', '-05:30', '+15:00', '+14:60', '', ' +02:00', '+2', '+02:0', 'Z ']) {
                const text = `${y}-${mo}-${d}${sep}${time}${zone}`
                expect(parseZonedTime(text), text).toBe(parseZonedTimeByPattern(text))
                checked++
              }
    expect(checked).toBe(100_100)
  })
})
