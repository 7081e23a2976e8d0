/**
 * The engine alone on a fresh durable store, with a clock the test moves, for the customer
 * life-cycle tests (lifecycle.test.ts, lifecycleScheduler.test.ts): add customers and classes,
 * change a status, and read back the columns, status history, audit entries and journal sequence.
 */
import { loadSqlJs } from '../../src-main/db/sqljs'
import { DurableStore } from '../../src-main/db/store'
import { createCustomer } from '../../src-main/engine/customerEdit'
import { changeStatus } from '../../src-main/engine/lifecycle'
import { issueInvoicesToNow } from '../../src-main/engine/invoicing'
import { Engine } from '../../src-main/engine/unitOfWork'
import { customerCreateInput, statusChangeInput } from '../../src-shared/contract'
import { AppError } from '../../src-shared/errors'
import { tmpDataDir } from './tmp'

// Local times, so calendar-date rules read the same in any time zone the tests run in.
export const local = (y: number, mo: number, d: number, h = 12, mi = 0) => new Date(y, mo - 1, d, h, mi).getTime()
export const MINUTE = 60_000
export const DAY = 24 * 60 * MINUTE
export const ADMIN = { operatorId: 1, operatorName: 'Administrator' }

export async function lifecycleWorld(dataDir = tmpDataDir()) {
  const clock = { t: local(2026, 11, 21, 10) }
  const sql = await loadSqlJs()
  const store = DurableStore.open({ dataDir, sql, now: () => clock.t, log: () => {} })
  const engine = new Engine(store, () => clock.t)
  const addCustomer = (customerId: string, extra: Record<string, unknown> = {}) =>
    engine.change(ADMIN, (w) =>
      createCustomer(
        w,
        customerCreateInput.parse({ customerId, balanceControl: 'postpaid', currency: 'USD', companyName: customerId, classId: null, creditLimit: null, ...extra })
      )
    )
  const addClass = (name: string, reactivationDays: number) =>
    engine.change(ADMIN, (w) => w.insert('INSERT INTO customer_classes (name, reactivation_days) VALUES (?, ?)', [name, reactivationDays]))
  const change = (id: number, action: string, extra: Record<string, unknown> = {}) =>
    engine.change(ADMIN, (w) => changeStatus(w, statusChangeInput.parse({ id, action, ...extra }), issueInvoicesToNow))
  const row = (id: number) =>
    engine.read(
      (r) =>
        r.get<{
          status: string
          lifecycle: string
          blocked: number
          suspended: number
          suspension_lifted_until: string | null
          provisionally_terminated_at: string | null
          reactivation_deadline: string | null
          terminated_at: string | null
        }>('SELECT * FROM customers WHERE id = ?', [id])!
    )
  const history = (id: number) =>
    engine.read((r) =>
      r.all<{ at: string; from_status: string | null; to_status: string; note: string; operator_name: string }>(
        'SELECT * FROM customer_status_history WHERE customer_id = ? ORDER BY id',
        [id]
      )
    )
  const audits = (id: number) =>
    engine.read((r) =>
      r.all<{ id: number; at: string; kind: string; field: string | null; from_value: string | null; to_value: string | null; description: string }>(
        'SELECT * FROM audit_log WHERE customer_id = ? ORDER BY id',
        [id]
      )
    )
  const journalSeq = () => Number(engine.read((r) => r.get<{ value: string }>("SELECT value FROM meta WHERE key = 'journal_seq'")!.value))
  return { clock, store, engine, addCustomer, addClass, change, row, history, audits, journalSeq, sql, dataDir }
}

export function refusal(fn: () => unknown): AppError {
  try {
    fn()
  } catch (err) {
    if (err instanceof AppError) return err
    throw err
  }
  throw new Error('expected the change to be refused')
}

export type LifecycleWorld = Awaited<ReturnType<typeof lifecycleWorld>>
