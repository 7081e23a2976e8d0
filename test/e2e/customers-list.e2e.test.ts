/**
 * The customer list end to end: the built UI (out/renderer, from `npm run build`) in Debian's
 * Chromium over the loopback host, on a data folder set up with the demo data (size S). The tests
 * run in order in one tab, like one cashier working through the list.
 */
import fs from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { openDemoSession, type DemoSession, type Desk } from '../support/e2e'

let session: DemoSession
let desk: Desk
let page: Page
let pageErrors: string[]

beforeAll(async () => {
  session = await openDemoSession('customers', { acceptDownloads: true })
  ;({ desk, page, pageErrors } = session)
  await loadedRows().first().waitFor()
})

afterAll(async () => {
  await session?.close()
})

const table = () => page.getByRole('table', { name: 'Customers' })
/** Rows with data (a row still loading shows a skeleton and has data-loading). */
const loadedRows = () => table().locator('tbody tr:not([data-loading])')
const count = () => page.getByTestId('customer-count')
const searchBox = () => page.getByRole('searchbox', { name: 'Search customers' })
const filters = () => page.getByRole('group', { name: 'Filters' })

/** The number at the start of the count line ("1,234 customers", "3 matches “easy”"). */
async function shownTotal(): Promise<number> {
  const text = await count().innerText()
  const m = /^([\d,]+) /.exec(text)
  if (!m) throw new Error(`No count in "${text}"`)
  return Number(m[1]!.replace(/,/g, ''))
}

/** Wait until the count line says `text` (the list has answered the latest query). */
async function countSays(text: string | RegExp): Promise<void> {
  await count().filter({ hasText: text }).waitFor()
}

/** Wait until the list shows the answer to the latest query (nothing loading, nothing stale). */
async function settled(): Promise<void> {
  await page.waitForFunction(() => {
    const t = document.querySelector('table[aria-label="Customers"]')
    return t !== null && t.getAttribute('aria-busy') === 'false' && t.closest('[data-stale]') === null
  })
}

async function clearAll(): Promise<void> {
  // "Clear filters" leaves the search alone: the search box is emptied on its own.
  await searchBox().fill('')
  const clear = page.getByRole('button', { name: 'Clear filters' }).first()
  if (await clear.isVisible()) await clear.click()
  await countSays(/^[\d,]+ customers?$/)
}

async function chooseStatus(label: string): Promise<void> {
  await filters().getByLabel('Status').click()
  await page.getByRole('option', { name: label, exact: true }).click()
  await page.keyboard.press('Escape')
}

/** "balance 1,234.56" / "funds -75.00" -> 1234.56 / -75 (the figure as shown in the cell). */
function shownAmount(cellText: string): number {
  const m = /(-?[\d,]+(?:\.\d+)?)\s*$/.exec(cellText.trim())
  if (!m) throw new Error(`No amount in "${cellText}"`)
  return Number(m[1]!.replace(/,/g, ''))
}

/** Column of a cell, by the header's position (the table has one header row). */
async function columnIndex(label: string): Promise<number> {
  const headers = await table().getByRole('columnheader').allInnerTexts()
  const i = headers.findIndex((h) => h.replace(/\s+/g, ' ').trim() === label)
  if (i < 0) throw new Error(`No column "${label}" in ${JSON.stringify(headers)}`)
  return i
}

async function columnTexts(label: string): Promise<string[]> {
  const i = await columnIndex(label)
  return loadedRows().evaluateAll((rows, col) => rows.map((r) => (r.children[col] as HTMLElement).innerText), i)
}

describe('customer list in Chromium over the loopback host', () => {
  it('narrows the list as you type, by company name, account and phone', async () => {
    await countSays(/^[\d,]+ customers$/)
    const everyone = await shownTotal()
    expect(everyone).toBeGreaterThan(50)

    await searchBox().pressSequentially('easy', { delay: 40 })
    await countSays('“easy”')
    const easy = loadedRows().filter({ hasText: 'Easy Call Ltd' })
    await easy.first().waitFor()
    expect(await shownTotal()).toBeLessThan(everyone)

    // An account ID finds its customer; so does the phone number.
    await searchBox().fill('SMC-BOOTH-02')
    await countSays('“SMC-BOOTH-02”')
    expect(await loadedRows().allInnerTexts()).toEqual([expect.stringContaining('SmartCall Ltd')])
    await searchBox().fill('+1 718 555 0199')
    await countSays('“+1 718 555 0199”')
    expect(await loadedRows().allInnerTexts()).toEqual([expect.stringMatching(/SmartCall Ltd[\s\S]*funds\s+75\.00/)])
  })

  it('shows only blocked customers under the Blocked status filter', async () => {
    await clearAll()
    await chooseStatus('Blocked')
    await countSays('with the filters')
    const blocked = await shownTotal()
    expect(blocked).toBeGreaterThan(0)
    const statuses = await columnTexts('Status')
    expect(statuses.length).toBe(blocked)
    expect(new Set(statuses)).toEqual(new Set(['Blocked']))
  })

  it('keeps the typed search when a filter is chosen before the search has settled', async () => {
    await clearAll()
    const blocked = (await desk.call('customers.list', { search: '', filters: { statuses: ['blocked'] }, offset: 0, limit: 1 })).rows[0]!
    // No pause after typing: the status filter is chosen while the search is still waiting to apply.
    await searchBox().fill(blocked.customerId)
    await chooseStatus('Blocked')
    await countSays(`“${blocked.customerId}”`)
    await countSays('with the filters')
    await settled()
    expect(await searchBox().inputValue()).toBe(blocked.customerId)
    const address = new URL(page.url().replace('#/', '')).searchParams
    expect(address.get('q')).toBe(blocked.customerId)
    expect(address.get('status')).toBe('blocked')
    expect(await columnTexts('Customer ID')).toContain(blocked.customerId)
    expect(new Set(await columnTexts('Status'))).toEqual(new Set(['Blocked']))
  })

  it('"Over limit" shows prepaid customers below zero and postpaid ones over their credit limit, and is kept in the address', async () => {
    // A prepaid customer whose usage took its funds below zero, beside the demo's postpaid ones over their limit.
    const below = await desk.call('customers.create', {
      customerId: 'zz-below-zero',
      companyName: 'Below Zero Phones',
      classId: null,
      creditLimit: null,
      balanceControl: 'prepaid',
      currency: 'USD',
      openingBalance: '1.00'
    })
    const service = (await desk.call('services.list', {})).find((s) => s.kind === 'voice')
    await desk.call('adjustments.submit', {
      customerId: below.id,
      operation: 'manual-charge',
      amount: '3.50',
      serviceId: service!.id,
      operationKey: 'e2e-over-limit-charge-1'
    })
    const expected = await desk.call('customers.list', { filters: { overLimit: true }, limit: 500 })
    expect(expected.rows.some((r) => r.balanceControl === 'prepaid')).toBe(true)
    expect(expected.rows.some((r) => r.balanceControl === 'postpaid')).toBe(true)
    await clearAll()
    await filters().getByRole('checkbox', { name: 'Over limit' }).check()
    await countSays('with the filters')
    expect(await shownTotal()).toBe(expected.total)
    expect(page.url()).toContain('overLimit=1')
    const texts = await loadedRows().allInnerTexts()
    expect(texts.length).toBe(Math.min(expected.total, texts.length))
    for (const t of texts) expect(t).toMatch(/over limit|below zero/)
    expect(texts.some((t) => t.includes('Below Zero Phones'))).toBe(true)
    await page.reload()
    await countSays('with the filters')
    expect(await filters().getByRole('checkbox', { name: 'Over limit' }).isChecked()).toBe(true)
  })

  it('hides permanently terminated customers until their status is chosen', async () => {
    const terminated = await desk.call('customers.list', {
      filters: { statuses: ['permanently-terminated'] },
      limit: 1
    })
    expect(terminated.total).toBeGreaterThan(0) // the demo data has some
    const gone = terminated.rows[0]!

    await clearAll()
    await searchBox().fill(gone.customerId)
    await countSays(`0 matches “${gone.customerId}”`)
    await page.getByText(`No customer matches “${gone.customerId}”`).waitFor()
    expect(await filters().getByText('Permanently terminated customers appear only when chosen.').isVisible()).toBe(true)
    // The search did find someone, among the permanently terminated: it says so and offers them.
    const found = page.getByTestId('terminated-matches')
    await found.waitFor()
    expect(await found.innerText()).toContain(`1 permanently terminated customer matches “${gone.customerId}”.`)
    await found.getByRole('button', { name: 'Show it' }).click()
    const row = loadedRows().filter({ hasText: gone.companyName })
    await row.first().waitFor()
    expect(await row.first().innerText()).toContain('Permanently terminated')
    expect(await filters().getByText('Permanently terminated customers are included.').isVisible()).toBe(true)
  })

  it('sorts by balance, largest first, then smallest first', async () => {
    await clearAll()
    // One currency and postpaid only, so the shown figures compare like for like.
    await filters().getByLabel('Balance control').click()
    await page.getByRole('option', { name: 'Postpaid', exact: true }).click()
    await filters().getByLabel('Currency').click()
    await page.getByRole('option', { name: 'USD', exact: true }).click()
    await countSays('with the filters')

    const header = table().getByRole('columnheader', { name: /Balance \/ Available funds/ })
    expect(await header.getAttribute('aria-sort')).toBe('none')
    await header.getByRole('button').click()
    await settled()
    expect(await header.getAttribute('aria-sort')).toBe('descending')
    let balances = (await columnTexts('Balance / Available funds')).map(shownAmount)
    expect(balances.length).toBeGreaterThan(2)
    expect(balances).toEqual([...balances].sort((a, b) => b - a))
    const largest = balances[0]!

    await header.getByRole('button').click()
    await settled()
    expect(await header.getAttribute('aria-sort')).toBe('ascending')
    balances = (await columnTexts('Balance / Available funds')).map(shownAmount)
    expect(balances).toEqual([...balances].sort((a, b) => a - b))
    expect(balances[0]).toBeLessThan(largest)
  })

  it('is driven from the keyboard: "/" and Ctrl+F focus search, arrows and Enter open a customer', async () => {
    await clearAll()
    const focusedIsSearch = () => page.evaluate(() => document.activeElement?.getAttribute('aria-label') === 'Search customers')

    await page.getByRole('heading', { level: 1, name: 'Customers' }).click()
    expect(await focusedIsSearch()).toBe(false)
    await page.keyboard.press('Control+f')
    expect(await focusedIsSearch()).toBe(true)
    await page.getByRole('heading', { level: 1, name: 'Customers' }).click()
    await page.keyboard.press('/')
    expect(await focusedIsSearch()).toBe(true)
    expect(await searchBox().inputValue()).toBe('') // the "/" was not typed

    await page.keyboard.type('call ltd')
    await countSays('“call ltd”')
    expect(await shownTotal()).toBeGreaterThan(1)
    await page.keyboard.press('ArrowDown') // into the list: first row
    await page.keyboard.press('ArrowDown') // second row
    await page.keyboard.press('ArrowUp') // back to the first
    const focused = page.locator('tbody tr:focus')
    expect(await focused.getAttribute('aria-rowindex')).toBe('2')
    const firstRowText = await focused.innerText()
    const opened = /^(\S+)/.exec(firstRowText)![1]!
    await page.keyboard.press('Enter')

    const title = page.getByTestId('customer-title')
    await title.waitFor()
    expect(await title.innerText()).toContain(opened)

    // Back on the list the search is still there and the opened customer is highlighted.
    await page.locator('nav').getByRole('button', { name: 'Customers', exact: true }).click()
    await countSays('“call ltd”')
    expect(await searchBox().inputValue()).toBe('call ltd')
    expect(await table().locator('tbody tr[data-active]').innerText()).toContain(opened)
  })

  it('exports the filtered list to a CSV file with the header and the same rows', async () => {
    await clearAll()
    await chooseStatus('Blocked')
    await countSays('with the filters')
    const shown = await shownTotal()
    const ids = await columnTexts('Customer ID')

    const download = page.waitForEvent('download')
    await page.getByRole('button', { name: 'Export CSV' }).click()
    const file = await download
    expect(file.suggestedFilename()).toMatch(/^customers-\d{4}-\d{2}-\d{2}\.csv$/)
    const bytes = fs.readFileSync((await file.path())!)
    // The saved file starts with the UTF-8 byte-order mark (Excel needs it for Łódź, Москва).
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const lines = bytes
      .subarray(3)
      .toString('utf8')
      .split(/\r?\n/)
      .filter((l) => l !== '')
    expect(lines[0]).toMatch(/^customer_id,company_name,/)
    expect(lines.length - 1).toBe(shown)
    for (const line of lines.slice(1)) expect(line).toContain('Blocked')
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(ids)
    await page.locator('.mantine-Notification-root').filter({ hasText: 'Customers exported' }).waitFor()

    expect(pageErrors).toEqual([])
  })
})
