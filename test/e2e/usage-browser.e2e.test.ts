/**
 * The usage browser end to end on the demo data: the Usage page filtered (filters in the address),
 * its CSV export, a customer's Usage tab, and the Balance & credits tab whose lines add up to the
 * balance shown, each line of usage opening the browser with its month and service. Screenshots
 * at 1366x768 go to .test-output/usage-browser-*.png.
 */
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { ROOT, openDemoSession, type DemoSession, type Desk } from '../support/e2e'

let session: DemoSession
let desk: Desk
let page: Page
let pageErrors: string[]
const SHOTS = path.join(ROOT, '.test-output')

beforeAll(async () => {
  session = await openDemoSession('usage-browser', { viewport: { width: 1366, height: 768 }, acceptDownloads: true })
  ;({ desk, page, pageErrors } = session)
  fs.mkdirSync(SHOTS, { recursive: true })
}, 120_000)

afterAll(async () => {
  await session?.close()
})

const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, `usage-browser-${name}.png`), fullPage: false })
const rows = () => page.getByTestId('usage-row')
const totalRecords = async () => Number((await page.getByTestId('usage-total-records').innerText()).replace(/[^0-9]/g, ''))
const go = (hash: string) => page.evaluate((h) => (window.location.hash = h), hash)

/** The value behind a "Balance"/"Available funds" figure, in minor units (the text has a grouping comma). */
const minorOf = (text: string) => Number(text.replace(/[^0-9-]/g, ''))

describe('usage browser', () => {
  it('filters the Usage page, keeps the filters in the address, and exports what it shows', async () => {
    await page.locator('nav').getByRole('button', { name: 'Usage', exact: true }).click()
    await page.getByRole('heading', { level: 1, name: 'Usage', exact: true }).waitFor()
    await expect.poll(() => rows().count()).toBe(100)
    await expect.poll(totalRecords).toBeGreaterThanOrEqual(5000)
    const all = await totalRecords()
    await shot('page')

    await page.getByRole('textbox', { name: 'Destination (start of the called number)' }).fill('+44')
    await expect.poll(() => page.evaluate(() => window.location.hash)).toContain('dest=%2B44')
    await expect.poll(totalRecords).toBeLessThan(all)
    const dests = await page.locator('[data-testid="usage-row"] td:nth-child(5)').allInnerTexts()
    expect(dests.length).toBeGreaterThan(0)
    expect(dests.every((d) => d.startsWith('+44'))).toBe(true)
    const filtered = await totalRecords()
    // The totals per service add up to the record count.
    const perLine = await page.locator('[data-testid="usage-total-line"] td:nth-child(2)').allInnerTexts()
    expect(perLine.reduce((a, t) => a + Number(t.replace(/,/g, '')), 0)).toBe(filtered)
    // Amounts are right-aligned.
    const align = await page
      .locator('[data-testid="usage-row"] td:nth-child(9)')
      .first()
      .evaluate((el) => getComputedStyle(el).textAlign)
    expect(align).toBe('right')
    await shot('filtered')

    // Reload keeps the filter (it is in the address).
    await page.reload()
    await expect.poll(totalRecords).toBe(filtered)

    const download = page.waitForEvent('download')
    await page.getByRole('button', { name: 'Export CSV' }).click()
    const file = await (await download).path()
    const lines = fs.readFileSync(file, 'utf8').trim().split('\r\n')
    expect(lines[0]).toContain('xdr_id,started_at_utc,kind,customer')
    expect(lines).toHaveLength(filtered + 1)

    // Older / Newer walk pages without repeating a record.
    await go('#/usage')
    await expect.poll(totalRecords).toBe(all)
    const firstPage = await page.locator('[data-testid="usage-row"] td:last-child').allInnerTexts()
    await page.getByRole('button', { name: 'Older' }).click()
    await expect.poll(() => page.getByTestId('usage-page-range').innerText()).toContain('Records 101–200')
    // The label moves at the click; the rows follow when the page has loaded.
    await expect.poll(() => page.locator('[data-testid="usage-row"] td:last-child').first().innerText()).not.toBe(firstPage[0])
    const secondPage = await page.locator('[data-testid="usage-row"] td:last-child').allInnerTexts()
    expect(secondPage.some((id) => firstPage.includes(id))).toBe(false)
  })

  it("shows a customer's usage on its Usage tab, and Balance & credits lines that add up to the balance", async () => {
    const busiest = await desk.call('usage.list', { limit: 1 })
    const customerId = busiest.rows[0]!.customerId!
    await go(`#/customers/${customerId}/usage`)
    await page.getByRole('tab', { name: 'Usage', selected: true }).waitFor()
    await expect.poll(() => rows().count()).toBeGreaterThan(0)
    const theirs = await totalRecords()
    const summary = await desk.call('usage.customerSummary', { customerId })
    expect(theirs).toBe(summary.usage.reduce((a, u) => a + u.records, 0))
    await shot('customer-usage')

    await page.getByRole('tab', { name: /Balance/ }).click()
    const total = page.getByTestId('makeup-total')
    await total.waitFor()
    const figure = page.locator('[data-testid="figure-balance"], [data-testid="figure-funds"]').first()
    const shown = minorOf(await figure.innerText())
    expect(minorOf(await total.innerText())).toBe(shown)
    // What a person reads: every line's amount as shown, added up.
    const lines = (await page.getByTestId('makeup-amount').allInnerTexts()).map(minorOf)
    expect(lines.length).toBeGreaterThan(1)
    expect(lines.reduce((a, b) => a + b, 0)).toBe(shown)
    await page.getByText(/^What the .* made of$/).evaluate((el) => el.scrollIntoView({ block: 'start' }))
    await shot('balance')

    // A usage line opens the browser on that customer's month and service.
    const link = page.getByRole('link', { name: /^Usage · / }).first()
    await link.click()
    await page.getByRole('tab', { name: 'Usage', selected: true }).waitFor()
    const hash = await page.evaluate(() => window.location.hash)
    expect(hash).toMatch(new RegExp(`^#/customers/${customerId}/usage\\?from=\\d{4}-\\d{2}-01&to=\\d{4}-\\d{2}-\\d{2}&service=\\d+$`))
    await expect.poll(() => rows().count()).toBeGreaterThan(0)
    const month = /from=(\d{4}-\d{2})/.exec(hash)![1]!
    const starts = await page.locator('[data-testid="usage-row"] td:first-child').allInnerTexts()
    expect(starts.every((s) => s.startsWith(month))).toBe(true)
    await shot('customer-usage-month')
    expect(pageErrors).toEqual([])
  })
})
