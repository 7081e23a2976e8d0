import { useEffect, useRef } from 'react'
import type { Channel, InputOf, ResultOf } from '../../../src-shared/contract'
import { notifyError } from '../lib/notify'
import { invoke } from './invoke'
import { refreshAfter } from './query'

/** The channels that read a long job back (docs/architecture.md, "Long work"). */
type JobStatusChannel = 'invoiceClose.status' | 'rerating.status' | 'reissue.status'

/**
 * While `job` runs, read it back through `status` every 300 ms and hand each snapshot to `onJob`;
 * when it has ended, refresh the screens showing what `startedBy` changes.
 */
export function useJobPolling<C extends JobStatusChannel>(job: ResultOf<C> | null, onJob: (next: ResultOf<C>) => void, status: C, startedBy: Channel): void {
  const polling = useRef(false)
  useEffect(() => {
    if (job?.state !== 'running' || polling.current) return
    polling.current = true
    const timer = setTimeout(async () => {
      try {
        const next = (await invoke(status, { jobId: job.id } as InputOf<C>)) as ResultOf<C>
        onJob(next)
        if (next.state !== 'running') void refreshAfter(startedBy)
      } catch (e) {
        notifyError(e)
      } finally {
        polling.current = false
      }
    }, 300)
    return () => {
      clearTimeout(timer)
      polling.current = false
    }
  }, [job, onJob, status, startedBy])
}
