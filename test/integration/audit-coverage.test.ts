/**
 * Audit coverage (issue 12, item 1): every channel the contract declares as a change (reads are
 * declared as such, see `dataUseOf`), called successfully with a minimal valid input, must write at
 * least one audit entry in the same commit (or, for a channel that starts a job, by the time the
 * job ends). The channels come from the contract, so a channel added later without a case here
 * fails the test until it gets one.
 *
 * SILENT lists the channels that write no entry, by name, each with why: each changes nothing of
 * the books (an upload staged in memory, the reader's own view). The test fails when one of them
 * starts writing entries (take it off the list) as much as when another stops.
 *
 * Timed work (the schedulers, the start-up catch-up, the import folder) is covered the same way
 * at the end: each task run on a world where it has work, fingerprints of every table and the
 * backups folder before and after, and entries by the System whenever something changed.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { openBillingApp } from '../../src-main/app'
import { CHANNELS, dataUseOf, type Channel, type InputOf } from '../../src-shared/contract'
import { ADMIN_ACTOR, classInput, newKey, openTestDesk, type TestDesk } from '../support/desk'
import { pngBytes } from '../support/images'
import { tariffCsv, usageWorld } from '../support/usageWorld'
import { TEST_ADMIN } from '../support/operators'

const SILENT: Partial<Record<Channel, string>> = {
  'usageImport.begin': 'stages an upload in memory; the import itself (usageImport.start) writes the entries',
  'usageImport.chunk': 'stages a part of an upload in memory; the import itself (usageImport.start) writes the entries',
  'notifications.markRead': "marks the desk's notifications read: the reader's own view, not a change of the books"
}

let clock = Date.parse('2026-03-10T10:00:00Z')
let desk: TestDesk
let serviceId: number
let serviceCode: string
let klassId: number
let listId: number

const ok = <C extends Channel>(channel: C, input: InputOf<C>) => desk.ok(channel, input)
const maxAuditId = () => desk.app.core.engine.read((r) => r.get<{ m: number | null }>('SELECT max(id) AS m FROM audit_log')!.m ?? 0)

let customerSeq = 0
async function customer(opts: { classId?: number | null; account?: string } = {}) {
  const c = await ok('customers.create', {
    customerId: `cov-${++customerSeq}`,
    companyName: '',
    balanceControl: 'postpaid',
    currency: 'USD',
    classId: opts.classId ?? null,
    creditLimit: null
  })
  if (opts.account) await ok('customers.addAccount', { id: c.id, accountId: opts.account })
  return c
}

/** A customer with one invoice issued now, and an instant just before it. */
async function customerWithInvoice() {
  const c = await customer({ classId: klassId })
  await ok('adjustments.submit', { customerId: c.id, operation: 'manual-charge', amount: '15.00', serviceId, operationKey: newKey() })
  const issuedAfter = new Date(clock).toISOString()
  clock += 60_000
  await ok('invoices.closeNow', { customerId: c.id })
  await desk.app.core.jobs.settle()
  return { c, issuedAfter }
}

async function uploadUsage(account: string, prefix: string, records = 1): Promise<string> {
  const rows = Array.from({ length: records }, (_, i) => `${prefix}-${i},${account},2026-03-05T10:00:00Z,60,441234,${serviceCode}`)
  const csv = ['switch_record_id,account,start_time,duration,called_number,service', ...rows].join('\n')
  const { uploadId } = await ok('usageImport.begin', { fileName: `${prefix}.csv`, totalChars: csv.length })
  await ok('usageImport.chunk', { uploadId, seq: 0, text: csv })
  return uploadId
}

/**
 * A minimal valid input per change channel, made ready by whatever must exist first (done before
 * the count starts). `before`: what to compare against when the channel replaces the database.
 * `running`: the case started a job the channel acts on, which must still be running (a cancel).
 */
type Case = () => Promise<{ input: unknown; before?: number; running?: boolean }>
let operatorSeq = 0
const newOperator = () =>
  ok('operators.create', { login: `cov-op-${++operatorSeq}`, name: `Covered operator ${operatorSeq}`, role: 'cashier', password: 'cashier-pass-1' })

const CASES: Record<string, Case> = {
  // Operators and login (issue 13): every attempt and change names who acted.
  'auth.login': async () => ({ input: { login: TEST_ADMIN.adminLogin, password: TEST_ADMIN.adminPassword } }),
  'auth.logout': async () => ({ input: {} }),
  'auth.lock': async () => ({ input: {} }),
  'auth.unlock': async () => ({ input: { password: TEST_ADMIN.adminPassword } }),
  'auth.setAdminPassword': async () => {
    // As an upgraded data folder: no administrator has a password yet.
    desk.app.core.engine.change(ADMIN_ACTOR, (w) => w.run("UPDATE operators SET password_hash = NULL WHERE role = 'administrator'"))
    return { input: { password: TEST_ADMIN.adminPassword } }
  },
  'operators.create': async () => ({ input: { login: 'cov-new-op', name: 'New operator', role: 'auditor', password: 'auditor-pass-1' } }),
  'operators.disable': async () => ({ input: { id: (await newOperator()).id } }),
  'operators.enable': async () => {
    const op = await newOperator()
    await ok('operators.disable', { id: op.id })
    return { input: { id: op.id } }
  },
  'operators.resetPassword': async () => ({ input: { id: (await newOperator()).id, password: 'a-new-password' } }),
  'operators.changeOwnPassword': async () => ({ input: { currentPassword: TEST_ADMIN.adminPassword, newPassword: TEST_ADMIN.adminPassword } }),
  'settings.update': async () => ({ input: { companyName: 'Covered Callshop', address: '' } }),
  'backup.create': async () => ({ input: {} }),
  'backup.restore': async () => {
    const before = maxAuditId()
    const backup = await ok('backup.create', {})
    await ok('settings.update', { companyName: 'After the backup', address: '' })
    return { input: { source: { kind: 'backup', fileName: backup.fileName } }, before }
  },
  'customers.create': async () => ({
    input: { customerId: 'cov-new', companyName: '', balanceControl: 'postpaid', currency: 'USD', classId: null, creditLimit: null }
  }),
  'customers.update': async () => {
    const c = await customer()
    return { input: { id: c.id, companyName: 'Renamed Ltd', classId: null, creditLimit: null } }
  },
  'customers.changeStatus': async () => ({ input: { id: (await customer()).id, action: 'block' } }),
  'customers.addAccount': async () => ({ input: { id: (await customer()).id, accountId: 'COV-ACC-NEW' } }),
  'customers.importCommit': async () => ({
    input: {
      csv: 'customer_id,company_name,balance_control,currency,class,credit_limit,opening_balance,blocked,email,notes\r\nCOV-IMP-1,a,postpaid,USD,,,,,,\r\n',
      onlyValidRows: false
    }
  }),
  'adjustments.submit': async () => ({
    input: { customerId: (await customer()).id, operation: 'manual-payment', amount: '10.00', operationKey: newKey() }
  }),
  'payments.reconcile': async () => {
    // The test gateway times out on this card: the payment stays pending until reconciled.
    const input = { customerId: (await customer()).id, operation: 'ecommerce-payment', amount: '40', cardNumber: '4000000000000408', cardExpiry: '12/30' } as const
    const lost = await desk.call('adjustments.submit', { ...input, operationKey: newKey() })
    expect(lost).toMatchObject({ ok: false, error: { code: 'IO' } })
    return { input: {} }
  },
  'usageImport.begin': async () => ({ input: { fileName: 'cov.csv', totalChars: 10 } }),
  'usageImport.chunk': async () => {
    const { uploadId } = await ok('usageImport.begin', { fileName: 'cov-chunk.csv', totalChars: 5 })
    return { input: { uploadId, seq: 0, text: 'abcde' } }
  },
  'usageImport.start': async () => {
    const account = `COV-USE-${++customerSeq}`
    await customer({ classId: klassId, account })
    return { input: { uploadId: await uploadUsage(account, 'cov-start') } }
  },
  'usageImport.cancel': async () => {
    const account = `COV-USE-${++customerSeq}`
    await customer({ classId: klassId, account })
    // Several batches, so that the job is still running when the cancel comes.
    const job = await ok('usageImport.start', { uploadId: await uploadUsage(account, 'cov-cancel', 12_000) })
    return { input: { jobId: job.id }, running: true }
  },
  'services.create': async () => ({ input: { name: 'Covered SMS', kind: 'messaging' } }),
  'services.update': async () => {
    const s = await ok('services.create', { name: 'Covered fees', kind: 'fees' })
    return { input: { id: s.id, name: 'Covered fees, renamed', kind: 'fees', disabled: false } }
  },
  'classes.create': async () => ({ input: classInput({ name: 'Covered class' }) }),
  'classes.update': async () => {
    const k = await ok('classes.create', classInput({ name: 'Covered class 2' }))
    return { input: { ...classInput({ name: 'Covered class 2, renamed' }), id: k.id } }
  },
  'priceLists.create': async () => ({ input: { name: 'Covered list', currency: 'USD' } }),
  'priceLists.uploadVersion': async () => ({ input: { priceListId: listId, csv: tariffCsv('33,France,0.20,0,60,60,0'), effectiveFrom: '2026-02-01T00:00:00Z' } }),
  'priceLists.assignToClass': async () => {
    const k = await ok('classes.create', classInput({ name: 'Covered class 3', currency: 'USD' }))
    return { input: { classId: k.id, serviceId, priceListId: listId } }
  },
  'priceLists.overrideForCustomer': async () => ({ input: { customerId: (await customer({ classId: klassId })).id, serviceId, priceListId: listId } }),
  'priceLists.removeClassAssignment': async () => {
    const k = await ok('classes.create', classInput({ name: 'Covered class 4', currency: 'USD' }))
    await ok('priceLists.assignToClass', { classId: k.id, serviceId, priceListId: listId })
    return { input: { classId: k.id, serviceId } }
  },
  'priceLists.removeCustomerOverride': async () => {
    const c = await customer({ classId: klassId })
    await ok('priceLists.overrideForCustomer', { customerId: c.id, serviceId, priceListId: listId })
    return { input: { customerId: c.id, serviceId } }
  },
  'customFields.create': async () => ({ input: { name: 'Covered field', kind: 'text' } }),
  'audit.verify': async () => ({ input: {} }),
  'rerating.start': async () => {
    await ok('priceLists.uploadVersion', { priceListId: listId, csv: tariffCsv('44,UK,0.30,0,60,60,0'), effectiveFrom: '2026-03-01T00:00:00Z' })
    return { input: { scope: { kind: 'class', classId: klassId }, from: '2026-03-01T00:00:00Z', to: '2026-04-01T00:00:00Z', priceListId: null } }
  },
  'rerating.cancel': async () => {
    await ok('priceLists.uploadVersion', { priceListId: listId, csv: tariffCsv('44,UK,0.40,0,60,60,0'), effectiveFrom: '2026-03-01T00:00:00Z' })
    const job = await ok('rerating.start', { scope: { kind: 'class', classId: klassId }, from: '2026-03-01T00:00:00Z', to: '2026-04-01T00:00:00Z', priceListId: null })
    return { input: { jobId: job.id }, running: true }
  },
  'usage.setRetention': async () => ({ input: { months: 6 } }),
  'usage.purge': async () => {
    clock = Date.parse('2026-11-10T10:00:00Z')
    await ok('usage.setRetention', { months: 2 })
    const preview = await ok('usage.retentionPreview', {})
    return { input: { cutoff: preview.cutoff } }
  },
  'invoices.closeNow': async () => {
    const c = await customer({ classId: klassId })
    await ok('adjustments.submit', { customerId: c.id, operation: 'manual-charge', amount: '20.00', serviceId, operationKey: newKey() })
    clock += 60_000
    return { input: { customerId: c.id } }
  },
  'invoices.reduceAmountDue': async () => {
    const c = await customer({ classId: klassId })
    await ok('adjustments.submit', { customerId: c.id, operation: 'manual-charge', amount: '30.00', serviceId, operationKey: newKey() })
    clock += 60_000
    await ok('invoices.closeNow', { customerId: c.id })
    await desk.app.core.jobs.settle()
    const invoice = (await ok('invoices.list', { customerId: c.id })).rows[0]!
    return { input: { invoiceId: invoice.id, amount: '5.00', comment: 'Goodwill' } }
  },
  'outOfTurn.issue': async () => {
    const c = await customer({ classId: klassId })
    const item = await ok('adjustments.submit', { customerId: c.id, operation: 'manual-charge', amount: '9.00', serviceId, outOfTurn: true, operationKey: newKey() })
    return { input: { customerId: c.id, xdrIds: [item.xdrId!], cashPayment: '9.00', operationKey: newKey() } }
  },
  'reissue.start': async () => {
    const { c, issuedAfter } = await customerWithInvoice()
    return { input: { customerIds: [c.id], issuedAfter, mode: 'same-number', scheduledFor: null } }
  },
  'reissue.cancel': async () => {
    const { c, issuedAfter } = await customerWithInvoice()
    const started = await ok('reissue.start', { customerIds: [c.id], issuedAfter, mode: 'void', scheduledFor: new Date(clock + 86_400_000).toISOString() })
    return { input: { batchId: started.batchId } }
  },
  'reissue.setOffPeak': async () => ({ input: { start: '02:30', end: '04:45' } }),
  'notifications.markRead': async () => ({ input: { ids: (await ok('notifications.list', {})).map((n) => n.id) } }),
  'companyLogo.set': async () => ({ input: { fileName: 'covered.png', dataBase64: Buffer.from(pngBytes(40, 20)).toString('base64') } }),
  'shifts.open': async () => ({ input: { floats: [{ currency: 'USD', amount: '100.00' }] } }),
  'shifts.close': async () => {
    // The administrator's shift opened by the case above, or one opened here when run alone.
    const open = (await ok('shifts.current', {})).shift ?? (await ok('shifts.open', { floats: [{ currency: 'USD', amount: '10' }] }))
    return { input: { shiftId: open.id, counted: open.currencies.map((c) => ({ currency: c.currency, amount: '99.00' })) } }
  },
  'companyLogo.remove': async () => {
    await ok('companyLogo.set', { fileName: 'to-remove.png', dataBase64: Buffer.from(pngBytes(40, 20)).toString('base64') })
    return { input: {} }
  }
}

beforeAll(async () => {
  desk = await openTestDesk({ now: () => clock })
  serviceId = desk.addVoiceService()
  serviceCode = desk.app.core.engine.read((r) => r.get<{ code: string }>('SELECT code FROM services WHERE id = ?', [serviceId])!.code)
  const klass = await ok('classes.create', classInput({ name: 'Covered usage class', currency: 'USD' }))
  klassId = klass.id
  const list = await ok('priceLists.create', { name: 'Covered tariff', currency: 'USD' })
  listId = list.id
  await ok('priceLists.assignToClass', { classId: klassId, serviceId, priceListId: listId })
  await ok('priceLists.uploadVersion', { priceListId: listId, csv: tariffCsv('44,UK,0.10,0,60,60,0'), effectiveFrom: '2026-01-01T00:00:00Z' })
  // Usage in March for the re-rating and the purge.
  const account = 'COV-MARCH'
  await customer({ classId: klassId, account })
  await ok('usageImport.start', { uploadId: await uploadUsage(account, 'cov-march') })
  await desk.app.core.jobs.settle()
}, 60_000)

afterAll(async () => {
  await desk.app.core.jobs.settle()
  await desk.close()
})

it('setup.complete writes entries (on a folder not set up yet)', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-coverage-'))
  const app = await openBillingApp({ dataDir, log: () => {}, dailyBackupDelayMs: 3_600_000 })
  try {
    const res = await app.dispatch(
      'setup.complete',
      { companyName: 'New', address: '', defaultCurrency: 'USD', loadDemoData: false, ...TEST_ADMIN },
      { transport: 'test' }
    )
    expect(res.ok).toBe(true)
    expect(app.core.engine.read((r) => r.get<{ n: number }>('SELECT count(*) AS n FROM audit_log')!.n)).toBeGreaterThan(0)
  } finally {
    await app.close()
    fs.rmSync(dataDir, { recursive: true, force: true })
  }
})

it('every change channel of the contract writes an audit entry when it succeeds', async () => {
  const changes = CHANNELS.filter((c) => dataUseOf(c).changes.length > 0 && c !== 'setup.complete')
  const missingCase = changes.filter((c) => !(c in CASES))
  expect(missingCase, 'change channels with no case in this test: add one').toEqual([])

  const silent: string[] = []
  for (const channel of changes) {
    const { input, before, running } = await CASES[channel]!()
    if (!running) await desk.app.core.jobs.settle()
    const from = before ?? maxAuditId()
    const res = await desk.call(channel, input as InputOf<typeof channel>)
    expect(res.ok, `${channel}: ${res.ok ? '' : `${res.error.code} ${res.error.message}`}`).toBe(true)
    await desk.app.core.jobs.settle()
    if (maxAuditId() <= from) silent.push(channel)
  }
  expect(silent.sort(), 'change channels that wrote no audit entry (see SILENT)').toEqual(Object.keys(SILENT).sort())
}, 120_000)

// ---------------------------------------------------------------------------------------------
// Timed work (issue 12 item 1: "timed work is covered the same way"): what the schedulers and the
// start-up catch-up run by themselves, each run on a world where it has something to do. A task
// that changes the books (any table but the log itself and the journal's counter, or the backups
// folder) must write entries in the same run, made by the System (nobody is at the keyboard).

/** What the app runs by itself that writes nothing, each with why. */
const TIMED_NO_CHANGE: Record<string, string> = {
  phase: 'reads whether the desk is set up, before each tick',
  log: 'a line in the log file',
  startSchedulers: 'sets the timers that call the tasks below',
  'timers.push': 'keeps a timer to clear at close',
  openStore: "opens the books and applies the code's migrations; changes no record",
  warmCustomerIndex: 'builds the customer list in memory from the books; writes nothing',
  skipOldNotifications: 'remembers the newest notification already on the list (in memory); writes nothing'
}
/*
 * Card authorizations have no timed job: an authorization's expiry is compared with the clock
 * when it is read (capture, void, the card activity list), nothing is written when it passes.
 */

/** Every table's rows (sorted) and the backups folder's files: what "the books changed" means. */
function fingerprint(d: TestDesk): Map<string, string> {
  const out = new Map<string, string>()
  d.app.core.engine.read((r) => {
    const tables = r.all<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN ('audit_log', 'meta') AND name NOT LIKE 'sqlite_%'")
    for (const { name } of tables) {
      const rows = r.all<Record<string, unknown>>(`SELECT * FROM "${name}"`).map((row) => JSON.stringify(row, (_k, v) => (v instanceof Uint8Array ? Array.from(v) : v)))
      out.set(name, rows.sort().join('\n'))
    }
  })
  const backups = d.app.core.backups.dir
  out.set('(backups folder)', fs.existsSync(backups) ? fs.readdirSync(backups).sort().join('\n') : '')
  return out
}

/** Run one timed task; it must have changed something (its world gave it work) and written entries by the System. */
async function expectAudited(d: TestDesk, task: string, run: () => Promise<unknown> | unknown): Promise<string[]> {
  const lastId = () => d.app.core.engine.read((r) => r.get<{ m: number | null }>('SELECT max(id) AS m FROM audit_log')!.m ?? 0)
  await d.app.core.jobs.settle()
  const before = fingerprint(d)
  const from = lastId()
  await run()
  await d.app.core.jobs.settle()
  const after = fingerprint(d)
  const changed = [...after.keys()].filter((t) => after.get(t) !== before.get(t))
  const entries = d.app.core.engine.read((r) =>
    r.all<{ operator_name: string; kind: string }>('SELECT operator_name, kind FROM audit_log WHERE id > ? ORDER BY id', [from])
  )
  expect(changed, `${task}: its world should give it work`).not.toEqual([])
  expect(entries.length, `${task} changed ${changed.join(', ')} and wrote no audit entry`).toBeGreaterThan(0)
  expect([...new Set(entries.map((e) => e.operator_name))], `${task}: entries of timed work name the System`).toEqual(['System'])
  return entries.map((e) => e.kind)
}

it('every timed task (schedulers, start-up catch-up, import folder) writes entries, by the System, when it changes the books', async () => {
  // Which tasks the app runs by itself: the calls in startSchedulers and the start-up catch-up.
  const source = fs.readFileSync(path.join(__dirname, '../../src-main/app.ts'), 'utf8')
  const schedulers = source.slice(source.indexOf('  startSchedulers('), source.indexOf('\n  close(): void'))
  const startUp = source.slice(source.indexOf('export async function openBillingApp('), source.indexOf('const dispatcher = createAppDispatcher('))
  const called = new Set([...schedulers.matchAll(/this\.([\w.]+)\(/g), ...startUp.matchAll(/core\.(\w+)\(/g)].map((m) => m[1]!))
  const timed = [...called].filter((name) => !(name in TIMED_NO_CHANGE)).sort()
  expect(timed, 'timed tasks: give a new one a world and a run below').toEqual(
    ['dailyBackup', 'ensureServices', 'reconcileCardPayments', 'runInvoiceTasks', 'runLifecycleTasks', 'runReissueBatches', 'usageFolder.look'].sort()
  )

  let t = Date.parse('2026-03-10T10:00:00Z')
  const d = await openTestDesk({ now: () => t, background: false })
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'timed-drop-'))
  try {
    const ok = <C extends Channel>(channel: C, input: InputOf<C>) => d.ok(channel, input)
    const world = await usageWorld(d)
    await world.upload('2026-01-01T00:00:00Z', '44,UK,0.10,0,60,60,0')
    const klass = await ok('classes.create', classInput({ name: 'Timed class', currency: 'USD', suspendOnOverdue: true, reactivationDays: 1 }))
    const make = (customerId: string) =>
      ok('customers.create', { customerId, companyName: '', balanceControl: 'postpaid', currency: 'USD', classId: klass.id, creditLimit: null })
    // The life cycle: a reactivation period of one day that will have ended.
    const leaving = await make('timed-leaving')
    await ok('customers.changeStatus', { id: leaving.id, action: 'provisionally-terminate', note: 'Moving abroad' })
    // Period close, overdue and suspension, re-issue: a charge in March.
    const payer = await make('timed-payer')
    await ok('adjustments.submit', { customerId: payer.id, operation: 'manual-charge', amount: '50.00', serviceId: world.serviceId, operationKey: newKey() })
    // Card reconciliation: a card payment whose answer was lost (the test gateway times out on this card).
    const card = await make('timed-card')
    const lost = await d.call('adjustments.submit', {
      customerId: card.id,
      operation: 'ecommerce-payment',
      amount: '40',
      cardNumber: '4000000000000408',
      cardExpiry: '12/30',
      operationKey: newKey()
    })
    expect(lost).toMatchObject({ ok: false, error: { code: 'IO' } })
    // The import folder: a usage file the switch left there.
    await world.customer({}, ['TIMED-ACC'])
    const code = d.app.core.engine.read((r) => r.get<{ code: string }>('SELECT code FROM services WHERE id = ?', [world.serviceId])!.code)
    d.app.core.engine.change(ADMIN_ACTOR, (w) => w.run('UPDATE settings SET usage_import_folder = ? WHERE id = 1', [folder]))
    const file = path.join(folder, 'switch-0310.csv')
    fs.writeFileSync(file, `switch_record_id,account,start_time,duration,called_number,service\r\nT-1,TIMED-ACC,2026-03-09T10:00:00Z,60,+441234,${code}\r\n`)
    fs.utimesSync(file, new Date('2026-03-01T00:00:00Z'), new Date('2026-03-01T00:00:00Z'))

    t = Date.parse('2026-03-12T10:00:00Z')
    expect(await expectAudited(d, 'runLifecycleTasks', () => d.app.core.runLifecycleTasks())).toContain('customer.status')
    expect(await expectAudited(d, 'reconcileCardPayments', () => d.app.core.reconcileCardPayments())).toContain('customer.balance')
    expect(await expectAudited(d, 'usageFolder.look', () => d.app.core.usageFolder.look())).toContain('usage.import')
    expect(await expectAudited(d, 'dailyBackup', () => d.app.core.dailyBackup())).toEqual(['backup.create'])

    t = Date.parse('2026-04-02T10:00:00Z')
    expect(await expectAudited(d, 'runInvoiceTasks (period close)', () => d.app.core.runInvoiceTasks())).toContain('invoice.issued')
    const started = await ok('reissue.start', {
      customerIds: [payer.id],
      issuedAfter: '2026-04-01T00:00:00Z',
      mode: 'same-number',
      scheduledFor: '2026-04-03T03:00:00Z'
    })
    expect(started.batchId).toBeGreaterThan(0)
    t = Date.parse('2026-04-03T03:30:00Z')
    expect(await expectAudited(d, 'runReissueBatches', () => d.app.core.runReissueBatches())).toContain('invoice.reissued')
    t = Date.parse('2026-04-25T10:00:00Z')
    const overdue = await expectAudited(d, 'runInvoiceTasks (overdue)', () => d.app.core.runInvoiceTasks())
    expect(overdue).toContain('invoice.status')

    // Start-up: a data folder with no real service gets the default set.
    d.app.core.engine.change(ADMIN_ACTOR, (w) => w.run("UPDATE services SET is_special = 1, name = name || ' (old)' WHERE is_special = 0"))
    expect(await expectAudited(d, 'ensureServices', () => d.app.core.ensureServices())).toContain('service.create')
  } finally {
    await d.close()
    fs.rmSync(folder, { recursive: true, force: true })
  }
}, 120_000)
