import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { AppError } from '../../src-shared/errors'
import { CURRENCIES, divideRounded, formatMinor, parseAmount } from '../../src-shared/money'

function errorOf(fn: () => unknown): AppError {
  try {
    fn()
  } catch (e) {
    if (e instanceof AppError) return e
    throw e
  }
  throw new Error('expected an AppError, nothing was thrown')
}

describe('parseAmount', () => {
  it('parses what a cashier types, exactly, into minor units', () => {
    expect(parseAmount('135', 'USD')).toBe(13500)
    expect(parseAmount('135.5', 'USD')).toBe(13550)
    expect(parseAmount('1,234.56', 'USD')).toBe(123456)
    expect(parseAmount('0.01', 'USD')).toBe(1)
    expect(parseAmount('-20', 'USD')).toBe(-2000)
    expect(parseAmount(' 12.30 ', 'EUR')).toBe(1230)
    // The classic float trap: 0.1 + 0.2 style inputs stay exact.
    expect(parseAmount('0.29', 'USD')).toBe(29)
    expect(parseAmount('1,000,000.07', 'USD')).toBe(100000007)
  })

  it('refuses more decimals than the currency has instead of guessing', () => {
    const e = errorOf(() => parseAmount('1.234', 'USD'))
    expect(e.code).toBe('VALIDATION')
    expect(e.field).toBe('amount')
    expect(e.message).toMatch(/at most 2 decimal places/)
  })

  it('respects each currency exponent: JPY 0, KWD 3', () => {
    expect(parseAmount('1,500', 'JPY')).toBe(1500)
    expect(errorOf(() => parseAmount('15.5', 'JPY')).code).toBe('VALIDATION')
    expect(parseAmount('1.234', 'KWD')).toBe(1234)
    expect(parseAmount('1.2', 'KWD')).toBe(1200)
    expect(errorOf(() => parseAmount('1.2345', 'KWD')).code).toBe('VALIDATION')
  })

  it('names the problem for text that is not an amount, and the field it came from', () => {
    for (const bad of ['', 'abc', '1.2.3', '12,34', '1 234,5', '--1', '1e3', 'NaN']) {
      const e = errorOf(() => parseAmount(bad, 'USD', 'paymentAmount'))
      expect(e.code, bad).toBe('VALIDATION')
      expect(e.field, bad).toBe('paymentAmount')
    }
    expect(errorOf(() => parseAmount('1', 'XYZ')).code).toBe('VALIDATION')
  })

  it('refuses amounts beyond exact integer range', () => {
    expect(errorOf(() => parseAmount('900719925474099.92', 'USD')).message).toMatch(/too large/)
  })
})

describe('formatMinor', () => {
  it('formats minor units with grouping and the currency exponent', () => {
    expect(formatMinor(123456, 'USD')).toBe('1,234.56')
    expect(formatMinor(5, 'USD')).toBe('0.05')
    expect(formatMinor(-5, 'USD')).toBe('-0.05')
    expect(formatMinor(0, 'USD')).toBe('0.00')
    expect(formatMinor(1500, 'JPY')).toBe('1,500')
    expect(formatMinor(1234, 'KWD')).toBe('1.234')
    expect(formatMinor(123456789, 'EUR', { grouping: false })).toBe('1234567.89')
  })

  it('refuses a fractional number of minor units', () => {
    expect(errorOf(() => formatMinor(1.5, 'USD')).code).toBe('INTERNAL')
  })
})

describe('divideRounded', () => {
  // 1.214 dollars is 121.4 cents = 1214 / 10 cents.
  it('rounds away from zero by default: any remainder raises the magnitude', () => {
    expect(divideRounded(1214n, 10n)).toBe(122n) // 1.214 -> 1.22
    expect(divideRounded(-1214n, 10n)).toBe(-122n) // -1.214 -> -1.22
    expect(divideRounded(1210n, 10n)).toBe(121n) // exact stays exact
    expect(divideRounded(1214n, -10n)).toBe(-122n)
    expect(divideRounded(0n, 7n)).toBe(0n)
  })

  it('offers half-up, half-even and toward-zero', () => {
    expect(divideRounded(1214n, 10n, 'toward-zero')).toBe(121n)
    expect(divideRounded(-1219n, 10n, 'toward-zero')).toBe(-121n)
    expect(divideRounded(1215n, 10n, 'half-up')).toBe(122n)
    expect(divideRounded(-1215n, 10n, 'half-up')).toBe(-122n)
    expect(divideRounded(1214n, 10n, 'half-up')).toBe(121n)
  })

  it('half-even sends ties to the even neighbour and everything else to the nearest', () => {
    expect(divideRounded(1225n, 10n, 'half-even')).toBe(122n) // 122.5 -> 122
    expect(divideRounded(1235n, 10n, 'half-even')).toBe(124n) // 123.5 -> 124
    expect(divideRounded(-1225n, 10n, 'half-even')).toBe(-122n)
    expect(divideRounded(-1235n, 10n, 'half-even')).toBe(-124n)
    expect(divideRounded(1226n, 10n, 'half-even')).toBe(123n)
    expect(divideRounded(1224n, 10n, 'half-even')).toBe(122n)
  })

  it('refuses division by zero', () => {
    expect(errorOf(() => divideRounded(1n, 0n)).code).toBe('INTERNAL')
  })

  it('never moves more than one unit from the exact quotient, in the direction each mode promises', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }), fc.bigInt({ min: 1n, max: 10n ** 6n }), (n, d) => {
        const away = divideRounded(n, d, 'away-from-zero')
        const toward = divideRounded(n, d, 'toward-zero')
        // |away| * d >= |n| and |toward| * d <= |n|, each within one unit.
        const abs = (x: bigint) => (x < 0n ? -x : x)
        expect(abs(away) * d >= abs(n)).toBe(true)
        expect(abs(toward) * d <= abs(n)).toBe(true)
        expect(abs(away - toward) <= 1n).toBe(true)
        for (const mode of ['half-up', 'half-even'] as const) {
          const r = divideRounded(n, d, mode)
          // Round to nearest: the error is at most half a unit.
          expect(abs(r * d - n) * 2n <= d).toBe(true)
        }
      })
    )
  })
})

describe('formatMinor then parseAmount', () => {
  it('round-trips every safe amount in every currency', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...CURRENCIES.map((c) => c.code)),
        fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }),
        fc.boolean(),
        (code, minor, grouping) => {
          expect(parseAmount(formatMinor(minor, code, { grouping }), code)).toBe(minor)
        }
      ),
      { numRuns: 2000 }
    )
  })
})

describe('formatMinor with a bigint (limits and sums past the safe-integer range)', () => {
  it('formats exactly, as the number form does', () => {
    expect(formatMinor(100000000n, 'USD')).toBe('1,000,000.00')
    expect(formatMinor(1_000_000_000_000_000n, 'KWD')).toBe('1,000,000,000,000.000')
    expect(formatMinor(-123456789012345678n, 'JPY')).toBe('-123,456,789,012,345,678')
    expect(formatMinor(5n, 'USD')).toBe(formatMinor(5, 'USD'))
  })
})
