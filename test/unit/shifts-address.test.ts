/**
 * The All shifts list's address (src-renderer/src/shifts/shifts-address.ts): status, "only with a
 * difference", the opened-from/to days and the page round-trip through the query string; other
 * parameters are kept; a value the contract would reject is left out.
 */
import { describe, expect, it } from 'vitest'
import { parseShiftsView, shiftFilterOf, withShiftsView } from '../../src-renderer/src/shifts/shifts-address'

describe('all shifts address', () => {
  it('round-trips every filter and the page, keeping other parameters', () => {
    const view = { status: 'closed' as const, withDifference: true, from: '2026-11-01', to: '2026-11-30', page: 2 }
    const params = withShiftsView(new URLSearchParams('adjust=4'), view)
    expect(params.toString()).toBe('adjust=4&status=closed&diff=1&from=2026-11-01&to=2026-11-30&page=2')
    expect(parseShiftsView(params)).toEqual(view)
    expect(shiftFilterOf(view)).toEqual({ status: 'closed', withDifference: true, from: '2026-11-01', to: '2026-11-30' })
  })

  it('leaves out what is not set, and what the contract would refuse', () => {
    expect(withShiftsView(new URLSearchParams('status=open&page=3'), { page: 0 }).toString()).toBe('')
    expect(parseShiftsView(new URLSearchParams('status=all&diff=yes&from=2026-02-30&to=tomorrow&page=-1'))).toEqual({})
    expect(shiftFilterOf({})).toEqual({ status: 'all', withDifference: false })
  })
})
