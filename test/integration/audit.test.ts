/**
 * The audit trail (src-main/engine/audit.ts): entries are chained by hash, `audit.verify` walks
 * the chain and names the first broken entry (altered content, broken link, missing entry), the
 * log is append-only, `audit.list` pages newest first, and the wording of value changes.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { describeAmountChange, describeValueChange } from '../../src-main/engine/audit'
import { ADMIN_ACTOR, openTestDesk, type TestDesk } from '../support/desk'

let desk: TestDesk
beforeEach(async () => {
  desk = await openTestDesk()
  // A few real changes, so the chain has entries after setup's.
  for (const companyName of ['Audit One', 'Audit Two', 'Audit Three']) await desk.ok('settings.update', { companyName, address: '' })
})
afterEach(async () => {
  await desk.close()
})

const entryCount = () => desk.app.core.engine.read((r) => r.get<{ n: number }>('SELECT count(*) AS n FROM audit_log')!.n)

/** What someone editing the database file outside the app could do: the append-only triggers are dropped first. */
function tamper(sql: string, params: (string | number)[] = []) {
  desk.app.core.engine.change(ADMIN_ACTOR, (w) => {
    w.run('DROP TRIGGER IF EXISTS audit_log_no_update')
    w.run('DROP TRIGGER IF EXISTS audit_log_no_delete')
    w.run(sql, params)
  })
}

describe('audit.verify', () => {
  it('reports an intact chain with the number of entries checked', async () => {
    const n = entryCount()
    expect(n).toBeGreaterThanOrEqual(4)
    expect(await desk.ok('audit.verify', {})).toEqual({ ok: true, checked: n, firstBrokenId: null, firstBrokenAt: null, message: `All ${n} audit entries are intact.` })
  })

  it('names the first entry whose content was altered, and counts the intact ones before it', async () => {
    tamper("UPDATE audit_log SET description = 'Nothing happened here.' WHERE id = 3")
    tamper("UPDATE audit_log SET description = 'Nor here.' WHERE id = 4")
    const third = desk.app.core.engine.read((r) => r.get<{ at: string }>('SELECT at FROM audit_log WHERE id = 3')!.at)
    expect(await desk.ok('audit.verify', {})).toEqual({
      ok: false,
      checked: 2,
      firstBrokenId: 3,
      firstBrokenAt: third,
      message: 'Audit entry 3: its content was altered.'
    })
  })

  it('names an entry whose link to its predecessor was rewritten (with a matching hash of its own)', async () => {
    // Recomputing the hash is not enough: the link to entry 1 still has to hold.
    tamper('UPDATE audit_log SET prev_hash = ? WHERE id = 2', ['f'.repeat(64)])
    expect(await desk.ok('audit.verify', {})).toMatchObject({ ok: false, firstBrokenId: 2, message: 'Audit entry 2: its link to the previous entry is broken.' })
  })

  it('notices a deleted entry', async () => {
    tamper('DELETE FROM audit_log WHERE id = 2')
    expect(await desk.ok('audit.verify', {})).toMatchObject({ ok: false, checked: 1, firstBrokenId: 3, message: 'Audit entry 3: entry 2 is missing.' })
  })
})

it('the log is append-only: editing or deleting an entry inside the app is refused and changes nothing', async () => {
  const n = entryCount()
  for (const sql of ["UPDATE audit_log SET description = 'x' WHERE id = 1", 'DELETE FROM audit_log WHERE id = 1']) {
    expect(() => desk.app.core.engine.change(ADMIN_ACTOR, (w) => w.run(sql))).toThrow(/append-only/)
  }
  expect(entryCount()).toBe(n)
  expect((await desk.ok('audit.verify', {})).ok).toBe(true)
})

it('audit.list pages newest first, with who and what', async () => {
  const page1 = await desk.ok('audit.list', { limit: 2 })
  expect(page1.map((e) => e.description)).toEqual(['Company name changed from "Audit Two" to "Audit Three".', 'Company name changed from "Audit One" to "Audit Two".'])
  expect(page1[0]).toMatchObject({ operatorName: 'Administrator', kind: 'settings.change', customerId: null })
  const page2 = await desk.ok('audit.list', { limit: 1, beforeId: page1[1]!.id })
  expect(page2.map((e) => e.description)).toEqual(['Company name changed from "Test Callshop" to "Audit One".'])
})

it('describes value and money changes in the words the audit log shows', () => {
  expect(describeValueChange('Phone', '', '555-0100')).toBe('Phone changed from (empty) to "555-0100".')
  expect(describeValueChange('Phone', '555-0100', null)).toBe('Phone changed from "555-0100" to (empty).')
  expect(describeAmountChange('Balance', 4000, -9500, 'USD')).toBe('Balance changed from 40.00 to -95.00 (decreased by 135.00).')
  expect(describeAmountChange('Balance', 100, 250, 'JPY')).toBe('Balance changed from 100 to 250 (increased by 150).')
  expect(describeAmountChange('Credit limit', 500, 500, 'USD')).toBe('Credit limit unchanged at 5.00.')
})

describe('audit.search, audit.exportCsv and audit.facets (the log screens, issue 12)', () => {
  let clock = Date.parse('2026-10-01T09:00:00Z')
  let d: TestDesk
  let alpha: number
  let beta: number
  beforeEach(async () => {
    clock = Date.parse('2026-10-01T09:00:00Z')
    d = await openTestDesk({ now: () => clock })
    const create = (customerId: string) =>
      d.ok('customers.create', { customerId, companyName: `${customerId} Ltd`, balanceControl: 'postpaid', currency: 'USD', classId: null, creditLimit: null })
    alpha = (await create('alpha')).id
    clock = Date.parse('2026-10-15T09:00:00Z')
    beta = (await create('beta')).id
    clock = Date.parse('2026-11-02T09:00:00Z')
    await d.ok('settings.update', { companyName: 'Search Callshop', address: '' })
  })
  afterEach(async () => {
    await d.close()
  })

  const all = async (input: Parameters<typeof d.ok<'audit.search'>>[1]) => {
    const out: { id: number; kind: string; customerName: string | null; at: string; description: string }[] = []
    let beforeId: number | undefined
    for (;;) {
      const page = await d.ok('audit.search', { ...input, ...(beforeId ? { beforeId } : {}) })
      out.push(...page.entries)
      if (page.next === null) return out
      beforeId = page.next
    }
  }

  it('filters by customer, kind, operator and date range, newest first, a page at a time', async () => {
    const everything = await all({ limit: 2 })
    expect(everything.map((e) => e.id)).toEqual([...everything.map((e) => e.id)].sort((a, b) => b - a))
    expect(everything.length).toBe(d.app.core.engine.read((r) => r.get<{ n: number }>('SELECT count(*) AS n FROM audit_log')!.n))

    const ofAlpha = await all({ customerId: alpha, limit: 1 })
    expect(ofAlpha.length).toBeGreaterThan(0)
    expect(ofAlpha.every((e) => e.customerName === 'alpha')).toBe(true)

    const october = await all({ from: '2026-10-01T00:00:00Z', to: '2026-11-01T00:00:00Z', limit: 100 })
    expect(october.length).toBeGreaterThan(0)
    expect(october.every((e) => e.at >= '2026-10-01' && e.at < '2026-11-01')).toBe(true)
    expect(october.some((e) => e.kind === 'settings.change')).toBe(false)

    const betaInOctober = await all({ customerId: beta, from: '2026-10-10T00:00:00+02:00', to: '2026-10-31T00:00:00Z', limit: 100 })
    expect(betaInOctober.map((e) => e.customerName)).toEqual(betaInOctober.map(() => 'beta'))
    expect(await all({ customerId: alpha, from: '2026-10-10T00:00:00Z', limit: 100 })).toEqual([])

    const settings = await all({ kind: 'settings.change', limit: 100 })
    expect(settings.map((e) => e.description)).toEqual(['Company name changed from "Test Callshop" to "Search Callshop".'])
    expect((await all({ operatorId: 1, limit: 500 })).length).toBe(everything.length)
    expect(await all({ operatorId: 99, limit: 500 })).toEqual([])
  })

  it('free text looks through a bounded slice of the log per request and says where to go on', async () => {
    const found = await d.ok('audit.search', { text: 'search callshop', limit: 100 })
    expect(found.entries.map((e) => e.kind)).toEqual(['settings.change'])
    // A text no entry has: each request reads a bounded window; following `next` ends.
    expect((await all({ text: 'no such words', limit: 100 })).length).toBe(0)
    // Wildcards are taken literally.
    expect((await d.ok('audit.search', { text: '%', limit: 100 })).entries).toEqual([])
  })

  it('exports the filtered view as CSV in chunks, the header once', async () => {
    const first = await d.ok('audit.exportCsv', { chunkRows: 2 })
    expect(first.csv.startsWith('\uFEFFEntry,Time (UTC),Operator,Customer,Kind,Description,Source\r\n')).toBe(true)
    expect(first.rows).toBe(2)
    expect(first.newestId).toBeGreaterThan(first.oldestId)
    let next = first.next
    let csv = first.csv
    while (next !== null) {
      const chunk = await d.ok('audit.exportCsv', { chunkRows: 2, beforeId: next })
      expect(chunk.csv.includes('Entry,Time')).toBe(false)
      csv += chunk.csv
      next = chunk.next
    }
    const lines = csv.trim().split('\r\n')
    expect(lines.length - 1).toBe(first.newestId - first.oldestId + 1)
    const onlySettings = await d.ok('audit.exportCsv', { kind: 'settings.change' })
    expect(onlySettings.rows).toBe(1)
    expect(onlySettings.csv).toContain('"Company name changed from ""Test Callshop"" to ""Search Callshop""."')
  })

  it('offers the kinds written so far and the operators as filters', async () => {
    const facets = await d.ok('audit.facets', {})
    expect(facets.kinds).toEqual([...new Set(facets.kinds)].sort())
    expect(facets.kinds).toEqual(expect.arrayContaining(['settings.change', 'setup']))
    // The System (operator 0) makes the timed work's entries: it can be filtered on too.
    expect(facets.operators).toEqual([
      { id: 1, name: 'Administrator' },
      { id: 0, name: 'System' }
    ])
  })

  it('records each verification: Settings reads when and what was found', async () => {
    expect(await d.ok('audit.lastVerification', {})).toEqual({ last: null })
    clock = Date.parse('2026-11-03T08:00:00Z')
    const result = await d.ok('audit.verify', {})
    expect(await d.ok('audit.lastVerification', {})).toEqual({
      last: { at: '2026-11-03T08:00:00.000Z', operatorName: 'Administrator', via: 'app', ok: true, checked: result.checked, firstBrokenId: null, message: result.message }
    })
    const [entry] = (await d.ok('audit.search', { kind: 'audit.verify', limit: 1 })).entries
    expect(entry?.description).toBe(`Audit log verified in the app: All ${result.checked} audit entries are intact.`)
  })
})

it('hashes an entry exactly as entries already on disk were hashed (predecessor, newline, content)', async () => {
  const { createHash } = await import('node:crypto')
  const { hashEntry } = await import('../../src-main/engine/audit')
  const e = {
    id: 7,
    at: '2026-10-01T09:00:00.000Z',
    operator_id: 1,
    operator_name: 'Administrator',
    customer_id: 3,
    kind: 'customer.balance',
    field: 'balance',
    from_value: '1000',
    to_value: '7000',
    description: 'Unallocated payments changed from 10.00 to 70.00 (increased by 60.00). Zażółć',
    source_kind: 'customer payment transaction',
    source_id: 2204,
    prev_hash: 'ab'.repeat(32)
  }
  const content = JSON.stringify([
    e.id,
    e.at,
    e.operator_id,
    e.operator_name,
    e.customer_id,
    e.kind,
    e.field,
    e.from_value,
    e.to_value,
    e.description,
    e.source_kind,
    e.source_id
  ])
  expect(hashEntry(e)).toBe(createHash('sha256').update(e.prev_hash).update('\n').update(content).digest('hex'))
})

it('verifies entries whose text has quotes, backslashes, control characters and any script, as written', async () => {
  const weird = 'Quote " backslash \\ newline \n tab \t bell \u0007 delete \u007f Zażółć 東京 😀 \u2028'
  desk.app.core.engine.change(ADMIN_ACTOR, (w) => {
    w.audit({ kind: 'test.text', description: weird, from: '\u0000', to: 'x' })
  })
  expect(await desk.ok('audit.verify', {})).toMatchObject({ ok: true })
  tamper("UPDATE audit_log SET description = 'plain' WHERE kind = 'test.text'")
  expect(await desk.ok('audit.verify', {})).toMatchObject({ ok: false, message: expect.stringMatching(/its content was altered/) })
})
