/**
 * End-to-end plumbing shared by test/e2e: the built renderer, Debian's Chromium, and the real
 * billing app behind the loopback host, in this process (so a test can drive its clock).
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'
import { openBillingApp, type BillingAppOptions } from '../../src-main/app'
import { startHost, type RunningHost } from '../../src-main/host/server'
import type { Channel, InputOf, ResultOf } from '../../src-shared/contract'
import type { IpcResponse } from '../../src-shared/errors'
import type { Role } from '../../src-shared/domain'
import { TEST_ADMIN, TEST_ADMIN_LOGIN, TEST_ADMIN_PASSWORD, TEST_KDF } from './operators'

export const ROOT = path.resolve(__dirname, '../..')
export const RENDERER_DIR = path.join(ROOT, 'out/renderer')

/** Installed browsers tried after CHROMIUM_PATH, before the one shipped in an npm package. */
const INSTALLED_BROWSERS = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable', '/snap/bin/chromium']

let browserPath: Promise<string> | null = null

/**
 * The browser the end-to-end tests drive: `CHROMIUM_PATH`, else an installed Chromium/Chrome,
 * else the headless Chromium inside the `@sparticuz/chromium` npm package (Linux x64 only), so
 * `npm install && npm test` needs nothing from apt.
 */
export function findChromium(): Promise<string> {
  browserPath ??= (async () => {
    const fromEnv = process.env.CHROMIUM_PATH
    if (fromEnv) {
      if (!fs.existsSync(fromEnv)) throw new Error(`CHROMIUM_PATH is set to ${fromEnv}, which does not exist.`)
      return fromEnv
    }
    const installed = INSTALLED_BROWSERS.find((p) => fs.existsSync(p))
    if (installed) return installed
    if (process.platform !== 'linux' || process.arch !== 'x64') {
      throw new Error(`No Chromium found: install Chromium or Chrome, or set CHROMIUM_PATH (the npm-shipped fallback covers Linux x64 only).`)
    }
    const { default: packaged } = await import('@sparticuz/chromium')
    return packaged.executablePath()
  })()
  return browserPath
}

/** Headless Chromium as this machine runs it (no sandbox as root, no background network). */
export async function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(path.join(RENDERER_DIR, 'index.html'))) {
    throw new Error(`No built renderer in ${RENDERER_DIR}. Run \`npm run build\` before the end-to-end tests.`)
  }
  return chromium.launch({
    executablePath: await findChromium(),
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run']
  })
}

/**
 * The pages the running test file has open, with their last console lines, so a failed test can
 * say where the page was (test/support/e2eFailure.ts) instead of only "timed out".
 */
export const openPages = new Map<Page, string[]>()

/** How long a Playwright wait or action may take before it fails naming its locator. */
export const E2E_ACTION_TIMEOUT_MS = 20_000

export function tempDataDir(name: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `billing-e2e-${name}-`))
}

export interface Desk {
  app: Awaited<ReturnType<typeof openBillingApp>>
  host: RunningHost
  /** A channel call straight to the handler table; throws on an error answer. */
  call<C extends Channel>(channel: C, input: InputOf<C>): Promise<ResultOf<C>>
  /** The same, as the operator `operatorId` (logged in, not locked). */
  callAs<C extends Channel>(operatorId: number, channel: C, input: InputOf<C>): Promise<ResultOf<C>>
  close(): Promise<void>
}

/** The billing app on `dataDir`, served on 127.0.0.1 like browser mode. */
export async function startDesk(dataDir: string, opts: Partial<BillingAppOptions> = {}): Promise<Desk> {
  // Idleness on the wall clock: tests that move the books' clock by days are not idle counters.
  const app = await openBillingApp({ dataDir, log: () => {}, dailyBackupDelayMs: 3_600_000, kdf: TEST_KDF, idleClock: Date.now, ...opts })
  const host = await startHost({ dispatcher: app, rendererDir: RENDERER_DIR })
  return {
    app,
    host,
    async call(channel, input) {
      const res = (await app.dispatch(channel, input, { transport: 'test' })) as IpcResponse<ResultOf<typeof channel>>
      if (!res.ok) throw new Error(`${channel} failed: ${res.error.code} ${res.error.message}`)
      return res.value
    },
    async callAs(operatorId, channel, input) {
      const res = (await app.dispatch(channel, input, { transport: 'test', operatorId })) as IpcResponse<ResultOf<typeof channel>>
      if (!res.ok) throw new Error(`${channel} as operator ${operatorId} failed: ${res.error.code} ${res.error.message}`)
      return res.value
    },
    async close() {
      await host.close()
      await app.close()
    }
  }
}

/** Who a page logs in as: the test administrator unless told (issue 13). */
export interface LoginAs {
  login: string
  password: string
}
export const TEST_ADMIN_LOGIN_AS: LoginAs = { login: TEST_ADMIN_LOGIN, password: TEST_ADMIN_PASSWORD }

/** Log in on the login screen (or the lock screen's "another operator" form) the page shows. */
export async function logInOnPage(page: Page, as: LoginAs = TEST_ADMIN_LOGIN_AS): Promise<void> {
  const form = page.locator('form').filter({ has: page.locator('input[name="login"]') })
  await form.locator('input[name="login"]').fill(as.login)
  await form.locator('input[name="password"]').fill(as.password)
  await form.getByRole('button', { name: /^Log in/ }).click()
}

/**
 * Chromium showing the desk's Customers page (1366x768 unless told), in light colours, logged in
 * as the test administrator (or `as`); the page's uncaught errors are collected in `pageErrors`
 * (tests assert there were none).
 */
export async function openDeskPage(
  desk: Desk,
  pageErrors: string[],
  opts: { viewport?: { width: number; height: number }; acceptDownloads?: boolean; as?: LoginAs } = {}
): Promise<{ browser: Browser; page: Page }> {
  const browser = await launchChromium()
  const context = await browser.newContext({
    viewport: opts.viewport ?? { width: 1366, height: 768 },
    colorScheme: 'light',
    // Playwright's own default (downloads accepted) unless the test says otherwise.
    ...(opts.acceptDownloads === undefined ? {} : { acceptDownloads: opts.acceptDownloads })
  })
  const page = await context.newPage()
  // Below the test's own timeout, so a wait that never ends fails with the locator it waited for.
  page.setDefaultTimeout(E2E_ACTION_TIMEOUT_MS)
  const consoleLines: string[] = []
  openPages.set(page, consoleLines)
  page.on('close', () => openPages.delete(page))
  page.on('console', (m) => {
    consoleLines.push(`${m.type()}: ${m.text()}`)
    if (consoleLines.length > 20) consoleLines.shift()
  })
  page.on('pageerror', (e) => pageErrors.push(e.message))
  await page.goto(desk.host.pageUrl)
  await page.getByTestId('login-screen').waitFor({ timeout: 30_000 })
  await logInOnPage(page, opts.as)
  await page.getByRole('heading', { level: 1, name: 'Customers', exact: true }).waitFor({ timeout: 30_000 })
  return { browser, page }
}

/** An operator an end-to-end test adds before its page logs in (`openDemoSession`'s `operators`). */
export interface TestOperator extends LoginAs {
  name: string
  role: Role
}

export interface DemoSession {
  dataDir: string
  desk: Desk
  /** The ids of the operators added by `opts.operators`, by login. */
  operatorIds: Record<string, number>
  browser: Browser
  page: Page
  /** Uncaught errors the page raised (tests assert there were none). */
  pageErrors: string[]
  close(): Promise<void>
}

/**
 * A data folder after first run with demo data, the desk on it, and Chromium showing the
 * Customers page — where most end-to-end tests start.
 */
export async function openDemoSession(
  name: string,
  opts: {
    now?: () => number
    /** The clock the idle lock reads (default: the wall clock, whatever `now` says). */
    idleClock?: () => number
    acceptDownloads?: boolean
    viewport?: { width: number; height: number }
    as?: LoginAs
    /** Operators to add before the page logs in (it may log in as one of them with `as`). */
    operators?: TestOperator[]
  } = {}
): Promise<DemoSession> {
  const dataDir = tempDataDir(name)
  const desk = await startDesk(dataDir, { ...(opts.now ? { now: opts.now } : {}), ...(opts.idleClock ? { idleClock: opts.idleClock } : {}) })
  await desk.call('setup.complete', { companyName: 'Northside Callshop', address: '12 High Street, Leeds', defaultCurrency: 'USD', loadDemoData: true, ...TEST_ADMIN })
  const operatorIds: Record<string, number> = {}
  for (const op of opts.operators ?? []) {
    operatorIds[op.login] = (await desk.call('operators.create', { login: op.login, name: op.name, role: op.role, password: op.password })).id
  }
  const pageErrors: string[] = []
  const { browser, page } = await openDeskPage(desk, pageErrors, {
    viewport: opts.viewport ?? { width: 1360, height: 900 },
    acceptDownloads: opts.acceptDownloads ?? false,
    ...(opts.as ? { as: opts.as } : {})
  })
  return {
    dataDir,
    desk,
    operatorIds,
    browser,
    page,
    pageErrors,
    async close() {
      await browser.close()
      await desk.close()
      fs.rmSync(dataDir, { recursive: true, force: true })
    }
  }
}
