/**
 * The billing desk from the command line, for scheduled jobs (cron, Task Scheduler):
 *
 *   npm run billing -- import-usage FILE --data-dir DIR
 *
 * Exit codes: 0 done, every record imported and rated; 1 done, but rows were rejected or records
 * left unrated (the summary lists them); 2 nothing could be done (bad arguments, unreadable file,
 * a data folder that is not set up, or one the app has open — the app imports through its Usage
 * page or import folder instead; two writers on one database would lose changes).
 */
import fs from 'node:fs'
import path from 'node:path'
import { AppError } from '../../src-shared/errors'
import { openBillingApp } from '../app'
import { FIRST_ADMIN_ACTOR } from '../engine/operators'
import { importUsageCsv } from '../engine/usageImport'
import { describeUsageImport, usageImportExitCode } from '../usage/importReport'

export const BILLING_CLI_USAGE = `Usage:
  npm run billing -- import-usage FILE --data-dir DIR
    Import a CSV file of usage records (switch_record_id, account, start_time, duration,
    called_number, service) into the data folder DIR and rate it. Records already imported are
    skipped, never charged twice.
Exit codes: 0 imported and rated; 1 imported, but some rows rejected or records unrated; 2 not done.`

/** A refusal before anything was done: printed, exit code 2. */
class NotDone extends Error {}

interface ImportArgs {
  file: string
  dataDir: string
}

export function parseBillingArgs(argv: readonly string[]): ImportArgs {
  const [command, ...rest] = argv
  if (command !== 'import-usage') throw new NotDone(command ? `Unknown command "${command}".` : 'Name a command.')
  let file: string | undefined
  let dataDir: string | undefined
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!
    if (a === '--data-dir') {
      dataDir = rest[++i]
      if (!dataDir) throw new NotDone('--data-dir needs a folder.')
    } else if (a.startsWith('--')) throw new NotDone(`Unknown option ${a}.`)
    else if (file === undefined) file = a
    else throw new NotDone(`Only one file at a time (got "${file}" and "${a}").`)
  }
  if (!file) throw new NotDone('Name the usage file to import.')
  // Never the per-user default: a scheduled job must say which books it writes to.
  if (!dataDir) throw new NotDone('Name the data folder with --data-dir DIR.')
  return { file: path.resolve(file), dataDir: path.resolve(dataDir) }
}

async function importUsage(args: ImportArgs): Promise<number> {
  let csv: string
  try {
    csv = fs.readFileSync(args.file, 'utf8')
  } catch (err) {
    throw new NotDone(`Cannot read ${args.file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}.`)
  }
  if (!fs.existsSync(path.join(args.dataDir))) throw new NotDone(`There is no data folder ${args.dataDir}.`)
  let app: Awaited<ReturnType<typeof openBillingApp>>
  try {
    app = await openBillingApp({ dataDir: args.dataDir, background: false, log: (line) => console.error(line) })
  } catch (err) {
    if (err instanceof AppError && err.code === 'DB_LOCKED') {
      throw new NotDone(
        `${err.message}\nThe app has this data folder open: import the file from its Usage page or its import folder, or close the app and run this again.`
      )
    }
    if (err instanceof AppError) throw new NotDone(`Cannot open the data folder ${args.dataDir}: ${err.message}`)
    throw err
  }
  try {
    const phase = app.core.phase()
    if (phase === 'setup') throw new NotDone(`The data folder ${args.dataDir} is not set up yet: start the app once and complete the first-run setup.`)
    if (phase === 'recovery')
      throw new NotDone(`The database in ${args.dataDir} cannot be opened (${app.core.recovery?.reason ?? 'damaged'}): start the app to restore it.`)
    let shown = 0
    const summary = await importUsageCsv(
      app.core.engine,
      FIRST_ADMIN_ACTOR,
      { source: 'command-line', fileName: path.basename(args.file), csv },
      {
        onProgress: (done, total) => {
          if (Date.now() - shown < 1000 || !process.stderr.isTTY) return
          shown = Date.now()
          process.stderr.write(`\r  ${done.toLocaleString('en-US')} / ${total.toLocaleString('en-US')} records`)
        }
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

async function main(): Promise<void> {
  let args: ImportArgs
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
    process.exitCode = await importUsage(args)
  } catch (err) {
    console.error(err instanceof NotDone ? err.message : `Failed: ${(err as Error).stack ?? String(err)}`)
    process.exitCode = 2
  }
}

void main()
