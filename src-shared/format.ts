import { formatMinor, formatMoney } from './money'

/**
 * The one place money, dates and sizes are turned into text for people. Formats are fixed and
 * locale-independent (2026-11-21 14:05) so the screen, the PDF and the tests always agree.
 * Times are shown in the machine's local time zone unless `utc` is asked for.
 */

/** Minor units -> "1,234.56" (no floating point; the currency's own exponent). */
export function formatAmount(minor: number, currencyCode: string, opts: { withCode?: boolean } = {}): string {
  return opts.withCode ? formatMoney(minor, currencyCode) : formatMinor(minor, currencyCode)
}

const DATE_ONLY_RE = /^(\d{4})-(\d{2})-(\d{2})$/
const EMPTY = '—'

const pad = (n: number, width = 2) => String(n).padStart(width, '0')

interface Parts {
  y: number
  mo: number
  d: number
  h: number
  mi: number
}

function parts(iso: string, utc: boolean): Parts | null {
  const t = Date.parse(iso)
  if (Number.isNaN(t)) return null
  const dt = new Date(t)
  return utc
    ? { y: dt.getUTCFullYear(), mo: dt.getUTCMonth() + 1, d: dt.getUTCDate(), h: dt.getUTCHours(), mi: dt.getUTCMinutes() }
    : { y: dt.getFullYear(), mo: dt.getMonth() + 1, d: dt.getDate(), h: dt.getHours(), mi: dt.getMinutes() }
}

const ymd = (p: Parts) => `${pad(p.y, 4)}-${pad(p.mo)}-${pad(p.d)}`

/**
 * The local calendar date of an instant: "2026-11-21T23:30:00Z" -> "2026-11-22" in Warsaw. The
 * engine's "today" and the dates it stores from instants; `formatDate` is the same for display.
 */
export function localDate(iso: string): string {
  return localDateOf(new Date(iso))
}

function localDateOf(dt: Date): string {
  return ymd({ y: dt.getFullYear(), mo: dt.getMonth() + 1, d: dt.getDate(), h: 0, mi: 0 })
}

/** The local calendar date `days` days after `from` (default now): today is localDatePlus(0). */
export function localDatePlus(days: number, from: Date = new Date()): string {
  return localDateOf(new Date(from.getFullYear(), from.getMonth(), from.getDate() + days))
}

/**
 * "2026-11-21T14:05:09Z" -> "2026-11-21 14:05" (local time). A date without a time is shown as
 * the date alone. Missing values show a dash; text that is not a date is shown unchanged rather
 * than hidden.
 */
export function formatDateTime(iso: string | null | undefined, opts: { utc?: boolean } = {}): string {
  if (iso === null || iso === undefined || iso.trim() === '') return EMPTY
  if (DATE_ONLY_RE.test(iso.trim())) return iso.trim()
  const p = parts(iso, opts.utc === true)
  if (!p) return iso
  return `${ymd(p)} ${pad(p.h)}:${pad(p.mi)}`
}

/**
 * "2026-11-21T14:05:09Z" -> "2026-11-21" (local date). A calendar date ("2026-11-21") is a date,
 * not an instant, and is returned as it is — never shifted by the time zone.
 */
export function formatDate(iso: string | null | undefined, opts: { utc?: boolean } = {}): string {
  if (iso === null || iso === undefined || iso.trim() === '') return EMPTY
  if (DATE_ONLY_RE.test(iso.trim())) return iso.trim()
  const p = parts(iso, opts.utc === true)
  if (!p) return iso
  return ymd(p)
}

/**
 * The last local day a period covers, given the instant it ends (a lift "until the end of
 * 2026-12-07" ends at local midnight starting 2026-12-08): the date of the moment before.
 */
export function formatLastDay(endIso: string | null | undefined): string {
  if (endIso === null || endIso === undefined || endIso.trim() === '') return EMPTY
  const t = Date.parse(endIso)
  if (Number.isNaN(t)) return endIso
  return formatDate(new Date(t - 1).toISOString())
}

/** 1536 -> "1.5 KB"; integer arithmetic, one decimal. */
export function formatSize(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return EMPTY
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB']
  let unit = 0
  const scaled = Math.round(bytes)
  let divisor = 1
  while (unit < units.length - 1 && scaled >= 1024 * divisor) {
    divisor *= 1024
    unit += 1
  }
  if (unit === 0) return `${scaled} ${scaled === 1 ? 'byte' : 'bytes'}`
  const tenths = Math.round((scaled * 10) / divisor)
  return `${Math.floor(tenths / 10)}.${tenths % 10} ${units[unit]}`
}
