/**
 * Recovery end to end: a damaged database file is reported on start-up, the newest backup that
 * passes its checks is recommended (a damaged newer one is marked and cannot be chosen), and
 * restoring it brings the desk back with its data, plus the changes made after the backup that
 * the journal still held (replayed; the screen says how many and that nothing is missing).
 */
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { SNAPSHOT_FILE } from '../../src-main/db/store'
import type { BackupInfo } from '../../src-shared/domain'
import { launchChromium, logInOnPage, ROOT, startDesk, tempDataDir, type Desk } from '../support/e2e'
import { TEST_ADMIN } from '../support/operators'

let dataDir: string
let desk: Desk
let browser: Browser
let page: Page
let good: BackupInfo
let damaged: BackupInfo
let clock = Date.parse('2026-11-20T08:00:00Z')
let paid: number[] = []
const xdrIds: number[] = []

async function backupAt(ms: number): Promise<BackupInfo> {
  clock = ms
  return desk.call('backup.create', {})
}

beforeAll(async () => {
  dataDir = tempDataDir('recovery')
  desk = await startDesk(dataDir, { now: () => clock })
  await desk.call('setup.complete', { companyName: 'MegaTrunk', address: 'Harbour Road 5', defaultCurrency: 'EUR', loadDemoData: true, ...TEST_ADMIN })
  good = await backupAt(Date.parse('2026-11-20T09:00:00Z'))
  damaged = await backupAt(Date.parse('2026-11-21T09:00:00Z'))
  // Three cash payments after the last backup, then the process dies: they are only in the journal.
  paid = (await desk.call('customers.list', { limit: 3 })).rows.map((c) => c.id)
  for (const [i, id] of paid.entries()) {
    const done = await desk.call('adjustments.submit', { customerId: id, operation: 'manual-payment', amount: '12.50', operationKey: `e2e-recovery-payment-${i}` })
    xdrIds.push(done.xdrId!)
  }
  desk.app.core.store!.close({ snapshot: false })
  await desk.close()
  // The newest backup got damaged too (say, a bad sector), and then the database file itself.
  fs.writeFileSync(path.join(dataDir, 'backups', damaged.fileName), Buffer.alloc(4096, 0x55))
  const db = fs.readFileSync(path.join(dataDir, SNAPSHOT_FILE))
  db.fill(0x41, 1024, 9000)
  fs.writeFileSync(path.join(dataDir, SNAPSHOT_FILE), db)

  desk = await startDesk(dataDir, { now: () => clock })
  browser = await launchChromium()
  page = await browser.newPage({ viewport: { width: 1366, height: 768 } })
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
    // Before anything is done: what restoring it will take from the journal.
    const note = page.getByTestId('recommended-replay')
    // The two backups' own audit entries and the three payments: the damaged newest backup costs nothing.
    expect(await note.innerText()).toMatch(/5 changes recorded after it are still in the journal and will be replayed/)
    expect(await note.innerText()).toMatch(/Nothing the journal holds will be lost/)
    await page.screenshot({ path: path.join(ROOT, '.test-output', 'recovery.png'), fullPage: true })
  })

  it('says what is wrong with a file to restore before asking to confirm', async () => {
    const missing = path.join(dataDir, 'no-such-backup.sqlite')
    await page.getByLabel('Restore from a file').fill(missing)
    await page.getByRole('button', { name: 'Restore from file…' }).click()
    await expect.poll(() => page.getByText(`There is no file at ${missing}.`).isVisible()).toBe(true)
    expect(await page.getByRole('dialog', { name: 'Restore this backup?' }).count()).toBe(0)
    expect(await page.getByText('ENOENT').count()).toBe(0)
  })

  it('restores the recommended backup after confirmation, replays the journal, and the desk works again', async () => {
    await page.getByRole('button', { name: `Restore ${good.fileName}` }).click()
    const dialog = page.getByRole('dialog', { name: 'Restore this backup?' })
    await dialog.waitFor()
    expect(await dialog.innerText()).toMatch(/5 changes recorded after it are still in the journal/)
    await dialog.getByRole('button', { name: 'Restore', exact: true }).click()
    const done = page.getByRole('dialog', { name: 'Data restored' })
    await done.waitFor({ timeout: 15_000 })
    expect(await done.innerText()).toMatch(/5 changes recorded after the backup were replayed from the journal/)
    expect(await done.innerText()).toMatch(/Nothing is missing/)
    await page.waitForTimeout(400) // the dialog's fade-in
    await page.screenshot({ path: path.join(ROOT, '.test-output', 'recovery-restored.png') })
    await done.getByRole('button', { name: 'Continue' }).click()
    // Nobody can log in while the database is damaged: after the restore, the administrator does.
    await page.getByTestId('login-screen').waitFor()
    await logInOnPage(page)
    await expect.poll(() => page.getByRole('heading', { level: 1, name: 'Customers' }).isVisible(), { timeout: 15_000 }).toBe(true)
    await expect.poll(() => page.getByText('MegaTrunk').first().isVisible()).toBe(true)
    await page.locator('nav').getByRole('button', { name: 'Audit log', exact: true }).click()
    await expect.poll(() => page.getByText(`Database restored from backup ${good.fileName}. 5 later changes were replayed from the journal.`).isVisible()).toBe(true)
    // The three payments made after the backup are back.
    for (const [i, id] of paid.entries()) {
      expect((await desk.call('ledger.transactions', { customerId: id })).some((t) => t.xdrId === xdrIds[i])).toBe(true)
    }
  })

  it('a backup to a file asks before replacing an existing file', async () => {
    const target = path.join(tempDataDir('recovery-usb'), 'usb-copy.sqlite')
    fs.writeFileSync(target, 'older copy')
    await page.locator('nav').getByRole('button', { name: 'Settings', exact: true }).click()
    await page.getByLabel('Back up to a file').fill(target)
    await page.getByRole('button', { name: 'Back up to file' }).click()
    const ask = page.getByRole('dialog', { name: 'Replace the existing file?' })
    await ask.waitFor()
    expect(fs.readFileSync(target, 'utf8')).toBe('older copy')
    await page.waitForTimeout(400)
    await page.screenshot({ path: path.join(ROOT, '.test-output', 'backup-replace.png') })
    await ask.getByRole('button', { name: 'Replace' }).click()
    await page.locator('.mantine-Notification-root').filter({ hasText: 'Backup made' }).waitFor()
    expect(fs.readFileSync(target).subarray(0, 15).toString('latin1')).toBe('SQLite format 3')
    // Inside the data folder: refused, in words, under the field.
    await page.getByLabel('Back up to a file').fill(path.join(dataDir, 'journal.log'))
    await page.getByRole('button', { name: 'Back up to file' }).click()
    await expect.poll(() => page.getByText(/is inside the data folder/).isVisible()).toBe(true)
    fs.rmSync(path.dirname(target), { recursive: true, force: true })
  })
})
