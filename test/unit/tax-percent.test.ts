import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { formatPercent, parsePercent } from '../../src-shared/percent'

/** The renderer's percent <-> ppm conversion for tax rates: exact, string-based, no floats. */
describe('tax rate percent <-> ppm', () => {
  it('parses what people type into exact parts per million', () => {
    const ppm = (t: string) => {
      const r = parsePercent(t)
      if (!r.ok) throw new Error(r.message)
      return r.ppm
    }
    expect(ppm('23')).toBe(230_000)
    expect(ppm('23.5')).toBe(235_000)
    expect(ppm('8.25')).toBe(82_500)
    expect(ppm('0.0001')).toBe(1)
    expect(ppm(' 7,5 % ')).toBe(75_000)
    expect(ppm('100')).toBe(1_000_000)
    expect(ppm('0')).toBe(0)
    // 0.1 + 0.2 style float traps do not apply: 0.3 is exactly 3000 ppm.
    expect(ppm('0.3')).toBe(3_000)
    expect(ppm('14.35')).toBe(143_500)
  })

  it('refuses what is not an exact percentage', () => {
    for (const bad of ['', 'abc', '-5', '23.00001', '100.5', '1e2', '23..5', '1000']) {
      expect(parsePercent(bad).ok, bad).toBe(false)
    }
  })

  it('formats ppm without trailing zeros, and round-trips every valid rate', () => {
    expect(formatPercent(230_000)).toBe('23')
    expect(formatPercent(82_500)).toBe('8.25')
    expect(formatPercent(1)).toBe('0.0001')
    expect(formatPercent(0)).toBe('0')
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), (ppm) => {
        const back = parsePercent(formatPercent(ppm))
        return back.ok && back.ppm === ppm
      })
    )
  })
})
