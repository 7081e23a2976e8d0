/**
 * Generate demo data into a data folder (used for first-run-style demos, tests and benchmarks):
 *   npm run demo-data -- --size M --data-dir DIR [--seed N] [--company NAME]
 * The folder must be new or not yet set up.
 */
import { FIRST_ADMIN_ACTOR } from '../engine/operators'
import path from 'node:path'
import { openBillingApp } from '../app'
import { DEMO_SIZES, generateDemoData, type DemoSize } from '../demo/generate'
import { completeSetup } from '../engine/settings'
import { defaultDataDir } from '../paths'

const USAGE = 'Usage: npm run demo-data -- --size S|M|L --data-dir DIR [--seed N] [--company NAME]'
const OPTIONS = ['--size', '--data-dir', '--seed', '--company']

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name)
  return i >= 0 ? process.argv[i + 1] : undefined
}

/** Refuse what is not an option with its value (`--help` included): never write demo data into a folder nobody named. */
function checkArguments(args: string[]): void {
  for (let i = 0; i < args.length; i += 2) {
    if (!OPTIONS.includes(args[i]!) || args[i + 1] === undefined) {
      if (args[i] === '--help') console.log(USAGE)
      else console.error(`Unknown or incomplete option ${args[i]}.\n${USAGE}`)
      process.exit(args[i] === '--help' ? 0 : 2)
    }
  }
}

async function main(): Promise<void> {
  checkArguments(process.argv.slice(2))
  const size = (option('--size') ?? 'S').toUpperCase() as DemoSize
  if (!(size in DEMO_SIZES)) throw new Error(`--size must be S, M or L (got ${size})`)
  const dataDir = path.resolve(option('--data-dir') ?? defaultDataDir())
  const seed = Number(option('--seed') ?? 1)
  const app = await openBillingApp({ dataDir, dailyBackupDelayMs: 3_600_000 })
  const core = app.core
  if (core.phase() !== 'setup') throw new Error(`${dataDir} is already set up; demo data goes into a new data folder.`)
  const started = Date.now()
  const store = core.store!
  const at = new Date().toISOString()
  let lastShown = 0
  const made = store.bulkTransaction((w) =>
    generateDemoData(w, {
      size,
      seed,
      at,
      onProgress: (done, total) => {
        if (Date.now() - lastShown > 1000 || done === total) {
          lastShown = Date.now()
          process.stdout.write(`\r  ${done.toLocaleString('en-US')} / ${total.toLocaleString('en-US')} usage records`)
        }
      }
    })
  )
  process.stdout.write('\n')
  core.engine.change(FIRST_ADMIN_ACTOR, (w) => {
    completeSetup(w, { companyName: option('--company') ?? 'Demo Callshop', address: '1 Demo Street', defaultCurrency: 'USD' })
    w.audit({ kind: 'demo.load', description: `Demo data (size ${size}) loaded: ${made.customers} customers, ${made.usageRecords} usage records.` })
  })
  await app.close()
  console.log(`Demo data ${size} in ${dataDir}: ${made.customers} customers, ${made.usageRecords} usage records (${((Date.now() - started) / 1000).toFixed(1)} s).`)
}

void main().catch((err: unknown) => {
  console.error((err as Error).message)
  process.exit(1)
})
