/**
 * The audit log's address (src-renderer/src/audit/audit-address.ts): filters survive a round trip
 * through the address, a parameter the contract would reject is left out, the customer is left
 * out on a customer's tab, and whole UTC days become the engine's instants with `to` exclusive.
 */
import { describe, expect, it } from 'vitest'
import { auditFilterOf, auditSearch, parseAuditView } from '../../src-renderer/src/audit/audit-address'

describe('audit log address', () => {
  it('round-trips every filter', () => {
    const view = { from: '2026-10-01', to: '2026-10-31', customerId: 12, kind: 'invoice.status', operatorId: 2, text: 'overdue & paid' }
    const search = auditSearch(view)
    expect(search).toBe('from=2026-10-01&to=2026-10-31&customer=12&kind=invoice.status&operator=2&q=overdue+%26+paid')
    expect(parseAuditView(new URLSearchParams(search))).toEqual(view)
    expect(auditSearch(view, { withoutCustomer: true })).not.toContain('customer=')
  })

  it('leaves out what the contract would refuse', () => {
    const v = parseAuditView(new URLSearchParams('from=2026-02-30&to=yesterday&customer=abc&operator=0&kind=' + 'k'.repeat(65) + '&q=' + 'x'.repeat(101)))
    expect(v).toEqual({})
  })

  it('turns whole UTC days into instants, the last day included', () => {
    expect(auditFilterOf({ from: '2026-10-01', to: '2026-10-31', text: 'x' })).toEqual({ from: '2026-10-01T00:00:00Z', to: '2026-11-01T00:00:00Z', text: 'x' })
    expect(auditFilterOf({ to: '2026-12-31' })).toEqual({ to: '2027-01-01T00:00:00Z' })
    expect(auditFilterOf({})).toEqual({})
  })
})
