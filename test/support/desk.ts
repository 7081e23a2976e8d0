/**
 * The billing app on a fresh temporary data folder, called through the handler table exactly as
 * both transports call it, after first-run setup. Shared by the integration tests that need only
 * that (operation effects, status rules, amount limits).
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { type NotifyDesktop, openBillingApp } from '../../src-main/app'
import type { Channel, InputOf, ResultOf } from '../../src-shared/contract'
import type { IpcResponse } from '../../src-shared/errors'
import type { JobSnapshot } from '../../src-shared/domain'
import { settleInvoice } from '../../src-main/engine/invoicing'
import { postToLedger } from '../../src-main/engine/ledger'
import type { Engine } from '../../src-main/engine/unitOfWork'
import { TEST_ADMIN, TEST_KDF } from './operators'

export const ADMIN_ACTOR = { operatorId: 1, operatorName: 'Administrator' }

let keySeq = 0
/** A fresh wizard operation key (the contract wants 16-64 letters, digits or dashes). */
export const newKey = () => `desk-key-${process.pid}-${String(++keySeq).padStart(8, '0')}`

/** `background: false`: no schedulers nor start-up catch-up (a test runs the timed work itself). */
export async function openTestDesk(opts: { demo?: boolean; now?: () => number; background?: boolean; notifyDesktop?: NotifyDesktop; snapshotAfterBytes?: number } = {}) {
  // Its own folder, removed by close(): a desk may live across the tests of a file.
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'billing-desk-'))
  const app = await openBillingApp({
    dataDir,
    now: opts.now ?? (() => Date.parse('2026-11-21T10:00:00Z')),
    log: () => {},
    dailyBackupDelayMs: 3_600_000,
    background: opts.background ?? true,
    kdf: TEST_KDF,
    ...(opts.notifyDesktop ? { notifyDesktop: opts.notifyDesktop } : {}),
    ...(opts.snapshotAfterBytes ? { snapshotAfterBytes: opts.snapshotAfterBytes } : {})
  })
  const call = async <C extends Channel>(channel: C, input: InputOf<C>) => (await app.dispatch(channel, input, { transport: 'test' })) as IpcResponse<ResultOf<C>>
  /** A call as operator `operatorId` (null: nobody logged in), through the same handler table. */
  const callAs = async <C extends Channel>(operatorId: number | null, channel: C, input: InputOf<C>) =>
    (await app.dispatch(channel, input, { transport: 'test', operatorId })) as IpcResponse<ResultOf<C>>
  const ok = async <C extends Channel>(channel: C, input: InputOf<C>): Promise<ResultOf<C>> => {
    const res = await call(channel, input)
    if (!res.ok) throw new Error(`${channel}: ${res.error.code} ${res.error.message}`)
    return res.value
  }
  await ok('setup.complete', { companyName: 'Test Callshop', address: '', defaultCurrency: 'USD', loadDemoData: opts.demo ?? false, ...TEST_ADMIN })
  /** A real service for charges and credits: one the install already has, else one added here. */
  const addVoiceService = (): number =>
    app.core.engine.change(ADMIN_ACTOR, (w) => {
      const existing = w.get<{ id: number }>('SELECT id FROM services WHERE is_special = 0 ORDER BY id LIMIT 1')
      return existing?.id ?? w.insert("INSERT INTO services (code, name, kind) VALUES ('test-voice', 'Voice calls', 'voice')")
    })
  const close = async () => {
    await app.close()
    fs.rmSync(dataDir, { recursive: true, force: true })
  }
  return { app, call, callAs, ok, addVoiceService, close }
}

export type TestDesk = Awaited<ReturnType<typeof openTestDesk>>

/**
 * A customer class as classes.create takes it: the usual monthly class (billed on the 1st, due in
 * 14 days, no overdue suspension, 30 reactivation days, no tax), with what a test cares about.
 */
export function classInput(fields: Partial<InputOf<'classes.create'>> & Pick<InputOf<'classes.create'>, 'name'>): InputOf<'classes.create'> {
  return {
    currency: null,
    billingPeriod: 'monthly',
    billingDay: 1,
    dueDays: 14,
    suspendOnOverdue: false,
    suspensionGraceDays: 0,
    reactivationDays: 30,
    taxRatePpm: 0,
    invoicePrefix: '',
    ...fields
  }
}

/** Polls a job (`status(jobId)`) until it is no longer running; answers its last snapshot. */
export async function untilJobDone<R>(snapshot: JobSnapshot<R>, status: (jobId: string) => Promise<JobSnapshot<R>>): Promise<JobSnapshot<R>> {
  let s = snapshot
  for (let i = 0; i < 2000 && s.state === 'running'; i++) {
    await new Promise((r) => setTimeout(r, 5))
    s = await status(s.id)
  }
  return s
}

/**
 * A manual payment of `amountMinor` applied to one invoice by hand, in one unit of work: its ledger
 * record, the `invoice_payments` row and the invoice settled (item 2 applies payments itself; tests of
 * the invoice view use this). Answers the payment's xDR id.
 */
export function applyPaymentByHand(engine: Engine, customerId: number, invoiceId: number, amountMinor: number): number {
  return engine.change(ADMIN_ACTOR, (w) => {
    const x = postToLedger(w, {
      kind: 'manual-payment',
      customerId,
      amountMinor: -amountMinor,
      unallocatedDeltaMinor: 0,
      serviceId: null,
      effectiveDate: null,
      outOfTurn: false,
      visibleComment: '',
      internalComment: ''
    })
    w.run('INSERT INTO invoice_payments (invoice_id, xdr_id, amount_minor, at) VALUES (?, ?, ?, ?)', [invoiceId, x.xdrId, amountMinor, w.at])
    settleInvoice(w, invoiceId)
    return x.xdrId
  })
}
