/**
 * The usage browser's address (src-renderer/src/usage/usage-address.ts): filters survive a round
 * trip through the address, a parameter the contract would reject is left out, and whole UTC days
 * become the engine's instants with `to` exclusive.
 */
import { describe, expect, it } from 'vitest'
import { monthPeriod, parseUsageView, usageFilterOf, usageSearch } from '../../src-renderer/src/usage/usage-address'

describe('usage browser address', () => {
  it('round-trips every filter', () => {
    const view = {
      customerId: 12,
      account: 'ECL-BOOTH-02',
      from: '2026-03-01',
      to: '2026-03-31',
      serviceId: 3,
      rating: 'unrated' as const,
      unratedReason: 'no-price-list' as const,
      destination: '+44',
      includeTransactions: true
    }
    const text = usageSearch(view)
    expect(text).toBe('customer=12&account=ECL-BOOTH-02&from=2026-03-01&to=2026-03-31&service=3&rating=unrated&reason=no-price-list&dest=%2B44&money=1')
    expect(parseUsageView(new URLSearchParams(text))).toEqual(view)
    expect(usageSearch(view, { withoutCustomer: true })).not.toContain('customer=')
  })

  it('leaves out what the contract would reject', () => {
    const v = parseUsageView(new URLSearchParams('customer=abc&from=2026-02-30&to=yesterday&service=-1&rating=maybe&reason=bogus&dest=44%20OR%201&money=yes'))
    expect(v).toEqual({})
  })

  it('turns whole UTC days into instants, the last day included', () => {
    expect(usageFilterOf({ from: '2026-02-01', to: '2026-02-28', destination: '+4420' })).toEqual({
      includeTransactions: false,
      from: '2026-02-01T00:00:00Z',
      to: '2026-03-01T00:00:00Z',
      destination: '+4420'
    })
    expect(usageFilterOf({ to: '2026-12-31' }).to).toBe('2027-01-01T00:00:00Z')
    expect(monthPeriod('2028-02')).toEqual({ from: '2028-02-01', to: '2028-02-29' })
    expect(monthPeriod('2026-12')).toEqual({ from: '2026-12-01', to: '2026-12-31' })
  })
})
