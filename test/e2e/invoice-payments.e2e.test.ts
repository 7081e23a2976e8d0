/**
 * From payment to Paid, in Chromium at 1366x768 over the loopback host: a customer's December
 * invoice (100.00, Open) is paid at the counter in two goes through the Balance adjustment wizard.
 * Each Summary lists the invoice the payment settles (number, amount applied, status before ->
 * after) before anything is saved; the Invoices page then shows it Partially paid, and Paid.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { classInput, newKey } from '../support/desk'
import { openDeskPage, startDesk, tempDataDir, type Desk } from '../support/e2e'
import { local } from '../support/lifecycleWorld'
import { TEST_ADMIN } from '../support/operators'

let dataDir: string
let desk: Desk
let browser: Browser
let page: Page
let customerRowId: number
const pageErrors: string[] = []
const clock = { t: local(2026, 11, 21, 10) }

beforeAll(async () => {
  dataDir = tempDataDir('invoice-payments')
  desk = await startDesk(dataDir, { now: () => clock.t })
  await desk.call('setup.complete', { companyName: 'Payments Callshop', address: '', defaultCurrency: 'USD', loadDemoData: false, ...TEST_ADMIN })
  const voice = (await desk.call('services.list', {})).find((s) => s.kind === 'voice')
  if (!voice) throw new Error('setup made no voice service')
  const klass = await desk.call('classes.create', classInput({ name: 'Monthly', invoicePrefix: 'INV-' }))
  customerRowId = (
    await desk.call('customers.create', {
      customerId: 'kiosk',
      companyName: 'Corner Kiosk',
      balanceControl: 'postpaid',
      currency: 'USD',
      classId: klass.id,
      creditLimit: null
    })
  ).id
  await desk.call('adjustments.submit', { customerId: customerRowId, operation: 'manual-charge', amount: '100', serviceId: voice.id, operationKey: newKey() })
  // December 1st: November's period closes into INV-000001, 100.00, Open.
  clock.t = local(2026, 12, 1, 9)
  await desk.app.core.runInvoiceTasks()
  const opened = await openDeskPage(desk, pageErrors)
  browser = opened.browser
  page = opened.page
  page.setDefaultTimeout(15_000)
})

afterAll(async () => {
  await browser?.close()
  await desk?.close()
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true })
})

const dialog = () => page.getByRole('dialog')
const button = (name: string) => dialog().getByRole('button', { name, exact: true })

/** The Invoices page's row for INV-000001: its text (textContent: the status badge is upper-cased by CSS). */
async function invoiceRow(): Promise<string> {
  await page.locator('nav').getByRole('button', { name: 'Invoices', exact: true }).click()
  await page.getByRole('heading', { level: 1, name: 'Invoices' }).waitFor()
  const row = page.locator('tbody tr').filter({ hasText: 'INV-000001' })
  await row.waitFor()
  return (await row.textContent()) ?? ''
}

/** Open the wizard from the customer list, take a manual payment up to the Summary. */
async function paymentSummary(amount: string) {
  await page.locator('nav').getByRole('button', { name: 'Customers', exact: true }).click()
  await page.getByRole('searchbox', { name: 'Search customers' }).fill('kiosk')
  await page.getByRole('button', { name: 'Balance adjustment for kiosk' }).click()
  await dialog().getByRole('radio', { name: 'Manual payment', exact: true }).click()
  await button('Continue').click()
  await dialog().getByRole('textbox', { name: 'Amount', exact: true }).fill(amount)
  await button('Continue').click()
  await button('Finish').waitFor()
  return dialog().getByTestId('adj-invoices')
}

async function touchedRows() {
  return dialog()
    .getByTestId('adj-invoice')
    .evaluateAll((rows) =>
      rows.map((r) => ['number', 'amount', 'due', 'status'].map((id) => (r.querySelector(`[data-testid="${id}"]`) as HTMLElement | null)?.innerText ?? ''))
    )
}

describe('a customer from an open invoice to Paid', () => {
  it('starts with an Open invoice of 100.00', async () => {
    const row = await invoiceRow()
    expect(row).toContain('100.00')
    expect(row).toContain('Open')
  })

  it('a 60.00 payment: the Summary lists the invoice it pays part of; the invoice is then Partially paid', async () => {
    const table = await paymentSummary('60')
    expect(await table.getByRole('columnheader').allInnerTexts()).toEqual(['Invoice', 'Applied USD', 'Amount due', 'Status'])
    expect(await touchedRows()).toEqual([['INV-000001', '60.00', '100.00 → 40.00', 'Open → Partially paid']])
    // What is applied does not stay unallocated.
    expect(await dialog().getByTestId('adj-impact-unallocated').getByTestId('after').innerText()).toBe('0.00')
    await page.waitForTimeout(200)
    await page.screenshot({ path: path.join(os.tmpdir(), 'invoice-payments-summary.png') })
    await button('Finish').click()
    await dialog().getByTestId('adj-result').waitFor()
    expect(await touchedRows()).toEqual([['INV-000001', '60.00', '100.00 → 40.00', 'Open → Partially paid']])
    await page.screenshot({ path: path.join(os.tmpdir(), 'invoice-payments-result.png') })
    await button('Close').click()
    await dialog().waitFor({ state: 'detached' })
    const row = await invoiceRow()
    expect(row).toContain('Partially paid')
    expect(row).toContain('40.00')
  })

  it('the remaining 40.00: Paid on the Invoices page, nothing left unallocated', async () => {
    await paymentSummary('40')
    expect(await touchedRows()).toEqual([['INV-000001', '40.00', '40.00 → 0.00', 'Partially paid → Paid']])
    await button('Finish').click()
    await dialog().getByTestId('adj-result').waitFor()
    await button('Close').click()
    await dialog().waitFor({ state: 'detached' })
    const row = await invoiceRow()
    expect(row).toContain('Paid')
    expect(row).not.toContain('Partially paid')
    const customer = await desk.call('customers.get', { id: customerRowId })
    expect([customer.balanceMinor, customer.unallocatedPaymentsMinor]).toEqual([0, 0])
    expect((await desk.call('ledger.check', {})).ok).toBe(true)
  })

  it('raised no page errors', () => {
    expect(pageErrors).toEqual([])
  })
})
