/**
 * The built-in test gateway's card numbers (documented in docs/payments.md). Shared so the engine's
 * TestGateway (src-main/engine/gateway.ts) and the wizard's "Test cards" hint read one list. Any
 * future expiry (MM/YY) works; a past one is declined.
 */
export const TEST_CARDS = {
  '4242424242424242': 'approve (Visa)',
  '5555555555554444': 'approve (Mastercard)',
  '4000000000009995': 'decline: insufficient funds',
  '4000000000000069': 'decline: expired card',
  '4000000000000119': 'fail: processing error',
  '4000000000000408': 'time out (the gateway processes it, the answer is lost)'
} as const

export type TestCardNumber = keyof typeof TEST_CARDS
