/**
 * Issue 9: rating a set of usage records gives the same charges however the records are split
 * into files and in whatever order the files come (each record is rated and rounded on its own,
 * against the version in force at its own start). Property test: the same records imported as one
 * file for one customer and as random pieces, shuffled, for an identical customer.
 */
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FIRST_ADMIN_ACTOR } from '../../src-main/engine/operators'
import { importUsageCsv } from '../../src-main/engine/usageImport'
import { openTestDesk, type TestDesk } from '../support/desk'
import { usageWorld } from '../support/usageWorld'

let desk: TestDesk
let world: Awaited<ReturnType<typeof usageWorld>>
let serviceCode: string

beforeAll(async () => {
  desk = await openTestDesk()
  world = await usageWorld(desk)
  // Two versions, odd prices and free seconds, so that rounding and the version at the start matter.
  await world.upload('2026-03-01T00:00:00Z', '44,UK,0.08713,0.015,60,60,5', '4475,UK mobile,0.12345,0,30,6,0', '1,US,0.0125,0,1,1,0')
  await world.upload('2026-03-15T12:00:00+02:00', '44,UK,0.07777,0.01,60,30,0', '1,US,0.0133,0.003,6,6,2')
  serviceCode = desk.app.core.engine.read((r) => r.get<{ code: string }>('SELECT code FROM services WHERE id = ?', [world.serviceId])!.code)
})
afterAll(async () => {
  await desk.close()
})

const HEADER = 'switch_record_id,account,start_time,duration,called_number,service'

interface Call {
  startMs: number
  durationS: number
  number: string
}

const call = fc.record({
  // 1 March to 31 March 2026: both versions, and calls either side of the second one's instant.
  startMs: fc.integer({ min: Date.parse('2026-03-01T00:00:00Z'), max: Date.parse('2026-03-31T23:59:59Z') }),
  durationS: fc.oneof(fc.constantFrom(0, 1, 5, 6, 30, 59, 60, 61, 90, 3600), fc.nat(7200)),
  number: fc.oneof(fc.constantFrom('+44 20 7946 0000', '0044 7500 123456', '+1 212 555 0100', '+33 1 2345 6789', '447512'), fc.stringMatching(/^\+?[0-9]{1,12}$/))
})

let runSeq = 0

async function importFiles(account: string, prefix: string, files: Call[][], indexOf: Map<Call, number>) {
  for (const [i, calls] of files.entries()) {
    const rows = calls.map((c) => `${prefix}-${indexOf.get(c)},${account},${new Date(c.startMs).toISOString()},${c.durationS},"${c.number}",${serviceCode}`)
    await importUsageCsv(desk.app.core.engine, FIRST_ADMIN_ACTOR, { source: 'page', fileName: `${prefix}-${i}.csv`, csv: [HEADER, ...rows].join('\n') }, { batchSize: 7 })
  }
}

const chargesOf = (prefix: string) =>
  desk.app.core.engine.read((r) =>
    r
      .all<{ id: string; charge: number | null; rating: string }>(
        "SELECT switch_record_id AS id, charge_minor AS charge, rating FROM xdrs WHERE switch_record_id LIKE ? || '-%'",
        [prefix]
      )
      .map((x) => [x.id.slice(prefix.length + 1), x.charge, x.rating] as const)
      .sort((a, b) => Number(a[0]) - Number(b[0]))
  )

describe('rating is the same in any split into files', () => {
  it('one file vs random pieces in random order: same charge per record and same balance', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(call, { minLength: 1, maxLength: 40 }), fc.array(fc.nat(40), { maxLength: 6 }), fc.nat(), async (calls, cuts, shuffleSeed) => {
        const run = ++runSeq
        const whole = await world.customer({}, [`WHOLE-${run}`])
        const split = await world.customer({}, [`SPLIT-${run}`])
        const indexOf = new Map(calls.map((c, i) => [c, i]))
        await importFiles(`WHOLE-${run}`, `W${run}`, [calls], indexOf)
        // Cut into pieces at the given points, then put the pieces (and each piece's rows) in another order.
        const points = [...new Set(cuts.map((c) => c % (calls.length + 1)))].sort((a, b) => a - b)
        const pieces: Call[][] = []
        let from = 0
        for (const p of [...points, calls.length]) {
          if (p > from) pieces.push(calls.slice(from, p))
          from = Math.max(from, p)
        }
        let s = shuffleSeed
        const rnd = () => {
          s = (s * 1103515245 + 12345) >>> 0
          return s / 2 ** 32
        }
        const shuffled = pieces.map((p) => [...p].sort(() => rnd() - 0.5)).sort(() => rnd() - 0.5)
        await importFiles(`SPLIT-${run}`, `S${run}`, shuffled, indexOf)
        expect(chargesOf(`S${run}`)).toEqual(chargesOf(`W${run}`))
        const balances = await Promise.all([whole, split].map((c) => desk.ok('customers.get', { id: c.id })))
        expect(balances[1]!.balanceMinor).toBe(balances[0]!.balanceMinor)
      }),
      { numRuns: 40 }
    )
    expect((await desk.ok('ledger.check', {})).ok).toBe(true)
  }, 120_000)
})
