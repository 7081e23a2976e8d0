import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { openBillingApp } from '../../src-main/app'
import { SNAPSHOT_FILE } from '../../src-main/db/store'
import type { AppStatus, AuditEntry, BackupInfo, CustomerRow } from '../../src-shared/domain'
import { tmpDataDir } from '../support/tmp'
import { TEST_ADMIN } from '../support/operators'

let clock = Date.parse('2026-11-21T10:00:00Z')
const now = () => clock

async function openApp(dataDir: string) {
  return openBillingApp({ dataDir, now, log: () => {}, dailyBackupDelayMs: 3_600_000 })
}

const setup = { companyName: 'Łódź Callshop', address: 'ul. Piotrkowska 1', defaultCurrency: 'PLN', loadDemoData: false, ...TEST_ADMIN }

describe('billing app over the handler table', () => {
  it('starts on a fresh folder in the first-run phase and refuses other work until setup', async () => {
    const app = await openApp(tmpDataDir())
    const status = await app.dispatch('app.status', {}, { transport: 'test' })
    expect(status).toMatchObject({ ok: true, value: { phase: 'setup', settings: null } })
    expect(await app.dispatch('customers.list', {}, { transport: 'test' })).toMatchObject({ ok: false, error: { code: 'SETUP_REQUIRED' } })
    await app.close()
  })

  it('rejects bad input with a typed error naming the field, and changes nothing', async () => {
    const dir = tmpDataDir()
    const app = await openApp(dir)
    const blank = await app.dispatch('setup.complete', { ...setup, companyName: '   ' }, { transport: 'test' })
    expect(blank).toEqual({ ok: false, error: { code: 'VALIDATION', message: 'Company name is required.', field: 'companyName' } })
    const badCurrency = await app.dispatch('setup.complete', { ...setup, defaultCurrency: 'XXX' }, { transport: 'test' })
    expect(badCurrency).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'defaultCurrency' } })
    const extra = await app.dispatch('setup.complete', { ...setup, isAdmin: true }, { transport: 'test' })
    expect(extra).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
    expect(await app.dispatch('no.such.channel', {}, { transport: 'test' })).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } })
    expect(await app.dispatch('app.status', {}, { transport: 'test' })).toMatchObject({ ok: true, value: { phase: 'setup' } })
    await app.close()
  })

  it('completes first run with demo data, durably, with an audit entry', async () => {
    const dir = tmpDataDir()
    const app = await openApp(dir)
    const res = await app.dispatch('setup.complete', { ...setup, loadDemoData: true, ...TEST_ADMIN }, { transport: 'test' })
    expect(res.ok).toBe(true)
    const status = (res as { value: AppStatus }).value
    expect(status.phase).toBe('ready')
    expect(status.settings).toEqual({
      companyName: 'Łódź Callshop',
      address: 'ul. Piotrkowska 1',
      defaultCurrency: 'PLN',
      cardAuthorizationDays: 7,
      maxOperationAmount: 1_000_000,
      roundingMode: 'away-from-zero',
      usageImportFolder: null,
      idleLockMinutes: 10
    })
    expect(status.counts.customers).toBe(100)
    // Repeating setup is refused rather than silently overwriting the company.
    expect(await app.dispatch('setup.complete', setup, { transport: 'test' })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } })
    await app.close()

    const again = await openApp(dir)
    const list = (await again.dispatch('customers.list', { search: 'easy call' }, { transport: 'test' })) as { ok: true; value: { total: number; rows: CustomerRow[] } }
    expect(list.value.rows.map((r) => r.companyName)).toContain('Easy Call Ltd')
    const audit = (await again.dispatch('audit.list', {}, { transport: 'test' })) as { ok: true; value: AuditEntry[] }
    expect(audit.value.map((a) => a.kind)).toEqual(expect.arrayContaining(['setup', 'demo.load']))
    expect(audit.value.find((a) => a.kind === 'setup')?.operatorName).toBe('Administrator')
    expect(await again.dispatch('audit.verify', {}, { transport: 'test' })).toMatchObject({ ok: true, value: { ok: true } })
    await again.close()
  })

  it('records settings changes from -> to in the audit log', async () => {
    const app = await openApp(tmpDataDir())
    await app.dispatch('setup.complete', setup, { transport: 'test' })
    await app.dispatch('settings.update', { companyName: 'Easy Call Ltd', address: 'ul. Piotrkowska 1' }, { transport: 'test' })
    const audit = (await app.dispatch('audit.list', {}, { transport: 'test' })) as { ok: true; value: AuditEntry[] }
    expect(audit.value[0]?.description).toBe('Company name changed from "Łódź Callshop" to "Easy Call Ltd".')
    expect(audit.value.filter((a) => a.kind === 'settings.change')).toHaveLength(1) // the unchanged address wrote nothing
    await app.close()
  })

  it('refuses a second instance on the same data folder', async () => {
    const dir = tmpDataDir()
    const app = await openApp(dir)
    await expect(openApp(dir)).rejects.toMatchObject({ code: 'DB_LOCKED' })
    await app.close()
    const next = await openApp(dir) // released on close
    await next.close()
  })

  it('makes daily backups (one per day, 14 kept) and manual backups to a chosen file', async () => {
    const dir = tmpDataDir()
    const app = await openApp(dir)
    await app.dispatch('setup.complete', setup, { transport: 'test' })
    for (let day = 0; day < 16; day++) {
      clock = Date.parse('2026-11-01T09:00:00Z') + day * 86_400_000
      expect(await app.core.dailyBackup()).not.toBeNull()
      expect(await app.core.dailyBackup()).toBeNull() // once a day
    }
    const list = (await app.dispatch('backup.list', {}, { transport: 'test' })) as { ok: true; value: BackupInfo[] }
    const daily = list.value
      .filter((b) => b.kind === 'daily')
      .map((b) => b.fileName)
      .sort()
    expect(daily).toHaveLength(14)
    expect(daily[0]).toBe('daily-2026-11-03.sqlite')
    const target = path.join(tmpDataDir(), 'my-backup.sqlite')
    expect(await app.dispatch('backup.create', { path: target }, { transport: 'test' })).toMatchObject({ ok: true })
    expect(fs.statSync(target).size).toBeGreaterThan(0)
    await app.close()
  })

  it('opens a corrupt database in recovery mode and restores the newest good backup', async () => {
    const dir = tmpDataDir()
    const app = await openApp(dir)
    await app.dispatch('setup.complete', setup, { transport: 'test' })
    const made = (await app.dispatch('backup.create', {}, { transport: 'test' })) as { ok: true; value: BackupInfo }
    await app.close()
    fs.writeFileSync(path.join(dir, SNAPSHOT_FILE), Buffer.alloc(8192, 7))

    const broken = await openApp(dir)
    const status = (await broken.dispatch('app.status', {}, { transport: 'test' })) as { ok: true; value: AppStatus }
    expect(status.value.phase).toBe('recovery')
    expect(status.value.recovery?.reason).toMatch(/not a SQLite database/)
    expect(status.value.recovery?.backups[0]?.fileName).toBe(made.value.fileName)
    expect(status.value.recovery?.recommendedBackup).toBe(made.value.fileName)
    expect(status.value.recovery?.unusableBackups).toEqual([])
    expect(fs.existsSync(status.value.recovery!.corruptFileKeptAt!)).toBe(true)
    expect(await broken.dispatch('settings.get', {}, { transport: 'test' })).toMatchObject({ ok: false, error: { code: 'DB_CORRUPT' } })

    const restored = await broken.dispatch('backup.restore', { source: { kind: 'backup', fileName: made.value.fileName } }, { transport: 'test' })
    expect(restored).toMatchObject({ ok: true, value: { phase: 'ready', settings: { companyName: 'Łódź Callshop' } } })
    await broken.close()
    const reopened = await openApp(dir)
    expect(await reopened.dispatch('app.status', {}, { transport: 'test' })).toMatchObject({ ok: true, value: { phase: 'ready' } })
    await reopened.close()
  })

  it('never lets two manual backups in the same instant overwrite each other', async () => {
    const app = await openApp(tmpDataDir())
    await app.dispatch('setup.complete', setup, { transport: 'test' })
    const a = (await app.dispatch('backup.create', {}, { transport: 'test' })) as { ok: true; value: BackupInfo }
    const b = (await app.dispatch('backup.create', {}, { transport: 'test' })) as { ok: true; value: BackupInfo }
    expect(a.value.fileName).not.toBe(b.value.fileName)
    const list = (await app.dispatch('backup.list', {}, { transport: 'test' })) as { ok: true; value: BackupInfo[] }
    expect(list.value.filter((x) => x.kind === 'manual')).toHaveLength(2)
    await app.close()
  })

  it('refuses to restore from a file that is not a healthy billing database, changing nothing', async () => {
    const dir = tmpDataDir()
    const app = await openApp(dir)
    await app.dispatch('setup.complete', setup, { transport: 'test' })
    const junk = path.join(tmpDataDir(), 'junk.sqlite')
    fs.writeFileSync(junk, 'not a database')
    const res = await app.dispatch('backup.restore', { source: { kind: 'file', path: junk } }, { transport: 'test' })
    expect(res).toMatchObject({ ok: false, error: { code: 'DB_CORRUPT', field: 'path' } })
    expect(await app.dispatch('settings.get', {}, { transport: 'test' })).toMatchObject({ ok: true, value: { companyName: 'Łódź Callshop' } })
    await app.close()
  })
})
