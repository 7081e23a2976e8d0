/**
 * Cashier shifts (issue 13 item 3; docs/shifts.md), through the handler table as both transports
 * call it: a float per currency, the cash payments and refunds taken on the shift (linked to their
 * ledger records in the same commit), closing with a count (expected vs counted and the
 * difference, audited), the 80 mm report, the list and export, and the rule that a cashier takes
 * no cash without an open shift while an administrator may.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAppDispatcher } from '../../src-main/app'
import type { Channel, InputOf, ResultOf } from '../../src-shared/contract'
import type { Operator } from '../../src-shared/domain'
import type { IpcResponse } from '../../src-shared/errors'
import { ADMIN_ACTOR, newKey, openTestDesk, type TestDesk } from '../support/desk'
import { pdfTextOf } from '../support/pdfText'

let desk: TestDesk
let serviceId: number
let usd: number
let eur: number
/** A cashier with a name only a Unicode font prints. */
const CASHIER: Operator = { id: 5, login: 'zoe', name: 'Zoë Łukasiewicz', role: 'cashier' }

const ok = <C extends Channel>(channel: C, input: InputOf<C>) => desk.ok(channel, input)

/** The handler table as `operator` calls it (logged in, session not locked). */
function as(operator: Operator) {
  const d = createAppDispatcher(
    desk.app.core,
    () => ({ operator, sessionId: null, locked: false }),
    () => {}
  )
  const call = async <C extends Channel>(channel: C, input: InputOf<C>) => (await d.dispatch(channel, input, { transport: 'test' })) as IpcResponse<ResultOf<C>>
  const okAs = async <C extends Channel>(channel: C, input: InputOf<C>): Promise<ResultOf<C>> => {
    const res = await call(channel, input)
    if (!res.ok) throw new Error(`${channel}: ${res.error.code} ${res.error.message}`)
    return res.value
  }
  return { call, ok: okAs }
}

/** Everything a refused cash payment could have touched. */
function books() {
  return desk.app.core.engine.read((r) => ({
    audit: r.get<{ n: number }>('SELECT count(*) AS n FROM audit_log')!.n,
    customers: r.all('SELECT id, balance_minor, unallocated_minor FROM customers ORDER BY id'),
    xdrs: r.get<{ n: number }>('SELECT count(*) AS n FROM xdrs')!.n,
    invoices: r.get<{ n: number }>('SELECT count(*) AS n FROM invoices')!.n,
    shifts: r.all('SELECT * FROM shifts ORDER BY id'),
    cash: r.all('SELECT * FROM shift_cash ORDER BY xdr_id')
  }))
}

const pay = (customerId: number, amount: string, operation: 'manual-payment' | 'refund' | 'manual-charge' = 'manual-payment') =>
  ok('adjustments.submit', { customerId, operation, amount, serviceId: operation === 'manual-charge' ? serviceId : null, operationKey: newKey() })

const cashOf = (xdrId: number) =>
  desk.app.core.engine.read((r) => r.get<{ shift_id: number; amount_minor: number }>('SELECT shift_id, amount_minor FROM shift_cash WHERE xdr_id = ?', [xdrId]))

beforeAll(async () => {
  desk = await openTestDesk()
  serviceId = desk.addVoiceService()
  const make = async (customerId: string, currency: string) =>
    (await ok('customers.create', { customerId, companyName: `${customerId} Ltd`, balanceControl: 'postpaid', currency, classId: null, creditLimit: null })).id
  usd = await make('easycall', 'USD')
  eur = await make('eurocall', 'EUR')
  desk.app.core.engine.change(ADMIN_ACTOR, (w) =>
    w.run("INSERT INTO operators (id, login, name, role, password_hash, disabled, created_at) VALUES (?, ?, ?, 'cashier', NULL, 0, ?)", [
      CASHIER.id,
      CASHIER.login,
      CASHIER.name,
      w.at
    ])
  )
})

afterAll(async () => {
  await desk?.close()
})

describe("an administrator's shift", () => {
  let shiftId: number

  it('offers the currencies the desk uses and has no shift before one is opened', async () => {
    const now = await ok('shifts.current', {})
    expect(now).toEqual({ shift: null, currencies: ['USD', 'EUR'], cashNeedsShift: false })
  })

  it('refuses a malformed or negative float on its currency, changing nothing', async () => {
    const before = books()
    expect(await desk.call('shifts.open', { floats: [{ currency: 'USD', amount: '1.234' }] })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', field: 'float.USD', message: 'USD amounts have at most 2 decimal places.' }
    })
    expect(await desk.call('shifts.open', { floats: [{ currency: 'EUR', amount: '-5' }] })).toMatchObject({
      ok: false,
      error: { field: 'float.EUR', message: 'The float cannot be negative.' }
    })
    expect(await desk.call('shifts.open', { floats: [{ currency: 'USD', amount: '' }] })).toMatchObject({
      ok: false,
      error: { field: 'float.USD', message: 'Enter the float in USD (0 if there is none).' }
    })
    expect(books()).toEqual(before)
  })

  it('opens with a counted float per currency, audited; a second open shift is refused', async () => {
    const auditBefore = books().audit
    const shift = await ok('shifts.open', {
      floats: [
        { currency: 'USD', amount: '100' },
        { currency: 'EUR', amount: '20.00' }
      ]
    })
    shiftId = shift.id
    expect(shift).toMatchObject({ operatorId: 1, operatorName: 'Administrator', closedAt: null, payments: 0, refunds: 0 })
    expect(shift.currencies).toEqual([
      { currency: 'USD', floatMinor: 100_00, cashInMinor: 0, cashOutMinor: 0, expectedMinor: 100_00, countedMinor: null, differenceMinor: null },
      { currency: 'EUR', floatMinor: 20_00, cashInMinor: 0, cashOutMinor: 0, expectedMinor: 20_00, countedMinor: null, differenceMinor: null }
    ])
    const entries = (await ok('audit.list', { limit: 5 })).filter((e) => e.id > auditBefore)
    expect(entries.map((e) => [e.kind, e.description])).toEqual([
      ['shift.opened', `Shift ${shiftId} opened by Administrator with a counted float of 100.00 USD, 20.00 EUR.`]
    ])
    const before = books()
    expect(await desk.call('shifts.open', { floats: [{ currency: 'USD', amount: '5' }] })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } })
    expect(books()).toEqual(before)
  })

  it('takes the cash payments, out-of-turn cash and refunds on the shift, linked to their records; charges stay off it', async () => {
    const p1 = await pay(usd, '25.00')
    const p2 = await pay(usd, '10.50')
    const r1 = await pay(usd, '5.00', 'refund')
    const charge = await pay(usd, '9.00', 'manual-charge')
    const item = await ok('adjustments.submit', { customerId: usd, operation: 'manual-charge', amount: '4.00', serviceId, outOfTurn: true, operationKey: newKey() })
    const issued = await ok('outOfTurn.issue', { customerId: usd, xdrIds: [item.xdrId!], cashPayment: '4.00', operationKey: newKey() })
    const e1 = await pay(eur, '7.25')
    expect(cashOf(p1.xdrId!)).toEqual({ shift_id: shiftId, amount_minor: 25_00 })
    expect(cashOf(p2.xdrId!)).toEqual({ shift_id: shiftId, amount_minor: 10_50 })
    expect(cashOf(r1.xdrId!)).toEqual({ shift_id: shiftId, amount_minor: -5_00 })
    expect(cashOf(issued.payment!.xdrId!)).toEqual({ shift_id: shiftId, amount_minor: 4_00 })
    expect(cashOf(e1.xdrId!)).toEqual({ shift_id: shiftId, amount_minor: 7_25 })
    expect(cashOf(charge.xdrId!)).toBeUndefined()
    const now = (await ok('shifts.current', {})).shift!
    expect(now).toMatchObject({ id: shiftId, payments: 4, refunds: 1 })
    expect(now.currencies.map((c) => [c.currency, c.cashInMinor, c.cashOutMinor, c.expectedMinor])).toEqual([
      ['USD', 39_50, 5_00, 134_50],
      ['EUR', 7_25, 0, 27_25]
    ])
    expect(now.movements.map((m) => [m.label, m.customerId, m.amountMinor])).toEqual([
      ['Cash payment', 'easycall', 25_00],
      ['Cash payment', 'easycall', 10_50],
      ['Refund paid out', 'easycall', -5_00],
      ['Cash payment', 'easycall', 4_00],
      ['Cash payment', 'eurocall', 7_25]
    ])
    // A repeated Finish (the same operation key) records nothing twice, on the shift either.
    const key = newKey()
    const first = await ok('adjustments.submit', { customerId: usd, operation: 'manual-payment', amount: '25.00', operationKey: key })
    const repeat = await ok('adjustments.submit', { customerId: usd, operation: 'manual-payment', amount: '25.00', operationKey: key })
    expect(repeat).toMatchObject({ repeated: true, xdrId: first.xdrId })
    await pay(usd, '1.00', 'refund')
    await pay(usd, '1.00', 'refund')
    expect((await ok('shifts.current', {})).shift).toMatchObject({ payments: 5, refunds: 3 })
  })

  it('refuses a close without every currency counted, or with a currency the shift never took, changing nothing', async () => {
    const before = books()
    expect(await desk.call('shifts.close', { shiftId, counted: [{ currency: 'USD', amount: '180' }] })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', field: 'counted.EUR', message: 'Count the cash in EUR (0 if there is none).' }
    })
    expect(
      await desk.call('shifts.close', {
        shiftId,
        counted: [
          { currency: 'USD', amount: '180' },
          { currency: 'EUR', amount: '27.25' },
          { currency: 'JPY', amount: '0' }
        ]
      })
    ).toMatchObject({ ok: false, error: { field: 'counted.JPY' } })
    expect(books()).toEqual(before)
  })

  it('closes with the cash counted: expected vs counted and the difference, stored and audited in the same commit', async () => {
    const expected = (await ok('shifts.current', {})).shift!.currencies.find((c) => c.currency === 'USD')!.expectedMinor
    // 134.50 + 25.00 − 2 × 1.00
    expect(expected).toBe(157_50)
    const auditBefore = books().audit
    const closed = await ok('shifts.close', {
      shiftId,
      counted: [
        { currency: 'USD', amount: '155.00' },
        { currency: 'EUR', amount: '27.25' }
      ]
    })
    expect(closed.closedAt).not.toBeNull()
    expect(closed.currencies.map((c) => [c.currency, c.expectedMinor, c.countedMinor, c.differenceMinor])).toEqual([
      ['USD', 157_50, 155_00, -2_50],
      ['EUR', 27_25, 27_25, 0]
    ])
    const entries = (await ok('audit.list', { limit: 5 })).filter((e) => e.id > auditBefore)
    expect(entries.map((e) => [e.kind, e.description])).toEqual([
      [
        'shift.closed',
        `Shift ${shiftId} of Administrator closed (5 cash payments, 3 refunds). USD: expected 157.50 USD, counted 155.00 USD, short by 2.50 USD; EUR: expected 27.25 EUR, counted 27.25 EUR, no difference.`
      ]
    ])
    expect(await ok('shifts.current', {})).toMatchObject({ shift: null })
    // Stored as closed: later cash does not move a closed shift's figures.
    const before = books()
    expect(await desk.call('shifts.close', { shiftId, counted: [{ currency: 'USD', amount: '1' }] })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } })
    expect(books()).toEqual(before)
  })

  it('lets an administrator without a shift take cash, on no shift', async () => {
    const p = await pay(usd, '3.00')
    expect(p.xdrId).not.toBeNull()
    expect(cashOf(p.xdrId!)).toBeUndefined()
    expect((await ok('shifts.list', {})).rows[0]!.currencies[0]).toMatchObject({ currency: 'USD', expectedMinor: 157_50, differenceMinor: -2_50 })
  })

  it('prints the report as an 80 mm PDF with expected, counted and the difference', async () => {
    const file = await ok('shifts.report', { shiftId })
    expect(file.fileName).toBe(`shift-${shiftId}.pdf`)
    const text = (await pdfTextOf(new Uint8Array(Buffer.from(file.pdfBase64, 'base64')))).replace(/\s+/g, ' ')
    for (const part of [
      'Shift report',
      `Shift ${shiftId}`,
      'Administrator',
      'Float 100.00 USD',
      'Expected 157.50 USD',
      'Counted 155.00 USD',
      'short by 2.50 USD',
      'Refund paid out'
    ])
      expect(text).toContain(part)
  })
})

describe("a cashier's cash needs an open shift", () => {
  const cashier = () => as(CASHIER)

  it('refuses a cash payment without an open shift (preview and Finish), changing nothing', async () => {
    const before = books()
    const input = { customerId: usd, operation: 'manual-payment' as const, amount: '12.00' }
    const message = 'Cash is taken on an open shift: open your shift (Shifts page, with the float counted) before taking cash.'
    expect(await cashier().call('adjustments.preview', input)).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'operation', message } })
    expect(await cashier().call('adjustments.submit', { ...input, operationKey: newKey() })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', field: 'operation', message }
    })
    expect(await cashier().ok('shifts.current', {})).toMatchObject({ shift: null, cashNeedsShift: true })
    expect(books()).toEqual(before)
  })

  it('refuses the out-of-turn page’s cash without a shift, on its cash field: no invoice, no payment', async () => {
    const item = await ok('adjustments.submit', { customerId: usd, operation: 'manual-charge', amount: '6.00', serviceId, outOfTurn: true, operationKey: newKey() })
    const before = books()
    expect(await cashier().call('outOfTurn.issue', { customerId: usd, xdrIds: [item.xdrId!], cashPayment: '6.00', operationKey: newKey() })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', field: 'cashPayment' }
    })
    expect(books()).toEqual(before)
    // Without cash the invoice is issued as before.
    expect(await cashier().call('outOfTurn.issue', { customerId: usd, xdrIds: [item.xdrId!], cashPayment: null, operationKey: newKey() })).toMatchObject({ ok: true })
  })

  it('takes cash once the cashier opened a shift, on their own shift; they close it and see only their own reports', async () => {
    const mine = await cashier().ok('shifts.open', { floats: [{ currency: 'USD', amount: '50' }] })
    expect(mine).toMatchObject({ operatorId: CASHIER.id, operatorName: CASHIER.name })
    const res = await cashier().ok('adjustments.submit', { customerId: usd, operation: 'manual-payment', amount: '12.00', operationKey: newKey() })
    expect(cashOf(res.xdrId!)).toEqual({ shift_id: mine.id, amount_minor: 12_00 })
    // The administrator's cash is not on the cashier's shift.
    const adminCash = await pay(usd, '2.00')
    expect(cashOf(adminCash.xdrId!)).toBeUndefined()
    // Cash in a currency the float left out: the shift takes it with a nil float.
    const e = await cashier().ok('adjustments.submit', { customerId: eur, operation: 'manual-payment', amount: '3.00', operationKey: newKey() })
    expect(cashOf(e.xdrId!)).toEqual({ shift_id: mine.id, amount_minor: 3_00 })
    const closed = await cashier().ok('shifts.close', {
      shiftId: mine.id,
      counted: [
        { currency: 'USD', amount: '63.00' },
        { currency: 'EUR', amount: '3' }
      ]
    })
    expect(closed.currencies.map((c) => [c.currency, c.floatMinor, c.expectedMinor, c.differenceMinor])).toEqual([
      ['USD', 50_00, 62_00, 1_00],
      ['EUR', 0, 3_00, 0]
    ])
    const text = (await pdfTextOf(new Uint8Array(Buffer.from((await cashier().ok('shifts.report', { shiftId: mine.id })).pdfBase64, 'base64'))))
      .replace(/\s+/g, ' ')
      .normalize('NFC')
    expect(text).toContain('Zoë Łukasiewicz')
    expect(text).toContain('over by 1.00 USD')
    const adminShift = (await ok('shifts.list', {})).rows.find((s) => s.operatorId === 1)!
    expect(await cashier().call('shifts.report', { shiftId: adminShift.id })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    expect(await cashier().call('shifts.list', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
  })
})

describe('every shift for administrators and auditors', () => {
  it('lists shifts newest first with their differences, filters those with one, and exports them as CSV', async () => {
    const all = await ok('shifts.list', {})
    expect(all.total).toBe(2)
    expect(all.rows.map((s) => s.operatorName)).toEqual([CASHIER.name, 'Administrator'])
    expect((await ok('shifts.list', { status: 'open' })).total).toBe(0)
    expect((await ok('shifts.list', { withDifference: true })).total).toBe(2)
    const auditor = as({ id: 1, login: 'admin', name: 'Administrator', role: 'auditor' })
    const csv = (await auditor.ok('shifts.export', {})).csv
    const lines = csv
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n')
    expect(lines[0]).toBe('shift,operator,opened_at,closed_at,closed_by,currency,float,cash_in,cash_out,expected,counted,difference,payments,refunds')
    expect(lines).toHaveLength(5)
    expect(lines.find((l) => l.includes(',Administrator,') && l.includes(',USD,'))).toMatch(/,USD,100\.00,64\.50,7\.00,157\.50,155\.00,-2\.50,5,3$/)
    expect(await auditor.call('shifts.open', { floats: [{ currency: 'USD', amount: '1' }] })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
  })
})

describe('a shift its operator left open, and the list over many days', () => {
  let clock = Date.parse('2026-11-02T08:00:00Z')
  let d: TestDesk
  let carla: number
  let dave: number
  let customer: number
  const asOp = async <C extends Channel>(operatorId: number, channel: C, input: InputOf<C>) =>
    (await d.app.dispatch(channel, input, { transport: 'test', operatorId })) as IpcResponse<ResultOf<C>>
  const okAs = async <C extends Channel>(operatorId: number, channel: C, input: InputOf<C>): Promise<ResultOf<C>> => {
    const res = await asOp(operatorId, channel, input)
    if (!res.ok) throw new Error(`${channel}: ${res.error.code} ${res.error.message}`)
    return res.value
  }

  beforeAll(async () => {
    d = await openTestDesk({ now: () => clock })
    carla = (await d.ok('operators.create', { login: 'carla', name: 'Carla Cashier', role: 'cashier', password: 'cashier-pass-1' })).id
    dave = (await d.ok('operators.create', { login: 'dave', name: 'Dave Cashier', role: 'cashier', password: 'cashier-pass-2' })).id
    customer = (
      await d.ok('customers.create', { customerId: 'easycall', companyName: '', balanceControl: 'postpaid', currency: 'USD', classId: null, creditLimit: null })
    ).id
  })
  afterAll(async () => {
    await d?.close()
  })

  it('an administrator closes a shift a cashier forgot, counting every currency; audited as closed by the administrator', async () => {
    const left = await okAs(carla, 'shifts.open', {
      floats: [
        { currency: 'USD', amount: '50' },
        { currency: 'EUR', amount: '20' }
      ]
    })
    await okAs(carla, 'adjustments.submit', { customerId: customer, operation: 'manual-payment', amount: '12.50', operationKey: newKey() })
    clock += 10 * 3_600_000
    // Another cashier may not close it; nor may the administrator without counting every currency.
    expect(await asOp(dave, 'shifts.close', { shiftId: left.id, counted: [{ currency: 'USD', amount: '62.50' }] })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', message: `Shift ${left.id} is Carla Cashier's: only they or an administrator can close it.` }
    })
    expect(await d.call('shifts.close', { shiftId: left.id, counted: [{ currency: 'USD', amount: '62.50' }] })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', field: 'counted.EUR' }
    })
    const closed = await d.ok('shifts.close', {
      shiftId: left.id,
      counted: [
        { currency: 'USD', amount: '60' },
        { currency: 'EUR', amount: '20' }
      ]
    })
    expect(closed).toMatchObject({ operatorId: carla, operatorName: 'Carla Cashier', closedBy: 'Administrator', closedAt: '2026-11-02T18:00:00.000Z' })
    expect(closed.currencies.map((c) => [c.currency, c.expectedMinor, c.countedMinor, c.differenceMinor])).toEqual([
      ['USD', 62_50, 60_00, -2_50],
      ['EUR', 20_00, 20_00, 0]
    ])
    const entry = d.app.core.engine.read((r) =>
      r.get<{ kind: string; operator_name: string; description: string }>(
        "SELECT kind, operator_name, description FROM audit_log WHERE kind = 'shift.closed' ORDER BY id DESC LIMIT 1"
      )
    )
    expect(entry).toMatchObject({ operator_name: 'Administrator' })
    expect(entry!.description).toMatch(new RegExp(`^Shift ${left.id} of Carla Cashier closed by Administrator \\(1 cash payment, 0 refunds\\)\\. `))
    expect(entry!.description).toContain('USD: expected 62.50 USD, counted 60.00 USD, short by 2.50 USD')
    const report = (await pdfTextOf(new Uint8Array(Buffer.from((await d.ok('shifts.report', { shiftId: left.id })).pdfBase64, 'base64')))).replace(/\s+/g, ' ')
    expect(report).toContain('Closed by Administrator')
    expect(report).toContain('short by 2.50 USD')
    // The cashier has no open shift any more and may open the next one.
    expect((await okAs(carla, 'shifts.current', {})).shift).toBeNull()
    expect(await d.call('shifts.close', { shiftId: left.id, counted: [{ currency: 'USD', amount: '1' }] })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } })
  })

  it('lists the shifts opened between two days, and pages through more than a page', async () => {
    // One shift a day for Dave, 2026-11-03 … 2026-11-12, each closed the same day.
    clock = Date.parse('2026-11-03T09:00:00Z')
    for (let i = 0; i < 10; i++) {
      const s = await okAs(dave, 'shifts.open', { floats: [{ currency: 'USD', amount: '10' }] })
      clock += 8 * 3_600_000
      await okAs(dave, 'shifts.close', { shiftId: s.id, counted: [{ currency: 'USD', amount: '10' }] })
      clock += 16 * 3_600_000
    }
    const between = await d.ok('shifts.list', { from: '2026-11-05', to: '2026-11-07' })
    expect(between.total).toBe(3)
    expect(between.rows.map((s) => s.openedAt.slice(0, 10))).toEqual(['2026-11-07', '2026-11-06', '2026-11-05'])
    expect((await d.ok('shifts.list', { from: '2026-11-11' })).rows.map((s) => s.openedAt.slice(0, 10))).toEqual(['2026-11-12', '2026-11-11'])
    expect((await d.ok('shifts.list', { to: '2026-11-02' })).rows.map((s) => s.operatorName)).toEqual(['Carla Cashier'])
    expect(await d.call('shifts.list', { from: '2026-11-31' })).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'from' } })
    // Pages of 4: every shift once, newest first, across the pages.
    const seen: number[] = []
    for (let offset = 0; ; offset += 4) {
      const page = await d.ok('shifts.list', { offset, limit: 4 })
      expect(page.total).toBe(11)
      seen.push(...page.rows.map((s) => s.id))
      if (page.rows.length < 4) break
    }
    expect(seen).toHaveLength(11)
    expect(new Set(seen).size).toBe(11)
    expect(seen).toEqual([...seen].sort((a, b) => b - a))
  })
})
