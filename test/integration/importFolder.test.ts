/**
 * The usage import folder (src-main/usage/importFolder.ts): files dropped in the folder set in
 * Settings are imported at start-up and at each look; each is moved to imported/ or rejected/ with
 * a report beside it; a file still being written waits for the next look; importing never charges
 * a record twice.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openBillingApp } from '../../src-main/app'
import { ADMIN_ACTOR, openTestDesk, type TestDesk } from '../support/desk'
import { usageWorld } from '../support/usageWorld'

let desk: TestDesk
let folder: string
let serviceCode: string
let customerId: number

const HEADER = 'switch_record_id,account,start_time,duration,called_number,service'

beforeAll(async () => {
  desk = await openTestDesk()
  const world = await usageWorld(desk)
  await world.upload('2026-01-01T00:00:00Z', '44,UK,0.10,0,60,60,0')
  customerId = (await world.customer({}, ['FOLDER-1'])).id
  serviceCode = desk.app.core.engine.read((r) => r.get<{ code: string }>('SELECT code FROM services WHERE id = ?', [world.serviceId])!.code)
  folder = fs.mkdtempSync(path.join(os.tmpdir(), 'usage-drop-'))
  desk.app.core.engine.change(ADMIN_ACTOR, (w) => w.run('UPDATE settings SET usage_import_folder = ? WHERE id = 1', [folder]))
})
afterAll(async () => {
  await desk.close()
  fs.rmSync(folder, { recursive: true, force: true })
})

/** A file as the switch leaves it: written a while ago (an old file is complete at the first look). */
function drop(name: string, rows: string[], opts: { header?: string; fresh?: boolean } = {}) {
  const file = path.join(folder, name)
  fs.writeFileSync(file, [opts.header ?? HEADER, ...rows].join('\r\n'))
  if (!opts.fresh) fs.utimesSync(file, new Date('2026-01-01T00:00:00Z'), new Date('2026-01-01T00:00:00Z'))
  return file
}
const balance = () => desk.app.core.engine.read((r) => r.get<{ b: number }>('SELECT balance_minor AS b FROM customers WHERE id = ?', [customerId])!.b)
const ls = (sub = '') => (fs.existsSync(path.join(folder, sub)) ? fs.readdirSync(path.join(folder, sub)).sort() : [])

describe('usage import folder', () => {
  it('imports each ready file and moves it to imported/ or rejected/ with a report beside it', async () => {
    const before = balance()
    drop('a-good.csv', [`F-1,FOLDER-1,2026-03-01T10:00:00Z,60,+441234,${serviceCode}`, `F-2,FOLDER-1,2026-03-01T11:00:00Z,61,+441234,${serviceCode}`])
    drop('b-some-bad.csv', [`F-3,FOLDER-1,2026-03-01T12:00:00Z,60,+441234,${serviceCode}`, `F-4,FOLDER-1,not a time,60,+441234,${serviceCode}`])
    drop('c-all-bad.csv', [`F-5,FOLDER-1,yesterday,60,+441234,${serviceCode}`])
    drop('d-wrong-columns.csv', ['1,2,3'], { header: 'id,who,when' })
    fs.writeFileSync(path.join(folder, 'notes.txt'), 'not usage')
    const results = await desk.app.core.usageFolder.look()
    expect(results.map((r) => [path.basename(r.file), r.movedTo && path.relative(folder, r.movedTo)])).toEqual([
      ['a-good.csv', path.join('imported', 'a-good.csv')],
      ['b-some-bad.csv', path.join('imported', 'b-some-bad.csv')],
      ['c-all-bad.csv', path.join('rejected', 'c-all-bad.csv')],
      ['d-wrong-columns.csv', path.join('rejected', 'd-wrong-columns.csv')]
    ])
    expect(ls()).toEqual(['imported', 'notes.txt', 'rejected'])
    expect(ls('imported')).toEqual(['a-good.csv', 'a-good.csv.report.txt', 'b-some-bad.csv', 'b-some-bad.csv.report.txt'])
    expect(fs.readFileSync(path.join(folder, 'imported', 'b-some-bad.csv.report.txt'), 'utf8')).toMatch(/line 3, column start_time/)
    expect(fs.readFileSync(path.join(folder, 'rejected', 'd-wrong-columns.csv.report.txt'), 'utf8')).toMatch(
      /refused, nothing was imported[\s\S]*line 1, column (switch_record_id|account|start_time)/
    )
    expect(balance() - before).toBe(10 + 20 + 10)
  })

  it('leaves a file that is still being written for the next look, and never charges a record twice', async () => {
    const before = balance()
    drop('e-growing.csv', [`F-10,FOLDER-1,2026-03-02T10:00:00Z,60,+441234,${serviceCode}`], { fresh: true })
    expect(await desk.app.core.usageFolder.look()).toEqual([])
    expect(ls()).toContain('e-growing.csv')
    const [second] = await desk.app.core.usageFolder.look()
    expect(second?.movedTo).toBe(path.join(folder, 'imported', 'e-growing.csv'))
    // The same records again under the same name: duplicates, moved beside the first with a new name.
    drop('e-growing.csv', [`F-10,FOLDER-1,2026-03-02T10:00:00Z,60,+441234,${serviceCode}`])
    const [again] = await desk.app.core.usageFolder.look()
    expect(again?.summary).toMatchObject({ imported: 0, duplicates: 1 })
    expect(again?.movedTo).toBe(path.join(folder, 'imported', 'e-growing (2).csv'))
    expect(balance() - before).toBe(10)
  })

  it('catches up at start-up with the files dropped while the app was closed', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'usage-drop-books-'))
    fs.cpSync(desk.app.dataDir, dataDir, { recursive: true })
    fs.rmSync(path.join(dataDir, 'app.lock'), { force: true })
    drop('f-overnight.csv', [`F-20,FOLDER-1,2026-03-03T10:00:00Z,60,+441234,${serviceCode}`])
    const app = await openBillingApp({ dataDir, now: () => Date.parse('2026-11-21T10:00:00Z'), log: () => {}, dailyBackupDelayMs: 3_600_000 })
    try {
      for (let i = 0; i < 200 && ls().includes('f-overnight.csv'); i++) await new Promise((r) => setTimeout(r, 25))
      expect(ls('imported')).toContain('f-overnight.csv')
      expect(app.core.engine.read((r) => r.get<{ n: number }>("SELECT count(*) AS n FROM xdrs WHERE switch_record_id = 'F-20'")!.n)).toBe(1)
    } finally {
      await app.close()
      fs.rmSync(dataDir, { recursive: true, force: true })
    }
  })
})
