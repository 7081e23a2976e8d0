// STUB: being written (core). Signature is stable.
import type { IpcResponse } from '../../src-shared/errors'

/** Who is calling: the transport fills this in; roles are enforced from it. */
export interface CallerContext {
  transport: 'electron' | 'loopback' | 'test'
}

export interface Dispatcher {
  /** Validate input against the contract, check the operator's role, run the engine. Never throws. */
  dispatch(channel: string, input: unknown, caller: CallerContext): Promise<IpcResponse<unknown>>
}
