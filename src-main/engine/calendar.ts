import { AppError } from '../../src-shared/errors'

// Calendar dates. A date the person picks ("lift until 2026-12-01", "terminated on 2026-11-30")
// is a day in the office's local time zone, the machine's; instants are stored as UTC ISO text,
// which compares correctly as text.

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/
/** A real calendar date as local midnight, or null ("2026-02-30" is not a date). */
export function parseLocalDate(date: string): Date | null {
  const m = DATE_RE.exec(date)
  if (!m) return null
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const dt = new Date(y, mo - 1, d)
  return dt.getFullYear() === y && dt.getMonth() === mo - 1 && dt.getDate() === d ? dt : null
}

/** The instant a local calendar day ends (the next local midnight), as UTC ISO. */
export function endOfLocalDay(date: string): string {
  const dt = parseLocalDate(date)
  if (!dt) throw new AppError('INTERNAL', `"${date}" is not a calendar date.`)
  dt.setDate(dt.getDate() + 1)
  return dt.toISOString()
}

/** `days` calendar days after an instant, at the same local time of day (safe across DST). */
export function addLocalDays(iso: string, days: number): string {
  const dt = new Date(iso)
  dt.setDate(dt.getDate() + days)
  return dt.toISOString()
}

/** A calendar date the person typed, or a refusal naming the field. */
export function checkedDate(text: string, field: string, label: string): Date {
  const dt = parseLocalDate(text)
  if (!dt) throw new AppError('VALIDATION', `${label}: "${text}" is not a calendar date.`, field)
  return dt
}
