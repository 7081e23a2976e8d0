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
    expect(await desk.ok('audit.verify', {})).toEqual({ ok: true, checked: n, firstBrokenId: null, message: `All ${n} audit entries are intact.` })
  })

  it('names the first entry whose content was altered, and counts the intact ones before it', async () => {
    tamper("UPDATE audit_log SET description = 'Nothing happened here.' WHERE id = 3")
    tamper("UPDATE audit_log SET description = 'Nor here.' WHERE id = 4")
    expect(await desk.ok('audit.verify', {})).toEqual({ ok: false, checked: 2, firstBrokenId: 3, message: 'Audit entry 3: its content was altered.' })
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
