/**
 * Tamper evidence from outside the app (issue 12, item 5): a data folder whose database file was
 * edited behind the app's back (a description changed, a middle entry deleted, two entries
 * swapped) is reported by `npm run billing -- verify-audit` (a real child process: exit code 1,
 * the first broken entry named with its time) and by the app's audit.verify channel; an intact
 * folder or backup file exits 0 with the number of entries checked; a bad folder or file exits 2.
 *
 * The tamperer here knows the file format: the append-only triggers are dropped and put back, and
 * the snapshot's check record (billing.sqlite.check) is rewritten to match, so the app opens the
 * folder normally. Only the hash chain can tell.
 */
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { crc32 } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openBillingApp } from '../../src-main/app'
import { loadSqlJs } from '../../src-main/db/sqljs'
import { SNAPSHOT_CHECK_FILE, SNAPSHOT_FILE } from '../../src-main/db/store'
import { openTestDesk } from '../support/desk'

const WRAPPER = path.resolve('scripts/billing.mjs')

function billing(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WRAPPER, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

let root: string
/** A closed, set-up data folder with a few dozen audit entries; each test copies it. */
let pristine: string
let entries: number

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-tamper-'))
  const desk = await openTestDesk()
  for (let i = 1; i <= 10; i++) await desk.ok('settings.update', { companyName: `Callshop ${i}`, address: '' })
  entries = desk.app.core.engine.read((r) => r.get<{ n: number }>('SELECT count(*) AS n FROM audit_log')!.n)
  await desk.app.close()
  pristine = path.join(root, 'pristine')
  fs.cpSync(desk.app.dataDir, pristine, { recursive: true })
  fs.rmSync(desk.app.dataDir, { recursive: true, force: true })
}, 120_000)
afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true })
})

let copies = 0
function copyOfBooks(): string {
  const dir = path.join(root, `books-${++copies}`)
  fs.cpSync(pristine, dir, { recursive: true })
  return dir
}

/** Edit the closed folder's database file as another program could, and rewrite its check record to match. */
async function tamper(dataDir: string, statements: string[]): Promise<void> {
  const SQL = await loadSqlJs()
  const file = path.join(dataDir, SNAPSHOT_FILE)
  const db = new SQL.Database(fs.readFileSync(file))
  db.run('DROP TRIGGER audit_log_no_update')
  db.run('DROP TRIGGER audit_log_no_delete')
  for (const s of statements) db.run(s)
  db.run("CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END")
  db.run("CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END")
  const bytes = db.export()
  db.close()
  fs.writeFileSync(file, bytes)
  const checkFile = path.join(dataDir, SNAPSHOT_CHECK_FILE)
  const check = JSON.parse(fs.readFileSync(checkFile, 'utf8')) as Record<string, unknown>
  fs.writeFileSync(checkFile, JSON.stringify({ ...check, size: bytes.length, crc32: crc32(bytes), previous: null }))
}

/** The app's own answer on the same folder, through its handler table, and what Settings then shows. */
async function appVerify(dataDir: string) {
  const app = await openBillingApp({ dataDir, log: () => {}, background: false })
  try {
    expect(app.core.phase()).toBe('ready') // the tampered file opens normally
    const res = await app.dispatch('audit.verify', {}, { transport: 'test' })
    if (!res.ok) throw new Error(res.error.message)
    const last = await app.dispatch('audit.lastVerification', {}, { transport: 'test' })
    return { result: res.value as { ok: boolean; firstBrokenId: number | null; message: string }, last: last.ok ? (last.value as { last: unknown }).last : null }
  } finally {
    await app.close()
  }
}

const entryAt = async (dataDir: string, id: number) => {
  const SQL = await loadSqlJs()
  const db = new SQL.Database(fs.readFileSync(path.join(dataDir, SNAPSHOT_FILE)))
  try {
    return String(db.exec('SELECT at FROM audit_log WHERE id = ?', [id])[0]!.values[0]![0])
  } finally {
    db.close()
  }
}

describe('npm run billing -- verify-audit', () => {
  it('an intact data folder: exit 0, the number of entries checked, and the run is recorded for Settings', async () => {
    const dir = copyOfBooks()
    const run = await billing(['verify-audit', '--data-dir', dir])
    expect(run.stderr).not.toMatch(/Failed/)
    expect(run.code).toBe(0)
    expect(run.stdout).toBe(`${dir}: the audit log is intact, ${entries} entries checked.\n`)
    const app = await openBillingApp({ dataDir: dir, log: () => {}, background: false })
    try {
      const last = await app.dispatch('audit.lastVerification', {}, { transport: 'test' })
      expect(last).toMatchObject({ ok: true, value: { last: { via: 'command-line', ok: true, checked: entries, operatorName: 'System' } } })
    } finally {
      await app.close()
    }
  }, 180_000)

  it.each([
    [
      'an edited description',
      ['UPDATE audit_log SET description = \'Company name changed from "Callshop 4" to "Nothing to see".\' WHERE id = 6'],
      6,
      'its content was altered',
      5
    ],
    ['a deleted middle entry', ['DELETE FROM audit_log WHERE id = 5'], 6, 'entry 5 is missing', 4],
    [
      'two entries swapped',
      ['UPDATE audit_log SET id = -1 WHERE id = 4', 'UPDATE audit_log SET id = 4 WHERE id = 7', 'UPDATE audit_log SET id = 7 WHERE id = -1'],
      4,
      'its link to the previous entry is broken',
      3
    ]
  ])(
    '%s: exit 1 naming the first broken entry and its time; audit.verify agrees',
    async (_what, statements, brokenId, wrong, intactBefore) => {
      const dir = copyOfBooks()
      await tamper(dir, statements)
      const at = await entryAt(dir, brokenId)
      const run = await billing(['verify-audit', '--data-dir', dir])
      expect(run.code).toBe(1)
      expect(run.stdout).toContain(`the audit log is BROKEN at entry ${brokenId} (written ${at}).`)
      expect(run.stdout).toContain(`Audit entry ${brokenId}: ${wrong}.`)
      expect(run.stdout).toContain(`${intactBefore} entries before it are intact.`)
      const { result, last } = await appVerify(dir)
      expect(result).toMatchObject({ ok: false, firstBrokenId: brokenId, message: `Audit entry ${brokenId}: ${wrong}.` })
      expect(last).toMatchObject({ via: 'app', ok: false, firstBrokenId: brokenId })
    },
    180_000
  )

  it('a backup file: read only, intact exits 0, tampered exits 1', async () => {
    const backup = path.join(root, 'backup-intact.sqlite')
    fs.copyFileSync(path.join(pristine, SNAPSHOT_FILE), backup)
    const before = fs.readFileSync(backup)
    const intact = await billing(['verify-audit', '--file', backup])
    expect(intact.code).toBe(0)
    expect(intact.stdout).toBe(`${backup}: the audit log is intact, ${entries} entries checked.\n`)
    expect(fs.readFileSync(backup).equals(before)).toBe(true)

    const dir = copyOfBooks()
    await tamper(dir, ["UPDATE audit_log SET description = 'Edited.' WHERE id = 3"])
    const broken = await billing(['verify-audit', '--file', path.join(dir, SNAPSHOT_FILE)])
    expect(broken.code).toBe(1)
    expect(broken.stdout).toContain('BROKEN at entry 3')
  }, 180_000)

  it('cannot run: exit 2 with the reason (no such folder, not a database, no target, both targets, the app has the folder open)', async () => {
    const missing = await billing(['verify-audit', '--data-dir', path.join(root, 'nowhere')])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain('There is no data folder')

    const notDb = path.join(root, 'notes.txt')
    fs.writeFileSync(notDb, 'hello')
    const bad = await billing(['verify-audit', '--file', notDb])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('is not a SQLite database')

    expect((await billing(['verify-audit'])).code).toBe(2)
    expect((await billing(['verify-audit', '--file', notDb, '--data-dir', root])).code).toBe(2)

    const dir = copyOfBooks()
    const app = await openBillingApp({ dataDir: dir, log: () => {}, background: false })
    try {
      const locked = await billing(['verify-audit', '--data-dir', dir])
      expect(locked.code).toBe(2)
      expect(locked.stderr).toContain('use Verify chain on its Audit log page')
    } finally {
      await app.close()
    }
  }, 180_000)
})
