import fs from 'node:fs'
import path from 'node:path'
import { createHash } from 'node:crypto'
import { execFileSync, spawn } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { openBillingApp } from '../../src-main/app'
import type { Channel, InputOf, ResultOf } from '../../src-shared/contract'
import type { IpcResponse } from '../../src-shared/errors'
import { tmpDataDir } from '../support/tmp'
import { TEST_ADMIN } from '../support/operators'

const T0 = Date.parse('2026-11-21T10:00:00Z')

async function desk(dataDir = tmpDataDir()) {
  const app = await openBillingApp({ dataDir, now: () => T0, log: () => {}, dailyBackupDelayMs: 3_600_000 })
  const call = async <C extends Channel>(channel: C, input: InputOf<C>) => (await app.dispatch(channel, input, { transport: 'test' })) as IpcResponse<ResultOf<C>>
  const ok = async <C extends Channel>(channel: C, input: InputOf<C>): Promise<ResultOf<C>> => {
    const res = await call(channel, input)
    if (!res.ok) throw new Error(`${channel}: ${res.error.code} ${res.error.message}`)
    return res.value
  }
  return { app, call, ok, dataDir }
}

async function readyDesk() {
  const d = await desk()
  await d.ok('setup.complete', { companyName: 'Liberty Callshop', address: '', defaultCurrency: 'USD', loadDemoData: true, ...TEST_ADMIN })
  return d
}

/** Every file under a folder with the hash of its content (what "nothing changed" means). */
function contents(dir: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const e of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    const p = path.join(e.parentPath, e.name)
    const st = fs.lstatSync(p)
    out[path.relative(dir, p)] = st.isFile() ? createHash('sha256').update(fs.readFileSync(p)).digest('hex') : st.isSymbolicLink() ? 'link' : 'folder'
  }
  return out
}

let keySeq = 0
const key = () => `backups-key-${String(++keySeq).padStart(8, '0')}`

describe('where a manual backup may be written', () => {
  it('never inside the data folder: not over the journal, the lock, the database, nor through a link', async () => {
    const d = await readyDesk()
    const c = (await d.ok('customers.list', { limit: 1 })).rows[0]!
    await d.ok('adjustments.submit', { customerId: c.id, operation: 'manual-payment', amount: '7.00', operationKey: key() })
    const outside = tmpDataDir('outside-')
    fs.symlinkSync(path.join(d.dataDir, 'journal.log'), path.join(outside, 'journal-link.sqlite'))
    fs.symlinkSync(d.dataDir, path.join(outside, 'data-link'))
    const before = contents(d.dataDir)
    const targets = [
      path.join(d.dataDir, 'journal.log'),
      path.join(d.dataDir, 'app.lock'),
      path.join(d.dataDir, 'billing.sqlite'),
      path.join(d.dataDir, 'billing.sqlite.check'),
      path.join(d.dataDir, 'new-file.sqlite'),
      path.join(d.dataDir, 'corrupt-x.sqlite'),
      path.join(outside, 'data-link', 'journal.log'),
      path.join(outside, 'data-link', 'fresh.sqlite'),
      path.join(d.dataDir, 'backups', '..', 'journal.log')
    ]
    for (const target of targets) {
      for (const overwrite of [false, true]) {
        const res = await d.call('backup.create', { path: target, overwrite })
        expect(res, `${target} (overwrite ${overwrite})`).toMatchObject({
          ok: false,
          error: { code: 'VALIDATION', field: 'path', message: expect.stringMatching(/inside the data folder/) }
        })
      }
    }
    // A link to the journal from outside is refused as a link (it would be replaced, but say so).
    expect(await d.call('backup.create', { path: path.join(outside, 'journal-link.sqlite'), overwrite: true })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', message: expect.stringMatching(/is a link/) }
    })
    expect(contents(d.dataDir)).toEqual(before)
    // The books survive a kill after all that.
    d.app.core.store!.close({ snapshot: false })
    await d.app.close()
    const again = await desk(d.dataDir)
    expect((await again.ok('app.status', {})).phase).toBe('ready')
    expect((await again.ok('customers.get', { id: c.id })).balanceMinor).toBe(c.balanceMinor - 700)
    await again.app.close()
  })

  it('into the backups folder, by a chosen name, is allowed', async () => {
    const d = await readyDesk()
    const target = path.join(d.dataDir, 'backups', 'before-price-change.sqlite')
    expect(await d.call('backup.create', { path: target })).toMatchObject({ ok: true })
    expect(fs.statSync(target).size).toBeGreaterThan(0)
    await d.app.close()
  })

  it('is written to the audit log by who made it, naming the file; a daily backup by the System', async () => {
    const d = await readyDesk()
    const manual = await d.ok('backup.create', {})
    const [entry] = await d.ok('audit.list', { limit: 1 })
    expect(entry).toMatchObject({ kind: 'backup.create', operatorName: 'Administrator' })
    expect(entry?.description).toMatch(new RegExp(`^Backup created: ${manual.fileName.replace(/[.]/g, '\\.')}\\. Size [\\d.]+ (KB|MB)\\.$`))
    const target = path.join(path.dirname(d.dataDir), `${path.basename(d.dataDir)}-copy.sqlite`)
    await d.ok('backup.create', { path: target })
    expect((await d.ok('audit.list', { limit: 1 }))[0]?.description).toContain(`Backup created: ${target}.`)
    const daily = (await d.app.core.dailyBackup())!
    const [dailyEntry] = await d.ok('audit.list', { limit: 1 })
    expect(dailyEntry).toMatchObject({ kind: 'backup.create', operatorName: 'System' })
    expect(dailyEntry?.description).toContain(`Daily backup created: ${daily.fileName} (the newest 14 daily backups are kept).`)
    expect((await d.ok('audit.verify', {})).ok).toBe(true)
    await d.app.close()
    fs.rmSync(target, { force: true })
  })

  it('never over an existing file without the overwrite flag', async () => {
    const d = await readyDesk()
    const target = path.join(tmpDataDir('outside-'), 'usb-copy.sqlite')
    fs.writeFileSync(target, 'last week’s copy')
    const refused = await d.call('backup.create', { path: target })
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', field: 'path', message: `${target} already exists. Confirm to replace it, or choose another file name.` }
    })
    expect(fs.readFileSync(target, 'utf8')).toBe('last week’s copy')
    expect(await d.call('backup.create', { path: target, overwrite: true })).toMatchObject({ ok: true })
    expect(fs.readFileSync(target).subarray(0, 15).toString('latin1')).toBe('SQLite format 3')
    await d.app.close()
  })

  it('never onto a folder or a pipe, and leaves no temp copy behind', async () => {
    const d = await readyDesk()
    const outside = tmpDataDir('outside-')
    const res = await d.call('backup.create', { path: outside, overwrite: true })
    expect(res).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'path', message: expect.stringMatching(/is a folder/) } })
    const fifo = path.join(outside, 'pipe.sqlite')
    execFileSync('mkfifo', [fifo])
    const toFifo = await d.call('backup.create', { path: fifo, overwrite: true })
    expect(toFifo).toMatchObject({ ok: false, error: { code: 'VALIDATION', message: expect.stringMatching(/not an ordinary file/) } })
    expect(fs.readdirSync(outside)).toEqual(['pipe.sqlite'])
    expect(fs.readdirSync(path.dirname(outside)).filter((f) => f.startsWith(`${path.basename(outside)}.tmp-`))).toEqual([])
    await d.app.close()
  })

  it('a folder the desk may not write to, or that does not exist, is answered in words', async () => {
    const d = await readyDesk()
    const missing = await d.call('backup.create', { path: path.join(tmpDataDir('outside-'), 'no-such-folder', 'b.sqlite') })
    expect(missing).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND', field: 'path', message: expect.stringMatching(/^The folder .*no-such-folder does not exist\.$/) }
    })
    // /sys refuses new files even to root; elsewhere a folder without write permission does.
    let folder = '/sys'
    if (process.platform !== 'linux') {
      folder = tmpDataDir('outside-')
      fs.chmodSync(folder, 0o500)
    }
    const denied = await d.call('backup.create', { path: path.join(folder, 'callshop-backup.sqlite') })
    expect(denied).toMatchObject({ ok: false, error: { code: 'IO', field: 'path', message: expect.stringMatching(/not allowed to write .*permission denied/) } })
    expect((denied as { error: { message: string } }).error.message).not.toMatch(/EACCES/)
    await d.app.close()
  })
})

describe('paths a person typed', () => {
  it('a relative path or one with a NUL character is refused in words, for backup, check and restore, and nothing is written', async () => {
    const d = await readyDesk()
    const cwdBefore = fs.readdirSync(process.cwd()).sort()
    const before = contents(d.dataDir)
    const cases: [string, RegExp][] = [
      ['relative.sqlite', /full path/],
      ['./backups/x.sqlite', /full path/],
      [path.join(tmpDataDir('nul-'), 'a\u0000b.sqlite'), /NUL character/]
    ]
    for (const [p, message] of cases) {
      expect(await d.call('backup.create', { path: p })).toMatchObject({
        ok: false,
        error: { code: 'VALIDATION', field: 'path', message: expect.stringMatching(message) }
      })
      for (const channel of ['backup.check', 'backup.restore'] as const) {
        expect(await d.call(channel, { source: { kind: 'file', path: p } })).toMatchObject({
          ok: false,
          error: { code: 'VALIDATION', field: 'source.path', message: expect.stringMatching(message) }
        })
      }
    }
    // A relative path used to land in the folder the app was started from.
    expect(fs.readdirSync(process.cwd()).sort()).toEqual(cwdBefore)
    expect(contents(d.dataDir)).toEqual(before)
    await d.app.close()
  })
})

describe('restore sources', () => {
  it('a pipe given as the file to restore is refused at once, not waited on', async () => {
    const d = await readyDesk()
    const fifo = path.join(tmpDataDir('outside-'), 'pipe.sqlite')
    execFileSync('mkfifo', [fifo])
    // Something writes into the pipe after two seconds: a desk that waits on it stalls that long.
    const writer = spawn('sh', ['-c', `sleep 2; printf x > '${fifo}'`], { stdio: 'ignore' })
    for (const channel of ['backup.check', 'backup.restore'] as const) {
      const res = await d.call(channel, { source: { kind: 'file', path: fifo } })
      expect(res).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'path', message: expect.stringMatching(/not an ordinary file/) } })
    }
    // Answered while the writer is still waiting to write: nothing was blocked on the pipe.
    expect(writer.exitCode).toBeNull()
    writer.kill()
    expect((await d.ok('app.status', {})).phase).toBe('ready')
    await d.app.close()
  })

  it('a missing file, a folder, or a file that is not a backup are named in words before anything is asked', async () => {
    const d = await readyDesk()
    const outside = tmpDataDir('outside-')
    const missing = path.join(outside, 'gone.sqlite')
    const cases: [string, string, RegExp][] = [
      [missing, 'NOT_FOUND', /^There is no file at .*gone\.sqlite\.$/],
      [outside, 'VALIDATION', /is a folder/],
      [path.join(outside, 'notes.sqlite'), 'DB_CORRUPT', /not a SQLite database/]
    ]
    fs.writeFileSync(path.join(outside, 'notes.sqlite'), 'shopping list')
    for (const [file, code, message] of cases) {
      for (const channel of ['backup.check', 'backup.restore'] as const) {
        const res = await d.call(channel, { source: { kind: 'file', path: file } })
        expect(res, `${channel} ${file}`).toMatchObject({ ok: false, error: { code, field: 'path', message: expect.stringMatching(message) } })
        expect((res as { error: { message: string } }).error.message).not.toMatch(/ENOENT|EISDIR/)
      }
    }
    const good = path.join(outside, 'good.sqlite')
    await d.ok('backup.create', { path: good })
    expect(await d.ok('backup.check', { source: { kind: 'file', path: good } })).toMatchObject({ label: good, replay: null })
    await d.app.close()
  })
})

describe('who may read the books', () => {
  const mode = (p: string) => (fs.statSync(p).mode & 0o777).toString(8)
  /** Every file and folder under the data folder with its mode. */
  const modes = (dir: string) => Object.fromEntries(fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((f) => [f, mode(path.join(dir, f))]))

  it('creates the data and backups folders 0700 and every file 0600, and repairs looser modes at start-up', async () => {
    const dataDir = path.join(tmpDataDir(), 'desk') // made by the app
    const d = await desk(dataDir)
    await d.ok('setup.complete', { companyName: 'Liberty Callshop', address: '', defaultCurrency: 'USD', loadDemoData: true, ...TEST_ADMIN })
    const c = (await d.ok('customers.list', { limit: 1 })).rows[0]!
    await d.ok('adjustments.submit', {
      customerId: c.id,
      operation: 'ecommerce-payment',
      amount: '5',
      cardNumber: '4242424242424242',
      cardExpiry: '12/30',
      operationKey: key()
    })
    await d.app.core.dailyBackup()
    await d.ok('backup.create', {})
    const chosen = path.join(tmpDataDir('outside-'), 'usb.sqlite')
    await d.ok('backup.create', { path: chosen })
    expect(mode(dataDir)).toBe('700')
    const found = modes(dataDir)
    expect(Object.keys(found)).toEqual(expect.arrayContaining(['billing.sqlite', 'billing.sqlite.check', 'journal.log', 'app.lock', 'test-gateway.json', 'backups']))
    for (const [f, m] of Object.entries(found)) expect(m, f).toBe(fs.statSync(path.join(dataDir, f)).isDirectory() ? '700' : '600')
    expect(mode(chosen)).toBe('600')
    await d.app.close()

    // An older version (or a copy made with a file manager) left everything readable by all.
    fs.chmodSync(dataDir, 0o755)
    fs.mkdirSync(path.join(dataDir, 'corrupt'), { mode: 0o755 })
    fs.writeFileSync(path.join(dataDir, 'corrupt', 'billing.sqlite.0123'), 'x', { mode: 0o644 })
    for (const f of Object.keys(modes(dataDir))) fs.chmodSync(path.join(dataDir, f), fs.statSync(path.join(dataDir, f)).isDirectory() ? 0o755 : 0o644)
    fs.writeFileSync(path.join(dataDir, 'notes.txt'), 'not the desk’s', { mode: 0o644 })
    const again = await desk(dataDir)
    expect(mode(dataDir)).toBe('700')
    for (const [f, m] of Object.entries(modes(dataDir))) {
      if (f !== 'notes.txt') expect(m, f).toBe(fs.statSync(path.join(dataDir, f)).isDirectory() ? '700' : '600')
    }
    expect(mode(path.join(dataDir, 'notes.txt'))).toBe('644') // not the desk's file: left alone
    await again.app.close()
  })
})
