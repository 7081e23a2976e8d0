import type { BillingBridge, Channel, InputOf, ResultOf } from '../../../src-shared/contract'
import { AppError, isAppErrorShape, type IpcResponse } from '../../../src-shared/errors'

/**
 * The renderer's only way to reach the billing engine. Two bridges, one contract:
 * - desktop: the Electron preload exposes `window.billing.invoke(channel, input)`;
 * - browser mode: `POST /ipc/<channel>` on the loopback host, authorised with the token the host
 *   put in the page URL fragment (`#token=<hex>`).
 * Both answer with an IpcResponse envelope; a failure becomes a rejected AppError.
 */

declare global {
  interface Window {
    billing?: BillingBridge
  }
}

const TOKEN_KEY = 'billing.token'
/** Browser mode: the login session the host answered, kept for this tab (a reload stays logged in). */
const SESSION_KEY = 'billing.session'
const SESSION_HEADER = 'x-billing-session'

let session: string | null = null

function readSession(): string | null {
  if (session !== null) return session
  try {
    session = sessionStorage.getItem(SESSION_KEY)
  } catch {
    session = null
  }
  return session
}

function keepSession(value: string): void {
  session = value === '' ? null : value
  try {
    if (session === null) sessionStorage.removeItem(SESSION_KEY)
    else sessionStorage.setItem(SESSION_KEY, session)
  } catch {
    // The in-memory copy still works for this load.
  }
}

/**
 * Told when an answer says nobody is logged in any more or the counter is locked (idle), so the
 * app asks the status again and shows the login or lock screen.
 */
const authListeners = new Set<() => void>()
export function onAuthChange(listener: () => void): () => void {
  authListeners.add(listener)
  return () => authListeners.delete(listener)
}
const TOKEN_RE = /(?:^|&)token=([0-9a-fA-F]+)(?:&|$)/

let token: string | null = null

/**
 * Read the access token from `#token=<hex>` once at start-up, keep it for this tab in
 * sessionStorage (so a reload still works) and take it out of the visible URL and history.
 */
export function captureToken(): void {
  const hash = window.location.hash.replace(/^#/, '')
  const m = TOKEN_RE.exec(hash)
  if (m?.[1]) {
    token = m[1]
    try {
      sessionStorage.setItem(TOKEN_KEY, token)
    } catch {
      // Storage can be unavailable (private modes); the in-memory copy still works for this load.
    }
    const rest = hash
      .split('&')
      .filter((part) => !part.startsWith('token='))
      .join('&')
    const clean = window.location.pathname + window.location.search + (rest ? `#${rest}` : '')
    window.history.replaceState(window.history.state, '', clean)
    return
  }
  try {
    token = sessionStorage.getItem(TOKEN_KEY)
  } catch {
    token = null
  }
}

export function transportName(): 'desktop' | 'browser' {
  return window.billing ? 'desktop' : 'browser'
}

function toResult<C extends Channel>(channel: C, envelope: unknown): ResultOf<C> {
  if (typeof envelope === 'object' && envelope !== null && 'ok' in envelope) {
    const res = envelope as IpcResponse<ResultOf<C>>
    if (res.ok) return res.value
    if (isAppErrorShape(res.error)) throw new AppError(res.error.code, res.error.message, res.error.field)
  }
  throw new AppError('INTERNAL', `The billing engine sent an unreadable answer to "${channel}".`)
}

async function viaHttp(channel: Channel, input: unknown): Promise<unknown> {
  let response: Response
  try {
    response = await fetch(`/ipc/${encodeURIComponent(channel)}`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
        ...(readSession() ? { [SESSION_HEADER]: readSession()! } : {})
      },
      body: JSON.stringify(input ?? {}),
      credentials: 'omit',
      cache: 'no-store'
    })
  } catch {
    throw new AppError('INTERNAL', 'Cannot reach the billing engine. Is the billing desk still running on this computer?')
  }
  if (response.status === 401) {
    throw new AppError('UNAUTHORIZED', 'This page has no valid access key. Open the full address printed when the billing desk started (it ends in #token=…).')
  }
  if (response.status === 403) {
    throw new AppError('FORBIDDEN', 'The billing engine refused this page: it only answers pages it served itself, at its own address.')
  }
  const given = response.headers.get(SESSION_HEADER)
  if (given !== null) keepSession(given)
  let body: unknown
  try {
    body = await response.json()
  } catch {
    throw new AppError('INTERNAL', `The billing engine answered "${channel}" with HTTP ${response.status} and no readable body.`)
  }
  return body
}

export async function invoke<C extends Channel>(channel: C, input: InputOf<C>): Promise<ResultOf<C>> {
  const bridge = window.billing
  let envelope: unknown
  if (bridge) {
    try {
      envelope = await bridge.invoke(channel, input)
    } catch (e) {
      throw new AppError('INTERNAL', `The desktop bridge failed on "${channel}": ${e instanceof Error ? e.message : String(e)}`)
    }
  } else {
    envelope = await viaHttp(channel, input)
  }
  try {
    return toResult(channel, envelope)
  } catch (e) {
    if (e instanceof AppError && (e.code === 'LOCKED' || (e.code === 'UNAUTHORIZED' && channel !== 'auth.login' && channel !== 'auth.unlock'))) {
      for (const l of authListeners) l()
    }
    throw e
  }
}

/** Any thrown value -> an AppError, so screens have one shape to show. */
export function asAppError(e: unknown): AppError {
  if (e instanceof AppError) return e
  if (isAppErrorShape(e)) return new AppError(e.code, e.message, e.field)
  return new AppError('INTERNAL', e instanceof Error ? e.message : String(e))
}
