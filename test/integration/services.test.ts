/**
 * Services: the default set a first run creates (so Manual charge and Manual credit work without
 * demo data), creating, renaming, re-kinding, disabling and enabling them through the channels,
 * the protected Credits / Promotions service, the audit entries, and the migration of data
 * folders written before services had a disabled flag.
 */
import { describe, expect, it } from 'vitest'
import { openBillingApp } from '../../src-main/app'
import { migrate, MIGRATIONS } from '../../src-main/db/migrate'
import { loadSqlJs } from '../../src-main/db/sqljs'
import { contract, type Channel, type InputOf, type ResultOf } from '../../src-shared/contract'
import type { IpcResponse } from '../../src-shared/errors'
import { tmpDataDir } from '../support/tmp'
import { TEST_ADMIN } from '../support/operators'

const NOW = Date.parse('2026-11-21T10:00:00Z')

async function open(dataDir: string) {
  const app = await openBillingApp({ dataDir, now: () => NOW, log: () => {}, dailyBackupDelayMs: 3_600_000 })
  const call = async <C extends Channel>(channel: C, input: InputOf<C>) => (await app.dispatch(channel, input, { transport: 'test' })) as IpcResponse<ResultOf<C>>
  const ok = async <C extends Channel>(channel: C, input: InputOf<C>): Promise<ResultOf<C>> => {
    const res = await call(channel, input)
    if (!res.ok) throw new Error(`${channel}: ${res.error.code} ${res.error.message}`)
    return res.value
  }
  /** The refusal a call got (fails the test if it was accepted). */
  const refused = async <C extends Channel>(channel: C, input: InputOf<C>) => {
    const res = await call(channel, input)
    if (res.ok) throw new Error(`${channel} was accepted: ${JSON.stringify(input)}`)
    return res.error
  }
  /** Audit entries after `afterId` as stored (with the changed field and its values), oldest first. */
  const auditAfter = (afterId: number) =>
    app.core.engine.read((r) =>
      r.all<{ kind: string; field: string | null; from_value: string | null; to_value: string | null; description: string }>(
        'SELECT kind, field, from_value, to_value, description FROM audit_log WHERE id > ? ORDER BY id',
        [afterId]
      )
    )
  return { app, call, ok, refused, auditAfter }
}

/** A fresh install: first-run setup without demo data. */
async function freshDesk() {
  const dataDir = tmpDataDir()
  const d = await open(dataDir)
  await d.ok('setup.complete', { companyName: 'Fresh Callshop', address: '', defaultCurrency: 'USD', loadDemoData: false, ...TEST_ADMIN })
  return { ...d, dataDir }
}

let keySeq = 0
const key = () => `services-key-${String(++keySeq).padStart(8, '0')}`

describe('services on a fresh install', () => {
  it('first run creates a default set, so a manual charge and a manual credit work without demo data', async () => {
    const { app, ok } = await freshDesk()
    const all = await ok('services.listAll', {})
    expect(all.map((s) => [s.name, s.kind, s.disabled])).toEqual([
      ['Credits / Promotions', 'credits', false],
      ['Fees', 'fees', false],
      ['International calls', 'voice', false],
      ['Monthly subscription', 'subscription', false],
      ['Phone cards & goods', 'goods', false],
      ['SMS', 'messaging', false],
      ['Voice calls', 'voice', false]
    ])
    expect(all.filter((s) => s.builtIn).map((s) => s.name)).toEqual(['Credits / Promotions'])
    // Each default service is one audit entry of the setup's unit of work.
    const audit = await ok('audit.list', {})
    expect(audit.filter((a) => a.kind === 'service.create').map((a) => a.description)).toContain('Service "Voice calls" created (kind: Voice).')

    const c = await ok('customers.create', { customerId: 'walkin', companyName: '', balanceControl: 'postpaid', currency: 'USD', classId: null, creditLimit: null })
    const wizardServices = await ok('services.list', {})
    const voice = wizardServices.find((s) => s.name === 'Voice calls')!
    const charge = await ok('adjustments.submit', { customerId: c.id, operation: 'manual-charge', amount: '7.00', serviceId: voice.id, operationKey: key() })
    expect(charge.serviceName).toBe('Voice calls')
    const fees = wizardServices.find((s) => s.name === 'Fees')!
    await ok('adjustments.submit', { customerId: c.id, operation: 'manual-credit', amount: '2.50', serviceId: fees.id, operationKey: key() })
    expect((await ok('customers.get', { id: c.id })).balanceMinor).toBe(450)
    await app.close()
  })

  it('with demo data the demo usage is booked to the default services, without duplicates', async () => {
    const dataDir = tmpDataDir()
    const { app, ok } = await open(dataDir)
    await ok('setup.complete', { companyName: 'Demo Callshop', address: '', defaultCurrency: 'USD', loadDemoData: true, ...TEST_ADMIN })
    const all = await ok('services.listAll', {})
    expect(all.map((s) => s.name)).toEqual(['Credits / Promotions', 'Fees', 'International calls', 'Monthly subscription', 'Phone cards & goods', 'SMS', 'Voice calls'])
    const used = app.core.engine.read((r) =>
      r.all<{ name: string }>("SELECT DISTINCT s.name FROM xdrs x JOIN services s ON s.id = x.service_id WHERE x.kind = 'usage' ORDER BY s.name")
    )
    expect(used.map((u) => u.name)).toEqual(['SMS', 'Voice calls'])
    await app.close()
  })
})

describe('creating and changing services', () => {
  it('creates a service that the wizard then offers; names are unique whatever their case', async () => {
    const { app, ok, refused } = await freshDesk()
    const made = await ok('services.create', { name: 'Printing', kind: 'fees' })
    expect(made).toMatchObject({ name: 'Printing', kind: 'fees', disabled: false, builtIn: false })
    expect((await ok('services.list', {})).map((s) => s.name)).toContain('Printing')
    const audit = await ok('audit.list', { limit: 1 })
    expect(audit[0]).toMatchObject({ kind: 'service.create', description: 'Service "Printing" created (kind: Fees).' })

    for (const name of ['printing', 'VOICE CALLS', '  Sms ', 'credits / promotions']) {
      const err = await refused('services.create', { name, kind: 'voice' })
      expect(err).toMatchObject({ code: 'CONFLICT', field: 'name' })
      expect(err.message).toMatch(/already exists/)
    }
    expect(await refused('services.create', { name: '   ', kind: 'voice' })).toMatchObject({ code: 'VALIDATION', field: 'name' })
    expect(await refused('services.create', { name: 'Telex', kind: 'credits' as never })).toMatchObject({ code: 'VALIDATION', field: 'kind' })
    expect(await refused('services.update', { id: made.id, name: 'Voice Calls', kind: 'fees', disabled: false })).toMatchObject({ code: 'CONFLICT', field: 'name' })
    expect(await refused('services.update', { id: 9999, name: 'Nothing', kind: 'fees', disabled: false })).toMatchObject({ code: 'NOT_FOUND', field: 'id' })
    // Refusals wrote nothing.
    expect((await ok('audit.list', { limit: 1 }))[0]!.description).toBe('Service "Printing" created (kind: Fees).')
    expect((await ok('services.listAll', {})).length).toBe(8)
    await app.close()
  })

  it('renames and re-kinds a service with one audit entry per change; records show the new name', async () => {
    const { app, ok, auditAfter } = await freshDesk()
    const c = await ok('customers.create', { customerId: 'kiosk', companyName: '', balanceControl: 'prepaid', currency: 'USD', classId: null, creditLimit: null })
    const goods = (await ok('services.list', {})).find((s) => s.name === 'Phone cards & goods')!
    const charge = await ok('adjustments.submit', { customerId: c.id, operation: 'manual-charge', amount: '10', serviceId: goods.id, operationKey: key() })
    const auditBefore = (await ok('audit.list', { limit: 1 }))[0]!.id

    const renamed = await ok('services.update', { id: goods.id, name: 'Top-up cards', kind: 'fees', disabled: false })
    expect(renamed).toMatchObject({ id: goods.id, name: 'Top-up cards', kind: 'fees', disabled: false })
    expect(auditAfter(auditBefore).map((a) => [a.kind, a.field, a.from_value, a.to_value, a.description])).toEqual([
      ['service.change', 'name', 'Phone cards & goods', 'Top-up cards', 'Service "Phone cards & goods": name changed from "Phone cards & goods" to "Top-up cards".'],
      ['service.change', 'kind', 'goods', 'fees', 'Service "Top-up cards": kind changed from "One-off goods" to "Fees".']
    ])
    // Saving without a change writes nothing.
    await ok('services.update', { id: goods.id, name: 'Top-up cards', kind: 'fees', disabled: false })
    expect(auditAfter(auditBefore)).toHaveLength(2)
    // A change of case only is a rename of the same service, not a clash with itself.
    await ok('services.update', { id: goods.id, name: 'Top-Up Cards', kind: 'fees', disabled: false })
    const txs = await ok('ledger.transactions', { customerId: c.id })
    expect(txs.find((t) => t.xdrId === charge.xdrId)!.serviceName).toBe('Top-Up Cards')
    await app.close()
  })

  it('a disabled service is not offered for new charges or credits, and old records keep its name', async () => {
    const { app, ok, refused, auditAfter } = await freshDesk()
    const c = await ok('customers.create', { customerId: 'booth7', companyName: '', balanceControl: 'postpaid', currency: 'USD', classId: null, creditLimit: null })
    const intl = (await ok('services.list', {})).find((s) => s.name === 'International calls')!
    const charge = await ok('adjustments.submit', { customerId: c.id, operation: 'manual-charge', amount: '3.20', serviceId: intl.id, operationKey: key() })

    const auditBefore = (await ok('audit.list', { limit: 1 }))[0]!.id
    const disabled = await ok('services.update', { id: intl.id, name: 'International calls', kind: 'voice', disabled: true })
    expect(disabled.disabled).toBe(true)
    expect(auditAfter(auditBefore)).toEqual([
      {
        kind: 'service.change',
        field: 'disabled',
        from_value: 'Active',
        to_value: 'Disabled',
        description:
          'Service "International calls": status changed from "Active" to "Disabled". It is no longer offered for new charges and credits; existing records keep it.'
      }
    ])
    expect((await ok('services.list', {})).map((s) => s.name)).not.toContain('International calls')
    expect((await ok('services.listAll', {})).find((s) => s.id === intl.id)).toMatchObject({ name: 'International calls', disabled: true })
    // Old records still name it.
    expect((await ok('ledger.transactions', { customerId: c.id })).find((t) => t.xdrId === charge.xdrId)!.serviceName).toBe('International calls')
    // The engine refuses it for a new charge or credit, whatever the page sent.
    const balance = (await ok('customers.get', { id: c.id })).balanceMinor
    for (const operation of ['manual-charge', 'manual-credit'] as const) {
      const err = await refused('adjustments.submit', { customerId: c.id, operation, amount: '1', serviceId: intl.id, operationKey: key() })
      expect(err).toMatchObject({ code: 'VALIDATION', field: 'serviceId' })
      expect(err.message).toMatch(/"International calls" is disabled/)
    }
    expect((await ok('customers.get', { id: c.id })).balanceMinor).toBe(balance)
    // A disabled service's name stays taken.
    expect(await refused('services.create', { name: 'international calls', kind: 'voice' })).toMatchObject({ code: 'CONFLICT', field: 'name' })

    // Enabled again, it is offered again.
    await ok('services.update', { id: intl.id, name: 'International calls', kind: 'voice', disabled: false })
    expect(auditAfter(auditBefore).at(-1)).toMatchObject({ field: 'disabled', from_value: 'Disabled', to_value: 'Active' })
    expect((await ok('services.list', {})).map((s) => s.name)).toContain('International calls')
    await app.close()
  })

  it('the Credits / Promotions service cannot be renamed, re-kinded or disabled', async () => {
    const { app, ok, refused } = await freshDesk()
    const credits = (await ok('services.listAll', {})).find((s) => s.builtIn)!
    const auditBefore = (await ok('audit.list', { limit: 1 }))[0]!.id
    expect(await refused('services.update', { id: credits.id, name: 'Promotions', kind: 'fees', disabled: false })).toMatchObject({ code: 'VALIDATION', field: 'name' })
    expect(await refused('services.update', { id: credits.id, name: credits.name, kind: 'fees', disabled: false })).toMatchObject({ code: 'VALIDATION', field: 'kind' })
    expect(await refused('services.update', { id: credits.id, name: credits.name, kind: 'fees', disabled: true })).toMatchObject({ code: 'VALIDATION' })
    expect((await ok('services.listAll', {})).find((s) => s.builtIn)).toEqual(credits)
    expect((await ok('audit.list', { limit: 1 }))[0]!.id).toBe(auditBefore)
    // Promotional credits still go to it.
    const c = await ok('customers.create', { customerId: 'promo', companyName: '', balanceControl: 'prepaid', currency: 'USD', classId: null, creditLimit: null })
    expect((await ok('adjustments.submit', { customerId: c.id, operation: 'promotional-credit', amount: '1', operationKey: key() })).serviceName).toBe(
      'Credits / Promotions'
    )
    await app.close()
  })

  it('only administrators may create or change services; everyone may list them', () => {
    expect(contract['services.create'].roles).toEqual(['administrator'])
    expect(contract['services.update'].roles).toEqual(['administrator'])
    expect(contract['services.listAll'].roles).toEqual(['administrator', 'cashier', 'auditor'])
  })
})

describe('data folders from before the Services page', () => {
  it('a data folder set up without any real service gets the default set when it is opened', async () => {
    const { app, ok, dataDir } = await freshDesk()
    // As the app left it before: only the built-in Credits / Promotions service.
    app.core.engine.change({ operatorId: 1, operatorName: 'Administrator' }, (w) => w.run('DELETE FROM services WHERE is_special = 0'))
    expect((await ok('services.list', {})).map((s) => s.name)).toEqual(['Credits / Promotions'])
    await app.close()

    const again = await open(dataDir)
    expect((await again.ok('services.list', {})).map((s) => s.name)).toContain('Voice calls')
    const audit = await again.ok('audit.list', {})
    expect(audit[0]!.kind).toBe('service.create')
    expect(audit[0]!.description).toMatch(/no service for manual charges and credits/)
    expect((await again.ok('audit.verify', {})).ok).toBe(true)
    await again.app.close()
  })

  it('migration 0008 keeps every service, its id, kind and records, and makes names unique', async () => {
    const SQL = await loadSqlJs()
    const db = new SQL.Database()
    db.run('PRAGMA foreign_keys = ON')
    const before = MIGRATIONS.filter((m) => m.version < 8)
    migrate(db, '2026-01-01T00:00:00.000Z', before)
    db.exec(`INSERT INTO services (id, code, name, kind) VALUES (2, 'voice', 'Voice calls', 'voice'), (3, 'voice2', 'VOICE CALLS', 'voice'), (4, 'sms', 'SMS', 'messaging');
      INSERT INTO customers (id, customer_id, balance_control, currency, created_at, updated_at) VALUES (1, 'c1', 'postpaid', 'USD', 'x', 'x');
      INSERT INTO xdrs (kind, customer_id, service_id, started_at, created_at) VALUES ('usage', 1, 3, 'x', 'x'), ('usage', 1, 4, 'x', 'x');`)
    expect(migrate(db, '2026-02-01T00:00:00.000Z').applied.map((m) => m.version)).toContain(8)
    const rows = db.exec('SELECT id, code, name, kind, is_special, disabled FROM services ORDER BY id')[0]!.values
    expect(rows).toEqual([
      [1, 'credits', 'Credits / Promotions', 'credits', 1, 0],
      [2, 'voice', 'Voice calls', 'voice', 0, 0],
      [3, 'voice2', 'VOICE CALLS (3)', 'voice', 0, 0],
      [4, 'sms', 'SMS', 'messaging', 0, 0]
    ])
    expect(db.exec('SELECT s.name FROM xdrs x JOIN services s ON s.id = x.service_id ORDER BY x.id')[0]!.values).toEqual([['VOICE CALLS (3)'], ['SMS']])
    // The foreign keys still hold, and still guard the records.
    expect(db.exec('PRAGMA foreign_key_check')).toEqual([])
    expect(db.exec('PRAGMA foreign_keys')[0]!.values[0]![0]).toBe(1)
    expect(() => db.run("INSERT INTO xdrs (kind, customer_id, service_id, started_at, created_at) VALUES ('usage', 1, 99, 'x', 'x')")).toThrow(/FOREIGN KEY/)
    expect(() => db.run("INSERT INTO services (code, name, kind) VALUES ('x', 'sms', 'fees')")).toThrow(/UNIQUE/)
    db.close()
  })
})
