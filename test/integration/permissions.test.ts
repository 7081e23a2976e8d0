/**
 * The permission matrix (issue 13 item 2): docs/operators.md holds the one permission table; the
 * contract's `roles` (and OPEN_BEFORE_LOGIN) are the code's table. This test checks the two match,
 * then calls EVERY channel of the contract through real login sessions as an administrator, a
 * cashier and an auditor, and as nobody, and checks the outcome: FORBIDDEN / UNAUTHORIZED exactly
 * where the table says no. The calls carry an input no schema accepts (an unknown field), so an
 * allowed call stops at validation and nothing changes.
 */
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CHANNELS, contract, OPEN_BEFORE_LOGIN, type Channel } from '../../src-shared/contract'
import type { Role } from '../../src-shared/domain'
import type { IpcResponse } from '../../src-shared/errors'
import { newKey, openTestDesk, type TestDesk } from '../support/desk'
import { TEST_ADMIN } from '../support/operators'

type Who = Role | 'nobody'
const WHO: readonly Who[] = ['administrator', 'cashier', 'auditor', 'nobody']

/** The docs' table: channel -> who may use it. */
function docsTable(): Map<string, Record<Who, boolean>> {
  const md = fs.readFileSync(path.resolve(__dirname, '../../docs/operators.md'), 'utf8')
  const block = /<!-- permission-table:start -->([\s\S]*?)<!-- permission-table:end -->/.exec(md)
  expect(block, 'docs/operators.md has the permission table between its markers').not.toBeNull()
  const rows = new Map<string, Record<Who, boolean>>()
  for (const line of block![1]!.split('\n')) {
    const m = /^\| `([^`]+)` \|(.*)\|\s*$/.exec(line.trim())
    if (!m) continue
    const cells = m[2]!.split('|').map((c) => c.trim())
    expect(cells, line).toHaveLength(4)
    const cell = (c: string) => c !== '—'
    rows.set(m[1]!, { administrator: cell(cells[0]!), cashier: cell(cells[1]!), auditor: cell(cells[2]!), nobody: cell(cells[3]!) })
  }
  return rows
}

/** The code's table. */
function allowed(channel: Channel, who: Who): boolean {
  return who === 'nobody' ? OPEN_BEFORE_LOGIN.has(channel) : (contract[channel].roles as readonly Role[]).includes(who)
}

let desk: TestDesk
const sessions = new Map<Who, string | null>()

/** A login through auth.login, as a transport does it: the session it bound. */
async function logIn(login: string, password: string): Promise<string> {
  let bound: string | null = null
  const res = await desk.app.dispatch('auth.login', { login, password }, { transport: 'test', operatorId: null, bindSession: (id) => (bound = id) })
  expect(res.ok, JSON.stringify(res)).toBe(true)
  expect(bound).toMatch(/^[0-9a-f]{64}$/)
  return bound!
}

beforeAll(async () => {
  desk = await openTestDesk({ demo: true })
  for (const role of ['cashier', 'auditor'] as const)
    await desk.ok('operators.create', { login: `matrix-${role}`, name: `Matrix ${role}`, role, password: `${role}-password` })
  sessions.set('administrator', await logIn(TEST_ADMIN.adminLogin, TEST_ADMIN.adminPassword))
  sessions.set('cashier', await logIn('matrix-cashier', 'cashier-password'))
  sessions.set('auditor', await logIn('matrix-auditor', 'auditor-password'))
  sessions.set('nobody', null)
})
afterAll(async () => {
  await desk.close()
})

describe('the permission table', () => {
  it('in docs/operators.md lists every channel of the contract, once, exactly as the code allows it', () => {
    const docs = docsTable()
    expect([...docs.keys()].sort()).toEqual([...CHANNELS].sort())
    const differs: string[] = []
    for (const c of CHANNELS)
      for (const who of WHO) if (docs.get(c)![who] !== allowed(c, who)) differs.push(`${c} / ${who}: docs ${docs.get(c)![who]}, code ${allowed(c, who)}`)
    expect(differs).toEqual([])
  })

  it.each(WHO)('every channel called as %s answers FORBIDDEN / UNAUTHORIZED exactly where the table says no', async (who) => {
    const auditBefore = desk.app.core.engine.read((r) => r.get<{ n: number }>('SELECT count(*) AS n FROM audit_log')!.n)
    const wrong: string[] = []
    for (const channel of CHANNELS) {
      const res = await desk.app.dispatch(channel, { notAField: 1 }, { transport: 'electron', sessionId: sessions.get(who) ?? null })
      const code = res.ok ? 'OK' : res.error.code
      const refused = code === 'FORBIDDEN' || code === 'UNAUTHORIZED'
      const expected = allowed(channel, who) ? 'VALIDATION' : who === 'nobody' ? 'UNAUTHORIZED' : 'FORBIDDEN'
      if (allowed(channel, who) ? refused || code !== 'VALIDATION' : code !== expected) wrong.push(`${channel}: ${code}, expected ${expected}`)
    }
    expect(wrong).toEqual([])
    expect(desk.app.core.engine.read((r) => r.get<{ n: number }>('SELECT count(*) AS n FROM audit_log')!.n)).toBe(auditBefore)
  })
})

describe('the operation type inside adjustments is checked after parsing', () => {
  const call = (who: Who, channel: Channel, input: unknown) =>
    desk.app.dispatch(channel, input, { transport: 'electron', sessionId: sessions.get(who) ?? null }) as Promise<IpcResponse<unknown>>

  it('a cashier submitting a manual charge, credit, promotional credit or refund is refused FORBIDDEN and nothing is posted', async () => {
    const customer = (await desk.ok('customers.list', { search: '' })).rows[0]!
    const serviceId = desk.addVoiceService()
    const ledger = () => desk.app.core.engine.read((r) => r.get<{ n: number }>('SELECT count(*) AS n FROM xdrs')!.n)
    const before = ledger()
    for (const operation of ['manual-charge', 'manual-credit', 'promotional-credit', 'refund'] as const) {
      const input = { customerId: customer.id, operation, amount: '1.00', serviceId }
      expect(await call('cashier', 'adjustments.preview', input), operation).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', field: 'operation' } })
      expect(await call('cashier', 'adjustments.submit', { ...input, operationKey: newKey() }), operation).toMatchObject({
        ok: false,
        error: { code: 'FORBIDDEN', field: 'operation' }
      })
    }
    expect(ledger()).toBe(before)
    // Cash is taken on the cashier's open shift (docs/shifts.md).
    expect(await call('cashier', 'shifts.open', { floats: [{ currency: 'USD', amount: '10.00' }] })).toMatchObject({ ok: true })
    const payment = await call('cashier', 'adjustments.submit', { customerId: customer.id, operation: 'manual-payment', amount: '2.50', operationKey: newKey() })
    expect(payment.ok, JSON.stringify(payment)).toBe(true)
    expect(ledger()).toBe(before + 1)
    // The payment names the cashier who took it.
    const entry = desk.app.core.engine.read((r) => r.get<{ operator_name: string }>('SELECT operator_name FROM audit_log ORDER BY id DESC LIMIT 1'))!
    expect(entry.operator_name).toBe('Matrix cashier')
  })

  it('an auditor is refused every adjustment, a manual payment included', async () => {
    const customer = (await desk.ok('customers.list', { search: '' })).rows[0]!
    const res = await call('auditor', 'adjustments.submit', { customerId: customer.id, operation: 'manual-payment', amount: '1.00', operationKey: newKey() })
    expect(res).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
  })
})
