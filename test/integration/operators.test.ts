/**
 * Operators (src-main/engine/operators.ts) and the dispatcher's role check: the built-in first
 * administrator makes every change; a channel outside the operator's role is refused FORBIDDEN
 * before anything runs; a disabled operator is refused UNAUTHORIZED.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { actorOf, FIRST_ADMIN_ACTOR, FIRST_ADMIN_ID, getOperator } from '../../src-main/engine/operators'
import { contract } from '../../src-shared/contract'
import type { Role } from '../../src-shared/domain'
import { ADMIN_ACTOR, openTestDesk, type TestDesk } from '../support/desk'

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
