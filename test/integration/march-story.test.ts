/**
 * Issue 9's story, from the source page (seeds/000): "an incorrect pricelist was uploaded for SIP
 * trunking customers by mistake in March and the issue is discovered in April". Through the
 * channels the app uses: usage files imported as the Usage page does, rated with the wrong March
 * version, the corrected version uploaded for the same instant, a re-rating of March previewed and
 * applied — every balance moves by exactly the previewed difference, February is untouched, the
 * invoices' periods are listed as out of date — and a second apply changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { JobSnapshot } from '../../src-shared/domain'
import { classInput, openTestDesk, type TestDesk } from '../support/desk'
import { tariffCsv } from '../support/usageWorld'

let desk: TestDesk
beforeAll(async () => {
  desk = await openTestDesk({ now: () => Date.parse('2026-04-10T09:00:00Z') })
})
afterAll(async () => {
  await desk.close()
})

const HEADER = 'switch_record_id,account,start_time,duration,called_number,service'

async function untilDone<R>(snapshot: JobSnapshot<R>, status: (jobId: string) => Promise<JobSnapshot<R>>): Promise<JobSnapshot<R>> {
  let s = snapshot
  for (let i = 0; i < 2000 && s.state === 'running'; i++) {
    await new Promise((r) => setTimeout(r, 5))
    s = await status(s.id)
  }
  return s
}

/** The Usage page's way in: the file staged in parts, then imported by a job. */
async function importFile(fileName: string, rows: string[]) {
  const csv = [HEADER, ...rows].join('\r\n')
  const { uploadId } = await desk.ok('usageImport.begin', { fileName, totalChars: csv.length })
  const half = Math.ceil(csv.length / 2)
  await desk.ok('usageImport.chunk', { uploadId, seq: 0, text: csv.slice(0, half) })
  await desk.ok('usageImport.chunk', { uploadId, seq: 1, text: csv.slice(half) })
  const end = await untilDone(await desk.ok('usageImport.start', { uploadId }), (jobId) => desk.ok('usageImport.status', { jobId }))
  expect(end.state).toBe('completed')
  return end.result!
}

describe("the source page's March story", () => {
  it('wrong list -> rated -> corrected list -> re-rating preview -> apply: every balance moves by exactly the difference; again: nothing', async () => {
    const serviceId = desk.addVoiceService()
    const service = desk.app.core.engine.read((r) => r.get<{ code: string }>('SELECT code FROM services WHERE id = ?', [serviceId])!.code)
    const sip = await desk.ok('classes.create', classInput({ name: 'SIP trunking', currency: 'EUR' }))
    const tariff = await desk.ok('priceLists.create', { name: 'SIP trunking EUR', currency: 'EUR' })
    await desk.ok('priceLists.assignToClass', { classId: sip.id, serviceId, priceListId: tariff.id })
    await desk.ok('priceLists.uploadVersion', {
      priceListId: tariff.id,
      csv: tariffCsv('44,UK,0.0500,0,60,60,0', '49,Germany,0.0300,0.01,60,1,0'),
      effectiveFrom: '2026-02-01T00:00:00+01:00'
    })
    // March: the wrong file (ten times the UK price, Germany with a connection fee of 1.00).
    await desk.ok('priceLists.uploadVersion', {
      priceListId: tariff.id,
      csv: tariffCsv('44,UK,0.5000,0,60,60,0', '49,Germany,0.0300,1.00,60,1,0'),
      effectiveFrom: '2026-03-01T00:00:00+01:00'
    })

    const trunks: { id: number }[] = []
    for (const [i, name] of ['acme-sip', 'bolt-voip', 'cirrus-tel'].entries()) {
      const c = await desk.ok('customers.create', { customerId: name, companyName: '', balanceControl: 'postpaid', currency: 'EUR', classId: sip.id, creditLimit: null })
      await desk.ok('customers.addAccount', { id: c.id, accountId: `TRUNK-${i + 1}` })
      trunks.push(c)
    }
    const rows = (month: '02' | '03', n: number) =>
      Array.from({ length: n }, (_, k) => {
        const trunk = (k % 3) + 1
        const number = k % 2 === 0 ? `+44 20 7946 ${String(k).padStart(4, '0')}` : `+49 30 1234 ${String(k).padStart(4, '0')}`
        return `${month}-${k},TRUNK-${trunk},2026-${month}-${String((k % 27) + 1).padStart(2, '0')}T12:00:00+01:00,${30 + ((k * 37) % 400)},${number},${service}`
      })
    const feb = await importFile('switch-2026-02.csv', rows('02', 60))
    const march = await importFile('switch-2026-03.csv', rows('03', 90))
    expect([feb.rated, march.rated, march.unrated, march.rejected]).toEqual([60, 90, 0, 0])
    const balances = async () => Promise.all(trunks.map(async (c) => (await desk.ok('customers.get', { id: c.id })).balanceMinor))
    const before = await balances()
    const febCharges = () =>
      desk.app.core.engine.read((r) =>
        r.all<{ charge_minor: number }>("SELECT charge_minor FROM xdrs WHERE switch_record_id LIKE '02-%' ORDER BY id").map((x) => x.charge_minor)
      )
    const febBefore = febCharges()

    // April: found. The corrected file, uploaded for the same instant, replaces the wrong one.
    await desk.ok('priceLists.uploadVersion', {
      priceListId: tariff.id,
      csv: tariffCsv('44,UK,0.0500,0,60,60,0', '49,Germany,0.0300,0.01,60,1,0'),
      effectiveFrom: '2026-03-01T00:00:00+01:00'
    })
    const march2026 = { scope: { kind: 'class' as const, classId: sip.id }, from: '2026-03-01T00:00:00+01:00', to: '2026-04-01T00:00:00+02:00', priceListId: null }
    const preview = await desk.ok('rerating.preview', march2026)
    expect(preview.recordsChanged).toBe(90)
    expect(preview.customers).toHaveLength(3)
    for (const line of preview.customers) expect(line.newTotalMinor - line.oldTotalMinor).toBe(line.differenceMinor)
    expect(preview.customers.every((l) => l.differenceMinor < 0)).toBe(true)
    // The preview wrote nothing.
    expect(await balances()).toEqual(before)

    const applied = await untilDone(await desk.ok('rerating.start', march2026), (jobId) => desk.ok('rerating.status', { jobId }))
    expect(applied.state).toBe('completed')
    expect(applied.result).toMatchObject({ customersChanged: 3, recordsChanged: 90, cancelled: false })
    const after = await balances()
    for (const [i, c] of trunks.entries()) {
      const line = preview.customers.find((l) => l.customerId === c.id)!
      expect(after[i]! - before[i]!).toBe(line.differenceMinor)
    }
    expect(febCharges()).toEqual(febBefore)
    expect((await desk.ok('ledger.check', {})).ok).toBe(true)
    const outOfDate = await desk.ok('rerating.outOfDatePeriods', {})
    expect(new Set(outOfDate.map((p) => p.customerId))).toEqual(new Set(trunks.map((c) => c.id)))

    // Again with the same list: nothing to change, nothing written.
    const again = await desk.ok('rerating.preview', march2026)
    expect([again.recordsChanged, again.customers.length]).toEqual([0, 0])
    const second = await untilDone(await desk.ok('rerating.start', march2026), (jobId) => desk.ok('rerating.status', { jobId }))
    expect(second.result).toMatchObject({ reratingId: null, customersChanged: 0, recordsChanged: 0 })
    expect(await balances()).toEqual(after)
  }, 60_000)
})
