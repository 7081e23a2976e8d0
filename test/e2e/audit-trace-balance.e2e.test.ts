/**
 * A customer's balance traced after payments, a re-rating and a re-issue (issue 12, "Done when"),
 * in Chromium at 1366x768 over the loopback host. EasyCall's March calls are imported and rated
 * with a wrong price list (UK mobiles at 0.90 a minute), the March invoice (20% tax) is issued on
 * April 1 by the scheduler, EasyCall pays 2.00 and 1.00, March is re-rated with the corrected
 * list and the invoice re-issued with the same number. "Trace" beside the balance lists every step
 * oldest first with its operator and the running value after it, ending at the balance the page
 * shows, with no red "does not add up" line. The entries' links to the re-rating run and the usage
 * import open the Re-rating page with that run marked and the Usage page with that import's summary.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { importUsageCsv } from '../../src-main/engine/usageImport'
import { ADMIN_ACTOR, classInput, newKey } from '../support/desk'
import { type Desk, openDeskPage, startDesk, tempDataDir } from '../support/e2e'
import { TEST_ADMIN } from '../support/operators'
import { tariffCsv } from '../support/usageWorld'

let dataDir: string
let desk: Desk
let browser: Browser
let page: Page
let customerRowId: number
let reratingId: number
let importId: number
const pageErrors: string[] = []
const clock = { t: Date.parse('2026-03-20T10:00:00Z') }

beforeAll(async () => {
  dataDir = tempDataDir('audit-trace-balance')
  desk = await startDesk(dataDir, { now: () => clock.t })
  await desk.call('setup.complete', { companyName: 'Trace Callshop', address: '', defaultCurrency: 'USD', loadDemoData: false, ...TEST_ADMIN })
  const voice = (await desk.call('services.list', {})).find((s) => s.kind === 'voice')
  if (!voice) throw new Error('setup made no voice service')
  const klass = await desk.call('classes.create', classInput({ name: 'SIP trunking', currency: 'USD', invoicePrefix: 'SIP-', taxRatePpm: 200_000 }))
  const list = await desk.call('priceLists.create', { name: 'SIP trunks', currency: 'USD' })
  await desk.call('priceLists.assignToClass', { classId: klass.id, serviceId: voice.id, priceListId: list.id })
  const wrong = tariffCsv('44,UK,0.10,0,60,60,0', '4475,UK mobile,0.90,0,60,60,0')
  await desk.call('priceLists.uploadVersion', { priceListId: list.id, csv: wrong, effectiveFrom: '2026-03-01T00:00:00Z' })
  customerRowId = (
    await desk.call('customers.create', {
      customerId: 'EasyCall',
      companyName: 'EasyCall Ltd.',
      balanceControl: 'postpaid',
      currency: 'USD',
      classId: klass.id,
      creditLimit: null
    })
  ).id
  await desk.call('customers.addAccount', { id: customerRowId, accountId: 'easy-trunk' })
  // March: 10 minutes to a UK mobile (9.00 at the wrong price) and 5 to a landline (0.50).
  const imported = await importUsageCsv(desk.app.core.engine, ADMIN_ACTOR, {
    source: 'page',
    fileName: 'easycall-march.csv',
    csv: [
      'switch_record_id,account,start_time,duration,called_number,service',
      `easy-1,easy-trunk,2026-03-05T10:00:00Z,600,447500111222,${voice.name}`,
      `easy-2,easy-trunk,2026-03-06T10:00:00Z,300,442071234567,${voice.name}`
    ].join('\n')
  })
  importId = imported.importId
  // April 1: the scheduler issues March's invoice, 9.50 + 1.90 tax.
  clock.t = Date.parse('2026-04-01T00:10:00Z')
  await desk.app.core.runInvoiceTasks()
  const pay = (amount: string) =>
    desk.call('adjustments.submit', { customerId: customerRowId, operation: 'manual-payment', amount, serviceId: null, operationKey: newKey() })
  clock.t = Date.parse('2026-04-05T11:00:00Z')
  await pay('2.00')
  clock.t = Date.parse('2026-04-08T11:00:00Z')
  await pay('1.00')
  // April 10: the corrected list (UK mobiles at 0.30) for the same instant; March re-rated.
  clock.t = Date.parse('2026-04-10T09:00:00Z')
  await desk.call('priceLists.uploadVersion', {
    priceListId: list.id,
    csv: tariffCsv('44,UK,0.10,0,60,60,0', '4475,UK mobile,0.30,0,60,60,0'),
    effectiveFrom: '2026-03-01T00:00:00Z'
  })
  await desk.call('rerating.start', { scope: { kind: 'class', classId: klass.id }, from: '2026-03-01T00:00:00Z', to: '2026-04-01T00:00:00Z', priceListId: null })
  await desk.app.core.jobs.settle()
  reratingId = (await desk.call('rerating.history', {}))[0]!.id
  // April 11: the invoice re-issued with its number, from the re-rating.
  clock.t = Date.parse('2026-04-11T09:00:00Z')
  await desk.call('reissue.start', { customerIds: [customerRowId], issuedAfter: '2026-03-31T00:00:00Z', mode: 'same-number', scheduledFor: null })
  await desk.app.core.jobs.settle()
  clock.t = Date.parse('2026-04-11T10:00:00Z')
  const opened = await openDeskPage(desk, pageErrors)
  browser = opened.browser
  page = opened.page
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await desk?.close()
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true })
})

const go = (hash: string) => page.evaluate((h) => (window.location.hash = h), hash)
/** "-1.20" / "1.20 USD" -> -120 (the trace's changes and running values, in cents). */
const cents = (text: string) => {
  const m = /^([+-]?)(\d+)\.(\d{2})/.exec(text.replace(/,/g, '').trim())
  if (!m) throw new Error(`not an amount: ${text}`)
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 100 + Number(m[3]))
}

describe("a customer's balance after payments, a re-rating and a re-issue", () => {
  let rows: { at: string; operator: string; text: string; change: string; after: string }[] = []

  it('Trace beside the balance lists the chain oldest first, each step by its operator, with running values that add up to the balance shown', async () => {
    await go(`#/customers/${customerRowId}/balance`)
    const figure = page.getByTestId('figure-balance')
    await figure.waitFor()
    const shown = await figure.innerText()
    await page.getByTestId('trace-customer.balance').click()
    const view = page.getByTestId('trace-view')
    await view.waitFor()
    rows = await view.getByTestId('trace-step').evaluateAll((trs) =>
      trs.map((tr) => {
        const td = [...tr.querySelectorAll('td')].map((c) => (c as HTMLElement).innerText.trim())
        return { at: td[0]!, operator: td[1]!, text: td[2]!, change: td[3]!, after: td[4]! }
      })
    )
    // Oldest first.
    expect(rows.map((r) => r.at)).toEqual(
      rows
        .map((r) => r.at)
        .slice()
        .sort()
    )
    // The import, the invoice's tax, two payments, the re-rating's correction, the re-issue's tax.
    const step = (re: RegExp) => rows.findIndex((r) => re.test(r.text))
    const order = [
      step(/^Usage import #\d+ \(easycall-march\.csv\)/),
      step(/tax 20% on invoice SIP-000001/i),
      step(/Source – manual payment/),
      step(/re-rating correction of re-rating/),
      step(/tax 20% on re-issued invoice SIP-000001/i)
    ]
    expect(
      order.every((i) => i >= 0),
      JSON.stringify(rows, null, 1)
    ).toBe(true)
    expect(order.slice().sort((a, b) => a - b)).toEqual(order)
    expect(rows.filter((r) => /Source – manual payment/.test(r.text)).map((r) => r.change)).toEqual(['-2.00', '-1.00'])
    expect(rows[order[3]!]!.change).toBe('-6.00')
    // Each step names who caused it: the administrator, or the System for the scheduler's invoice.
    expect(rows.every((r) => r.operator.length > 0)).toBe(true)
    expect(rows[order[1]!]!.operator).toBe('System')
    expect(rows[order[2]!]!.operator).toBe('Administrator')
    expect(rows[order[3]!]!.operator).toBe('Administrator')
    // Running values: each is the one before plus its change; the last is the balance shown.
    let running = 0
    for (const r of rows) {
      running += cents(r.change)
      expect(cents(r.after), `${r.text}`).toBe(running)
    }
    expect(running).toBe(120)
    expect(shown).toContain('1.20 USD')
    expect(await view.getByTestId('trace-current').innerText()).toBe('1.20 USD')
    expect(await page.getByTestId('trace-problem').count()).toBe(0)
    await page.waitForTimeout(300)
    await page.screenshot({ path: path.join(os.tmpdir(), 'audit-trace-balance-reissue.png') })
  })

  it("the re-rating step's link opens the Re-rating page with that run marked", async () => {
    const link = page.getByTestId('trace-view').getByRole('link', { name: `Re-rating run ${reratingId}` })
    expect(await link.getAttribute('href')).toBe(`#/rerating?run=${reratingId}`)
    await link.click()
    await page.getByRole('heading', { level: 1, name: 'Re-rating' }).waitFor()
    const chosen = page.getByTestId('rerating-chosen')
    await chosen.waitFor()
    expect(await chosen.innerText()).toMatch(
      new RegExp(`^Re-rating ${reratingId}, by Administrator on .*: 1 customer and 1 record changed, completed \\(marked below\\)\\.$`)
    )
    const row = page.getByTestId(`rerating-run-${reratingId}`)
    expect(await row.getAttribute('aria-current')).toBe('true')
    expect(await row.isVisible()).toBe(true)
    await page.waitForTimeout(300)
    await page.screenshot({ path: path.join(os.tmpdir(), 'audit-rerating-run.png') })
    // A run that is not there is said so, not silently ignored.
    await go('#/rerating?run=999')
    await page.getByText('Re-rating 999 is not among the last').waitFor()
  })

  it("the usage import's link opens the Usage page with that import's summary", async () => {
    await go(`#/customers/${customerRowId}/balance`)
    await page.getByTestId('trace-customer.balance').click()
    const link = page.getByTestId('trace-view').getByRole('link', { name: `Usage import ${importId}` })
    expect(await link.getAttribute('href')).toBe(`#/usage?import=${importId}`)
    await link.click()
    const summary = page.getByTestId('usage-import-summary')
    await summary.waitFor()
    expect(await summary.innerText()).toContain(`Import #${importId} of easycall-march.csv: 2 lines read, 2 records imported.`)
    await page.waitForTimeout(300)
    await page.screenshot({ path: path.join(os.tmpdir(), 'audit-usage-import.png') })
    // Closing the summary leaves the Usage page, without the import in the address.
    await page.getByTestId('usage-import-close').click()
    await summary.waitFor({ state: 'detached' })
    expect(await page.evaluate(() => window.location.hash)).toBe('#/usage')
    expect(pageErrors).toEqual([])
  })
})
