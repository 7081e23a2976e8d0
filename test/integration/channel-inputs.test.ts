import fc from 'fast-check'
import fs from 'node:fs'
import os from 'node:os'
import http from 'node:http'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { openBillingApp, type AppCore, type BillingApp } from '../../src-main/app'
import { startHost, type RunningHost } from '../../src-main/host/server'
import { CHANNELS, bodyLimitOf, contract, isoDate, type Channel } from '../../src-shared/contract'
import type { IpcResponse } from '../../src-shared/errors'
import { TEST_ADMIN, TEST_KDF } from '../support/operators'

/**
 * Every channel of the contract, including any added later (the list comes from CHANNELS), gets
 * malformed, oversized and wrongly typed input on both transports. Each must answer with a typed
 * error — never INTERNAL, never a crash — and change nothing: no table row, no balance, no audit
 * entry, no file in the data folder.
 */

let app: BillingApp & { core: AppCore }
let host: RunningHost
let dataDir: string
/** The administrator's login session, as setup started it (both transports carry it). */
let session: string | null = null

beforeAll(async () => {
  // One data folder for the whole file (support/tmp removes its folders after each test).
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'channel-inputs-'))
  app = await openBillingApp({ dataDir, now: () => Date.parse('2026-11-21T10:00:00Z'), log: () => {}, dailyBackupDelayMs: 3_600_000 })
  const setup = await app.dispatch(
    'setup.complete',
    { companyName: 'Input Check Callshop', address: '', defaultCurrency: 'USD', loadDemoData: true, ...TEST_ADMIN },
    { transport: 'test', bindSession: (id) => (session = id) }
  )
  expect(session).not.toBeNull()
  expect(setup.ok).toBe(true)
  host = await startHost({ dispatcher: app, rendererDir: '/nonexistent' })
})

const extraDirs: string[] = []
const tmpDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'channel-inputs-'))
  extraDirs.push(dir)
  return dir
}

afterAll(async () => {
  await host.close()
  await app.close()
  for (const d of [dataDir, ...extraDirs]) fs.rmSync(d, { recursive: true, force: true })
})

/** What a changed request would leave behind: rows per table, money totals, files on disk. */
function fingerprint(): string {
  const tables = app.core.store!.read((r) => {
    const names = r.all<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").map((t) => t.name)
    const counts = names.map((n) => `${n}=${r.get<{ n: number }>(`SELECT count(*) AS n FROM "${n}"`)!.n}`)
    const money = r.get<{ b: number; u: number; s: string }>(
      "SELECT total(balance_minor) AS b, total(unallocated_minor) AS u, group_concat(status || ':' || coalesce(credit_limit_minor, '-') || ':' || updated_at) AS s FROM customers"
    )!
    const audit = r.get<{ m: number | null }>('SELECT max(id) AS m FROM audit_log')!
    return [...counts, `balances=${money.b}`, `unallocated=${money.u}`, `rows=${money.s}`, `audit=${audit.m}`].join('\n')
  })
  const files: string[] = []
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name)
      if (e.isDirectory()) walk(p)
      else files.push(`${path.relative(dataDir, p)}:${fs.statSync(p).size}`)
    }
  }
  walk(dataDir)
  return `${tables}\n${files.sort().join('\n')}`
}

function expectTypedRefusal(res: IpcResponse<unknown>, what: string, code: 'VALIDATION' | 'TOO_LARGE' = 'VALIDATION') {
  expect(res.ok, what).toBe(false)
  if (res.ok) return
  expect(res.error.code, `${what}: ${res.error.message}`).toBe(code)
  expect(res.error.message.length, what).toBeGreaterThan(5)
}

/** The Electron path: what arrives there is any structured-cloneable value. */
const viaElectron = (channel: string, input: unknown) => app.dispatch(channel, input, { transport: 'electron', sessionId: session })

function post(channel: string, body: string | Buffer): Promise<{ status: number; body: IpcResponse<unknown> }> {
  const port = Number(new URL(host.url).port)
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path: `/ipc/${encodeURIComponent(channel)}`,
        method: 'POST',
        headers: { authorization: `Bearer ${host.token}`, 'content-type': 'application/json', 'x-billing-session': session ?? '' }
      },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (d: Buffer) => chunks.push(d))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as IpcResponse<unknown> }))
      }
    )
    req.on('error', reject)
    req.end(body)
  })
}

const shapeOf = (channel: Channel) => (contract[channel].input as unknown as z.ZodObject).shape as Record<string, z.ZodType>

/** Values no schema field of the contract is happy with in some position: edge cases first. */
const hostile = fc.oneof(
  fc.constantFrom<unknown>(
    null,
    '',
    ' ',
    -1,
    0,
    1.5,
    -0,
    Number.MAX_SAFE_INTEGER + 1,
    1e308,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    '2026-02-30',
    '0000-00-00',
    '99999999999999999999',
    '90071992547409.92',
    '\u0000',
    '%E0%A4%A',
    [],
    {},
    [1, 2, 3],
    { kind: 'backup' },
    { kind: 'file' },
    10n ** 30n,
    new Date(0),
    new Map([['a', 1]])
  ),
  fc.anything({
    withBigInt: true,
    withDate: true,
    withMap: true,
    withSet: true,
    withTypedArray: true,
    withNullPrototype: true,
    withBoxedValues: true,
    withSparseArray: true
  })
)

describe('every channel of the contract refuses bad input with a typed error and changes nothing', () => {
  it('covers every channel (a new channel is picked up automatically)', () => {
    expect(CHANNELS.length).toBeGreaterThan(25)
    for (const channel of CHANNELS) expect(contract[channel].input, channel).toBeInstanceOf(z.ZodObject)
  })

  it.each(CHANNELS)('%s: wrongly typed fields, non-objects, unknown fields and non-JSON values (Electron transport)', async (channel) => {
    const before = fingerprint()
    const shape = shapeOf(channel)
    const schema = contract[channel].input as z.ZodType
    // Whole inputs that are not the object the channel takes.
    for (const input of ['not an object', 42, true, [], [{}], { unexpectedField: 1 }, { __proto__: { id: 1 }, constructor: 1 }]) {
      expectTypedRefusal(await viaElectron(channel, input), `${channel} ${JSON.stringify(input)}`)
    }
    // Values JSON cannot carry (the Electron bridge can): a cycle and a bigint.
    const cyclic: Record<string, unknown> = {}
    cyclic.self = cyclic
    expectTypedRefusal(await viaElectron(channel, cyclic), `${channel} cyclic`)
    expectTypedRefusal(await viaElectron(channel, { unexpected: 1n }), `${channel} bigint`)
    let deep: unknown = 1
    for (let i = 0; i < 200_000; i++) deep = [deep]
    expectTypedRefusal(await viaElectron(channel, { deep }), `${channel} nested 200,000 deep`)
    // The contract's size limit for the channel, as over HTTP: long text, binary data, many items.
    const limit = bodyLimitOf(channel)
    expectTypedRefusal(await viaElectron(channel, { x: 'x'.repeat(limit) }), `${channel} oversized text`, 'TOO_LARGE')
    expectTypedRefusal(await viaElectron(channel, { x: new Uint8Array(limit + 1) }), `${channel} oversized bytes`, 'TOO_LARGE')
    expectTypedRefusal(await viaElectron(channel, { x: new Array<string>(Math.ceil(limit / 1024)).fill('y'.repeat(1024)) }), `${channel} oversized list`, 'TOO_LARGE')
    // One field wrong at a time, generated from the schema: whatever the field refuses.
    for (const [field, fieldSchema] of Object.entries(shape)) {
      await fc.assert(
        fc.asyncProperty(
          hostile.filter((v) => !fieldSchema.safeParse(v).success),
          async (value) => {
            const res = await viaElectron(channel, { [field]: value })
            expectTypedRefusal(res, `${channel}.${field} = ${fc.stringify(value)}`)
          }
        ),
        { numRuns: 40, seed: 7 }
      )
    }
    // Whole inputs generated at random that the schema refuses.
    await fc.assert(
      fc.asyncProperty(
        hostile.filter((v) => v !== null && v !== undefined && !schema.safeParse(v).success),
        async (value) => expectTypedRefusal(await viaElectron(channel, value), `${channel} <- ${fc.stringify(value)}`)
      ),
      { numRuns: 40, seed: 11 }
    )
    expect(fingerprint(), channel).toBe(before)
  })

  it.each(CHANNELS)('%s: malformed JSON, wrong types and an oversized body over the loopback host', async (channel) => {
    const before = fingerprint()
    const malformed = await post(channel, '{"id": 1,')
    expect(malformed.status).toBe(400)
    expectTypedRefusal(malformed.body, `${channel} malformed JSON`)
    const notObject = await post(channel, '"just text"')
    expectTypedRefusal(notObject.body, `${channel} JSON string`)
    const wrongTypes = Object.fromEntries(Object.keys(shapeOf(channel)).map((k) => [k, { wrong: [k] }]))
    expectTypedRefusal((await post(channel, JSON.stringify({ ...wrongTypes, unexpectedField: 1 }))).body, `${channel} wrong types`)

    const limit = bodyLimitOf(channel)
    const oversized = Buffer.alloc(limit + 1, 0x20)
    oversized.write('{"x":"')
    oversized.write('"}', limit - 1)
    const http413 = await post(channel, oversized)
    expect(http413.status, channel).toBe(413)
    expectTypedRefusal(http413.body, `${channel} oversized over HTTP`, 'TOO_LARGE')
    expect(fingerprint(), channel).toBe(before)
  })
})

describe('dates are calendar dates', () => {
  /** Every field of the contract built on isoDate, found by walking each channel's schema. */
  function dateFields(): { channel: Channel; field: string }[] {
    const found: { channel: Channel; field: string }[] = []
    const base = (s: z.ZodType): z.ZodType => {
      let t = s as z.ZodType & { unwrap?: () => z.ZodType; def: { innerType?: z.ZodType } }
      while (t.def.innerType) t = t.def.innerType as typeof t
      return t
    }
    for (const channel of CHANNELS) {
      for (const [field, s] of Object.entries(shapeOf(channel))) if (base(s) === isoDate) found.push({ channel, field })
    }
    return found
  }

  it('every date field of every channel refuses impossible dates with "Use a real date like 2026-11-30."', () => {
    const fields = dateFields()
    expect(fields.map((f) => `${f.channel}.${f.field}`)).toEqual(
      expect.arrayContaining(['customers.changeStatus.until', 'customers.changeStatus.terminationDate', 'adjustments.preview.date', 'adjustments.submit.date'])
    )
    for (const { channel, field } of fields) {
      for (const bad of ['2026-02-30', '0000-00-00', '2026-13-01', '2026-00-10', '2026-04-31', '2025-02-29', '0000-01-01']) {
        const issues = (contract[channel].input as z.ZodType).safeParse({ [field]: bad }).error?.issues ?? []
        expect(issues.find((i) => i.path.join('.') === field)?.message, `${channel}.${field} = ${bad}`).toBe('Use a real date like 2026-11-30.')
      }
      for (const good of ['2026-02-28', '2024-02-29', '2000-02-29', '2026-12-31', '2026-01-01']) {
        const issues = (contract[channel].input as z.ZodType).safeParse({ [field]: good }).error?.issues ?? []
        expect(
          issues.find((i) => i.path.join('.') === field),
          `${channel}.${field} = ${good}`
        ).toBeUndefined()
      }
    }
  })

  it('a manual charge dated 2026-02-30 or 0000-00-00 is refused under the date field and nothing is stored', async () => {
    const before = fingerprint()
    const easy = (await app.dispatch('customers.list', { search: 'easycall' }, { transport: 'test' })) as IpcResponse<{ rows: { id: number }[] }>
    const services = (await app.dispatch('services.list', {}, { transport: 'test' })) as IpcResponse<{ id: number; kind: string }[]>
    if (!easy.ok || !services.ok) throw new Error('demo data missing')
    const voice = services.value.find((s) => s.kind === 'voice')!
    for (const date of ['2026-02-30', '0000-00-00', '2026-13-01']) {
      const res = await app.dispatch(
        'adjustments.submit',
        { customerId: easy.value.rows[0]!.id, operation: 'manual-charge', amount: '7', serviceId: voice.id, date, operationKey: `date-check-key-${date}` },
        { transport: 'test' }
      )
      expect(res, date).toEqual({ ok: false, error: { code: 'VALIDATION', message: 'Use a real date like 2026-11-30.', field: 'date' } })
    }
    expect(fingerprint()).toBe(before)
    // A custom field of the date kind is held to the same calendar.
    const field = (await app.dispatch('customFields.create', { name: 'Contract start', kind: 'date' }, { transport: 'test' })) as IpcResponse<{ id: number }>
    if (!field.ok) throw new Error(field.error.message)
    const afterField = fingerprint()
    const update = await app.dispatch(
      'customers.update',
      { id: easy.value.rows[0]!.id, companyName: 'Easy Call Ltd', classId: null, creditLimit: null, customFields: [{ fieldId: field.value.id, value: '2026-02-30' }] },
      { transport: 'test' }
    )
    expect(update).toEqual({
      ok: false,
      error: { code: 'VALIDATION', message: 'Contract start must be a real date like 2026-11-30.', field: `customFields.${field.value.id}` }
    })
    expect(fingerprint()).toBe(afterField)
    const status = await app.dispatch('customers.changeStatus', { id: easy.value.rows[0]!.id, action: 'lift-suspension', until: '2026-02-30' }, { transport: 'test' })
    expect(status).toEqual({ ok: false, error: { code: 'VALIDATION', message: 'Use a real date like 2026-11-30.', field: 'until' } })
    expect(fingerprint()).toBe(afterField)
  })
})

describe('requests that used to end in INTERNAL or a silent answer', () => {
  const call = async (channel: string, input: unknown) => app.dispatch(channel, input, { transport: 'test' })
  let keySeq = 0
  const key = () => `overflow-key-${String(++keySeq).padStart(8, '0')}`

  it('ledger.transactions for an unknown customer answers NOT_FOUND naming the customer ID', async () => {
    expect(await call('ledger.transactions', { customerId: 987654 })).toEqual({
      ok: false,
      error: { code: 'NOT_FOUND', message: 'Customer 987654 does not exist.', field: 'customerId' }
    })
  })

  it('a balance or unallocated amount pushed past the safe-integer range is refused in words, and nothing changes', async () => {
    const created = (await call('customers.create', {
      customerId: 'HUGE-DEBT',
      balanceControl: 'postpaid',
      currency: 'USD',
      companyName: 'Huge Debt Ltd',
      classId: null,
      creditLimit: null,
      openingBalance: '90071992547409.91'
    })) as IpcResponse<{ id: number }>
    if (!created.ok) throw new Error(created.error.message)
    const services = (await call('services.list', {})) as IpcResponse<{ id: number; kind: string }[]>
    const voice = services.ok ? services.value.find((s) => s.kind === 'voice')! : null
    const before = fingerprint()
    const charge = { customerId: created.value.id, operation: 'manual-charge', amount: '0.01', serviceId: voice!.id }
    const refused = { ok: false, error: { code: 'VALIDATION', message: expect.stringMatching(/beyond 90,071,992,547,409\.91 USD/), field: 'amount' } }
    expect(await call('adjustments.preview', charge)).toEqual(refused)
    expect(await call('adjustments.submit', { ...charge, operationKey: key() })).toEqual(refused)
    expect(fingerprint()).toBe(before)

    // A payment as large as can be typed is refused by the per-operation maximum (at its highest
    // setting) before it could reach the unallocated payments.
    const payer = (await call('customers.create', {
      customerId: 'BIG-PAYER',
      balanceControl: 'postpaid',
      currency: 'JPY',
      companyName: '',
      classId: null,
      creditLimit: null
    })) as IpcResponse<{ id: number }>
    if (!payer.ok) throw new Error(payer.error.message)
    const beforePay = fingerprint()
    const pay = { customerId: payer.value.id, operation: 'manual-payment', amount: '9007199254740991' }
    expect(await call('adjustments.submit', { ...pay, operationKey: key() })).toEqual({
      ok: false,
      error: { code: 'VALIDATION', message: expect.stringMatching(/at most 1,000,000 JPY/), field: 'amount' }
    })
    expect(fingerprint()).toBe(beforePay)
  })
})

describe('valid but extreme input never ends in INTERNAL', () => {
  /**
   * Values at the edges that the schemas accept: the largest amounts and IDs, far dates, long and
   * odd text. Each channel gets inputs built from the ones its fields accept (enum fields: every
   * option); whatever the engine then does, it answers with a result or a typed error.
   */
  const EDGE_VALUES: unknown[] = [
    true,
    false,
    null,
    0,
    1,
    2,
    3,
    7,
    28,
    365,
    500,
    999_999,
    Number.MAX_SAFE_INTEGER,
    '',
    ' ',
    '0',
    '0.01',
    '1',
    '-1',
    '1,000.00',
    '135.5',
    '90071992547409.91',
    '9007199254740991',
    '90071992547409.92',
    '1e5',
    '2026-11-21',
    '2026-11-22',
    '2024-02-29',
    '0001-01-01',
    '9999-12-31',
    // Instants with their offset (price list versions): the earliest and latest a schema accepts.
    '2026-03-01T00:00:00Z',
    '0000-01-01T00:00:00-14:00',
    '9999-12-31T23:59:59.999+14:00',
    'Łódź Москва',
    "'; DROP TABLE customers; --",
    '=HYPERLINK("http://evil")',
    '%E0%A4%A',
    '\u0000',
    'x'.repeat(5000),
    'fuzz-operation-key-0001',
    'FUZZ-1',
    '4242 4242 4242 4242',
    '4000 0000 0000 0002',
    '12/30',
    '01/20',
    'ch_000001',
    'auth_000001',
    // A job or upload id (usage import): one that does not exist.
    '00000000-0000-4000-8000-000000000000',
    'customer_id,balance_control,currency\nFUZZ-IMPORT,postpaid,USD',
    'customer_id,balance_control,currency\nFUZZ-IMPORT-2,prepaid,JPY\nFUZZ-IMPORT-2,prepaid,JPY',
    'daily-2026-11-20.sqlite',
    [],
    [{ fieldId: 1, value: '2026-02-30' }],
    [{ fieldId: 999, value: 'x' }],
    ['exported', 'suspended'],
    { key: 'balance', dir: 'desc' },
    { statuses: ['exported'], overLimit: true, currency: 'KWD' },
    { kind: 'backup', fileName: 'nothing-here.sqlite' },
    { kind: 'file', path: '/nonexistent/backup.sqlite' },
    // Re-rating: its scopes and a job id.
    { kind: 'all' },
    { kind: 'class', classId: 1 },
    { kind: 'customers', customerIds: [1, 999_999] },
    '00000000-0000-4000-8000-000000000000',
    // Record ids (out-of-turn invoices): one that exists in the demo data, one that does not.
    [1, 999_999]
  ]

  const optionsOf = (s: z.ZodType): unknown[] => {
    let t = s as z.ZodType & { def: { innerType?: z.ZodType }; options?: unknown[] }
    while (t.def.innerType) t = t.def.innerType as typeof t
    return Array.isArray(t.options) && t.options.every((o) => typeof o === 'string') ? t.options : []
  }

  it('every channel, with inputs made of edge values its schema accepts', async () => {
    const extreme = await openBillingApp({
      dataDir: tmpDir(),
      now: () => Date.parse('2026-11-21T10:00:00Z'),
      log: () => {},
      dailyBackupDelayMs: 3_600_000,
      kdf: TEST_KDF
    })
    try {
      const call = (channel: string, input: unknown) => extreme.dispatch(channel, input, { transport: 'test' })
      expect((await call('setup.complete', { companyName: 'Extreme Callshop', address: '', defaultCurrency: 'USD', loadDemoData: true, ...TEST_ADMIN })).ok).toBe(true)
      const uncovered: string[] = []
      // File paths only inside a folder of this test: an edge string as a path would write into the working directory.
      const files = tmpDir()
      const pathValues = [path.join(files, 'manual.sqlite'), path.join(files, 'missing-folder', 'manual.sqlite')]
      for (const channel of CHANNELS) {
        const shape = shapeOf(channel)
        const schema = contract[channel].input as z.ZodType
        const fields: Record<string, fc.Arbitrary<unknown>> = {}
        let coverable = true
        for (const [field, s] of Object.entries(shape)) {
          const accepted = (field === 'path' ? pathValues : [...EDGE_VALUES, ...optionsOf(s)]).filter((v) => s.safeParse(v).success)
          const optional = s.safeParse(undefined).success
          if (accepted.length === 0 && !optional) coverable = false
          const value = fc.constantFrom(...(accepted.length > 0 ? accepted : [undefined]))
          // Optional fields mostly left out: most of them apply to one operation only.
          fields[field] = optional ? fc.oneof({ arbitrary: fc.constant(undefined), weight: 3 }, { arbitrary: value, weight: 1 }) : value
        }
        if (!coverable) {
          uncovered.push(channel)
          continue
        }
        await fc.assert(
          fc.asyncProperty(
            fc.record(fields).filter((input) => schema.safeParse(input).success),
            async (input) => {
              const res = await call(channel, input)
              if (!res.ok) expect(res.error.code, `${channel} <- ${fc.stringify(input)}: ${res.error.message}`).not.toBe('INTERNAL')
            }
          ),
          { numRuns: 100, seed: 3 }
        )
      }
      expect(uncovered).toEqual([])
      // Whatever was accepted kept the books whole.
      const ledger = (await call('ledger.check', {})) as IpcResponse<{ ok: boolean }>
      const audit = (await call('audit.verify', {})) as IpcResponse<{ ok: boolean }>
      expect(ledger.ok && ledger.value.ok).toBe(true)
      expect(audit.ok && audit.value.ok).toBe(true)
    } finally {
      await extreme.close()
    }
  })
})
