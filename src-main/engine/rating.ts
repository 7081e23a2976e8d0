/**
 * Rating arithmetic: which price-list version is in force for a call, which of its rows matches
 * the called number, how many seconds are billed and what the call costs. Pure and synchronous —
 * no database — so the import, re-rating and its preview all use the same rule and a property
 * test can check it. The rule, with worked examples, is written up in docs/rating.md.
 *
 * Prices are exact integers in units of 1e-5 of the currency's major unit (DESIGN: "computed to
 * 5 decimal places"); the charge is kept as an exact fraction until it is rounded once to the
 * currency's minor unit. No floating point touches an amount.
 */
import { AppError } from '../../src-shared/errors'
import { divideRounded, type RoundingMode } from '../../src-shared/money'

/** Prices carry 5 decimal places of the major unit. */
export const PRICE_DECIMALS = 5
const PRICE_SCALE = 10n ** BigInt(PRICE_DECIMALS)
/** The divisor from 1/60 of a price unit to the minor unit, by currency exponent (0 to 5): 60 x 10^(5 - exponent). */
const MINOR_DIVISOR = Array.from({ length: PRICE_DECIMALS + 1 }, (_, exponent) => 60n * (PRICE_SCALE / 10n ** BigInt(exponent)))
const MAX_CHARGE = BigInt(Number.MAX_SAFE_INTEGER)

/** One destination of a price-list version. */
export interface RateRow {
  /** Digits only, e.g. "4475". */
  prefix: string
  description: string
  /** Per minute, in 1e-5 of the major unit (0.12345 USD -> 12345n). */
  ratePerMinute: bigint
  /** Once per charged call, in 1e-5 of the major unit. */
  connectionFee: bigint
  firstIntervalS: number
  nextIntervalS: number
  /** Seconds at the start of the call that are not charged. */
  freeSeconds: number
}

export interface PriceListVersion {
  /** Epoch milliseconds: the version rates calls that start at or after this instant. */
  effectiveFrom: number
  /** Treated as immutable once rated against: the prefix index is cached per array. */
  rows: readonly RateRow[]
}

export interface CallToRate {
  durationS: number
  calledNumber: string
  /** Epoch milliseconds of the call's start. */
  start: number
}

export type UnratedReason = 'no-matching-prefix' | 'no-price-list'

/**
 * How a record is charged: 'time' (voice: connection fee plus the per-minute price of the billed
 * seconds) or 'message' (messaging services: each record is one message, charged the row's
 * connection fee as its price per message, whatever the record's duration — switches write 0 s for
 * a text message, and a message must not go free for it).
 */
export type ChargeBasis = 'time' | 'message'

export type RatingResult =
  | {
      rated: true
      chargeMinor: number
      /** Seconds charged at the rate (free seconds excluded); 0 means the call cost nothing. */
      billedSeconds: number
      prefix: string
      description: string
      ratePerMinute: bigint
      connectionFee: bigint
    }
  | { rated: false; reason: UnratedReason }

/**
 * The version in force at `start`: the latest effectiveFrom at or before it. A call that starts
 * before a new version's instant and ends after it keeps the version in force at its start, so
 * only the start is looked at. Two versions with the same instant: the later one in the array
 * (the one uploaded last) wins.
 */
export function versionInForce<V extends { effectiveFrom: number }>(versions: readonly V[], start: number): V | undefined {
  let best: V | undefined
  for (const v of versions) {
    if (v.effectiveFrom <= start && (best === undefined || v.effectiveFrom >= best.effectiveFrom)) best = v
  }
  return best
}

/**
 * The digits a prefix is matched against: spaces and punctuation ( ) - . / go, a leading "+" or
 * international "00" goes. Anything else (letters, a SIP address) leaves nothing to match, so the
 * call is unrated rather than matched on a fragment.
 */
export function normaliseCalledNumber(text: string): string {
  let s = text.replace(/[\s().\-/]/g, '')
  if (s.startsWith('+')) s = s.slice(1)
  else if (s.startsWith('00')) s = s.slice(2)
  return /^\d+$/.test(s) ? s : ''
}

/**
 * A version's rows as a digit trie: node n's child for digit d is next[n * 10 + d] (0: none; the
 * root is node 0), and rowAt[n] is the row whose prefix ends at n. A lookup walks the called
 * number's digits once, with no substring or Map probe per length (a million lookups per import).
 */
interface PrefixIndex {
  next: Int32Array
  rowAt: (RateRow | undefined)[]
}

const indexes = new WeakMap<readonly RateRow[], PrefixIndex>()

function checkRow(r: RateRow): void {
  const where = `prefix ${r.prefix}`
  if (!/^\d+$/.test(r.prefix)) throw new AppError('VALIDATION', `The prefix "${r.prefix}" must be digits only.`, 'prefix')
  if (r.ratePerMinute < 0n) throw new AppError('VALIDATION', `The price per minute of ${where} must not be negative.`, 'ratePerMinute')
  if (r.connectionFee < 0n) throw new AppError('VALIDATION', `The connection fee of ${where} must not be negative.`, 'connectionFee')
  if (!Number.isSafeInteger(r.firstIntervalS) || r.firstIntervalS < 1) {
    throw new AppError('VALIDATION', `The first interval of ${where} must be a whole number of seconds, at least 1.`, 'firstIntervalS')
  }
  if (!Number.isSafeInteger(r.nextIntervalS) || r.nextIntervalS < 1) {
    throw new AppError('VALIDATION', `The next interval of ${where} must be a whole number of seconds, at least 1.`, 'nextIntervalS')
  }
  if (!Number.isSafeInteger(r.freeSeconds) || r.freeSeconds < 0) {
    throw new AppError('VALIDATION', `The free seconds of ${where} must be a whole number, 0 or more.`, 'freeSeconds')
  }
}

/** Built once per rows array. */
function prefixIndex(rows: readonly RateRow[]): PrefixIndex {
  let idx = indexes.get(rows)
  if (idx) return idx
  let nodes = 1
  for (const r of rows) {
    checkRow(r)
    nodes += r.prefix.length
  }
  idx = { next: new Int32Array(nodes * 10), rowAt: [] }
  let used = 1
  for (const r of rows) {
    let node = 0
    for (let i = 0; i < r.prefix.length; i++) {
      const slot = node * 10 + r.prefix.charCodeAt(i) - 48
      if (idx.next[slot] === 0) idx.next[slot] = used++
      node = idx.next[slot]!
    }
    // A duplicate prefix is the price-list upload's error to report; here the last row wins.
    idx.rowAt[node] = r
  }
  indexes.set(rows, idx)
  return idx
}

/** The row of the longest prefix of digits[from..]. */
function walk(idx: PrefixIndex, digits: string, from: number): RateRow | undefined {
  let node = 0
  let best: RateRow | undefined
  for (let i = from; i < digits.length; i++) {
    node = idx.next[node * 10 + digits.charCodeAt(i) - 48]!
    if (node === 0) break
    best = idx.rowAt[node] ?? best
  }
  return best
}

function digitsOnly(text: string, from: number): boolean {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c < 48 || c > 57) return false
  }
  return true
}

/** The row with the longest prefix of the (normalised) called number, if any. */
export function longestPrefixMatch(rows: readonly RateRow[], calledNumber: string): RateRow | undefined {
  const idx = prefixIndex(rows)
  // Nearly every number is "+" and digits, or digits: normalised in place.
  let from = calledNumber.charCodeAt(0) === 43 ? 1 : 0
  if (digitsOnly(calledNumber, from)) {
    if (from === 0 && calledNumber.startsWith('00')) from = 2
    return walk(idx, calledNumber, from)
  }
  return walk(idx, normaliseCalledNumber(calledNumber), 0)
}

/**
 * Seconds charged at the rate: free seconds are deducted first; if anything is left, the first
 * interval is billed whole, then whole next intervals (rounded up) for the rest.
 */
export function billedSeconds(durationS: number, row: Pick<RateRow, 'firstIntervalS' | 'nextIntervalS' | 'freeSeconds'>): number {
  const chargeable = durationS - row.freeSeconds
  if (chargeable <= 0) return 0
  if (chargeable <= row.firstIntervalS) return row.firstIntervalS
  return row.firstIntervalS + Math.ceil((chargeable - row.firstIntervalS) / row.nextIntervalS) * row.nextIntervalS
}

/**
 * Rate one call against a version (undefined: no version in force). The charge is
 * connection fee + rate x billed seconds / 60, exact, rounded once to the minor unit. A call with
 * no billed seconds (0 s, or all within the free seconds) costs nothing, connection fee included:
 * the fee is for a charged connection, and a failed or unanswered attempt is not one.
 */
export function rateCall(
  call: CallToRate,
  version: PriceListVersion | undefined,
  currencyExponent: number,
  roundingMode: RoundingMode,
  basis: ChargeBasis = 'time'
): RatingResult {
  if (!Number.isSafeInteger(call.durationS) || call.durationS < 0) {
    throw new AppError('VALIDATION', `The duration "${String(call.durationS)}" must be a whole number of seconds, 0 or more.`, 'durationS')
  }
  if (!Number.isInteger(currencyExponent) || currencyExponent < 0 || currencyExponent > PRICE_DECIMALS) {
    throw new AppError('INTERNAL', `A currency with ${String(currencyExponent)} decimals cannot be rated at ${PRICE_DECIMALS} decimal places.`)
  }
  if (!version) return { rated: false, reason: 'no-price-list' }
  const row = longestPrefixMatch(version.rows, call.calledNumber)
  if (!row) return { rated: false, reason: 'no-matching-prefix' }
  const billed = basis === 'message' ? 0 : billedSeconds(call.durationS, row)
  let chargeMinor = 0
  if (billed > 0 || basis === 'message') {
    // In 1/60 of a price unit: (fee x 60 + rate x seconds) / 60, then / 10^(5 - exponent) to the minor unit.
    const numerator = row.connectionFee * 60n + row.ratePerMinute * BigInt(billed)
    const minor = divideRounded(numerator, MINOR_DIVISOR[currencyExponent]!, roundingMode)
    if (minor > MAX_CHARGE) throw new AppError('VALIDATION', `The charge of a call to ${call.calledNumber} is too large.`, 'ratePerMinute')
    chargeMinor = Number(minor)
  }
  return {
    rated: true,
    chargeMinor,
    billedSeconds: billed,
    prefix: row.prefix,
    description: row.description,
    ratePerMinute: row.ratePerMinute,
    connectionFee: row.connectionFee
  }
}

export interface RatedBatch {
  results: RatingResult[]
  totalMinor: number
  billedSeconds: number
  unrated: number
}

/**
 * Rate records one by one, each against the version in force at its own start, and add up.
 * Each record is rounded on its own, so the total does not depend on order or on how the
 * records were split into files.
 */
export function rateCalls(
  calls: readonly CallToRate[],
  versions: readonly PriceListVersion[],
  currencyExponent: number,
  roundingMode: RoundingMode,
  basis: ChargeBasis = 'time'
): RatedBatch {
  const batch: RatedBatch = { results: [], totalMinor: 0, billedSeconds: 0, unrated: 0 }
  for (const call of calls) {
    const res = rateCall(call, versionInForce(versions, call.start), currencyExponent, roundingMode, basis)
    batch.results.push(res)
    if (res.rated) {
      batch.totalMinor += res.chargeMinor
      batch.billedSeconds += res.billedSeconds
    } else batch.unrated++
  }
  return batch
}
