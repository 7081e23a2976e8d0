/**
 * Services end to end, on a fresh install WITHOUT demo data (the case the outside check found
 * broken: Manual charge had no service to choose): a manual charge through the wizard with a
 * default service, then a service added on the Services page (Settings) and offered by the
 * wizard, then disabled and no longer offered. Chromium at 1366x768 over the loopback host. The
 * tests run in order and build on each other.
 */
import fs from 'node:fs'
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
let customerId = 0

beforeAll(async () => {
  dataDir = tempDataDir('services')
  desk = await startDesk(dataDir)
  await desk.call('setup.complete', { companyName: 'Fresh Callshop', address: '1 New Street', defaultCurrency: 'USD', loadDemoData: false, ...TEST_ADMIN })
  const c = await desk.call('customers.create', {
    customerId: 'walkin01',
    companyName: 'Walk-in Counter',
    balanceControl: 'postpaid',
    currency: 'USD',
    classId: null,
    creditLimit: null
  })
  customerId = c.id
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
const button = (name: string) => dialog().getByRole('button', { name, exact: true })
const serviceBox = () => dialog().locator('input#adj-serviceId')
const servicesTable = () => page.getByRole('table', { name: 'Services' })
const nav = (name: string) => page.locator('nav').getByRole('button', { name, exact: true })

/** Open the wizard for walkin01 from its page and go to the details of a Manual charge. */
async function openManualCharge() {
  await nav('Customers').click()
  await page.getByRole('searchbox', { name: 'Search customers' }).fill('walkin01')
  await page.getByRole('table', { name: 'Customers' }).locator('tbody tr:not([data-loading])').filter({ hasText: 'walkin01' }).first().click()
  await page.getByTestId('customer-title').filter({ hasText: 'walkin01' }).waitFor()
  await page.getByRole('button', { name: 'Balance adjustment' }).first().click()
  await dialog().getByRole('radio', { name: 'Manual charge', exact: true }).click()
  await button('Continue').click()
  await serviceBox().waitFor()
}

/** The services the wizard's Service list offers. */
async function offeredServices(): Promise<string[]> {
  await serviceBox().click()
  const listbox = page.getByRole('listbox')
  await listbox.waitFor()
  const names = await listbox.getByRole('option').allInnerTexts()
  await page.keyboard.press('Escape')
  return names.map((n) => n.trim())
}

async function closeWizard() {
  await page.keyboard.press('Escape')
  const discard = button('Discard')
  if (await discard.isVisible().catch(() => false)) await discard.click()
  await dialog().waitFor({ state: 'detached' })
}

/** With SCREENSHOT_DIR set, a 1366x768 picture of the screen once the modal's transition ended. */
async function screenshot(name: string) {
  const dir = process.env.SCREENSHOT_DIR
  if (!dir) return
  await page.waitForTimeout(500)
  await page.screenshot({ path: path.join(dir, name) })
}

async function openServicesPage() {
  await nav('Settings').click()
  await servicesTable().waitFor()
}

describe('services on a fresh install in Chromium', () => {
  it('a manual charge works right after first run without demo data, with a default service', async () => {
    await openManualCharge()
    const offered = await offeredServices()
    expect(offered).toEqual(['Fees', 'International calls', 'Monthly subscription', 'Phone cards & goods', 'SMS', 'Voice calls'])
    expect(offered).not.toContain('Credits / Promotions')

    await serviceBox().click()
    await page.getByRole('option', { name: 'Voice calls', exact: true }).click()
    await dialog().getByRole('textbox', { name: 'Amount', exact: true }).fill('7.00')
    await button('Continue').click()
    await button('Finish').waitFor()
    expect(await dialog().innerText()).toContain('Voice calls') // the summary names the service
    await button('Finish').click()
    await dialog().getByTestId('adj-result').waitFor()
    await button('Close').click()
    await dialog().waitFor({ state: 'detached' })

    expect((await desk.call('customers.get', { id: customerId })).balanceMinor).toBe(700)
    const txs = await desk.call('ledger.transactions', { customerId })
    expect(txs[0]).toMatchObject({ kind: 'manual-charge', amountMinor: 700, serviceName: 'Voice calls' })
  })

  it('the Services page lists the defaults; a new service is then offered by the wizard', async () => {
    await openServicesPage()
    const rows = servicesTable().locator('tbody tr')
    expect(await rows.count()).toBe(7)
    expect(await rows.first().innerText()).toMatch(/Credits \/ Promotions\s+Promotional credits\s+Built in\s+Fixed/i)

    await page.getByRole('button', { name: 'New service', exact: true }).click()
    const form = page.getByRole('form', { name: 'New service' })
    await form.getByRole('textbox', { name: 'Name' }).fill('voice CALLS')
    await form.getByRole('radio', { name: 'Fees' }).check()
    await button('Create service').click()
    // A clash of names is shown under Name, and nothing is created.
    const nameBox = form.getByRole('textbox', { name: 'Name' })
    await expect.poll(() => nameBox.getAttribute('aria-invalid')).toBe('true')
    const errorId = (await nameBox.getAttribute('aria-describedby'))?.split(/\s+/).find((id) => id.includes('error'))
    expect(await page.locator(`[id="${errorId}"]`).innerText()).toBe('A service called "Voice calls" already exists; choose another name.')

    await nameBox.fill('Printing & copies')
    await button('Create service').click()
    await dialog().waitFor({ state: 'detached' })
    const row = rows.filter({ hasText: 'Printing & copies' })
    await row.waitFor()
    expect(await row.innerText()).toMatch(/Printing & copies\s+Fees\s+Active/i)

    await page.getByRole('heading', { name: 'Services', exact: true }).scrollIntoViewIfNeeded()
    await screenshot('services-page.png')
    expect(await page.getByRole('button', { name: 'New service', exact: true }).isVisible()).toBe(true)

    await openManualCharge()
    expect(await offeredServices()).toContain('Printing & copies')
    await closeWizard()
  })

  it('a disabled service is no longer offered, and the charge made with it keeps its name', async () => {
    // A charge booked to the new service before it is disabled.
    const printing = (await desk.call('services.list', {})).find((s) => s.name === 'Printing & copies')!
    const charge = await desk.call('adjustments.submit', {
      customerId,
      operation: 'manual-charge',
      amount: '1.50',
      serviceId: printing.id,
      operationKey: 'e2e-services-0000001'
    })

    await openServicesPage()
    await page.getByRole('button', { name: 'Edit Printing & copies', exact: true }).click()
    const form = page.getByRole('form', { name: 'Edit service' })
    await form.getByRole('switch', { name: 'Offered for new charges and credits' }).click({ force: true })
    await dialog().getByTestId('service-status-change').waitFor()
    await screenshot('service-edit.png')
    await button('Save service').click()
    await dialog().waitFor({ state: 'detached' })
    await expect.poll(() => servicesTable().locator('tbody tr').filter({ hasText: 'Printing & copies' }).innerText()).toMatch(/Fees\s+Disabled/i)

    await openManualCharge()
    const offered = await offeredServices()
    expect(offered).not.toContain('Printing & copies')
    expect(offered).toContain('Voice calls')
    await closeWizard()

    const txs = await desk.call('ledger.transactions', { customerId })
    expect(txs.find((t) => t.xdrId === charge.xdrId)?.serviceName).toBe('Printing & copies')
    const audit = await desk.call('audit.list', { limit: 1 })
    expect(audit[0]?.description).toBe(
      'Service "Printing & copies": status changed from "Active" to "Disabled". It is no longer offered for new charges and credits; existing records keep it.'
    )
    expect(pageErrors).toEqual([])
  })
})
