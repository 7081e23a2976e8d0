/**
 * Usage records written straight into the database as the usage import would leave them (rated
 * with the lists in force, charged to the ledger, balance moved), for tests of what comes after
 * the import: re-rating and retention. A record of an unknown account is kept unrated without a
 * customer, charging nothing.
 */
import { UsageRater } from '../../src-main/engine/usageRating'
import type { Engine } from '../../src-main/engine/unitOfWork'
import { ADMIN_ACTOR } from './desk'

/** A test desk or an end-to-end desk: both hold the running app. */
interface HasEngine {
  app: { core: { engine: Engine } }
}

export interface TestUsage {
  customerId: number | null
  serviceId: number
  startedAt: string
  durationS: number
  destination: string
  /** The account as the switch wrote it (for a record without a customer). */
  accountRef?: string
}

let switchSeq = 0

export function insertUsage(desk: HasEngine, rows: TestUsage[]): number[] {
  return desk.app.core.engine.change(ADMIN_ACTOR, (w) => {
    const rater = new UsageRater(w)
    return rows.map((u) => {
      const rating =
        u.customerId === null
          ? { rating: 'unrated' as const, unratedReason: 'unknown-account', chargeMinor: null, billedS: null, prefix: null, priceListVersionId: null }
          : rater.rate({ customerId: u.customerId, serviceId: u.serviceId, start: Date.parse(u.startedAt), durationS: u.durationS, calledNumber: u.destination })
      const amount = rating.chargeMinor ?? 0
      const id = w.insert(
        `INSERT INTO xdrs (kind, customer_id, service_id, started_at, duration_s, destination, amount_minor, created_at, switch_record_id, account_ref,
           rating, unrated_reason, charge_minor, billed_s, prefix, price_list_version_id, rated_at)
         VALUES ('usage', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          u.customerId,
          u.serviceId,
          new Date(u.startedAt).toISOString(),
          u.durationS,
          u.destination,
          amount,
          w.at,
          `test-${process.pid}-${++switchSeq}`,
          u.accountRef ?? null,
          rating.rating,
          rating.unratedReason,
          rating.chargeMinor,
          rating.billedS,
          rating.prefix,
          rating.priceListVersionId,
          w.at
        ]
      )
      if (u.customerId !== null && amount !== 0) {
        w.run('UPDATE customers SET balance_minor = balance_minor + ? WHERE id = ?', [amount, u.customerId])
      }
      return id
    })
  })
}

/** Per customer: usage charges (current rating), usage amounts (posted on import) and re-rating corrections. */
export function usageSums(desk: HasEngine, customerId: number) {
  return desk.app.core.engine.read(
    (r) =>
      r.get<{ charge: number; amount: number; corrections: number; balance: number }>(
        `SELECT coalesce((SELECT sum(charge_minor) FROM xdrs WHERE customer_id = ?1 AND kind IN ('usage', 'usage-summary')), 0) AS charge,
           coalesce((SELECT sum(amount_minor) FROM xdrs WHERE customer_id = ?1 AND kind IN ('usage', 'usage-summary')), 0) AS amount,
           coalesce((SELECT sum(amount_minor) FROM xdrs WHERE customer_id = ?1 AND kind = 'rerating-correction'), 0) AS corrections,
           (SELECT balance_minor FROM customers WHERE id = ?1) AS balance`,
        [customerId]
      )!
  )
}
