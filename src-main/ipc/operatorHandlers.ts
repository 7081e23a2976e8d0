/**
 * Operators and login (issue 13 items 1 and 2; docs/operators.md): the session is kept by the
 * transport (`caller.bindSession`), the operators and every login attempt in the books (audited).
 */
import { OPERATION_ROLES } from '../../src-shared/contract'
import type { AppStatus, Operator } from '../../src-shared/domain'
import { AppError } from '../../src-shared/errors'
import { ADJUSTMENT_OPERATION_LABEL } from '../../src-shared/labels'
import {
  checkLogin,
  checkOwnPassword,
  createOperator,
  getOperator,
  hashPassword,
  listOperators,
  setFirstAdminPassword,
  setOperatorDisabled,
  setPassword,
  verifyPassword
} from '../engine/operators'
import type { HandlerTable } from './dispatch'
import type { HandlerContext } from './handlers'

type OperatorChannel =
  | 'auth.login'
  | 'auth.logout'
  | 'auth.session'
  | 'auth.lock'
  | 'auth.unlock'
  | 'auth.setAdminPassword'
  | 'operators.list'
  | 'operators.create'
  | 'operators.disable'
  | 'operators.enable'
  | 'operators.resetPassword'
  | 'operators.changeOwnPassword'

/** A new session for `op`, ending the caller's previous one, handed to the transport. */
export function startSession(ctx: HandlerContext, op: Operator): AppStatus {
  ctx.sessions.end(ctx.sessionId)
  const s = ctx.sessions.create(op.id)
  ctx.caller.bindSession?.(s.id)
  return ctx.status(op, false)
}

/** The adjustments channels are open to the cashier; which operation they may submit is checked here, after parsing. */
export function checkOperationRole(operator: Operator, operation: keyof typeof OPERATION_ROLES): void {
  if (!OPERATION_ROLES[operation].includes(operator.role)) {
    throw new AppError('FORBIDDEN', `The ${operator.role} role may not submit an adjustment of type "${ADJUSTMENT_OPERATION_LABEL[operation]}".`, 'operation')
  }
}

export const operatorHandlers: Pick<HandlerTable<HandlerContext>, OperatorChannel> = {
  'auth.login': async (input, ctx) => {
    const op = await checkLogin(ctx.engine(), input.login, input.password, ctx.kdf())
    // Logging in over a locked counter ends the session of whoever locked it.
    if (ctx.signedIn && ctx.signedIn.id !== op.id)
      ctx.engine().change(ctx.actor, (w) => w.audit({ kind: 'auth.logout', description: `${ctx.signedIn!.name}'s session ended: ${op.name} logged in.` }))
    return startSession(ctx, op)
  },

  'auth.logout': (_input, ctx) => {
    if (ctx.signedIn) ctx.engine().change(ctx.actor, (w) => w.audit({ kind: 'auth.logout', description: `${ctx.signedIn!.name} logged out.` }))
    ctx.sessions.end(ctx.sessionId)
    ctx.caller.bindSession?.(null)
    return ctx.status(null, false)
  },

  'auth.session': (_input, { signedIn, locked, engine }) => ({
    operator: signedIn,
    locked: signedIn !== null && locked,
    idleLockMinutes: signedIn ? (engine().read((r) => r.get<{ m: number }>('SELECT idle_lock_minutes AS m FROM settings WHERE id = 1'))?.m ?? 0) : 0
  }),

  'auth.lock': (_input, ctx) => {
    if (ctx.sessionId) ctx.sessions.lock(ctx.sessionId)
    ctx.engine().change(ctx.actor, (w) => w.audit({ kind: 'auth.lock', description: `Counter locked (${ctx.operator.name}).` }))
    return ctx.status(ctx.signedIn, ctx.sessionId !== null)
  },

  'auth.unlock': async (input, ctx) => {
    await checkOwnPassword(ctx.engine(), ctx.operator.id, input.password, ctx.kdf(), 'unlocked the counter')
    if (ctx.sessionId) ctx.sessions.unlock(ctx.sessionId)
    return ctx.status(ctx.signedIn, false)
  },

  'auth.setAdminPassword': async (input, ctx) => {
    const hash = await hashPassword(input.password, ctx.kdf())
    const admin = ctx.engine().change(ctx.actor, (w) => setFirstAdminPassword(w, hash))
    return startSession(ctx, admin)
  },

  'operators.list': (_input, { engine, nowIso }) => engine().read((r) => listOperators(r, nowIso())),

  'operators.create': async (input, { engine, actor, kdf }) => {
    const hash = await hashPassword(input.password, kdf())
    return engine().change(actor, (w) => createOperator(w, input, hash))
  },

  'operators.disable': (input, { engine, actor, sessions }) => {
    const row = engine().change(actor, (w) => setOperatorDisabled(w, input.id, true))
    sessions.endAllOf(input.id)
    return row
  },

  'operators.enable': (input, { engine, actor }) => engine().change(actor, (w) => setOperatorDisabled(w, input.id, false)),

  'operators.resetPassword': async (input, { engine, actor, kdf, sessions, sessionId }) => {
    const hash = await hashPassword(input.password, kdf())
    const row = engine().change(actor, (w) => setPassword(w, input.id, hash, 'reset'))
    // Whoever knew the old password is logged out (the administrator resetting their own stays).
    sessions.endAllOf(input.id, sessionId ?? undefined)
    return row
  },

  'operators.changeOwnPassword': async (input, { engine, actor, operator, kdf }) => {
    const stored = engine().read((r) => r.get<{ password_hash: string | null }>('SELECT password_hash FROM operators WHERE id = ?', [operator.id]))
    if (!(await verifyPassword(input.currentPassword, stored?.password_hash ?? null, kdf()))) {
      throw new AppError('VALIDATION', 'The current password is wrong.', 'currentPassword')
    }
    const hash = await hashPassword(input.newPassword, kdf())
    engine().read((r) => getOperator(r, operator.id))
    return engine().change(actor, (w) => setPassword(w, operator.id, hash, 'own'))
  }
}
