import type { Database } from 'sql.js'
import { AppError } from '../../src-shared/errors'
import { currency as currencyInfo } from '../../src-shared/money'
import { dbAccess, type DbAccess, type DbWriter } from '../db/access'
import type { SqlParam } from '../db/journal'
import type { StoredClass } from '../engine/customerClasses'
import { countCustomers } from '../engine/customers'
import { billedSeconds, rateCall, type ChargeBasis, type PriceListVersion, type RateRow } from '../engine/rating'
import { DEFAULT_SERVICES, type StoredService } from '../engine/services'
import { ratingRoundingMode } from '../engine/usageRating'
import { DESTINATIONS, LOCALES, PER_US_CENT, type Locale } from './names'
import { mulberry32 } from './random'

/**
 * Deterministic demo data: customer classes, services, price lists (voice and SMS per currency,
 * assigned to every class, or to each customer of a class without a currency), customers with
 * their accounts (booths, lines, trunks) and usage records rated by those lists with the real
 * rating rule, so that re-rating the demo with its own lists changes nothing. The same seed and size give byte-identical rows: all
 * randomness comes from one seeded PRNG and every timestamp derives from `opts.at`.
 *
 * The generator only writes rows. The caller wraps it in one transaction and records one audit
 * entry for the whole load.
 */

export type DemoSize = 'S' | 'M' | 'L'

export const DEMO_SIZES: Record<DemoSize, { customers: number; usageRecords: number }> = {
  S: { customers: 100, usageRecords: 5_000 },
  M: { customers: 10_000, usageRecords: 1_000_000 },
  L: { customers: 50_000, usageRecords: 5_000_000 }
}

export const DEFAULT_DEMO_SEED = 20240601

/** Usage records are spread over this many days before `opts.at`. */
export const DEMO_USAGE_DAYS = 60

const PROGRESS_EVERY = 10_000

export interface DemoOptions {
  size: DemoSize
  seed?: number
  /** ISO timestamp of the load: created_at of every row; usage ends before it. */
  at: string
  /**
   * Progress in usage records (the bulk of the work): called with (0, total) once customers are
   * written, every 10,000 records, and once at the end with done === total.
   */
  onProgress?: (done: number, total: number) => void
  /** Fewer usage records than the size has (the benchmark's 50k-customer list needs none). */
  usageRecords?: number
}

export interface DemoResult {
  customers: number
  usageRecords: number
  classes: number
  services: number
}

interface DemoClass {
  name: string
  currency: string | null
  billingPeriod: 'monthly' | 'weekly'
  /** Monthly: day of the month; weekly: ISO weekday (1 = Monday). */
  billingDay: number
  dueDays: number
  suspendOnOverdue: 0 | 1
  suspensionGraceDays: number
  reactivationDays: number
  taxRatePpm: number
  invoicePrefix: string
  /** Relative share of generated customers. */
  weight: number
  /** Chance that a generated customer of this class is prepaid. */
  prepaidShare: number
  /** What the class's accounts are called. */
  line: 'BOOTH' | 'LINE' | 'TRUNK'
}

export const DEMO_CLASSES: readonly DemoClass[] = [
  {
    name: 'Callshop USD',
    currency: 'USD',
    billingPeriod: 'monthly',
    billingDay: 1,
    dueDays: 14,
    suspendOnOverdue: 1,
    suspensionGraceDays: 5,
    reactivationDays: 30,
    taxRatePpm: 0,
    invoicePrefix: 'CS-',
    weight: 25,
    prepaidShare: 0.3,
    line: 'BOOTH'
  },
  {
    name: 'Reseller EUR',
    currency: 'EUR',
    billingPeriod: 'monthly',
    billingDay: 1,
    dueDays: 30,
    suspendOnOverdue: 0,
    suspensionGraceDays: 0,
    reactivationDays: 30,
    taxRatePpm: 0,
    invoicePrefix: 'RS-',
    weight: 15,
    prepaidShare: 0.1,
    line: 'TRUNK'
  },
  {
    name: 'Retail PLN',
    currency: 'PLN',
    billingPeriod: 'monthly',
    billingDay: 1,
    dueDays: 14,
    suspendOnOverdue: 1,
    suspensionGraceDays: 7,
    reactivationDays: 30,
    taxRatePpm: 230_000,
    invoicePrefix: 'FV/',
    weight: 15,
    prepaidShare: 0.6,
    line: 'LINE'
  },
  {
    name: 'Prepaid any currency',
    currency: null,
    billingPeriod: 'monthly',
    billingDay: 1,
    dueDays: 7,
    suspendOnOverdue: 0,
    suspensionGraceDays: 0,
    reactivationDays: 30,
    taxRatePpm: 0,
    invoicePrefix: 'PP-',
    weight: 20,
    prepaidShare: 1,
    line: 'LINE'
  },
  {
    name: 'Weekly callshop GBP',
    currency: 'GBP',
    billingPeriod: 'weekly',
    billingDay: 1,
    dueDays: 7,
    suspendOnOverdue: 1,
    suspensionGraceDays: 3,
    reactivationDays: 30,
    taxRatePpm: 200_000,
    invoicePrefix: 'WK-',
    weight: 10,
    prepaidShare: 0.2,
    line: 'BOOTH'
  },
  {
    name: 'Wholesale any currency',
    currency: null,
    billingPeriod: 'monthly',
    billingDay: 1,
    dueDays: 30,
    suspendOnOverdue: 0,
    suspensionGraceDays: 0,
    reactivationDays: 60,
    taxRatePpm: 0,
    invoicePrefix: 'WH-',
    weight: 15,
    prepaidShare: 0,
    line: 'TRUNK'
  }
]

/** The default services the demo usage and subscriptions use (made here if setup has not). */
export const DEMO_SERVICES = DEFAULT_SERVICES.filter((s) => ['voice', 'sms', 'subscription-monthly'].includes(s.code))

/** Currencies a customer of a class without a currency is billed in, with relative weights. */
const ANY_CURRENCY: readonly (readonly [string, number])[] = [
  ['USD', 3],
  ['EUR', 3],
  ['GBP', 2],
  ['PLN', 2],
  ['UAH', 3],
  ['JPY', 2],
  ['KWD', 2]
]

interface NamedCustomer {
  customerId: string
  companyName: string
  balanceControl: 'prepaid' | 'postpaid'
  currency: string
  className: string
  creditLimitMinor: number | null
  balanceMinor: number
  unallocatedMinor: number
  phone: string
  email: string
  address: string
  country: string
  accounts: readonly string[]
}

/** The four customers the walkthroughs and tests refer to by name; always customers 1-4. */
export const NAMED_CUSTOMERS: readonly NamedCustomer[] = [
  {
    customerId: 'easycall',
    companyName: 'Easy Call Ltd',
    balanceControl: 'postpaid',
    currency: 'USD',
    className: 'Callshop USD',
    creditLimitMinor: 50_000, // 500.00
    balanceMinor: 12_345, // owes 123.45
    unallocatedMinor: 0,
    phone: '+1 212 555 0142',
    email: 'accounts@easycall.example',
    address: '17 Broadway, New York, NY 10004',
    country: 'US',
    accounts: ['ECL-BOOTH-01', 'ECL-BOOTH-02', 'ECL-BOOTH-03', 'ECL-BOOTH-04']
  },
  {
    customerId: 'smartcall',
    companyName: 'SmartCall Ltd',
    balanceControl: 'prepaid',
    currency: 'USD',
    className: 'Callshop USD',
    creditLimitMinor: null,
    balanceMinor: -7_500, // 75.00 available
    unallocatedMinor: 7_500,
    phone: '+1 718 555 0199',
    email: 'office@smartcall.example',
    address: '250 Atlantic Avenue, Brooklyn, NY 11201',
    country: 'US',
    accounts: ['SMC-BOOTH-01', 'SMC-BOOTH-02']
  },
  {
    customerId: 'megatrunk',
    companyName: 'MegaTrunk',
    balanceControl: 'postpaid',
    currency: 'EUR',
    className: 'Reseller EUR',
    creditLimitMinor: 200_000, // 2,000.00
    balanceMinor: 86_420, // owes 864.20
    unallocatedMinor: 0,
    phone: '+49 69 5550 1234',
    email: 'billing@megatrunk.example',
    address: 'Mainzer Landstraße 50, 60325 Frankfurt am Main',
    country: 'DE',
    accounts: ['MGT-TRUNK-01', 'MGT-TRUNK-02', 'MGT-TRUNK-03']
  },
  {
    customerId: 'johndoe',
    companyName: 'John Doe',
    balanceControl: 'prepaid',
    currency: 'PLN',
    className: 'Retail PLN',
    creditLimitMinor: null,
    balanceMinor: -4_500, // 45.00 available
    unallocatedMinor: 0,
    phone: '+48 601 555 321',
    email: 'john.doe@mail.example',
    address: 'ul. Piotrkowska 104, 90-001 Łódź',
    country: 'PL',
    accounts: ['JD-LINE-01']
  }
]

const SQL_CLASS = `INSERT INTO customer_classes (name, currency, billing_period, billing_day, due_days, suspend_on_overdue,
  suspension_grace_days, reactivation_days, tax_rate_ppm, invoice_prefix) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
const SQL_SERVICE = 'INSERT INTO services (code, name, kind, is_special) VALUES (?, ?, ?, 0)'
const SQL_CUSTOMER = `INSERT INTO customers (customer_id, company_name, balance_control, currency, class_id, credit_limit_minor,
  balance_minor, unallocated_minor, status, phone, email, address, country, created_at, updated_at)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
const SQL_ACCOUNT = "INSERT INTO accounts (customer_id, account_id, status, created_at) VALUES (?, ?, 'active', ?)"
/**
 * One SQL text for every usage row of a load (prepared once). Kept short, and constants are
 * literals: in a DurableStore transaction every row's SQL and parameters are journaled.
 */
const sqlUsage = (at: string): string =>
  `INSERT INTO xdrs(kind,customer_id,account_id,service_id,started_at,duration_s,destination,amount_minor,charge_minor,billed_s,prefix,price_list_version_id,rating,rated_at,created_at)VALUES('usage',?1,?2,?3,?4,?5,?6,?7,?7,?8,?9,?10,'rated','${at.replace(/'/g, "''")}','${at.replace(/'/g, "''")}')`

const SQL_PRICE_LIST = 'INSERT INTO price_lists (name, currency, created_at) VALUES (?, ?, ?)'
const SQL_PRICE_VERSION = "INSERT INTO price_list_versions (price_list_id, effective_from, uploaded_at, operator_name, row_count) VALUES (?, ?, ?, 'Demo data', ?)"
const SQL_PRICE_RATE = `INSERT INTO price_list_rates (version_id, prefix, description, rate_e5, connection_e5, first_interval_s, next_interval_s, free_seconds)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?)`

/** Demo voice billing: the first 30 seconds, then every 6 (a common callshop tariff). */
const DEMO_VOICE_INTERVALS = { firstIntervalS: 30, nextIntervalS: 6, freeSeconds: 0 }
/**
 * Messaging is charged per message (the row's connection fee, rating.ts ChargeBasis 'message');
 * the intervals are there because a price-list row needs them.
 */
const DEMO_SMS_INTERVALS = { firstIntervalS: 1, nextIntervalS: 1, freeSeconds: 0 }

/** The demo's price of `milliCents` (thousandths of a US cent) in 1e-5 of `code`'s major unit. */
function priceE5(milliCents: number, code: string): number {
  const [num, den] = PER_US_CENT[code]!
  return Math.round((milliCents * num * 10 ** (5 - currencyInfo(code).exponent)) / (1000 * den))
}

/** US cents -> minor units of `code`, rounded half up (demo balances only, never a rated charge rule). */
function fromUsCents(usCents: number, code: string): number {
  const [num, den] = PER_US_CENT[code]!
  const n = usCents * num
  const r = n % den
  return (n - r) / den + (2 * r >= den ? 1 : 0)
}

function must<T>(x: T | undefined): T {
  if (x === undefined) throw new Error('demo generator: index out of range')
  return x
}

export function generateDemoData(w: DbWriter, opts: DemoOptions): DemoResult {
  const size = DEMO_SIZES[opts.size]
  if (!size) throw new AppError('VALIDATION', `Unknown demo size "${String(opts.size)}"; use S, M or L.`, 'size')
  const atMs = Date.parse(opts.at)
  if (!Number.isFinite(atMs)) throw new AppError('VALIDATION', `"${opts.at}" is not a timestamp.`, 'at')
  const at = opts.at
  const seed = opts.seed ?? DEFAULT_DEMO_SEED
  if (!Number.isInteger(seed)) throw new AppError('VALIDATION', 'The demo seed must be a whole number.', 'seed')
  refuseIfNotEmpty(w)

  const rand = mulberry32(seed)
  const int = (n: number): number => Math.floor(rand() * n)
  const pick = <T>(xs: readonly T[]): T => must(xs[int(xs.length)])
  const weighted = <T>(xs: readonly T[], weight: (x: T) => number): T => {
    let total = 0
    for (const x of xs) total += weight(x)
    let r = rand() * total
    for (const x of xs) {
      r -= weight(x)
      if (r < 0) return x
    }
    return must(xs[xs.length - 1])
  }

  // Classes and services.
  const classIds = new Map<string, number>()
  for (const c of DEMO_CLASSES) {
    classIds.set(
      c.name,
      w.insert(SQL_CLASS, [
        c.name,
        c.currency,
        c.billingPeriod,
        c.billingDay,
        c.dueDays,
        c.suspendOnOverdue,
        c.suspensionGraceDays,
        c.reactivationDays,
        c.taxRatePpm,
        c.invoicePrefix
      ])
    )
  }
  // First-run setup may already have made the default services (same codes): the demo usage is
  // booked to those rather than to look-alikes.
  const serviceIds = new Map<string, number>()
  for (const s of DEMO_SERVICES) {
    const existing = w.get<Pick<StoredService, 'id'>>('SELECT id FROM services WHERE code = ?', [s.code])?.id
    serviceIds.set(s.code, existing ?? w.insert(SQL_SERVICE, [s.code, s.name, s.kind]))
  }
  const voiceId = must(serviceIds.get('voice'))
  const smsId = must(serviceIds.get('sms'))

  // Price lists: voice and SMS per demo currency, one version effective a day before the oldest
  // usage. The same rows are kept in memory (`voiceVersions`, `smsVersions`) to rate the usage.
  const currencyCodes = Object.keys(PER_US_CENT)
  const atS = Math.floor(atMs / 1000)
  const windowS = DEMO_USAGE_DAYS * 86_400
  const startS = atS - windowS
  const effectiveFrom = new Date((startS - 86_400) * 1000).toISOString()
  const addPriceList = (name: string, code: string, rows: RateRow[]): { listId: number; versionId: number; version: PriceListVersion } => {
    const listId = w.insert(SQL_PRICE_LIST, [name, code, at])
    const versionId = w.insert(SQL_PRICE_VERSION, [listId, effectiveFrom, at, rows.length])
    for (const r of rows) {
      w.run(SQL_PRICE_RATE, [versionId, r.prefix, r.description, Number(r.ratePerMinute), Number(r.connectionFee), r.firstIntervalS, r.nextIntervalS, r.freeSeconds])
    }
    return { listId, versionId, version: { effectiveFrom: Date.parse(effectiveFrom), rows } }
  }
  const voiceLists = currencyCodes.map((code) =>
    addPriceList(
      `Standard voice ${code}`,
      code,
      DESTINATIONS.map((d) => ({
        prefix: d.prefix,
        description: d.country,
        ratePerMinute: BigInt(priceE5(d.voiceMilliCentsPerMin, code)),
        connectionFee: 0n,
        ...DEMO_VOICE_INTERVALS
      }))
    )
  )
  const smsLists = currencyCodes.map((code) =>
    addPriceList(
      `Standard SMS ${code}`,
      code,
      DESTINATIONS.map((d) => ({
        prefix: d.prefix,
        description: d.country,
        ratePerMinute: 0n,
        connectionFee: BigInt(priceE5(d.smsMilliCents, code)),
        ...DEMO_SMS_INTERVALS
      }))
    )
  )
  // Every voice service rates with the voice list (first-run setup also made International calls),
  // the demo's SMS with the SMS list.
  const voiceServiceIds = w
    .all<Pick<StoredService, 'id'>>("SELECT id FROM services WHERE kind = 'voice' AND is_special = 0 AND disabled = 0 ORDER BY id")
    .map((s) => s.id)
  /** Assign a currency's voice and SMS lists in a table of assignments (class or customer). */
  const assignLists = (table: 'class_price_lists' | 'customer_price_lists', column: 'class_id' | 'customer_id', id: number, code: string): void => {
    const ci = currencyCodes.indexOf(code)
    const pairs: [number, number][] = [...voiceServiceIds.map((v): [number, number] => [v, must(voiceLists[ci]).listId]), [smsId, must(smsLists[ci]).listId]]
    w.run(
      `INSERT INTO ${table} (${column}, service_id, price_list_id) VALUES ${pairs.map(() => '(?, ?, ?)').join(', ')}`,
      pairs.flatMap(([serviceId, listId]) => [id, serviceId, listId])
    )
  }
  // A class with a currency gets that currency's lists; a class without one cannot (its customers
  // bill in several currencies), so each of its customers gets its own currency's lists.
  for (const c of DEMO_CLASSES) if (c.currency !== null) assignLists('class_price_lists', 'class_id', must(classIds.get(c.name)), c.currency)
  const classWithoutCurrency = new Set(DEMO_CLASSES.filter((c) => c.currency === null).map((c) => must(classIds.get(c.name))))

  // Usage goes to accounts of customers that still use services (or did recently).
  const poolCustomer: number[] = [] // customers rows id
  const poolCurrency: number[] = [] // index into currencyCodes
  const poolFirstAccount: number[] = [] // index into poolAccounts
  const poolAccountCount: number[] = []
  const poolAccounts: number[] = [] // accounts rows id

  const addCustomer = (c: Omit<NamedCustomer, 'className' | 'accounts'> & { classId: number | null; status: string }, accounts: readonly string[]): void => {
    const id = w.insert(SQL_CUSTOMER, [
      c.customerId,
      c.companyName,
      c.balanceControl,
      c.currency,
      c.classId,
      c.creditLimitMinor,
      c.balanceMinor,
      c.unallocatedMinor,
      c.status,
      c.phone,
      c.email,
      c.address,
      c.country,
      at,
      at
    ])
    const accIds = accounts.map((accountId) => w.insert(SQL_ACCOUNT, [id, accountId, at]))
    if (c.classId !== null && classWithoutCurrency.has(c.classId)) assignLists('customer_price_lists', 'customer_id', id, c.currency)
    if (c.status !== 'exported' && c.status !== 'permanently-terminated') {
      poolCustomer.push(id)
      poolCurrency.push(currencyCodes.indexOf(c.currency))
      poolFirstAccount.push(poolAccounts.length)
      poolAccountCount.push(accIds.length)
      poolAccounts.push(...accIds)
    }
  }

  const named = NAMED_CUSTOMERS.slice(0, size.customers)
  for (const n of named) {
    addCustomer({ ...n, classId: must(classIds.get(n.className)), status: 'active' }, n.accounts)
  }

  // The first generated customers show every locale once (and Żółć too), so every script is
  // present whatever the size; the rest are drawn freely.
  const showcase: { locale: Locale; brand: number }[] = LOCALES.map((locale) => ({ locale, brand: 0 }))
  const pl = LOCALES.find((l) => l.country === 'PL')
  if (pl) showcase.push({ locale: pl, brand: 1 })
  const localesByCurrency = new Map<string, Locale[]>()
  for (const l of LOCALES) localesByCurrency.set(l.currency, [...(localesByCurrency.get(l.currency) ?? []), l])

  const digits = (n: number): string => {
    let s = String(1 + int(9))
    for (let i = 1; i < n; i++) s += String(int(10))
    return s
  }

  for (let i = named.length; i < size.customers; i++) {
    const g = i - named.length
    const no = String(i + 1).padStart(5, '0')
    const forced = showcase[g]
    let cls: DemoClass
    let cur: string
    let locale: Locale
    if (forced) {
      locale = forced.locale
      cls = weighted(
        DEMO_CLASSES.filter((c) => c.currency === null || c.currency === forced.locale.currency),
        (c) => c.weight
      )
      cur = locale.currency
    } else {
      cls = weighted(DEMO_CLASSES, (c) => c.weight)
      cur = cls.currency ?? weighted(ANY_CURRENCY, (x) => x[1])[0]
      locale = pick(must(localesByCurrency.get(cur)))
    }
    const exponent = currencyInfo(cur).exponent
    const prepaid = rand() < cls.prepaidShare
    const person = !forced && prepaid && rand() < 0.5

    let companyName: string
    let slug: string
    let email: string
    if (person) {
      const [name, s] = pick(locale.people)
      companyName = name
      slug = s
      email = `${s}.${i + 1}@mail.example`
    } else {
      const [brand, s] = forced ? must(locale.brands[forced.brand]) : pick(locale.brands)
      companyName = locale.company(brand, pick(locale.kinds), pick(locale.legal))
      slug = s
      email = `billing@${s}${i + 1}.example`
    }
    const customerId = `${slug}${no}`

    // Money: what the customer owes (prepaid funds = -balance), unallocated payments.
    let creditLimitMinor: number | null = null
    let balanceMinor = 0
    let unallocatedMinor = 0
    if (prepaid) {
      const funds = rand() < 0.15 ? 0 : fromUsCents(100 + int(30_000), cur)
      balanceMinor = 0 - funds
      if (rand() < 0.5) unallocatedMinor = funds
    } else {
      if (rand() < 0.75) creditLimitMinor = pick(locale.creditLimitsMajor) * 10 ** exponent
      const r = rand()
      if (r < 0.55) {
        const cap = creditLimitMinor ?? fromUsCents(150_000, cur)
        balanceMinor = 1 + int(Math.floor((cap * 21) / 20)) // a few are over their limit
      } else if (r >= 0.85) {
        const credit = fromUsCents(100 + int(20_000), cur)
        balanceMinor = 0 - credit
        unallocatedMinor = credit
      }
    }

    // Mostly active; suspension only ever follows an overdue (owing, postpaid) account.
    const s = rand()
    let status: string
    if (forced || s < 0.84) status = 'active'
    else if (s < 0.89) status = 'blocked'
    else if (s < 0.92) status = !prepaid && balanceMinor > 0 ? 'suspended' : 'blocked'
    else if (s < 0.94) status = 'exported'
    else if (s < 0.97) status = 'provisionally-terminated'
    else status = 'permanently-terminated'

    const phone = `+${locale.dial} ${digits(locale.nationalDigits)}`
    const address = locale.address(pick(locale.streets), 1 + int(180), pick(locale.cities))
    const accountCount = 1 + int(4)
    const accPrefix = `${slug.slice(0, 4).toUpperCase()}${no}-${cls.line}-`
    const accounts: string[] = []
    for (let a = 1; a <= accountCount; a++) accounts.push(accPrefix + String(a).padStart(2, '0'))

    addCustomer(
      {
        customerId,
        companyName,
        balanceControl: prepaid ? 'prepaid' : 'postpaid',
        currency: cur,
        classId: must(classIds.get(cls.name)),
        creditLimitMinor,
        balanceMinor,
        unallocatedMinor,
        status,
        phone,
        email,
        address,
        country: locale.country
      },
      accounts
    )
  }

  // Usage records. Everything per row is precomputed or integer arithmetic; one SQL text.
  const poolSize = poolCustomer.length
  if (size.usageRecords > 0 && poolSize === 0) throw new AppError('INTERNAL', 'Demo data has no active accounts to give usage to.')
  // A 1,000-slot table makes a weighted destination pick one array read.
  const destTable: number[] = []
  {
    const totalWeight = DESTINATIONS.reduce((a, d) => a + d.weight, 0)
    let acc = 0
    DESTINATIONS.forEach((d, di) => {
      acc += d.weight
      const upto = Math.round((acc * 1000) / totalWeight)
      while (destTable.length < upto) destTable.push(di)
    })
  }
  const destPrefix = DESTINATIONS.map((d) => `+${d.prefix}`)
  const destHiBase = DESTINATIONS.map((d) => 10 ** (d.digits - 7)) // national number = hi part + 6 digits
  // Charges come from rateCall against the lists above. A destination's numbers all match its one
  // prefix, and a charge is the row's price for the billed seconds, so it depends only on currency,
  // destination and billed seconds: each is rated once, on its first record, and remembered
  // (-1: not yet), which keeps a million records fast (a few thousand rateCall calls, not 1M).
  const roundingMode = ratingRoundingMode(w)
  const exponents = currencyCodes.map((c) => currencyInfo(c).exponent)
  const MAX_CALL_S = 3600
  const voiceCharge = new Int32Array(currencyCodes.length * DESTINATIONS.length * (MAX_CALL_S + 1)).fill(-1)
  const smsCharge = new Int32Array(currencyCodes.length * DESTINATIONS.length).fill(-1)
  const rate = (ci: number, list: { version: PriceListVersion }, destination: string, durationS: number, startMs: number, basis: ChargeBasis): number => {
    const res = rateCall({ durationS, calledNumber: destination, start: startMs }, list.version, must(exponents[ci]), roundingMode, basis)
    if (!res.rated) throw new AppError('INTERNAL', `Demo usage to ${destination} matched no prefix of its price list.`)
    return res.chargeMinor
  }

  // How many records each customer gets: skewed towards the first customers, so there are a few
  // busy ones (the named customers first) and a long tail.
  const n = opts.usageRecords ?? size.usageRecords
  let done = 0
  opts.onProgress?.(0, n)
  const perCustomer = new Int32Array(poolSize)
  for (let k = 0; k < n; k++) {
    const r = rand()
    perCustomer[Math.floor(r * r * poolSize)]!++
  }

  // Written customer by customer, each in time order: the (customer_id, started_at) index then
  // only ever appends, which keeps million-row loads fast.
  const sql = sqlUsage(at)
  for (let p = 0; p < poolSize; p++) {
    const count = perCustomer[p]!
    if (count === 0) continue
    const customerRowId = poolCustomer[p]!
    const ci = poolCurrency[p]!
    const voiceList = voiceLists[ci]!
    const smsList = smsLists[ci]!
    const firstAccount = poolFirstAccount[p]!
    const accountCount = poolAccountCount[p]!
    const slot = Math.max(1, Math.floor(windowS / count))
    for (let j = 0; j < count; j++) {
      const accountRowId = poolAccounts[firstAccount + Math.floor(rand() * accountCount)]!
      const di = destTable[Math.floor(rand() * 1000)]!
      const hiBase = destHiBase[di]!
      const destination = destPrefix[di]! + String(hiBase + Math.floor(rand() * 9 * hiBase)) + String(Math.floor(rand() * 1_000_000)).padStart(6, '0')
      const voice = rand() < 0.8
      let duration = 0 // a text message: switches write 0 s; messaging is charged per message
      if (voice) {
        const d = rand()
        duration = 5 + Math.floor(d * d * d * 3596) // 5..3600 s, mostly short calls
      }
      // One record per time slot of the window, anywhere in its slot; it ends before `at`.
      let t = startS + Math.floor((j * windowS) / count) + Math.floor(rand() * slot)
      if (t + duration > atS) t = atS - duration
      const billed = voice ? billedSeconds(duration, DEMO_VOICE_INTERVALS) : 0
      const memo = voice ? voiceCharge : smsCharge
      const key = voice ? (ci * DESTINATIONS.length + di) * (MAX_CALL_S + 1) + billed : ci * DESTINATIONS.length + di
      let amount = memo[key]!
      if (amount < 0) {
        amount = rate(ci, voice ? voiceList : smsList, destination, duration, t * 1000, voice ? 'time' : 'message')
        memo[key] = amount
      }
      const params: SqlParam[] = [
        customerRowId,
        accountRowId,
        voice ? voiceId : smsId,
        new Date(t * 1000).toISOString(),
        duration,
        destination,
        amount,
        billed,
        DESTINATIONS[di]!.prefix,
        voice ? voiceList.versionId : smsList.versionId
      ]
      w.run(sql, params)
      if (++done % PROGRESS_EVERY === 0 && done !== n) opts.onProgress?.(done, n)
    }
  }

  // The life-cycle columns behind each status (migration 0002), as the status rules would set them.
  w.run(
    `UPDATE customers SET blocked = (status = 'blocked'), suspended = (status = 'suspended'),
       lifecycle = CASE WHEN status IN ('provisionally-terminated', 'permanently-terminated', 'exported') THEN status ELSE 'active' END,
       provisionally_terminated_at = CASE WHEN status = 'provisionally-terminated' THEN ?1 END,
       reactivation_deadline = CASE WHEN status = 'provisionally-terminated' THEN strftime('%Y-%m-%dT%H:%M:%fZ', ?1,
         '+' || coalesce((SELECT k.reactivation_days FROM customer_classes k WHERE k.id = customers.class_id), 30) || ' days') END,
       terminated_at = CASE WHEN status = 'permanently-terminated' THEN substr(?1, 1, 10) END`,
    [opts.at]
  )
  // Each customer's ledger starts with an opening record, so that balance = sum of its records
  // (usage charges included) and unallocated payments = sum of their deltas from the start.
  w.run(
    `INSERT INTO xdrs (kind, customer_id, started_at, amount_minor, unallocated_delta_minor, created_at)
     SELECT 'opening-balance', c.id, ?1, c.balance_minor - coalesce(u.total, 0), c.unallocated_minor, ?1
     FROM customers c LEFT JOIN (SELECT customer_id, sum(amount_minor) AS total FROM xdrs GROUP BY customer_id) u ON u.customer_id = c.id
     ORDER BY c.id`,
    [opts.at]
  )
  opts.onProgress?.(n, n)
  return { customers: size.customers, usageRecords: n, classes: DEMO_CLASSES.length, services: DEMO_SERVICES.length }
}

function refuseIfNotEmpty(w: DbWriter): void {
  const customers = countCustomers(w)
  if (customers > 0) {
    throw new AppError('CONFLICT', `Demo data can only be loaded into a database without customers; this one has ${customers}.`)
  }
  const clash = w.get<Pick<StoredClass, 'name'>>(
    `SELECT name FROM customer_classes WHERE name IN (${DEMO_CLASSES.map(() => '?').join(', ')}) LIMIT 1`,
    DEMO_CLASSES.map((c) => c.name)
  )
  if (clash) throw new AppError('CONFLICT', `Demo data cannot be loaded: "${clash.name}" already exists.`)
}

/**
 * A DbWriter over a bare sql.js database, without a journal: for tests, benchmarks, or building a
 * demo database file that is then installed whole. Call free() before closing the database.
 */
export function sqlJsWriter(db: Database): DbAccess {
  return dbAccess(db)
}
