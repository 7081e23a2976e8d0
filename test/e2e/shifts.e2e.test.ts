/**
 * Cashier shifts end to end (issue 13 item 3; docs/shifts.md), in Chromium over the loopback host:
 * open a shift with a float, take cash payments, see the expected cash, close it with a different
 * count (expected vs counted and the difference), the shift report's PDF text, the header, and
 * every shift with its difference on the administrators' list and in its CSV export.
 *
 * A cashier works the counter (their own page, logged in as them); the administrators' list of
 * every shift is checked on the administrator's page.
 */
import fs from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { newKey } from '../support/desk'
import { openDeskPage, openDemoSession, type DemoSession, type TestOperator } from '../support/e2e'
import { pdfTextOf } from '../support/pdfText'

/** The cashier at the counter. */
const OPERATOR: TestOperator = { login: 'cleo', name: 'Cleo Till', role: 'cashier', password: 'cashier-pass-1' }

let session: DemoSession
let cashierBrowser: Browser
let cashierPage: Page
const cashierErrors: string[] = []
/** The page the current step works on: the cashier's, or the administrator's for the list of every shift. */
let page: Page

beforeAll(async () => {
  session = await openDemoSession('shifts', { viewport: { width: 1366, height: 768 }, acceptDownloads: true, operators: [OPERATOR] })
  const opened = await openDeskPage(session.desk, cashierErrors, { viewport: { width: 1366, height: 768 }, acceptDownloads: true, as: OPERATOR })
  cashierBrowser = opened.browser
  cashierPage = opened.page
  page = cashierPage
  page.setDefaultTimeout(15_000)
})

afterAll(async () => {
  await cashierBrowser?.close()
  await session?.close()
})

const nav = (name: string) => page.getByRole('navigation', { name: 'Main navigation' }).getByRole('button', { name, exact: true })
const dialog = () => page.getByRole('dialog')

async function customer(customerId: string) {
  const { rows } = await session.desk.call('customers.list', { search: customerId })
  return rows.find((r) => r.customerId === customerId)!
}

async function savedText(click: () => Promise<void>): Promise<{ name: string; bytes: Uint8Array }> {
  const download = page.waitForEvent('download')
  await click()
  const saved = await download
  return { name: saved.suggestedFilename(), bytes: new Uint8Array(fs.readFileSync((await saved.path())!)) }
}

describe('a shift closed with a difference', () => {
  let shiftId: number

  it('opens the shift with a counted float, shown in the header', async () => {
    expect(await page.getByTestId('header-shift').innerText()).toBe('No open shift')
    await nav('Shifts').click()
    await page.getByRole('heading', { level: 1, name: 'My shift' }).waitFor()
    const form = page.getByTestId('shift-open-form')
    await form.getByRole('textbox', { name: 'Float USD' }).fill('1.234')
    await form.getByRole('button', { name: 'Open shift' }).click()
    // The engine's message under the box it names; nothing opened.
    await form.getByText('USD amounts have at most 2 decimal places.').waitFor()
    await form.getByRole('textbox', { name: 'Float USD' }).fill('100')
    await form.getByRole('textbox', { name: 'Float USD' }).press('Enter')
    const open = page.getByTestId('shift-open')
    await open.waitFor()
    shiftId = Number(/Shift (\d+)/.exec(await open.getByRole('heading').innerText())![1])
    expect(await open.innerText()).toContain(OPERATOR.name)
    expect(await page.getByTestId('header-shift').innerText()).toBe(`Shift ${shiftId} open`)
    expect(await page.getByTestId('shift-figures').getByTestId('expected-USD').innerText()).toBe('100.00')
  })

  it('takes cash payments on it: the expected cash follows', async () => {
    // One at the counter by keyboard (docs/counter.md), one more through the same handler table.
    await nav('Customers').click()
    const search = page.getByRole('searchbox', { name: 'Search customers' })
    await search.fill('easycall')
    await page.getByTestId('customer-count').filter({ hasText: '1 match' }).waitFor()
    await search.press('Enter')
    await dialog().getByRole('radiogroup', { name: 'Operation type' }).waitFor()
    await page.screenshot({ path: '.test-output/shift-wizard-operations-1366.png' })
    await page.keyboard.press('3')
    await dialog().getByRole('textbox', { name: 'Amount', exact: true }).fill('25.00')
    await page.keyboard.press('Enter')
    await dialog().getByRole('button', { name: 'Finish', exact: true }).click()
    await dialog().getByTestId('adj-result').waitFor()
    await dialog().getByRole('button', { name: 'Close', exact: true }).click()
    await dialog().waitFor({ state: 'detached' })
    const easycall = await customer('easycall')
    await session.desk.callAs(session.operatorIds[OPERATOR.login]!, 'adjustments.submit', {
      customerId: easycall.id,
      operation: 'manual-payment',
      amount: '10.00',
      operationKey: newKey()
    })

    await page.getByTestId('header-shift').click()
    await page.getByRole('heading', { level: 1, name: 'My shift' }).waitFor()
    const figures = page.getByTestId('shift-figures')
    await figures.getByTestId('expected-USD').filter({ hasText: '135.00' }).waitFor()
    expect(await page.getByTestId('shift-movements').innerText()).toContain('Cash payment')
    await page.screenshot({ path: '.test-output/shift-page-1366.png' })
  })

  it('closes with a different count: expected vs counted and the difference, and the report says so', async () => {
    await page.getByRole('button', { name: 'Close shift…' }).click()
    const counted = dialog().getByRole('textbox', { name: 'Counted USD' })
    await expect.poll(() => counted.evaluate((el) => el === document.activeElement)).toBe(true)
    await counted.fill('130')
    await dialog().getByText('Expected 135.00 USD · difference short by 5.00 USD').waitFor()
    await page.screenshot({ path: '.test-output/shift-close-dialog-1366.png' })
    await counted.press('Enter')
    const result = dialog().getByTestId('shift-close-result')
    await result.waitFor()
    expect(await result.getByTestId('expected-USD').innerText()).toBe('135.00')
    expect(await result.getByTestId('counted-USD').innerText()).toBe('130.00')
    expect(await result.getByTestId('difference-USD').innerText()).toBe('short by 5.00 USD')
    await page.screenshot({ path: '.test-output/shift-close-result-1366.png' })

    const report = await savedText(() => dialog().getByRole('button', { name: 'Save shift report' }).click())
    expect(report.name).toBe(`shift-${shiftId}.pdf`)
    const text = (await pdfTextOf(report.bytes)).replace(/\s+/g, ' ')
    for (const part of [
      'Northside Callshop',
      'Shift report',
      `Shift ${shiftId}`,
      OPERATOR.name,
      'Float 100.00 USD',
      'Cash in 35.00 USD',
      'Expected 135.00 USD',
      'Counted 130.00 USD',
      'Difference short by 5.00 USD'
    ])
      expect(text).toContain(part)

    await dialog().getByRole('button', { name: 'Done' }).click()
    await dialog().waitFor({ state: 'detached' })
    expect(await page.getByTestId('shift-closed').innerText()).toContain(`Shift ${shiftId} closed with a difference`)
    expect(await page.getByTestId('header-shift').innerText()).toBe('No open shift')
    // The audit log has the close with its difference.
    const entries = await session.desk.call('audit.search', { kind: 'shift.closed' })
    expect(entries.entries[0]!.description).toContain('USD: expected 135.00 USD, counted 130.00 USD, short by 5.00 USD')
  })

  it('lists every shift with its difference for administrators, and exports them', async () => {
    page = session.page
    await nav('Shifts').click()
    await page.getByRole('heading', { level: 1, name: 'My shift' }).waitFor()
    const table = page.getByTestId('shift-table')
    const row = table.locator(`tr[data-shift="${shiftId}"][data-currency="USD"]`)
    await row.waitFor()
    expect(await row.innerText()).toContain('short by 5.00 USD')
    await page.getByRole('checkbox', { name: 'Only with a difference' }).check()
    await page.getByTestId('shift-count').filter({ hasText: '1 shift' }).waitFor()
    await page.mouse.wheel(0, 600)
    await page.screenshot({ path: '.test-output/shifts-admin-list-1366.png' })
    const csv = await savedText(() => page.getByTestId('all-shifts').getByRole('button', { name: 'Export CSV' }).click())
    const lines = new TextDecoder()
      .decode(csv.bytes)
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n')
    expect(lines[0]).toContain('expected,counted,difference')
    expect(lines.find((l) => l.startsWith(`${shiftId},`))).toContain(',USD,100.00,35.00,0.00,135.00,130.00,-5.00,2,0')
    expect(session.pageErrors).toEqual([])
  })
})

/** The wizard's refusal as the cashier sees it once their shift is closed. */
describe('a cashier without an open shift', () => {
  it('is told in the wizard, where the operation is chosen, with a link to open a shift', async () => {
    page = cashierPage
    await nav('Customers').click()
    expect(await page.getByTestId('header-shift').innerText()).toBe('No open shift')
    const search = page.getByRole('searchbox', { name: 'Search customers' })
    await search.fill('easycall')
    await page.getByTestId('customer-count').filter({ hasText: '1 match' }).waitFor()
    await search.press('Enter')
    const notice = dialog().getByTestId('adj-no-shift')
    await notice.waitFor()
    expect(await notice.innerText()).toContain('No open shift: cash cannot be taken')
    // Manual payment cannot be chosen, by click or by its digit; the reason is on it.
    expect(await dialog().getByTestId('adj-op-manual-payment-reason').innerText()).toBe('Needs an open shift: cash is counted against a shift.')
    await page.keyboard.press('3')
    expect(await dialog().getByRole('textbox', { name: 'Amount', exact: true }).count()).toBe(0)
    await page.screenshot({ path: '.test-output/shift-cashier-no-shift-1366.png' })
    await notice.getByRole('button', { name: 'Open a shift' }).click()
    await page.getByTestId('shift-open-form').waitFor()
    expect(await page.getByTestId('shift-open-form').innerText()).toContain('you cannot take cash yet')
    expect(cashierErrors).toEqual([])
  })
})
