import type { z } from 'zod'
import { bodyLimitOf, contract, isChannel, OPEN_BEFORE_LOGIN, OPEN_WHILE_LOCKED, type Channel, type ParsedInputOf, type ResultOf } from '../../src-shared/contract'
import type { AppPhase, Operator } from '../../src-shared/domain'
import { AppError, type IpcResponse } from '../../src-shared/errors'

/** Who is calling: the transport fills this in; roles are enforced from the resolved operator. */
export interface CallerContext {
  transport: 'electron' | 'loopback' | 'test'
  /** Size of the request as received, when the transport read it as bytes (the loopback host). */
  bodyBytes?: number
  /**
   * The login session: the desktop's for the calling window (kept in the main process), browser
   * mode's from the request's session header. Absent or unknown: nobody is logged in.
   */
  sessionId?: string | null
  /**
   * Tests only (transport 'test', no session): act as this operator; absent: the first
   * administrator; null: nobody logged in. The other transports ignore it.
   */
  operatorId?: number | null
  /** Told of the session a login (or setup) started, or null when it ended, so the transport keeps it. */
  bindSession?: (sessionId: string | null) => void
}

/** The caller as the dispatcher resolved it. */
export interface Who {
  operator: Operator | null
  sessionId: string | null
  locked: boolean
}

export interface Dispatcher {
  /** Validate input against the contract, check the operator's role, run the engine. Never throws. */
  dispatch(channel: string, input: unknown, caller: CallerContext): Promise<IpcResponse<unknown>>
}

export type Handler<C extends Channel, Ctx> = (input: ParsedInputOf<C>, ctx: Ctx) => ResultOf<C> | Promise<ResultOf<C>>
export type HandlerTable<Ctx> = { [C in Channel]: Handler<C, Ctx> }

/** Channels usable before first-run setup and while the database needs restoring. */
const OPEN_IN_PHASE: Record<AppPhase, ReadonlySet<Channel> | 'all'> = {
  ready: 'all',
  setup: new Set<Channel>(['app.status', 'setup.complete', 'backup.list', 'backup.check', 'backup.restore']),
  recovery: new Set<Channel>(['app.status', 'backup.list', 'backup.check', 'backup.restore'])
}

function phaseError(phase: AppPhase): AppError {
  return phase === 'setup'
    ? new AppError('SETUP_REQUIRED', 'Complete the first-run setup first.')
    : new AppError('DB_CORRUPT', 'The database needs to be restored from a backup first.')
}

export function validationError(error: z.ZodError): AppError {
  const issue = error.issues[0]
  const field = issue && issue.path.length > 0 ? issue.path.map(String).join('.') : undefined
  let message = issue?.message ?? 'Invalid input.'
  if (issue?.code === 'unrecognized_keys') message = `Unexpected field(s): ${issue.keys.join(', ')}.`
  else if (issue?.code === 'invalid_type' && field && /received undefined/.test(message)) message = `${field} is required.`
  return new AppError('VALIDATION', message, field)
}

const MIB = 1024 * 1024

/** The refusal for a request over its channel's limit, in the same words on both transports. */
export function tooLargeError(channel: string): AppError {
  const limit = bodyLimitOf(channel)
  const size = limit % MIB === 0 ? `${limit / MIB} MiB` : `${(limit / MIB).toFixed(1)} MiB`
  const name = isChannel(channel) ? `"${channel}"` : 'this operation'
  return new AppError('TOO_LARGE', `This request is larger than the ${size} ${name} accepts; nothing was changed.`)
}

const NOT_PLAIN_DATA = 'The request holds values that are not plain data (a loop, a very large whole number or too deep a nesting).'

/**
 * The size of an input the desktop bridge handed over (structured-cloned, so it may also hold
 * what JSON cannot: loops, bigints), measured as the JSON browser mode would send, except that
 * escapes are not counted: whatever browser mode accepts, the desktop accepts too. Walking the
 * value stops once past `limit`; a 50 MB CSV measures in about 10 ms (JSON.stringify: ~300 ms).
 */
function inputBytes(input: unknown, limit: number): number {
  let total = 0
  const open = new Set<object>()
  const visit = (v: unknown): void => {
    if (total > limit) return
    switch (typeof v) {
      case 'string':
        total += Buffer.byteLength(v, 'utf8') + 2
        return
      case 'number':
      case 'boolean':
        total += String(v).length
        return
      case 'bigint':
        throw new AppError('VALIDATION', NOT_PLAIN_DATA)
      case 'object': {
        if (v === null) {
          total += 4
          return
        }
        if (ArrayBuffer.isView(v) || v instanceof ArrayBuffer) {
          total += v.byteLength
          return
        }
        if (open.has(v)) throw new AppError('VALIDATION', NOT_PLAIN_DATA)
        open.add(v)
        total += 2
        if (Array.isArray(v)) {
          for (let i = 0; i < v.length && total <= limit; i++) {
            total += 1
            visit(v[i])
          }
        } else {
          for (const key in v) {
            if (total > limit) break
            if (!Object.hasOwn(v, key)) continue
            total += Buffer.byteLength(key, 'utf8') + 4
            visit((v as Record<string, unknown>)[key])
          }
        }
        open.delete(v)
        return
      }
      default:
        return // undefined, functions, symbols: JSON leaves them out
    }
  }
  try {
    visit(input)
  } catch (err) {
    if (err instanceof RangeError) throw new AppError('VALIDATION', NOT_PLAIN_DATA)
    throw err
  }
  return total
}

export interface DispatchEnv<Ctx> {
  handlers: HandlerTable<Ctx>
  phase(): AppPhase
  /** Who is calling; `touch`: the request counts as activity for the idle lock. */
  who(caller: CallerContext, touch: boolean): Who
  context(who: Who, caller: CallerContext): Ctx
  log(line: string): void
}

/** Requests that do not count as someone at the counter (polling): they neither keep a session awake nor wake it. */
const NOT_ACTIVITY = /(^app\.status$|^auth\.session$|\.status$|^notifications\.list$)/

/** Whether `channel` answers a caller nobody is logged in as, in `phase`. */
export function openWithoutLogin(channel: Channel, phase: AppPhase): boolean {
  if (OPEN_BEFORE_LOGIN.has(channel)) return true
  const open = OPEN_IN_PHASE[phase]
  return open !== 'all' && open.has(channel)
}

export function createDispatcher<Ctx>(env: DispatchEnv<Ctx>): Dispatcher {
  return {
    async dispatch(channel, input, caller) {
      try {
        if (typeof channel !== 'string' || !isChannel(channel)) {
          throw new AppError('UNKNOWN_CHANNEL', `There is no operation called "${String(channel).slice(0, 100)}".`)
        }
        // Before parsing: a request over the limit costs nothing more than measuring it.
        const limit = bodyLimitOf(channel)
        if ((caller.bodyBytes ?? inputBytes(input, limit)) > limit) throw tooLargeError(channel)
        // Who, then the role, before the input: a caller who may not use the channel learns
        // nothing about what it would accept.
        const who = env.who(caller, !NOT_ACTIVITY.test(channel))
        const { operator } = who
        if (operator === null) {
          const phase = env.phase()
          // Before setup and in recovery nobody can log in: the phase says what to do instead.
          if (!openWithoutLogin(channel, phase)) throw phase === 'ready' ? new AppError('UNAUTHORIZED', 'Log in first.') : phaseError(phase)
        } else {
          if (who.locked && !OPEN_WHILE_LOCKED.has(channel)) {
            throw new AppError('LOCKED', `The counter is locked: ${operator.name} unlocks it with their password, or another operator logs in.`)
          }
          if (!contract[channel].roles.includes(operator.role)) {
            throw new AppError('FORBIDDEN', `The ${operator.role} role may not use "${channel}".`)
          }
        }
        const parsed = contract[channel].input.safeParse(input ?? {})
        if (!parsed.success) throw validationError(parsed.error)
        const open = OPEN_IN_PHASE[env.phase()]
        if (open !== 'all' && !open.has(channel)) throw phaseError(env.phase())
        const handler = env.handlers[channel] as Handler<Channel, Ctx>
        const value = await handler(parsed.data as ParsedInputOf<Channel>, env.context(who, caller))
        return { ok: true, value }
      } catch (err) {
        if (err instanceof AppError) return { ok: false, error: err.toShape() }
        env.log(`internal error on ${String(channel)}: ${(err as Error).stack ?? String(err)}`)
        return { ok: false, error: { code: 'INTERNAL', message: `Unexpected error: ${(err as Error).message}` } }
      }
    }
  }
}
