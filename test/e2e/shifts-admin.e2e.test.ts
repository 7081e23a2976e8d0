/**
 * All shifts for an administrator (docs/shifts.md), in Chromium: more shifts than a page (Older /
 * Newer, the page in the address), the opened-from/to filters kept in the address across a reload,
 * and a shift a cashier left open closed by the administrator from the list, counted per currency,
 * then shown closed by them.
 */
import fs from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { newKey } from '../support/desk'
import { type Desk, openDeskPage, startDesk, tempDataDir, type TestOperator } from '../support/e2e'
import { TEST_ADMIN } from '../support/operators'

const CARLA: TestOperator = { login: 'carla', name: 'Carla Cashier', role: 'cashier', password: 'cashier-pass-1' }
const DAVE: TestOperator = { login: 'dave', name: 'Dave Drawer', role: 'cashier', password: 'cashier-pass-2' }
const DAY = 86_400_000

let clock = Date.parse('2026-07-01T08:00:00Z')
let dataDir: string
let desk: Desk
let browser: Browser
let page: Page
const pageErrors: string[] = []
let leftOpen: number
let carla: number

beforeAll(async () => {
  fs.mkdirSync('.test-output', { recursive: true })
  dataDir = tempDataDir('shifts-admin')
  desk = await startDesk(dataDir, { now: () => clock })
  await desk.call('setup.complete', { companyName: 'Northside Callshop', address: '', defaultCurrency: 'USD', loadDemoData: true, ...TEST_ADMIN })
  const ids: number[] = []
  for (const op of [CARLA, DAVE]) ids.push((await desk.call('operators.create', { login: op.login, name: op.name, role: op.role, password: op.password })).id)
  carla = ids[0]!
  const dave = ids[1]!
  // 104 days of Dave's shifts, 2026-07-01 … 2026-10-12, each closed an hour after it opened.
  for (let i = 0; i < 104; i++) {
    const s = await desk.callAs(dave, 'shifts.open', { floats: [{ currency: 'USD', amount: '10' }] })
    clock += 3_600_000
    await desk.callAs(dave, 'shifts.close', { shiftId: s.id, counted: [{ currency: 'USD', amount: '10' }] })
    clock += DAY - 3_600_000
  }
  // Carla's shift, which she forgets to close.
  clock = Date.parse('2026-11-02T08:00:00Z')
  leftOpen = (await desk.callAs(carla, 'shifts.open', { floats: [{ currency: 'USD', amount: '50' }] })).id
  const { rows } = await desk.call('customers.list', { search: 'easycall' })
  await desk.callAs(carla, 'adjustments.submit', { customerId: rows[0]!.id, operation: 'manual-payment', amount: '12.50', operationKey: newKey() })
  clock += 10 * 3_600_000
  // The administrator's page logs in now (the clock moved months while the shifts were made).
  ;({ browser, page } = await openDeskPage(desk, pageErrors, { viewport: { width: 1366, height: 768 } }))
  page.setDefaultTimeout(15_000)
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await desk?.close()
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true })
})

const list = () => page.getByTestId('all-shifts')
const hash = () => decodeURIComponent(new URL(page.url()).hash)

describe('all shifts, for an administrator', () => {
  it('pages through more shifts than a page holds, the page kept in the address', async () => {
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('button', { name: 'Shifts', exact: true }).click()
    await list().getByTestId('shift-count').filter({ hasText: '105 shifts, 1–100 shown' }).waitFor()
    expect(await list().getByTestId('shift-page').innerText()).toBe('Page 1 of 2')
    await list().locator(`tr[data-shift="${leftOpen}"]`).waitFor()
    await list().getByRole('button', { name: 'Older' }).click()
    await list().getByTestId('shift-count').filter({ hasText: '105 shifts, 101–105 shown' }).waitFor()
    expect(hash()).toContain('page=1')
    // The oldest five: Dave's first days.
    expect(await list().locator('tr[data-shift]').count()).toBe(5)
    expect(await list().locator('tr[data-shift="1"]').count()).toBe(1)
    await page.goBack()
    await list().getByTestId('shift-count').filter({ hasText: '1–100 shown' }).waitFor()
    expect(pageErrors).toEqual([])
  })

  it('filters by the day shifts were opened; the filter stays in the address across a reload', async () => {
    await list().getByLabel('Opened from').fill('2026-10-01')
    await list().getByLabel('Opened to').fill('2026-10-05')
    await list()
      .getByTestId('shift-count')
      .filter({ hasText: /^5 shifts$/ })
      .waitFor()
    expect(hash()).toContain('from=2026-10-01')
    expect(hash()).toContain('to=2026-10-05')
    await page.screenshot({ path: '.test-output/shifts-admin-dates-1366.png' })
    await page.reload()
    await list()
      .getByTestId('shift-count')
      .filter({ hasText: /^5 shifts$/ })
      .waitFor()
    expect(await list().getByLabel('Opened from').inputValue()).toBe('2026-10-01')
    expect(await list().getByLabel('Opened to').inputValue()).toBe('2026-10-05')
    const opened = await list().locator('tr[data-shift] td:nth-child(3)').allInnerTexts()
    expect(opened.map((t) => t.slice(0, 10))).toEqual(['2026-10-05', '2026-10-04', '2026-10-03', '2026-10-02', '2026-10-01'])
    await list().getByLabel('Opened from').fill('')
    await list().getByLabel('Opened to').fill('')
    await list().getByTestId('shift-count').filter({ hasText: '105 shifts' }).waitFor()
  })

  it('closes a shift a cashier left open, counting the drawer; the list shows it closed by the administrator', async () => {
    const row = list().locator(`tr[data-shift="${leftOpen}"]`)
    expect(await row.innerText()).toContain('open')
    await row.getByRole('button', { name: `Close shift ${leftOpen}` }).click()
    const dialog = page.getByRole('dialog')
    expect(await dialog.getByTestId('closing-for').innerText()).toContain('Carla Cashier left this shift open')
    await dialog.getByRole('textbox', { name: 'Counted USD' }).fill('60')
    await page.screenshot({ path: '.test-output/shifts-admin-close-1366.png' })
    await dialog.getByRole('button', { name: 'Close shift' }).click()
    await dialog.getByTestId('shift-close-result').waitFor()
    expect(await dialog.getByTestId('shift-close-figures').innerText()).toContain('short by 2.50 USD')
    await dialog.getByRole('button', { name: 'Done' }).click()
    await row.filter({ hasText: 'by Administrator' }).waitFor()
    expect(await row.getByRole('button', { name: `Close shift ${leftOpen}` }).count()).toBe(0)
    expect((await desk.callAs(carla, 'shifts.current', {})).shift).toBeNull()
    await page.screenshot({ path: '.test-output/shifts-admin-closed-1366.png' })
    expect(pageErrors).toEqual([])
  })
})
