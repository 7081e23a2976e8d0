import { randomBytes } from 'node:crypto'

/**
 * Login sessions, held only in the main process (docs/operators.md). A session is a random id
 * bound to one operator: the desktop keeps it per window (never handed to the page), browser mode
 * hands it to the tab, which sends it with every request next to the per-start token. A session
 * idle longer than the idle-lock time is locked: only unlocking (same operator's password),
 * logging out or logging in as someone else work until then. Sessions end with the process.
 */
export interface Session {
  id: string
  operatorId: number
  /** Milliseconds since epoch of the last request made through it. */
  lastActivity: number
  locked: boolean
}

export class Sessions {
  private byId = new Map<string, Session>()

  constructor(private readonly now: () => number) {}

  create(operatorId: number): Session {
    const s: Session = { id: randomBytes(32).toString('hex'), operatorId, lastActivity: this.now(), locked: false }
    this.byId.set(s.id, s)
    return s
  }

  /**
   * The live session `id` names, locked first if it was idle `idleLockMinutes` or longer (0 never
   * locks); `touch` marks it used now (any request but reading who is logged in).
   */
  get(id: string | null | undefined, idleLockMinutes: number, touch: boolean): Session | null {
    if (!id) return null
    const s = this.byId.get(id)
    if (!s) return null
    const now = this.now()
    if (!s.locked && idleLockMinutes > 0 && now - s.lastActivity >= idleLockMinutes * 60_000) s.locked = true
    if (touch && !s.locked) s.lastActivity = now
    return s
  }

  lock(id: string): void {
    const s = this.byId.get(id)
    if (s) s.locked = true
  }

  unlock(id: string): void {
    const s = this.byId.get(id)
    if (s) {
      s.locked = false
      s.lastActivity = this.now()
    }
  }

  end(id: string | null | undefined): void {
    if (id) this.byId.delete(id)
  }

  /** A disabled operator (or one whose password was reset) is logged out everywhere. */
  endAllOf(operatorId: number, except?: string): void {
    for (const [id, s] of this.byId) if (s.operatorId === operatorId && id !== except) this.byId.delete(id)
  }

  /** After a restore the operators may differ: everyone logs in again. */
  clear(): void {
    this.byId.clear()
  }
}
