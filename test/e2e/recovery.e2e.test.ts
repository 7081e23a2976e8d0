/**
 * Recovery end to end: a damaged database file is reported on start-up, the newest backup that
 * passes its checks is recommended (a damaged newer one is marked and cannot be chosen), and
 * restoring it brings the desk back with its data.
 */
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { SNAPSHOT_FILE } from '../../src-main/db/store'
import type { BackupInfo } from '../../src-shared/domain'
import { launchChromium, ROOT, startDesk, tempDataDir, type Desk } from '../support/e2e'

let dataDir: string
let desk: Desk
let browser: Browser
let page: Page
let good: BackupInfo
let damaged: BackupInfo
let clock = Date.parse('2026-11-20T08:00:00Z')

async function backupAt(ms: number): Promise<BackupInfo> {
  clock = ms
  return desk.call('backup.create', {})
}

beforeAll(async () => {
  dataDir = tempDataDir('recovery')
  desk = await startDesk(dataDir, { now: () => clock })
  await desk.call('setup.complete', { companyName: 'MegaTrunk', address: 'Harbour Road 5', defaultCurrency: 'EUR', loadDemoData: true })
  good = await backupAt(Date.parse('2026-11-20T09:00:00Z'))
  damaged = await backupAt(Date.parse('2026-11-21T09:00:00Z'))
  await desk.close()
  // The newest backup got damaged too (say, a bad sector), and then the database file itself.
  fs.writeFileSync(path.join(dataDir, 'backups', damaged.fileName), Buffer.alloc(4096, 0x55))
  const db = fs.readFileSync(path.join(dataDir, SNAPSHOT_FILE))
  db.fill(0x41, 1024, 9000)
  fs.writeFileSync(path.join(dataDir, SNAPSHOT_FILE), db)

  desk = await startDesk(dataDir, { now: () => clock })
  browser = await launchChromium()
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
})

afterAll(async () => {
  await browser?.close()
  await desk?.close()
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true })
})

describe('recovery from a damaged database', () => {
  it('explains the damage, keeps the file aside and recommends the newest good backup', async () => {
    await page.goto(desk.host.pageUrl)
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
