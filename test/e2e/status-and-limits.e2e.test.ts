/**
 * What a customer's status allows, and the amount limit, as the wizard shows them: the built UI in
 * Chromium over the loopback host with the demo data. A permanently terminated customer's wizard
 * offers only the two payments (the rest disabled, with the reason) and takes at most what the
 * customer still owes; its form is read-only. An amount over the maximum per operation is refused
 * under the Amount field, naming the limit, before the Summary.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { openDemoSession, type DemoSession, type Desk } from '../support/e2e'

let session: DemoSession
let desk: Desk
let page: Page

beforeAll(async () => {
  session = await openDemoSession('status-limits')
  ;({ desk, page } = session)
  // The smallest screen the desk is used on: nothing may be covered or off-screen.
  await page.setViewportSize({ width: 1366, height: 768 })
})
afterAll(async () => {
  await session?.close()
})

const dialog = () => page.getByRole('dialog')
const radio = (name: string) => dialog().getByRole('radio', { name, exact: true })
const button = (name: string) => dialog().getByRole('button', { name, exact: true })
const amountBox = () => dialog().getByRole('textbox', { name: 'Amount', exact: true })

async function errorUnderAmount(): Promise<string> {
  await expect.poll(() => amountBox().getAttribute('aria-invalid')).toBe('true')
  const ids = (await amountBox().getAttribute('aria-describedby'))?.split(/\s+/) ?? []
  const texts = await Promise.all(ids.map((id) => page.locator(`[id="${id}"]`).innerText()))
  return texts.join(' | ')
}

/** Show one customer in the list (permanently terminated ones appear only under their filter). */
async function findInList(customerId: string, terminated: boolean) {
  await page.reload()
  // A reload keeps the screen it was on; the list is one click away.
  await page.locator('nav').getByRole('button', { name: 'Customers', exact: true }).click()
  await page.getByRole('heading', { level: 1, name: 'Customers', exact: true }).waitFor()
  if (terminated) {
    await page.getByRole('combobox', { name: 'Status', exact: true }).click()
    await page.getByRole('option', { name: 'Permanently terminated' }).click()
    await page.keyboard.press('Escape')
  }
  await page.getByRole('searchbox', { name: 'Search customers' }).fill(customerId)
  await page
    .getByTestId('customer-count')
    .filter({ hasText: `1 match “${customerId}”` })
    .waitFor()
}

const ALL = [
  'Manual charge',
  'Manual credit',
  'Manual payment',
  'Promotional credit',
  'Refund',
  'E-commerce payment',
  'E-commerce refund',
  'Authorization only',
  'Capture payment',
  'Void'
]

describe('customer status and amount limits in the wizard', () => {
  it('a permanently terminated customer is offered only payments, up to what it still owes', async () => {
    const c = await desk.call('customers.create', {
      customerId: 'E2E-FINAL',
      companyName: 'Final Bill Ltd',
      balanceControl: 'postpaid',
      currency: 'USD',
      classId: null,
      creditLimit: '100',
      openingBalance: '70.00'
    })
    await desk.call('customers.changeStatus', { id: c.id, action: 'permanently-terminate' })
    await findInList('E2E-FINAL', true)
    await page.getByRole('button', { name: 'Balance adjustment for E2E-FINAL', exact: true }).click()
    await dialog().getByRole('radiogroup', { name: 'Operation type' }).waitFor()

    expect(await dialog().getByTestId('adj-customer-status').innerText()).toBe('Permanently terminated')
    expect(await dialog().getByTestId('adj-status-notice').innerText()).toContain('at most 70.00 USD')
    const offered: string[] = []
    for (const name of ALL) if ((await radio(name).getAttribute('aria-disabled')) !== 'true') offered.push(name)
    expect(offered).toEqual(['Manual payment', 'E-commerce payment'])
    expect(await radio('Manual charge').innerText()).toContain('Not available: the customer is permanently terminated.')
    await page.screenshot({ path: '/tmp/status-limits-terminated.png' })

    // A disabled operation cannot be chosen.
    await radio('Manual charge').click({ force: true })
    expect(await radio('Manual charge').getAttribute('aria-checked')).toBe('false')
    expect(await button('Continue').isDisabled()).toBe(true)

    await radio('Manual payment').click()
    await button('Continue').click()
    await amountBox().fill('70.01')
    await button('Continue').click()
    expect(await errorUnderAmount()).toContain('A permanently terminated customer pays at most what it still owes, 70.00 USD, to settle the final invoice.')
    expect(await button('Finish').count()).toBe(0) // still before the Summary

    await amountBox().fill('70.00')
    await button('Continue').click()
    await button('Finish').click()
    await button('Close').click()
    await dialog().waitFor({ state: 'detached' })
    expect((await desk.call('customers.get', { id: c.id })).balanceMinor).toBe(0)

    // Its form is read-only.
    await page.getByRole('table', { name: 'Customers' }).getByRole('row').filter({ hasText: 'E2E-FINAL' }).first().click()
    await page.getByTestId('customer-read-only').waitFor()
    expect(await page.getByTestId('customer-read-only').innerText()).toContain('permanently terminated: its details cannot be edited')
    expect(await page.getByRole('textbox', { name: 'Company name' }).isDisabled()).toBe(true)
    expect(await page.getByTestId('save-bar').getByRole('button', { name: 'Save', exact: true }).isDisabled()).toBe(true)
    await page.screenshot({ path: '/tmp/status-limits-form.png' })
  })

  it('an exported customer is offered nothing until the mark is cleared', async () => {
    const c = await desk.call('customers.create', {
      customerId: 'E2E-EXPORTED',
      companyName: '',
      balanceControl: 'prepaid',
      currency: 'USD',
      classId: null,
      creditLimit: null,
      openingBalance: '5'
    })
    await desk.call('customers.changeStatus', { id: c.id, action: 'export' })
    await findInList('E2E-EXPORTED', false)
    await page.getByRole('button', { name: 'Balance adjustment for E2E-EXPORTED', exact: true }).click()
    await dialog().getByRole('radiogroup', { name: 'Operation type' }).waitFor()
    expect(await dialog().getByTestId('adj-status-notice').innerText()).toContain('exported')
    for (const name of ALL) expect(await radio(name).getAttribute('aria-disabled'), name).toBe('true')
    await page.screenshot({ path: '/tmp/status-limits-exported.png' })
    await button('Cancel').click()
    await dialog().waitFor({ state: 'detached' })
  })

  it('refuses an amount over the maximum per operation under the Amount field, naming the limit, before the Summary', async () => {
    await desk.call('customers.create', { customerId: 'E2E-BIG', companyName: '', balanceControl: 'postpaid', currency: 'USD', classId: null, creditLimit: null })
    await findInList('E2E-BIG', false)
    await page.getByRole('button', { name: 'Balance adjustment for E2E-BIG', exact: true }).click()
    await radio('Manual payment').click()
    await button('Continue').click()
    for (const amount of ['90,000,000,000,000.00', '90071992547409.91']) {
      await amountBox().fill(amount)
      await button('Continue').click()
      expect(await errorUnderAmount()).toContain('One operation can move at most 1,000,000.00 USD (the maximum amount per operation, in Settings).')
      expect(await button('Finish').count()).toBe(0)
    }
    await page.screenshot({ path: '/tmp/status-limits-amount.png' })
    await button('Cancel').click()
    await button('Discard').click()
    await dialog().waitFor({ state: 'detached' })
  })

  it('the Settings page changes the maximum amount per operation', async () => {
    await page.locator('nav').getByRole('button', { name: 'Settings', exact: true }).click()
    const box = page.getByRole('textbox', { name: 'Maximum amount per operation' })
    await box.waitFor()
    expect(await box.inputValue()).toBe('1,000,000')
    await box.fill('250000')
    await page.getByRole('button', { name: 'Save', exact: true }).first().click()
    await expect.poll(async () => (await desk.call('settings.get', {})).maxOperationAmount).toBe(250_000)
    await page.screenshot({ path: '/tmp/status-limits-settings.png', fullPage: false })
  })
})
