/**
 * Crash-test worker for invoicing (test/integration/invoiceCrash.test.ts): closes the billing
 * periods of the data folder's customers with a clock at the given instant, printing "UNIT done/total"
 * after each unit of work is durable. The test SIGKILLs it in the middle of closing and checks that
 * the numbers have no gap and every invoice is whole.
 *
 *   node out/main/invoice-crash-child.js --data-dir DIR --now ISO
 */
import { openChildEngine } from './childArgs'
import { closeDuePeriods } from '../engine/invoicing'
import { FIRST_ADMIN_ACTOR } from '../engine/operators'

async function main(): Promise<void> {
  const { engine, store } = await openChildEngine()
  const result = await closeDuePeriods(engine, FIRST_ADMIN_ACTOR, { onProgress: (done, total) => process.stdout.write(`UNIT ${done}/${total}\n`) })
  process.stdout.write(`DONE ${result.invoicesIssued}\n`)
  store.close()
}

void main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`)
  process.exit(1)
})
