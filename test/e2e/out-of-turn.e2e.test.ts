/**
 * The counter's out-of-turn invoice end to end (issue 10 item 4), in Chromium on the demo data: a
 * manual charge flagged "Include into out-of-turn invoice" in the wizard, the wizard's result leads
 * to the customer's out-of-turn page, which issues the invoice with a cash payment and prints it at
 * once; the invoice is Paid and the item is gone from the page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { formatAmount } from '../../src-shared/format'
import { openDemoSession, type DemoSession, type Desk } from '../support/e2e'
import { pdfTextOf } from '../support/pdfText'

let session: DemoSession
let desk: Desk
let page: Page
let pageErrors: string[]

beforeAll(async () => {
  session = await openDemoSession('out-of-turn', { viewport: { width: 1366, height: 768 } })
  ;({ desk, page, pageErrors } = session)
})

afterAll(async () => {
  await session?.close()
})

const dialog = () => page.getByRole('dialog')
const button = (name: string) => dialog().getByRole('button', { name, exact: true })

describe('out-of-turn invoice at the counter', () => {
  it('flags a charge in the wizard, issues and prints its invoice with a cash payment, and the invoice is Paid', async () => {
    const { rows } = await desk.call('customers.list', { search: 'easycall' })
    const easy = rows.find((r) => r.customerId === 'easycall')!
    const service = (await desk.call('services.list', {})).find((s) => s.kind !== 'credits')!

    // The customer page's Balance adjustment: a Manual charge of 49.99, flagged for the out-of-turn invoice.
    await page.goto(`${desk.host.pageUrl.split('#')[0]}#/customers/${easy.id}`)
    await page.getByTestId('customer-title').waitFor()
    await page.getByRole('button', { name: 'Balance adjustment', exact: true }).click()
    await dialog().getByRole('radio', { name: 'Manual charge', exact: true }).click()
    await button('Continue').click()
    await dialog().getByRole('textbox', { name: 'Amount', exact: true }).fill('49.99')
    await page.locator('#adj-serviceId').click()
    await page.getByRole('option', { name: service.name, exact: true }).click()
    await dialog().getByRole('checkbox', { name: 'Include into out-of-turn invoice' }).check()
    await dialog().getByRole('textbox', { name: 'Visible comment' }).fill('IP phone')
    await button('Continue').click()
    await button('Finish').click()
    await dialog().getByTestId('adj-result').waitFor()

    // The result leads on to the out-of-turn invoice.
    await dialog().getByRole('link', { name: 'Issue the out-of-turn invoice' }).click()
    await page.getByRole('heading', { level: 1, name: 'Out-of-turn invoice' }).waitFor()
    const items = page.getByRole('table', { name: 'Items for the out-of-turn invoice' })
    await items.getByText('IP phone').waitFor()
    expect(await items.innerText()).toContain('49.99')
    const total = await page.getByTestId('oot-total').innerText()
    const detail = await desk.call('outOfTurn.preview', {
      customerId: easy.id,
      xdrIds: (await desk.call('outOfTurn.pending', { customerId: easy.id })).items.map((i) => i.xdrId)
    })
    expect(total).toBe(formatAmount(detail.totalMinor, 'USD', { withCode: true }))
    // The cash field offers the amount due.
    const cash = page.getByRole('textbox', { name: /^Cash received/ })
    expect(await cash.inputValue()).toBe(formatAmount(detail.amountDueMinor, 'USD').replace(/,/g, ''))
    expect(await page.getByRole('checkbox', { name: 'Take a cash payment now' }).isChecked()).toBe(true)
    await expect.poll(() => page.getByRole('checkbox', { name: 'Take a cash payment now' }).isEnabled()).toBe(true)
    await page.screenshot({ path: '.test-output/out-of-turn.png' })

    // Issue and print: the PDF opens in its own tab at once. This headless Chromium has no PDF viewer
    // (the tab stays blank), so the page records the blob window.open was given, and the test reads it.
    await page.evaluate(() => {
      const w = window as unknown as { opened: string[]; blobs: Map<string, Blob> }
      w.opened = []
      w.blobs = new Map()
      const create = URL.createObjectURL.bind(URL)
      URL.createObjectURL = (blob: Blob) => {
        const url = create(blob)
        w.blobs.set(url, blob)
        return url
      }
      const open = window.open.bind(window)
      window.open = (url?: string | URL, target?: string) => {
        w.opened.push(String(url))
        return open(url, target)
      }
    })
    const tab = page.context().waitForEvent('page')
    await page.getByRole('button', { name: 'Issue and print' }).click()
    await (await tab).close()
    const printed = await page.evaluate(async () => {
      const w = window as unknown as { opened: string[]; blobs: Map<string, Blob> }
      return { opened: w.opened, bytes: Array.from(new Uint8Array(await w.blobs.get(w.opened[0]!)!.arrayBuffer())) }
    })
    expect(printed.opened).toHaveLength(1)
    expect(printed.opened[0]).toMatch(/^blob:/)
    const printedText = (await pdfTextOf(new Uint8Array(printed.bytes))).replace(/\s+/g, ' ')
    const issued = page.getByTestId('oot-issued')
    await issued.waitFor()
    expect(await issued.textContent()).toContain('Paid')
    expect(await page.getByTestId('oot-issued-due').innerText()).toBe('0.00 USD')
    expect(await page.getByTestId('oot-issued-payment').innerText()).toContain(`Cash payment of ${formatAmount(detail.amountDueMinor, 'USD', { withCode: true })}`)

    // The invoice: out of turn, Paid, its PDF names the customer, the number and the total.
    const invoices = await desk.call('invoices.list', { customerId: easy.id })
    const oot = invoices.rows.find((i) => i.outOfTurn)!
    expect(oot).toMatchObject({ status: 'paid', totalMinor: detail.totalMinor, amountDueMinor: 0 })
    for (const part of ['Easy Call Ltd', oot.number, formatAmount(detail.totalMinor, 'USD')]) expect(printedText).toContain(part)

    // Nothing is left to invoice out of turn.
    await page.reload()
    await page.getByTestId('oot-empty').waitFor()
    expect((await desk.call('ledger.check', {})).ok).toBe(true)
  })

  it('raised no page errors', () => {
    expect(pageErrors).toEqual([])
  })
})
