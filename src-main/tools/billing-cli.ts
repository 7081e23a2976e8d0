/**
 * The billing desk from the command line, for scheduled jobs (cron, Task Scheduler):
 *
 *   npm run billing -- import-usage FILE --data-dir DIR
 *   npm run billing -- verify-audit --data-dir DIR | --file BACKUP
 *   npm run billing -- reset-admin-password --data-dir DIR [--login LOGIN]
 *
 * import-usage exit codes: 0 done, every record imported and rated; 1 done, but rows were rejected
 * or records left unrated (the summary lists them); 2 nothing could be done (bad arguments,
 * unreadable file, a data folder that is not set up, or one the app has open — the app imports
 * through its Usage page or import folder instead; two writers on one database would lose changes).
 *
 * verify-audit exit codes: 0 the audit chain is intact (the number of entries checked is printed);
 * 1 it is broken (the first broken entry is named: id, time, what is wrong); 2 it could not be
 * verified (bad arguments, no such folder or file, not a billing database, the app has the folder
 * open). On a data folder the run is recorded (Settings shows it); a backup file is only read.
 *
 * Nobody logs in at the command line: what a command changes is recorded as done by the System.
 *
 * reset-admin-password (docs/operators.md): a lost administrator password, recovered by whoever
 * holds the data folder. The new password is read from standard input (asked twice, not echoed, at
 * a terminal), never from the command line. It also unlocks and re-enables that administrator, ends
 * nothing else, and is audited ("reset from the command line", by the System). Exit codes: 0 reset;
 * 2 not done (bad arguments, no such administrator, password too short, the app has the folder open).
 */
import fs from 'node:fs'
import path from 'node:path'
import type { AuditVerifyResult } from '../../src-shared/domain'
import { AppError } from '../../src-shared/errors'
import { openBillingApp } from '../app'
import { dbAccess } from '../db/access'
import { loadSqlJs } from '../db/sqljs'
import { JOURNAL_FILE, openVerified, SNAPSHOT_FILE } from '../db/store'
import { recordVerification, verifyAuditChain } from '../engine/audit'
import { checkNewPassword, FIRST_ADMIN_ID, hashPassword, setPassword, SYSTEM_ACTOR } from '../engine/operators'
import { importUsageCsv } from '../engine/usageImport'
import { describeUsageImport, usageImportExitCode } from '../usage/importReport'

export const BILLING_CLI_USAGE = `Usage:
  npm run billing -- import-usage FILE --data-dir DIR
    Import a CSV file of usage records (switch_record_id, account, start_time, duration,
    called_number, service) into the data folder DIR and rate it. Records already imported are
    skipped, never charged twice.
    Exit codes: 0 imported and rated; 1 imported, but some rows rejected or records unrated; 2 not done.
  npm run billing -- verify-audit --data-dir DIR
  npm run billing -- verify-audit --file BACKUP
    Walk the audit log's hash chain of the data folder DIR (the run is recorded; Settings shows
    it) or of a backup file, and name the first entry whose chain is broken.
    Exit codes: 0 intact; 1 broken; 2 could not verify.
  npm run billing -- reset-admin-password --data-dir DIR [--login LOGIN]
    Set a new password for the first administrator (or the administrator LOGIN) of the data
    folder DIR, read from standard input; unlocks and re-enables them. Audited. The app must be
    closed. Exit codes: 0 reset; 2 not done.`

/** A refusal before anything was done: printed, exit code 2. */
class NotDone extends Error {}

interface ImportArgs {
  command: 'import-usage'
  file: string
  dataDir: string
}

interface VerifyArgs {
  command: 'verify-audit'
  /** Exactly one of the two. */
  dataDir: string | null
  file: string | null
}

interface ResetArgs {
  command: 'reset-admin-password'
  dataDir: string
  login: string | null
}

type BillingArgs = ImportArgs | VerifyArgs | ResetArgs

export function parseBillingArgs(argv: readonly string[]): BillingArgs {
  const [command, ...rest] = argv
  if (command === 'reset-admin-password') return parseResetArgs(rest)
  if (command !== 'import-usage' && command !== 'verify-audit') throw new NotDone(command ? `Unknown command "${command}".` : 'Name a command.')
  let file: string | undefined
  let dataDir: string | undefined
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!
    if (a === '--data-dir') {
      dataDir = rest[++i]
      if (!dataDir) throw new NotDone('--data-dir needs a folder.')
    } else if (a === '--file' && command === 'verify-audit') {
      file = rest[++i]
      if (!file) throw new NotDone('--file needs a backup file.')
    } else if (a.startsWith('--')) throw new NotDone(`Unknown option ${a}.`)
    else if (command === 'verify-audit') throw new NotDone(`verify-audit takes --data-dir DIR or --file BACKUP (got "${a}").`)
    else if (file === undefined) file = a
    else throw new NotDone(`Only one file at a time (got "${file}" and "${a}").`)
  }
  if (command === 'verify-audit') {
    if (file && dataDir) throw new NotDone('Verify either a data folder (--data-dir) or a backup file (--file), not both.')
    if (!file && !dataDir) throw new NotDone('Name the data folder with --data-dir DIR, or a backup file with --file BACKUP.')
    return { command, dataDir: dataDir ? path.resolve(dataDir) : null, file: file ? path.resolve(file) : null }
  }
  if (!file) throw new NotDone('Name the usage file to import.')
  // Never the per-user default: a scheduled job must say which books it writes to.
  if (!dataDir) throw new NotDone('Name the data folder with --data-dir DIR.')
  return { command, file: path.resolve(file), dataDir: path.resolve(dataDir) }
}

function parseResetArgs(rest: readonly string[]): ResetArgs {
  let dataDir: string | undefined
  let login: string | undefined
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!
    if (a === '--data-dir') dataDir = rest[++i]
    else if (a === '--login') login = rest[++i]
    else throw new NotDone(`reset-admin-password takes --data-dir DIR and optionally --login LOGIN (got "${a}"); the password is read from standard input.`)
  }
  if (!dataDir) throw new NotDone('Name the data folder with --data-dir DIR.')
  return { command: 'reset-admin-password', dataDir: path.resolve(dataDir), login: login ?? null }
}

/** One line from standard input; at a terminal, asked without echo. */
async function readSecret(prompt: string): Promise<string> {
  const readline = await import('node:readline')
  const rl = readline.createInterface({ input: process.stdin, output: process.stderr, terminal: process.stdin.isTTY === true })
  if (process.stdin.isTTY) {
    process.stderr.write(prompt)
    // Keep the typed characters off the screen.
    ;(rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = () => {}
  }
  try {
    const line = await new Promise<string | null>((resolve) => {
      rl.once('line', resolve)
      rl.once('close', () => resolve(null))
    })
    if (process.stdin.isTTY) process.stderr.write('\n')
    if (line === null) throw new NotDone('No password was given on standard input.')
    return line
  } finally {
    rl.close()
  }
}

async function resetAdminPassword(args: ResetArgs): Promise<number> {
  const password = await readSecret('New administrator password: ')
  try {
    checkNewPassword(password)
  } catch (err) {
    throw new NotDone((err as Error).message)
  }
  if (process.stdin.isTTY && (await readSecret('Repeat it: ')) !== password) throw new NotDone('The two passwords differ; nothing was changed.')
  const app = await openDataFolder(
    args.dataDir,
    'The app has this data folder open: close it first (an administrator who can log in resets passwords on the Operators page).'
  )
  try {
    const engine = app.core.engine
    const admin = engine.read((r) =>
      args.login === null
        ? r.get<{ id: number; name: string; login: string }>("SELECT id, name, login FROM operators WHERE id = ? AND role = 'administrator'", [FIRST_ADMIN_ID])
        : r.get<{ id: number; name: string; login: string }>(
            "SELECT id, name, login FROM operators WHERE login = ? COLLATE NOCASE AND role = 'administrator' AND id <> 0",
            [args.login]
          )
    )
    if (!admin) throw new NotDone(args.login === null ? 'This data folder has no first administrator.' : `There is no administrator with the login "${args.login}".`)
    const hash = await hashPassword(password)
    engine.change(SYSTEM_ACTOR, (w) => {
      setPassword(w, admin.id, hash, 'command line')
      w.run('UPDATE operators SET disabled = 0 WHERE id = ?', [admin.id])
    })
    process.stdout.write(`The password of administrator "${admin.name}" (login ${admin.login}) was reset. Log in with it now.\n`)
    return 0
  } finally {
    await app.close()
  }
}

/** The data folder, opened as the app opens it; refusals (locked, not set up, damaged) are NotDone. */
async function openDataFolder(dataDir: string, lockedHint: string): Promise<Awaited<ReturnType<typeof openBillingApp>>> {
  if (!fs.existsSync(dataDir)) throw new NotDone(`There is no data folder ${dataDir}.`)
  // Opening a folder without the books would create them there: a mistyped --data-dir must not
  // become a new, empty data folder.
  if (!fs.existsSync(path.join(dataDir, SNAPSHOT_FILE)) && !fs.existsSync(path.join(dataDir, JOURNAL_FILE))) {
    throw new NotDone(`The folder ${dataDir} holds no billing data: name the data folder the app uses (Settings, Backups, shows it).`)
  }
  let app: Awaited<ReturnType<typeof openBillingApp>>
  try {
    app = await openBillingApp({ dataDir, background: false, log: (line) => console.error(line) })
  } catch (err) {
    if (err instanceof AppError && err.code === 'DB_LOCKED') throw new NotDone(`${err.message}\n${lockedHint}`)
    if (err instanceof AppError) throw new NotDone(`Cannot open the data folder ${dataDir}: ${err.message}`)
    throw err
  }
  const phase = app.core.phase()
  if (phase === 'ready') return app
  await app.close()
  if (phase === 'setup') throw new NotDone(`The data folder ${dataDir} is not set up yet: start the app once and complete the first-run setup.`)
  throw new NotDone(`The database in ${dataDir} cannot be opened (${app.core.recovery?.reason ?? 'damaged'}): start the app to restore it.`)
}

async function importUsage(args: ImportArgs): Promise<number> {
  let csv: string
  try {
    csv = fs.readFileSync(args.file, 'utf8')
  } catch (err) {
    throw new NotDone(`Cannot read ${args.file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}.`)
  }
  const app = await openDataFolder(
    args.dataDir,
    'The app has this data folder open: import the file from its Usage page or its import folder, or close the app and run this again.'
  )
  try {
    let shown = 0
    // On a terminal, at most once a second: first the share of the file read, then records written.
    const show = (line: string) => {
      if (Date.now() - shown < 1000 || !process.stderr.isTTY) return
      shown = Date.now()
      process.stderr.write(`\r  ${line.padEnd(40)}`)
    }
    const summary = await importUsageCsv(
      app.core.engine,
      SYSTEM_ACTOR,
      { source: 'command-line', fileName: path.basename(args.file), csv },
      {
        onReading: (done, total) => show(`reading the file: ${Math.floor((100 * done) / Math.max(1, total))}%`),
        onProgress: (done, total) => show(`${done.toLocaleString('en-US')} / ${total.toLocaleString('en-US')} records`)
      }
    )
    if (shown > 0) process.stderr.write('\n')
    process.stdout.write(describeUsageImport(summary))
    return usageImportExitCode(summary)
  } catch (err) {
    // A file the import refuses as a whole (no header, wrong columns) changes nothing.
    if (err instanceof AppError) throw new NotDone(`Nothing was imported: ${err.message}`)
    throw err
  } finally {
    await app.close()
  }
}

/** What verify-audit prints: the count, or the first broken entry with its time and what is wrong. */
export function describeVerification(what: string, result: AuditVerifyResult): string {
  if (result.ok) return `${what}: the audit log is intact, ${result.checked.toLocaleString('en-US')} ${result.checked === 1 ? 'entry' : 'entries'} checked.\n`
  return (
    `${what}: the audit log is BROKEN at entry ${result.firstBrokenId} (written ${result.firstBrokenAt}).\n` +
    `  ${result.message}\n` +
    `  ${result.checked.toLocaleString('en-US')} ${result.checked === 1 ? 'entry' : 'entries'} before it are intact.\n`
  )
}

/** A backup file (or any copy of billing.sqlite): read only, never changed. */
async function verifyFile(file: string): Promise<AuditVerifyResult> {
  let bytes: Buffer
  try {
    const st = fs.statSync(file)
    if (!st.isFile()) throw new NotDone(`${file} is not an ordinary file: give the path of a backup file.`)
    bytes = fs.readFileSync(file)
  } catch (err) {
    if (err instanceof NotDone) throw err
    throw new NotDone(`Cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}.`)
  }
  const sql = await loadSqlJs()
  let db: ReturnType<typeof openVerified>
  try {
    db = openVerified(sql, bytes, path.basename(file))
  } catch (err) {
    throw new NotDone((err as Error).message)
  }
  try {
    const tables = db.exec("SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('audit_log', 'settings')")
    if ((tables[0]?.values.length ?? 0) !== 2) throw new NotDone(`${path.basename(file)} is a SQLite file but not a Callshop billing desk database.`)
    const access = dbAccess(db)
    try {
      return verifyAuditChain(access)
    } finally {
      access.free()
    }
  } finally {
    db.close()
  }
}

async function verifyAudit(args: VerifyArgs): Promise<number> {
  let result: AuditVerifyResult
  let what: string
  if (args.file !== null) {
    result = await verifyFile(args.file)
    what = args.file
  } else {
    const dataDir = args.dataDir!
    const app = await openDataFolder(dataDir, 'The app has this data folder open: use Verify chain on its Audit log page, or verify a backup file with --file BACKUP.')
    try {
      const found = app.core.engine.read(verifyAuditChain)
      result = app.core.engine.change(SYSTEM_ACTOR, (w) => recordVerification(w, 'command-line', found))
    } finally {
      await app.close()
    }
    what = dataDir
  }
  process.stdout.write(describeVerification(what, result))
  return result.ok ? 0 : 1
}

async function main(): Promise<void> {
  let args: BillingArgs
  try {
    args = parseBillingArgs(process.argv.slice(2))
  } catch (err) {
    if (err instanceof NotDone) {
      console.error(`${err.message}\n\n${BILLING_CLI_USAGE}`)
      process.exit(2)
    }
    throw err
  }
  try {
    process.exitCode =
      args.command === 'import-usage' ? await importUsage(args) : args.command === 'verify-audit' ? await verifyAudit(args) : await resetAdminPassword(args)
  } catch (err) {
    console.error(err instanceof NotDone ? err.message : `Failed: ${(err as Error).stack ?? String(err)}`)
    process.exitCode = 2
  }
}

void main()
