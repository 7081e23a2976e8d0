import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { formatAmount, formatDate, formatDateTime, formatSize, localDate, localDatePlus } from '../../src-shared/format'

const originalTz = process.env.TZ

describe('formatAmount', () => {
  it('shows minor units in the currency exponent, grouped, without floats', () => {
    expect(formatAmount(123456, 'USD')).toBe('1,234.56')
    expect(formatAmount(-2000, 'EUR')).toBe('-20.00')
    expect(formatAmount(1500, 'JPY')).toBe('1,500')
    expect(formatAmount(1234, 'KWD')).toBe('1.234')
    expect(formatAmount(29, 'USD')).toBe('0.29')
  })

  it('adds the currency code on request', () => {
    expect(formatAmount(123456, 'USD', { withCode: true })).toBe('1,234.56 USD')
  })
})

describe('formatDateTime and formatDate', () => {
  beforeAll(() => {
    // Node re-reads TZ when it is assigned, so local-time output is deterministic here.
    process.env.TZ = 'UTC'
  })
  afterAll(() => {
    if (originalTz === undefined) delete process.env.TZ
    else process.env.TZ = originalTz
  })

  it('uses one fixed, locale-independent shape', () => {
    expect(formatDateTime('2026-11-21T14:05:09.123Z')).toBe('2026-11-21 14:05')
    expect(formatDate('2026-11-21T14:05:09.123Z')).toBe('2026-11-21')
    expect(formatDateTime('2026-01-02T03:04:00Z')).toBe('2026-01-02 03:04')
  })

  it('shows local time: an instant lands on the local wall clock', () => {
    process.env.TZ = 'Asia/Kolkata' // UTC+05:30, no daylight saving
    try {
      expect(formatDateTime('2026-11-21T20:00:00Z')).toBe('2026-11-22 01:30')
      expect(formatDate('2026-11-21T20:00:00Z')).toBe('2026-11-22')
      expect(formatDateTime('2026-11-21T20:00:00Z', { utc: true })).toBe('2026-11-21 20:00')
    } finally {
      process.env.TZ = 'UTC'
    }
  })

  it('never shifts a calendar date by the time zone', () => {
    process.env.TZ = 'America/New_York'
    try {
      expect(formatDate('2026-11-21')).toBe('2026-11-21')
      expect(formatDateTime('2026-11-21')).toBe('2026-11-21')
    } finally {
      process.env.TZ = 'UTC'
    }
  })

  it('shows a dash for nothing and leaves text that is not a date visible', () => {
    expect(formatDateTime(null)).toBe('—')
    expect(formatDate(undefined)).toBe('—')
    expect(formatDate('')).toBe('—')
    expect(formatDateTime('not a date')).toBe('not a date')
  })
})

describe('formatSize', () => {
  it('shows sizes in binary units with one decimal', () => {
    expect(formatSize(0)).toBe('0 bytes')
    expect(formatSize(1)).toBe('1 byte')
    expect(formatSize(1023)).toBe('1023 bytes')
    expect(formatSize(1536)).toBe('1.5 KB')
    expect(formatSize(5 * 1024 * 1024)).toBe('5.0 MB')
  })
})

describe('localDatePlus (the renderer\'s "today" and date limits, on the shared local-date helper)', () => {
  it('counts calendar days in local time across month and year ends', () => {
    expect(localDatePlus(0, new Date(2026, 10, 30, 23, 59))).toBe('2026-11-30')
    expect(localDatePlus(1, new Date(2026, 10, 30, 23, 59))).toBe('2026-12-01')
    expect(localDatePlus(32, new Date(2026, 11, 1, 0, 0))).toBe('2027-01-02')
    expect(localDatePlus(-1, new Date(2026, 2, 1, 12, 0))).toBe('2026-02-28')
    expect(localDatePlus(0, new Date(2026, 10, 30, 12))).toBe(localDate(new Date(2026, 10, 30, 12).toISOString()))
  })
})
