/**
 * Addresses and history end to end: every screen has an address in the URL's hash, Back and
 * Forward (the browser's, and Alt+Left/Right) walk list -> customer -> tab -> wizard step ->
 * settings, a reload keeps the screen (the customer list with its search, filters and sort too:
 * they are in its address), and leaving a customer form with an unsaved change asks
 * first. The built UI (out/renderer) in Debian's Chromium over the loopback host.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { openDemoSession, type DemoSession, type Desk } from '../support/e2e'

let session: DemoSession
let desk: Desk
let page: Page
let pageErrors: string[]
const consoleErrors: string[] = []
/** A demo customer with no unsaved anything: its id in the database and its customer ID. */
let customer: { id: number; customerId: string }

beforeAll(async () => {
  session = await openDemoSession('navigation')
  ;({ desk, page, pageErrors } = session)
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text())
  })
  const { rows } = await desk.call('customers.list', { search: '', limit: 5 })
  const row = rows.find((r) => r.status === 'active') ?? rows[0]!
  customer = { id: row.id, customerId: row.customerId }
})

afterAll(async () => {
  await session?.close()
})

const nav = (label: string) => page.locator('nav').getByRole('button', { name: label, exact: true })
const heading = (name: string) => page.getByRole('heading', { level: 1, name, exact: true })
const dialog = () => page.getByRole('dialog')
const hash = () => new URL(page.url()).hash
const selectedTab = () => page.getByRole('tab', { selected: true })
const wizardStep = () => dialog().locator('.adj-visually-hidden').innerText()

/** On the list; its address may carry the search, filters and sort it was left with. */
async function onList() {
  await heading('Customers').waitFor()
  await expect.poll(hash).toMatch(/^#\/customers(\?|$)/)
}

async function onCustomer(tab: RegExp) {
  await page.getByTestId('customer-title').filter({ hasText: customer.customerId }).waitFor()
  await expect.poll(() => selectedTab().innerText()).toMatch(tab)
}

async function openCustomerFromList() {
  await page.getByRole('searchbox', { name: 'Search customers' }).fill(customer.customerId)
  const row = page.getByRole('table', { name: 'Customers' }).getByRole('row').filter({ hasText: customer.customerId })
  await row.first().click()
  await onCustomer(/Address info/)
}

describe('addresses, Back/Forward and reload', () => {
  it('keeps the access token out of the address and opens on the list', async () => {
    await onList()
    expect(page.url()).not.toContain('token')
  })

  it('walks list -> customer -> tab -> wizard step -> settings with Back, Forward and Alt+Left/Right', async () => {
    await openCustomerFromList()
    expect(hash()).toBe(`#/customers/${customer.id}`)

    await page.getByRole('tab', { name: /Balance & credits/ }).click()
    await onCustomer(/Balance & credits/)
    expect(hash()).toBe(`#/customers/${customer.id}/balance`)

    await page.getByRole('button', { name: 'Balance adjustment' }).first().click()
    await dialog().getByRole('radiogroup', { name: 'Operation type' }).waitFor()
    expect(hash()).toContain('step=operation')
    await dialog().getByRole('radio', { name: 'Manual payment', exact: true }).click()
    await dialog().getByRole('button', { name: 'Continue' }).click()
    await expect.poll(wizardStep).toMatch(/^Step 2 of 4/)
    expect(hash()).toContain('step=details')

    // Back: the wizard's previous step, then the page under it, then the tab before, then the list.
    await page.goBack()
    await expect.poll(wizardStep).toMatch(/^Step 1 of 4/)
    expect(await dialog().getByRole('radio', { name: 'Manual payment', exact: true }).getAttribute('aria-checked')).toBe('true')
    await page.keyboard.press('Alt+ArrowRight')
    await expect.poll(wizardStep).toMatch(/^Step 2 of 4/)
    await page.keyboard.press('Alt+ArrowLeft')
    await expect.poll(wizardStep).toMatch(/^Step 1 of 4/)
    await page.goBack()
    await dialog().waitFor({ state: 'detached' })
    await onCustomer(/Balance & credits/)
    await page.goBack()
    await onCustomer(/Address info/)
    await page.goBack()
    await onList()

    // Forward again, as far as the wizard's first step.
    await page.goForward()
    await onCustomer(/Address info/)
    await page.goForward()
    await onCustomer(/Balance & credits/)
    await page.goForward()
    await dialog().getByRole('radiogroup', { name: 'Operation type' }).waitFor()
    await page.keyboard.press('Escape') // nothing entered: closes at once, back to the tab
    await dialog().waitFor({ state: 'detached' })
    await expect.poll(hash).toBe(`#/customers/${customer.id}/balance`)

    await nav('Settings').click()
    await heading('Settings').waitFor()
    expect(hash()).toBe('#/settings')
    await page.keyboard.press('Alt+ArrowLeft')
    await onCustomer(/Balance & credits/)
    await page.keyboard.press('Alt+ArrowRight')
    await heading('Settings').waitFor()
  })

  it('a reload keeps the screen: settings, and a customer with its tab', async () => {
    await page.reload()
    await heading('Settings').waitFor()
    expect(hash()).toBe('#/settings')

    await page.goBack()
    await onCustomer(/Balance & credits/)
    await page.reload()
    await onCustomer(/Balance & credits/)
    expect(hash()).toBe(`#/customers/${customer.id}/balance`)
    await page.getByRole('tab', { name: /Life cycle/ }).click()
    await onCustomer(/Life cycle/)
    await page.reload()
    await onCustomer(/Life cycle/)
  })
})

describe("the list's search, filters and sort are in its address", () => {
  const searchBox = () => page.getByRole('searchbox', { name: 'Search customers' })
  const filters = () => page.getByRole('group', { name: 'Filters' })
  const table = () => page.getByRole('table', { name: 'Customers' })
  const balanceHeader = () => table().getByRole('columnheader', { name: /Balance \/ Available funds/ })
  const FILTERED = '#/customers?q=ltd&status=active,blocked&currency=USD&sort=balance-desc'
  let expected: { total: number; firstIds: string[] }

  /** Nothing loading or stale: the list shows the answer to its address. */
  async function settled() {
    await page.waitForFunction(() => {
      const t = document.querySelector('table[aria-label="Customers"]')
      return t !== null && t.getAttribute('aria-busy') === 'false' && t.closest('[data-stale]') === null
    })
  }

  /** What the person sees of the list's state: the search, the filters, the sort, the count and the first rows. */
  async function shownState() {
    await settled()
    return {
      search: await searchBox().inputValue(),
      statuses: await filters().locator('.mantine-Pill-label').allInnerTexts(),
      currency: await filters().getByLabel('Currency').inputValue(),
      sort: await balanceHeader().getAttribute('aria-sort'),
      count: await page.getByTestId('customer-count').innerText(),
      firstIds: (await table().locator('tbody tr:not([data-loading])').allInnerTexts()).slice(0, 5).map((t) => /^(\S+)/.exec(t)![1])
    }
  }

  const filteredState = () => ({
    search: 'ltd',
    statuses: ['Active', 'Blocked'],
    currency: 'USD',
    sort: 'descending',
    count: `${expected.total} ${expected.total === 1 ? 'match' : 'matches'} “ltd” with the filters`,
    firstIds: expected.firstIds
  })

  beforeAll(async () => {
    const { total, rows } = await desk.call('customers.list', {
      search: 'ltd',
      filters: { statuses: ['active', 'blocked'], currency: 'USD' },
      sort: { key: 'balance', dir: 'desc' },
      limit: 5
    })
    expected = { total, firstIds: rows.map((r) => r.customerId) }
  })

  it('typing replaces the entry; a filter or sort is a Back step; the address shows them all', async () => {
    expect(expected.total).toBeGreaterThan(1) // the demo data has such customers
    await nav('Customers').click()
    await onList()
    await searchBox().fill('')
    await expect.poll(hash).toBe('#/customers')
    const entries = await page.evaluate(() => history.length)

    await searchBox().pressSequentially('ltd', { delay: 60 })
    await expect.poll(hash).toBe('#/customers?q=ltd')
    expect(await page.evaluate(() => history.length)).toBe(entries) // no entry per key

    await filters().getByLabel('Status').click()
    await page.getByRole('option', { name: 'Active', exact: true }).click()
    await page.getByRole('option', { name: 'Blocked', exact: true }).click()
    await page.keyboard.press('Escape')
    await filters().getByLabel('Currency').click()
    await page.getByRole('option', { name: 'USD', exact: true }).click()
    await balanceHeader().getByRole('button').click()
    await expect.poll(hash).toBe(FILTERED)
    expect(await shownState()).toEqual(filteredState())

    // Back undoes the sort, Forward brings it back.
    await page.goBack()
    await expect.poll(hash).toBe('#/customers?q=ltd&status=active,blocked&currency=USD')
    await expect.poll(() => balanceHeader().getAttribute('aria-sort')).toBe('none')
    await page.goForward()
    await expect.poll(hash).toBe(FILTERED)
    expect(await shownState()).toEqual(filteredState())
  })

  it('Back from a customer opened from the filtered list returns to the same list', async () => {
    await table().locator('tbody tr:not([data-loading])').first().click()
    await page.getByTestId('customer-title').filter({ hasText: expected.firstIds[0]! }).waitFor()
    await page.goBack()
    await expect.poll(hash).toBe(FILTERED)
    expect(await shownState()).toEqual(filteredState())

    // The wizard over the filtered list keeps the list under it, and closing it returns there.
    const first = expected.firstIds[0]!
    await table()
      .getByRole('button', { name: `Balance adjustment for ${first}`, exact: true })
      .click()
    await dialog().getByRole('radiogroup', { name: 'Operation type' }).waitFor()
    expect(hash()).toMatch(/^#\/customers\?q=ltd&status=active,blocked&currency=USD&sort=balance-desc&adjust=\d+&step=operation$/)
    await page.keyboard.press('Escape')
    await dialog().waitFor({ state: 'detached' })
    await expect.poll(hash).toBe(FILTERED)
    expect(await shownState()).toEqual(filteredState())

    // "Customers" in the menu, from another page, also finds the list as it was left.
    await nav('Settings').click()
    await heading('Settings').waitFor()
    await nav('Customers').click()
    await expect.poll(hash).toBe(FILTERED)
    expect(await shownState()).toEqual(filteredState())
  })

  it('a reload keeps the filtered list', async () => {
    await page.reload()
    await heading('Customers').waitFor()
    expect(hash()).toBe(FILTERED)
    await expect.poll(() => searchBox().inputValue()).toBe('ltd')
    expect(await shownState()).toEqual(filteredState())
  })

  it('an address with parameters it does not know shows the list without them, never an error', async () => {
    await page.evaluate(() => {
      location.hash = '#/customers?status=bogus,blocked&currency=XYZ&class=999999&control=neither&overLimit=maybe&sort=nope-desc'
    })
    await page.reload()
    await heading('Customers').waitFor()
    const blocked = await desk.call('customers.list', { filters: { statuses: ['blocked'] }, limit: 1 })
    await expect.poll(() => page.getByTestId('customer-count').innerText()).toBe(`${blocked.total} ${blocked.total === 1 ? 'match' : 'matches'} with the filters`)
    expect(await filters().locator('.mantine-Pill-label').allInnerTexts()).toEqual(['Blocked'])
    expect(await filters().getByLabel('Currency').inputValue()).toBe('')
    expect(await filters().getByLabel('Customer class').inputValue()).toBe('')
    expect(await balanceHeader().getAttribute('aria-sort')).toBe('none')
    expect(await page.getByRole('alert').count()).toBe(0)

    // The plain list again, for the tests after these.
    await page.evaluate(() => {
      location.hash = '#/customers'
    })
    await expect.poll(() => page.getByTestId('customer-count').innerText()).toMatch(/^[\d,]+ customers$/)
  })
})

describe('leaving a form with unsaved changes', () => {
  const phone = () => page.getByRole('textbox', { name: 'Phone', exact: true })
  const leaveGuard = () => page.getByRole('dialog', { name: 'Leave without saving?' })

  it('asks first: Stay keeps the text, Leave discards it', async () => {
    await nav('Customers').click()
    await onList()
    await openCustomerFromList()
    const saved = await phone().inputValue()
    await phone().fill('+44 113 496 0999')

    // Tabs of the same customer keep the form: no question.
    await page.getByRole('tab', { name: /Additional info/ }).click()
    await onCustomer(/Additional info/)
    expect(await leaveGuard().count()).toBe(0)
    await page.goBack()
    await onCustomer(/Address info/)
    expect(await phone().inputValue()).toBe('+44 113 496 0999')

    // The sidebar asks; Stay keeps the page and the text.
    await nav('Customers').click()
    await leaveGuard().waitFor()
    await leaveGuard().getByRole('button', { name: 'Stay' }).click()
    await leaveGuard().waitFor({ state: 'detached' })
    expect(hash()).toBe(`#/customers/${customer.id}`)
    expect(await phone().inputValue()).toBe('+44 113 496 0999')

    // The browser's Back (to the list) asks too.
    await page.goBack()
    await leaveGuard().waitFor()
    await leaveGuard().getByRole('button', { name: 'Stay' }).click()
    await expect.poll(hash).toBe(`#/customers/${customer.id}`)
    expect(await phone().inputValue()).toBe('+44 113 496 0999')

    // "Back to list", then Leave: the change is discarded.
    await page.getByRole('button', { name: '← Back to list' }).click()
    await leaveGuard().getByRole('button', { name: 'Leave and discard' }).click()
    await onList()
    await openCustomerFromList()
    expect(await phone().inputValue()).toBe(saved)
    expect((await desk.call('customers.get', { id: customer.id })).phone).toBe(saved)
  })

  it('asks before throwing away a half-typed new customer', async () => {
    await nav('Customers').click()
    await onList()
    await page.getByRole('button', { name: 'New customer' }).click()
    await heading('New customer').waitFor()
    await page.getByRole('textbox', { name: 'Customer ID', exact: true }).fill('NAV-HALF-TYPED')
    await page.getByRole('button', { name: 'Cancel' }).click()
    await leaveGuard().getByRole('button', { name: 'Stay' }).click()
    expect(await page.getByRole('textbox', { name: 'Customer ID', exact: true }).inputValue()).toBe('NAV-HALF-TYPED')
    await page.getByRole('button', { name: 'Cancel' }).click()
    await leaveGuard().getByRole('button', { name: 'Leave and discard' }).click()
    await onList()
  })

  it('asks before leaving unsaved company settings', async () => {
    await nav('Settings').click()
    await heading('Settings').waitFor()
    const name = page.getByRole('textbox', { name: 'Company name' })
    await name.fill('Northside Callshop Ltd (unsaved)')
    await nav('Customers').click()
    await leaveGuard().getByRole('button', { name: 'Stay' }).click()
    expect(await name.inputValue()).toBe('Northside Callshop Ltd (unsaved)')
    await nav('Customers').click()
    await leaveGuard().getByRole('button', { name: 'Leave and discard' }).click()
    await onList()
    expect((await desk.call('settings.get', {})).companyName).not.toContain('unsaved')
  })

  it('asks before Back leaves a half-filled class or a half-filled adjustment', async () => {
    await nav('Customer classes').click()
    await heading('Customer classes').waitFor()
    await page.getByRole('button', { name: 'New class' }).click()
    await dialog().getByRole('textbox', { name: 'Name', exact: true }).fill('Half typed')
    await page.keyboard.press('Alt+ArrowLeft')
    await leaveGuard().waitFor()
    await leaveGuard().getByRole('button', { name: 'Stay' }).click()
    await leaveGuard().waitFor({ state: 'detached' })
    expect(hash()).toBe('#/classes')
    expect(await dialog().getByRole('textbox', { name: 'Name', exact: true }).inputValue()).toBe('Half typed')
    await page.keyboard.press('Escape')
    await dialog().waitFor({ state: 'detached' })

    // The wizard: Back between its steps never asks; Back out of it with an amount typed does.
    await nav('Customers').click()
    await openCustomerFromList()
    await page.getByRole('button', { name: 'Balance adjustment' }).first().click()
    await dialog().getByRole('radio', { name: 'Manual payment', exact: true }).click()
    await dialog().getByRole('button', { name: 'Continue' }).click()
    await dialog()
      .getByRole('textbox', { name: /Amount/ })
      .fill('12.50')
    await page.goBack()
    await expect.poll(wizardStep).toMatch(/^Step 1 of 4/)
    expect(await leaveGuard().count()).toBe(0)
    await page.goBack()
    await leaveGuard().waitFor()
    await leaveGuard().getByRole('button', { name: 'Stay' }).click()
    await expect.poll(wizardStep).toMatch(/^Step 1 of 4/)
    await page.goForward()
    await expect.poll(wizardStep).toMatch(/^Step 2 of 4/)
    expect(
      await dialog()
        .getByRole('textbox', { name: /Amount/ })
        .inputValue()
    ).toBe('12.50')
    // The wizard's own Cancel asks its own question; Discard closes it without a second one.
    await dialog().getByRole('button', { name: 'Cancel' }).click()
    await page.getByRole('button', { name: 'Discard' }).click()
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0)
    await onCustomer(/Address info/)
    expect(hash()).toBe(`#/customers/${customer.id}`)
  })

  it('raised no page errors and no console errors (a CSP directive a <meta> ignores is one)', () => {
    expect(pageErrors).toEqual([])
    expect(consoleErrors).toEqual([])
  })
})
