/**
 * Operators (src-main/engine/operators.ts) and the dispatcher's role check: the built-in first
 * administrator makes every change; a channel outside the operator's role is refused FORBIDDEN
 * before anything runs; a disabled operator is refused UNAUTHORIZED.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  actorOf,
  DEFAULT_KDF,
  FIRST_ADMIN_ACTOR,
  FIRST_ADMIN_ID,
  getOperator,
  hashPassword,
  SYSTEM_ACTOR,
  SYSTEM_ID,
  verifyPassword
} from '../../src-main/engine/operators'
import { startHost } from '../../src-main/host/server'
import { contract } from '../../src-shared/contract'
import type { AppStatus, Role } from '../../src-shared/domain'
import type { IpcResponse } from '../../src-shared/errors'
import { ADMIN_ACTOR, newKey, openTestDesk, type TestDesk } from '../support/desk'
import { TEST_ADMIN_PASSWORD } from '../support/operators'

let desk: TestDesk
beforeEach(async () => {
  desk = await openTestDesk()
})
afterEach(async () => {
  await desk.close()
})

/** Operators cannot log in yet, so the built-in operator's role stands in for whoever is at the desk. */
const actAs = (role: Role) => desk.app.core.engine.change(ADMIN_ACTOR, (w) => w.run('UPDATE operators SET role = ? WHERE id = ?', [role, FIRST_ADMIN_ID]))
const auditCount = () => desk.app.core.engine.read((r) => r.get<{ n: number }>('SELECT count(*) AS n FROM audit_log')!.n)

it('the built-in first administrator is operator 1 and acts under its name', () => {
  const op = desk.app.core.engine.read((r) => getOperator(r, FIRST_ADMIN_ID))
  expect(op).toEqual({ id: 1, login: 'admin', name: 'Administrator', role: 'administrator' })
  expect(actorOf(op)).toEqual(FIRST_ADMIN_ACTOR)
})

describe('roles (the FORBIDDEN path of the dispatcher)', () => {
  it("a cashier is refused an administrator's channel with a message naming the role and the channel, and nothing changes", async () => {
    actAs('cashier')
    const before = auditCount()
    const res = await desk.call('settings.update', { companyName: 'Taken over', address: '' })
    expect(res).toEqual({ ok: false, error: { code: 'FORBIDDEN', message: 'The cashier role may not use "settings.update".' } })
    expect(auditCount()).toBe(before)
    expect((await desk.ok('settings.get', {})).companyName).toBe('Test Callshop')
  })

  it("a cashier refused an adjustment operation is told the operation's name as the wizard shows it", async () => {
    const customerId = (
      await desk.ok('customers.create', { customerId: 'opname', companyName: '', balanceControl: 'prepaid', currency: 'USD', classId: null, creditLimit: null })
    ).id
    actAs('cashier')
    for (const [operation, label] of [
      ['ecommerce-refund', 'E-commerce refund'],
      ['promotional-credit', 'Promotional credit']
    ] as const) {
      const res = await desk.call('adjustments.submit', { customerId, operation, amount: '5', serviceId: null, operationKey: newKey() })
      expect(res).toEqual({ ok: false, error: { code: 'FORBIDDEN', message: `The cashier role may not submit an adjustment of type "${label}".`, field: 'operation' } })
    }
  })

  it('an auditor may verify the audit trail and check the ledger but not change customers', async () => {
    actAs('auditor')
    expect((await desk.ok('audit.verify', {})).ok).toBe(true)
    expect((await desk.ok('ledger.check', {})).ok).toBe(true)
    const res = await desk.call('customers.create', {
      customerId: 'by-auditor',
      companyName: '',
      balanceControl: 'prepaid',
      currency: 'USD',
      classId: null,
      creditLimit: null
    })
    expect(res).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    expect((await desk.ok('customers.list', {})).total).toBe(0)
  })

  it('every channel the contract keeps from a role is refused FORBIDDEN, whatever the input, and changes nothing', async () => {
    for (const role of ['cashier', 'auditor'] as const) {
      actAs(role)
      const before = auditCount()
      let refused = 0
      for (const [channel, def] of Object.entries(contract)) {
        if (def.roles.includes(role)) continue
        // The role is checked before the input: an invalid input tells the caller nothing more.
        for (const input of [{}, { unexpected: 1 }]) {
          const res = await desk.app.dispatch(channel, input, { transport: 'test' })
          expect(res, `${role} on ${channel}`).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
        }
        refused++
      }
      expect(refused, role).toBeGreaterThan(0)
      expect(auditCount()).toBe(before)
    }
  })
})

it('a disabled operator is refused every channel as UNAUTHORIZED', async () => {
  desk.app.core.engine.change(ADMIN_ACTOR, (w) => w.run('UPDATE operators SET disabled = 1 WHERE id = ?', [FIRST_ADMIN_ID]))
  expect(() => desk.app.core.engine.read((r) => getOperator(r, FIRST_ADMIN_ID))).toThrow(expect.objectContaining({ code: 'UNAUTHORIZED' }))
  expect(await desk.call('settings.get', {})).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } })
})

// ---- Login, sessions, lockout, operators (issue 13 items 1 and 2) ----

describe('passwords', () => {
  it('are scrypt hashes with their parameters and a salt of their own, checked in constant time', async () => {
    const a = await hashPassword('correct horse', { N: 1024, r: 8, p: 1 })
    const b = await hashPassword('correct horse', { N: 1024, r: 8, p: 1 })
    expect(a).toMatch(/^scrypt\$1024\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/)
    expect(a).not.toBe(b)
    expect(await verifyPassword('correct horse', a)).toBe(true)
    expect(await verifyPassword('correct horsE', a)).toBe(false)
    expect(await verifyPassword('anything', 'md5$abc')).toBe(false)
    expect(await verifyPassword('anything', `scrypt$${2 ** 30}$8$1$AAAA$AAAA`)).toBe(false)
    expect(DEFAULT_KDF).toEqual({ N: 2 ** 16, r: 8, p: 1 })
  })
})

describe('login and sessions', () => {
  let clock = Date.parse('2026-11-21T10:00:00Z')
  let d: TestDesk
  beforeEach(async () => {
    clock = Date.parse('2026-11-21T10:00:00Z')
    d = await openTestDesk({ now: () => clock })
    await d.ok('operators.create', { login: 'cash1', name: 'Carla Cashier', role: 'cashier', password: 'cash-pass-1' })
  })
  afterEach(async () => {
    await d.close()
  })

  const login = async (loginName: string, password: string, sessionId: string | null = null) => {
    let bound: string | null | undefined
    const res = await d.app.dispatch('auth.login', { login: loginName, password }, { transport: 'electron', sessionId, bindSession: (id) => (bound = id) })
    return { res: res as IpcResponse<AppStatus>, session: bound }
  }
  const as = (sessionId: string | null | undefined, channel: string, input: unknown = {}) =>
    d.app.dispatch(channel, input, { transport: 'electron', sessionId: sessionId ?? null })
  const lastAudit = () =>
    d.app.core.engine.read(
      (r) => r.get<{ kind: string; operator_name: string; description: string }>('SELECT kind, operator_name, description FROM audit_log ORDER BY id DESC LIMIT 1')!
    )

  it('a login binds a session naming the operator; without one every channel but the open ones is UNAUTHORIZED', async () => {
    expect(await as(null, 'customers.list')).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED', message: 'Log in first.' } })
    expect(await as(null, 'app.status')).toMatchObject({ ok: true, value: { operator: null, locked: false, needsAdminPassword: false } })
    const { res, session } = await login('CASH1', 'cash-pass-1')
    expect(res).toMatchObject({ ok: true, value: { operator: { login: 'cash1', name: 'Carla Cashier', role: 'cashier' } } })
    expect(session).toMatch(/^[0-9a-f]{64}$/)
    expect(lastAudit()).toMatchObject({ kind: 'auth.login', operator_name: 'Carla Cashier' })
    expect(await as(session, 'customers.list')).toMatchObject({ ok: true })
    expect(await as(session, 'auth.session')).toMatchObject({ ok: true, value: { operator: { name: 'Carla Cashier' }, locked: false, idleLockMinutes: 10 } })
    expect(await as(session, 'settings.update', { companyName: 'x', address: '' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    expect(await as('f'.repeat(64), 'customers.list')).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } })
    let ended: string | null | undefined = 'unchanged'
    await d.app.dispatch('auth.logout', {}, { transport: 'electron', sessionId: session!, bindSession: (id) => (ended = id) })
    expect(ended).toBeNull()
    expect(lastAudit()).toMatchObject({ kind: 'auth.logout', operator_name: 'Carla Cashier' })
    expect(await as(session, 'customers.list')).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } })
  })

  it('five wrong passwords in a row lock the operator for 15 minutes, audited; the right password is refused until then', async () => {
    const auditBefore = auditCountOf(d)
    for (let i = 1; i <= 4; i++)
      expect((await login('cash1', 'wrong-pass')).res).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED', message: 'Wrong login or password.' } })
    const fifth = await login('cash1', 'wrong-pass')
    expect(fifth.res).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED', message: expect.stringContaining('locked until 10:15 UTC') } })
    expect(lastAudit()).toMatchObject({ kind: 'auth.lockout', operator_name: 'Carla Cashier' })
    expect(auditCountOf(d) - auditBefore).toBe(5)
    clock += 14 * 60_000
    expect((await login('cash1', 'cash-pass-1')).res).toMatchObject({ ok: false, error: { message: expect.stringContaining('locked until 10:15 UTC') } })
    expect((await d.ok('operators.list', {})).find((o) => o.login === 'cash1')!.lockedUntil).toBe('2026-11-21T10:15:00.000Z')
    clock += 60_000
    expect((await login('cash1', 'cash-pass-1')).res).toMatchObject({ ok: true })
  })

  it('wrong passwords tried at the same time all count towards the lockout', async () => {
    await Promise.all(Array.from({ length: 5 }, () => login('cash1', 'wrong-pass')))
    expect((await d.ok('operators.list', {})).find((o) => o.login === 'cash1')!.lockedUntil).toBe('2026-11-21T10:15:00.000Z')
    expect((await login('cash1', 'cash-pass-1')).res).toMatchObject({ ok: false, error: { message: expect.stringContaining('locked until') } })
  })

  it('an administrator resetting the password unlocks a locked operator at once', async () => {
    for (let i = 0; i < 5; i++) await login('cash1', 'wrong-pass')
    const id = (await d.ok('operators.list', {})).find((o) => o.login === 'cash1')!.id
    await d.ok('operators.resetPassword', { id, password: 'fresh-pass-2' })
    expect(lastAudit()).toMatchObject({ kind: 'operator.password', operator_name: 'Administrator' })
    expect((await login('cash1', 'fresh-pass-2')).res).toMatchObject({ ok: true })
  })

  it('an unknown login is refused in the same words and audited as the System', async () => {
    expect((await login('nobody-here', 'whatever')).res).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED', message: 'Wrong login or password.' } })
    expect(lastAudit()).toMatchObject({ kind: 'auth.login-failed', operator_name: 'System' })
  })

  it('an idle session locks; only unlocking, logging out or logging in work; another operator logging in ends it', async () => {
    const { session } = await login('cash1', 'cash-pass-1')
    clock += 9 * 60_000
    expect(await as(session, 'customers.list')).toMatchObject({ ok: true })
    clock += 10 * 60_000
    expect(await as(session, 'customers.list')).toMatchObject({ ok: false, error: { code: 'LOCKED' } })
    expect(await as(session, 'app.status')).toMatchObject({ ok: true, value: { locked: true, operator: { login: 'cash1' } } })
    expect(await as(session, 'auth.unlock', { password: 'not-it' })).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } })
    expect(await as(session, 'auth.unlock', { password: 'cash-pass-1' })).toMatchObject({ ok: true, value: { locked: false } })
    expect(await as(session, 'customers.list')).toMatchObject({ ok: true })
    // Locked by hand, then the administrator logs in over it.
    expect(await as(session, 'auth.lock')).toMatchObject({ ok: true, value: { locked: true } })
    const admin = await login('admin', TEST_ADMIN_PASSWORD, session!)
    expect(admin.res).toMatchObject({ ok: true, value: { operator: { login: 'admin' }, locked: false } })
    expect(await as(session, 'customers.list')).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } })
    expect(await as(admin.session, 'settings.get')).toMatchObject({ ok: true })
  })

  it('the idle time comes from Settings; 0 never locks', async () => {
    await d.ok('settings.update', { companyName: 'Test Callshop', address: '', idleLockMinutes: 0 })
    const { session } = await login('cash1', 'cash-pass-1')
    clock += 24 * 60 * 60_000
    expect(await as(session, 'customers.list')).toMatchObject({ ok: true })
  })

  it('administrators add, disable and re-enable operators; a disabled operator is logged out and cannot log in', async () => {
    const { session } = await login('cash1', 'cash-pass-1')
    const id = (await d.ok('operators.list', {})).find((o) => o.login === 'cash1')!.id
    expect(await d.call('operators.create', { login: 'Cash1', name: 'Dup', role: 'cashier', password: 'whatever-1' })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', field: 'login' }
    })
    await d.ok('operators.disable', { id })
    expect(lastAudit()).toMatchObject({ kind: 'operator.disable', operator_name: 'Administrator' })
    expect(await as(session, 'customers.list')).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } })
    expect((await login('cash1', 'cash-pass-1')).res).toMatchObject({ ok: false, error: { message: expect.stringContaining('disabled') } })
    await d.ok('operators.enable', { id })
    expect((await login('cash1', 'cash-pass-1')).res).toMatchObject({ ok: true })
    // Never the last administrator, never oneself.
    expect(await d.call('operators.disable', { id: FIRST_ADMIN_ID })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } })
    expect((await d.ok('operators.list', {})).map((o) => o.login)).not.toContain('system')
  })

  it('an operator changes their own password only with the current one', async () => {
    const { session } = await login('cash1', 'cash-pass-1')
    expect(await as(session, 'operators.changeOwnPassword', { currentPassword: 'nope', newPassword: 'next-pass-2' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', field: 'currentPassword' }
    })
    expect(await as(session, 'operators.changeOwnPassword', { currentPassword: 'cash-pass-1', newPassword: 'next-pass-2' })).toMatchObject({ ok: true })
    expect(lastAudit()).toMatchObject({ kind: 'operator.password', operator_name: 'Carla Cashier' })
    expect((await login('cash1', 'next-pass-2')).res).toMatchObject({ ok: true })
  })

  it('an upgraded data folder asks for the administrator password once, before login', async () => {
    d.app.core.engine.change(ADMIN_ACTOR, (w) => w.run("UPDATE operators SET password_hash = NULL WHERE role = 'administrator'"))
    expect(await as(null, 'app.status')).toMatchObject({ ok: true, value: { needsAdminPassword: true, adminLogin: 'admin', operator: null } })
    expect(await as(null, 'auth.setAdminPassword', { password: 'short' })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
    let bound: string | null = null
    const set = await d.app.dispatch('auth.setAdminPassword', { password: 'upgraded-pass' }, { transport: 'electron', bindSession: (id) => (bound = id) })
    expect(set).toMatchObject({ ok: true, value: { needsAdminPassword: false, adminLogin: null, operator: { id: FIRST_ADMIN_ID } } })
    expect(await as(bound, 'settings.get')).toMatchObject({ ok: true })
    expect(await as(null, 'auth.setAdminPassword', { password: 'taken-over' })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } })
    expect((await login('admin', 'upgraded-pass')).res).toMatchObject({ ok: true })
  })

  it('browser mode: the token alone reaches only the open channels; a login answers the session in a header', async () => {
    const host = await startHost({ dispatcher: d.app, rendererDir: '/nonexistent' })
    try {
      const post = async (channel: string, body: unknown, session?: string) => {
        const res = await fetch(`${host.url}/ipc/${channel}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${host.token}`, 'content-type': 'application/json', ...(session ? { 'x-billing-session': session } : {}) },
          body: JSON.stringify(body)
        })
        return { body: (await res.json()) as IpcResponse<unknown>, session: res.headers.get('x-billing-session') }
      }
      expect((await post('customers.list', {})).body).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } })
      expect((await post('app.status', {})).body).toMatchObject({ ok: true })
      const logged = await post('auth.login', { login: 'cash1', password: 'cash-pass-1' })
      expect(logged.session).toMatch(/^[0-9a-f]{64}$/)
      expect((await post('customers.list', {}, logged.session!)).body).toMatchObject({ ok: true })
      expect((await post('auth.logout', {}, logged.session!)).session).toBe('')
      expect((await post('customers.list', {}, logged.session!)).body).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } })
    } finally {
      await host.close()
    }
  })
})

describe('work nobody started at the keyboard', () => {
  it('acts as the System, which cannot log in', async () => {
    const sys = desk.app.core.engine.read((r) =>
      r.get<{ name: string; disabled: number; password_hash: string | null }>('SELECT name, disabled, password_hash FROM operators WHERE id = ?', [SYSTEM_ID])
    )
    expect(sys).toEqual({ name: 'System', disabled: 1, password_hash: null })
    expect(SYSTEM_ACTOR).toEqual({ operatorId: SYSTEM_ID, operatorName: 'System' })
    expect(await desk.call('auth.login', { login: 'system', password: 'anything' })).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } })
    expect((await desk.ok('audit.facets', {})).operators.map((o) => o.name)).toContain('System')
  })
})

function auditCountOf(d: TestDesk): number {
  return d.app.core.engine.read((r) => r.get<{ n: number }>('SELECT count(*) AS n FROM audit_log')!.n)
}
