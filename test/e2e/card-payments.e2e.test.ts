/**
 * Card operations in the Balance adjustment wizard, end to end: the built UI (out/renderer) in
 * Debian's Chromium over the loopback host, the real engine and the built-in test gateway in this
 * process, on a clock the test moves. An authorization captured for less than authorized, a void of
 * another one, an over-capture refused under Amount, a declined card (the issuer's reason under Card
 * number, then the same wizard succeeding with another card), a time-out shown as pending (then settled from the wizard's own "check now"), and an
 * authorization refused on capture once it has expired (the clock moves 8 days). Capture, Void and
 * E-commerce refund are offered only when there is something to act on, which is picked from a list;
 * declined and pending attempts show on the customer's Balance & credits tab. The tests run in
 * order and build on each other.
 */
import fs from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Locator, Page, Request } from 'playwright-core'
import type { CustomerRow } from '../../src-shared/domain'
import { formatAmount } from '../../src-shared/format'
import { openDemoSession, type DemoSession, type Desk } from '../support/e2e'
import { pdfTextOf } from '../support/pdfText'

const DAY = 86_400_000
let clock = Date.now()
let session: DemoSession
let desk: Desk
let page: Page
let pageErrors: string[]

beforeAll(async () => {
  session = await openDemoSession('card-payments', { now: () => clock, acceptDownloads: true })
  ;({ desk, page, pageErrors } = session)
})

afterAll(async () => {
  await session?.close()
})

const usd = (minor: number) => formatAmount(minor, 'USD')
const dialog = () => page.getByRole('dialog')
const box = (name: string) => dialog().getByRole('textbox', { name, exact: true })
const amountBox = () => box('Amount')
const cardBox = () => box('Card number')
const expiryBox = () => box('Expiry (MM/YY)')
const txBox = () => box('Transaction ID')
const radio = (name: string) => dialog().getByRole('radio', { name, exact: true })
const button = (name: string) => dialog().getByRole('button', { name, exact: true })

async function customer(customerId = 'easycall'): Promise<CustomerRow> {
  const { rows } = await desk.call('customers.list', { search: customerId })
  const row = rows.find((r) => r.customerId === customerId)
  if (!row) throw new Error(`${customerId} is not in the list`)
  return row
}

const newestAudit = async () => (await desk.call('audit.list', { limit: 1 }))[0]?.id ?? 0

/** The error text Mantine shows under an input (linked through aria-describedby). */
async function errorUnder(input: Locator): Promise<string> {
  await expect.poll(() => input.getAttribute('aria-invalid')).toBe('true')
  const ids = (await input.getAttribute('aria-describedby'))?.split(/\s+/) ?? []
  const texts = await Promise.all(ids.map((id) => page.locator(`[id="${id}"]`).innerText()))
  return texts.join(' | ')
}

/** Open the wizard from the customer list's row action and choose an operation type. */
async function openWizard(operation: string, customerId = 'easycall') {
  await page.locator('nav').getByRole('button', { name: 'Customers', exact: true }).click()
  await page.getByRole('searchbox', { name: 'Search customers' }).fill(customerId)
  await page
    .getByTestId('customer-count')
    .filter({ hasText: `1 match “${customerId}”` })
    .waitFor()
  await page.getByRole('button', { name: `Balance adjustment for ${customerId}`, exact: true }).click()
  await dialog().getByRole('radiogroup', { name: 'Operation type' }).waitFor()
  await radio(operation).click()
  await button('Continue').click()
}

/** The customer's page, Balance & credits tab (where card activity is listed). */
async function openBalanceTab(customerId = 'easycall') {
  await page.locator('nav').getByRole('button', { name: 'Customers', exact: true }).click()
  await page.getByRole('searchbox', { name: 'Search customers' }).fill(customerId)
  await page
    .getByTestId('customer-count')
    .filter({ hasText: `1 match “${customerId}”` })
    .waitFor()
  await page.locator('tbody tr:not([data-loading])').filter({ hasText: customerId }).first().click()
  await page.getByTestId('customer-title').filter({ hasText: customerId }).waitFor()
  await page.getByRole('tab', { name: /^Balance & credits/ }).click()
  await page.getByTestId('card-activity').waitFor()
}

async function closeWizard() {
  await button('Close').click()
  await dialog().waitFor({ state: 'detached' })
}

/** Authorize `amount` on a card through the wizard; returns the transaction ID the result shows. */
async function authorizeInWizard(amount: string, card: string): Promise<string> {
  await openWizard('Authorization only')
  await amountBox().fill(amount)
  await cardBox().fill(card)
  await expiryBox().fill('12/30')
  await button('Continue').click()
  await button('Finish').click()
  await dialog().getByTestId('adj-result').waitFor()
  const id = await dialog().getByTestId('adj-result-transaction').innerText()
  expect(id).toMatch(/^auth_\d+$/)
  return id
}

describe('card operations in the balance adjustment wizard', () => {
  let authorized = ''

  it('offers Capture, Void and E-commerce refund only once there is an open authorization or a refundable card payment', async () => {
    await openWizard('Authorization only')
    await button('Back').click()
    for (const name of ['Capture payment', 'Void', 'E-commerce refund']) expect(await radio(name).getAttribute('aria-disabled')).toBe('true')
    expect(await dialog().getByTestId('adj-op-capture-reason').innerText()).toContain('no open authorization')
    expect(await dialog().getByTestId('adj-op-ecommerce-refund-reason').innerText()).toContain('no card payment with anything left to refund')
    await page.setViewportSize({ width: 1366, height: 768 })
    await page.screenshot({ path: '.test-output/card-operation-step-1366.png' })
    await page.setViewportSize({ width: 1360, height: 900 })
    // Clicking one does not choose it.
    await radio('Capture payment').click({ force: true })
    expect(await radio('Capture payment').getAttribute('aria-checked')).toBe('false')
    expect(await radio('Authorization only').getAttribute('aria-checked')).toBe('true')
    await page.keyboard.press('Escape')
    await dialog().waitFor({ state: 'detached' })
  })

  it('authorizes 80.00 on a Visa test card: the balance does not move, the result shows the card, transaction ID and expiry', async () => {
    const before = await customer()
    await openWizard('Authorization only')

    // Card number (typed as digits: shown in groups of four) and expiry ("1230" becomes 12/30).
    await amountBox().waitFor()
    expect(await cardBox().getAttribute('autocomplete')).toBe('cc-number')
    expect(await cardBox().getAttribute('inputmode')).toBe('numeric')
    expect(await box('Transaction ID').count()).toBe(0)
    expect(await button('Continue').isDisabled()).toBe(true)
    await amountBox().fill('80')
    await cardBox().pressSequentially('4242424242424242')
    expect(await cardBox().inputValue()).toBe('4242 4242 4242 4242')
    expect(await button('Continue').isDisabled()).toBe(true) // no expiry yet
    await expiryBox().pressSequentially('1230')
    expect(await expiryBox().inputValue()).toBe('12/30')
    // The test cards are folded away until asked for.
    const hint = dialog().getByTestId('adj-test-cards')
    expect(await hint.getByRole('button', { name: /^Use test card 4242 4242 4242 4242/ }).isVisible()).toBe(false)
    await hint.getByText('Test cards', { exact: true }).click()
    expect(await hint.innerText()).toContain('decline: insufficient funds')
    await button('Continue').click()

    // Summary: nothing moves; only the last four digits are shown.
    await button('Finish').waitFor()
    expect(await dialog().getByTestId('adj-impact-balance').getByTestId('change').innerText()).toBe('no change')
    expect(await dialog().getByTestId('adj-summary-card').innerText()).toBe('•••• 4242, expires 12/30')
    expect(await dialog().innerText()).not.toContain('4242 4242')
    await button('Finish').click()

    const result = dialog().getByTestId('adj-result')
    await result.waitFor()
    authorized = await dialog().getByTestId('adj-result-transaction').innerText()
    expect(authorized).toMatch(/^auth_\d+$/)
    expect(await dialog().getByTestId('adj-result-card').innerText()).toBe('Visa •••• 4242')
    expect(await dialog().getByTestId('adj-result-expires').innerText()).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/)
    expect(await dialog().getByTestId('adj-result-hint').innerText()).toContain(`${authorized}: it is needed to capture or void this authorization`)
    expect(await dialog().getByTestId('adj-result-balance').innerText()).toBe(`${usd(before.balanceMinor)} USD`)

    // The receipt PDF carries the card, the ID and the expiry too.
    const download = page.waitForEvent('download')
    await button('Save receipt').click()
    const saved = await download
    const receipt = (await pdfTextOf(new Uint8Array(fs.readFileSync((await saved.path())!)))).replace(/\s+/g, ' ')
    for (const part of ['Authorization only', 'Visa •••• 4242', authorized, 'Authorization expires', 'capture or void']) expect(receipt).toContain(part)
    expect(receipt).not.toContain('4242 4242')
    await closeWizard()

    const after = await customer()
    expect(after.balanceMinor).toBe(before.balanceMinor)
    expect(after.unallocatedPaymentsMinor).toBe(before.unallocatedPaymentsMinor)
  })

  it('captures 50.00 of the 80.00 authorization: over the authorized amount is refused under Amount, then the balance moves by 50.00', async () => {
    const before = await customer()
    await openWizard('Capture payment')
    // The transaction ID comes first and has the cursor.
    await txBox().waitFor()
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('adj-transactionId')
    expect(await box('Card number').count()).toBe(0)
    // The open authorization is listed with its card, amount and expiry; choosing it fills in the
    // transaction ID and the authorized amount.
    const picker = dialog().getByRole('radiogroup', { name: 'Open authorizations' })
    const choice = picker.getByRole('radio', { name: new RegExp(`^${authorized}, Visa •••• 4242, 80.00 USD authorized`) })
    await choice.waitFor()
    expect(await picker.innerText()).toMatch(/expires \d{4}-\d{2}-\d{2} \d{2}:\d{2}/)
    await page.setViewportSize({ width: 1366, height: 768 })
    await choice.click()
    expect(await choice.getAttribute('aria-checked')).toBe('true')
    expect(await txBox().inputValue()).toBe(authorized)
    expect(await amountBox().inputValue()).toBe('80.00')
    await page.screenshot({ path: '.test-output/card-capture-details-1366.png' })
    await page.setViewportSize({ width: 1360, height: 900 })
    await amountBox().fill('90')
    await button('Continue').click()
    expect(await errorUnder(amountBox())).toContain(`at most the authorized ${usd(8_000)}`)
    expect(await button('Finish').count()).toBe(0)

    await amountBox().fill('50')
    await button('Continue').click()
    await button('Finish').waitFor()
    expect(await dialog().getByTestId('adj-impact-balance').getByTestId('change').innerText()).toBe('-50.00')
    expect(await dialog().innerText()).toContain(authorized)
    await button('Finish').click()
    await dialog().getByTestId('adj-result').waitFor()
    expect(await dialog().getByTestId('adj-result-card').innerText()).toBe('Visa •••• 4242')
    expect(await dialog().getByTestId('adj-result-transaction').innerText()).toBe(authorized)
    expect(await dialog().getByTestId('adj-result-xdr').innerText()).toMatch(/^\d+$/)
    await closeWizard()

    const after = await customer()
    expect(after.balanceMinor).toBe(before.balanceMinor - 5_000)
    expect(after.unallocatedPaymentsMinor).toBe(before.unallocatedPaymentsMinor + 5_000)
    expect((await desk.call('ledger.check', {})).ok).toBe(true)
  })

  it('voids another authorization: no amount is asked, the whole 30.00 is released and the balance does not move', async () => {
    const second = await authorizeInWizard('30', '5555 5555 5555 4444')
    expect(await dialog().getByTestId('adj-result-card').innerText()).toBe('Mastercard •••• 4444')
    await closeWizard()
    const before = await customer()

    await openWizard('Void')
    await txBox().waitFor()
    expect(await amountBox().count()).toBe(0)
    await txBox().fill(second)
    const sent: string[] = []
    const onRequest = (r: Request) => {
      if (r.url().endsWith('/ipc/adjustments.preview')) sent.push((JSON.parse(r.postData() ?? '{}') as { amount: string }).amount)
    }
    page.on('request', onRequest)
    await page.keyboard.press('Enter')
    await button('Finish').waitFor()
    page.off('request', onRequest)
    expect(sent).toEqual([''])
    expect(await dialog().getByTestId('adj-summary-amount').innerText()).toBe('30.00 USD')
    expect(await dialog().innerText()).toContain('Amount (the whole authorization)')
    await button('Finish').click()
    await dialog().getByTestId('adj-result').waitFor()
    expect(await dialog().getByTestId('adj-result-transaction').innerText()).toBe(second)
    await closeWizard()

    const after = await customer()
    expect(after.balanceMinor).toBe(before.balanceMinor)

    // Nothing is left to capture or void (the first was captured, this one voided): both are
    // shown as unavailable, with the reason.
    await openWizard('Manual payment')
    await button('Back').click()
    expect(await radio('Capture payment').getAttribute('aria-disabled')).toBe('true')
    expect(await radio('Void').getAttribute('aria-disabled')).toBe('true')
    expect(await radio('E-commerce refund').getAttribute('aria-disabled')).toBeNull() // the capture can be refunded
    await page.keyboard.press('Escape')
    await dialog().waitFor({ state: 'detached' })
  })

  it("shows a declined card's reason under Card number, writes nothing, and the same wizard then succeeds with another card", async () => {
    const before = await customer()
    const auditBefore = await newestAudit()
    const keys: string[] = []
    const onRequest = (r: Request) => {
      if (r.url().endsWith('/ipc/adjustments.submit')) keys.push((JSON.parse(r.postData() ?? '{}') as { operationKey: string }).operationKey)
    }
    page.on('request', onRequest)

    await openWizard('E-commerce payment')
    await amountBox().fill('25')
    // The Test cards hint fills the card number in.
    const hint = dialog().getByTestId('adj-test-cards')
    await hint.getByText('Test cards', { exact: true }).click()
    await hint.getByRole('button', { name: 'Use test card 4000 0000 0000 9995: decline: insufficient funds' }).click()
    expect(await cardBox().inputValue()).toBe('4000 0000 0000 9995')
    await expiryBox().fill('12/30')
    await button('Continue').click()
    await button('Finish').click()

    // Back on the details step, the issuer's reason under Card number, which has the cursor.
    expect(await errorUnder(cardBox())).toContain('Declined by the card issuer: insufficient funds.')
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('adj-cardNumber')
    expect(await button('Finish').count()).toBe(0)
    const unchanged = await customer()
    expect(unchanged.balanceMinor).toBe(before.balanceMinor)
    expect(unchanged.unallocatedPaymentsMinor).toBe(before.unallocatedPaymentsMinor)
    // The attempt is in the audit log, saying nothing moved.
    const declinedAudit = (await desk.call('audit.list', { limit: 5 })).filter((a) => a.id > auditBefore)
    expect(declinedAudit.map((a) => a.description)).toEqual([
      'Card payment of 25.00 USD declined (Visa •••• 9995): Declined by the card issuer: insufficient funds. Nothing moved: the card was not charged and the balance did not change.'
    ])

    // Another card: the same wizard (the same operation key) records the payment once.
    await cardBox().fill('4242 4242 4242 4242')
    expect(await cardBox().getAttribute('aria-invalid')).not.toBe('true')
    await button('Continue').click()
    await button('Finish').click()
    await dialog().getByTestId('adj-result').waitFor()
    page.off('request', onRequest)
    expect(await dialog().getByTestId('adj-result-transaction').innerText()).toMatch(/^ch_\d+$/)
    expect(keys).toHaveLength(2)
    expect(keys[1]).toBe(keys[0])
    await closeWizard()
    expect((await customer()).balanceMinor).toBe(before.balanceMinor - 2_500)

    // The customer page lists both attempts: the declined one with the issuer's reason and the operator.
    await openBalanceTab()
    const attempts = page.getByRole('table', { name: 'Card attempts' })
    const declinedRow = attempts.locator('tbody tr').filter({ hasText: '•••• 9995' })
    expect(await declinedRow.innerText()).toMatch(/Card payment\s+Visa •••• 9995\s+25.00 USD\s+Declined\s+Declined by the card issuer: insufficient funds./i)
    expect(await declinedRow.innerText()).toContain('Administrator')
    expect(await attempts.locator('tbody tr').first().innerText()).toMatch(/Card payment\s+Visa •••• 4242\s+25.00 USD\s+Approved/i)
    // The payment can be refunded: it is listed with its transaction ID.
    expect(await page.getByRole('table', { name: 'Refundable card payments' }).innerText()).toMatch(/ch_\d+\s+Visa •••• 4242/)
  })

  it('shows a card payment whose answer never came as pending (no retry), and checking with the processor settles it once', async () => {
    const before = await customer()
    await openWizard('E-commerce payment')
    await amountBox().fill('12')
    await cardBox().fill('4000 0000 0000 0408')
    await expiryBox().fill('12/30')
    await button('Continue').click()
    await button('Finish').click()

    const pending = dialog().getByTestId('adj-pending')
    await pending.waitFor()
    expect(await pending.getAttribute('data-state')).toBe('pending')
    const pendingText = await pending.innerText()
    expect(pendingText).toContain('Card payment pending at the card processor')
    expect(pendingText).toContain('The card payment is recorded as pending')
    expect(pendingText).toContain('Nothing has been applied to the balance yet')
    expect(pendingText).not.toContain('"Reconcile"')
    expect(await button('Finish').count()).toBe(0)
    expect(await button('Back').isDisabled()).toBe(true)
    expect((await customer()).balanceMinor).toBe(before.balanceMinor)

    // Checking with the processor is the person's choice: it settles the payment once, and the one
    // message turns into the outcome (no "nothing has been applied" next to a moved balance).
    await button('Check pending card payments now').click()
    await expect.poll(() => pending.getAttribute('data-state')).toBe('approved')
    const settledText = await pending.innerText()
    expect(settledText).toContain('Card payment approved by the card processor')
    expect(settledText).toContain('applied to the balance')
    expect(settledText).not.toContain('Nothing has been applied')
    expect(settledText).not.toContain('pending')
    expect(await button('Check pending card payments now').count()).toBe(0)
    expect((await customer()).balanceMinor).toBe(before.balanceMinor - 1_200)
    await expect.poll(() => dialog().getByTestId('adj-customer-balance').innerText()).toBe(usd(before.balanceMinor - 1_200))
    await button('Close').click() // no "discard?" question: there is nothing to discard
    await dialog().waitFor({ state: 'detached' })
    expect(await desk.call('payments.reconcile', {})).toEqual({ settled: 0, stillPending: 0 })
    expect((await customer()).balanceMinor).toBe(before.balanceMinor - 1_200)
    expect((await desk.call('ledger.check', {})).ok).toBe(true)
  })

  it('shows a pending card payment on the customer page until it is checked with the processor', async () => {
    const before = await customer()
    await openWizard('E-commerce payment')
    await amountBox().fill('7')
    await cardBox().fill('4000 0000 0000 0408')
    await expiryBox().fill('12/30')
    await button('Continue').click()
    await button('Finish').click()
    await dialog().getByTestId('adj-pending').waitFor()
    await button('Close').click()
    await dialog().waitFor({ state: 'detached' })

    await openBalanceTab()
    const box = page.getByTestId('card-pending')
    await box.waitFor()
    const text = await box.innerText()
    expect(text).toContain('Card payment pending at the card processor')
    expect(text).toMatch(/Card payment of 7.00 USD on Visa •••• 0408, sent \d{4}-\d{2}-\d{2} \d{2}:\d{2}/)
    expect(text).toContain('Nothing has been applied to the balance yet')
    const attempts = page.getByRole('table', { name: 'Card attempts' })
    expect(await attempts.locator('tbody tr').first().innerText()).toMatch(/Visa •••• 0408\s+7.00 USD\s+Pending/i)
    await page.setViewportSize({ width: 1366, height: 768 })
    await page.getByTestId('card-activity').scrollIntoViewIfNeeded()
    await page.screenshot({ path: '.test-output/card-balance-tab-1366.png', fullPage: false })

    await box.getByRole('button', { name: 'Check pending card payments now' }).click()
    await page.getByTestId('card-checked').filter({ hasText: 'one request settled' }).waitFor()
    await expect.poll(() => page.getByTestId('card-pending').count()).toBe(0)
    await expect.poll(() => attempts.locator('tbody tr').first().innerText()).toMatch(/Visa •••• 0408\s+7.00 USD\s+Approved/i)
    await expect.poll(() => page.getByTestId('figure-balance').innerText()).toBe(`${usd(before.balanceMinor - 700)} USD`)
    await page.setViewportSize({ width: 1360, height: 900 })
  })

  it('refuses to capture an authorization that has expired (8 days later): the error is under Transaction ID and nothing changes', async () => {
    const id = await authorizeInWizard('40', '4242 4242 4242 4242')
    await closeWizard()
    clock += 8 * DAY
    // A fresh one keeps Capture on offer; the expired one is no longer listed, and typed it is refused.
    const fresh = await authorizeInWizard('15', '5555 5555 5555 4444')
    await closeWizard()
    const before = await customer()
    const auditBefore = await newestAudit()

    await openWizard('Capture payment')
    const listed = dialog().getByRole('radiogroup', { name: 'Open authorizations' }).getByRole('radio')
    await expect.poll(() => listed.count()).toBe(1)
    expect(await listed.first().getAttribute('aria-label')).toContain(fresh)
    await txBox().fill(id)
    await amountBox().fill('40')
    await button('Continue').click()
    expect(await errorUnder(txBox())).toContain(`Authorization ${id} expired on`)
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('adj-transactionId')
    expect(await button('Finish').count()).toBe(0)

    const after = await customer()
    expect(after.balanceMinor).toBe(before.balanceMinor)
    expect(after.unallocatedPaymentsMinor).toBe(before.unallocatedPaymentsMinor)
    expect(await newestAudit()).toBe(auditBefore)
    await page.keyboard.press('Escape')
    await button('Discard').click()
    await dialog().waitFor({ state: 'detached' })
  })

  it('raised no page errors', () => {
    expect(pageErrors).toEqual([])
  })
})
