/**
 * The job registry (src-main/jobs/registry.ts): long work starts after the request that asked for
 * it is answered, reports progress with a rate and an estimate, stops at a unit boundary on Cancel
 * keeping what it did, and reports a failure as a typed error.
 */
import { describe, expect, it } from 'vitest'
import { JobRegistry } from '../../src-main/jobs/registry'
import { AppError } from '../../src-shared/errors'

const NOW = Date.parse('2026-11-30T10:00:00Z')

describe('JobRegistry', () => {
  it('runs a job in units, with progress, and keeps its result', async () => {
    const jobs = new JobRegistry(() => NOW)
    let ran = 0
    const started = jobs.start('test-job', 'records', async (ctl) => {
      for (let i = 1; i <= 4; i++) {
        await new Promise((r) => setTimeout(r, 5))
        ran = i
        ctl.progress(i * 25, 100, `unit ${i}`)
        await ctl.pause()
      }
      return { units: ran }
    })
    // Nothing has run yet: the request that started it is answered first.
    expect(ran).toBe(0)
    expect(started).toMatchObject({ kind: 'test-job', state: 'running', progress: { done: 0, unit: 'records' } })
    await new Promise((r) => setTimeout(r, 12))
    const mid = jobs.get(started.id, 'test-job')
    expect(mid.state).toBe('running')
    expect(mid.progress.done).toBeGreaterThan(0)
    expect(mid.progress.perSecond).toBeGreaterThan(0)
    expect(mid.progress.etaSeconds).not.toBeNull()
    await jobs.settle()
    expect(jobs.get(started.id, 'test-job')).toMatchObject({ state: 'completed', result: { units: 4 }, progress: { done: 100, total: 100, message: 'unit 4' } })
  })

  it('reports a preparatory step as its share done, until units are counted', async () => {
    const jobs = new JobRegistry(() => NOW)
    const seen: unknown[] = []
    const job = jobs.start('test-job', 'records', async (ctl) => {
      ctl.preparing(400, 1000, 'reading')
      seen.push(jobs.get(job.id, 'test-job').progress)
      ctl.progress(0, 50)
      seen.push(jobs.get(job.id, 'test-job').progress)
      return null
    })
    expect(job.progress.preparing).toBeNull()
    await jobs.settle()
    expect(seen).toEqual([
      expect.objectContaining({ done: 0, total: 0, message: 'reading', preparing: { done: 400, total: 1000 } }),
      expect.objectContaining({ done: 0, total: 50, message: 'reading', preparing: null })
    ])
  })

  it('stops at the next boundary on Cancel and keeps what was done', async () => {
    const jobs = new JobRegistry(() => NOW)
    const done: number[] = []
    const job = jobs.start('test-job', 'records', async (ctl) => {
      for (let i = 1; i <= 1000 && !ctl.signal.aborted; i++) {
        done.push(i)
        await new Promise((r) => setTimeout(r, 2))
      }
      return { units: done.length }
    })
    await new Promise((r) => setTimeout(r, 20))
    expect(jobs.cancel(job.id, 'test-job').state).toBe('running') // asked, not yet stopped
    await jobs.settle()
    const end = jobs.get<{ units: number }>(job.id, 'test-job')
    expect(end.state).toBe('cancelled')
    expect(end.result?.units).toBe(done.length)
    expect(done.length).toBeLessThan(1000)
  })

  it('a job that throws before its first await fails as a job, not as an uncaught exception', async () => {
    const jobs = new JobRegistry(() => NOW)
    const job = jobs.start('test-job', 'records', () => {
      throw new AppError('DB_CORRUPT', 'The database needs to be restored from a backup first.')
    })
    const end = await jobs.finished(job.id, 'test-job')
    expect(end).toMatchObject({ state: 'failed', error: { code: 'DB_CORRUPT' } })
  })

  it('reports a failure as a typed error, and refuses an unknown id or another kind', async () => {
    const jobs = new JobRegistry(() => NOW)
    const job = jobs.start('test-job', 'records', async () => {
      throw new AppError('VALIDATION', 'Line 3: bad start time.', 'csv')
    })
    await jobs.settle()
    expect(jobs.get(job.id, 'test-job')).toMatchObject({ state: 'failed', error: { code: 'VALIDATION', message: 'Line 3: bad start time.', field: 'csv' } })
    expect(() => jobs.get(job.id, 'other-kind')).toThrow(/There is no other-kind/)
    expect(() => jobs.get('nope', 'test-job')).toThrow(AppError)
  })
})
