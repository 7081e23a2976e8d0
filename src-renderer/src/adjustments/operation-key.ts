/**
 * The wizard's idempotency key: made once when the wizard opens and sent with every Finish, so a
 * double click or a retry after a lost answer can never record the operation twice (the engine
 * answers a repeated key with the first result). The contract wants 16-64 of [A-Za-z0-9-].
 */
export function newOperationKey(): string {
  const c = globalThis.crypto
  if (typeof c?.randomUUID === 'function') return c.randomUUID()
  // randomUUID needs a secure context; getRandomValues does not.
  const bytes = new Uint8Array(16)
  c.getRandomValues(bytes)
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
}
