import type { z } from 'zod'
import { contract, isChannel, type Channel, type ParsedInputOf, type ResultOf } from '../../src-shared/contract'
import type { AppPhase, Operator } from '../../src-shared/domain'
import { AppError, type IpcResponse } from '../../src-shared/errors'

/** Who is calling: the transport fills this in; roles are enforced from the resolved operator. */
export interface CallerContext {
  transport: 'electron' | 'loopback' | 'test'
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

export function validationError(error: z.ZodError): AppError {
  const issue = error.issues[0]
  const field = issue && issue.path.length > 0 ? issue.path.map(String).join('.') : undefined
  let message = issue?.message ?? 'Invalid input.'
  if (issue?.code === 'unrecognized_keys') message = `Unexpected field(s): ${issue.keys.join(', ')}.`
  else if (issue?.code === 'invalid_type' && field && /received undefined/.test(message)) message = `${field} is required.`
  return new AppError('VALIDATION', message, field)
}

export interface DispatchEnv<Ctx> {
  handlers: HandlerTable<Ctx>
  phase(): AppPhase
  operator(caller: CallerContext): Operator
  context(operator: Operator): Ctx
  log(line: string): void
}

export function createDispatcher<Ctx>(env: DispatchEnv<Ctx>): Dispatcher {
  return {
    async dispatch(channel, input, caller) {
      try {
        if (typeof channel !== 'string' || !isChannel(channel)) {
          throw new AppError('UNKNOWN_CHANNEL', `There is no operation called "${String(channel)}".`)
        }
        const parsed = contract[channel].input.safeParse(input ?? {})
        if (!parsed.success) throw validationError(parsed.error)
        const operator = env.operator(caller)
        if (!contract[channel].roles.includes(operator.role)) {
          throw new AppError('FORBIDDEN', `The ${operator.role} role may not use "${channel}".`)
        }
        const open = OPEN_IN_PHASE[env.phase()]
        if (open !== 'all' && !open.has(channel)) {
          throw env.phase() === 'setup'
            ? new AppError('SETUP_REQUIRED', 'Complete the first-run setup first.')
            : new AppError('DB_CORRUPT', 'The database needs to be restored from a backup first.')
        }
        const handler = env.handlers[channel] as Handler<Channel, Ctx>
        const value = await handler(parsed.data as ParsedInputOf<Channel>, env.context(operator))
        return { ok: true, value }
      } catch (err) {
        if (err instanceof AppError) return { ok: false, error: err.toShape() }
        env.log(`internal error on ${String(channel)}: ${(err as Error).stack ?? String(err)}`)
        return { ok: false, error: { code: 'INTERNAL', message: `Unexpected error: ${(err as Error).message}` } }
      }
    }
  }
}
