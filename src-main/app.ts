// STUB: being written (core). Signature is stable.
import type { Dispatcher } from './ipc/dispatch'

export interface BillingAppOptions {
  dataDir: string
  /** Milliseconds since epoch; tests pass a controllable clock. */
  now?: () => number
  log?: (line: string) => void
}

export interface BillingApp extends Dispatcher {
  readonly dataDir: string
  close(): Promise<void>
}

/** Open (or create) the data folder: lock it, load the database, replay the journal, migrate. */
export declare function openBillingApp(opts: BillingAppOptions): Promise<BillingApp>
