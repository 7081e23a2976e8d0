/**
 * The Balance adjustment wizard end to end: the built UI (out/renderer) in Debian's Chromium over
 * the loopback host, on a fresh data folder with the demo data. The source page's example first
 * (a 135.00 cash Manual payment for Easy Call Ltd, driven from the keyboard from the customer
 * list's row action), then a promotional credit from a prepaid customer's page, a refund above
 * what was paid and not yet refunded that the engine refuses, and the operation key that makes a repeated Finish harmless. The tests run in order and
 * build on each other (Easy Call's unallocated payments come from the first one).
 */
import fs from 'node:fs'
import path from 'node:path'
import os from 'node:os'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page, Request } from 'playwright-core'
import type { CustomerRow } from '../../src-shared/domain'
import { formatAmount } from '../../src-shared/format'
import { openDemoSession, type DemoSession, type Desk } from '../support/e2e'
import { pdfTextOf } from '../support/pdfText'

let session: DemoSession
let desk: Desk
let page: Page
let pageErrors: string[]

beforeAll(async () => {
  session = await openDemoSession('adjustments', { acceptDownloads: true })
  ;({ desk, page, pageErrors } = session)
  // Every Playwright wait gives up well inside the test's time limit, so a failure names the
  // step (the locator it waited for) instead of the whole test timing out.
  page.setDefaultTimeout(15_000)
})

afterAll(async () => {
  await session?.close()
})

const dialog = () => page.getByRole('dialog')
const table = () => page.getByRole('table', { name: 'Customers' })
const amountBox = () => dialog().getByRole('textbox', { name: 'Amount', exact: true })
const radio = (name: string) => dialog().getByRole('radio', { name, exact: true })
const button = (name: string) => dialog().getByRole('button', { name, exact: true })

async function customer(customerId: string): Promise<CustomerRow> {
  const { rows } = await desk.call('customers.list', { search: customerId })
  const row = rows.find((r) => r.customerId === customerId)
  if (!row) throw new Error(`${customerId} is not in the list`)
  return row
}

/** What the focused element is called (its aria-label, else its text). */
function focusedName(): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null
    return el?.getAttribute('aria-label') ?? el?.innerText.trim() ?? ''
  })
}

/** The error text Mantine shows under an input (linked through aria-describedby). */
async function errorUnderAmount(): Promise<string> {
  await expect.poll(() => amountBox().getAttribute('aria-invalid')).toBe('true')
  const ids = (await amountBox().getAttribute('aria-describedby'))?.split(/\s+/) ?? []
  const texts = await Promise.all(ids.map((id) => page.locator(`[id="${id}"]`).innerText()))
  return texts.join(' | ')
}

/** Before / Change / After of one line of the impact table (balance, unallocated, headroom). */
async function impactLine(id: 'balance' | 'unallocated' | 'headroom') {
  const row = dialog().getByTestId(`adj-impact-${id}`)
  return {
    before: await row.getByTestId('before').innerText(),
    change: await row.getByTestId('change').innerText(),
    after: await row.getByTestId('after').innerText()
  }
}

/** Search the list for one customer and put the cursor on its row, from the keyboard. */
async function focusListRow(customerId: string) {
  await page.locator('nav').getByRole('button', { name: 'Customers', exact: true }).click()
  const search = page.getByRole('searchbox', { name: 'Search customers' })
  await search.fill(customerId)
  await page
    .getByTestId('customer-count')
    .filter({ hasText: `1 match “${customerId}”` })
    .waitFor()
  await table().locator('tbody tr:not([data-loading])').filter({ hasText: customerId }).waitFor()
  await search.focus()
  await page.keyboard.press('ArrowDown')
  await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('row')
}

describe('balance adjustment wizard in Chromium', () => {
  it('takes the source page example, a 135.00 cash Manual payment for Easy Call Ltd, from the keyboard', async () => {
    const before = await customer('easycall')
    expect(before.companyName).toBe('Easy Call Ltd')
    expect(before.balanceControl).toBe('postpaid')
    expect(before.currency).toBe('USD')
    const usd = (minor: number) => formatAmount(minor, 'USD')
    const afterMinor = before.balanceMinor - 13_500

    // The row's action is reached with Tab from the row and opened with Enter.
    await focusListRow('easycall')
    await page.keyboard.press('Tab')
    expect(await focusedName()).toBe('Balance adjustment for easycall')
    await page.keyboard.press('Enter')
    await dialog().getByRole('radiogroup', { name: 'Operation type' }).waitFor()
    expect(await dialog().innerText()).toContain('Easy Call Ltd · Postpaid · USD')

    // Operation type: ten operations, the five card ones (through the test gateway) after the manual ones.
    expect(await dialog().getByRole('radio').count()).toBe(10)
    for (const card of ['E-commerce payment', 'Authorization only']) {
      expect(await radio(card).getAttribute('aria-disabled')).toBeNull()
    }
    // Nothing to capture, void or refund by card yet: offered, but not available, and why.
    for (const card of ['E-commerce refund', 'Capture payment', 'Void']) {
      await expect.poll(() => radio(card).getAttribute('aria-disabled')).toBe('true')
    }
    expect(await dialog().innerText()).toContain('Not available: this customer has no open authorization')
    expect(await dialog().innerText()).not.toContain('arrive with the payment gateway')
    expect(await button('Continue').isDisabled()).toBe(true)
    // Arrow keys move among the available operations and wrap (End lands on Authorization only,
    // the last one available; down from there is Manual charge).
    await expect.poll(focusedName).toBe('Manual charge')
    await page.keyboard.press('End')
    await expect.poll(focusedName).toBe('Authorization only')
    await page.keyboard.press('ArrowDown')
    await expect.poll(focusedName).toBe('Manual charge')
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('ArrowDown')
    expect(await radio('Manual payment').getAttribute('aria-checked')).toBe('true')
    expect(await dialog().innerText()).toContain('Decreases the amount the customer owes you')
    await page.keyboard.press('Enter')

    // Payment amount: Continue waits for an amount; the cursor is already in it.
    await amountBox().waitFor()
    expect(await button('Continue').isDisabled()).toBe(true)
    await expect.poll(focusedName).toBe('')
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('adj-amount')
    expect(await dialog().getByRole('textbox', { name: 'Service' }).count()).toBe(0) // payments take no service
    await page.keyboard.type('135')
    expect(await button('Continue').isDisabled()).toBe(false)
    await page.keyboard.press('Tab')
    await page.keyboard.type('Cash at the counter')
    await page.keyboard.press('Enter')

    // Summary: before and after, computed by the engine; nothing is saved yet.
    await button('Finish').waitFor()
    expect(await impactLine('balance')).toEqual({ before: usd(before.balanceMinor), change: '-135.00', after: usd(afterMinor) })
    expect(await impactLine('unallocated')).toEqual({
      before: usd(before.unallocatedPaymentsMinor),
      change: '+135.00',
      after: usd(before.unallocatedPaymentsMinor + 13_500)
    })
    if (before.creditLimitMinor !== null) {
      const headroom = await impactLine('headroom')
      expect(headroom.before).toBe(usd(before.creditLimitMinor - before.balanceMinor))
      expect(headroom.after).toBe(usd(before.creditLimitMinor - afterMinor))
    }
    const audit = await dialog().getByTestId('adj-audit').innerText()
    expect(audit).toContain(`Balance changed from ${usd(before.balanceMinor)} to ${usd(afterMinor)} (decreased by 135.00). Source – manual payment`)
    expect(audit).toContain('Unallocated payments changed from')
    expect(await dialog().innerText()).toContain('Cash at the counter')
    expect((await customer('easycall')).balanceMinor).toBe(before.balanceMinor)

    // Finish (the button has the cursor): the result, with the record's number.
    expect(await focusedName()).toBe('Finish')
    await page.keyboard.press('Enter')
    const result = dialog().getByTestId('adj-result')
    await result.waitFor()
    const xdr = await dialog().getByTestId('adj-result-xdr').innerText()
    expect(xdr).toMatch(/^\d+$/)
    expect(await result.innerText()).toContain(`xDR id ${xdr}`)
    expect(await dialog().getByTestId('adj-result-balance').innerText()).toBe(`${usd(afterMinor)} USD`)
    expect(await dialog().getByTestId('adj-audit').innerText()).toContain(`(xDR id ${xdr})`)
    expect((await customer('easycall')).balanceMinor).toBe(afterMinor)

    // The receipt is the 80 mm receipt PDF. Print receipt: browser mode opens it in a tab; the tab is
    // blocked here, so the page prints its pages itself (the desktop app's path): alone, 80 mm wide.
    await page.evaluate(() => {
      ;(window as unknown as { printed: number }).printed = 0
      window.open = () => null
      window.print = () => {
        ;(window as unknown as { printed: number }).printed += 1
      }
    })
    await button('Print receipt').click()
    await expect.poll(() => page.evaluate(() => (window as unknown as { printed: number }).printed)).toBe(1)
    await page.emulateMedia({ media: 'print' })
    const printPages = page.getByTestId('pdf-print-pages')
    expect(await printPages.isVisible()).toBe(true)
    expect(await dialog().isVisible()).toBe(false)
    expect(await printPages.locator('img').evaluateAll((imgs) => imgs.map((i) => (i as HTMLImageElement).style.width))).toEqual(['80mm'])
    await page.emulateMedia({ media: 'screen' })
    expect(await printPages.isVisible()).toBe(false)
    // Save receipt: the PDF file, saying what the screen said.
    const download = page.waitForEvent('download')
    await button('Save receipt').click()
    const saved = await download
    expect(saved.suggestedFilename()).toBe(`receipt-${xdr}.pdf`)
    const receiptText = (await pdfTextOf(new Uint8Array(fs.readFileSync((await saved.path())!)))).replace(/\s+/g, ' ')
    for (const part of [
      'Northside Callshop',
      'Easy Call Ltd',
      'easycall',
      'Manual payment',
      '135.00 USD',
      `${usd(before.balanceMinor)} USD`,
      `${usd(afterMinor)} USD`,
      xdr,
      'Administrator',
      'Cash at the counter'
    ]) {
      expect(receiptText).toContain(part)
    }
    await page.screenshot({ path: path.join(os.tmpdir(), 'adjustments-receipt.png') })

    // Close (Enter): the list shows the new balance and the cursor is back on the customer's row.
    await button('Close').focus()
    await page.keyboard.press('Enter')
    await dialog().waitFor({ state: 'detached' })
    const row = table().locator('tbody tr').filter({ hasText: 'easycall' })
    await expect.poll(() => row.innerText()).toContain(usd(afterMinor))
    await expect
      .poll(() => page.evaluate(() => (document.activeElement?.getAttribute('role') === 'row' ? document.activeElement.textContent : null)))
      .toContain('easycall')
    expect((await desk.call('ledger.check', {})).ok).toBe(true)
  })

  it('gives a prepaid customer a promotional credit from the customer page: available funds go up', async () => {
    const { rows } = await desk.call('customers.list', { filters: { balanceControl: 'prepaid', currency: 'USD', statuses: ['active'] }, limit: 1 })
    const prepaid = rows[0]
    if (!prepaid) throw new Error('The demo data has no active prepaid USD customer')
    const fundsBefore = -prepaid.balanceMinor
    const usd = (minor: number) => formatAmount(minor, 'USD')

    await page.getByRole('searchbox', { name: 'Search customers' }).fill(prepaid.customerId)
    await table().locator('tbody tr:not([data-loading])').filter({ hasText: prepaid.customerId }).first().click()
    await page.getByTestId('customer-title').filter({ hasText: prepaid.customerId }).waitFor()
    await page.getByRole('button', { name: 'Balance adjustment' }).first().click()
    await radio('Promotional credit').click()
    expect(await dialog().innerText()).toContain('Increases the money the customer has for service usage')
    await button('Continue').click()
    await amountBox().fill('25')
    await dialog().getByRole('textbox', { name: 'Visible comment' }).fill('Welcome offer')
    await button('Continue').click()

    await button('Finish').waitFor()
    expect(await dialog().getByTestId('adj-impact-balance').locator('th').innerText()).toContain('Available funds')
    expect(await impactLine('balance')).toEqual({ before: usd(fundsBefore), change: '+25.00', after: usd(fundsBefore + 2_500) })
    expect(await impactLine('unallocated')).toMatchObject({ change: 'no change' })
    expect(await dialog().getByTestId('adj-impact-headroom').count()).toBe(0) // prepaid: no credit limit
    expect(await dialog().innerText()).toContain('Credits / Promotions')
    expect(await dialog().getByTestId('adj-audit').innerText()).toContain(
      `Available funds changed from ${usd(fundsBefore)} to ${usd(fundsBefore + 2_500)} (increased by 25.00). Source – promotional credit`
    )
    // A double click on Finish sends (at most) the same key twice: one credit.
    const keys: string[] = []
    const onRequest = (r: Request) => {
      if (r.url().endsWith('/ipc/adjustments.submit')) keys.push((JSON.parse(r.postData() ?? '{}') as { operationKey: string }).operationKey)
    }
    page.on('request', onRequest)
    await button('Finish').dblclick()
    await dialog().getByTestId('adj-result').waitFor()
    page.off('request', onRequest)
    expect(keys.length).toBeGreaterThanOrEqual(1)
    expect(new Set(keys).size).toBe(1)
    await button('Close').click()
    await dialog().waitFor({ state: 'detached' })

    // The customer page shows the new figure (credited once).
    await page.getByRole('tab', { name: /^Balance & credits/ }).click()
    await expect.poll(() => page.getByTestId('figure-funds').innerText()).toBe(`${usd(fundsBefore + 2_500)} USD`)
    expect(-(await customer(prepaid.customerId)).balanceMinor).toBe(fundsBefore + 2_500)
  })

  it('refuses a refund above what was paid and not yet refunded: the error is under Amount and nothing changes', async () => {
    const before = await customer('easycall')
    const refundable = (await desk.call('customers.get', { id: before.id })).refundableMinor
    const newestAudit = async () => (await desk.call('audit.list', { limit: 1 }))[0]?.id ?? 0
    const auditBefore = await newestAudit()
    // The 135.00 paid in the first test (and any opening balance in its favour) can be refunded.
    expect(refundable).toBeGreaterThanOrEqual(13_500)
    const tooMuch = formatAmount(refundable + 1, 'USD')

    await focusListRow('easycall')
    await page.keyboard.press('Tab')
    await page.keyboard.press('Enter')
    await dialog().getByRole('radiogroup', { name: 'Operation type' }).waitFor()
    await expect.poll(focusedName).toBe('Manual charge')
    for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowDown')
    await expect.poll(focusedName).toBe('Refund')
    await page.keyboard.press('Enter')
    await amountBox().waitFor()
    // The most that can be refunded is shown with the field.
    expect(await dialog().innerText()).toContain(`At most ${formatAmount(refundable, 'USD')} USD: what was paid and not yet refunded`)
    await page.keyboard.type(tooMuch)
    await page.keyboard.press('Enter')

    expect(await errorUnderAmount()).toContain(`at most what was paid and not yet refunded, ${formatAmount(refundable, 'USD')} USD`)
    expect(await button('Finish').count()).toBe(0) // still on the details step
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('adj-amount')

    // Typing clears the error; a malformed amount is the engine's to judge, shown the same way.
    await amountBox().fill('1.234')
    expect(await amountBox().getAttribute('aria-invalid')).not.toBe('true')
    await page.keyboard.press('Enter')
    expect(await errorUnderAmount()).toMatch(/decimal/i)

    // Nothing was written.
    const after = await customer('easycall')
    expect(after.balanceMinor).toBe(before.balanceMinor)
    expect(after.unallocatedPaymentsMinor).toBe(before.unallocatedPaymentsMinor)
    expect(await newestAudit()).toBe(auditBefore)

    // Escape asks before throwing away what was typed; Escape again keeps editing.
    await page.keyboard.press('Escape')
    await button('Discard').waitFor()
    await expect.poll(focusedName).toBe('Keep editing')
    await page.keyboard.press('Escape')
    await button('Discard').waitFor({ state: 'detached' })
    await amountBox().waitFor()
    await page.keyboard.press('Escape')
    await button('Discard').click()
    await dialog().waitFor({ state: 'detached' })
  })

  it('records one adjustment for one operation key, however often it is sent', async () => {
    const before = await customer('easycall')
    const input = {
      customerId: before.id,
      operation: 'manual-credit' as const,
      amount: '7.50',
      serviceId: (await desk.call('services.list', {})).find((s) => s.kind !== 'credits')!.id,
      operationKey: 'e2e-same-key-0001'
    }
    const first = await desk.call('adjustments.submit', input)
    const second = await desk.call('adjustments.submit', input)
    expect(first.repeated).toBe(false)
    expect(second.repeated).toBe(true)
    expect(second.xdrId).toBe(first.xdrId)
    expect((await customer('easycall')).balanceMinor).toBe(before.balanceMinor - 750)
    expect((await desk.call('ledger.check', {})).ok).toBe(true)
  })

  it('sends the key made when the wizard opened with every Finish: a retry after a lost answer records once', async () => {
    const before = await customer('easycall')
    const keys: string[] = []
    let lost = false
    // The first Finish reaches the engine, but its answer never comes back to the page.
    await page.route('**/ipc/adjustments.submit', async (route) => {
      keys.push((JSON.parse(route.request().postData() ?? '{}') as { operationKey: string }).operationKey)
      if (!lost) {
        lost = true
        await route.fetch()
        await route.abort('connectionreset')
        return
      }
      await route.continue()
    })
    try {
      await focusListRow('easycall')
      await page.keyboard.press('Tab')
      await page.keyboard.press('Enter')
      await radio('Manual payment').click()
      await button('Continue').click()
      await amountBox().fill('10')
      await page.keyboard.press('Enter')
      await button('Finish').click()
      await dialog().getByTestId('adj-error').waitFor()
      expect(await dialog().getByTestId('adj-error').innerText()).toContain('Finish')
      await button('Finish').click()
      await dialog().getByTestId('adj-result').waitFor()
      expect(await dialog().getByTestId('adj-result-repeated').isVisible()).toBe(true)
      expect(keys).toHaveLength(2)
      expect(keys[1]).toBe(keys[0])
      await button('Close').click()
      await dialog().waitFor({ state: 'detached' })
    } finally {
      await page.unroute('**/ipc/adjustments.submit')
    }
    expect((await customer('easycall')).balanceMinor).toBe(before.balanceMinor - 1_000)
    expect((await desk.call('ledger.check', {})).ok).toBe(true)
  })

  it('raised no page errors', () => {
    expect(pageErrors).toEqual([])
  })
})
