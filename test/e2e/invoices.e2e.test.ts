/**
 * The Invoices page end to end, in Chromium at 1366x768 over the loopback host: an administrator
 * closes the billing periods now, the list shows each invoice with its status and the totals,
 * the status filter lives in the address, and an invoice opens with its lines summing to its total.
 */
import fs from 'node:fs'
import path from 'node:path'
import os from 'node:os'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { startDesk, tempDataDir, type Desk, openDeskPage } from '../support/e2e'
import { classInput, newKey } from '../support/desk'
import { pdfTextOf } from '../support/pdfText'
import { TEST_ADMIN } from '../support/operators'

let dataDir: string
let desk: Desk
let browser: Browser
let page: Page
const pageErrors: string[] = []
const clock = { t: Date.parse('2026-11-21T10:00:00Z') }

beforeAll(async () => {
  dataDir = tempDataDir('invoices')
  desk = await startDesk(dataDir, { now: () => clock.t })
  await desk.call('setup.complete', { companyName: 'Invoice Callshop', address: '', defaultCurrency: 'USD', loadDemoData: false, ...TEST_ADMIN })
  const service = (await desk.call('services.list', {})).find((s) => s.kind === 'voice')
  if (!service) throw new Error('setup made no voice service')
  const klass = await desk.call('classes.create', classInput({ name: 'Business', currency: 'USD', taxRatePpm: 230_000, invoicePrefix: 'INV-' }))
  const names = ['Łódź Telekom Sp. z o.o.', 'Москва Связь', 'Corner Kiosk']
  for (const [n, name] of names.entries()) {
    const c = await desk.call('customers.create', {
      customerId: name,
      companyName: name,
      balanceControl: 'postpaid',
      currency: 'USD',
      classId: klass.id,
      creditLimit: null
    })
    const amount = ['100.00', '15.50', '0'][n]!
    if (amount !== '0') await desk.call('adjustments.submit', { customerId: c.id, operation: 'manual-charge', amount, serviceId: service.id, operationKey: newKey() })
    else await desk.call('adjustments.submit', { customerId: c.id, operation: 'manual-credit', amount: '5.00', serviceId: service.id, operationKey: newKey() })
  }
  clock.t += 60_000
  const opened = await openDeskPage(desk, pageErrors, { acceptDownloads: true })
  browser = opened.browser
  page = opened.page
})

afterAll(async () => {
  await browser?.close()
  await desk?.close()
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true })
})

describe('Invoices page', () => {
  it('closes the periods now and lists the invoices with statuses and totals', async () => {
    await page.locator('nav').getByRole('button', { name: 'Invoices', exact: true }).click()
    await page.getByRole('heading', { level: 1, name: 'Invoices' }).waitFor()
    expect(page.url()).toContain('#/invoices')
    await page.getByText('No invoices match these filters.').waitFor()
    await page.getByRole('button', { name: 'Close billing periods now' }).click()
    await page.getByText('3 invoices issued.').waitFor()
    await page.getByRole('button', { name: 'INV-000003' }).waitFor()
    const rows = await page.getByTestId('invoice-row').allTextContents()
    expect(rows).toHaveLength(3)
    expect(rows.join('\n')).toContain('Łódź Telekom Sp. z o.o.')
    expect(rows.join('\n')).toContain('Москва Связь')
    expect(await page.getByTestId('invoice-totals-USD').locator('td').allTextContents()).toEqual(['USD', '3', '135.92', '142.07'])
    await page.waitForTimeout(300)
    await page.screenshot({ path: path.join(os.tmpdir(), 'invoices-list.png') })
  })

  it('filters by status in the address', async () => {
    await page.getByPlaceholder('Any status').click()
    await page.getByRole('option', { name: 'Needs no payment' }).click()
    await expect.poll(() => page.getByTestId('invoice-row').count()).toBe(1)
    expect(page.url()).toContain('status=no-payment-needed')
    await page.reload()
    await page.getByRole('button', { name: /^INV-/ }).first().waitFor()
    expect(await page.getByTestId('invoice-row').allTextContents()).toEqual([expect.stringContaining('Corner Kiosk')])
  })

  it('opens an invoice: lines, taxes and the amount due equal the list', async () => {
    await page.evaluate(() => {
      window.location.hash = '#/invoices'
    })
    await page.getByRole('button', { name: 'INV-000001' }).click()
    const view = page.getByTestId('invoice-view')
    await view.waitFor()
    expect(await view.textContent()).toContain('Manual charges — ')
    expect(await view.textContent()).toContain('Tax 23%')
    expect(await page.getByTestId('invoice-total').textContent()).toBe('123.00')
    expect(await page.getByTestId('invoice-amount-due').textContent()).toBe('123.00')
    expect(page.url()).toContain('invoice=')
    await page.waitForTimeout(500) // the drawer's slide-in, for the screenshot
    await page.screenshot({ path: path.join(os.tmpdir(), 'invoices-view.png') })
    expect(pageErrors).toEqual([])
  })

  it('an administrator reduces the amount due: the total stays as issued, the reduction is shown', async () => {
    await page.getByRole('button', { name: 'Reduce amount due' }).click()
    await page.getByLabel('Reduce by').fill('200.00')
    await page.getByRole('button', { name: 'Reduce', exact: true }).click()
    await page.getByText('A reduction cannot exceed the amount due, 123.00.').waitFor()
    await page.getByLabel('Reduce by').fill('23.00')
    await page.getByLabel('Comment (on the invoice)').fill('Disputed call')
    await page.getByRole('button', { name: 'Reduce', exact: true }).click()
    await expect.poll(() => page.getByTestId('invoice-amount-due').textContent()).toBe('100.00')
    expect(await page.getByTestId('invoice-total').textContent()).toBe('123.00')
    expect(await page.getByTestId('invoice-view').textContent()).toContain('Amount due reduced-23.00')
    await page.screenshot({ path: path.join(os.tmpdir(), 'invoices-reduced.png') })
    expect(pageErrors).toEqual([])
  })

  it('the invoice drawer saves the PDF (number, name, amount due) and prints it in a new tab', async () => {
    const download = page.waitForEvent('download')
    await page.getByRole('button', { name: 'Download PDF' }).click()
    const file = await download
    expect(file.suggestedFilename()).toBe('INV-000001.pdf')
    const text = (await pdfTextOf(new Uint8Array(fs.readFileSync((await file.path())!)))).replace(/\s+/g, ' ')
    expect(text).toContain('INV-000001')
    expect(text).toContain('Łódź Telekom Sp. z o.o.')
    expect(text).toContain('100.00 USD') // the amount due after the reduction, as on screen
    expect(text).toContain('Disputed call')

    // Print in browser mode: the PDF opens in a tab of its own (a blob: document, outside the app's
    // CSP). This headless Chromium has no PDF viewer (the tab stays blank), so the test checks that a
    // tab opens on a blob: URL holding the PDF, recording what window.open was given.
    await page.evaluate(() => {
      const w = window as unknown as { openedUrl: string; blobs: Map<string, Blob> }
      w.blobs = new Map()
      const create = URL.createObjectURL.bind(URL)
      URL.createObjectURL = (blob: Blob) => {
        const url = create(blob)
        w.blobs.set(url, blob)
        return url
      }
      const open = window.open.bind(window)
      window.open = (url?: string | URL, target?: string) => {
        w.openedUrl = String(url)
        return open(url, target)
      }
    })
    const tab = page.context().waitForEvent('page')
    await page.getByRole('button', { name: 'Print' }).click()
    const printed = await tab
    const opened = await page.evaluate(async () => {
      const w = window as unknown as { openedUrl: string; blobs: Map<string, Blob> }
      const url = w.openedUrl
      const blob = w.blobs.get(url)!
      return { url, type: blob.type, head: await blob.slice(0, 5).text() }
    })
    expect(opened).toMatchObject({ url: expect.stringMatching(/^blob:/), type: 'application/pdf', head: '%PDF-' })
    await printed.close()
    await expect.poll(() => page.getByRole('button', { name: 'Print' }).isEnabled()).toBe(true)
    await page.waitForTimeout(300) // the button's loader fading out, for the screenshot
    await page.screenshot({ path: path.join(os.tmpdir(), 'invoices-pdf-buttons.png') })
    expect(pageErrors).toEqual([])
  })

  it("the customer's Invoices & taxation tab lists its invoices", async () => {
    const customer = (await desk.call('invoices.list', { status: 'open' })).rows.find((r) => r.number === 'INV-000002')!
    await page.evaluate((id) => {
      window.location.hash = `#/customers/${id}/invoices`
    }, customer.customerId)
    await page.getByRole('button', { name: 'INV-000002' }).waitFor()
    await expect.poll(() => page.getByTestId('invoice-row').filter({ hasText: 'INV-' }).count()).toBe(1)
    await page.getByRole('button', { name: 'INV-000002' }).scrollIntoViewIfNeeded()
    await page.screenshot({ path: path.join(os.tmpdir(), 'invoices-customer-tab.png') })
    expect(pageErrors).toEqual([])
  })
})
