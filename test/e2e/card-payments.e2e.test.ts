/**
 * Card operations in the Balance adjustment wizard, end to end: the built UI (out/renderer) in
 * Debian's Chromium over the loopback host, the real engine and the built-in test gateway in this
 * process, on a clock the test moves. An authorization captured for less than authorized, a void of
 * another one, an over-capture refused under Amount, a declined card (the issuer's reason under Card
 * number, then the same wizard succeeding with another card), a time-out shown as pending (then settled from the wizard's own "check now"), and an
 * authorization refused on capture once it has expired (the clock moves 8 days). The tests run in
 * order and build on each other.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Locator, Page, Request } from 'playwright-core'
import type { CustomerRow } from '../../src-shared/domain'
import { formatAmount } from '../../src-shared/format'
import { openDemoSession, type DemoSession, type Desk } from '../support/e2e'

const DAY = 86_400_000
let clock = Date.now()
let session: DemoSession
let desk: Desk
let page: Page
let pageErrors: string[]

beforeAll(async () => {
  session = await openDemoSession('card-payments', { now: () => clock })
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
  await page.getByTestId('customer-count').filter({ hasText: `1 matches “${customerId}”` }).waitFor()
  await page.getByRole('button', { name: `Balance adjustment for ${customerId}`, exact: true }).click()
  await dialog().getByRole('radiogroup', { name: 'Operation type' }).waitFor()
  await radio(operation).click()
  await button('Continue').click()
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

    // The receipt carries the card, the ID and the expiry too.
    await page.emulateMedia({ media: 'print' })
    const receipt = await page.getByTestId('adj-receipt').innerText()
    await page.emulateMedia({ media: 'screen' })
    for (const part of ['Authorization receipt', 'Visa •••• 4242', authorized, 'Authorization expires', 'capture or void']) expect(receipt).toContain(part)
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
    await txBox().fill(authorized)
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

    // A voided authorization cannot be captured: said under Transaction ID.
    await openWizard('Capture payment')
    await txBox().fill(second)
    await amountBox().fill('10')
    await button('Continue').click()
    expect(await errorUnder(txBox())).toContain('was voided')
    await page.keyboard.press('Escape')
    await button('Discard').click()
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
    expect(await newestAudit()).toBe(auditBefore)

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
    expect(await pending.innerText()).toContain('recorded as pending')
    expect(await button('Finish').count()).toBe(0)
    expect(await button('Back').isDisabled()).toBe(true)
    expect((await customer()).balanceMinor).toBe(before.balanceMinor)

    // Checking with the processor is the person's choice: it settles the payment once.
    await button('Check pending card payments now').click()
    await expect.poll(() => dialog().getByTestId('adj-reconciled').innerText().catch(() => '')).toContain('settled')
    expect((await customer()).balanceMinor).toBe(before.balanceMinor - 1_200)
    await expect.poll(() => dialog().getByTestId('adj-customer-balance').innerText()).toBe(usd(before.balanceMinor - 1_200))
    await button('Close').click() // no "discard?" question: there is nothing to discard
    await dialog().waitFor({ state: 'detached' })
    expect(await desk.call('payments.reconcile', {})).toEqual({ settled: 0, stillPending: 0 })
    expect((await customer()).balanceMinor).toBe(before.balanceMinor - 1_200)
    expect((await desk.call('ledger.check', {})).ok).toBe(true)
  })

  it('refuses to capture an authorization that has expired (8 days later): the error is under Transaction ID and nothing changes', async () => {
    const id = await authorizeInWizard('40', '4242 4242 4242 4242')
    await closeWizard()
    clock += 8 * DAY
    const before = await customer()
    const auditBefore = await newestAudit()

    await openWizard('Capture payment')
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
