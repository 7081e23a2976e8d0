/** Adding up the usage totals' slices (src-renderer/src/usage/useUsageTotals.ts). */
import { describe, expect, it } from 'vitest'
import type { UsageTotalLine } from '../../src-shared/domain'
import { addTotals } from '../../src-renderer/src/usage/useUsageTotals'

const line = (kind: string, serviceId: number | null, currency: string | null, records: number, chargeMinor: number): UsageTotalLine => ({
  kind,
  serviceId,
  serviceName: serviceId === null ? null : `S${serviceId}`,
  currency,
  records,
  unrated: 0,
  durationS: records * 60,
  chargeMinor,
  postedMinor: chargeMinor
})
const part = (...lines: UsageTotalLine[]) => ({ lines, records: 0, next: null, progress: { doneThroughXdrId: 0, lastXdrId: 0 } })

describe('usage totals in slices', () => {
  it('adds the same kind, service and currency across slices and keeps the others apart, usage first', () => {
    const sum = addTotals([
      part(line('usage', 1, 'USD', 2, 150), line('manual-payment', null, 'USD', 1, -1000)),
      part(line('usage', 1, 'USD', 3, 5), line('usage', 1, 'JPY', 1, 45), line('usage', 2, null, 9, 0))
    ])
    expect(sum.records).toBe(16)
    expect(sum.lines.map((l) => [l.kind, l.serviceId, l.currency, l.records, l.chargeMinor, l.durationS])).toEqual([
      ['usage', 2, null, 9, 0, 540],
      ['usage', 1, 'USD', 5, 155, 300],
      ['usage', 1, 'JPY', 1, 45, 60],
      ['manual-payment', null, 'USD', 1, -1000, 60]
    ])
  })
})
