/**
 * What the crash-test child processes (invoice-crash-child, reissue-crash-child) share: their
 * arguments and the data folder opened as the app opens it, with the clock they were given.
 */
import { DataDirLock } from '../db/lock'
import { loadSqlJs } from '../db/sqljs'
import { DurableStore } from '../db/store'
import { Engine } from '../engine/unitOfWork'

/** A required `--name value` argument. */
export function arg(name: string): string {
  const i = process.argv.indexOf(name)
  const v = i >= 0 ? process.argv[i + 1] : undefined
  if (v === undefined) throw new Error(`missing ${name}`)
  return v
}

/** `--data-dir` locked and opened (small snapshots, so kills land between them too), at `--now`; prints READY. */
export async function openChildEngine(): Promise<{ engine: Engine; store: DurableStore }> {
  const dataDir = arg('--data-dir')
  const now = Date.parse(arg('--now'))
  const sql = await loadSqlJs()
  DataDirLock.acquire(dataDir)
  const store = DurableStore.open({ dataDir, sql, now: () => now, log: () => {}, snapshotAfterBytes: 64 * 1024 })
  const engine = new Engine(store, () => now)
  process.stdout.write('READY\n')
  return { engine, store }
}
