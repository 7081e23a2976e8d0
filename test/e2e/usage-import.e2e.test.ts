/**
 * Usage import end to end, in Chromium at 1366x768 over the loopback host: on the Usage page,
 * choose a switch file of 60,000 records (sent in parts), watch the progress bar with records/s,
 * read the summary (counts, unrated by reason, charged per currency, a bad line, the prepaid
 * customer whose funds went below zero linked to its page), and see that customer's balance moved.
 */
import fs from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { classInput } from '../support/desk'
import { startDesk, tempDataDir, type Desk, openDeskPage } from '../support/e2e'
import { TEST_ADMIN } from '../support/operators'

let dataDir: string
let desk: Desk
let browser: Browser
let page: Page
const pageErrors: string[] = []
let customerId = 0

const RECORDS = 60_000

beforeAll(async () => {
  dataDir = tempDataDir('usage-import')
  desk = await startDesk(dataDir)
  await desk.call('setup.complete', { companyName: 'Usage Callshop', address: '', defaultCurrency: 'USD', loadDemoData: false, ...TEST_ADMIN })
  const klass = await desk.call('classes.create', classInput({ name: 'Booths', currency: 'USD' }))
  const list = await desk.call('priceLists.create', { name: 'Booth tariff', currency: 'USD' })
  await desk.call('priceLists.uploadVersion', {
    priceListId: list.id,
    csv: 'prefix,price_per_minute,connection_fee,first_interval,next_interval,free_seconds\n44,0.10,0,60,60,0\n1,0.05,0,60,60,0',
    effectiveFrom: '2026-01-01T00:00:00Z'
  })
  const voice = desk.app.core.engine.read((r) => r.get<{ id: number }>("SELECT id FROM services WHERE code = 'voice'")!.id)
  await desk.call('priceLists.assignToClass', { classId: klass.id, serviceId: voice, priceListId: list.id })
  const c = await desk.call('customers.create', {
    customerId: 'Booth Seven',
    companyName: '',
    balanceControl: 'prepaid',
    currency: 'USD',
    classId: klass.id,
    creditLimit: null,
    openingBalance: '100.00'
  })
  customerId = c.id
  await desk.call('customers.addAccount', { id: c.id, accountId: 'BOOTH-7' })
  const opened = await openDeskPage(desk, pageErrors)
  browser = opened.browser
  page = opened.page
})

afterAll(async () => {
  await browser?.close()
  await desk?.close()
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true })
})

/** 60,000 one-minute calls to the UK (0.10 each), one to nowhere priced, one unknown account, one bad line. */
function usageFile(): string {
  const lines = ['switch_record_id,account,start_time,duration,called_number,service']
  for (let i = 0; i < RECORDS; i++) {
    const t = new Date(Date.parse('2026-03-01T00:00:00Z') + i * 30_000).toISOString().replace('.000Z', '+00:00')
    lines.push(`E2E-${i},BOOTH-7,${t},60,+44 20 7946 ${String(i % 10_000).padStart(4, '0')},voice`)
  }
  lines.push('E2E-X1,BOOTH-7,2026-03-02T10:00:00+01:00,60,+86 10 1234,voice')
  lines.push('E2E-X2,BOOTH-404,2026-03-02T10:00:00+01:00,60,+44 20 1234,voice')
  lines.push('E2E-X3,BOOTH-7,2026-03-02 10:00:00,60,+44 20 1234,voice')
  return lines.join('\r\n')
}

const dialog = () => page.getByRole('dialog')

describe('Usage page: import a usage file', () => {
  it('shows the progress bar with records per second, then the summary', async () => {
    await page.locator('nav').getByRole('button', { name: 'Usage', exact: true }).click()
    await page.getByTestId('usage-import-open').click()
    await dialog()
      .locator('input[type=file]')
      .setInputFiles({ name: 'march-usage.csv', mimeType: 'text/csv', buffer: Buffer.from(usageFile()) })
    await page.waitForTimeout(300)
    await page.screenshot({ path: '.test-output/usage-import-choose-1366.png' })
    // Each pause between units of work (a slice of the file read, a batch written) lasts longer than
    // the dialog's poll, so every step is on screen at least once however fast the import is.
    const jobs = desk.app.core.jobs
    const quick = jobs.betweenUnits
    jobs.betweenUnits = () => new Promise((resolve) => setTimeout(resolve, 400))
    await dialog().getByTestId('usage-import-start').click()
    const progress = dialog().getByRole('progressbar', { name: 'Usage import progress' })
    // First the file is read and checked: the bar shows the share read.
    await expect.poll(() => dialog().getByTestId('usage-import-count').textContent(), { timeout: 30_000 }).toMatch(/^[1-9]\d*% read$/)
    expect(Number(await progress.getAttribute('aria-valuenow'))).toBeGreaterThan(0)
    await progress.waitFor({ timeout: 30_000 })
    await page.screenshot({ path: '.test-output/usage-import-reading-1366.png' })
    // Then the records are written: how many of how many, records/s and the time left.
    await expect.poll(() => dialog().getByTestId('usage-import-rate').textContent(), { timeout: 30_000 }).toMatch(/records\/s · (about \d+ (s|min) left|estimating…)/)
    expect(await dialog().getByTestId('usage-import-count').textContent()).toMatch(/^[\d,]+ of 60,002 records$/)
    await progress.waitFor({ timeout: 30_000 })
    await page.screenshot({ path: '.test-output/usage-import-progress-1366.png' })

    const summary = dialog().getByTestId('usage-import-summary')
    await summary.waitFor({ timeout: 120_000 })
    jobs.betweenUnits = quick
    expect(await dialog().getByTestId('usage-import-lines').textContent()).toBe('60,003')
    expect(await dialog().getByTestId('usage-import-imported').textContent()).toBe('60,002')
    expect(await dialog().getByTestId('usage-import-rated').textContent()).toBe('60,000')
    expect(await dialog().getByTestId('usage-import-unrated').textContent()).toBe('2')
    expect(await dialog().getByTestId('usage-import-rejected').textContent()).toBe('1')
    expect(await dialog().getByTestId('usage-import-charged-USD').textContent()).toBe('6,000.00 USD')
    const reasons = await dialog().getByRole('table', { name: 'Unrated records by reason' }).textContent()
    expect(reasons).toContain('Unknown account1')
    expect(reasons).toContain('No prefix of the price list matches the called number1')
    expect(await dialog().getByRole('table', { name: 'Import problems' }).locator('tbody tr').first().textContent()).toMatch(/^60004start_time.*time zone/)
    expect(await dialog().getByRole('table', { name: 'Customers to look at' }).textContent()).toContain('Booth SevenPrepaid: available funds below zero')
    await page.waitForTimeout(300)
    await page.screenshot({ path: '.test-output/usage-import-summary-1366.png' })
  })

  it("moved the customer's balance by the charges, and the flagged customer links to its page", async () => {
    const c = await desk.call('customers.get', { id: customerId })
    expect(c.balanceMinor).toBe(-10_000 + 600_000)
    expect((await desk.call('ledger.check', {})).ok).toBe(true)
    await dialog().getByRole('link', { name: 'Booth Seven' }).click()
    await page.getByRole('heading', { level: 1, name: /Booth Seven/ }).waitFor()
    expect(pageErrors).toEqual([])
  })

  it('lists the import in the history, and shows its stored summary again', async () => {
    await page.locator('nav').getByRole('button', { name: 'Usage', exact: true }).click()
    await page.getByTestId('usage-import-open').click()
    const history = dialog().getByRole('table', { name: 'Recent usage imports' })
    await history.waitFor()
    expect(await history.locator('tbody tr').first().textContent()).toMatch(/#1 march-usage\.csv.*Usage pagecompleted60,002201/)
    await page.waitForTimeout(300)
    await page.screenshot({ path: '.test-output/usage-import-history-1366.png' })
    await history.getByRole('button', { name: '#1 march-usage.csv' }).click()
    await dialog().getByTestId('usage-import-summary').waitFor()
    expect(await dialog().getByTestId('usage-import-charged-USD').textContent()).toBe('6,000.00 USD')
    expect(pageErrors).toEqual([])
  })
})
