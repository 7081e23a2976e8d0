import { describe, expect, it } from 'vitest'
import {
  addLocalDays,
  allowedActions,
  effectiveStatus,
  endOfLocalDay,
  localDate,
  refusalReason,
  STATUS_ACTIONS,
  type LifecycleState
} from '../../src-main/engine/lifecycle'

// Local times, so the calendar-date rules read the same in any time zone the tests run in.
const at = (y: number, mo: number, d: number, h = 12, mi = 0) => new Date(y, mo - 1, d, h, mi).toISOString()
const NOW = at(2026, 11, 21, 10)

const base = (over: Partial<LifecycleState & { reactivationDeadline: string | null }> = {}) => ({
  lifecycle: 'active' as LifecycleState['lifecycle'],
  blocked: false,
  suspended: false,
  suspensionLiftedUntil: null,
  reactivationDeadline: null,
  ...over
})

describe('effective status', () => {
  it('follows the priority Terminated > Blocked > Suspended > Active', () => {
    expect(effectiveStatus(base(), NOW)).toBe('active')
    expect(effectiveStatus(base({ suspended: true }), NOW)).toBe('suspended')
    expect(effectiveStatus(base({ suspended: true, blocked: true }), NOW)).toBe('blocked')
    for (const lifecycle of ['provisionally-terminated', 'permanently-terminated', 'exported'] as const) {
      expect(effectiveStatus(base({ lifecycle, blocked: true, suspended: true }), NOW)).toBe(lifecycle)
    }
  })

  it('a lifted suspension counts again the moment the lift ends', () => {
    const until = endOfLocalDay('2026-11-21')
    const s = base({ suspended: true, suspensionLiftedUntil: until })
    expect(effectiveStatus(s, NOW)).toBe('active')
    expect(effectiveStatus(s, new Date(Date.parse(until) - 1).toISOString())).toBe('active')
    expect(effectiveStatus(s, until)).toBe('suspended')
    // A lift does not unblock.
    expect(effectiveStatus({ ...s, blocked: true }, NOW)).toBe('blocked')
  })
})

describe('allowed status actions', () => {
  it('an active customer can be blocked, provisionally or permanently terminated, or exported', () => {
    expect(allowedActions(base(), NOW)).toEqual(['block', 'provisionally-terminate', 'permanently-terminate', 'export'])
  })

  it('blocked is reversible by hand; suspended is not, but can be lifted', () => {
    expect(allowedActions(base({ blocked: true }), NOW)).toEqual(['unblock', 'provisionally-terminate', 'permanently-terminate', 'export'])
    const suspended = base({ suspended: true })
    expect(allowedActions(suspended, NOW)).toEqual(['block', 'lift-suspension', 'provisionally-terminate', 'permanently-terminate', 'export'])
    expect(refusalReason(suspended, 'unblock', NOW)).toBe(
      'The customer is not blocked. Suspended is set by the overdue-invoice rule and cannot be cleared by hand; lift it until a date instead.'
    )
    // Blocked and suspended: unblocking leaves the suspension; the lift is still offered.
    expect(allowedActions(base({ blocked: true, suspended: true }), NOW)).toContain('lift-suspension')
    expect(allowedActions(base({ blocked: true, suspended: true }), NOW)).toContain('unblock')
  })

  it('reactivation only while provisionally terminated and before the deadline', () => {
    const pt = base({ lifecycle: 'provisionally-terminated', reactivationDeadline: at(2026, 12, 21, 10) })
    expect(allowedActions(pt, NOW)).toEqual(['reactivate', 'permanently-terminate'])
    expect(allowedActions(pt, at(2026, 12, 21, 10))).toEqual(['permanently-terminate'])
    expect(refusalReason(pt, 'reactivate', at(2026, 12, 22))).toMatch(/^The reactivation period ended on 2026-12-21 10:00/)
    expect(refusalReason(base(), 'reactivate', NOW)).toBe('Only a provisionally terminated customer can be reactivated.')
    // A blocked customer keeps the flag through provisional termination and may be unblocked.
    expect(allowedActions({ ...pt, blocked: true }, NOW)).toEqual(['unblock', 'reactivate', 'permanently-terminate'])
  })

  it('exported customers can only be cleared back to active, even when blocked', () => {
    expect(allowedActions(base({ lifecycle: 'exported' }), NOW)).toEqual(['clear-export'])
    expect(allowedActions(base({ lifecycle: 'exported', blocked: true }), NOW)).toEqual(['clear-export'])
    expect(refusalReason(base({ lifecycle: 'exported' }), 'permanently-terminate', NOW)).toBe('An exported customer cannot be terminated; clear the export first.')
    expect(refusalReason(base(), 'clear-export', NOW)).toBe('The customer is not exported.')
  })

  it('permanently terminated is final', () => {
    const gone = base({ lifecycle: 'permanently-terminated', blocked: true, suspended: true })
    expect(allowedActions(gone, NOW)).toEqual([])
    for (const a of STATUS_ACTIONS) expect(refusalReason(gone, a, NOW)).toBe('Permanently terminated customers cannot change status.')
  })

  it('every refusal says why, and nothing is both allowed and refused', () => {
    const states = [
      base(),
      base({ blocked: true }),
      base({ suspended: true }),
      base({ suspended: true, suspensionLiftedUntil: endOfLocalDay('2026-11-30') }),
      base({ lifecycle: 'provisionally-terminated', reactivationDeadline: at(2026, 12, 1) }),
      base({ lifecycle: 'exported', suspended: true })
    ]
    for (const s of states) {
      const allowed = allowedActions(s, NOW)
      for (const a of STATUS_ACTIONS) {
        const why = refusalReason(s, a, NOW)
        expect(why === null).toBe(allowed.includes(a))
        if (why !== null) expect(why).toMatch(/\.$/)
      }
    }
  })
})

describe('calendar dates in local time', () => {
  it("a lift until a day lasts to that day's local midnight", () => {
    expect(endOfLocalDay('2026-11-30')).toBe(new Date(2026, 11, 1).toISOString())
    expect(endOfLocalDay('2026-12-31')).toBe(new Date(2027, 0, 1).toISOString())
    expect(endOfLocalDay('2028-02-28')).toBe(new Date(2028, 1, 29).toISOString())
  })

  it('the reactivation period counts calendar days at the same local time of day', () => {
    expect(addLocalDays(at(2026, 11, 21, 10, 30), 30)).toBe(at(2026, 12, 21, 10, 30))
    // Across a daylight-saving change (where the zone has one) the local time stays 10:30.
    expect(addLocalDays(at(2026, 3, 20, 10, 30), 30)).toBe(at(2026, 4, 19, 10, 30))
    expect(localDate(at(2026, 3, 20, 23, 59))).toBe('2026-03-20')
    expect(localDate(at(2026, 3, 21, 0, 0))).toBe('2026-03-21')
  })
})
