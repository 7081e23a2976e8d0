/**
 * Operators, login and roles in Chromium (issue 13 items 1 and 2): the administrator adds a
 * cashier and an auditor on the Operators page; the cashier cannot open a manual charge (the wizard
 * does not offer it, and the channel refuses it from the page); the auditor exports the audit log
 * and cannot change a customer; five wrong passwords lock an operator; an idle counter locks and
 * unlocks with the same operator's password. Screenshots of the login screen, the Operators page
 * and the lock screen go to .test-output/.
 */
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { ADMIN_ACTOR } from '../support/desk'
import { launchChromium, logInOnPage, openDemoSession, openDeskPage, ROOT, startDesk, tempDataDir, type DemoSession, type LoginAs } from '../support/e2e'
import { TEST_ADMIN, TEST_ADMIN_PASSWORD } from '../support/operators'

const SHOTS = path.join(ROOT, '.test-output')
const CASHIER: LoginAs = { login: 'carla', password: 'cashier-pass-1' }
const AUDITOR: LoginAs = { login: 'otto', password: 'auditor-pass-1' }

let clock = Date.parse('2026-11-21T10:00:00Z')
let session: DemoSession
let page: Page
const browsers: Browser[] = []

beforeAll(async () => {
  fs.mkdirSync(SHOTS, { recursive: true })
  session = await openDemoSession('operators', { now: () => clock, idleClock: () => clock, viewport: { width: 1366, height: 768 } })
  page = session.page
  page.setDefaultTimeout(15_000)
})

afterAll(async () => {
  for (const b of browsers) await b.close()
  await session?.close()
})

const nav = (p: Page) => p.locator('nav')

/** A channel call from inside the page, as its own bridge makes it (token and session from the tab). */
function callFromPage(p: Page, channel: string, input: unknown): Promise<{ ok: boolean; error?: { code: string; message: string } }> {
  return p.evaluate(
    async ([c, i]) => {
      const res = await fetch(`/ipc/${c}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${sessionStorage.getItem('billing.token')}`,
          'x-billing-session': sessionStorage.getItem('billing.session') ?? ''
        },
        body: JSON.stringify(i)
      })
      return res.json()
    },
    [channel, input] as const
  )
}

async function asOperator(as: LoginAs, acceptDownloads = false): Promise<{ page: Page; errors: string[] }> {
  const errors: string[] = []
  const opened = await openDeskPage(session.desk, errors, { as, acceptDownloads })
  browsers.push(opened.browser)
  opened.page.setDefaultTimeout(15_000)
  return { page: opened.page, errors }
}

describe('operators and roles', () => {
  it('the administrator is named in the header and adds a cashier and an auditor on the Operators page', async () => {
    expect(await page.getByTestId('operator-name').innerText()).toBe('Administrator')
    await nav(page).getByRole('button', { name: 'Operators', exact: true }).click()
    await page.getByRole('heading', { level: 1, name: 'Operators' }).waitFor()
    for (const [as, name, role] of [
      [CASHIER, 'Carla Cashier', 'Cashier'],
      [AUDITOR, 'Otto Auditor', 'Auditor']
    ] as const) {
      await page.getByRole('button', { name: 'Add operator' }).click()
      const dialog = page.getByRole('dialog', { name: 'Add an operator' })
      await dialog.locator('input[name="login"]').fill(as.login)
      await dialog.locator('input[name="name"]').fill(name)
      await dialog.getByRole('combobox', { name: 'Role', exact: true }).click()
      await page.getByRole('option', { name: role, exact: true }).click()
      await dialog.locator('input[name="password"]').fill(as.password)
      await dialog.getByRole('button', { name: 'Add operator' }).click()
      await page.getByTestId(`operator-${as.login}`).waitFor()
      expect(await page.getByTestId(`operator-${as.login}`).innerText()).toContain(role)
    }
    await page.waitForTimeout(300)
    await page.screenshot({ path: path.join(SHOTS, 'operators-page.png') })
    expect(session.pageErrors).toEqual([])
  })

  it('five wrong passwords in a row lock an operator; the login screen says until when', async () => {
    await session.desk.call('operators.create', { login: 'lucky', name: 'Lucky Guess', role: 'cashier', password: 'right-pass-1' })
    const browser = await launchChromium()
    browsers.push(browser)
    const p = await browser.newPage({ viewport: { width: 1366, height: 768 } })
    await p.goto(session.desk.host.pageUrl)
    await p.getByTestId('login-screen').waitFor()
    await p.screenshot({ path: path.join(SHOTS, 'login-screen.png') })
    for (let i = 1; i <= 5; i++) {
      await logInOnPage(p, { login: 'lucky', password: `wrong-${i}` })
      await p
        .getByRole('alert')
        .filter({ hasText: i < 5 ? 'Wrong login or password.' : 'locked until 10:15 UTC' })
        .waitFor()
    }
    await logInOnPage(p, { login: 'lucky', password: 'right-pass-1' })
    await p.getByRole('alert').filter({ hasText: 'locked until 10:15 UTC' }).waitFor()
    expect(await p.getByTestId('login-screen').isVisible()).toBe(true)
    const kinds = (await session.desk.call('audit.search', { kind: 'auth.lockout', limit: 5 })).entries.map((e) => e.description)
    expect(kinds).toEqual(['Operator "Lucky Guess" locked until 2026-11-21T10:15:00.000Z after 5 wrong passwords in a row.'])
  })

  it('a cashier sees no Settings, Operators or Audit log, is not offered a manual charge, and the channel refuses one', async () => {
    const { page: p, errors } = await asOperator(CASHIER)
    expect(await p.getByTestId('operator-name').innerText()).toBe('Carla Cashier')
    for (const hidden of ['Settings', 'Operators', 'Audit log', 'Re-rating', 'Re-issue'])
      expect(await nav(p).getByRole('button', { name: hidden, exact: true }).count(), hidden).toBe(0)
    const row = (await session.desk.call('customers.list', { search: 'easycall' })).rows[0]!
    await p.getByRole('searchbox', { name: 'Search customers' }).fill(row.customerId)
    await p.getByRole('table', { name: 'Customers' }).locator('tbody tr:not([data-loading])').filter({ hasText: row.customerId }).first().click()
    await p.getByTestId('customer-title').filter({ hasText: row.customerId }).waitFor()
    await p.getByRole('button', { name: 'Balance adjustment' }).first().click()
    const dialog = p.getByRole('dialog')
    await dialog.getByRole('radio', { name: 'Manual payment', exact: true }).waitFor()
    for (const refused of ['Manual charge', 'Manual credit', 'Promotional credit', 'Refund']) {
      expect(await dialog.getByRole('radio', { name: refused, exact: true }).count(), refused).toBe(0)
    }
    await p.keyboard.press('Escape')
    const res = await callFromPage(p, 'adjustments.submit', {
      customerId: row.id,
      operation: 'manual-charge',
      amount: '5.00',
      serviceId: 1,
      operationKey: 'e2e-cashier-charge-0001'
    })
    expect(res).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    expect(res.error!.message).toContain('"Manual charge"')
    expect(errors).toEqual([])
  })

  it('an auditor exports the audit log and cannot change a customer', async () => {
    const { page: p, errors } = await asOperator(AUDITOR, true)
    await nav(p).getByRole('button', { name: 'Audit log', exact: true }).click()
    await p.getByRole('heading', { level: 1, name: 'Audit log' }).waitFor()
    const download = p.waitForEvent('download')
    await p.getByRole('button', { name: 'Export CSV' }).click()
    const csv = fs.readFileSync((await (await download).path())!, 'utf8')
    expect(csv).toContain('""Carla Cashier"" (login carla) added as Cashier.')
    const row = (await session.desk.call('customers.list', { search: 'easycall' })).rows[0]!
    await p.evaluate((id) => (window.location.hash = `#/customers/${id}`), row.id)
    await p.getByTestId('customer-title').filter({ hasText: row.customerId }).waitFor()
    // The auditor reads the desk's notifications (a batch's results) too.
    expect(await p.getByRole('button', { name: /^Notifications/ }).count()).toBe(1)
    // What the auditor may not do is not offered at all: no Balance adjustment, no Change status.
    await p.getByRole('tab', { name: 'Balance & credits' }).click()
    await p.getByTestId('figure-unallocated').waitFor()
    await p.setViewportSize({ width: 1366, height: 768 })
    await p.screenshot({ path: path.join(SHOTS, 'auditor-customer-balance.png') })
    expect(await p.getByRole('button', { name: /Balance adjustment/ }).count()).toBe(0)
    await p.getByRole('tab', { name: 'Life cycle' }).click()
    await p.getByTestId('lifecycle-status').waitFor()
    expect(await p.getByRole('button', { name: 'Change status' }).count()).toBe(0)
    // Nor in the customer list: no row offers the wizard.
    await nav(p).getByRole('button', { name: 'Customers', exact: true }).click()
    await p.getByRole('row').nth(1).waitFor()
    expect(await p.getByRole('button', { name: /^Balance adjustment for/ }).count()).toBe(0)
    const res = await callFromPage(p, 'customers.update', { id: row.id, companyName: 'Renamed by the auditor', classId: null, creditLimit: null })
    expect(res).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    expect((await session.desk.call('customers.get', { id: row.id })).companyName).not.toBe('Renamed by the auditor')
    // Settings: read, not changed — no Save, no backup or restore.
    await nav(p).getByRole('button', { name: 'Settings', exact: true }).click()
    await p.getByRole('heading', { level: 1, name: 'Settings' }).waitFor()
    await p.getByRole('textbox', { name: 'Company name' }).waitFor()
    expect(await p.getByRole('textbox', { name: 'Company name' }).isDisabled()).toBe(true)
    expect(await p.getByRole('button', { name: 'Save', exact: true }).count()).toBe(0)
    expect(await p.getByRole('button', { name: 'Back up now' }).count()).toBe(0)
    expect(await p.getByRole('button', { name: 'Restore from file…' }).count()).toBe(0)
    expect(errors).toEqual([])
  })

  it('an idle counter locks; the same operator unlocks it with their password', async () => {
    await session.desk.call('settings.update', { companyName: 'Northside Callshop', address: '12 High Street, Leeds', idleLockMinutes: 1 })
    clock += 2 * 60_000
    await nav(page).getByRole('button', { name: 'Invoices', exact: true }).click()
    const lock = page.getByTestId('lock-screen')
    await lock.waitFor()
    expect(await lock.innerText()).toContain('Administrator unlocks it with their password')
    await page.screenshot({ path: path.join(SHOTS, 'lock-screen.png') })
    await lock.locator('input[name="password"]').fill('not-the-password')
    await lock.getByRole('button', { name: 'Unlock' }).click()
    await lock.getByRole('alert').filter({ hasText: 'Wrong login or password.' }).waitFor()
    await lock.locator('input[name="password"]').fill(TEST_ADMIN_PASSWORD)
    await lock.getByRole('button', { name: 'Unlock' }).click()
    await page.getByRole('heading', { level: 1, name: 'Invoices' }).waitFor()
    expect(await page.getByTestId('operator-name').innerText()).toBe('Administrator')
    expect(session.pageErrors).toEqual([])
  })

  it('another operator logging in at the lock screen ends the first session', async () => {
    clock += 2 * 60_000
    await nav(page).getByRole('button', { name: 'Customers', exact: true }).click()
    const lock = page.getByTestId('lock-screen')
    await lock.waitFor()
    await lock.getByRole('button', { name: 'Log in as another operator' }).click()
    await logInOnPage(page, CASHIER)
    await page.getByRole('heading', { level: 1, name: 'Customers' }).waitFor()
    expect(await page.getByTestId('operator-name').innerText()).toBe('Carla Cashier')
    const ended = (await session.desk.call('audit.search', { kind: 'auth.logout', limit: 1 })).entries[0]
    expect(ended?.description).toBe("Administrator's session ended: Carla Cashier logged in.")
  })
})

describe('an upgraded data folder', () => {
  it('asks for the administrator password once, then logs the administrator in', async () => {
    const dataDir = tempDataDir('operators-upgraded')
    const desk = await startDesk(dataDir)
    try {
      await desk.call('setup.complete', { companyName: 'Old Callshop', address: '', defaultCurrency: 'USD', loadDemoData: false, ...TEST_ADMIN })
      // As a folder set up before operators could log in: no administrator has a password.
      desk.app.core.engine.change(ADMIN_ACTOR, (w) => w.run("UPDATE operators SET password_hash = NULL WHERE role = 'administrator'"))
      const browser = await launchChromium()
      browsers.push(browser)
      const p = await browser.newPage({ viewport: { width: 1366, height: 768 } })
      await p.goto(desk.host.pageUrl)
      const screen = p.getByTestId('admin-password-screen')
      await screen.waitFor()
      // The login to use from then on is on the screen: nobody typed it in this folder.
      await screen.getByText('From then on the administrator logs in as “admin” with this password.', { exact: false }).waitFor()
      await p.screenshot({ path: path.join(SHOTS, 'admin-password-screen.png') })
      await screen.locator('input[name="password"]').fill('upgraded-pass')
      await screen.locator('input[name="repeat"]').fill('upgraded-pasS')
      await screen.getByRole('button', { name: 'Set password and log in' }).click()
      await screen.getByText('The two passwords differ.').waitFor()
      await screen.locator('input[name="repeat"]').fill('upgraded-pass')
      await screen.getByRole('button', { name: 'Set password and log in' }).click()
      await p.getByRole('heading', { level: 1, name: 'Customers' }).waitFor()
      expect(await p.getByTestId('operator-name').innerText()).toBe('Administrator')
      expect((await desk.call('app.status', {})).needsAdminPassword).toBe(false)
    } finally {
      await desk.close()
      fs.rmSync(dataDir, { recursive: true, force: true })
    }
  })
})
