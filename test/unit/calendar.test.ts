/**
 * Calendar dates in the office's local time (src-main/engine/calendar.ts): a typed date is a real
 * calendar day or a refusal naming the field; a day ends at the next local midnight; a number of
 * days later keeps the local time of day.
 */
import { describe, expect, it } from 'vitest'
import { addLocalDays, checkedDate, endOfLocalDay, parseLocalDate } from '../../src-main/engine/calendar'
import { localDate } from '../../src-shared/format'
import { AppError } from '../../src-shared/errors'

// Local times, so the calendar-date rules read the same in any time zone the tests run in.
const at = (y: number, mo: number, d: number, h = 12, mi = 0) => new Date(y, mo - 1, d, h, mi).toISOString()

describe('calendar dates in local time', () => {
  it("a lift until a day lasts to that day's local midnight", () => {
    expect(endOfLocalDay('2026-11-30')).toBe(new Date(2026, 11, 1).toISOString())
    expect(endOfLocalDay('2026-12-31')).toBe(new Date(2027, 0, 1).toISOString())
    expect(endOfLocalDay('2028-02-28')).toBe(new Date(2028, 1, 29).toISOString())
  })

  it('the reactivation period counts calendar days at the same local time of day', () => {
    expect(addLocalDays(at(2026, 11, 21, 10, 30), 30)).toBe(at(2026, 12, 21, 10, 30))
    // Across a daylight-saving change (where the zone has one) the local time stays 10:30.
    expect(addLocalDays(at(2026, 3, 20, 10, 30), 30)).toBe(at(2026, 4, 19, 10, 30))
    expect(localDate(at(2026, 3, 20, 23, 59))).toBe('2026-03-20')
    expect(localDate(at(2026, 3, 21, 0, 0))).toBe('2026-03-21')
  })
})

describe('dates people type', () => {
  it('a real calendar date is its local midnight; anything else is no date', () => {
    expect(parseLocalDate('2026-11-30')?.getTime()).toBe(new Date(2026, 10, 30).getTime())
    expect(parseLocalDate('2028-02-29')?.getTime()).toBe(new Date(2028, 1, 29).getTime())
    for (const text of [
      '2026-02-30',
      '2027-02-29',
      '2026-13-01',
      '2026-00-10',
      '2026-11-31',
      '26-11-30',
      '2026-1-5',
      '30.11.2026',
      '2026-11-30T10:00',
      ' 2026-11-30',
      ''
    ]) {
      expect(parseLocalDate(text), text).toBeNull()
    }
  })

  it('checkedDate refuses a date that is not one, naming the field and saying what was typed', () => {
    expect(checkedDate('2026-11-22', 'terminationDate', 'Termination date').getTime()).toBe(new Date(2026, 10, 22).getTime())
    let refused: unknown
    try {
      checkedDate('2026-02-30', 'terminationDate', 'Termination date')
    } catch (err) {
      refused = err
    }
    expect(refused).toBeInstanceOf(AppError)
    expect(refused).toMatchObject({ code: 'VALIDATION', field: 'terminationDate', message: 'Termination date: "2026-02-30" is not a calendar date.' })
  })

  it('the end of a day that is not a date is a program error, not a silent wrong instant', () => {
    expect(() => endOfLocalDay('2026-02-30')).toThrow(AppError)
    expect(() => endOfLocalDay('tomorrow')).toThrow('"tomorrow" is not a calendar date.')
  })

  it('days later counts across month and year ends, and back with a negative count', () => {
    expect(addLocalDays(at(2026, 12, 31, 8, 15), 1)).toBe(at(2027, 1, 1, 8, 15))
    expect(addLocalDays(at(2028, 2, 28, 23, 0), 1)).toBe(at(2028, 2, 29, 23, 0))
    expect(addLocalDays(at(2026, 3, 1, 9, 0), -1)).toBe(at(2026, 2, 28, 9, 0))
    expect(addLocalDays(at(2026, 11, 21, 10), 0)).toBe(at(2026, 11, 21, 10))
  })
})
