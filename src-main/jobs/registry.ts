/**
 * Long work that must not freeze the desk (a usage import of a million records, a re-rating of a
 * month): it runs in the main process in bounded units of work, yielding between them so other
 * requests (a cashier's payment) are served, and reports progress the renderer polls. A job is
 * cancelled between units of work, never inside one, so every unit is either whole or absent.
 *
 * Each feature starts its jobs and reads them back through its own typed channels
 * (e.g. usage.importStatus); the registry only keeps them.
 */
import { randomUUID } from 'node:crypto'
import { AppError, type AppErrorShape } from '../../src-shared/errors'
import type { JobProgress, JobSnapshot } from '../../src-shared/domain'

export interface JobControl {
  /** Aborted when someone pressed Cancel: stop at the next unit-of-work boundary. */
  readonly signal: AbortSignal
  /** `done` of `total` units (records, customers) so far; the rate and estimate are worked out here. */
  progress(done: number, total: number, message?: string): void
  /** Before any unit is counted: `done` of `total` of a preparatory step (characters of a file read). */
  preparing(done: number, total: number, message?: string): void
  /** Let other requests run between units of work (a macrotask turn, so I/O callbacks get in). */
  pause(): Promise<void>
}

interface Job {
  snapshot: JobSnapshot<unknown>
  controller: AbortController
  ended: Promise<void>
}

/** Finished jobs are kept this long, so a window that reloads can still read the result. */
const KEEP_FINISHED_MS = 60 * 60 * 1000

export class JobRegistry {
  private readonly jobs = new Map<string, Job>()

  constructor(private readonly now: () => number = Date.now) {}

  /**
   * What every job awaits between units of work: a macrotask turn, so I/O callbacks get in. A test
   * that watches a job's progress on screen may make it longer, so the job cannot end unseen.
   */
  betweenUnits: () => Promise<void> = () => new Promise((resolve) => setImmediate(resolve))

  /** Start `run` after the current request has been answered; returns at once with the job's id. */
  start<R>(kind: string, unit: string, run: (ctl: JobControl) => Promise<R>): JobSnapshot<R> {
    this.forgetOld()
    const id = randomUUID()
    const startedMs = this.now()
    // The rate is measured on the monotonic clock: the app's clock may be a test's fixed one.
    const startedTick = performance.now()
    const controller = new AbortController()
    const snapshot: JobSnapshot<unknown> = {
      id,
      kind,
      state: 'running',
      progress: { done: 0, total: 0, unit, perSecond: 0, etaSeconds: null, message: '', preparing: null },
      result: null,
      error: null,
      startedAt: new Date(startedMs).toISOString(),
      finishedAt: null
    }
    let markEnded = () => {}
    const job: Job = {
      snapshot,
      controller,
      ended: new Promise<void>((resolve) => {
        markEnded = resolve
      })
    }
    this.jobs.set(id, job)
    const ctl: JobControl = {
      signal: controller.signal,
      progress: (done, total, message) => {
        const seconds = (performance.now() - startedTick) / 1000
        const perSecond = seconds > 0 ? Math.round(done / seconds) : 0
        const progress: JobProgress = {
          done,
          total,
          unit,
          perSecond,
          etaSeconds: perSecond > 0 && total >= done ? Math.ceil((total - done) / perSecond) : null,
          message: message ?? snapshot.progress.message,
          preparing: null
        }
        snapshot.progress = progress
      },
      preparing: (done, total, message) => {
        snapshot.progress = { ...snapshot.progress, message: message ?? snapshot.progress.message, preparing: { done, total } }
      },
      pause: () => this.betweenUnits()
    }
    setImmediate(() => {
      // Through a promise, so that a job that throws before its first await fails as a job
      // (state 'failed' with the error) instead of as an uncaught exception of the process.
      Promise.resolve()
        .then(() => run(ctl))
        .then(
          (result) => {
            snapshot.result = result
            snapshot.state = controller.signal.aborted ? 'cancelled' : 'completed'
            snapshot.finishedAt = new Date(this.now()).toISOString()
            markEnded()
          },
          (err: unknown) => {
            snapshot.error = err instanceof AppError ? err.toShape() : ({ code: 'INTERNAL', message: (err as Error)?.message ?? String(err) } satisfies AppErrorShape)
            snapshot.state = controller.signal.aborted ? 'cancelled' : 'failed'
            snapshot.finishedAt = new Date(this.now()).toISOString()
            markEnded()
          }
        )
    })
    return snapshot as JobSnapshot<R>
  }

  /** The job as it stands; `kind` guards against reading another feature's job through the wrong channel. */
  get<R>(id: string, kind: string): JobSnapshot<R> {
    const job = this.jobs.get(id)
    if (!job || job.snapshot.kind !== kind) throw new AppError('NOT_FOUND', `There is no ${kind} with id ${id} (it may have finished more than an hour ago).`, 'jobId')
    return { ...job.snapshot, progress: { ...job.snapshot.progress } } as JobSnapshot<R>
  }

  /** The job once it has ended (completed, cancelled or failed). */
  async finished<R>(id: string, kind: string): Promise<JobSnapshot<R>> {
    this.get(id, kind)
    await this.jobs.get(id)?.ended
    return this.get<R>(id, kind)
  }

  /** Ask a running job to stop at its next unit-of-work boundary. A finished job is left as it is. */
  cancel<R>(id: string, kind: string): JobSnapshot<R> {
    const job = this.jobs.get(id)
    if (!job || job.snapshot.kind !== kind) throw new AppError('NOT_FOUND', `There is no ${kind} with id ${id}.`, 'jobId')
    if (job.snapshot.state === 'running') job.controller.abort()
    return this.get(id, kind)
  }

  /** Running jobs of a kind (a second import while one runs is refused by its feature, for instance). */
  running(kind: string): JobSnapshot<unknown>[] {
    return [...this.jobs.values()].filter((j) => j.snapshot.kind === kind && j.snapshot.state === 'running').map((j) => j.snapshot)
  }

  /** Wait for every running job (closing the app, tests). */
  async settle(): Promise<void> {
    while ([...this.jobs.values()].some((j) => j.snapshot.state === 'running')) await new Promise((r) => setTimeout(r, 5))
  }

  private forgetOld(): void {
    const cutoff = this.now() - KEEP_FINISHED_MS
    for (const [id, job] of this.jobs) {
      if (job.snapshot.finishedAt !== null && Date.parse(job.snapshot.finishedAt) < cutoff) this.jobs.delete(id)
    }
  }
}
