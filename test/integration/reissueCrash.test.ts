/**
 * A batch re-issue killed midway (issue 11): a real child process (src-main/tools/reissue-crash-child.ts,
 * the app's start-up path `runDueBatches`) re-issues the March invoices of 300 customers in void
 * mode and is SIGKILLed at random moments. After each kill the data folder is reopened and checked:
 * every planned invoice is either re-issued whole (old Void, replaced by a live one whose lines add
 * up) or untouched, numbers have no gap, the invariants hold; the next start carries on, and a last
 * run completes the batch.
 */
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { DurableStore } from '../../src-main/db/store'
import { verifyAuditChain } from '../../src-main/engine/audit'
import { createBatch } from '../../src-main/engine/reissue'
import { runCrashChild } from '../support/crashChild'
import { ADMIN, local } from '../support/lifecycleWorld'
import { reissueInvariants, reissueWorld } from '../support/reissueWorld'

const CHILD = path.resolve('out/main/reissue-crash-child.js')
const CUSTOMERS = 300
const KILLS = 4
const NOW = new Date(local(2026, 4, 12, 10)).toISOString()

const runChild = (dataDir: string, killAfterMs: number | null) => runCrashChild(CHILD, ['--data-dir', dataDir, '--now', NOW], killAfterMs, 3)

/** CUSTOMERS customers with March invoices, their March usage re-rated 100 cheaper afterwards. */
async function reratedMarch() {
  expect(fs.existsSync(CHILD), 'build first: npx electron-vite build').toBe(true)
  const t = await reissueWorld()
  t.clock.t = local(2026, 3, 2, 9)
  const classId = t.classId(230_000)
  const ids: number[] = []
  for (let i = 0; i < CUSTOMERS; i++) ids.push(t.addCustomer(`c-${i}`, { classId }))
  t.clock.t = local(2026, 3, 10, 12)
  for (const id of ids) t.usage(id, 1000 + id)
  t.clock.t = local(2026, 4, 1, 0, 5)
  await t.close()
  t.clock.t = local(2026, 4, 10, 9)
  for (const id of ids) t.rerate(id, new Date(local(2026, 3, 1, 0)).toISOString(), new Date(local(2026, 4, 1, 0)).toISOString(), (c) => c - 100)
  return { t, ids }
}

describe('a re-issue batch when the process is killed', () => {
  it(`resumes at the next start; no invoice half re-issued, numbers gapless (${KILLS} kills)`, async () => {
    const { t, ids } = await reratedMarch()
    const batchId = t.engine.change(ADMIN, (w) => createBatch(w, { customerIds: ids, issuedAfter: new Date(local(2026, 3, 31)).toISOString(), mode: 'void' }))
    t.store.close({ snapshot: true })

    const check = (label: string) => {
      const s = DurableStore.open({ dataDir: t.dataDir, sql: t.sql, now: () => Date.parse(NOW), log: () => {} })
      try {
        return s.read((r) => {
          expect(reissueInvariants(r), label).toEqual([])
          const rows = r.all<{ state: string; invoice_id: number; new_invoice_id: number | null }>(
            'SELECT state, invoice_id, new_invoice_id FROM reissue_results WHERE batch_id = ?',
            [batchId]
          )
          let done = 0
          for (const row of rows) {
            const old = r.get<{ status: string; replaced_by: number | null }>('SELECT status, replaced_by FROM invoices WHERE id = ?', [row.invoice_id])!
            if (row.state === 'done') {
              done++
              expect(old.status, label).toBe('void')
              expect(old.replaced_by, label).toBe(row.new_invoice_id)
              // The corrected usage (100 less) and its tax, 23%.
              const fresh = r.get<{ total_minor: number; voided_at: string | null }>('SELECT total_minor, voided_at FROM invoices WHERE id = ?', [row.new_invoice_id!])!
              const before = r.get<{ total_minor: number }>('SELECT total_minor FROM invoices WHERE id = ?', [row.invoice_id])!
              expect([fresh.voided_at, before.total_minor - fresh.total_minor], label).toEqual([null, 123])
            } else {
              expect(row.state, label).toBe('pending')
              expect(old.status, `${label}: untouched`).toBe('open')
              expect(old.replaced_by).toBeNull()
            }
          }
          // One live invoice per customer, numbered 1..n in all.
          expect(r.get<{ n: number }>('SELECT count(*) AS n FROM invoices WHERE voided_at IS NULL')!.n).toBe(CUSTOMERS)
          expect(r.get<{ n: number }>('SELECT count(*) AS n FROM invoices')!.n).toBe(CUSTOMERS + done)
          expect(r.get<{ done: number }>('SELECT done FROM reissue_batches WHERE id = ?', [batchId])!.done, label).toBe(done)
          expect(verifyAuditChain(r).ok).toBe(true)
          return done
        })
      } finally {
        s.close({ snapshot: false })
      }
    }

    let done = 0
    let killedMidway = 0
    for (let k = 0; k < KILLS; k++) {
      const run = await runChild(t.dataDir, (k * 7) % 15)
      expect(run.stderr, `worker failed on kill ${k}`).toBe('')
      const n = check(`kill ${k}`)
      expect(n).toBeGreaterThanOrEqual(done)
      if (n > done && n < CUSTOMERS && !run.out.includes('DONE')) killedMidway++
      done = n
    }
    const last = await runChild(t.dataDir, null)
    expect(last.stderr).toBe('')
    expect(check('finished')).toBe(CUSTOMERS)
    const s = DurableStore.open({ dataDir: t.dataDir, sql: t.sql, now: () => Date.parse(NOW), log: () => {} })
    expect(s.read((r) => r.get<{ state: string }>('SELECT state FROM reissue_batches WHERE id = ?', [batchId])!.state)).toBe('completed')
    s.close({ snapshot: false })
    expect(killedMidway).toBeGreaterThan(0)
    fs.rmSync(t.dataDir, { recursive: true, force: true })
  }, 300_000)

  it('planned in units of work: a kill while planning leaves a batch that is not run half-planned; the next start plans on and runs it', async () => {
    const { t, ids } = await reratedMarch()
    t.store.close({ snapshot: true })
    const issuedAfter = new Date(local(2026, 3, 31)).toISOString()

    /** The batch as a kill left it: planned customers are a prefix of the chosen ones, each whole, nothing re-issued before the plan is complete. */
    const check = (label: string) => {
      const s = DurableStore.open({ dataDir: t.dataDir, sql: t.sql, now: () => Date.parse(NOW), log: () => {} })
      try {
        return s.read((r) => {
          expect(reissueInvariants(r), label).toEqual([])
          const batches = r.all<{ id: number; state: string; done: number; invoices: number }>('SELECT id, state, done, invoices FROM reissue_batches')
          expect(batches.length, label).toBeLessThanOrEqual(1)
          const b = batches[0]
          if (!b) return { planned: 0, planning: false, done: 0 }
          const rows = r.all<{ position: number; customer_id: number; state: string }>(
            'SELECT position, customer_id, state FROM reissue_results WHERE batch_id = ? ORDER BY position',
            [b.id]
          )
          expect(
            rows.map((x) => x.position),
            label
          ).toEqual(rows.map((_, i) => i + 1))
          expect(
            rows.map((x) => x.customer_id),
            `${label}: each customer once, in order`
          ).toEqual(ids.slice(0, rows.length))
          expect(b.invoices, label).toBe(rows.length)
          const voided = r.get<{ n: number }>('SELECT count(*) AS n FROM invoices WHERE voided_at IS NOT NULL')!.n
          const started = r.get<{ n: number }>("SELECT count(*) AS n FROM audit_log WHERE kind = 'invoice.reissueBatch'")!.n
          const planning = b.done < 0
          if (planning) {
            expect([b.state, voided, started, rows.every((x) => x.state === 'pending')], `${label}: not run while planned`).toEqual(['scheduled', 0, 0, true])
          }
          expect(verifyAuditChain(r).ok).toBe(true)
          return { planned: rows.length, planning, done: voided }
        })
      } finally {
        s.close({ snapshot: false })
      }
    }

    let killedWhilePlanning = 0
    for (let k = 0; k < 3; k++) {
      // The first run plans the batch (a customer per unit); the next ones start as the app does.
      const run = await runCrashChild(CHILD, ['--data-dir', t.dataDir, '--now', NOW, ...(k === 0 ? ['--plan', issuedAfter] : [])], k * 4, 3)
      expect(run.stderr, `worker failed on kill ${k}`).toBe('')
      const state = check(`kill ${k}`)
      if (state.planning && state.planned > 0 && state.planned < CUSTOMERS) killedWhilePlanning++
    }
    const last = await runCrashChild(CHILD, ['--data-dir', t.dataDir, '--now', NOW], null, 0)
    expect(last.stderr).toBe('')
    const end = check('finished')
    expect([end.planned, end.planning, end.done]).toEqual([CUSTOMERS, false, CUSTOMERS])
    const s = DurableStore.open({ dataDir: t.dataDir, sql: t.sql, now: () => Date.parse(NOW), log: () => {} })
    expect(s.read((r) => r.get<{ state: string; done: number }>('SELECT state, done FROM reissue_batches')!)).toEqual({ state: 'completed', done: CUSTOMERS })
    s.close({ snapshot: false })
    expect(killedWhilePlanning).toBeGreaterThan(0)
    fs.rmSync(t.dataDir, { recursive: true, force: true })
  }, 300_000)
})
