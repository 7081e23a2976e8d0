/**
 * Gapless invoice numbers when the process is killed in the middle of closing a period (issue 10):
 * a real child process (src-main/tools/invoice-crash-child.ts) closes the period of 1,000
 * customers and is SIGKILLed at random moments; after each kill the data folder is reopened as the
 * app would and checked: numbers run 1..n with no gap, the sequence says n, every invoice is whole
 * (lines = total, its records and tax taken, its audit entry), nobody has two. The next run
 * carries on from there, and a last run finishes: 1,000 invoices numbered 1..1,000.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadSqlJs } from '../../src-main/db/sqljs'
import { DurableStore } from '../../src-main/db/store'
import { verifyAuditChain } from '../../src-main/engine/audit'
import { Engine } from '../../src-main/engine/unitOfWork'
import { runCrashChild } from '../support/crashChild'

const CHILD = path.resolve('out/main/invoice-crash-child.js')
const CUSTOMERS = 1000
const KILLS = 4
const CLOSE_AT = '2026-12-02T12:00:00Z'
const ADMIN = { operatorId: 1, operatorName: 'Administrator' }

const runChild = (dataDir: string, killAfterUnitMs: number | null) =>
  // After the first unit of work is durable: the kill lands in a later one (or between two).
  runCrashChild(CHILD, ['--data-dir', dataDir, '--now', CLOSE_AT], killAfterUnitMs, 2)

describe('invoice numbers when the closing process is killed', () => {
  it(`stay gapless and every invoice stays whole (${KILLS} kills in the middle of closing)`, async () => {
    expect(fs.existsSync(CHILD), 'build first: npx electron-vite build').toBe(true)
    const sql = await loadSqlJs()
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'invoice-crash-'))
    const setupAt = Date.parse('2026-11-21T10:00:00Z')
    const store = DurableStore.open({ dataDir, sql, now: () => setupAt, log: () => {} })
    new Engine(store, () => setupAt).change(ADMIN, (w) => {
      const classId = w.insert("INSERT INTO customer_classes (name, invoice_prefix, tax_rate_ppm) VALUES ('Crash', 'C-', 100000)")
      for (let i = 1; i <= CUSTOMERS; i++) {
        const id = w.insert(
          "INSERT INTO customers (customer_id, balance_control, currency, class_id, balance_minor, created_at, updated_at) VALUES (?, 'postpaid', 'USD', ?, ?, ?, ?)",
          [`crash-${i}`, classId, 100 * i, w.at, w.at]
        )
        w.run("INSERT INTO xdrs (kind, customer_id, service_id, started_at, amount_minor, created_at) VALUES ('manual-charge', ?, 1, ?, ?, ?)", [id, w.at, 100 * i, w.at])
      }
    })
    store.close({ snapshot: true })

    const check = (label: string) => {
      const s = DurableStore.open({ dataDir, sql, now: () => Date.parse(CLOSE_AT), log: () => {} })
      try {
        return s.read((r) => {
          const seqs = r.all<{ sequence_number: number }>('SELECT sequence_number FROM invoices ORDER BY sequence_number').map((x) => x.sequence_number)
          expect(
            seqs.every((n, i) => n === i + 1),
            `${label}: numbers have a gap`
          ).toBe(true)
          expect(r.get<{ n: number }>("SELECT coalesce(max(last_number), 0) AS n FROM invoice_sequences WHERE prefix = 'C-'")!.n, `${label}: sequence`).toBe(seqs.length)
          const broken = r.all(
            `SELECT i.number FROM invoices i
             WHERE i.total_minor <> (SELECT coalesce(sum(amount_minor), 0) FROM invoice_lines WHERE invoice_id = i.id)
                OR i.closing_balance_minor <> (SELECT balance_minor FROM customers WHERE id = i.customer_id)
                OR i.total_minor <> (SELECT coalesce(sum(amount_minor), 0) FROM xdrs WHERE invoice_id = i.id)`
          )
          expect(broken, `${label}: invoices not whole`).toEqual([])
          expect(r.get<{ n: number }>('SELECT count(*) AS n FROM (SELECT customer_id FROM invoices GROUP BY customer_id HAVING count(*) > 1)')!.n).toBe(0)
          expect(r.get<{ n: number }>('SELECT count(*) AS n FROM xdrs WHERE invoice_id IS NULL')!.n, `${label}: records left`).toBe(CUSTOMERS - seqs.length)
          expect(r.get<{ n: number }>("SELECT count(*) AS n FROM audit_log WHERE kind = 'invoice.issued'")!.n).toBe(seqs.length)
          expect(verifyAuditChain(r).ok).toBe(true)
          return seqs.length
        })
      } finally {
        s.close({ snapshot: false })
      }
    }

    let issued = 0
    let killedMidway = 0
    for (let k = 0; k < KILLS; k++) {
      const run = await runChild(dataDir, (k * 7) % 15)
      expect(run.stderr, `worker failed on kill ${k}`).toBe('')
      const n = check(`kill ${k}`)
      expect(n).toBeGreaterThanOrEqual(issued)
      if (n > issued && n < CUSTOMERS && !run.out.includes('DONE')) killedMidway++
      issued = n
    }
    const last = await runChild(dataDir, null)
    expect(last.stderr).toBe('')
    expect(last.out).toContain('DONE')
    expect(check('finished')).toBe(CUSTOMERS)
    // Meaningful only if some kills landed after some units and before the end.
    expect(killedMidway).toBeGreaterThan(0)
    fs.rmSync(dataDir, { recursive: true, force: true })
  }, 300_000)
})
