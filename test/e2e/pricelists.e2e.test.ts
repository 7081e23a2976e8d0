/**
 * Price lists end to end, in Chromium at 1366x768 over the loopback host: create a list, choose a
 * CSV with a bad row (the problem shown by line and column, Upload disabled, nothing uploaded),
 * choose the fixed file and upload it, upload a second version and see what it changed against
 * the first. The tests run in order and build on each other.
 */
import fs from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { startDesk, tempDataDir, type Desk, openDeskPage } from '../support/e2e'
import { TEST_ADMIN } from '../support/operators'

let dataDir: string
let desk: Desk
let browser: Browser
let page: Page
const pageErrors: string[] = []

beforeAll(async () => {
  dataDir = tempDataDir('pricelists')
  desk = await startDesk(dataDir)
  await desk.call('setup.complete', { companyName: 'Tariff Callshop', address: '', defaultCurrency: 'USD', loadDemoData: false, ...TEST_ADMIN })
  const opened = await openDeskPage(desk, pageErrors)
  browser = opened.browser
  page = opened.page
})

afterAll(async () => {
  await browser?.close()
  await desk?.close()
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true })
})

const HEADER = 'prefix;description;price_per_minute;connection_fee;first_interval;next_interval;free_seconds'
const dialog = () => page.getByRole('dialog')
const chooseCsv = (csv: string) =>
  dialog()
    .locator('input[type=file]')
    .setInputFiles({ name: 'tariff.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) })

describe('Price lists page', () => {
  it('creates a list in a currency', async () => {
    await page.locator('nav').getByRole('button', { name: 'Price lists', exact: true }).click()
    await page.getByRole('heading', { level: 1, name: 'Price lists' }).waitFor()
    await page.getByRole('button', { name: 'New price list' }).click()
    await dialog().getByLabel('Name').fill('Booth retail')
    await dialog().getByRole('button', { name: 'Create' }).click()
    await dialog().waitFor({ state: 'detached' })
    await expect.poll(() => page.getByRole('table', { name: 'Price lists' }).textContent()).toContain('Booth retail')
    await page.getByRole('heading', { name: 'Booth retail (USD): versions' }).waitFor()
  })

  it('shows a bad row by line and column and uploads nothing; the fixed file uploads', async () => {
    await page.getByRole('button', { name: 'Upload version' }).click()
    await chooseCsv(`\uFEFF${HEADER}\r\n44;UK;0.01;0;60;60;0\r\n49;Germany;-0.02;0;60;60;0\r\n`)
    const problems = dialog().getByRole('table', { name: 'Problems' })
    await problems.waitFor()
    expect(await problems.locator('tbody tr').first().textContent()).toBe('3price_per_minutePrice per minute cannot be negative ("-0.02").')
    expect(await dialog().getByRole('button', { name: 'Upload', exact: true }).isDisabled()).toBe(true)
    await page.waitForTimeout(400) // the dialog's opening transition, for a screenshot a person can read
    await page.screenshot({ path: '.test-output/pricelists-upload-problems-1366.png' })

    await chooseCsv(`\uFEFF${HEADER}\r\n44;UK;0.01;0;60;60;0\r\n49;Germany;0.02;0;60;60;0\r\n33;France;0.03;0;60;60;0\r\n`)
    await dialog().getByRole('table', { name: 'Preview' }).waitFor()
    await dialog().getByLabel('Effective from').fill('2026-03-01T00:00:00Z')
    await dialog().getByRole('button', { name: 'Upload', exact: true }).click()
    await dialog().waitFor({ state: 'detached' })
    const versions = page.getByRole('table', { name: 'Versions' })
    await expect.poll(() => versions.textContent()).toContain('2026-03-01 00:00 UTC')
    expect(await versions.locator('tbody tr').count()).toBe(1)
  })

  it('compares a second version with the first', async () => {
    await page.getByRole('button', { name: 'Upload version' }).click()
    await chooseCsv(`${HEADER.replaceAll(';', ',')}\n44,UK,0.015,0,60,60,0\n49,Germany,0.02,0,60,60,0\n1,USA,0.005,0,30,6,0\n`)
    await dialog().getByRole('table', { name: 'Preview' }).waitFor()
    await dialog().getByLabel('Effective from').fill('2026-04-01T00:00:00Z')
    await dialog().getByRole('button', { name: 'Upload', exact: true }).click()
    await dialog().waitFor({ state: 'detached' })
    const versions = page.getByRole('table', { name: 'Versions' })
    await expect.poll(() => versions.locator('tbody tr').count()).toBe(2)
    await page.getByRole('button', { name: 'Compare the version effective from 2026-04-01 00:00 UTC' }).click()
    await dialog().getByText('1 added').waitFor()
    expect(await dialog().getByText('1 removed').isVisible()).toBe(true)
    expect(await dialog().getByText('1 changed').isVisible()).toBe(true)
    expect(await dialog().getByRole('region', { name: 'Changed' }).textContent()).toContain('44price per minute0.010.015')
    expect(await dialog().getByRole('table', { name: 'Removed prefixes' }).textContent()).toContain('France')
    await page.waitForTimeout(400)
    await page.screenshot({ path: '.test-output/pricelists-compare-1366.png' })
    await page.keyboard.press('Escape')
    await dialog().waitFor({ state: 'detached' })
    await page.screenshot({ path: '.test-output/pricelists-page-1366.png' })
    expect(pageErrors).toEqual([])
  })
})
