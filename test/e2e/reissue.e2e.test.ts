/**
 * Batch re-issue end to end (issue 11), in Chromium at 1366x768 over the loopback host: the source
 * page's story — March invoices for EasyCall Ltd., SmartCall Ltd. and MegaTrunk issued on April 1
 * with a wrong price list, March re-rated — re-issued on the Re-issue page by manual picking (void
 * and renumber: Next, pick and add one by one, remove, Next, preview with totals, Apply, progress,
 * results), then by file upload (same numbers, a CSV with a BOM, a header, CRLF and an unknown ID).
 * The tests run in order and build on each other.
 */
import fs from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { openDeskPage, startDesk, tempDataDir, type Desk } from '../support/e2e'
import { buildReissueStory } from '../support/reissueStory'
import { TEST_ADMIN } from '../support/operators'

let dataDir: string
let desk: Desk
let browser: Browser
let page: Page
const pageErrors: string[] = []
const clock = { t: Date.parse('2026-02-20T09:00:00Z') }
let story: Awaited<ReturnType<typeof buildReissueStory>>

beforeAll(async () => {
  dataDir = tempDataDir('reissue')
  desk = await startDesk(dataDir, { now: () => clock.t })
  await desk.call('setup.complete', { companyName: 'Reissue Callshop', address: '', defaultCurrency: 'USD', loadDemoData: false, ...TEST_ADMIN })
  story = await buildReissueStory(desk, desk.call, clock)
  clock.t = Date.parse('2026-04-10T10:00:00Z')
  const opened = await openDeskPage(desk, pageErrors)
  browser = opened.browser
  page = opened.page
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await desk?.close()
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true })
})

const invoicesOf = async (id: number) => (await desk.call('invoices.list', { customerId: id, offset: 0, limit: 20 })).rows

async function setIssuedAfter() {
  await page.getByLabel('Invoices issued after (date)').fill('2026-03-31')
  await page.getByLabel('Invoices issued after (date)').press('Enter')
  await page.getByLabel('Time').fill('12:00')
  await page.getByRole('heading', { level: 1, name: 'Re-issue' }).click()
}

async function add(search: string, option: string) {
  await page.getByPlaceholder('Type to search').fill(search)
  await page.getByRole('option', { name: option }).click()
  await page.getByRole('button', { name: 'Add', exact: true }).click()
}

describe('Re-issue page', () => {
  it('manual picking, void and renumber: Next, add one by one, remove, Back, Next, preview with totals', async () => {
    await page.locator('nav').getByRole('button', { name: 'Re-issue', exact: true }).click()
    await page.getByRole('heading', { level: 1, name: 'Re-issue' }).waitFor()
    expect(page.url()).toContain('#/reissue')
    await page.getByRole('button', { name: 'Next' }).click()
    await page.getByRole('alert').getByText('Set the date and time').waitFor()
    await setIssuedAfter()
    await page.getByText('Manual picking').click()
    await page.getByText('voiding already sent invoices and generating new ones with new numbers').click()
    await page.screenshot({ path: '.test-output/reissue-dialog-1366.png' })
    await page.getByRole('button', { name: 'Next' }).click()

    await add('Easy', 'EasyCall Ltd. (EasyCall)')
    await add('Smart', 'SmartCall Ltd. (SmartCall)')
    await add('Mega', 'MegaTrunk (MegaTrunk)')
    // One already added is not offered again.
    await page.getByPlaceholder('Type to search').fill('Smart')
    await expect.poll(() => page.getByRole('option').count()).toBe(0)
    const selected = page.getByRole('table', { name: 'Selected customers' })
    await expect.poll(() => selected.locator('tbody tr').count(), { timeout: 5000 }).toBe(3)
    await selected
      .getByRole('row', { name: /MegaTrunk/ })
      .getByRole('button', { name: 'Remove' })
      .click()
    await expect.poll(() => selected.locator('tbody tr').count()).toBe(2)
    await add('Mega', 'MegaTrunk (MegaTrunk)')
    await page.screenshot({ path: '.test-output/reissue-pick-1366.png' })
    await page.getByRole('button', { name: 'Back' }).click()
    await page.getByRole('button', { name: 'Next' }).click()
    await expect.poll(() => selected.locator('tbody tr').count()).toBe(3)
    await page.getByRole('button', { name: 'Next' }).click()

    const table = page.getByRole('table', { name: 'Invoices to re-issue' })
    await table.waitFor()
    const rows = await table.locator('tbody tr').allTextContents()
    expect(rows).toHaveLength(3)
    expect(rows.map((r) => r.slice(0, 10))).toEqual(['SIP-000004', 'SIP-000005', 'SIP-000006'])
    const preview = await desk.call('reissue.preview', {
      customerIds: story.ids,
      issuedAfter: new Date(2026, 2, 31, 12, 0).toISOString(),
      mode: 'void'
    })
    const total = preview.totals[0]!
    expect(total.newTotalMinor).toBeLessThan(total.oldTotalMinor)
    expect(await table.locator('tfoot').textContent()).toContain('Total USD (3 invoices)')
    await page.screenshot({ path: '.test-output/reissue-preview-1366.png' })
    // The preview wrote nothing.
    expect((await invoicesOf(story.ids[0]!)).map((i) => i.status)).not.toContain('void')
  })

  it('Apply: a progress bar, then the results; the old invoices Void, new numbers, the corrected totals', async () => {
    await page.getByRole('button', { name: 'Apply' }).click()
    await page.getByText('Re-issue done').waitFor({ timeout: 15_000 })
    expect(await page.getByRole('status').textContent()).toMatch(/3 invoices re-issued/)
    const results = page.getByRole('table', { name: 'Re-issued invoices' })
    await expect.poll(() => results.locator('tbody tr').count()).toBe(3)
    const text = await results.locator('tbody').textContent()
    expect(text).toContain('SIP-000007')
    expect(text).toContain('SIP-000009')
    await page.screenshot({ path: '.test-output/reissue-results-1366.png' })
    for (const id of story.ids) {
      const statuses = (await invoicesOf(id)).filter((i) => i.periodStart.startsWith('2026-03')).map((i) => i.status)
      expect(statuses.sort()).toEqual(['open', 'void'])
    }
    expect(await page.getByRole('table', { name: 'Batches' }).locator('tbody tr').count()).toBe(1)
    // The notifications list says so, with a link to the results.
    const bell = page.getByRole('button', { name: 'Notifications (1 new)' })
    await bell.click()
    const item = page.getByRole('menuitem', { name: /Re-issue batch 1 completed/ })
    await item.waitFor()
    expect(await item.textContent()).toContain('3 invoices re-issued, 0 left alone.')
    await page.waitForTimeout(400) // the menu's opening transition, for a screenshot a person can read
    await page.screenshot({ path: '.test-output/reissue-notification-1366.png' })
    await item.click()
    await expect.poll(() => page.url()).toContain('#/reissue?batch=1')
    await page.getByRole('heading', { name: 'Results of batch 1 (completed)' }).waitFor()
  })

  it('file upload, same numbers: a CSV with a BOM, a header, CRLF and an unknown ID; problems listed by line', async () => {
    await page.getByRole('button', { name: 'New batch' }).click()
    await page.getByText('File upload').click()
    await page.getByText('regenerating already sent invoices with the same number').click()
    await setIssuedAfter()
    await page.getByRole('button', { name: 'Next' }).click()
    await page.locator('input[type=file]').setInputFiles({
      name: 'customers.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('\uFEFFcustomer_id\r\nEasyCall\r\nSmartCall\r\n\r\nGhostCall\r\nMegaTrunk\r\nEasyCall\r\n')
    })
    const problems = page.getByRole('table', { name: 'Problems' })
    await problems.waitFor()
    expect(await problems.locator('tbody tr').allTextContents()).toEqual(['Line 5GhostCallNo customer has this ID.', 'Line 7EasyCallDuplicate of line 2.'])
    await expect.poll(() => page.getByRole('table', { name: 'Selected customers' }).locator('tbody tr').count()).toBe(3)
    await page.screenshot({ path: '.test-output/reissue-upload-1366.png' })
    await page.getByRole('button', { name: 'Next' }).click()
    const table = page.getByRole('table', { name: 'Invoices to re-issue' })
    await table.waitFor()
    expect((await table.locator('tbody tr').allTextContents()).map((r) => r.slice(0, 10))).toEqual(['SIP-000007', 'SIP-000008', 'SIP-000009'])
    await page.getByRole('button', { name: 'Apply' }).click()
    await page.getByText('Re-issue done').waitFor({ timeout: 15_000 })
    const results = page.getByRole('table', { name: 'Re-issued invoices' })
    await expect.poll(() => results.locator('tbody tr').first().textContent()).toMatch(/^SIP-000007SIP-000007/)
    expect(await page.getByRole('table', { name: 'Batches' }).locator('tbody tr').count()).toBe(2)
  })

  it('scheduled for the off-peak window set in Settings: it waits, and can be cancelled untouched', async () => {
    await page.locator('nav').getByRole('button', { name: 'Settings', exact: true }).click()
    const section = page.getByRole('region', { name: 'Off-peak window' })
    await section.scrollIntoViewIfNeeded()
    await section.getByLabel('From').fill('02:00')
    await section.getByRole('button', { name: 'Save window' }).click()
    await expect.poll(() => section.textContent()).toMatch(/Next window starts 2026-04-11 02:00/)
    await page.screenshot({ path: '.test-output/reissue-offpeak-settings-1366.png' })
    await page.locator('nav').getByRole('button', { name: 'Re-issue', exact: true }).click()
    await setIssuedAfter()
    await page.getByRole('button', { name: 'Next' }).click()
    await add('Easy', 'EasyCall Ltd. (EasyCall)')
    await page.getByRole('button', { name: 'Next' }).click()
    await page.getByRole('button', { name: /Schedule for off-peak/ }).click()
    await page
      .getByRole('region', { name: 'Scheduled' })
      .getByText(/is scheduled for the off-peak window from 2026-04-11 02:00/)
      .waitFor()
    const batches = await desk.call('reissue.list', {})
    expect(batches[0]).toMatchObject({ state: 'scheduled', invoices: 1 })
    await page.getByRole('button', { name: 'Cancel batch' }).click()
    await expect.poll(async () => (await desk.call('reissue.list', {}))[0]!.state).toBe('cancelled')
    expect(pageErrors).toEqual([])
  })
})
