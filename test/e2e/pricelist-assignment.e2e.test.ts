/**
 * Price-list assignment end to end, in Chromium at 1366x768 over the loopback host: a class's
 * Price lists (only lists in its currency offered; assign, remove) and a customer's Price lists
 * tab (the effective list and where it comes from; override, remove the override); then the
 * Usage section of Settings (rounding rule, import folder checked). The tests run in order.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { startDesk, tempDataDir, type Desk, openDeskPage } from '../support/e2e'
import { TEST_ADMIN } from '../support/operators'

let dataDir: string
let desk: Desk
let browser: Browser
let page: Page
const pageErrors: string[] = []
let classId: number
let customerId: number
let voiceId: number
let retailId: number

const SHOTS = process.env.SCREENSHOT_DIR
const classFields = {
  billingPeriod: 'monthly',
  billingDay: 1,
  dueDays: 14,
  suspendOnOverdue: false,
  suspensionGraceDays: 0,
  reactivationDays: 30,
  taxRatePpm: 0,
  invoicePrefix: ''
} as const

async function shot(name: string) {
  if (SHOTS) await page.screenshot({ path: path.join(SHOTS, `${name}.png`) })
}

beforeAll(async () => {
  dataDir = tempDataDir('pricelist-assignment')
  desk = await startDesk(dataDir)
  await desk.call('setup.complete', { companyName: 'Tariff Callshop', address: '', defaultCurrency: 'USD', loadDemoData: false, ...TEST_ADMIN })
  const klass = await desk.call('classes.create', { ...classFields, name: 'Booths USD', currency: 'USD' })
  classId = klass.id
  // A long name, as the demo's "Wholesale any currency": the row's buttons must still be on screen.
  await desk.call('classes.create', { ...classFields, name: 'Wholesale trunks in any currency', currency: null })
  retailId = (await desk.call('priceLists.create', { name: 'Booth retail', currency: 'USD' })).id
  await desk.call('priceLists.create', { name: 'Booth VIP', currency: 'USD' })
  await desk.call('priceLists.create', { name: 'Euro trunks', currency: 'EUR' })
  voiceId = (await desk.call('services.list', {})).find((s) => s.name === 'Voice calls')!.id
  customerId = (
    await desk.call('customers.create', { customerId: 'booth-7', companyName: 'Booth Seven', balanceControl: 'prepaid', currency: 'USD', classId, creditLimit: null })
  ).id
  const opened = await openDeskPage(desk, pageErrors)
  browser = opened.browser
  page = opened.page
})

afterAll(async () => {
  await browser?.close()
  await desk?.close()
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true })
})

const dialog = () => page.getByRole('dialog')
const serviceRow = (table: string, service: string) => page.getByRole('table', { name: table }).locator(`tr[data-service="${service}"]`)

/** Open the service's list box, check what it offers, and pick `name`. */
async function chooseList(row: ReturnType<typeof serviceRow>, service: string, name: string): Promise<string[]> {
  await row.getByLabel(`Price list for ${service}`).click()
  const options = page.getByRole('option')
  await options.first().waitFor()
  const offered = await options.allInnerTexts()
  await page.getByRole('option', { name }).click()
  return offered
}

/** The button is inside the viewport and not covered at its centre. */
async function reachable(button: ReturnType<Page['getByRole']>) {
  const box = await button.boundingBox()
  expect(box).not.toBeNull()
  expect(box!.x + box!.width).toBeLessThanOrEqual(1366)
  expect(box!.y + box!.height).toBeLessThanOrEqual(768)
  const hit = await page.evaluate(
    ([x, y]) => document.elementFromPoint(x!, y!)?.closest('button')?.textContent ?? null,
    [box!.x + box!.width / 2, box!.y + box!.height / 2]
  )
  expect(hit).toBe(await button.textContent())
}

describe('price-list assignment', () => {
  it("assigns a list to a class's voice calls, offering only lists in the class's currency", async () => {
    await page.locator('nav').getByRole('button', { name: 'Customer classes', exact: true }).click()
    for (const name of ['Booths USD', 'Wholesale trunks in any currency']) {
      await reachable(page.getByRole('button', { name: `Price lists of ${name}` }))
      await reachable(page.getByRole('button', { name: `Edit ${name}` }))
    }
    await page.getByRole('button', { name: 'Price lists of Booths USD' }).click()
    await dialog().getByText('Price lists of Booths USD').waitFor()
    expect(page.url()).toContain(`pricelists=${classId}`)
    const row = serviceRow('Class price lists', 'Voice calls')
    expect(await row.innerText()).toContain('None — usage stays unrated')
    const offered = await chooseList(row, 'Voice calls', 'Booth retail (USD)')
    expect(offered).toEqual(['Booth retail (USD)', 'Booth VIP (USD)'])
    const assign = row.getByRole('button', { name: 'Assign' })
    await reachable(assign)
    await assign.click()
    await expect.poll(() => row.innerText()).toContain('This class')
    expect(await row.innerText()).toContain('Booth retail')
    await shot('class-price-lists')
    const stored = await desk.call('priceLists.classAssignments', { classId })
    expect(stored.services.find((s) => s.serviceId === voiceId)?.priceList?.name).toBe('Booth retail')
    await page.keyboard.press('Escape')
    await dialog().waitFor({ state: 'detached' })
  })

  it("shows the customer's effective list and its source, overrides it, and removes the override", async () => {
    await page.evaluate((id) => {
      location.hash = `#/customers/${id}/pricelists`
    }, customerId)
    const row = serviceRow('Customer price lists', 'Voice calls')
    await row.waitFor()
    expect(await row.innerText()).toMatch(/Booth retail[\s\S]*Class Booths USD/)
    expect(await serviceRow('Customer price lists', 'SMS').innerText()).toContain('None — usage stays unrated')
    const offered = await chooseList(row, 'Voice calls', 'Booth VIP (USD)')
    expect(offered).toEqual(['Booth retail (USD)', 'Booth VIP (USD)'])
    const override = row.getByRole('button', { name: 'Override' })
    await reachable(override)
    await override.click()
    await expect.poll(() => row.innerText()).toContain('Own list (over the class\'s "Booth retail")')
    expect(await row.innerText()).toContain('Booth VIP')
    await shot('customer-price-lists')
    const remove = row.getByRole('button', { name: 'Remove override' })
    await reachable(remove)
    await remove.click()
    await expect.poll(() => row.innerText()).toContain('Class Booths USD')
    expect(await row.innerText()).not.toContain('Booth VIP')
    const own = await desk.call('priceLists.customerAssignments', { customerId })
    expect(own.services.find((s) => s.serviceId === voiceId)).toMatchObject({ source: 'class', effective: { id: retailId } })
  })

  it("removes the class's list: its customers' usage is unrated again", async () => {
    await page.evaluate((id) => {
      location.hash = `#/classes?pricelists=${id}`
    }, classId)
    const row = serviceRow('Class price lists', 'Voice calls')
    await row.getByRole('button', { name: 'Remove' }).click()
    await expect.poll(() => row.innerText()).toContain('None — usage stays unrated')
    const audit = await desk.call('audit.list', { limit: 5 })
    expect(audit.map((a) => a.description)).toContain(
      'Class "Booths USD", Voice calls: price list "Booth retail" removed; its usage is no longer rated until a list is assigned.'
    )
  })
})

describe('Settings: usage', () => {
  it('saves the rounding rule and refuses an import folder that does not exist, then takes one that does', async () => {
    await page.keyboard.press('Escape')
    await page.locator('nav').getByRole('button', { name: 'Settings', exact: true }).click()
    const section = page.locator('form', { has: page.getByText('Rounding of rated charges') })
    await section.scrollIntoViewIfNeeded()
    expect(await section.innerText()).toContain('1.214 -> 1.22')
    await section.getByRole('radio', { name: 'Half even' }).check()
    const folder = section.getByRole('textbox', { name: 'Usage import folder' })
    const missing = path.join(os.tmpdir(), `no-such-folder-${process.pid}`)
    await folder.fill(missing)
    await section.getByRole('button', { name: 'Save usage settings' }).click()
    await section.getByText(`The folder ${missing} does not exist.`).waitFor()
    expect((await desk.call('settings.get', {})).roundingMode).toBe('away-from-zero')
    const inbox = fs.mkdtempSync(path.join(os.tmpdir(), 'usage-inbox-'))
    try {
      await folder.fill(inbox)
      await section.getByRole('button', { name: 'Save usage settings' }).click()
      await expect.poll(async () => (await desk.call('settings.get', {})).usageImportFolder).toBe(inbox)
      expect((await desk.call('settings.get', {})).roundingMode).toBe('half-even')
      await section.getByRole('button', { name: 'Save usage settings' }).and(page.locator(':disabled')).waitFor()
      await shot('settings-usage')
    } finally {
      fs.rmSync(inbox, { recursive: true, force: true })
    }
    expect(pageErrors).toEqual([])
  })
})
