/**
 * The customer form, the Change customer status dialog, customer classes and the CSV import, end
 * to end: the built UI (out/renderer) in Debian's Chromium over the loopback host, on a fresh data
 * folder with demo data. The engine runs in this process on a clock the test controls, so the
 * automatic move from Provisionally to Permanently terminated can be shown without waiting.
 * The tests run in order and build on each other (the customers they create).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { applyOverdueSuspension } from '../../src-main/engine/lifecycle'
import { FIRST_ADMIN_ACTOR } from '../../src-main/engine/operators'
import { openDemoSession, type DemoSession, type Desk } from '../support/e2e'

const DAY_MS = 24 * 60 * 60 * 1000

let session: DemoSession
let desk: Desk
let page: Page
/** The engine's clock; starts at the real time so the browser's "today" agrees with it. */
let clock = Date.now()
let pageErrors: string[]

beforeAll(async () => {
  session = await openDemoSession('customers-form', { now: () => clock })
  ;({ desk, page, pageErrors } = session)
})

afterAll(async () => {
  await session?.close()
})

const nav = (label: string) => page.locator('nav').getByRole('button', { name: label, exact: true })
const heading = (name: string) => page.getByRole('heading', { level: 1, name, exact: true })
const textbox = (name: string) => page.getByRole('textbox', { name, exact: true })
const tab = (name: RegExp) => page.getByRole('tab', { name })
const dialog = () => page.getByRole('dialog')

/** The error text Mantine shows under an input (linked through aria-describedby). */
async function errorUnder(label: string): Promise<string> {
  const input = textbox(label)
  await expect.poll(() => input.getAttribute('aria-invalid')).toBe('true')
  const ids = (await input.getAttribute('aria-describedby'))?.split(/\s+/) ?? []
  const texts = await Promise.all(ids.map((id) => page.locator(`[id="${id}"]`).innerText()))
  return texts.join(' | ')
}

/** The description (help text) under an input. */
async function descriptionOf(label: string): Promise<string> {
  const ids = (await textbox(label).getAttribute('aria-describedby'))?.split(/\s+/) ?? []
  const texts = await Promise.all(ids.map((id) => page.locator(`[id="${id}"]`).innerText()))
  return texts.join(' | ')
}

/** A Mantine Select's input (a combobox, not a plain textbox). */
const select = (label: string) => page.getByRole('combobox', { name: label, exact: true })

/** Pick an option in a Mantine Select by its visible label. */
async function choose(label: string, option: string | RegExp) {
  await select(label).click()
  await page.getByRole('option', { name: option }).first().click()
}

async function newCustomerForm() {
  await nav('Customers').click()
  await page.getByRole('button', { name: 'New customer' }).click()
  await heading('New customer').waitFor()
}

async function customerRowId(customerId: string): Promise<number> {
  const { rows } = await desk.call('customers.list', { search: customerId })
  const row = rows.find((r) => r.customerId === customerId)
  if (!row) throw new Error(`${customerId} is not in the list`)
  return row.id
}

/** Open a customer from the list by searching for its ID. */
async function openFromList(customerId: string) {
  await nav('Customers').click()
  await page.getByRole('searchbox', { name: 'Search customers' }).fill(customerId)
  const row = page.getByRole('table', { name: 'Customers' }).getByRole('row').filter({ hasText: customerId })
  await row.first().click()
  await page.getByTestId('customer-title').filter({ hasText: customerId }).waitFor()
}

async function changeStatus(option: string, button: string, note = '') {
  await page.getByRole('button', { name: 'Change status' }).first().click()
  await dialog().getByText('Change customer status').waitFor()
  await dialog().getByRole('radio', { name: option, exact: true }).click()
  if (note) await dialog().getByRole('textbox', { name: 'Note' }).fill(note)
  await dialog().getByRole('button', { name: button, exact: true }).click()
}

const statusBadge = () => page.getByTestId('customer-status')

describe('customer form, statuses, classes and import in Chromium', () => {
  it('creates a prepaid customer: no credit limit, opening available funds, currency fixed after save', async () => {
    await newCustomerForm()
    await textbox('Customer ID').fill('E2E-PRE-1')
    await page
      .locator('label')
      .filter({ hasText: /^Prepaid$/ })
      .click()
    // Prepaid customers have no credit limit; the amount is their available funds.
    await expect.poll(() => textbox('Permanent credit limit').count()).toBe(0)
    await choose('Currency', /^EUR/)
    await textbox('Available funds').fill('75.50')
    await textbox('Company name').fill('E2E Prepaid Shop')
    await page.getByRole('button', { name: 'Create customer' }).click()

    await page.getByTestId('customer-title').filter({ hasText: 'E2E-PRE-1' }).waitFor()
    expect(await statusBadge().innerText()).toBe('Active')
    // Currency: shown, read-only, with the rule spelled out.
    const currency = textbox('Currency')
    expect(await currency.inputValue()).toBe('EUR — Euro')
    expect(await currency.isEditable()).toBe(false)
    expect(await descriptionOf('Currency')).toContain('Currency cannot change after the customer is saved')
    // Available funds are read-only after creation.
    expect(await textbox('Available funds').inputValue()).toBe('75.50 EUR')
    expect(await textbox('Available funds').isEditable()).toBe(false)
    expect(await descriptionOf('Available funds')).toContain('changes only through balance adjustments')
    // Blocked is only offered at creation; Business model only after it.
    expect(await page.getByRole('checkbox', { name: 'Blocked' }).count()).toBe(0)
    expect(await textbox('Business model').inputValue()).toBe('No class')

    await tab(/^Balance & credits/).click()
    expect(await page.getByTestId('figure-funds').innerText()).toBe('75.50 EUR')
    // The wizard is reachable from the customer's Balance & credits tab.
    expect(await page.getByRole('tabpanel').getByRole('button', { name: 'Balance adjustment' }).isEnabled()).toBe(true)
  })

  it('creates a postpaid customer in a class with a credit limit and a tax override; a lower credit limit asks first', async () => {
    await newCustomerForm()
    await textbox('Customer ID').fill('E2E-POST-1')
    // A class with a currency brings it along and narrows the currency list to it.
    await choose('Customer class', /^Callshop USD/)
    expect(await select('Currency').inputValue()).toBe('USD — US dollar')
    await select('Currency').click()
    expect(await page.getByRole('option').allInnerTexts()).toEqual(['USD — US dollar'])
    await page.keyboard.press('Escape')
    expect(await descriptionOf('Permanent credit limit')).toContain('strongly recommended')
    await textbox('Permanent credit limit').fill('250')
    await textbox('Balance').fill('40')
    await tab(/^Invoices & taxation/).click()
    await textbox('Tax rate (override)').fill('8.25')
    await page.getByRole('button', { name: 'Create customer' }).click()

    await page.getByTestId('customer-title').filter({ hasText: 'E2E-POST-1' }).waitFor()
    expect(await textbox('Currency').isEditable()).toBe(false)
    expect(await textbox('Business model').inputValue()).toBe('Callshop USD')
    expect(await textbox('Permanent credit limit').inputValue()).toBe('250.00')
    expect(await textbox('Balance').inputValue()).toBe('40.00 USD')
    // The percent became exact ppm: 8.25% = 82,500 ppm.
    const id = await customerRowId('E2E-POST-1')
    expect((await desk.call('customers.get', { id })).taxRatePpmOverride).toBe(82_500)
    await tab(/^Invoices & taxation/).click()
    expect(await page.getByTestId('effective-invoicing').innerText()).toContain('tax 8.25%')

    // A credit limit below the balance (40.00) needs a confirmation.
    await textbox('Permanent credit limit').fill('30')
    await page.getByRole('button', { name: 'Save', exact: true }).click()
    await dialog().getByText('Credit limit below the current balance').waitFor()
    await dialog().getByRole('button', { name: 'Save with this limit' }).click()
    await page.getByText('Customer saved').first().waitFor()
    await tab(/^Balance & credits/).click()
    expect(await page.getByTestId('figure-credit-limit').innerText()).toBe('30.00 USD')
    expect(await page.getByTestId('figure-headroom').innerText()).toBe('-10.00 USD')
  })

  it('shows a duplicate customer ID (any case) under the Customer ID field', async () => {
    await newCustomerForm()
    await textbox('Customer ID').fill('e2e-pre-1')
    await page.getByRole('button', { name: 'Create customer' }).click()
    expect(await errorUnder('Customer ID')).toMatch(/already used/)
    expect(await heading('New customer').isVisible()).toBe(true)
  })

  it('switches to the tab that holds a field the engine refused', async () => {
    await textbox('Customer ID').fill('E2E-MAIL-1')
    await tab(/^Address info/).click()
    await textbox('Email').fill('not-an-email')
    await tab(/^Custom fields/).click()
    await page.getByRole('button', { name: 'Create customer' }).click()
    await expect.poll(() => tab(/^Address info/).getAttribute('aria-selected')).toBe('true')
    expect(await errorUnder('Email')).toContain('valid e-mail')
    await page.getByRole('button', { name: 'Cancel' }).click()
    await heading('Customers').waitFor()
  })

  it('blocks a customer and unblocks it again; both are in the status history', async () => {
    await openFromList('E2E-POST-1')
    await changeStatus('Blocked', 'Block customer', 'Card declined')
    await statusBadge().filter({ hasText: 'Blocked' }).waitFor()
    await changeStatus('Unblock', 'Unblock customer')
    await statusBadge().filter({ hasText: 'Active' }).waitFor()
    await tab(/^Life cycle/).click()
    const history = page.getByRole('table', { name: 'Status history' })
    expect(await history.getByRole('row').filter({ hasText: 'Card declined' }).innerText()).toContain('Blocked')
    expect(await history.locator('tbody tr').count()).toBe(3) // created, blocked, unblocked
  })

  it('marks a customer Exported and clears it back to Active', async () => {
    await changeStatus('Exported', 'Mark as exported')
    await statusBadge().filter({ hasText: 'Exported' }).waitFor()
    await changeStatus('Clear Exported', 'Clear Exported')
    await statusBadge().filter({ hasText: 'Active' }).waitFor()
  })

  it('adds an account, defines a custom field and saves its value', async () => {
    await tab(/^Accounts/).click()
    await textbox('Account ID').fill('BOOTH-E2E-1')
    await page.getByRole('button', { name: 'Add account' }).click()
    await page.getByRole('table', { name: 'Accounts' }).getByRole('row').filter({ hasText: 'BOOTH-E2E-1' }).waitFor()
    expect(await tab(/^Accounts/).innerText()).toContain('(1)')

    await tab(/^Custom fields/).click()
    await textbox('Field name').fill('Contract number')
    await page.getByRole('button', { name: 'Add field' }).click()
    await textbox('Contract number').fill('C-2026-17')
    await page.getByRole('button', { name: 'Save', exact: true }).click()
    await page.getByText('Customer saved').first().waitFor()
    const saved = await desk.call('customers.get', { id: await customerRowId('E2E-POST-1') })
    expect(saved.accounts.map((a) => a.accountId)).toEqual(['BOOTH-E2E-1'])
    expect(saved.customFields.find((f) => f.name === 'Contract number')?.value).toBe('C-2026-17')
  })

  it('lifts an overdue suspension until a chosen day and shows that same day on the Life cycle tab', async () => {
    const id = await customerRowId('E2E-POST-1')
    // Suspended is set only by the overdue-invoice rule; stand in for it.
    desk.app.core.engine.change(FIRST_ADMIN_ACTOR, (w) => applyOverdueSuspension(w, id, true, 'Invoice overdue (test)'))
    await openFromList('E2E-POST-1')
    await statusBadge().filter({ hasText: 'Suspended' }).waitFor()
    const d = new Date(clock)
    d.setDate(d.getDate() + 7)
    const chosen = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`
    await page.getByRole('button', { name: 'Change status' }).first().click()
    await dialog().getByRole('radio', { name: 'Lift the suspension until a date', exact: true }).click()
    await dialog().getByRole('textbox', { name: 'Lift the suspension until' }).fill(chosen)
    await dialog().getByRole('textbox', { name: 'Note' }).click() // leaves the date field, which parses it
    await dialog().getByRole('button', { name: 'Lift suspension', exact: true }).click()
    await statusBadge().filter({ hasText: 'Active' }).waitFor()
    await tab(/^Life cycle/).click()
    // The last day the lift covers, as chosen — not the calendar date of the instant it ends.
    expect(await page.getByTestId('date-lifted-until').innerText()).toBe(chosen)
  })

  it('provisionally terminates a customer, then the scheduler terminates it permanently once the reactivation period passed', async () => {
    await openFromList('E2E-PRE-1')
    await page.getByRole('button', { name: 'Change status' }).first().click()
    // The dialog says which deadline the customer will get (no class: the default 30 days).
    expect(await dialog().getByTestId('reactivation-preview').innerText()).toContain('30 days')
    await dialog().getByRole('radio', { name: 'Provisionally terminated', exact: true }).click()
    await dialog().getByRole('button', { name: 'Provisionally terminate', exact: true }).click()
    await statusBadge().filter({ hasText: 'Provisionally terminated' }).waitFor()
    await tab(/^Life cycle/).click()
    expect(await page.getByTestId('date-reactivation-deadline').innerText()).not.toBe('—')

    // 31 days later the period is over; the scheduler's task moves the customer on.
    clock += 31 * DAY_MS
    expect(desk.app.core.runLifecycleTasks()).toBeGreaterThanOrEqual(1)

    await page.reload()
    await heading('Customers').waitFor()
    // Permanently terminated customers are listed only under their status filter.
    await select('Status').click()
    await page.getByRole('option', { name: 'Permanently terminated' }).click()
    await page.keyboard.press('Escape')
    await page.getByRole('searchbox', { name: 'Search customers' }).fill('E2E-PRE-1')
    await page.getByRole('table', { name: 'Customers' }).getByRole('row').filter({ hasText: 'E2E-PRE-1' }).first().click()
    await statusBadge().filter({ hasText: 'Permanently terminated' }).waitFor()
    await tab(/^Life cycle/).click()
    expect(await page.getByTestId('date-terminated').innerText()).not.toBe('—')
    const history = page.getByRole('table', { name: 'Status history' })
    const rows = await history.locator('tbody tr').allInnerTexts()
    expect(rows[0]).toContain('Permanently terminated') // newest first
    expect(rows[1]).toContain('Provisionally terminated')
    // Final: the dialog offers nothing more.
    await page.getByRole('button', { name: 'Change status' }).first().click()
    await dialog().getByText('Permanently terminated is final').waitFor()
    await dialog().getByRole('button', { name: 'Cancel' }).click()
  })

  it('warns how many customers a class change affects, and saves it', async () => {
    await nav('Customer classes').click()
    await heading('Customer classes').waitFor()
    const table = page.getByRole('table', { name: 'Customer classes' })
    const row = table.getByRole('row').filter({ hasText: 'Callshop USD' })
    const count = Number((await row.locator('td').nth(8).innerText()).trim())
    expect(count).toBeGreaterThan(0)
    await row.getByRole('button', { name: 'Edit Callshop USD' }).click()
    expect(await dialog().getByTestId('class-usage-warning').innerText()).toBe(`${count} customers use this class; changes apply to all of them.`)
    await dialog().getByRole('textbox', { name: 'Tax rate' }).fill('23.5')
    await dialog().getByRole('button', { name: 'Save class' }).click()
    await page.getByText('Customer class saved').first().waitFor()
    await expect.poll(() => row.innerText()).toContain('23.5%')
  })

  it('previews a CSV import with a bad row by line and field, and imports only the valid rows', async () => {
    // A fresh page: the list forgets the Permanently terminated filter chosen above.
    await page.reload()
    await heading('Customers').waitFor()
    await page.getByRole('button', { name: 'Import from CSV' }).click()
    const csv = [
      'customer_id,company_name,balance_control,currency,class,credit_limit,opening_balance,blocked',
      'E2E-IMP-1,Imported One,postpaid,USD,,100,0,no',
      'E2E-IMP-2,Imported Two,sometimes,USD,,,,no'
    ].join('\n')
    await dialog()
      .locator('input[type=file]')
      .setInputFiles({ name: 'customers.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) })
    const problems = dialog().getByRole('table', { name: 'Import problems' })
    await problems.waitFor()
    const problem = await problems.locator('tbody tr').first().innerText()
    expect(problem).toMatch(/^3\s+balance_control\s+/)
    expect(await dialog().getByTestId('import-valid').innerText()).toBe('1')
    expect(await dialog().getByRole('button', { name: 'Import all' }).isDisabled()).toBe(true)
    await dialog().getByRole('button', { name: 'Import only the 1 valid row' }).click()
    await page.getByText('Customers imported').first().waitFor()
    await page.getByRole('searchbox', { name: 'Search customers' }).fill('E2E-IMP')
    const rows = page.getByRole('table', { name: 'Customers' }).getByRole('row').filter({ hasText: 'E2E-IMP' })
    await rows.first().waitFor()
    expect(await rows.count()).toBe(1)
    expect(await rows.first().innerText()).toContain('E2E-IMP-1')
  })

  it('raised no uncaught errors in the page', () => {
    expect(pageErrors).toEqual([])
  })
})
