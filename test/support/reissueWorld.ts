/**
 * The engine alone with a clock, for batch re-issue (test/integration/reissue.test.ts): customers of
 * a monthly class, usage posted as the import does (charge = amount), a re-rating as rerating.ts
 * writes it (usage charges changed, ONE correction per customer linked to its run), closings, and
 * the checks every re-issue must keep (lines = total, closing balance = ledger, gapless numbers,
 * no record on two live invoices).
 */
import type { DbReader } from '../../src-main/db/store'
import { closeDuePeriods } from '../../src-main/engine/invoicing'
import { postToLedger } from '../../src-main/engine/ledger'
import { ADMIN, lifecycleWorld } from './lifecycleWorld'

export async function reissueWorld(dataDir?: string) {
  const t = await lifecycleWorld(dataDir)
  const voice = t.engine.change(ADMIN, (w) => w.insert("INSERT INTO services (code, name, kind) VALUES ('voice', 'Voice calls', 'voice')"))
  let classes = 0
  const classId = (taxPpm = 0, prefix = 'INV-') =>
    t.engine.change(ADMIN, (w) =>
      w.insert("INSERT INTO customer_classes (name, billing_period, billing_day, due_days, tax_rate_ppm, invoice_prefix) VALUES (?, 'monthly', 1, 14, ?, ?)", [
        `Class ${++classes}`,
        taxPpm,
        prefix
      ])
    )
  const post = (customerId: number, kind: string, amountMinor: number) =>
    t.engine.change(ADMIN, (w) =>
      postToLedger(w, {
        kind,
        customerId,
        amountMinor,
        unallocatedDeltaMinor: kind === 'manual-payment' ? -amountMinor : 0,
        serviceId: kind === 'manual-payment' ? null : voice,
        effectiveDate: null,
        outOfTurn: false,
        visibleComment: '',
        internalComment: ''
      })
    ).xdrId
  /** A call rated on import: the ledger amount and the charge agree. */
  const usage = (customerId: number, amountMinor: number) => {
    const id = post(customerId, 'usage', amountMinor)
    t.engine.change(ADMIN, (w) => w.run("UPDATE xdrs SET rating = 'rated', charge_minor = amount_minor, duration_s = 60 WHERE id = ?", [id]))
    return id
  }
  /**
   * Re-rate one customer's usage started in [from, to): each charge becomes `price(charge)`; one
   * correction for the difference, as rerating.ts posts it. Returns the difference.
   */
  const rerate = (customerId: number, from: string, to: string, price: (charge: number) => number) =>
    t.engine.change(ADMIN, (w) => {
      const rows = w.all<{ id: number; charge_minor: number }>(
        "SELECT id, charge_minor FROM xdrs WHERE customer_id = ? AND kind = 'usage' AND started_at >= ? AND started_at < ?",
        [customerId, from, to]
      )
      let oldTotal = 0
      let newTotal = 0
      for (const r of rows) {
        const next = price(r.charge_minor)
        oldTotal += r.charge_minor
        newTotal += next
        w.run('UPDATE xdrs SET charge_minor = ? WHERE id = ?', [next, r.id])
      }
      const runId = w.insert(
        "INSERT INTO reratings (at, operator_name, period_from, period_to, scope_json, state) VALUES (?, 'Administrator', ?, ?, '{}', 'completed')",
        [w.at, from, to]
      )
      const diff = newTotal - oldTotal
      let correction: number | null = null
      if (diff !== 0) {
        correction = postToLedger(w, {
          kind: 'rerating-correction',
          customerId,
          amountMinor: diff,
          unallocatedDeltaMinor: 0,
          serviceId: null,
          effectiveDate: null,
          outOfTurn: false,
          visibleComment: 'Usage re-rated',
          internalComment: `Re-rating ${runId}`
        }).xdrId
        w.run('UPDATE xdrs SET rerating_id = ? WHERE id = ?', [runId, correction])
      }
      w.run(
        `INSERT INTO rerating_customers (rerating_id, customer_id, period_from, period_to, records, old_total_minor, new_total_minor, difference_minor, correction_xdr_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [runId, customerId, from, to, rows.length, oldTotal, newTotal, diff, correction]
      )
      return diff
    })
  const close = () => closeDuePeriods(t.engine, ADMIN)
  type Inv = {
    id: number
    number: string
    customer_id: number
    status: string
    total_minor: number
    amount_due_minor: number
    closing_balance_minor: number
    previous_balance_minor: number
    taxes_minor: number
    paid_minor: number
    period_start: string
    period_end: string
    replaced_by: number | null
    voided_at: string | null
    sequence_number: number
    prefix: string
  }
  const invoices = (customerId?: number) =>
    t.engine.read((r) => r.all<Inv>('SELECT * FROM invoices WHERE ?1 IS NULL OR customer_id = ?1 ORDER BY id', [customerId ?? null]))
  const live = (customerId: number) => invoices(customerId).filter((i) => i.voided_at === null)
  const lines = (invoiceId: number) =>
    t.engine.read((r) =>
      r.all<{ category: string; description: string; amount_minor: number }>('SELECT * FROM invoice_lines WHERE invoice_id = ? ORDER BY position', [invoiceId])
    )
  const balance = (id: number) => t.engine.read((r) => r.get<{ balance_minor: number }>('SELECT balance_minor FROM customers WHERE id = ?', [id])!.balance_minor)

  const broken = () => t.engine.read(reissueInvariants)
  return { ...t, voice, classId, post, usage, rerate, close, invoices, live, lines, balance, broken }
}

/**
 * The invariants, as broken-rule messages (empty when all hold): every invoice's lines sum to
 * its total; numbers per prefix run 1..n; no ledger record is counted on two live invoices (a
 * correction's parts and its home's remainder never exceed it); and each customer's latest
 * regular invoice's closing balance = the ledger balance of what it knows: the balance less the
 * records on no invoice and the reductions posted after its period (the next invoice's, as
 * closing counts them), plus the parts of uninvoiced corrections that live invoices took.
 */
export function reissueInvariants(r: DbReader): string[] {
  const out: string[] = []
  for (const i of r.all<{ number: string; total_minor: number; s: number | null }>(
    'SELECT i.number, i.total_minor, (SELECT sum(amount_minor) FROM invoice_lines WHERE invoice_id = i.id) AS s FROM invoices i'
  )) {
    if ((i.s ?? 0) !== i.total_minor) out.push(`${i.number}: lines ${i.s} <> total ${i.total_minor}`)
  }
  for (const p of r.all<{ prefix: string; n: number; mx: number; last: number }>(
    'SELECT i.prefix, count(*) AS n, max(sequence_number) AS mx, s.last_number AS last FROM invoices i JOIN invoice_sequences s ON s.prefix = i.prefix GROUP BY i.prefix'
  )) {
    if (p.n !== p.mx || p.mx !== p.last) out.push(`prefix ${p.prefix}: ${p.n} invoices, max ${p.mx}, sequence ${p.last}`)
  }
  const over = r.all<{ id: number }>(
    `SELECT x.id FROM xdrs x WHERE x.kind = 'rerating-correction' AND abs(coalesce((SELECT sum(p.amount_minor) FROM invoice_correction_parts p JOIN invoices i ON i.id = p.invoice_id
           WHERE p.xdr_id = x.id AND i.voided_at IS NULL), 0)) > abs(x.amount_minor)`
  )
  if (over.length > 0) out.push(`corrections over-taken: ${over.map((o) => o.id).join(', ')}`)
  const onVoid = r.all<{ id: number }>('SELECT x.id FROM xdrs x JOIN invoices i ON i.id = x.invoice_id WHERE i.voided_at IS NOT NULL')
  if (onVoid.length > 0) out.push(`records still on void invoices: ${onVoid.length}`)
  for (const c of r.all<{ id: number; balance_minor: number }>('SELECT id, balance_minor FROM customers')) {
    const latest = r.get<{ number: string; closing_balance_minor: number; period_end: string }>(
      'SELECT number, closing_balance_minor, period_end FROM invoices WHERE customer_id = ? AND out_of_turn = 0 AND voided_at IS NULL ORDER BY period_end DESC LIMIT 1',
      [c.id]
    )
    if (!latest) continue
    const unbilled = r.get<{ s: number | null }>('SELECT sum(amount_minor) AS s FROM xdrs WHERE customer_id = ? AND invoice_id IS NULL', [c.id])?.s ?? 0
    const taken =
      r.get<{ s: number | null }>(
        `SELECT sum(p.amount_minor) AS s FROM invoice_correction_parts p JOIN invoices i ON i.id = p.invoice_id JOIN xdrs x ON x.id = p.xdr_id
           WHERE i.voided_at IS NULL AND x.invoice_id IS NULL AND x.customer_id = ?`,
        [c.id]
      )?.s ?? 0
    const laterReductions =
      r.get<{ s: number | null }>(
        'SELECT sum(x.amount_minor) AS s FROM invoice_reductions d JOIN xdrs x ON x.id = d.xdr_id WHERE x.customer_id = ? AND x.created_at >= ?',
        [c.id, latest.period_end]
      )?.s ?? 0
    const expected = c.balance_minor - unbilled + taken - laterReductions
    if (latest.closing_balance_minor !== expected) out.push(`${latest.number}: closing ${latest.closing_balance_minor} <> ledger ${expected}`)
  }
  return out
}

export type ReissueWorld = Awaited<ReturnType<typeof reissueWorld>>
