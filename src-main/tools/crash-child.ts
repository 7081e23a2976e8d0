/**
 * Crash-test worker (test/integration/crash.test.ts): makes real durable changes through the
 * engine as fast as it can and prints "ACK <xdrId>" after each change is acknowledged. The test
 * SIGKILLs it at random moments and then checks the data folder.
 *
 *   node out/main/crash-child.js --data-dir DIR --seed N
 */
import { FIRST_ADMIN_ACTOR } from '../engine/operators'
import { DataDirLock } from '../db/lock'
import { loadSqlJs } from '../db/sqljs'
import { DurableStore } from '../db/store'
import { Engine } from '../engine/unitOfWork'
import { mulberry32 } from '../demo/random'

function arg(name: string): string {
  const i = process.argv.indexOf(name)
  const v = i >= 0 ? process.argv[i + 1] : undefined
  if (v === undefined) throw new Error(`missing ${name}`)
  return v
}

export const CRASH_CUSTOMERS = 5

async function main(): Promise<void> {
  const dataDir = arg('--data-dir')
  const rand = mulberry32(Number(arg('--seed')))
  const sql = await loadSqlJs()
  DataDirLock.acquire(dataDir)
  // A small snapshot threshold so that kills also land during snapshots and journal resets.
  const store = DurableStore.open({ dataDir, sql, now: Date.now, log: () => {}, snapshotAfterBytes: 24 * 1024 })
  const engine = new Engine(store, Date.now)
  engine.change(FIRST_ADMIN_ACTOR, (w) => {
    for (let c = 1; c <= CRASH_CUSTOMERS; c++) {
      w.run(
        `INSERT OR IGNORE INTO customers (id, customer_id, company_name, balance_control, currency, created_at, updated_at)
         VALUES (?, ?, ?, 'postpaid', 'USD', ?, ?)`,
        [c, `crash-${c}`, `Crash test ${c}`, w.at, w.at]
      )
    }
  })
  process.stdout.write('READY\n')
  for (;;) {
    const customer = 1 + Math.floor(rand() * CRASH_CUSTOMERS)
    const amount = Math.floor(rand() * 20001) - 10000
    const rows = 1 + Math.floor(rand() * 3) // several rows per change: a half change would show
    const ids = engine.change(FIRST_ADMIN_ACTOR, (w) => {
      const made: number[] = []
      for (let i = 0; i < rows; i++) {
        const id = w.insert(`INSERT INTO xdrs (kind, customer_id, started_at, amount_minor, created_at) VALUES ('crash-test', ?, ?, ?, ?)`, [
          customer,
          w.at,
          amount,
          w.at
        ])
        const before = w.get<{ b: number }>('SELECT balance_minor AS b FROM customers WHERE id = ?', [customer])!.b
        w.run('UPDATE customers SET balance_minor = balance_minor + ? WHERE id = ?', [amount, customer])
        w.audit({
          kind: 'crash-test',
          customerId: customer,
          from: String(before),
          to: String(before + amount),
          description: `Balance changed by ${amount}.`,
          source: { kind: 'crash test', id }
        })
        made.push(id)
      }
      return made
    })
    // Written only after change() returned, i.e. after the change is durable.
    process.stdout.write(`ACK ${ids.join(',')}\n`)
    if (rand() < 0.3) await new Promise((r) => setImmediate(r)) // let snapshots run sometimes
  }
}

void main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`)
  process.exit(1)
})
