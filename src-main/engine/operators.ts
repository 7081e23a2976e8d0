import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto'
import type { Operator, OperatorRow, Role } from '../../src-shared/domain'
import { AppError } from '../../src-shared/errors'
import type { DbReader } from '../db/store'
import type { Actor } from './audit'
import type { Engine, Work } from './unitOfWork'

/** The first administrator (created by first-run setup; operator 1 in every data folder). */
export const FIRST_ADMIN_ID = 1

/** The first administrator as an actor (tools and tests that act as them). */
export const FIRST_ADMIN_ACTOR: Actor = { operatorId: FIRST_ADMIN_ID, operatorName: 'Administrator' }

/** Operator 0 (migration 0025): who scheduler and start-up work act as. It cannot log in. */
export const SYSTEM_ID = 0
export const SYSTEM_ACTOR: Actor = { operatorId: SYSTEM_ID, operatorName: 'System' }

/** This many wrong passwords in a row lock the operator for LOCKOUT_MINUTES. */
export const MAX_FAILED_LOGINS = 5
export const LOCKOUT_MINUTES = 15
export const MIN_PASSWORD_LENGTH = 8

/** A row of operators. */
export interface StoredOperator {
  id: number
  login: string
  name: string
  role: Role
  password_hash: string | null
  disabled: number
  created_at: string
  failed_logins: number
  locked_until: string | null
  password_changed_at: string | null
}

export function getOperator(r: DbReader, id: number): Operator {
  const row = r.get<Pick<StoredOperator, 'id' | 'login' | 'name' | 'role'>>('SELECT id, login, name, role FROM operators WHERE id = ? AND disabled = 0', [id])
  if (!row) throw new AppError('UNAUTHORIZED', `Operator ${id} does not exist or is disabled.`)
  return row
}

export function actorOf(op: Pick<Operator, 'id' | 'name'>): Actor {
  return { operatorId: op.id, operatorName: op.name }
}

// ---------------------------------------------------------------------------------------------
// Passwords: scrypt with a random salt per password; the parameters travel with the hash, so a
// later change of the cost leaves existing hashes readable ("scrypt$N$r$p$salt$hash", base64).

export interface KdfParams {
  N: number
  r: number
  p: number
}

/** About 180 ms per verification on the reference machine (`npm run bench`: login.verify_ms). */
export const DEFAULT_KDF: KdfParams = { N: 2 ** 16, r: 8, p: 1 }
const KEY_BYTES = 32
const SALT_BYTES = 16
/** Largest cost a stored hash may ask for (a damaged or hostile row must not exhaust memory). */
const MAX_N = 2 ** 20

function derive(password: string, salt: Buffer, k: KdfParams): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, KEY_BYTES, { N: k.N, r: k.r, p: k.p, maxmem: 256 * k.N * k.r * k.p + 1024 * 1024 }, (err, key) =>
      err ? reject(err) : resolve(key)
    )
  )
}

export async function hashPassword(password: string, k: KdfParams = DEFAULT_KDF): Promise<string> {
  const salt = randomBytes(SALT_BYTES)
  const key = await derive(password, salt, k)
  return `scrypt$${k.N}$${k.r}$${k.p}$${salt.toString('base64')}$${key.toString('base64')}`
}

/** A dummy hash, verified against when the login does not exist (the answer takes as long). */
let dummyHash: Promise<string> | null = null

/** Whether `password` matches `stored`; constant-time compare of the derived keys. */
export async function verifyPassword(password: string, stored: string | null, k: KdfParams = DEFAULT_KDF): Promise<boolean> {
  if (stored === null) {
    dummyHash ??= hashPassword('not a password', k)
    await verifyPassword(password, await dummyHash, k)
    return false
  }
  const parts = stored.split('$')
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number]
  if (![N, r, p].every((v) => Number.isInteger(v) && v > 0) || N > MAX_N || r > 32 || p > 16) return false
  const salt = Buffer.from(parts[4]!, 'base64')
  const want = Buffer.from(parts[5]!, 'base64')
  if (want.length !== KEY_BYTES) return false
  const got = await derive(password, salt, { N, r, p })
  return timingSafeEqual(got, want)
}

export function checkNewPassword(password: string, field = 'password'): void {
  if (password.length < MIN_PASSWORD_LENGTH) throw new AppError('VALIDATION', `A password has at least ${MIN_PASSWORD_LENGTH} characters.`, field)
}

// ---------------------------------------------------------------------------------------------
// Reading

const ROW_COLUMNS = 'id, login, name, role, disabled, created_at, failed_logins, locked_until, password_hash IS NOT NULL AS has_password'

interface ListedRow {
  id: number
  login: string
  name: string
  role: Role
  disabled: number
  created_at: string
  failed_logins: number
  locked_until: string | null
  has_password: number
}

function toRow(x: ListedRow, nowIso: string): OperatorRow {
  return {
    id: x.id,
    login: x.login,
    name: x.name,
    role: x.role,
    disabled: x.disabled === 1,
    createdAt: x.created_at,
    hasPassword: x.has_password === 1,
    lockedUntil: x.locked_until !== null && x.locked_until > nowIso ? x.locked_until : null
  }
}

/** Every operator but System, by name. */
export function listOperators(r: DbReader, nowIso: string): OperatorRow[] {
  return r.all<ListedRow>(`SELECT ${ROW_COLUMNS} FROM operators WHERE id <> ? ORDER BY name COLLATE NOCASE, id`, [SYSTEM_ID]).map((x) => toRow(x, nowIso))
}

function storedOperator(r: DbReader, id: number): StoredOperator {
  const row = id === SYSTEM_ID ? undefined : r.get<StoredOperator>('SELECT * FROM operators WHERE id = ?', [id])
  if (!row) throw new AppError('NOT_FOUND', `There is no operator ${id}.`)
  return row
}

/**
 * An upgraded data folder (set up before operators could log in) has no administrator with a
 * password: the desk asks for the first administrator's password once, before anyone logs in.
 */
/** The login of the administrator an upgraded folder asks the password of (setFirstAdminPassword). */
export function firstAdminLogin(r: DbReader): string | null {
  return r.get<{ login: string }>('SELECT login FROM operators WHERE id = ?', [FIRST_ADMIN_ID])?.login ?? null
}

export function needsAdminPassword(r: DbReader): boolean {
  return !r.get("SELECT 1 FROM operators WHERE role = 'administrator' AND disabled = 0 AND password_hash IS NOT NULL AND id <> 0")
}

// ---------------------------------------------------------------------------------------------
// Changes (each audited, naming the operator who acted)

const ROLE_NAMES: Record<Role, string> = { administrator: 'Administrator', cashier: 'Cashier', auditor: 'Auditor' }

export interface NewOperator {
  login: string
  name: string
  role: Role
  password: string
}

function checkLoginFree(w: Work, login: string, exceptId: number | null): void {
  if (w.get('SELECT 1 FROM operators WHERE login = ? COLLATE NOCASE AND id <> ?', [login, exceptId ?? -1])) {
    throw new AppError('CONFLICT', `The login "${login}" is already taken.`, 'login')
  }
}

/** Write a new operator; `hash` was computed before the unit of work (the KDF is slow). */
export function createOperator(w: Work, op: Omit<NewOperator, 'password'>, hash: string): OperatorRow {
  checkLoginFree(w, op.login, null)
  const id = w.insert('INSERT INTO operators (login, name, role, password_hash, disabled, created_at, password_changed_at) VALUES (?, ?, ?, ?, 0, ?, ?)', [
    op.login,
    op.name,
    op.role,
    hash,
    w.at,
    w.at
  ])
  w.audit({ kind: 'operator.create', description: `Operator "${op.name}" (login ${op.login}) added as ${ROLE_NAMES[op.role]}.`, source: { kind: 'operator', id } })
  return toRow(w.get<ListedRow>(`SELECT ${ROW_COLUMNS} FROM operators WHERE id = ?`, [id])!, w.at)
}

/** First-run setup: operator 1 becomes the administrator named at setup, with a password. */
export function setupFirstAdmin(w: Work, op: Omit<NewOperator, 'password' | 'role'>, hash: string): void {
  checkLoginFree(w, op.login, FIRST_ADMIN_ID)
  w.run("UPDATE operators SET login = ?, name = ?, role = 'administrator', password_hash = ?, disabled = 0, password_changed_at = ? WHERE id = ?", [
    op.login,
    op.name,
    hash,
    w.at,
    FIRST_ADMIN_ID
  ])
  w.audit({ kind: 'operator.create', description: `First administrator "${op.name}" (login ${op.login}) set up.`, source: { kind: 'operator', id: FIRST_ADMIN_ID } })
}

/** An upgraded data folder: the first administrator's password, set once. */
export function setFirstAdminPassword(w: Work, hash: string): Operator {
  if (!needsAdminPassword(w)) throw new AppError('CONFLICT', 'An administrator already has a password; log in instead.')
  w.run('UPDATE operators SET password_hash = ?, disabled = 0, failed_logins = 0, locked_until = NULL, password_changed_at = ? WHERE id = ?', [
    hash,
    w.at,
    FIRST_ADMIN_ID
  ])
  w.audit({
    kind: 'operator.password',
    description: 'Administrator password set for the first time (data folder upgraded to operator login).',
    source: { kind: 'operator', id: FIRST_ADMIN_ID }
  })
  return getOperator(w, FIRST_ADMIN_ID)
}

function activeAdmins(r: DbReader): number {
  return r.get<{ n: number }>("SELECT count(*) AS n FROM operators WHERE role = 'administrator' AND disabled = 0 AND id <> 0")!.n
}

export function setOperatorDisabled(w: Work, id: number, disabled: boolean): OperatorRow {
  const op = storedOperator(w, id)
  if (disabled && id === w.actor.operatorId) throw new AppError('CONFLICT', 'You cannot disable yourself.')
  if (disabled && op.role === 'administrator' && op.disabled === 0 && activeAdmins(w) <= 1) {
    throw new AppError('CONFLICT', 'This is the only active administrator: add another administrator first.')
  }
  if ((op.disabled === 1) !== disabled) {
    w.run('UPDATE operators SET disabled = ?, failed_logins = 0, locked_until = NULL WHERE id = ?', [disabled ? 1 : 0, id])
    w.audit({
      kind: disabled ? 'operator.disable' : 'operator.enable',
      field: 'disabled',
      from: op.disabled === 1 ? 'yes' : 'no',
      to: disabled ? 'yes' : 'no',
      description: `Operator "${op.name}" (login ${op.login}) ${disabled ? 'disabled' : 're-enabled'}.`,
      source: { kind: 'operator', id }
    })
  }
  return toRow(w.get<ListedRow>(`SELECT ${ROW_COLUMNS} FROM operators WHERE id = ?`, [id])!, w.at)
}

/** A new password for `id` (reset by an administrator, changed by its owner, or the command line); ends a lockout. */
export function setPassword(w: Work, id: number, hash: string, how: 'reset' | 'own' | 'command line'): OperatorRow {
  const op = storedOperator(w, id)
  w.run('UPDATE operators SET password_hash = ?, failed_logins = 0, locked_until = NULL, password_changed_at = ? WHERE id = ?', [hash, w.at, id])
  const description =
    how === 'own'
      ? `Operator "${op.name}" changed their own password.`
      : how === 'reset'
        ? `Password of operator "${op.name}" (login ${op.login}) reset.`
        : `Password of operator "${op.name}" (login ${op.login}) reset from the command line.`
  w.audit({ kind: 'operator.password', description, source: { kind: 'operator', id } })
  return toRow(w.get<ListedRow>(`SELECT ${ROW_COLUMNS} FROM operators WHERE id = ?`, [id])!, w.at)
}

// ---------------------------------------------------------------------------------------------
// Login

const WRONG = 'Wrong login or password.'

function lockedMessage(until: string): string {
  return `Too many wrong passwords: this operator is locked until ${until.slice(11, 16)} UTC (${LOCKOUT_MINUTES} minutes after the fifth). An administrator can reset the password to unlock it now.`
}

/**
 * Check a login and password. Every failure is audited (a wrong password names the operator it
 * was tried on, an unknown login names the System); the fifth wrong password in a row locks the
 * operator for LOCKOUT_MINUTES (audited too). Answers the operator on success.
 */
export async function checkLogin(engine: Engine, login: string, password: string, kdf: KdfParams = DEFAULT_KDF, success = 'logged in'): Promise<Operator> {
  const row = engine.read((r) => r.get<StoredOperator>('SELECT * FROM operators WHERE login = ? COLLATE NOCASE AND id <> ?', [login, SYSTEM_ID]))
  if (!row) {
    await verifyPassword(password, null, kdf)
    engine.change(SYSTEM_ACTOR, (w) => w.audit({ kind: 'auth.login-failed', description: `Failed login: unknown login "${login.slice(0, 64)}".` }))
    throw new AppError('UNAUTHORIZED', WRONG)
  }
  const nowIso = new Date(engine.now()).toISOString()
  if (row.locked_until !== null && row.locked_until > nowIso) {
    await verifyPassword(password, null, kdf)
    engine.change(actorOf(row), (w) =>
      w.audit({ kind: 'auth.login-failed', description: `Failed login of "${row.name}": the operator is locked.`, source: { kind: 'operator', id: row.id } })
    )
    throw new AppError('UNAUTHORIZED', lockedMessage(row.locked_until))
  }
  const good = await verifyPassword(password, row.password_hash, kdf)
  if (!good) {
    const locked = engine.change(actorOf(row), (w) => {
      // Read again inside the unit of work: two wrong passwords checked at once both count.
      const failed = w.get<{ n: number }>('SELECT failed_logins AS n FROM operators WHERE id = ?', [row.id])!.n + 1
      if (failed >= MAX_FAILED_LOGINS) {
        const until = new Date(Date.parse(w.at) + LOCKOUT_MINUTES * 60_000).toISOString()
        w.run('UPDATE operators SET failed_logins = 0, locked_until = ? WHERE id = ?', [until, row.id])
        w.audit({
          kind: 'auth.lockout',
          description: `Operator "${row.name}" locked until ${until} after ${MAX_FAILED_LOGINS} wrong passwords in a row.`,
          source: { kind: 'operator', id: row.id }
        })
        return until
      }
      w.run('UPDATE operators SET failed_logins = ? WHERE id = ?', [failed, row.id])
      w.audit({ kind: 'auth.login-failed', description: `Failed login of "${row.name}": wrong password (${failed} in a row).`, source: { kind: 'operator', id: row.id } })
      return null
    })
    throw new AppError('UNAUTHORIZED', locked ? lockedMessage(locked) : WRONG)
  }
  if (row.disabled === 1) throw new AppError('UNAUTHORIZED', 'This operator is disabled. Ask an administrator to re-enable it.')
  engine.change(actorOf(row), (w) => {
    w.run('UPDATE operators SET failed_logins = 0, locked_until = NULL WHERE id = ?', [row.id])
    w.audit({ kind: 'auth.login', description: `${row.name} ${success}.`, source: { kind: 'operator', id: row.id } })
  })
  return { id: row.id, login: row.login, name: row.name, role: row.role }
}

/** The password of an operator who is already logged in (unlock, change own password): same rules as a login. */
export async function checkOwnPassword(engine: Engine, operatorId: number, password: string, kdf: KdfParams, success: string): Promise<Operator> {
  const login = engine.read((r) => r.get<{ login: string }>('SELECT login FROM operators WHERE id = ?', [operatorId]))?.login
  if (login === undefined) throw new AppError('UNAUTHORIZED', 'Log in first.')
  return checkLogin(engine, login, password, kdf, success)
}
