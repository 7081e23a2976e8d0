/**
 * The audit log screens end to end on the demo data (issue 12, item 3): the Audit log page filtered
 * by free text, event kind, operator and dates (filters in the address, Back restores the previous
 * ones), older entries loaded as the list scrolls, the CSV export of the filtered view, a
 * customer's Audit log tab, and Settings showing when the chain was last verified. Screenshots at
 * 1366x768 go to .test-output/audit-log-*.png.
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
  session = await openDemoSession('audit-log', { viewport: { width: 1366, height: 768 }, acceptDownloads: true })
  ;({ desk, page, pageErrors } = session)
  fs.mkdirSync(SHOTS, { recursive: true })
  // Enough entries for several pages: a customer each (the demo data writes only a few).
  for (let i = 1; i <= 240; i++) {
    const customerId = `audit-e2e-${String(i).padStart(3, '0')}`
    await desk.call('customers.create', { customerId, companyName: `Audit ${i} Ltd`, balanceControl: 'postpaid', currency: 'USD', classId: null, creditLimit: null })
  }
  await desk.call('settings.update', { companyName: 'Northside Audited Callshop', address: '12 High Street, Leeds' })
}, 180_000)

afterAll(async () => {
  await session?.close()
})

const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, `audit-log-${name}.png`), fullPage: false })
const rows = () => page.getByTestId('audit-row')
const hash = () => page.evaluate(() => window.location.hash)
const shown = async () => Number(((await page.getByTestId('audit-count').innerText()).match(/^([\d,]+) entr/)?.[1] ?? '-1').replace(/,/g, ''))
const entryCount = () => desk.app.core.engine.read((r) => r.get<{ n: number }>('SELECT count(*) AS n FROM audit_log')!.n)

describe('audit log', () => {
  it('filters by text, kind, operator and dates, keeps the filters in the address, and Back restores them', async () => {
    await page.locator('nav').getByRole('button', { name: 'Audit log', exact: true }).click()
    await page.getByRole('heading', { level: 1, name: 'Audit log', exact: true }).waitFor()
    await expect.poll(() => rows().count()).toBeGreaterThan(10)

    await page.getByRole('textbox', { name: 'Search the descriptions' }).fill('Audited')
    await expect.poll(hash).toContain('q=Audited')
    await expect.poll(shown).toBe(1)
    expect(await rows().first().innerText()).toContain('Company name changed from "Northside Callshop" to "Northside Audited Callshop".')

    // The kind, chosen from the kinds the log holds.
    await page.getByRole('textbox', { name: 'Search the descriptions' }).fill('')
    await expect.poll(hash).not.toContain('q=')
    await page.getByRole('combobox', { name: 'Event kind', exact: true }).click()
    await page.getByRole('option', { name: 'settings.change', exact: true }).click()
    await expect.poll(hash).toContain('kind=settings.change')
    await expect.poll(shown).toBe(1)
    await page.getByRole('combobox', { name: 'Operator', exact: true }).click()
    await page.getByRole('option', { name: 'Administrator', exact: true }).click()
    await expect.poll(hash).toContain('operator=1')
    await expect.poll(shown).toBe(1)

    // A date range: the entry is from the day the desk runs; a range the day before holds nothing.
    const today = new Date().toISOString().slice(0, 10)
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10)
    await page.getByLabel('To (UTC)').fill(yesterday)
    await expect.poll(hash).toContain(`to=${yesterday}`)
    await expect.poll(() => page.getByTestId('audit-count').innerText()).toBe('No entries match these filters.')
    await page.getByLabel('To (UTC)').fill(today)
    await page.getByLabel('From (UTC)').fill(today)
    await expect.poll(shown).toBe(1)
    await shot('filtered')

    // Back: the previous filters (to = yesterday) and their answer.
    await page.goBack()
    await page.goBack()
    await expect.poll(hash).toContain(`to=${yesterday}`)
    await expect.poll(() => page.getByTestId('audit-count').innerText()).toBe('No entries match these filters.')
    await page.getByRole('button', { name: 'Clear filters' }).click()
    await expect.poll(hash).toBe('#/audit')
  })

  it('loads older entries as the list scrolls, newest first', async () => {
    const total = entryCount()
    expect(total).toBeGreaterThan(200)
    await expect.poll(shown).toBe(100)
    const scroller = page.locator('.audit-scroll')
    for (let i = 0; i < 20 && (await shown()) < 200; i++) {
      await scroller.evaluate((el) => el.scrollTo({ top: el.scrollHeight }))
      await page.waitForTimeout(150)
    }
    expect(await shown()).toBeGreaterThanOrEqual(200)
    // Only the rows in view are rendered.
    expect(await rows().count()).toBeLessThan(100)
    await shot('scrolled')
  })

  it('exports the filtered view as CSV, every matching entry once', async () => {
    await page.evaluate(() => (window.location.hash = '#/audit?kind=settings.change'))
    await expect.poll(shown).toBe(1)
    let download = page.waitForEvent('download')
    await page.getByRole('button', { name: 'Export CSV' }).click()
    let csv = fs.readFileSync((await (await download).path())!, 'utf8')
    expect(csv.startsWith('\uFEFFEntry,Time (UTC),Operator,Customer,Kind,Description,Source\r\n')).toBe(true)
    expect(csv.trim().split('\r\n')).toHaveLength(2)
    expect(csv).toContain('Northside Audited Callshop')

    // The whole log: as many lines as entries, ids newest first.
    await page.getByRole('button', { name: 'Clear filters' }).click()
    await expect.poll(shown).toBe(100)
    const total = entryCount()
    download = page.waitForEvent('download')
    await page.getByRole('button', { name: 'Export CSV' }).click()
    csv = fs.readFileSync((await (await download).path())!, 'utf8')
    const lines = csv.trim().split('\r\n').slice(1)
    expect(lines).toHaveLength(total)
    const ids = lines.map((l) => Number(l.split(',')[0]))
    expect(ids[0]).toBe(total)
    expect(ids.at(-1)).toBe(1)
  })

  it("a customer's Audit log tab shows that customer's entries only, with the same filters", async () => {
    const customer = desk.app.core.engine.read((r) =>
      r.get<{ id: number; customer_id: string; n: number }>(
        'SELECT c.id, c.customer_id, count(*) AS n FROM audit_log a JOIN customers c ON c.id = a.customer_id GROUP BY c.id ORDER BY n DESC LIMIT 1'
      )
    )!
    await page.evaluate((id) => (window.location.hash = `#/customers/${id}/audit`), customer.id)
    await page.getByRole('tab', { name: 'Audit log', selected: true }).waitFor()
    await expect.poll(shown).toBe(Math.min(100, customer.n))
    // No customer column or filter: the customer is the page's.
    await expect.poll(() => page.getByRole('columnheader', { name: 'Customer' }).count()).toBe(0)
    const kind = desk.app.core.engine.read((r) => r.get<{ kind: string }>('SELECT kind FROM audit_log WHERE customer_id = ? ORDER BY id LIMIT 1', [customer.id])!.kind)
    await page.evaluate(([id, k]) => (window.location.hash = `#/customers/${id}/audit?kind=${k}`), [customer.id, kind] as const)
    const expected = desk.app.core.engine.read(
      (r) => r.get<{ n: number }>('SELECT count(*) AS n FROM audit_log WHERE customer_id = ? AND kind = ?', [customer.id, kind])!.n
    )
    await expect.poll(shown).toBe(Math.min(100, expected))
    await shot('customer-tab')
  })

  it('Settings shows when the chain was last verified', async () => {
    await page.evaluate(() => (window.location.hash = '#/audit'))
    await page.getByRole('button', { name: 'Verify chain' }).click()
    await expect.poll(() => page.getByTestId('verify-result').innerText()).toContain('audit entries are intact')
    await page.locator('nav').getByRole('button', { name: 'Settings', exact: true }).click()
    const section = page.getByTestId('audit-verification')
    await section.scrollIntoViewIfNeeded()
    await expect.poll(() => section.innerText()).toMatch(/Last verified .* by Administrator in the app: All \d+ audit entries are intact\./)
    await shot('settings')
    expect(pageErrors).toEqual([])
  })
})
