/** Error codes every transport returns; the renderer decides where to show them from `field`. */
export type ErrorCode =
  | 'VALIDATION' // bad input: shown next to `field` when present
  | 'NOT_FOUND'
  | 'CONFLICT' // e.g. duplicate customer ID, setup already done
  | 'FORBIDDEN' // the operator's role may not use this channel
  | 'UNAUTHORIZED' // nobody logged in, wrong login or password, or (loopback host) missing or wrong token
  | 'LOCKED' // the session is locked (idle): unlock with the same operator's password or log in as another
  | 'SETUP_REQUIRED' // first-run screen not completed yet
  | 'DB_CORRUPT' // database file failed its checks; restore needed
  | 'DB_LOCKED' // another app instance owns the data folder
  | 'DB_VERSION' // migrations refused (edited, unknown, or newer database)
  | 'UNKNOWN_CHANNEL'
  | 'IO' // disk problem: nothing was changed
  | 'TOO_LARGE' // the request is bigger than its channel accepts (HTTP 413 in browser mode)
  | 'INTERNAL'

export interface AppErrorShape {
  code: ErrorCode
  message: string
  field?: string
}

export class AppError extends Error implements AppErrorShape {
  readonly code: ErrorCode
  readonly field?: string
  constructor(code: ErrorCode, message: string, field?: string) {
    super(message)
    this.name = 'AppError'
    this.code = code
    if (field !== undefined) this.field = field
  }
  toShape(): AppErrorShape {
    return this.field === undefined ? { code: this.code, message: this.message } : { code: this.code, message: this.message, field: this.field }
  }
}

export type IpcResponse<T> = { ok: true; value: T } | { ok: false; error: AppErrorShape }

export function isAppErrorShape(x: unknown): x is AppErrorShape {
  return typeof x === 'object' && x !== null && typeof (x as AppErrorShape).code === 'string' && typeof (x as AppErrorShape).message === 'string'
}
