import { AppError } from './errors'

/**
 * Money is an integer count of the currency's minor unit (cents). No floating point touches
 * an amount anywhere: parsing and formatting work on strings and integers only.
 */
export interface Currency {
  code: string
  exponent: number
  name: string
}

export const CURRENCIES: readonly Currency[] = [
  { code: 'USD', exponent: 2, name: 'US dollar' },
  { code: 'EUR', exponent: 2, name: 'Euro' },
  { code: 'GBP', exponent: 2, name: 'Pound sterling' },
  { code: 'PLN', exponent: 2, name: 'Polish złoty' },
  { code: 'UAH', exponent: 2, name: 'Ukrainian hryvnia' },
  { code: 'CAD', exponent: 2, name: 'Canadian dollar' },
  { code: 'CHF', exponent: 2, name: 'Swiss franc' },
  { code: 'JPY', exponent: 0, name: 'Japanese yen' },
  { code: 'KWD', exponent: 3, name: 'Kuwaiti dinar' }
]

export const CURRENCY_CODES = CURRENCIES.map((c) => c.code) as [string, ...string[]]

export function currency(code: string): Currency {
  const c = CURRENCIES.find((x) => x.code === code)
  if (!c) throw new AppError('VALIDATION', `Unknown currency "${code}".`, 'currency')
  return c
}

const MAX_EXPONENT = Math.max(...CURRENCIES.map((c) => c.exponent))

/**
 * Compare two amounts in possibly different currencies by their face value (exponent applied,
 * no exchange rate): KWD 88.434 > USD 88.43 < PLN 790.80. Exact: the float shortcut is only
 * trusted when it separates the two, ties are settled in BigInt.
 */
export function compareAmounts(aMinor: number, aExponent: number, bMinor: number, bExponent: number): number {
  if (aExponent === bExponent) return aMinor < bMinor ? -1 : aMinor > bMinor ? 1 : 0
  const fa = aMinor * 10 ** (MAX_EXPONENT - aExponent)
  const fb = bMinor * 10 ** (MAX_EXPONENT - bExponent)
  if (fa !== fb) return fa < fb ? -1 : 1
  const ba = BigInt(aMinor) * 10n ** BigInt(MAX_EXPONENT - aExponent)
  const bb = BigInt(bMinor) * 10n ** BigInt(MAX_EXPONENT - bExponent)
  return ba < bb ? -1 : ba > bb ? 1 : 0
}

const AMOUNT_RE = /^([+-])?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d*))?$/

/**
 * Parse what a person typed ("135", "135.5", "1,234.56", "-20") into minor units of `code`.
 * More decimals than the currency has is an error, never a rounding guess ("1.234" in USD).
 */
export function parseAmount(text: string, code: string, field = 'amount'): number {
  const value = parseAmountExact(text, code, field)
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < -BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new AppError('VALIDATION', 'The amount is too large.', field)
  }
  return Number(value) // exact: checked to be a safe integer above
}

/**
 * The same parse without a size limit, as a bigint: for callers that refuse large amounts with
 * their own limit (the maximum amount per operation) and want to name it.
 */
export function parseAmountExact(text: string, code: string, field = 'amount'): bigint {
  const cur = currency(code)
  const s = text.trim().replace(/\s+/g, '')
  const m = AMOUNT_RE.exec(s)
  if (!m) throw new AppError('VALIDATION', `"${text}" is not an amount. Use digits, optionally with a decimal point, e.g. 1,234.56.`, field)
  const sign = m[1] === '-' ? -1n : 1n
  const whole = (m[2] ?? '0').replace(/,/g, '')
  const frac = m[3] ?? ''
  if (frac.length > cur.exponent) {
    throw new AppError(
      'VALIDATION',
      cur.exponent === 0 ? `${cur.code} amounts have no decimal places.` : `${cur.code} amounts have at most ${cur.exponent} decimal places.`,
      field
    )
  }
  const minor = BigInt(whole) * 10n ** BigInt(cur.exponent) + BigInt((frac + '0'.repeat(cur.exponent)).slice(0, cur.exponent) || '0')
  return sign * minor
}

/** "1234567" minor units of USD -> "12,345.67"; negative amounts get a leading minus. */
export function formatMinor(minor: number | bigint, code: string, opts: { grouping?: boolean } = {}): string {
  // A bigint (a limit or a sum past the safe range) is exact by nature; a number must be a safe integer.
  if (typeof minor === 'number' && !Number.isSafeInteger(minor)) throw new AppError('INTERNAL', `Amount ${String(minor)} is not a whole number of minor units.`)
  const cur = currency(code)
  const neg = minor < 0
  const digits = String(neg ? -minor : minor).padStart(cur.exponent + 1, '0')
  const whole = digits.slice(0, digits.length - cur.exponent)
  const frac = digits.slice(digits.length - cur.exponent)
  const grouped = opts.grouping === false ? whole : whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')
  return (neg ? '-' : '') + grouped + (cur.exponent > 0 ? '.' + frac : '')
}

/** "12,345.67 USD": the one way an amount is written with its currency (formatAmount's withCode too). */
export function formatMoney(minor: number | bigint, code: string): string {
  return `${formatMinor(minor, code)} ${code}`
}

/** The rounding rules of rated charges, the default (DESIGN) first. */
export const ROUNDING_MODES = ['away-from-zero', 'half-up', 'half-even', 'toward-zero'] as const
export type RoundingMode = (typeof ROUNDING_MODES)[number]

/** How Settings and the audit log name each rule. */
export const ROUNDING_MODE_NAMES: Record<RoundingMode, string> = {
  'away-from-zero': 'away from zero',
  'half-up': 'half up',
  'half-even': 'half even',
  'toward-zero': 'toward zero'
}

/**
 * Divide exactly and round once: the single rounding rule for rated charges.
 * `numerator / denominator` with integers; the default mode raises the magnitude of any remainder
 * (1.214 -> 1.22, -1.214 -> -1.22).
 */
export function divideRounded(numerator: bigint, denominator: bigint, mode: RoundingMode = 'away-from-zero'): bigint {
  if (denominator === 0n) throw new AppError('INTERNAL', 'Division by zero in a money calculation.')
  if (denominator < 0n) {
    numerator = -numerator
    denominator = -denominator
  }
  const neg = numerator < 0n
  const n = neg ? -numerator : numerator
  let q = n / denominator
  const r = n % denominator
  if (r !== 0n) {
    const twice = r * 2n
    switch (mode) {
      case 'away-from-zero':
        q += 1n
        break
      case 'toward-zero':
        break
      case 'half-up': // half away from zero on magnitude
        if (twice >= denominator) q += 1n
        break
      case 'half-even':
        if (twice > denominator || (twice === denominator && q % 2n === 1n)) q += 1n
        break
    }
  }
  return neg ? -q : q
}
