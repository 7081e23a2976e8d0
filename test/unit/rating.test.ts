/**
 * Rating arithmetic (issue 9, item 3): the price-list version in force, the longest matching
 * prefix, billed seconds from free seconds and first/next intervals, and the one rounding of a
 * charge to the currency's minor unit. The worked examples of docs/rating.md are asserted row by
 * row, so the document and the code cannot drift apart.
 */
import fs from 'node:fs'
import path from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { CURRENCIES, parseAmountExact, type RoundingMode } from '../../src-shared/money'
import {
  billedSeconds,
  longestPrefixMatch,
  normaliseCalledNumber,
  type PriceListVersion,
  type RateRow,
  rateCall,
  rateCalls,
  versionInForce
} from '../../src-main/engine/rating'

/** "0.12345" (major units, up to 5 decimals) -> 12345n: how a test writes a price. */
function price(text: string): bigint {
  const [whole, frac = ''] = text.split('.')
  return BigInt(whole ?? '0') * 100000n + BigInt((frac + '00000').slice(0, 5))
}

function row(over: Partial<RateRow> = {}): RateRow {
  return {
    prefix: '1',
    description: 'USA',
    ratePerMinute: price('0.10'),
    connectionFee: 0n,
    firstIntervalS: 60,
    nextIntervalS: 60,
    freeSeconds: 0,
    ...over
  }
}

function version(rows: RateRow[], effectiveFrom = 0): PriceListVersion {
  return { effectiveFrom, rows }
}

const START = Date.parse('2026-03-10T12:00:00Z')

function charge(r: RateRow, durationS: number, exponent = 2, mode: RoundingMode = 'away-from-zero', calledNumber = '15551234567'): number {
  const res = rateCall({ durationS, calledNumber, start: START }, version([r]), exponent, mode)
  if (!res.rated) throw new Error(`expected a rated call, got ${res.reason}`)
  return res.chargeMinor
}

describe('billed seconds', () => {
  it('a 0-second call is billed nothing and costs nothing, not even the connection fee', () => {
    const r = row({ connectionFee: price('0.05') })
    const res = rateCall({ durationS: 0, calledNumber: '15551234567', start: START }, version([r]), 2, 'away-from-zero')
    expect(res).toMatchObject({ rated: true, billedSeconds: 0, chargeMinor: 0, prefix: '1' })
  })

  it('exactly one first interval is billed as one first interval', () => {
    expect(billedSeconds(60, row())).toBe(60)
    expect(billedSeconds(30, row({ firstIntervalS: 30, nextIntervalS: 6 }))).toBe(30)
  })

  it('one second over the first interval adds one whole next interval', () => {
    expect(billedSeconds(61, row())).toBe(120)
    expect(billedSeconds(31, row({ firstIntervalS: 30, nextIntervalS: 6 }))).toBe(36)
  })

  it('a call shorter than the first interval is billed the whole first interval', () => {
    expect(billedSeconds(1, row())).toBe(60)
    expect(billedSeconds(1, row({ firstIntervalS: 30, nextIntervalS: 6 }))).toBe(30)
  })

  it('exactly first + n next intervals bills no extra interval', () => {
    const r = row({ firstIntervalS: 30, nextIntervalS: 6 })
    for (const n of [1, 2, 3, 10]) {
      expect(billedSeconds(30 + 6 * n, r)).toBe(30 + 6 * n)
      expect(billedSeconds(30 + 6 * n + 1, r)).toBe(30 + 6 * (n + 1))
    }
  })

  it('free seconds are deducted first, then the intervals apply to what is left', () => {
    const r = row({ freeSeconds: 10 })
    expect(billedSeconds(70, r)).toBe(60)
    expect(billedSeconds(71, r)).toBe(120)
    expect(billedSeconds(11, r)).toBe(60)
  })

  it('free seconds equal to or greater than the duration make the call free, fee included', () => {
    const r = row({ freeSeconds: 10, connectionFee: price('0.05') })
    expect(billedSeconds(10, r)).toBe(0)
    expect(billedSeconds(5, r)).toBe(0)
    expect(charge(r, 10)).toBe(0)
    expect(charge(r, 5)).toBe(0)
    expect(charge(r, 11)).toBe(5 + 10)
  })
})

describe('messaging: charged per message', () => {
  it('a text message is charged the price per message (the connection fee), whatever its duration; no per-minute price', () => {
    const sms = row({ prefix: '44', ratePerMinute: price('0.10'), connectionFee: price('0.04125'), firstIntervalS: 1, nextIntervalS: 1 })
    for (const durationS of [0, 1, 61]) {
      const res = rateCall({ durationS, calledNumber: '+447700900123', start: START }, version([sms]), 2, 'away-from-zero', 'message')
      expect(res).toMatchObject({ rated: true, billedSeconds: 0, chargeMinor: 5, prefix: '44' })
    }
    expect(rateCall({ durationS: 0, calledNumber: '+447700900123', start: START }, version([sms]), 2, 'half-even', 'message')).toMatchObject({ chargeMinor: 4 })
    // By time (voice), the same 0-second record is a failed attempt and costs nothing.
    expect(rateCall({ durationS: 0, calledNumber: '+447700900123', start: START }, version([sms]), 2, 'away-from-zero')).toMatchObject({ chargeMinor: 0 })
    expect(rateCall({ durationS: 0, calledNumber: '+33100', start: START }, version([sms]), 2, 'away-from-zero', 'message')).toEqual({
      rated: false,
      reason: 'no-matching-prefix'
    })
  })
})

describe('one rounding per record', () => {
  // Exact charge 0.125 USD (60 s at 0.12500/min): the .xxx5 tie between 0.12 and 0.13.
  const tie = row({ ratePerMinute: price('0.125') })
  const tieOdd = row({ ratePerMinute: price('0.135') })
  const justOver = row({ ratePerMinute: price('0.12501') })
  const justUnder = row({ ratePerMinute: price('0.12499') })

  it.each<[RoundingMode, number, number, number, number]>([
    ['away-from-zero', 13, 14, 13, 13],
    ['half-up', 13, 14, 13, 12],
    ['half-even', 12, 14, 13, 12],
    ['toward-zero', 12, 13, 12, 12]
  ])('%s rounds 0.125 -> %i, 0.135 -> %i, 0.12501 -> %i, 0.12499 -> %i cents', (mode, a, b, c, d) => {
    expect(charge(tie, 60, 2, mode)).toBe(a)
    expect(charge(tieOdd, 60, 2, mode)).toBe(b)
    expect(charge(justOver, 60, 2, mode)).toBe(c)
    expect(charge(justUnder, 60, 2, mode)).toBe(d)
  })

  it('keeps rate x seconds / 60 exact until the one rounding (no rounding of the per-second price)', () => {
    // 7 s at 0.10/min on 1/1 billing = 0.0116666... USD
    const r = row({ firstIntervalS: 1, nextIntervalS: 1 })
    expect(charge(r, 7, 2, 'away-from-zero')).toBe(2)
    expect(charge(r, 7, 2, 'half-up')).toBe(1)
    expect(charge(r, 7, 2, 'toward-zero')).toBe(1)
    // 0.00500 USD plus a tiny remainder is above the tie: half-even must go up.
    const r2 = row({ firstIntervalS: 1, nextIntervalS: 1, ratePerMinute: price('0.00301') })
    // 0.00301 * 100 / 60 = 0.0050166... -> 0.01 in half-even
    expect(charge(r2, 100, 2, 'half-even')).toBe(1)
  })

  it('JPY (no decimals) rounds to whole yen', () => {
    const r = row({ ratePerMinute: price('1.5') })
    expect(charge(r, 60, 0, 'away-from-zero')).toBe(2)
    expect(charge(r, 60, 0, 'half-up')).toBe(2)
    expect(charge(r, 60, 0, 'half-even')).toBe(2)
    expect(charge(r, 60, 0, 'toward-zero')).toBe(1)
    expect(charge(row({ ratePerMinute: price('2.5') }), 60, 0, 'half-even')).toBe(2)
    expect(charge(row({ ratePerMinute: price('12'), connectionFee: price('3') }), 61, 0)).toBe(27)
  })

  it('KWD (three decimals) rounds to the fils', () => {
    const r = row({ ratePerMinute: price('0.12345'), connectionFee: price('0.0005') }) // 0.12395
    expect(charge(r, 60, 3, 'away-from-zero')).toBe(124)
    expect(charge(r, 60, 3, 'half-up')).toBe(124)
    expect(charge(r, 60, 3, 'half-even')).toBe(124)
    expect(charge(r, 60, 3, 'toward-zero')).toBe(123)
    expect(charge(row({ ratePerMinute: price('0.1225') }), 60, 3, 'half-even')).toBe(122)
    expect(charge(row({ ratePerMinute: price('0.1225') }), 60, 3, 'half-up')).toBe(123)
  })

  it('every listed currency can be rated (exponent at most 5)', () => {
    for (const c of CURRENCIES) expect(charge(row({ ratePerMinute: price('1') }), 60, c.exponent)).toBe(10 ** c.exponent)
  })
})

describe('longest prefix match', () => {
  const rows = [
    row({ prefix: '4', description: 'Europe' }),
    row({ prefix: '44', description: 'UK' }),
    row({ prefix: '447', description: 'UK mobile' }),
    row({ prefix: '4475', description: 'UK mobile special' }),
    row({ prefix: '1', description: 'NANP' })
  ]

  it('picks the longest of overlapping prefixes', () => {
    expect(longestPrefixMatch(rows, '447512345678')?.description).toBe('UK mobile special')
    expect(longestPrefixMatch(rows, '447612345678')?.description).toBe('UK mobile')
    expect(longestPrefixMatch(rows, '442012345678')?.description).toBe('UK')
    expect(longestPrefixMatch(rows, '4930123456')?.description).toBe('Europe')
    expect(longestPrefixMatch(rows, '33123456')).toBeUndefined()
  })

  it('normalises the called number: +, spaces, leading 00, punctuation', () => {
    expect(normaliseCalledNumber('+44 7512 345678')).toBe('447512345678')
    expect(normaliseCalledNumber('0044 20 1234 5678')).toBe('442012345678')
    expect(normaliseCalledNumber(' +1 (555) 123-4567 ')).toBe('15551234567')
    expect(normaliseCalledNumber('sip:alice')).toBe('')
    expect(longestPrefixMatch(rows, '+44 7512 345678')?.prefix).toBe('4475')
    expect(longestPrefixMatch(rows, '0044 7612 345678')?.prefix).toBe('447')
    expect(longestPrefixMatch(rows, '')).toBeUndefined()
  })

  it('reads plain digits, "+" digits and "00" digits like the normalised number, and refuses anything else', () => {
    expect(longestPrefixMatch(rows, '+447612345678')?.prefix).toBe('447')
    expect(longestPrefixMatch(rows, '00447512')?.prefix).toBe('4475')
    expect(longestPrefixMatch(rows, '+00447512')).toBeUndefined() // "+" then "00": the zeros are digits of the number
    expect(longestPrefixMatch(rows, '+')).toBeUndefined()
    expect(longestPrefixMatch(rows, '00')).toBeUndefined()
    expect(longestPrefixMatch(rows, '+44+7512')).toBeUndefined()
    expect(longestPrefixMatch(rows, '4475x')).toBeUndefined()
    expect(longestPrefixMatch(rows, '4 4')?.prefix).toBe('44')
    expect(longestPrefixMatch([...rows, row({ prefix: '44', description: 'UK again' })], '4420')?.description).toBe('UK again')
  })

  it('a number with no matching prefix is unrated with the reason, never charged as zero', () => {
    const res = rateCall({ durationS: 60, calledNumber: '+33 1 23 45 67 89', start: START }, version(rows), 2, 'away-from-zero')
    expect(res).toEqual({ rated: false, reason: 'no-matching-prefix' })
  })

  // How fast it is lives in the benchmark (rating.rate_1m_pure_s), not in a timed test.
  it('finds the right prefix among thousands', () => {
    const many: RateRow[] = []
    for (let i = 0; i < 5000; i++) many.push(row({ prefix: String(1000 + i * 17), description: `d${i}` }))
    for (let i = 0; i < 5000; i += 7) expect(longestPrefixMatch(many, `${1000 + i * 17}5551234`)?.description).toBe(`d${i}`)
    expect(longestPrefixMatch(many, '9995551234')).toBeUndefined()
  })
})

describe('version in force', () => {
  const march = Date.parse('2026-03-01T00:00:00Z')
  const april = Date.parse('2026-04-01T00:00:00Z')
  const versions = [version([row({ ratePerMinute: price('0.20') })], april), version([row({ ratePerMinute: price('0.10') })], march)]

  it('the version is in force from exactly its effective instant, not one ms before', () => {
    expect(versionInForce(versions, april)?.effectiveFrom).toBe(april)
    expect(versionInForce(versions, april - 1)?.effectiveFrom).toBe(march)
    expect(versionInForce(versions, march)?.effectiveFrom).toBe(march)
    expect(versionInForce(versions, march - 1)).toBeUndefined()
    expect(versionInForce([], april)).toBeUndefined()
  })

  it('a call that starts before an effective instant and ends after it uses the version in force at its start', () => {
    const call = { durationS: 600, calledNumber: '15551234567', start: april - 60_000 }
    const res = rateCall(call, versionInForce(versions, call.start), 2, 'away-from-zero')
    expect(res).toMatchObject({ rated: true, chargeMinor: 100, billedSeconds: 600 })
  })

  it('a call with no version in force is unrated: no-price-list', () => {
    const res = rateCall({ durationS: 60, calledNumber: '1555', start: march - 1 }, versionInForce(versions, march - 1), 2, 'away-from-zero')
    expect(res).toEqual({ rated: false, reason: 'no-price-list' })
  })
})

describe('properties', () => {
  const rowArb = fc.record({
    prefix: fc.constant('1'),
    description: fc.constant('d'),
    ratePerMinute: fc.bigInt({ min: 0n, max: 10_000_000n }),
    connectionFee: fc.bigInt({ min: 0n, max: 1_000_000n }),
    firstIntervalS: fc.integer({ min: 1, max: 120 }),
    nextIntervalS: fc.integer({ min: 1, max: 120 }),
    freeSeconds: fc.integer({ min: 0, max: 60 })
  })
  const modeArb = fc.constantFrom<RoundingMode>('away-from-zero', 'half-up', 'half-even', 'toward-zero')

  it('the charge of a call never decreases as its duration grows', () => {
    fc.assert(
      fc.property(rowArb, modeArb, fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 20_000 }), fc.integer({ min: 1, max: 600 }), (r, mode, exp, d, extra) => {
        expect(charge(r, d + extra, exp, mode)).toBeGreaterThanOrEqual(charge(r, d, exp, mode))
        expect(billedSeconds(d + extra, r)).toBeGreaterThanOrEqual(billedSeconds(d, r))
      })
    )
  })

  it('rating a set of records in any order and any split into files gives the same charges', () => {
    const v = [
      version(
        [
          row({ prefix: '1', ratePerMinute: price('0.013') }),
          row({ prefix: '44', ratePerMinute: price('0.0871'), connectionFee: price('0.015'), firstIntervalS: 30, nextIntervalS: 6 })
        ],
        0
      ),
      version([row({ prefix: '1', ratePerMinute: price('0.017'), freeSeconds: 5 })], START)
    ]
    const recordArb = fc.record({
      durationS: fc.integer({ min: 0, max: 7200 }),
      calledNumber: fc.constantFrom('15551234567', '+44 20 1234 5678', '0033123456'),
      start: fc.integer({ min: START - 3_600_000, max: START + 3_600_000 })
    })
    fc.assert(
      fc.property(fc.array(recordArb, { maxLength: 60 }), fc.array(fc.nat(), { maxLength: 6 }), fc.nat(), modeArb, (records, cuts, seed, mode) => {
        const whole = rateCalls(records, v, 2, mode)
        // shuffle deterministically by seed, then cut into files at the given points
        const shuffled = records
          .map((r, i) => ({ r, k: (i * 7919 + seed) % 1009 }))
          .sort((a, b) => a.k - b.k)
          .map((x) => x.r)
        const points = [...new Set(cuts.map((c) => (records.length ? c % records.length : 0)))].sort((a, b) => a - b)
        const files: (typeof records)[] = []
        let from = 0
        for (const p of [...points, shuffled.length]) {
          files.push(shuffled.slice(from, p))
          from = p
        }
        const parts = files.map((f) => rateCalls(f, v, 2, mode))
        expect(parts.reduce((s, p) => s + p.totalMinor, 0)).toBe(whole.totalMinor)
        expect(parts.reduce((s, p) => s + p.unrated, 0)).toBe(whole.unrated)
        expect(parts.reduce((s, p) => s + p.billedSeconds, 0)).toBe(whole.billedSeconds)
      })
    )
  })
})

describe('docs/rating.md worked examples', () => {
  const doc = fs.readFileSync(path.resolve(import.meta.dirname, '../../docs/rating.md'), 'utf8')
  const lines = doc.split('\n').filter((l) => /^\|\s*\d/.test(l))
  const rows = lines.map((l) =>
    l
      .split('|')
      .slice(1, -1)
      .map((c) => c.trim())
  )

  it('the document has a table of worked examples', () => {
    expect(rows.length).toBeGreaterThanOrEqual(12)
  })

  it.each(rows.map((r) => [r.join(' | '), r] as const))('%s', (_label, cells) => {
    // | Duration s | First/next s | Free s | Rate /min | Fee | Currency | Rounding | Billed s | Charge |
    const [duration, intervals, free, rate, fee, code, mode, billed, expected] = cells as [string, string, string, string, string, string, string, string, string]
    const [first, next] = intervals.split('/').map(Number) as [number, number]
    const cur = CURRENCIES.find((c) => c.code === code)
    if (!cur) throw new Error(`unknown currency ${code}`)
    const r = row({ ratePerMinute: price(rate), connectionFee: price(fee), firstIntervalS: first, nextIntervalS: next, freeSeconds: Number(free) })
    const res = rateCall({ durationS: Number(duration), calledNumber: '15551234567', start: START }, version([r]), cur.exponent, mode as RoundingMode)
    expect(res).toMatchObject({ rated: true, billedSeconds: Number(billed), chargeMinor: Number(parseAmountExact(expected, code)) })
  })
})
