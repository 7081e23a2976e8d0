/**
 * Re-rating end to end, in Chromium at 1366x768 over the loopback host: March usage rated with a
 * wrong price list, the corrected version uploaded at the same instant; on the Re-rating page the
 * preview shows each customer's difference, Apply runs with a progress bar, the balances move by
 * exactly the difference, and a second apply changes nothing. Also the retention section in
 * Settings. The tests run in order and build on each other.
 */
import fs from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { startDesk, tempDataDir, type Desk, openDeskPage } from '../support/e2e'
import { classInput } from '../support/desk'
import { insertUsage } from '../support/usageRows'
import { tariffCsv } from '../support/usageWorld'
import { TEST_ADMIN } from '../support/operators'

let dataDir: string
let desk: Desk
let browser: Browser
let page: Page
const pageErrors: string[] = []
const customers: { id: number; name: string }[] = []

beforeAll(async () => {
  dataDir = tempDataDir('rerating')
  desk = await startDesk(dataDir)
  await desk.call('setup.complete', { companyName: 'Rerate Callshop', address: '', defaultCurrency: 'USD', loadDemoData: false, ...TEST_ADMIN })
  const service = (await desk.call('services.list', {})).find((s) => s.kind === 'voice')
  if (!service) throw new Error('setup made no voice service')
  const klass = await desk.call('classes.create', classInput({ name: 'SIP trunking', currency: 'USD' }))
  const list = await desk.call('priceLists.create', { name: 'SIP trunks', currency: 'USD' })
  await desk.call('priceLists.assignToClass', { classId: klass.id, serviceId: service.id, priceListId: list.id })
  // The wrong list of the source page's story: UK mobiles at 0.90 instead of 0.10.
  await desk.call('priceLists.uploadVersion', {
    priceListId: list.id,
    csv: tariffCsv('44,UK,0.10,0,60,60,0', '4475,UK mobile,0.90,0,60,60,0'),
    effectiveFrom: '2026-03-01T00:00:00Z'
  })
  for (const name of ['EasyCall', 'SmartCall']) {
    const c = await desk.call('customers.create', {
      customerId: name,
      companyName: `${name} Ltd.`,
      balanceControl: 'postpaid',
      currency: 'USD',
      classId: klass.id,
      creditLimit: null
    })
    customers.push({ id: c.id, name })
  }
  const [easy, smart] = customers as [{ id: number; name: string }, { id: number; name: string }]
  insertUsage(desk, [
    { customerId: easy.id, serviceId: service.id, startedAt: '2026-03-02T10:00:00Z', durationS: 120, destination: '447500111222' },
    { customerId: easy.id, serviceId: service.id, startedAt: '2026-03-03T10:00:00Z', durationS: 60, destination: '442071234567' },
    { customerId: smart.id, serviceId: service.id, startedAt: '2026-03-20T10:00:00Z', durationS: 30, destination: '447500333444' }
  ])
  await desk.call('priceLists.uploadVersion', { priceListId: list.id, csv: tariffCsv('44,UK,0.10,0,60,60,0'), effectiveFrom: '2026-03-01T00:00:00Z' })

  const opened = await openDeskPage(desk, pageErrors)
  browser = opened.browser
  page = opened.page
})

afterAll(async () => {
  await browser?.close()
  await desk?.close()
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true })
})

const balances = async () => Promise.all(customers.map(async (c) => (await desk.call('customers.get', { id: c.id })).balanceMinor))

async function choosePeriod() {
  await page.getByLabel('From').fill('2026-03-01')
  await page.getByLabel('From').press('Enter')
  await page.getByLabel('To (included)').fill('2026-03-31')
  await page.getByLabel('To (included)').press('Enter')
  await page.getByRole('heading', { level: 1, name: 'Re-rating' }).click()
}

describe('Re-rating page', () => {
  it('previews the March re-rating: each customer old and new total and the difference', async () => {
    await page.locator('nav').getByRole('button', { name: 'Re-rating', exact: true }).click()
    await page.getByRole('heading', { level: 1, name: 'Re-rating' }).waitFor()
    expect(page.url()).toContain('#/rerating')
    await choosePeriod()
    await page.getByRole('button', { name: 'Preview', exact: true }).click()
    const perCustomer = page.getByRole('table', { name: 'Per customer' })
    await perCustomer.waitFor()
    const rows = await perCustomer.locator('tbody tr').allTextContents()
    expect(rows).toEqual(['EasyCall11.900.30-1.60USD', 'SmartCall10.900.10-0.80USD'])
    expect(await perCustomer.locator('tfoot').textContent()).toBe('Total USD2.800.40-2.40USD')
    expect(await page.getByRole('table', { name: 'Records that change' }).locator('tbody tr').count()).toBe(2)
    await page.screenshot({ path: '.test-output/rerating-preview-1366.png', fullPage: false })
    // Nothing was written by the preview.
    expect(await balances()).toEqual([190, 90])
  })

  it('previews only the picked customers', async () => {
    await page.getByRole('region', { name: 'What to re-rate' }).getByText('Picked', { exact: true }).click()
    const picker = page.getByPlaceholder('Type to search')
    await picker.fill('Smart')
    await page.getByRole('option', { name: 'SmartCall (USD)' }).click()
    await page.getByRole('heading', { level: 1, name: 'Re-rating' }).click()
    await page.getByRole('button', { name: 'Preview', exact: true }).click()
    const perCustomer = page.getByRole('table', { name: 'Per customer' })
    await expect.poll(() => perCustomer.locator('tbody tr').allTextContents()).toEqual(['SmartCall10.900.10-0.80USD'])
    await page.screenshot({ path: '.test-output/rerating-picked-1366.png', fullPage: false })
    await page.getByRole('region', { name: 'What to re-rate' }).getByText('All', { exact: true }).click()
    await page.getByRole('button', { name: 'Preview', exact: true }).click()
    await expect.poll(() => perCustomer.locator('tbody tr').count()).toBe(2)
  })

  it('applies with a progress bar; every balance moves by exactly its difference', async () => {
    await page.getByRole('button', { name: 'Apply re-rating' }).click()
    await page.getByText('Re-rating done').waitFor({ timeout: 15_000 })
    expect(await page.getByRole('status').textContent()).toMatch(/2 records of 2 customers changed; balances moved by -2\.40 USD/)
    expect(await balances()).toEqual([190 - 160, 90 - 80])
    await expect.poll(() => page.getByRole('table', { name: 'Re-ratings' }).locator('tbody tr').count()).toBe(1)
    await page.screenshot({ path: '.test-output/rerating-applied-1366.png', fullPage: false })
  })

  it('a second apply of the same period changes nothing', async () => {
    await page.getByRole('button', { name: 'Preview', exact: true }).click()
    await page.getByText('Nothing would change: applying writes nothing.').waitFor()
    await page.getByRole('button', { name: 'Apply re-rating' }).click()
    await page.getByText('Nothing changed: no record, correction or audit entry was written.').waitFor({ timeout: 15_000 })
    expect(await balances()).toEqual([30, 10])
    expect(await page.getByRole('table', { name: 'Re-ratings' }).locator('tbody tr').count()).toBe(1)
    expect((await desk.call('ledger.check', {})).ok).toBe(true)
  })

  it('Settings shows usage retention with a purge preview', async () => {
    await page.locator('nav').getByRole('button', { name: 'Settings', exact: true }).click()
    const section = page.locator('#retention')
    await section.scrollIntoViewIfNeeded()
    expect(await section.getByLabel('Keep usage for (months)').inputValue()).toBe('2')
    await section.getByRole('button', { name: 'Preview purge' }).click()
    const dialog = page.getByRole('dialog', { name: 'Purge old usage' })
    await dialog.waitFor()
    expect(await dialog.textContent()).toMatch(/3 usage records of 2 customers started before \d{4}-\d{2}-01/)
    await page.waitForTimeout(400) // the dialog's opening transition, for a screenshot a person can read
    await page.screenshot({ path: '.test-output/retention-purge-preview-1366.png' })
    await dialog.getByRole('button', { name: 'Close' }).click()
    expect(pageErrors).toEqual([])
  })
})
