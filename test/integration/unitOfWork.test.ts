/**
 * The unit of work (src-main/engine/unitOfWork.ts, Engine.change): every row and audit entry of a
 * change commits together with one timestamp, a change that throws leaves nothing behind (not even
 * its audit entries), and a committed change is still there when the data folder is reopened.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openBillingApp } from '../../src-main/app'
import { ADMIN_ACTOR, openTestDesk, type TestDesk } from '../support/desk'
import { tmpDataDir } from '../support/tmp'
import { TEST_ADMIN } from '../support/operators'

const counts = (desk: TestDesk) =>
  desk.app.core.engine.read((r) => ({
    audit: r.get<{ n: number }>('SELECT count(*) AS n FROM audit_log')!.n,
    services: r.get<{ n: number }>('SELECT count(*) AS n FROM services')!.n,
    company: r.get<{ company_name: string }>('SELECT company_name FROM settings WHERE id = 1')!.company_name
  }))

describe('Engine.change', () => {
  let desk: TestDesk
  beforeAll(async () => {
    desk = await openTestDesk()
  })
  afterAll(async () => {
    await desk.close()
  })

  it('commits the rows and the audit entries that explain them with one timestamp and the acting operator', () => {
    const before = counts(desk)
    const at = desk.app.core.engine.change(ADMIN_ACTOR, (w) => {
      w.run("UPDATE settings SET company_name = 'Renamed in a unit of work' WHERE id = 1")
      w.audit({ kind: 'test.one', description: 'first entry' })
      w.audit({ kind: 'test.two', description: 'second entry' })
      return w.at
    })
    expect(at).toBe(new Date(desk.app.core.engine.now()).toISOString())
    const after = counts(desk)
    expect(after).toEqual({ ...before, audit: before.audit + 2, company: 'Renamed in a unit of work' })
    const entries = desk.app.core.engine.read((r) =>
      r.all<{ kind: string; at: string; operator_name: string }>("SELECT kind, at, operator_name FROM audit_log WHERE kind LIKE 'test.%' ORDER BY id")
    )
    expect(entries).toEqual([
      { kind: 'test.one', at, operator_name: 'Administrator' },
      { kind: 'test.two', at, operator_name: 'Administrator' }
    ])
  })

  it('a change that throws halfway leaves nothing: no rows, no audit entries, and the error reaches the caller', () => {
    const before = counts(desk)
    expect(() =>
      desk.app.core.engine.change(ADMIN_ACTOR, (w) => {
        w.run("UPDATE settings SET company_name = 'Half-done' WHERE id = 1")
        w.insert("INSERT INTO services (code, name, kind) VALUES ('half-done', 'Half-done service', 'voice')")
        w.audit({ kind: 'test.half', description: 'written before the failure' })
        throw new Error('the operator pulled the plug')
      })
    ).toThrow('the operator pulled the plug')
    expect(counts(desk)).toEqual(before)
    expect(desk.app.core.engine.read((r) => r.get("SELECT 1 AS found FROM audit_log WHERE kind = 'test.half'"))).toBeUndefined()
  })

  it('a statement the database refuses (an audit entry edited) rolls back the whole change', () => {
    const before = counts(desk)
    expect(() =>
      desk.app.core.engine.change(ADMIN_ACTOR, (w) => {
        w.run("UPDATE settings SET company_name = 'Never saved' WHERE id = 1")
        w.run("UPDATE audit_log SET description = 'rewritten history' WHERE id = 1")
      })
    ).toThrow(/append-only/)
    expect(counts(desk)).toEqual(before)
  })

  it('the desk keeps working after a failed change', async () => {
    const settings = await desk.ok('settings.update', { companyName: 'After the failure', address: '' })
    expect(settings.companyName).toBe('After the failure')
  })
})

it('a committed change survives closing and reopening the data folder (a crash right after commit: test/integration/crash.test.ts)', async () => {
  const dataDir = tmpDataDir('uow-')
  const open = () => openBillingApp({ dataDir, now: () => Date.parse('2026-11-21T10:00:00Z'), log: () => {}, dailyBackupDelayMs: 3_600_000 })
  const app = await open()
  await app.dispatch(
    'setup.complete',
    { companyName: 'Durable Callshop', address: '', defaultCurrency: 'USD', loadDemoData: false, ...TEST_ADMIN },
    { transport: 'test' }
  )
  app.core.engine.change(ADMIN_ACTOR, (w) => w.audit({ kind: 'test.durable', description: 'committed before close' }))
  await app.close()

  const reopened = await open()
  try {
    expect(reopened.core.engine.read((r) => r.get<{ description: string }>("SELECT description FROM audit_log WHERE kind = 'test.durable'"))).toEqual({
      description: 'committed before close'
    })
  } finally {
    await reopened.close()
  }
})
