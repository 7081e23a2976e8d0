/**
 * Recovery end to end: a damaged database file is reported on start-up, the newest backup that
 * passes its checks is recommended (a damaged newer one is marked and cannot be chosen), and
 * restoring it brings the desk back with its data.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chromium, type Browser, type Page } from 'playwright-core'
import { openBillingApp } from '../../src-main/app'
import { SNAPSHOT_FILE } from '../../src-main/db/store'
import { startHost, type RunningHost } from '../../src-main/host/server'
import type { BackupInfo } from '../../src-shared/domain'

const ROOT = path.resolve(__dirname, '../..')
const RENDERER_DIR = path.join(ROOT, 'out/renderer')
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

let dataDir: string
let app: Awaited<ReturnType<typeof openBillingApp>>
let host: RunningHost
let browser: Browser
let page: Page
let good: BackupInfo
let damaged: BackupInfo
let clock = Date.parse('2026-11-20T08:00:00Z')

async function backupAt(ms: number): Promise<BackupInfo> {
  clock = ms
  const res = await app.dispatch('backup.create', {}, { transport: 'test' })
  if (!res.ok) throw new Error(res.error.message)
  return res.value as BackupInfo
}

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'billing-e2e-recovery-'))
  app = await openBillingApp({ dataDir, now: () => clock, log: () => {}, dailyBackupDelayMs: 3_600_000 })
  await app.dispatch('setup.complete', { companyName: 'MegaTrunk', address: 'Harbour Road 5', defaultCurrency: 'EUR', loadDemoData: true }, { transport: 'test' })
  good = await backupAt(Date.parse('2026-11-20T09:00:00Z'))
  damaged = await backupAt(Date.parse('2026-11-21T09:00:00Z'))
  await app.close()
  // The newest backup got damaged too (say, a bad sector), and then the database file itself.
  fs.writeFileSync(path.join(dataDir, 'backups', damaged.fileName), Buffer.alloc(4096, 0x55))
  const db = fs.readFileSync(path.join(dataDir, SNAPSHOT_FILE))
  db.fill(0x41, 1024, 9000)
  fs.writeFileSync(path.join(dataDir, SNAPSHOT_FILE), db)

  app = await openBillingApp({ dataDir, now: () => clock, log: () => {}, dailyBackupDelayMs: 3_600_000 })
  host = await startHost({ dispatcher: app, rendererDir: RENDERER_DIR })
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run']
  })
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
})

afterAll(async () => {
  await browser?.close()
  await host?.close()
  await app?.close()
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true })
})

describe('recovery from a damaged database', () => {
  it('explains the damage, keeps the file aside and recommends the newest good backup', async () => {
    await page.goto(host.pageUrl)
    await expect.poll(() => page.getByRole('heading', { name: 'The billing data needs to be restored' }).isVisible()).toBe(true)
    const alert = page.getByRole('alert')
    expect(await alert.innerText()).toMatch(/damaged/)
    expect(await alert.innerText()).toMatch(/corrupt/) // where the copy was kept
    const goodRow = page.getByRole('row').filter({ hasText: good.fileName })
    const damagedRow = page.getByRole('row').filter({ hasText: damaged.fileName })
    expect(await goodRow.innerText()).toMatch(/recommended/i)
    expect(await damagedRow.innerText()).toMatch(/damaged/i)
    expect(await damagedRow.getByRole('button', { name: `Restore ${damaged.fileName}` }).isDisabled()).toBe(true)
    await page.screenshot({ path: path.join(ROOT, '.test-output', 'recovery.png') })
  })

  it('restores the recommended backup after confirmation and the desk works again', async () => {
    await page.getByRole('button', { name: `Restore ${good.fileName}` }).click()
    const dialog = page.getByRole('dialog', { name: 'Restore this backup?' })
    await dialog.getByRole('button', { name: 'Restore', exact: true }).click()
    await expect.poll(() => page.getByRole('heading', { level: 1, name: 'Customers' }).isVisible(), { timeout: 15_000 }).toBe(true)
    await expect.poll(() => page.getByText('MegaTrunk').first().isVisible()).toBe(true)
    await page.locator('nav').getByRole('button', { name: 'Audit log', exact: true }).click()
    await expect.poll(() => page.getByText(`Database restored from backup ${good.fileName}.`).isVisible()).toBe(true)
  })
})
