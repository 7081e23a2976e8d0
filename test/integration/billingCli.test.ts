/**
 * `npm run billing -- import-usage FILE --data-dir DIR` (src-main/tools/billing-cli.ts through
 * scripts/billing.mjs), run as a real child process as a scheduled job would: exit code 0 when
 * everything was imported and rated, 1 when rows were rejected or records left unrated, 2 when
 * nothing could be done (bad arguments, unreadable file, a folder not set up, or one the app has
 * open). Importing the same file twice charges once, and a process killed in the middle of a
 * large file leaves whole batches that a second run completes.
 */
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openBillingApp } from '../../src-main/app'
import { openTestDesk } from '../support/desk'
import { usageWorld } from '../support/usageWorld'
import { TEST_ADMIN_LOGIN, TEST_ADMIN_PASSWORD } from '../support/operators'

const WRAPPER = path.resolve('scripts/billing.mjs')
/** What the wrapper runs once the build is fresh: killed directly, since a kill does not pass through the wrapper. */
const BUILT = path.resolve('out/main/billing.js')

interface Run {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

function billing(args: string[], opts: { killAfterMs?: number } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [opts.killAfterMs === undefined ? WRAPPER : BUILT, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    child.on('error', reject)
    const timer = opts.killAfterMs === undefined ? null : setTimeout(() => child.kill('SIGKILL'), opts.killAfterMs)
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer)
      resolve({ code, signal, stdout, stderr })
    })
  })
}

let root: string
/** A set-up data folder with customer `who` (account BOOTH-1) rated by a USD list; closed again. */
let dataDir: string
let serviceCode: string
let customerRowId: number

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'billing-cli-'))
  const desk = await openTestDesk()
  const world = await usageWorld(desk)
  await world.upload('2026-01-01T00:00:00Z', '44,UK,0.10,0,60,60,0')
  const c = await world.customer({}, ['BOOTH-1'])
  customerRowId = c.id
  serviceCode = desk.app.core.engine.read((r) => r.get<{ code: string }>('SELECT code FROM services WHERE id = ?', [world.serviceId])!.code)
  dataDir = path.join(root, 'books')
  await desk.app.close()
  fs.cpSync(desk.app.dataDir, dataDir, { recursive: true })
  fs.rmSync(desk.app.dataDir, { recursive: true, force: true })
}, 120_000)
afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true })
})

const HEADER = 'switch_record_id,account,start_time,duration,called_number,service'
const usageFile = (name: string, rows: string[]) => {
  const file = path.join(root, name)
  fs.writeFileSync(file, [HEADER, ...rows].join('\n'))
  return file
}

async function inBooks<T>(fn: (app: Awaited<ReturnType<typeof openBillingApp>>) => T | Promise<T>): Promise<T> {
  const app = await openBillingApp({ dataDir, log: () => {}, background: false })
  try {
    return await fn(app)
  } finally {
    await app.close()
  }
}
const balanceAndUsage = () =>
  inBooks((app) =>
    app.core.engine.read((r) => ({
      balance: r.get<{ b: number }>('SELECT balance_minor AS b FROM customers WHERE id = ?', [customerRowId])!.b,
      usage: r.get<{ n: number }>("SELECT count(*) AS n FROM xdrs WHERE kind = 'usage'")!.n,
      ledgerOk: r.all('SELECT c.id FROM customers c WHERE c.balance_minor <> (SELECT coalesce(sum(amount_minor), 0) FROM xdrs x WHERE x.customer_id = c.id)').length === 0
    }))
  )

describe('npm run billing -- import-usage', () => {
  it('refuses bad arguments, a missing file and a folder that is not set up with exit code 2, changing nothing', async () => {
    const none = await billing([])
    expect(none.code).toBe(2)
    expect(none.stderr).toContain('Usage:')
    const noDir = await billing(['import-usage', usageFile('a.csv', [])])
    expect(noDir.code).toBe(2)
    expect(noDir.stderr).toContain('--data-dir')
    const missing = await billing(['import-usage', path.join(root, 'nope.csv'), '--data-dir', dataDir])
    expect(missing).toMatchObject({ code: 2, stderr: expect.stringContaining('ENOENT') })
    const fresh = path.join(root, 'fresh')
    fs.mkdirSync(fresh)
    const notSetUp = await billing(['import-usage', usageFile('b.csv', [`X-1,BOOTH-1,2026-03-01T10:00:00Z,60,+441234,${serviceCode}`]), '--data-dir', fresh])
    expect(notSetUp).toMatchObject({ code: 2, stderr: expect.stringContaining('holds no billing data') })
    expect(fs.readdirSync(fresh)).toEqual([])
  }, 120_000)

  it('imports and rates (exit 0), charges once when run again, and says so', async () => {
    const before = await balanceAndUsage()
    const file = usageFile('march.csv', [
      `SW-1,BOOTH-1,2026-03-01T10:00:00+01:00,61,+44 20 7946 0000,${serviceCode}`,
      `SW-2,BOOTH-1,2026-03-02 08:30:00 +00:00,30,00441234567,${serviceCode}`
    ])
    const first = await billing(['import-usage', file, '--data-dir', dataDir])
    expect(first.stderr).not.toMatch(/Failed/)
    expect(first.code).toBe(0)
    expect(first.stdout).toContain('2 records imported (2 rated, 0 unrated)')
    const after = await balanceAndUsage()
    expect(after.balance - before.balance).toBe(30) // 120 s + 60 s at 0.10 a minute
    expect(after.usage - before.usage).toBe(2)
    const again = await billing(['import-usage', file, '--data-dir', dataDir])
    expect(again.code).toBe(0)
    expect(again.stdout).toContain('2 duplicates skipped')
    expect(await balanceAndUsage()).toEqual(after)
  }, 120_000)

  it('exits 1 when rows were rejected or records left unrated, listing them by line', async () => {
    const file = usageFile('mixed.csv', [
      `SW-10,BOOTH-1,2026-03-03T10:00:00Z,60,+441234,${serviceCode}`,
      `SW-11,BOOTH-1,2026-03-03 10:00:00,60,+441234,${serviceCode}`,
      `SW-12,NO-SUCH-BOOTH,2026-03-03T10:00:00Z,60,+441234,${serviceCode}`
    ])
    const run = await billing(['import-usage', file, '--data-dir', dataDir])
    expect(run.code).toBe(1)
    expect(run.stdout).toMatch(/line 3, column start_time/)
    expect(run.stdout).toContain('unknown-account: 1')
  }, 120_000)

  it('exits 2 without touching the books while the app has the data folder open', async () => {
    const before = await balanceAndUsage()
    const app = await openBillingApp({ dataDir, log: () => {}, background: false })
    try {
      const run = await billing(['import-usage', usageFile('held.csv', [`SW-20,BOOTH-1,2026-03-04T10:00:00Z,60,+441234,${serviceCode}`]), '--data-dir', dataDir])
      expect(run.code).toBe(2)
      expect(run.stderr).toContain('The app has this data folder open')
    } finally {
      await app.close()
    }
    expect(await balanceAndUsage()).toEqual(before)
  }, 120_000)

  it('killed in the middle of a large file, leaves whole batches; running it again completes it, each record charged once', async () => {
    const before = await balanceAndUsage()
    const N = 300_000
    const rows: string[] = []
    for (let i = 0; i < N; i++) rows.push(`BIG-${i},BOOTH-1,2026-03-05T${String(10 + (i % 10)).padStart(2, '0')}:00:00Z,60,+4420${i},${serviceCode}`)
    const file = usageFile('big.csv', rows)
    const killed = await billing(['import-usage', file, '--data-dir', dataDir], { killAfterMs: 2500 })
    expect(killed.signal).toBe('SIGKILL')
    const mid = await balanceAndUsage()
    const midRecords = mid.usage - before.usage
    expect(midRecords).toBeLessThan(N) // it really was cut short
    expect(mid.ledgerOk).toBe(true) // whole batches: each one's charges are in the balance
    expect(mid.balance - before.balance).toBe(midRecords * 10)
    const rerun = await billing(['import-usage', file, '--data-dir', dataDir])
    expect(rerun.code).toBe(0)
    expect(rerun.stdout).toContain(`${midRecords.toLocaleString('en-US')} duplicate`)
    const end = await balanceAndUsage()
    expect(end.usage - before.usage).toBe(N)
    expect(end.balance - before.balance).toBe(N * 10)
    expect(end.ledgerOk).toBe(true)
  }, 180_000)
})

describe('npm run billing -- reset-admin-password (issue 13)', () => {
  /** The command with `stdin` piped in, as a script (or a person at a terminal) gives the password. */
  function reset(args: string[], stdin: string): Promise<Run> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [WRAPPER, 'reset-admin-password', ...args], { stdio: ['pipe', 'pipe', 'pipe'] })
      let stdout = ''
      let stderr = ''
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
      child.on('error', reject)
      child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }))
      child.stdin.end(stdin)
    })
  }
  const logIn = (password: string) =>
    inBooks(async (app) => (await app.dispatch('auth.login', { login: TEST_ADMIN_LOGIN, password }, { transport: 'test', operatorId: null })).ok)

  it('refuses a folder that holds no billing data (a wrong --data-dir), leaving it as it was', async () => {
    const other = path.join(root, 'not-a-data-folder')
    fs.mkdirSync(other)
    fs.writeFileSync(path.join(other, 'notes.txt'), 'mine')
    const run = await reset(['--data-dir', other], 'a-new-password\n')
    expect(run.code).toBe(2)
    expect(run.stderr).toContain(`${other} holds no billing data`)
    expect(fs.readdirSync(other)).toEqual(['notes.txt'])
  }, 120_000)

  it('refuses while the app holds the folder, and a short password; then resets the password, unlocking the administrator, audited', async () => {
    const app = await openBillingApp({ dataDir, log: () => {}, background: false })
    try {
      const held = await reset(['--data-dir', dataDir], 'a-new-password\n')
      expect(held.code).toBe(2)
      expect(held.stderr).toContain('The app has this data folder open')
    } finally {
      await app.close()
    }
    const short = await reset(['--data-dir', dataDir], 'short\n')
    expect(short.code).toBe(2)
    expect(short.stderr).toContain('at least 8 characters')
    expect(await logIn(TEST_ADMIN_PASSWORD)).toBe(true)

    const done = await reset(['--data-dir', dataDir], 'a-new-password\n')
    expect(done.code, done.stderr).toBe(0)
    expect(done.stdout).toContain('was reset')
    expect(await logIn(TEST_ADMIN_PASSWORD)).toBe(false)
    expect(await logIn('a-new-password')).toBe(true)
    const entry = await inBooks((a) =>
      a.core.engine.read((r) =>
        r.get<{ operator_name: string; description: string }>(
          "SELECT operator_name, description FROM audit_log WHERE kind = 'operator.password' ORDER BY id DESC LIMIT 1"
        )
      )
    )
    expect(entry).toEqual({ operator_name: 'System', description: 'Password of operator "Administrator" (login admin) reset from the command line.' })
    expect((await reset(['--data-dir', dataDir, '--login', 'nobody'], 'a-new-password\n')).code).toBe(2)
  }, 180_000)
})
