/**
 * The Usage page's import channels (src-main/ipc/usageImportHandlers.ts): a file uploaded in
 * parts, imported by a job whose progress is polled, one import at a time, Cancel, and the history.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { JobProgress, JobSnapshot, UsageImportSummary } from '../../src-shared/domain'
import { openTestDesk, type TestDesk } from '../support/desk'
import { usageWorld } from '../support/usageWorld'

let desk: TestDesk
let serviceCode = ''
beforeAll(async () => {
  desk = await openTestDesk()
  const serviceId = desk.addVoiceService()
  serviceCode = desk.app.core.engine.read((r) => r.get<{ code: string }>('SELECT code FROM services WHERE id = ?', [serviceId])!.code)
})
afterAll(async () => {
  await desk.app.core.jobs.settle()
  await desk.close()
})

const HEADER = 'switch_record_id,account,start_time,duration,called_number,service'
const usageFile = (account: string, count: number, prefix: string) =>
  [HEADER, ...Array.from({ length: count }, (_, i) => `${prefix}-${i},${account},2026-01-10T10:00:00+01:00,60,441234,${serviceCode}`)].join('\n')

/** Upload `text` in parts of `partChars` characters; returns the upload id. */
async function upload(fileName: string, text: string, partChars = 1000): Promise<string> {
  const { uploadId } = await desk.ok('usageImport.begin', { fileName, totalChars: text.length })
  for (let seq = 0; seq * partChars < text.length; seq++) {
    await desk.ok('usageImport.chunk', { uploadId, seq, text: text.slice(seq * partChars, (seq + 1) * partChars) })
  }
  return uploadId
}

async function finished(jobId: string): Promise<JobSnapshot<UsageImportSummary>> {
  for (;;) {
    const s = await desk.ok('usageImport.status', { jobId })
    if (s.state !== 'running') return s
    await new Promise((r) => setTimeout(r, 5))
  }
}

describe('usage import channels', () => {
  it('imports a file sent in parts as a job, with progress in records, and lists it in the history', async () => {
    const w = await usageWorld(desk)
    await w.upload('2026-01-01T00:00:00Z', '44,UK,0.10,0,60,60,0')
    const c = await w.customer({}, ['chan-acc-1'])
    const text = usageFile('chan-acc-1', 300, 'chan-a')
    const uploadId = await upload('march.csv', text)
    const started = await desk.ok('usageImport.start', { uploadId })
    expect(started).toMatchObject({ kind: 'usage-import', state: 'running', progress: { unit: 'records' } })
    const done = await finished(started.id)
    expect(done.state).toBe('completed')
    expect(done.progress).toMatchObject({ done: 300, total: 300 })
    expect(done.result).toMatchObject({ source: 'page', fileName: 'march.csv', lines: 300, imported: 300, rated: 300 })
    expect(done.result!.chargedByCurrency).toEqual([{ currency: 'USD', chargedMinor: 3000, records: 300 }])
    expect((await desk.ok('customers.get', { id: c.id })).balanceMinor).toBe(3000)
    const history = await desk.ok('usageImport.list', {})
    expect(history[0]).toMatchObject({ importId: done.result!.importId, state: 'completed', fileName: 'march.csv', imported: 300, operatorName: 'Administrator' })
    expect(await desk.ok('usageImport.get', { importId: done.result!.importId })).toEqual(done.result)
    // The upload was taken by the job: it cannot be imported a second time by mistake.
    expect((await desk.call('usageImport.start', { uploadId })).ok).toBe(false)
  })

  it('shows the share of the file read before any record is written, then records of the total', async () => {
    const w = await usageWorld(desk)
    await w.upload('2026-01-01T00:00:00Z', '44,UK,0.10,0,60,60,0')
    await w.customer({}, ['chan-acc-read'])
    const text = usageFile('chan-acc-read', 120_000, 'chan-r')
    const uploadId = await upload('read.csv', text, 100_000)
    // What the dialog would see at each pause between units of work.
    const jobs = desk.app.core.jobs
    const quick = jobs.betweenUnits
    const seen: JobProgress[] = []
    jobs.betweenUnits = () => {
      seen.push({ ...jobs.running('usage-import')[0]!.progress })
      return quick()
    }
    try {
      const done = await finished((await desk.ok('usageImport.start', { uploadId })).id)
      expect(done.result).toMatchObject({ state: 'completed', imported: 120_000 })
      expect(done.progress.preparing).toBeNull()
    } finally {
      jobs.betweenUnits = quick
    }
    const reading = seen.filter((p) => p.preparing !== null).map((p) => p.preparing!)
    // Slices of 50,000 lines: about 5/12, then 10/12 of the file's characters.
    expect(reading.map((r) => r.total)).toEqual(reading.map(() => text.length))
    expect(reading.map((r) => Math.round((12 * r.done) / r.total))).toEqual([5, 10])
    expect(seen.slice(0, reading.length).every((p) => p.done === 0)).toBe(true)
    // Then batches of 5,000 records of the 120,000, with no reading share any more.
    const writing = seen.slice(reading.length)
    expect(writing.map((p) => p.preparing)).toEqual(writing.map(() => null))
    expect(writing.map((p) => p.done)).toEqual(Array.from({ length: 23 }, (_, i) => (i + 1) * 5000))
    expect(writing.every((p) => p.total === 120_000)).toBe(true)
  })

  it('refuses parts out of order, more than announced, and a start before the whole file has arrived', async () => {
    const { uploadId } = await desk.ok('usageImport.begin', { fileName: 'x.csv', totalChars: 10 })
    const wrongSeq = await desk.call('usageImport.chunk', { uploadId, seq: 1, text: 'abc' })
    expect(wrongSeq).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'seq' } })
    await desk.ok('usageImport.chunk', { uploadId, seq: 0, text: 'abcdef' })
    expect(await desk.call('usageImport.chunk', { uploadId, seq: 1, text: 'ghijklm' })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
    const early = await desk.call('usageImport.start', { uploadId })
    expect(early).toMatchObject({ ok: false, error: { code: 'VALIDATION', message: expect.stringMatching(/6 of 10 characters/) } })
  })

  it('runs one usage import at a time, and Cancel stops one at a batch boundary', async () => {
    const w = await usageWorld(desk)
    await w.upload('2026-01-01T00:00:00Z', '44,UK,0.10,0,60,60,0')
    await w.customer({}, ['chan-acc-2'])
    const first = await desk.ok('usageImport.start', { uploadId: await upload('big.csv', usageFile('chan-acc-2', 12_000, 'chan-b'), 100_000) })
    const second = await upload('second.csv', usageFile('chan-acc-2', 5, 'chan-c'))
    expect(await desk.call('usageImport.start', { uploadId: second })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } })
    await desk.ok('usageImport.cancel', { jobId: first.id })
    const stopped = await finished(first.id)
    expect(stopped.state).toBe('cancelled')
    expect(stopped.result).toMatchObject({ state: 'cancelled' })
    expect(stopped.result!.imported % 5000).toBe(0)
    // The refused upload is still staged: it can start now.
    const later = await finished((await desk.ok('usageImport.start', { uploadId: second })).id)
    expect(later.result).toMatchObject({ state: 'completed', imported: 5 })
    expect((await desk.ok('ledger.check', {})).ok).toBe(true)
  })

  it('lists an import the app stopped in the middle of as interrupted', async () => {
    // What a crash mid-file leaves: the import's row still 'running', and no job running it.
    const id = desk.app.core.engine.change({ operatorId: 1, operatorName: 'Administrator' }, (w) =>
      w.insert(
        "INSERT INTO usage_imports (source, file_name, started_at, state, operator_name, lines, imported) VALUES ('folder', 'cut.csv', ?, 'running', 'Administrator', 10000, 5000)",
        [w.at]
      )
    )
    const listed = (await desk.ok('usageImport.list', {})).find((i) => i.importId === id)
    expect(listed).toMatchObject({ state: 'interrupted', fileName: 'cut.csv', imported: 5000 })
  })
})
