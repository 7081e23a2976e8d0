/**
 * The Invoices page's filters, totals and CSV export, and the invoice drawer's payments applied,
 * reductions and events, in Chromium at 1366x768 over the loopback host. Screenshots go to
 * .test-output/invoice-list-*.png.
 */
import fs from 'node:fs'
import path from 'node:path'
import Papa from 'papaparse'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { applyPaymentByHand, classInput, newKey, untilJobDone } from '../support/desk'
import { type Desk, openDeskPage, ROOT, startDesk, tempDataDir } from '../support/e2e'
import { TEST_ADMIN } from '../support/operators'

const SHOTS = path.join(ROOT, '.test-output')
let dataDir: string
let desk: Desk
let browser: Browser
let page: Page
const pageErrors: string[] = []
const clock = { t: Date.parse('2026-11-21T10:00:00Z') }
const ids: Record<string, number> = {}

const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, `invoice-list-${name}.png`), fullPage: false })
const go = (hash: string) => page.evaluate((h) => (window.location.hash = h), hash)
const rows = () => page.getByTestId('invoice-row')
const numbers = async () => (await rows().locator('td:first-child').allInnerTexts()).map((t) => t.trim())
const totalsOf = async (currency: string) => page.getByTestId(`invoice-totals-${currency}`).locator('td').allInnerTexts()

async function closeNow(customerId?: number) {
  const job = await untilJobDone(await desk.call('invoices.closeNow', customerId === undefined ? {} : { customerId }), (jobId) =>
    desk.call('invoiceClose.status', { jobId })
  )
  expect(job.state).toBe('completed')
}

beforeAll(async () => {
  fs.mkdirSync(SHOTS, { recursive: true })
  dataDir = tempDataDir('invoice-list')
  desk = await startDesk(dataDir, { now: () => clock.t })
  await desk.call('setup.complete', { companyName: 'Invoice Callshop', address: '', defaultCurrency: 'USD', loadDemoData: false, ...TEST_ADMIN })
  const service = (await desk.call('services.list', {})).find((s) => s.kind === 'voice')!
  // Monthly on the 1st: no period ends between 2026-11-21 and the test's last day, 2026-11-22.
  const onReceipt = await desk.call('classes.create', classInput({ name: 'On receipt', currency: 'USD', dueDays: 0, invoicePrefix: 'INV-' }))
  const net30 = await desk.call('classes.create', classInput({ name: 'Net 30', currency: 'USD', dueDays: 30, invoicePrefix: 'INV-' }))
  const customer = async (name: string, company: string, classId: number, operation: 'manual-charge' | 'manual-credit', amount: string) => {
    const c = await desk.call('customers.create', { customerId: name, companyName: company, balanceControl: 'postpaid', currency: 'USD', classId, creditLimit: null })
    ids[name] = c.id
    await desk.call('adjustments.submit', { customerId: c.id, operation, amount, serviceId: service.id, operationKey: newKey() })
  }
  await customer('lodz', 'Łódź "Telekom", Sp. z o.o.', onReceipt.id, 'manual-charge', '100.00')
  await customer('moskva', 'Москва Связь', net30.id, 'manual-charge', '15.50')
  await customer('kiosk', 'Corner Kiosk', net30.id, 'manual-credit', '5.00')
  clock.t += 60_000
  await closeNow() // INV-000001 lodz (due on receipt), INV-000002 moskva, INV-000003 kiosk
  const first = (await desk.call('invoices.list', { customerId: ids.lodz! })).rows[0]!
  // A reduction, and a payment applied through the engine (item 2 applies them from the wizard).
  clock.t += 60_000
  await desk.call('invoices.reduceAmountDue', { invoiceId: first.id, amount: '10.00', comment: 'Dropped calls' })
  clock.t += 60_000
  applyPaymentByHand(desk.app.core.engine, ids.lodz!, first.id, 3000)
  // The next day: INV-000001 is overdue; lodz gets a second invoice (INV-000004, open).
  clock.t = Date.parse('2026-11-22T12:00:00Z')
  await desk.call('adjustments.submit', { customerId: ids.lodz!, operation: 'manual-charge', amount: '20.00', serviceId: service.id, operationKey: newKey() })
  clock.t += 60_000
  await desk.app.core.runInvoiceTasks()
  await closeNow(ids.lodz!)
  const opened = await openDeskPage(desk, pageErrors, { acceptDownloads: true })
  browser = opened.browser
  page = opened.page
})

afterAll(async () => {
  await browser?.close()
  await desk?.close()
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true })
})

describe('Invoices page filters, totals and CSV export', () => {
  it('filters by status in the address (Back undoes it), with the totals of what matches', async () => {
    await go('#/invoices')
    await expect.poll(numbers).toEqual(['INV-000004', 'INV-000003', 'INV-000002', 'INV-000001'])
    expect(await totalsOf('USD')).toEqual(['USD', '4', '130.50', '95.50'])
    await page.getByPlaceholder('Any status').click()
    await page.getByRole('option', { name: 'Overdue' }).click()
    await expect.poll(numbers).toEqual(['INV-000001'])
    expect(page.url()).toContain('status=overdue')
    expect(await totalsOf('USD')).toEqual(['USD', '1', '100.00', '60.00'])
    expect(await page.getByTestId('invoice-totals').innerText()).toBe('1 invoice')
    await page.goBack()
    await expect.poll(numbers).toHaveLength(4)
    expect(page.url()).not.toContain('status=')
  })

  it('"Has overdue invoice" shows every invoice of the customers with an overdue one; the customer picker narrows to one customer', async () => {
    // The box shows what the address says (a click changes the address, then the box).
    await page.getByLabel('Has overdue invoice').click()
    await expect.poll(() => page.url()).toContain('overdue=1')
    await expect.poll(numbers).toEqual(['INV-000004', 'INV-000001'])
    expect(await totalsOf('USD')).toEqual(['USD', '2', '120.00', '80.00'])
    // Amounts are right-aligned, in the list and in the totals, and their right edges line up.
    const right = (loc: ReturnType<Page['locator']>) => loc.evaluate((el) => [getComputedStyle(el).textAlign, Math.round(el.getBoundingClientRect().right)] as const)
    const [align, listRight] = await right(rows().first().locator('td:nth-child(6)'))
    expect(align).toBe('right')
    expect((await right(rows().nth(1).locator('td:nth-child(6)')))[1]).toBe(listRight)
    expect((await right(page.getByTestId('invoice-totals-USD').locator('td:nth-child(3)')))[0]).toBe('right')
    await page.reload()
    await expect.poll(numbers).toEqual(['INV-000004', 'INV-000001'])
    await page.getByLabel('Has overdue invoice').click()
    await expect.poll(() => page.url()).not.toContain('overdue=1')
    await page.getByPlaceholder('Any customer').fill('moskva')
    await page.getByRole('option', { name: 'moskva' }).click()
    await expect.poll(numbers).toEqual(['INV-000002'])
    expect(page.url()).toContain(`customer=${ids.moskva}`)
    await page.goBack()
    await expect.poll(numbers).toHaveLength(4)
  })

  it('exports the filtered view (every row, quoted, amounts with two decimals) as a CSV download', async () => {
    await go('#/invoices?overdue=1')
    await expect.poll(numbers).toEqual(['INV-000004', 'INV-000001'])
    await shot('filtered')
    const download = page.waitForEvent('download')
    await page.getByRole('button', { name: 'Export CSV' }).click()
    const file = await download
    expect(file.suggestedFilename()).toBe('invoices-2026-11-22.csv')
    const text = fs.readFileSync((await file.path())!, 'utf8')
    expect(text.startsWith('\uFEFFnumber,customer_id,company_name,')).toBe(true)
    expect(text).toContain('"Łódź ""Telekom"", Sp. z o.o."')
    const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { skipEmptyLines: true }).data
    expect(parsed.map((r) => [r[0], r[7], r[10], r[11]])).toEqual([
      ['number', 'status', 'total', 'amount_due'],
      ['INV-000004', 'Open', '20.00', '20.00'],
      ['INV-000001', 'Overdue', '100.00', '60.00']
    ])
    await page.getByText('2 invoices saved to invoices-2026-11-22.csv.').waitFor()
    await page.locator('.mantine-Notification-root').getByRole('button').click() // out of the drawer's screenshots
    expect(pageErrors).toEqual([])
  })

  it('the drawer shows the payments applied, the reductions and the events, oldest first', async () => {
    await page.getByRole('button', { name: 'INV-000001' }).click()
    const view = page.getByTestId('invoice-view')
    await view.waitFor()
    expect(page.url()).toContain('invoice=')
    const payments = await page.getByTestId('invoice-payments').locator('tbody td').allInnerTexts()
    expect(payments[1]).toMatch(/^Payment \(xDR id \d+\)$/)
    expect(payments[2]).toBe('30.00')
    const reductions = await page.getByTestId('invoice-reductions').locator('tbody td').allInnerTexts()
    expect(reductions[1]).toMatch(/^xDR id \d+ — Dropped calls$/)
    expect(reductions[2]).toBe('10.00')
    const events = page.getByTestId('invoice-events').locator('tbody tr')
    await expect.poll(() => events.count()).toBeGreaterThanOrEqual(4)
    const texts = await events.allInnerTexts()
    expect(texts[0]).toContain('Invoice INV-000001 issued')
    expect(texts.at(-1)).toContain('Invoice INV-000001 status changed from Partially paid to Overdue')
    expect(texts.join('\n')).toContain('amount due reduced by 10.00 from 100.00 to 90.00 — Dropped calls')
    expect(texts.join('\n')).toContain('Administrator')
    // The amounts of the lines, the payments and the summary share one right edge.
    const edge = (loc: ReturnType<Page['locator']>) => loc.evaluate((el) => Math.round(el.getBoundingClientRect().right))
    await page.waitForTimeout(500) // the drawer's slide-in
    const amountEdge = await edge(page.getByTestId('invoice-amount-due'))
    expect(await edge(page.getByTestId('invoice-payments').locator('tbody td').nth(2))).toBe(amountEdge)
    expect(await edge(page.getByTestId('invoice-reductions').locator('tbody td').nth(2))).toBe(amountEdge)
    await shot('drawer')
    await page.getByTestId('invoice-events').scrollIntoViewIfNeeded()
    await page.waitForTimeout(200)
    await shot('drawer-events')
    expect(pageErrors).toEqual([])
  })

  it("the customer's Invoices tab keeps its own filters in the address, apart from the page's", async () => {
    await go(`#/customers/${ids.lodz}/invoices?status=paid&invoice=2&inv.status=overdue`)
    await expect.poll(numbers).toEqual(['INV-000001'])
    expect(await page.getByTestId('invoice-view').count()).toBe(0)
    await page.getByPlaceholder('Any status').click()
    await page.getByRole('option', { name: 'Open' }).click()
    await expect.poll(numbers).toEqual(['INV-000004'])
    expect(page.url()).toContain('inv.status=open')
    expect(page.url()).toContain('status=paid')
    await shot('customer-tab')
    expect(pageErrors).toEqual([])
  })
})
