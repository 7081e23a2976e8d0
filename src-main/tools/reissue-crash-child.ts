/**
 * Crash-test worker for batch re-issue (test/integration/reissueCrash.test.ts): opens the data
 * folder as the app's start-up does and runs the batches due (an interrupted one carries on),
 * printing "UNIT done/total" after each unit of work is durable. The test SIGKILLs it midway.
 *
 *   node out/main/reissue-crash-child.js --data-dir DIR --now ISO
 */
import { openChildEngine } from './childArgs'
import { FIRST_ADMIN_ACTOR } from '../engine/operators'
import { runDueBatches } from '../engine/reissue'

async function main(): Promise<void> {
  const { engine, store } = await openChildEngine()
  const results = await runDueBatches(engine, FIRST_ADMIN_ACTOR, { progress: (done, total) => process.stdout.write(`UNIT ${done}/${total}\n`) })
  process.stdout.write(`DONE ${results.map((r) => r.reissued).join(',')}\n`)
  store.close()
}

void main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`)
  process.exit(1)
})
