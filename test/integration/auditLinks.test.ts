/**
 * The links of audit entries (issue 12 item 2, src-main/engine/auditLinks.ts): each names a record
 * that exists, and src-shared/auditLinks.ts opens the screen that shows it.
 */
import { describe, expect, it } from 'vitest'
import { auditLinkHref } from '../../src-shared/auditLinks'
import { ADMIN_ACTOR } from '../support/desk'
import { rerateMarch, sourceStory } from '../support/invoiceWorld'
import { usageWorld } from '../support/usageWorld'

describe('audit entry links', () => {
  it('each kind of link names a record that exists, and opens the screen that shows it', async () => {
    const { w, id, invoiceId } = await sourceStory()
    const u = await usageWorld(w)
    await rerateMarch(w, u.klass.id)
    // A re-rating run that changed nothing names the run itself.
    w.app.core.engine.change(ADMIN_ACTOR, (x) => x.audit({ kind: 'usage.import', description: 'Usage import test.', source: { kind: 'usage-import', id: 1 } }))
    const entries = (await w.ok('audit.search', { limit: 500 })).entries
    const all = entries.flatMap((e) => e.links)
    const byKind = new Map(all.map((l) => [l.kind, l]))
    const exists = (sql: string, ref: number) => w.app.core.engine.read((r) => r.get(sql, [ref]) !== undefined)
    expect(byKind.get('customer')).toBeDefined()
    expect(exists('SELECT 1 AS x FROM customers WHERE id = ?', byKind.get('customer')!.id)).toBe(true)
    expect(auditLinkHref({ kind: 'customer', id, customerId: id, label: '' })).toBe(`#/customers/${id}`)
    const inv = all.find((l) => l.kind === 'invoice')!
    expect([inv.id, inv.label, auditLinkHref(inv)]).toEqual([invoiceId, 'Invoice INV-000001', `#/invoices?invoice=${invoiceId}`])
    const xdr = all.find((l) => l.kind === 'xdr')!
    expect(exists('SELECT 1 AS x FROM xdrs WHERE id = ?', xdr.id)).toBe(true)
    const day = w.app.core.engine.read((r) => r.get<{ started_at: string }>('SELECT started_at FROM xdrs WHERE id = ?', [xdr.id])!.started_at.slice(0, 10))
    expect(auditLinkHref(xdr)).toBe(`#/usage?customer=${xdr.customerId}&from=${day}&to=${day}&money=1`)
    const list = all.find((l) => l.kind === 'priceList')!
    expect(list.id).toBe(u.list.id)
    expect(auditLinkHref(list)).toBe(`#/pricelists?list=${u.list.id}`)
    const run = all.find((l) => l.kind === 'rerating')
    if (run) {
      expect(exists('SELECT 1 AS x FROM reratings WHERE id = ?', run.id)).toBe(true)
      expect(auditLinkHref(run)).toBe(`#/rerating?run=${run.id}`)
    }
    // A source that names no record (no usage import 1 here) gives no link.
    expect(all.some((l) => l.kind === 'usageImport')).toBe(false)
    // The invoice's events carry the same links.
    const events = await w.ok('invoices.events', { invoiceId })
    expect(events.every((e) => e.links.some((l) => l.kind === 'invoice' && l.id === invoiceId))).toBe(true)
    await w.close()
  })
})
