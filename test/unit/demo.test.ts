import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Database, SqlJsStatic } from 'sql.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { migrate } from '../../src-main/db/migrate'
import { loadSqlJs } from '../../src-main/db/sqljs'
import { DurableStore } from '../../src-main/db/store'
import { DEMO_SIZES, generateDemoData, sqlJsWriter, type DemoSize } from '../../src-main/demo/generate'
import { mulberry32 } from '../../src-main/demo/random'
import { UsageRater } from '../../src-main/engine/usageRating'

const AT = '2026-03-15T10:30:00.000Z'
const DAY_MS = 86_400_000

let SQL: SqlJsStatic

beforeAll(async () => {
  SQL = await loadSqlJs()
})

function freshDb(): Database {
  const db = new SQL.Database()
  db.run('PRAGMA foreign_keys = ON')
  migrate(db, AT)
  return db
}

function generate(size: DemoSize, seed?: number, onProgress?: (done: number, total: number) => void) {
  const db = freshDb()
  const w = sqlJsWriter(db)
  db.run('BEGIN')
  const result = generateDemoData(w, { size, at: AT, ...(seed === undefined ? {} : { seed }), ...(onProgress ? { onProgress } : {}) })
  db.run('COMMIT')
  return { db, w, result }
}

const TABLES = ['customer_classes', 'services', 'customers', 'accounts', 'xdrs']

/** Every row of the demo tables, in id order, as JSON text. */
function dump(db: Database): string {
  return JSON.stringify(TABLES.map((t) => db.exec(`SELECT * FROM ${t} ORDER BY id`)[0]?.values ?? []))
}

function rows<T>(db: Database, sql: string, params: (string | number | null)[] = []): T[] {
  const st = db.prepare(sql)
  st.bind(params)
  const out: T[] = []
  while (st.step()) out.push(st.getAsObject() as T)
  st.free()
  return out
}

function scalar(db: Database, sql: string): number {
  return Number(db.exec(sql)[0]?.values[0]?.[0])
}

describe('mulberry32', () => {
  it('is a pure function of its seed', () => {
    const a = mulberry32(42)
    const b = mulberry32(42)
    const xs = Array.from({ length: 5 }, () => a())
    expect(Array.from({ length: 5 }, () => b())).toEqual(xs)
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true)
    expect(mulberry32(43)()).not.toBe(xs[0])
  })
})

describe('generateDemoData (size S)', () => {
  let db: Database
  let result: ReturnType<typeof generateDemoData>
  const progress: [number, number][] = []

  beforeAll(() => {
    const g = generate('S', 7, (done, total) => progress.push([done, total]))
    db = g.db
    result = g.result
    g.w.free()
  })
  afterAll(() => db.close())

  it('the same seed and size give identical table contents; another seed does not', () => {
    const again = generate('S', 7)
    const other = generate('S', 8)
    expect(dump(again.db)).toBe(dump(db))
    expect(dump(other.db)).not.toBe(dump(db))
    for (const g of [again, other]) {
      g.w.free()
      g.db.close()
    }
  })

  it('reports what it wrote, with progress ending at done === total', () => {
    expect(result).toEqual({ customers: 100, usageRecords: 5000, classes: 6, services: 3 })
    expect(scalar(db, 'SELECT count(*) FROM customers')).toBe(DEMO_SIZES.S.customers)
    expect(scalar(db, "SELECT count(*) FROM xdrs WHERE kind = 'usage'")).toBe(5000)
    // Plus one opening ledger record per customer, so balances equal the sums of their records.
    expect(scalar(db, 'SELECT count(*) FROM xdrs')).toBe(5100)
    expect(
      scalar(
        db,
        `SELECT count(*) FROM customers c WHERE c.balance_minor <> (SELECT sum(amount_minor) FROM xdrs x WHERE x.customer_id = c.id)
      OR c.unallocated_minor <> (SELECT sum(unallocated_delta_minor) FROM xdrs x WHERE x.customer_id = c.id)`
      )
    ).toBe(0)
    expect(scalar(db, 'SELECT count(*) FROM customer_classes')).toBe(6)
    expect(progress).toEqual([
      [0, 5000],
      [5000, 5000]
    ]) // below 10,000 records: only the start and the end
  })

  it('adds voice, messaging and subscription services beside the single built-in Credits / Promotions', () => {
    const services = rows<{ id: number; code: string; kind: string; is_special: number }>(db, 'SELECT id, code, kind, is_special FROM services ORDER BY id')
    expect(services.filter((s) => s.kind === 'credits')).toEqual([{ id: 1, code: 'credits', kind: 'credits', is_special: 1 }])
    expect(services.map((s) => s.kind).sort()).toEqual(['credits', 'messaging', 'subscription', 'voice'])
  })

  it('has the customer classes the walkthroughs use', () => {
    const classes = rows<Record<string, string | number | null>>(db, 'SELECT * FROM customer_classes ORDER BY id')
    expect(classes.find((c) => c.name === 'Callshop USD')).toMatchObject({
      currency: 'USD',
      billing_period: 'monthly',
      billing_day: 1,
      due_days: 14,
      suspend_on_overdue: 1,
      suspension_grace_days: 5,
      tax_rate_ppm: 0
    })
    expect(classes.find((c) => c.name === 'Reseller EUR')).toMatchObject({ currency: 'EUR', due_days: 30 })
    expect(classes.find((c) => c.name === 'Retail PLN')).toMatchObject({ currency: 'PLN', tax_rate_ppm: 230_000 })
    expect(classes.find((c) => c.name === 'Prepaid any currency')).toMatchObject({ currency: null, reactivation_days: 30 })
    expect(classes.some((c) => c.billing_period === 'weekly')).toBe(true)
    expect(new Set(classes.map((c) => c.invoice_prefix)).size).toBe(classes.length)
  })

  it('starts with the four named customers and their balance controls and currencies', () => {
    const named = rows<Record<string, string | number | null>>(
      db,
      `SELECT c.id, c.customer_id, c.company_name, c.balance_control, c.currency, c.credit_limit_minor, c.status, k.name AS class
       FROM customers c JOIN customer_classes k ON k.id = c.class_id WHERE c.id <= 4 ORDER BY c.id`
    )
    expect(named).toEqual([
      {
        id: 1,
        customer_id: 'easycall',
        company_name: 'Easy Call Ltd',
        balance_control: 'postpaid',
        currency: 'USD',
        credit_limit_minor: 50_000,
        status: 'active',
        class: 'Callshop USD'
      },
      {
        id: 2,
        customer_id: 'smartcall',
        company_name: 'SmartCall Ltd',
        balance_control: 'prepaid',
        currency: 'USD',
        credit_limit_minor: null,
        status: 'active',
        class: 'Callshop USD'
      },
      {
        id: 3,
        customer_id: 'megatrunk',
        company_name: 'MegaTrunk',
        balance_control: 'postpaid',
        currency: 'EUR',
        credit_limit_minor: 200_000,
        status: 'active',
        class: 'Reseller EUR'
      },
      {
        id: 4,
        customer_id: 'johndoe',
        company_name: 'John Doe',
        balance_control: 'prepaid',
        currency: 'PLN',
        credit_limit_minor: null,
        status: 'active',
        class: 'Retail PLN'
      }
    ])
    const accounts = rows<{ account_id: string }>(db, 'SELECT account_id FROM accounts WHERE customer_id = 1 ORDER BY id').map((a) => a.account_id)
    expect(accounts).toEqual(['ECL-BOOTH-01', 'ECL-BOOTH-02', 'ECL-BOOTH-03', 'ECL-BOOTH-04'])
  })

  it("keeps every customer's currency to its class's currency when the class has one", () => {
    expect(scalar(db, 'SELECT count(*) FROM customers c JOIN customer_classes k ON k.id = c.class_id WHERE k.currency IS NOT NULL AND k.currency <> c.currency')).toBe(0)
    expect(scalar(db, 'SELECT count(*) FROM customers WHERE class_id IS NULL')).toBe(0)
    const currencies = rows<{ currency: string }>(db, 'SELECT DISTINCT currency FROM customers ORDER BY currency').map((r) => r.currency)
    expect(currencies).toEqual(['EUR', 'GBP', 'JPY', 'KWD', 'PLN', 'UAH', 'USD'])
  })

  it('gives prepaid customers no credit limit and funds (balance <= 0); unallocated is never negative', () => {
    expect(scalar(db, "SELECT count(*) FROM customers WHERE balance_control = 'prepaid' AND credit_limit_minor IS NOT NULL")).toBe(0)
    expect(scalar(db, "SELECT count(*) FROM customers WHERE balance_control = 'prepaid' AND balance_minor > 0")).toBe(0)
    expect(scalar(db, 'SELECT count(*) FROM customers WHERE unallocated_minor < 0')).toBe(0)
    expect(scalar(db, "SELECT count(*) FROM customers WHERE balance_control = 'postpaid' AND balance_minor > 0")).toBeGreaterThan(0)
    expect(scalar(db, "SELECT count(*) FROM customers WHERE balance_control = 'prepaid'")).toBeGreaterThan(10)
    expect(scalar(db, "SELECT count(*) FROM customers WHERE balance_control = 'postpaid'")).toBeGreaterThan(10)
    // Amounts are whole minor units.
    expect(scalar(db, "SELECT count(*) FROM customers WHERE typeof(balance_minor) <> 'integer' OR typeof(unallocated_minor) <> 'integer'")).toBe(0)
  })

  it('has company names in non-Latin scripts and with Polish letters', () => {
    const names = rows<{ company_name: string }>(db, 'SELECT company_name FROM customers').map((r) => r.company_name)
    for (const script of [/\p{Script=Cyrillic}/u, /\p{Script=Greek}/u, /\p{Script=Han}/u, /\p{Script=Arabic}/u]) {
      expect(
        names.some((n) => script.test(n)),
        String(script)
      ).toBe(true)
    }
    expect(names.some((n) => n.includes('Łódź'))).toBe(true)
    expect(names.some((n) => n.includes('Żółć'))).toBe(true)
    expect(names.some((n) => /[àâçéèêëîïôûùüÿñæœáíóúãõäöß]/i.test(n))).toBe(true)
  })

  it('uses unique lowercase ASCII customer IDs and unique account IDs, 1-4 accounts each', () => {
    const ids = rows<{ customer_id: string }>(db, 'SELECT customer_id FROM customers').map((r) => r.customer_id)
    expect(ids.every((id) => /^[a-z]+[0-9]*$/.test(id))).toBe(true)
    expect(new Set(ids).size).toBe(ids.length)
    expect(scalar(db, 'SELECT count(DISTINCT account_id) FROM accounts')).toBe(scalar(db, 'SELECT count(*) FROM accounts'))
    expect(scalar(db, 'SELECT min(n) FROM (SELECT count(*) AS n FROM accounts GROUP BY customer_id)')).toBeGreaterThanOrEqual(1)
    expect(scalar(db, 'SELECT max(n) FROM (SELECT count(*) AS n FROM accounts GROUP BY customer_id)')).toBeLessThanOrEqual(4)
    expect(scalar(db, 'SELECT count(*) FROM customers c WHERE NOT EXISTS (SELECT 1 FROM accounts a WHERE a.customer_id = c.id)')).toBe(0)
  })

  it('has mostly active customers and some in every other status', () => {
    const byStatus = new Map(rows<{ status: string; n: number }>(db, 'SELECT status, count(*) AS n FROM customers GROUP BY status').map((r) => [r.status, r.n]))
    expect(byStatus.get('active')!).toBeGreaterThan(60)
    expect(byStatus.size).toBeGreaterThanOrEqual(4)
    expect(scalar(db, "SELECT count(*) FROM customers WHERE status = 'suspended' AND (balance_control <> 'postpaid' OR balance_minor <= 0)")).toBe(0)
  })

  it('writes contact details and timestamps from `at`', () => {
    expect(scalar(db, "SELECT count(*) FROM customers WHERE phone NOT LIKE '+%' OR email NOT LIKE '%@%' OR address = '' OR length(country) <> 2")).toBe(0)
    expect(scalar(db, `SELECT count(*) FROM customers WHERE created_at <> '${AT}' OR updated_at <> '${AT}'`)).toBe(0)
    expect(scalar(db, `SELECT count(*) FROM xdrs WHERE created_at <> '${AT}'`)).toBe(0)
  })

  it('gives usage plausible accounts, services, times, durations, destinations and charges', () => {
    // The account belongs to the customer; the customer still uses services.
    expect(scalar(db, 'SELECT count(*) FROM xdrs x JOIN accounts a ON a.id = x.account_id WHERE a.customer_id <> x.customer_id')).toBe(0)
    expect(
      scalar(db, "SELECT count(*) FROM xdrs x JOIN customers c ON c.id = x.customer_id WHERE x.kind = 'usage' AND c.status IN ('exported', 'permanently-terminated')")
    ).toBe(0)
    const usage = rows<{ service: string; started_at: string; duration_s: number; destination: string; amount_minor: number }>(
      db,
      'SELECT s.kind AS service, started_at, duration_s, destination, amount_minor FROM xdrs x JOIN services s ON s.id = x.service_id'
    )
    const atMs = Date.parse(AT)
    let voice = 0
    for (const u of usage) {
      const start = Date.parse(u.started_at)
      expect(new Date(start).toISOString()).toBe(u.started_at)
      expect(start).toBeGreaterThanOrEqual(atMs - 60 * DAY_MS)
      expect(start + u.duration_s * 1000).toBeLessThanOrEqual(atMs)
      expect(u.destination).toMatch(/^\+[1-9]\d{8,14}$/)
      expect(Number.isSafeInteger(u.amount_minor) && u.amount_minor > 0).toBe(true)
      if (u.service === 'voice') {
        voice++
        expect(u.duration_s).toBeGreaterThanOrEqual(5)
        expect(u.duration_s).toBeLessThanOrEqual(3600)
      } else {
        expect(u.service).toBe('messaging')
        expect(u.duration_s).toBe(0) // a text message: 0 s, charged per message
      }
    }
    expect(voice).toBeGreaterThan(3000)
    expect(voice).toBeLessThan(4800)
    // The named customers have usage to show.
    expect(scalar(db, 'SELECT count(DISTINCT customer_id) FROM xdrs WHERE customer_id <= 4')).toBe(4)
  })

  it('has a voice and an SMS price list per currency, one version in force before the oldest usage, assigned to every class or customer', () => {
    const lists = rows<{ name: string; currency: string; versions: number; effective_from: string; row_count: number }>(
      db,
      `SELECT p.name, p.currency, count(v.id) AS versions, min(v.effective_from) AS effective_from, min(v.row_count) AS row_count
       FROM price_lists p JOIN price_list_versions v ON v.price_list_id = p.id GROUP BY p.id ORDER BY p.id`
    )
    const currencies = ['USD', 'EUR', 'GBP', 'PLN', 'UAH', 'JPY', 'KWD']
    expect(lists.map((l) => l.name).sort()).toEqual(currencies.flatMap((c) => [`Standard SMS ${c}`, `Standard voice ${c}`]).sort())
    const oldestUsage = rows<{ t: string }>(db, "SELECT min(started_at) AS t FROM xdrs WHERE kind = 'usage'")[0]!.t
    for (const l of lists) {
      expect(l.name.endsWith(l.currency)).toBe(true)
      expect(l.versions).toBe(1)
      expect(l.row_count).toBe(21)
      expect(l.effective_from < oldestUsage).toBe(true)
    }
    // Prices with up to 5 decimals, every destination prefix of the usage priced.
    expect(
      scalar(
        db,
        "SELECT count(*) FROM xdrs x WHERE kind = 'usage' AND NOT EXISTS (SELECT 1 FROM price_list_rates r WHERE r.version_id = x.price_list_version_id AND r.prefix = x.prefix)"
      )
    ).toBe(0)
    expect(
      scalar(
        db,
        "SELECT count(*) FROM price_list_rates r JOIN price_list_versions v ON v.id = r.version_id JOIN price_lists p ON p.id = v.price_list_id WHERE p.name = 'Standard voice USD' AND r.prefix = '44' AND r.rate_e5 = 1500"
      )
    ).toBe(1)
    // A class with a currency has its lists; each customer of a class without one has its own.
    expect(scalar(db, 'SELECT count(*) FROM class_price_lists')).toBe(2 * 4)
    expect(
      scalar(
        db,
        `SELECT count(*) FROM customers c JOIN customer_classes k ON k.id = c.class_id WHERE
         (SELECT count(*) FROM customer_price_lists o JOIN price_lists p ON p.id = o.price_list_id WHERE o.customer_id = c.id AND p.currency = c.currency)
         + (SELECT count(*) FROM class_price_lists a JOIN price_lists p ON p.id = a.price_list_id WHERE a.class_id = k.id AND p.currency = c.currency) <> 2`
      )
    ).toBe(0)
  })

  it('rates every usage record with its price lists: rating them again with the same lists changes no amount', () => {
    const usage = rows<{
      customer_id: number
      service_id: number
      started_at: string
      duration_s: number
      destination: string
      amount_minor: number
      charge_minor: number
      billed_s: number
      price_list_version_id: number
    }>(
      db,
      "SELECT customer_id, service_id, started_at, duration_s, destination, amount_minor, charge_minor, billed_s, price_list_version_id FROM xdrs WHERE kind = 'usage' ORDER BY id"
    )
    const w = sqlJsWriter(db)
    const rater = new UsageRater(w)
    let differ = 0
    for (const u of usage) {
      const again = rater.rate({
        customerId: u.customer_id,
        serviceId: u.service_id,
        durationS: u.duration_s,
        calledNumber: u.destination,
        start: Date.parse(u.started_at)
      })
      if (
        again.rating !== 'rated' ||
        again.chargeMinor !== u.amount_minor ||
        again.chargeMinor !== u.charge_minor ||
        again.billedS !== u.billed_s ||
        again.priceListVersionId !== u.price_list_version_id
      )
        differ++
    }
    w.free()
    expect(usage.length).toBe(5000)
    expect(differ).toBe(0)
  })

  it('refuses to load into a database that already has customers', () => {
    const w = sqlJsWriter(db)
    expect(() => generateDemoData(w, { size: 'S', at: AT })).toThrow(/without customers/)
    w.free()
  })

  it('refuses a timestamp it cannot read', () => {
    const fresh = freshDb()
    const w = sqlJsWriter(fresh)
    expect(() => generateDemoData(w, { size: 'S', at: 'yesterday' })).toThrow(/not a timestamp/)
    w.free()
    fresh.close()
  })
})

describe('generateDemoData through DurableStore', () => {
  it('commits in one transaction, and the journal replays to the same rows', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'demo-store-'))
    try {
      const open = () => DurableStore.open({ dataDir, sql: SQL, now: () => Date.parse(AT), log: () => {} })
      const store = open()
      const seqBefore = store.lastSeq
      store.transaction((w) => generateDemoData(w, { size: 'S', at: AT }))
      expect(store.lastSeq).toBe(seqBefore + 1)
      const before = dump(new SQL.Database(store.exportBytes()))
      store.close({ snapshot: false })

      const reopened = open()
      expect(reopened.replayedEntries).toBe(1)
      expect(dump(new SQL.Database(reopened.exportBytes()))).toBe(before)
      reopened.close()
    } finally {
      rmSync(dataDir, { recursive: true, force: true })
    }
  })
})
