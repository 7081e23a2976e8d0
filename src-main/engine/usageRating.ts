/**
 * Rating usage records against the database's price lists: which list rates a customer's usage
 * of a service (the customer's own list, else its class's, or one list chosen for a re-rating),
 * which version of it is in force at the call's start, and the charge (the pure rule in
 * rating.ts). The import, the re-rating preview and its apply all rate through a UsageRater, so
 * they cannot disagree. A rater caches what it has looked up: make a new one per unit of work
 * (or per import batch) so that a price list uploaded meanwhile is seen.
 */
import { AppError } from '../../src-shared/errors'
import { currency, type RoundingMode } from '../../src-shared/money'
import type { DbReader } from '../db/store'
import { rateCall, versionInForce, type ChargeBasis, type PriceListVersion, type RateRow } from './rating'

/** Why a usage record is kept unrated (never charged as zero): shown in the browser and the import summary. */
export type UsageUnratedReason = 'no-matching-prefix' | 'no-price-list' | 'unknown-account' | 'closed-account' | 'unknown-service'

export const UNRATED_REASON_TEXT: Record<UsageUnratedReason, string> = {
  'no-matching-prefix': 'no prefix of the price list matches the called number',
  'no-price-list': 'no price list rates this service for the customer at that time',
  'unknown-account': 'the account is not known',
  'closed-account': 'the account is closed',
  'unknown-service': 'the service is not known'
}

/** How a usage record is rated now: the columns of xdrs that say so (migration 0012). */
export interface UsageRating {
  rating: 'rated' | 'unrated'
  unratedReason: UsageUnratedReason | null
  chargeMinor: number | null
  billedS: number | null
  prefix: string | null
  priceListVersionId: number | null
}

export interface UsageToRate {
  customerId: number
  serviceId: number
  /** Epoch milliseconds of the call's start. */
  start: number
  durationS: number
  calledNumber: string
}

export const unrated = (reason: UsageUnratedReason): UsageRating => ({
  rating: 'unrated',
  unratedReason: reason,
  chargeMinor: null,
  billedS: null,
  prefix: null,
  priceListVersionId: null
})

interface LoadedVersion extends PriceListVersion {
  id: number
}

export interface UsageRaterOptions {
  /** Rate every record with this list instead of the assigned ones (a re-rating's choice). */
  priceListId?: number | undefined
  /** Default: the setting (DESIGN: away from zero). */
  roundingMode?: RoundingMode | undefined
}

/** The rounding rule of rated charges, from Settings (migration 0012's default before setup). */
export function ratingRoundingMode(r: DbReader): RoundingMode {
  return r.get<{ rounding_mode: RoundingMode }>('SELECT rounding_mode FROM settings WHERE id = 1')?.rounding_mode ?? 'away-from-zero'
}

/**
 * What a rater reads, by key: from the database as it goes (`dbRatingSource`), or from a copy
 * read once (`RatingSnapshot`, which the usage import sends to its worker thread).
 */
interface RatingSource {
  customer(id: number): { currency: string; classId: number | null } | undefined
  ownList(customerId: number, serviceId: number): number | undefined
  classList(classId: number, serviceId: number): number | undefined
  serviceKind(serviceId: number): string | undefined
  versions(listId: number): LoadedVersion[]
}

/**
 * A list's rate rows, version by version: [version id, prefix, description, rate e5, connection
 * e5, first interval, next interval, free seconds], the amounts as texts (exact through JSON and
 * into BigInt).
 */
const RATE_COLUMNS =
  'r.version_id, r.prefix, r.description, CAST(r.rate_e5 AS TEXT), CAST(r.connection_e5 AS TEXT), r.first_interval_s, r.next_interval_s, r.free_seconds'
const RATES_OF_LIST = 'FROM price_list_rates r JOIN price_list_versions v ON v.id = r.version_id WHERE v.price_list_id = ?'
/** A list's versions, [id, effective from], oldest instant first and, at one instant, oldest upload first (the last wins). */
const VERSIONS_OF_LIST = 'FROM price_list_versions WHERE price_list_id = ?'

/** The versions of a list with their rows, from its rate rows (RATE_COLUMNS) and its versions in order (VERSIONS_OF_LIST). */
function versionsFromRows(rows: readonly (readonly unknown[])[], versions: readonly (readonly unknown[])[]): LoadedVersion[] {
  // Rows come as arrays, not objects: a list holds thousands of prefixes.
  const byVersion = new Map<number, RateRow[]>()
  for (const [versionId, prefix, description, rate, connection, first, next, free] of rows) {
    let list = byVersion.get(Number(versionId))
    if (!list) {
      list = []
      byVersion.set(Number(versionId), list)
    }
    list.push({
      prefix: String(prefix),
      description: String(description),
      ratePerMinute: BigInt(String(rate)),
      connectionFee: BigInt(String(connection)),
      firstIntervalS: Number(first),
      nextIntervalS: Number(next),
      freeSeconds: Number(free)
    })
  }
  return versions.map(([id, effectiveFrom]) => ({ id: Number(id), effectiveFrom: Date.parse(String(effectiveFrom)), rows: byVersion.get(Number(id)) ?? [] }))
}

function loadVersions(r: DbReader, listId: number): LoadedVersion[] {
  return versionsFromRows(
    r.values(`SELECT ${RATE_COLUMNS} ${RATES_OF_LIST} ORDER BY r.version_id`, [listId]),
    r.values(`SELECT id, effective_from ${VERSIONS_OF_LIST} ORDER BY effective_from, id`, [listId])
  )
}

function dbRatingSource(r: DbReader): RatingSource {
  return {
    customer: (id) => {
      const row = r.get<{ currency: string; class_id: number | null }>('SELECT currency, class_id FROM customers WHERE id = ?', [id])
      return row ? { currency: row.currency, classId: row.class_id } : undefined
    },
    ownList: (customerId, serviceId) =>
      r.get<{ price_list_id: number }>('SELECT price_list_id FROM customer_price_lists WHERE customer_id = ? AND service_id = ?', [customerId, serviceId])?.price_list_id,
    classList: (classId, serviceId) =>
      r.get<{ price_list_id: number }>('SELECT price_list_id FROM class_price_lists WHERE class_id = ? AND service_id = ?', [classId, serviceId])?.price_list_id,
    serviceKind: (serviceId) => r.get<{ kind: string }>('SELECT kind FROM services WHERE id = ?', [serviceId])?.kind,
    versions: (listId) => loadVersions(r, listId)
  }
}

/**
 * Everything a UsageRater (without a chosen list) reads, read at once: every customer's currency
 * and class, every assignment, every service's kind and every assigned list's versions. Sent to
 * a worker thread (the usage import rates there), so each part is one JSON text SQLite makes
 * (json_group_array), parsed there: reading the same 45,000 rows at M (10,000 customers, 20,000
 * assignments, five lists of 5,000 prefixes) into arrays and objects on the main thread and
 * copying them to the worker cost that thread ~0.2-0.3 s of the import.
 */
export interface RatingSnapshot {
  roundingMode: RoundingMode
  /** JSON [[id, currency, class id]] */
  customers: string
  /** JSON [[customer id, service id, list id]] */
  own: string
  /** JSON [[class id, service id, list id]] */
  ofClass: string
  /** JSON [[service id, kind]] */
  serviceKinds: string
  /** [list id, its rate rows' JSON (RATE_COLUMNS), its versions' JSON ([id, effective from] in order)]: every list assigned to a customer or a class. */
  lists: [number, string, string][]
}

export function readRatingSnapshot(r: DbReader): RatingSnapshot {
  const json = (sql: string, params: number[] = []) => String(r.values(sql, params)[0]?.[0] ?? '[]')
  return {
    roundingMode: ratingRoundingMode(r),
    customers: json('SELECT json_group_array(json_array(id, currency, class_id)) FROM customers'),
    own: json('SELECT json_group_array(json_array(customer_id, service_id, price_list_id)) FROM customer_price_lists'),
    ofClass: json('SELECT json_group_array(json_array(class_id, service_id, price_list_id)) FROM class_price_lists'),
    serviceKinds: json('SELECT json_group_array(json_array(id, kind)) FROM services'),
    lists: r.values('SELECT price_list_id FROM customer_price_lists UNION SELECT price_list_id FROM class_price_lists').map((v) => {
      const listId = Number(v[0])
      const rates = json(`SELECT json_group_array(json_array(${RATE_COLUMNS})) ${RATES_OF_LIST}`, [listId])
      const versions = json(`SELECT json_group_array(json_array(id, effective_from) ORDER BY effective_from, id) ${VERSIONS_OF_LIST}`, [listId])
      return [listId, rates, versions]
    })
  }
}

function snapshotSource(s: RatingSnapshot): RatingSource {
  const parse = <T>(text: string) => JSON.parse(text) as T
  const customers = new Map(parse<[number, string, number | null][]>(s.customers).map(([id, currency, classId]) => [id, { currency, classId }]))
  const own = new Map(parse<[number, number, number][]>(s.own).map(([c, sv, l]) => [`${c}:${sv}`, l]))
  const ofClass = new Map(parse<[number, number, number][]>(s.ofClass).map(([c, sv, l]) => [`${c}:${sv}`, l]))
  const kinds = new Map(parse<[number, string][]>(s.serviceKinds))
  const lists = new Map(s.lists.map(([listId, rates, versions]) => [listId, versionsFromRows(parse<unknown[][]>(rates), parse<unknown[][]>(versions))]))
  return {
    customer: (id) => customers.get(id),
    ownList: (customerId, serviceId) => own.get(`${customerId}:${serviceId}`),
    classList: (classId, serviceId) => ofClass.get(`${classId}:${serviceId}`),
    serviceKind: (serviceId) => kinds.get(serviceId),
    // A list no customer or class has is never asked for (only a re-rating chooses one).
    versions: (listId) => lists.get(listId) ?? []
  }
}

export class UsageRater {
  private readonly roundingMode: RoundingMode
  private readonly src: RatingSource
  private readonly customers = new Map<number, { currency: string; exponent: number; classId: number | null } | null>()
  /** By customer and service (a number: no key text made per record). */
  private readonly assigned = new Map<number | string, number | null>()
  private readonly versions = new Map<number, LoadedVersion[]>()
  private readonly bases = new Map<number, ChargeBasis>()

  constructor(
    r: DbReader | RatingSnapshot,
    private readonly opts: UsageRaterOptions = {}
  ) {
    if ('customers' in r) {
      this.src = snapshotSource(r)
      this.roundingMode = opts.roundingMode ?? r.roundingMode
    } else {
      this.src = dbRatingSource(r)
      this.roundingMode = opts.roundingMode ?? ratingRoundingMode(r)
    }
  }

  /** Rate one record of a known customer and service. */
  rate(u: UsageToRate): UsageRating {
    const c = this.customer(u.customerId)
    if (!c) throw new AppError('NOT_FOUND', `Customer ${u.customerId} does not exist.`, 'customerId')
    const listId = this.opts.priceListId ?? this.assignedList(u.customerId, c.classId, u.serviceId)
    if (listId === null) return unrated('no-price-list')
    const version = versionInForce(this.versionsOf(listId), u.start)
    const res = rateCall({ durationS: u.durationS, calledNumber: u.calledNumber, start: u.start }, version, c.exponent, this.roundingMode, this.basisOf(u.serviceId))
    if (!res.rated) return unrated(res.reason)
    return {
      rating: 'rated',
      unratedReason: null,
      chargeMinor: res.chargeMinor,
      billedS: res.billedSeconds,
      prefix: res.prefix,
      priceListVersionId: version?.id ?? null
    }
  }

  /** Messaging services are charged per message, the others by time (rating.ts ChargeBasis). */
  private basisOf(serviceId: number): ChargeBasis {
    let basis = this.bases.get(serviceId)
    if (basis === undefined) {
      basis = this.src.serviceKind(serviceId) === 'messaging' ? 'message' : 'time'
      this.bases.set(serviceId, basis)
    }
    return basis
  }

  private customer(id: number) {
    let c = this.customers.get(id)
    if (c === undefined) {
      const row = this.src.customer(id)
      c = row ? { currency: row.currency, exponent: currency(row.currency).exponent, classId: row.classId } : null
      this.customers.set(id, c)
    }
    return c
  }

  /** The customer's own list for the service, else its class's, else none. */
  private assignedList(customerId: number, classId: number | null, serviceId: number): number | null {
    const key = serviceId < 4096 ? customerId * 4096 + serviceId : `${customerId}:${serviceId}`
    let listId = this.assigned.get(key)
    if (listId === undefined) {
      const own = this.src.ownList(customerId, serviceId)
      listId = own ?? (classId === null ? undefined : this.src.classList(classId, serviceId)) ?? null
      this.assigned.set(key, listId)
    }
    return listId
  }

  private versionsOf(listId: number): LoadedVersion[] {
    let vs = this.versions.get(listId)
    if (!vs) {
      vs = this.src.versions(listId)
      this.versions.set(listId, vs)
    }
    return vs
  }
}
