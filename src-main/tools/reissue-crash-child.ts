/**
 * Crash-test worker for batch re-issue (test/integration/reissueCrash.test.ts): opens the data
 * folder as the app's start-up does and runs the batches due (an interrupted one carries on, a
 * batch whose planning was interrupted is planned on first), printing "UNIT done/total" after each
 * unit of work is durable. With `--plan ISO` it first plans a new batch (void and renumber) of every
 * customer's invoices issued after that instant, a customer per unit ("UNIT PLAN planned/total").
 * The test SIGKILLs it midway.
 *
 *   node out/main/reissue-crash-child.js --data-dir DIR --now ISO [--plan ISO]
 */
import { arg, openChildEngine } from './childArgs'
import { FIRST_ADMIN_ACTOR } from '../engine/operators'
import { planBatch, runDueBatches } from '../engine/reissue'

async function main(): Promise<void> {
  const { engine, store } = await openChildEngine()
  const planned = (customers: number, total: number) => process.stdout.write(`UNIT PLAN ${customers}/${total}\n`)
  if (process.argv.includes('--plan')) {
    const customerIds = engine.read((r) => r.all<{ id: number }>('SELECT id FROM customers ORDER BY id').map((c) => c.id))
    await planBatch(engine, FIRST_ADMIN_ACTOR, { customerIds, issuedAfter: arg('--plan'), mode: 'void' }, { unitMaxMs: 0, planned })
  }
  const results = await runDueBatches(engine, FIRST_ADMIN_ACTOR, {
    planned,
    progress: (done, total) => process.stdout.write(`UNIT ${done}/${total}\n`)
  })
  process.stdout.write(`DONE ${results.map((r) => r.reissued).join(',')}\n`)
  store.close()
}

void main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`)
  process.exit(1)
})
