/**
 * The renderer shell end to end: the built UI (out/renderer, from `npm run build`) in Debian's
 * Chromium, talking to the real handler table through the loopback host, on a fresh data folder.
 * The tests run in order and follow one cashier's first session: first run, then the shell.
 */
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { launchChromium, ROOT, startDesk, tempDataDir, type Desk } from '../support/e2e'

let dataDir: string
let desk: Desk
let browser: Browser
let context: BrowserContext
let page: Page
const pageErrors: string[] = []

beforeAll(async () => {
  dataDir = tempDataDir('shell')
  desk = await startDesk(dataDir)
  browser = await launchChromium()
  context = await browser.newContext({ viewport: { width: 1360, height: 900 }, colorScheme: 'light' })
  page = await context.newPage()
  page.on('pageerror', (e) => pageErrors.push(e.message))
})

afterAll(async () => {
  await browser?.close()
  await desk?.close()
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true })
})

const nav = (label: string) => page.locator('nav').getByRole('button', { name: label, exact: true })
const heading = (name: string) => page.getByRole('heading', { level: 1, name, exact: true })

/** The error text Mantine shows under an input (linked through aria-describedby). */
async function errorUnder(label: string): Promise<string> {
  const input = page.getByRole('textbox', { name: label })
  expect(await input.getAttribute('aria-invalid')).toBe('true')
  const ids = (await input.getAttribute('aria-describedby'))?.split(/\s+/) ?? []
  const texts = await Promise.all(ids.map((id) => page.locator(`[id="${id}"]`).innerText()))
  return texts.join(' | ')
}

function findFile(dir: string, name: string): string | null {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name)
    if (entry.isFile() && entry.name === name) return p
    if (entry.isDirectory()) {
      const found = findFile(p, name)
      if (found) return found
    }
  }
  return null
}

describe('renderer shell in Chromium over the loopback host', () => {
  it('opens a fresh data folder on the first-run screen and takes the token out of the address bar', async () => {
    await page.goto(desk.host.pageUrl)
    await heading('Set up the billing desk').waitFor()
    expect(page.url()).not.toContain('token=')
    expect(await page.getByRole('textbox', { name: 'Company name' }).inputValue()).toBe('')
    expect(await page.getByRole('checkbox', { name: /Load demo data/ }).isChecked()).toBe(true)
  })

  it("shows the main process's validation message under the company name field", async () => {
    await page.getByRole('textbox', { name: 'Company name' }).fill('   ')
    await page.getByRole('button', { name: 'Start billing' }).click()
    await page.getByText('Company name is required.').waitFor()
    expect(await errorUnder('Company name')).toContain('Company name is required.')
    // Nothing was set up: still the first-run screen.
    expect(await heading('Set up the billing desk').isVisible()).toBe(true)
  })

  it('completes first run with demo data and shows the customer list, which search narrows', async () => {
    await page.getByRole('textbox', { name: 'Company name' }).fill('Northside Callshop')
    await page.getByRole('textbox', { name: 'Address' }).fill('12 High Street, Leeds')
    // The first administrator (issue 13): whoever sets the desk up is logged in as them.
    await page.locator('input[name="adminName"]').fill('Ada Admin')
    await page.locator('input[name="adminPassword"]').fill('first-admin-pass')
    fs.mkdirSync(path.join(ROOT, '.test-output'), { recursive: true })
    await page.screenshot({ path: path.join(ROOT, '.test-output', 'first-run-setup.png'), fullPage: true })
    await page.getByRole('button', { name: 'Start billing' }).click()
    await heading('Customers').waitFor({ timeout: 60_000 })
    expect(await page.getByTestId('company-name').innerText()).toBe('Northside Callshop')

    const table = page.getByRole('table', { name: 'Customers' })
    const rows = table.locator('tbody tr')
    await rows.first().waitFor()
    const before = await rows.count()
    expect(before).toBeGreaterThan(10)
    const summary = page.getByTestId('customer-count')
    const totalBefore = Number(
      /of (\d+) customers|^(\d+) customers/
        .exec(await summary.innerText())
        ?.slice(1)
        .find(Boolean)
    )
    expect(totalBefore).toBeGreaterThan(10)

    await page.getByRole('searchbox', { name: 'Search customers' }).fill('Easy Call')
    await summary.filter({ hasText: 'Easy Call' }).waitFor()
    const easy = rows.filter({ hasText: 'Easy Call Ltd' })
    await easy.first().waitFor()
    const after = await rows.count()
    expect(after).toBeGreaterThan(0)
    expect(after).toBeLessThan(before)
    for (const text of await rows.allInnerTexts()) expect(text.toLowerCase()).toContain('easy call')

    // A prepaid customer shows available funds: minus the balance.
    await page.getByRole('searchbox', { name: 'Search customers' }).fill('SmartCall Ltd')
    const smart = rows.filter({ hasText: 'SmartCall Ltd' })
    await smart.first().waitFor()
    const smartText = await smart.first().innerText()
    expect(smartText).toContain('Prepaid')
    expect(smartText).toMatch(/funds\s+75\.00/)
  })

  it('navigates to every page and shows its heading', async () => {
    const pages = ['Invoices', 'Re-issue', 'Usage', 'Audit log', 'Settings', 'Customers']
    for (const label of pages) {
      await nav(label).click()
      await heading(label).waitFor()
      expect(await nav(label).getAttribute('aria-current')).toBe('page')
    }
    // Re-issue opens on its first step, as on the source page.
    await nav('Re-issue').click()
    await page.getByRole('radio', { name: 'Manual picking' }).waitFor()
  })

  it('keeps the dark theme and the session across a reload', async () => {
    const scheme = () => page.evaluate(() => document.documentElement.getAttribute('data-mantine-color-scheme'))
    expect(await scheme()).toBe('light')
    await page.getByRole('button', { name: 'Switch to dark theme' }).click()
    expect(await scheme()).toBe('dark')
    await page.reload()
    await page.getByTestId('company-name').waitFor()
    expect(await scheme()).toBe('dark')
    await page.getByRole('button', { name: 'Switch to light theme' }).click()
    expect(await scheme()).toBe('light')
  })

  it('shows the setup entry in the audit log and reports the chain intact', async () => {
    await nav('Audit log').click()
    const rows = page.getByRole('table', { name: 'Audit log' }).locator('tbody tr')
    const setupRow = rows.filter({ hasText: 'Northside Callshop' }).filter({ hasText: 'setup' })
    await setupRow.first().waitFor()
    expect(await setupRow.first().innerText()).toContain('Ada Admin')
    await page.getByRole('button', { name: 'Verify chain' }).click()
    const result = page.getByTestId('verify-result')
    await result.waitFor()
    expect(await result.innerText()).toContain('Audit chain intact')
  })

  it('makes a backup that appears in the list and on disk', async () => {
    await nav('Settings').click()
    expect(await page.getByText(dataDir, { exact: true }).first().isVisible()).toBe(true)
    const backups = page.getByRole('table', { name: 'Backups' }).locator('tbody tr')
    const before = await backups.count()
    await page.getByRole('button', { name: 'Back up now' }).click()
    const note = page.locator('.mantine-Notification-root').filter({ hasText: 'Backup made' })
    await note.waitFor()
    const fileName = /(\S+\.sqlite)/.exec(await note.innerText())?.[1]
    expect(fileName).toBeTruthy()
    await backups.filter({ hasText: fileName! }).waitFor()
    expect(await backups.count()).toBe(before + 1)
    expect(findFile(dataDir, fileName!)).not.toBeNull()
  })

  it('refuses IPC without the token, and a page opened without it says what to do', async () => {
    const none = await fetch(`${desk.host.url}/ipc/app.status`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } })
    expect(none.status).toBe(401)
    const wrong = await fetch(`${desk.host.url}/ipc/app.status`, {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${'0'.repeat(desk.host.token.length)}` }
    })
    expect(wrong.status).toBe(401)

    const stranger = await context.newPage() // a new tab: no token in its URL or session
    await stranger.goto(`${desk.host.url}/`)
    await stranger.getByRole('heading', { name: 'The billing desk could not start' }).waitFor()
    expect(await stranger.getByRole('alert').innerText()).toContain('no valid access key')
    await stranger.close()

    expect(pageErrors).toEqual([])
  })
})
