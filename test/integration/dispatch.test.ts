/**
 * The dispatcher's role check over the real handler table: an operator whose role a channel does
 * not list gets FORBIDDEN, and the books are exactly as they were.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { createAppDispatcher } from '../../src-main/app'
import { updateClass } from '../../src-main/engine/customerClasses'
import type { Channel, InputOf } from '../../src-shared/contract'
import type { Operator, Role } from '../../src-shared/domain'
import { ADMIN_ACTOR, openTestDesk, type TestDesk, classInput } from '../support/desk'

const operatorWith = (role: Role): Operator => ({ id: 7, login: role, name: `A ${role}`, role })

const klass = classInput({ name: 'Callshop USD', currency: 'USD', invoicePrefix: 'CS-' })

let desk: TestDesk | null = null
afterEach(async () => {
  await desk?.close()
  desk = null
})

/** Everything a refused call could have touched. */
function books(d: TestDesk) {
  return d.app.core.engine.read((r) => ({
    audit: r.get<{ n: number }>('SELECT count(*) AS n FROM audit_log')!.n,
    customers: r.all('SELECT * FROM customers ORDER BY id'),
    classes: r.all('SELECT * FROM customer_classes ORDER BY id'),
    settings: r.all('SELECT * FROM settings'),
    services: r.all('SELECT * FROM services ORDER BY id'),
    fields: r.all('SELECT * FROM custom_field_definitions ORDER BY id'),
    backups: d.app.core.backups.list().length
  }))
}

describe('dispatcher roles', () => {
  it('refuses administrator channels to a cashier and an auditor with FORBIDDEN, changing nothing', async () => {
    desk = await openTestDesk()
    const customer = await desk.ok('customers.create', {
      customerId: 'smartcall',
      companyName: 'SmartCall',
      balanceControl: 'postpaid',
      currency: 'USD',
      classId: null,
      creditLimit: '100'
    })
    const k = await desk.ok('classes.create', klass)
    const adminOnly: { [C in Channel]?: InputOf<C> } = {
      'customers.create': { customerId: 'newcomer', companyName: 'New', balanceControl: 'prepaid', currency: 'USD', classId: null, creditLimit: null },
      'customers.changeStatus': { id: customer.id, action: 'block', note: '' },
      'customers.addAccount': { id: customer.id, accountId: 'acc-1' },
      'settings.update': { companyName: 'Taken over', address: '' },
      'classes.update': { ...klass, id: k.id, name: 'Renamed' },
      'services.create': { name: 'SMS', kind: 'messaging' },
      'customFields.create': { name: 'VAT number', kind: 'text' },
      'backup.create': {},
      'operators.list': {}
    }
    const before = books(desk)
    for (const role of ['cashier', 'auditor'] as const) {
      const dispatcher = createAppDispatcher(
        desk.app.core,
        () => ({ operator: operatorWith(role), sessionId: null, locked: false }),
        () => {}
      )
      for (const [channel, input] of Object.entries(adminOnly)) {
        const res = await dispatcher.dispatch(channel, input, { transport: 'test' })
        expect(res, `${role} on ${channel}`).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: `The ${role} role may not use "${channel}".` } })
      }
      // What the role may use still works through the same dispatcher.
      expect(await dispatcher.dispatch('customers.get', { id: customer.id }, { transport: 'test' })).toMatchObject({ ok: true, value: { customerId: 'smartcall' } })
    }
    expect(books(desk)).toEqual(before)
    // The same calls were valid: the administrator's go through.
    expect(await desk.call('customers.addAccount', { id: customer.id, accountId: 'acc-1' })).toMatchObject({ ok: true })
  })
})

describe('read models follow the unit of work', () => {
  it('shows a class renamed by any unit of work on the customer list, without the handler resetting it', async () => {
    desk = await openTestDesk()
    const k = await desk.ok('classes.create', klass)
    await desk.ok('customers.create', { customerId: 'smartcall', companyName: 'SmartCall', balanceControl: 'prepaid', currency: 'USD', classId: k.id, creditLimit: null })
    expect((await desk.ok('customers.list', {})).rows[0]?.className).toBe('Callshop USD')
    // Not through the classes.update handler: straight through the engine, as a future screen or job might.
    desk.app.core.engine.change(ADMIN_ACTOR, (w) => updateClass(w, k.id, { ...klass, name: 'Booths USD' }))
    expect((await desk.ok('customers.list', {})).rows[0]?.className).toBe('Booths USD')
    expect((await desk.ok('customers.list', { search: 'smartcall', filters: { classId: k.id } })).rows.map((r) => r.className)).toEqual(['Booths USD'])
  })

  it('lists what a restored backup holds, not what the list showed before the restore', async () => {
    desk = await openTestDesk()
    const base = { companyName: '', balanceControl: 'prepaid', currency: 'USD', classId: null, creditLimit: null } as const
    await desk.ok('customers.create', { ...base, customerId: 'kept' })
    const backup = await desk.ok('backup.create', {})
    await desk.ok('customers.create', { ...base, customerId: 'after-backup' })
    expect((await desk.ok('customers.list', {})).rows.map((r) => r.customerId)).toEqual(['after-backup', 'kept'])
    await desk.ok('backup.restore', { source: { kind: 'backup', fileName: backup.fileName } })
    expect((await desk.ok('customers.list', {})).rows.map((r) => r.customerId)).toEqual(['kept'])
  })
})
