import { useState } from 'react'
import { keepPreviousData, useQuery as useTanstackQuery } from '@tanstack/react-query'
import type { InputOf } from '../../../src-shared/contract'
import type { UsageTotalLine, UsageTotals } from '../../../src-shared/domain'
import { queryKeyOf } from '../api/data-use'
import { asAppError, invoke } from '../api/invoke'

const keyOf = (l: UsageTotalLine) => `${l.kind}|${l.serviceId ?? ''}|${l.currency ?? ''}`

/** The slices' lines added up, usage first, then the largest groups (as the engine orders one answer). */
export function addTotals(parts: readonly UsageTotals[]): { lines: UsageTotalLine[]; records: number } {
  const sum = new Map<string, UsageTotalLine>()
  for (const part of parts) {
    for (const l of part.lines) {
      const had = sum.get(keyOf(l))
      sum.set(
        keyOf(l),
        had
          ? {
              ...had,
              records: had.records + l.records,
              unrated: had.unrated + l.unrated,
              durationS: had.durationS + l.durationS,
              chargeMinor: had.chargeMinor + l.chargeMinor,
              postedMinor: had.postedMinor + l.postedMinor
            }
          : l
      )
    }
  }
  const lines = [...sum.values()].sort((a, b) => Number(a.kind !== 'usage') - Number(b.kind !== 'usage') || b.records - a.records)
  return { lines, records: lines.reduce((a, l) => a + l.records, 0) }
}

/**
 * The totals of a filter. A broad filter at a million records is answered a slice at a time (the
 * engine serves other requests between slices); this asks for slice after slice and adds them up,
 * reporting how far it got. One query under `usage.totals`' key, so a change to the ledger
 * refreshes it like any other query.
 */
export function useUsageTotals(filter: InputOf<'usage.totals'>) {
  const [progress, setProgress] = useState<number | null>(null)
  const stable = JSON.stringify(filter)
  const q = useTanstackQuery({
    queryKey: queryKeyOf('usage.totals', JSON.parse(stable)),
    queryFn: async ({ signal }) => {
      const parts: UsageTotals[] = []
      let after: number | null = null
      try {
        do {
          const part: UsageTotals = await invoke('usage.totals', { ...filter, ...(after === null ? {} : { afterXdrId: after }) })
          parts.push(part)
          after = part.next
          setProgress(after === null ? null : part.progress.doneThroughXdrId / Math.max(1, part.progress.lastXdrId))
        } while (after !== null && !signal.aborted)
      } catch (e) {
        setProgress(null)
        throw asAppError(e)
      }
      return addTotals(parts)
    },
    placeholderData: keepPreviousData
  })
  return { data: q.data, error: q.error ?? null, loading: q.isFetching, reload: () => void q.refetch(), progress }
}
