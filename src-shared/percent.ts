/**
 * Tax rates are stored as parts per million (23% = 230000). People type percent. The conversion
 * works on the digits as text and integers only — never a float — so "8.25" is exactly 82500.
 */

/** One percent in ppm, and so the most decimals a percent can carry exactly: 4. */
const PPM_PER_PERCENT = 10_000
const MAX_DECIMALS = 4

const PERCENT_RE = /^(\d{1,3})(?:[.,](\d*))?$/

export type PercentParse = { ok: true; ppm: number } | { ok: false; message: string }

/**
 * "23" -> 230000, "23.5" -> 235000, "8.25" -> 82500, "0.0001" -> 1. A trailing "%" and spaces
 * are allowed; a comma works as the decimal mark. Empty text is not a rate (callers decide what
 * empty means). Range checks beyond "a percent" are the engine's business.
 */
export function parsePercent(text: string): PercentParse {
  const s = text.trim().replace(/\s*%$/, '').trim()
  if (s === '') return { ok: false, message: 'Enter a percentage, e.g. 23 or 8.25.' }
  const m = PERCENT_RE.exec(s)
  if (!m) return { ok: false, message: `"${text.trim()}" is not a percentage. Use digits, e.g. 23 or 8.25.` }
  const whole = m[1] ?? '0'
  const frac = m[2] ?? ''
  if (frac.length > MAX_DECIMALS) return { ok: false, message: `A tax rate has at most ${MAX_DECIMALS} decimal places.` }
  const ppm = Number(whole) * PPM_PER_PERCENT + Number((frac + '0000').slice(0, MAX_DECIMALS))
  if (ppm > 100 * PPM_PER_PERCENT) return { ok: false, message: 'A tax rate is at most 100%.' }
  return { ok: true, ppm }
}

/** 230000 -> "23", 82500 -> "8.25", 1 -> "0.0001" (no trailing zeros; integer math). */
export function formatPercent(ppm: number): string {
  const whole = Math.trunc(ppm / PPM_PER_PERCENT)
  const frac = String(ppm % PPM_PER_PERCENT)
    .padStart(MAX_DECIMALS, '0')
    .replace(/0+$/, '')
  return frac ? `${whole}.${frac}` : String(whole)
}
