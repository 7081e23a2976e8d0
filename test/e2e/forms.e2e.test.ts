/**
 * Forms judged by the contract's schemas, and the wizard's details, in Chromium at the counter
 * laptop's 1366x768: what was typed is refused under its field (never clamped or dropped), fields
 * belong to the operation that asked for them, Escape in the date picker closes only the picker.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Locator, Page } from 'playwright-core'
import { openDemoSession, type DemoSession, type Desk } from '../support/e2e'

let session: DemoSession
let desk: Desk
let page: Page
let pageErrors: string[]

beforeAll(async () => {
  session = await openDemoSession('forms', { viewport: { width: 1366, height: 768 } })
  ;({ desk, page, pageErrors } = session)
})

afterAll(async () => {
  await session?.close()
})

const dialog = () => page.getByRole('dialog')
const nav = (label: string) => page.locator('nav').getByRole('button', { name: label, exact: true })
const heading = (name: string) => page.getByRole('heading', { level: 1, name, exact: true })

/** The error text Mantine shows under an input (linked through aria-describedby), '' when none. */
async function errorUnder(input: Locator): Promise<string> {
  if ((await input.getAttribute('aria-invalid')) !== 'true') return ''
  const ids = (await input.getAttribute('aria-describedby'))?.split(/\s+/) ?? []
  const texts = await Promise.all(
    ids.map((id) =>
      page
        .locator(`[id="${id}-error"], [id="${id}"]`)
        .first()
        .innerText()
        .catch(() => '')
    )
  )
  return texts.join(' | ')
}

async function openWizard(customerId: string) {
  await nav('Customers').click()
  await page.getByRole('searchbox', { name: 'Search customers' }).fill(customerId)
  await page.getByRole('button', { name: `Balance adjustment for ${customerId}`, exact: true }).click()
  await dialog().getByRole('radiogroup', { name: 'Operation type' }).waitFor()
}

describe('forms refuse what they cannot keep, under the field', () => {
  it('refuses a billing day of 31 and due days of -3 instead of saving 28 and 3', async () => {
    const before = await desk.call('classes.list', {})
    await nav('Customer classes').click()
    await heading('Customer classes').waitFor()
    await page.getByRole('button', { name: 'New class' }).click()
    await dialog().getByRole('textbox', { name: 'Name' }).fill('Coercion check')
    const day = dialog().getByRole('textbox', { name: 'Billing day of the month' })
    await day.fill('31')
    const due = dialog().getByRole('textbox', { name: 'Invoice due days' })
    await due.fill('-3')
    await dialog().getByRole('button', { name: 'Create class' }).click()
    await expect.poll(() => errorUnder(day)).toContain('Billing day is 1-28 (monthly) or 1-7 (weekly).')
    expect(await day.inputValue()).toBe('31')
    expect(await due.inputValue()).toBe('-3')
    expect(await errorUnder(due)).toContain('Due days cannot be negative.')
    expect((await desk.call('classes.list', {})).length).toBe(before.length)
    await dialog().getByRole('button', { name: 'Cancel' }).click()
    await dialog().waitFor({ state: 'detached' })
  })

  it('refuses an authorization period of -3 or "abc" instead of saving 3 or 7', async () => {
    await nav('Settings').click()
    await heading('Settings').waitFor()
    const days = page.getByRole('textbox', { name: 'Card authorizations expire after (days)' })
    await days.fill('-3')
    await page.getByRole('button', { name: 'Save', exact: true }).click()
    await expect.poll(() => errorUnder(days)).toContain('At least 1 day.')
    expect(await days.inputValue()).toBe('-3')
    await days.fill('abc')
    expect(await days.inputValue()).toBe('abc')
    await page.getByRole('button', { name: 'Save', exact: true }).click()
    await expect.poll(() => errorUnder(days)).toContain('Enter a whole number.')
    expect(await page.getByText('Settings saved').count()).toBe(0)
    expect((await desk.call('settings.get', {})).cardAuthorizationDays).toBe(7)
    await page.getByRole('button', { name: 'Discard changes' }).click()
  })
})

describe('the customer form', () => {
  const textbox = (name: string) => page.getByRole('textbox', { name, exact: true })

  it('warns in words when a new customer would start over its credit limit, and asks before creating it', async () => {
    await nav('Customers').click()
    await page.getByRole('button', { name: 'New customer' }).click()
    await heading('New customer').waitFor()
    await textbox('Customer ID').fill('E2E-OVER-1')
    await textbox('Permanent credit limit').fill('1000')
    await textbox('Balance').fill('1500')
    const warning = page.getByTestId('opening-over-limit')
    await warning.waitFor()
    expect(await warning.innerText()).toContain('over the credit limit 1,000.00 by 500.00')
    await page.getByRole('button', { name: 'Create customer' }).click()
    await dialog().getByText('Opening balance over the credit limit').waitFor()
    await dialog().getByRole('button', { name: 'Cancel' }).click()
    expect((await desk.call('customers.list', { search: 'E2E-OVER-1' })).rows.length).toBe(0)
    await page.getByRole('button', { name: 'Create customer' }).click()
    await dialog().getByRole('button', { name: 'Create over the limit' }).click()
    await page.getByTestId('customer-title').filter({ hasText: 'E2E-OVER-1' }).waitFor()
    // One way to write the credit limit: grouped, as the list shows it.
    expect(await textbox('Permanent credit limit').inputValue()).toBe('1,000.00')
  })

  it('refuses due days of -3 under the field on the Invoices tab, as the main process would', async () => {
    await page.getByRole('tab', { name: /Invoices & taxation/ }).click()
    const due = textbox('Invoice due days (override)')
    await due.fill('-3')
    await page.getByRole('button', { name: 'Save', exact: true }).click()
    await expect.poll(() => errorUnder(due)).toContain('Due days cannot be negative.')
    expect(await due.inputValue()).toBe('-3')
    await due.fill('abc')
    await page.getByRole('button', { name: 'Save', exact: true }).click()
    await expect.poll(() => errorUnder(due)).toContain('Enter a whole number.')
    await due.fill('')
  })
})

describe('words on the list and the customer page', () => {
  const count = () => page.getByTestId('customer-count')
  const search = () => page.getByRole('searchbox', { name: 'Search customers' })

  it('says "1 match" and "0 matches", and Clear filters leaves the search alone', async () => {
    await nav('Customers').click()
    await search().fill('easycall')
    await count()
      .filter({ hasText: /^1 match “easycall”$/ })
      .waitFor()
    await search().fill('no-such-customer-zz')
    await count()
      .filter({ hasText: /^0 matches “no-such-customer-zz”$/ })
      .waitFor()
    await search().fill('easycall')
    await page.getByRole('group', { name: 'Filters' }).getByLabel('Status').click()
    await page.getByRole('option', { name: 'Active', exact: true }).click()
    await page.keyboard.press('Escape')
    await count().filter({ hasText: 'with the filters' }).waitFor()
    await page.getByRole('button', { name: 'Clear filters' }).first().click()
    await count()
      .filter({ hasText: /^1 match “easycall”$/ })
      .waitFor()
    expect(await search().inputValue()).toBe('easycall')
    await search().fill('')
  })

  it('labels a postpaid balance below zero "In credit", in words', async () => {
    const { rows } = await desk.call('customers.list', { filters: { balanceControl: 'postpaid' }, sort: { key: 'balance', dir: 'asc' }, limit: 1 })
    const c = rows[0]!
    expect(c.balanceMinor).toBeLessThan(0) // the demo data has a postpaid customer in credit
    await search().fill(c.customerId)
    await page.getByRole('table', { name: 'Customers' }).getByRole('row').filter({ hasText: c.customerId }).first().click()
    await page.getByTestId('customer-title').filter({ hasText: c.customerId }).waitFor()
    await page.getByRole('tab', { name: /Balance/ }).click()
    const figure = page.getByTestId('figure-balance-card')
    const text = await figure.innerText()
    expect(text).toContain('IN CREDIT')
    expect(text).toContain('The customer is in credit by')
    expect(text).not.toContain('What the customer owes now')
  })
})

describe('the wizard keeps each operation’s fields to itself', () => {
  it('drops a Manual credit’s visible comment when the operation becomes a Manual payment', async () => {
    await openWizard('easycall')
    await dialog().getByRole('radio', { name: 'Manual credit', exact: true }).click()
    await dialog().getByRole('button', { name: 'Continue', exact: true }).click()
    await dialog().getByRole('textbox', { name: 'Visible comment' }).fill('Goodwill for the outage')
    await dialog().getByRole('button', { name: 'Back', exact: true }).click()
    await dialog().getByRole('radio', { name: 'Manual payment', exact: true }).click()
    await dialog().getByRole('button', { name: 'Continue', exact: true }).click()
    expect(await dialog().getByRole('textbox', { name: 'Visible comment' }).inputValue()).toBe('')
    await dialog().getByRole('textbox', { name: 'Amount', exact: true }).fill('5')
    await dialog().getByRole('button', { name: 'Continue', exact: true }).click()
    await dialog().getByRole('button', { name: 'Finish', exact: true }).waitFor()
    expect(await dialog().innerText()).not.toContain('Goodwill for the outage')
  })

  it('closes only the date picker on Escape, without asking to discard the adjustment', async () => {
    await dialog().getByRole('button', { name: 'Back', exact: true }).click()
    await dialog().getByRole('button', { name: 'Back', exact: true }).click()
    await dialog().getByRole('radio', { name: 'Manual charge', exact: true }).click()
    await dialog().getByRole('button', { name: 'Continue', exact: true }).click()
    await dialog().getByRole('textbox', { name: 'Amount', exact: true }).fill('12')
    await dialog().locator('#adj-date').click()
    const picker = page.locator('[data-dates-dropdown]')
    await picker.waitFor()
    await page.keyboard.press('Escape')
    await picker.waitFor({ state: 'hidden' })
    expect(await page.getByRole('alertdialog', { name: 'Discard this adjustment?' }).count()).toBe(0)
    expect(await dialog().getByRole('textbox', { name: 'Amount', exact: true }).inputValue()).toBe('12')
    // A second Escape is the wizard's: now it asks.
    await page.keyboard.press('Escape')
    await page.getByRole('alertdialog', { name: 'Discard this adjustment?' }).waitFor()
    await page.getByRole('button', { name: 'Discard', exact: true }).click()
    await dialog().waitFor({ state: 'detached' })
    expect(pageErrors).toEqual([])
  })
})
