import type { Operator, Role } from '../../src-shared/domain'
import { AppError } from '../../src-shared/errors'
import type { DbReader } from '../db/store'
import type { Actor } from './audit'

/** The built-in first administrator, who makes every change until operators can log in. */
export const FIRST_ADMIN_ID = 1

/** Who timed tasks, tools and start-up work act as (the built-in first administrator). */
export const FIRST_ADMIN_ACTOR: Actor = { operatorId: FIRST_ADMIN_ID, operatorName: 'Administrator' }

/** Operator 0 (migration 0028): who scheduler and start-up work act as. It cannot log in. */
export const SYSTEM_ID = 0
export const SYSTEM_ACTOR: Actor = { operatorId: SYSTEM_ID, operatorName: 'System' }

/** A row of operators. */
export interface StoredOperator {
  id: number
  login: string
  name: string
  role: Role
  password_hash: string | null
  disabled: number
  created_at: string
}

export function getOperator(r: DbReader, id: number): Operator {
  const row = r.get<Pick<StoredOperator, 'id' | 'login' | 'name' | 'role'>>('SELECT id, login, name, role FROM operators WHERE id = ? AND disabled = 0', [id])
  if (!row) throw new AppError('UNAUTHORIZED', `Operator ${id} does not exist or is disabled.`)
  return row
}

export function actorOf(op: Operator): Actor {
  return { operatorId: op.id, operatorName: op.name }
}
