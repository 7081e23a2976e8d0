/**
 * The built-in test gateway (src-main/engine/gateway.ts) on its own: what each test card does,
 * authorizations that expire, one capture per authorization up to the authorized amount, voids,
 * refunds up to what was charged, answers kept for a lost response, and state that survives a restart.
 */
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { cardBrand, luhnValid, type PaymentGateway, TEST_CARDS, TestGateway } from '../../src-main/engine/gateway'
import { tmpDataDir } from '../support/tmp'

const NOW = Date.parse('2026-11-21T10:00:00Z')
const DAY = 86_400_000
const GOOD = '12/30'

/** A gateway on a fresh data folder whose clock the test moves. */
function gateway(authorizationDays = 7) {
  const clock = { now: NOW }
  const dir = tmpDataDir('gateway-')
  // Through the interface the card payments use.
  const gw: PaymentGateway = TestGateway.inDataDir(
    dir,
    () => clock.now,
    () => authorizationDays
  )
  let seq = 0
  const ref = () => `ref-${++seq}`
  const charge = (number: string, amountMinor: number, expiry = GOOD) => gw.charge({ reference: ref(), card: { number, expiry }, amountMinor, currency: 'USD' })
  const authorize = (number: string, amountMinor: number) => gw.authorize({ reference: ref(), card: { number, expiry: GOOD }, amountMinor, currency: 'USD' })
  const approvedRef = (o: Awaited<ReturnType<typeof charge>>) => {
    if (o.status !== 'approved') throw new Error(`expected approval, got ${JSON.stringify(o)}`)
    return o.gatewayRef
  }
  return { gw, clock, dir, ref, charge, authorize, approvedRef }
}

describe('test cards', () => {
  it('approve with the brand and last four digits, whatever spaces or dashes were typed', async () => {
    const { charge } = gateway()
    expect(await charge('4242 4242 4242 4242', 1000)).toMatchObject({ status: 'approved', brand: 'Visa', last4: '4242' })
    expect(await charge('5555-5555-5555-4444', 1000)).toMatchObject({ status: 'approved', brand: 'Mastercard', last4: '4444' })
  })

  it('decline for insufficient funds and an expired card, fail with a processing error, and time out', async () => {
    const { charge } = gateway()
    expect(await charge('4000000000009995', 1000)).toEqual({ status: 'declined', reason: 'Declined by the card issuer: insufficient funds.' })
    expect(await charge('4000000000000069', 1000)).toEqual({ status: 'declined', reason: 'Declined by the card issuer: the card has expired.' })
    expect(await charge('4000000000000119', 1000)).toMatchObject({ status: 'error' })
    expect(await charge('4000000000000408', 1000)).toEqual({ status: 'timeout' })
  })

  it('decline a good card whose expiry month has passed or is not MM/YY, and accept the current month', async () => {
    const { charge } = gateway()
    expect(await charge('4242424242424242', 1000, '10/26')).toMatchObject({ status: 'declined', reason: expect.stringContaining('expired') })
    expect(await charge('4242424242424242', 1000, '2030-12')).toMatchObject({ status: 'declined' })
    expect(await charge('4242424242424242', 1000, '11/26')).toMatchObject({ status: 'approved' })
  })

  it('a timed-out charge was processed: looking its reference up gives the approval the desk never heard', async () => {
    const { gw } = gateway()
    expect(await gw.charge({ reference: 'lost-answer', card: { number: '4000000000000408', expiry: GOOD }, amountMinor: 500, currency: 'USD' })).toEqual({
      status: 'timeout'
    })
    expect(await gw.lookup('lost-answer')).toMatchObject({ status: 'approved', last4: '0408' })
    expect(await gw.lookup('never-sent')).toBeNull()
  })

  it('every documented test card number passes the Luhn check, and brands are told from the prefix', () => {
    for (const number of Object.keys(TEST_CARDS)) expect(luhnValid(number)).toBe(true)
    expect(luhnValid('4242424242424241')).toBe(false)
    expect(luhnValid('42')).toBe(false)
    expect(cardBrand('378282246310005')).toBe('American Express')
    expect(cardBrand('2223003122003222')).toBe('Mastercard')
    expect(cardBrand('6011111111111117')).toBe('Card')
  })
})

describe('authorizations', () => {
  it('hold for the configured number of days', async () => {
    const { authorize } = gateway(3)
    expect(await authorize('4242424242424242', 5000)).toMatchObject({ status: 'approved', expiresAt: new Date(NOW + 3 * DAY).toISOString() })
  })

  it('capture once, up to the authorized amount (a partial capture releases the rest)', async () => {
    const { gw, authorize, approvedRef, ref } = gateway()
    const auth = approvedRef(await authorize('4242424242424242', 5000))
    expect(await gw.capture({ reference: ref(), gatewayRef: auth, amountMinor: 5001 })).toEqual({
      status: 'declined',
      reason: 'The capture is larger than the authorized amount.'
    })
    expect(await gw.capture({ reference: ref(), gatewayRef: auth, amountMinor: 3000 })).toMatchObject({ status: 'approved', gatewayRef: auth })
    expect(await gw.capture({ reference: ref(), gatewayRef: auth, amountMinor: 1000 })).toEqual({
      status: 'declined',
      reason: 'This authorization was already captured.'
    })
  })

  it('cannot be captured or voided once expired', async () => {
    const { gw, clock, authorize, approvedRef, ref } = gateway(7)
    const auth = approvedRef(await authorize('4242424242424242', 5000))
    clock.now = NOW + 7 * DAY
    expect(await gw.capture({ reference: ref(), gatewayRef: auth, amountMinor: 100 })).toEqual({ status: 'declined', reason: 'This authorization has expired.' })
    expect(await gw.void({ reference: ref(), gatewayRef: auth })).toEqual({ status: 'declined', reason: 'This authorization has expired.' })
  })

  it('a voided authorization cannot be captured, and a captured one cannot be voided', async () => {
    const { gw, authorize, approvedRef, ref } = gateway()
    const voided = approvedRef(await authorize('4242424242424242', 5000))
    expect(await gw.void({ reference: ref(), gatewayRef: voided })).toMatchObject({ status: 'approved' })
    expect(await gw.capture({ reference: ref(), gatewayRef: voided, amountMinor: 100 })).toEqual({ status: 'declined', reason: 'This authorization was voided.' })

    const captured = approvedRef(await authorize('4242424242424242', 5000))
    await gw.capture({ reference: ref(), gatewayRef: captured, amountMinor: 5000 })
    expect(await gw.void({ reference: ref(), gatewayRef: captured })).toEqual({ status: 'declined', reason: 'A captured authorization cannot be voided.' })
  })

  it('an unknown or declined authorization cannot be captured or voided; a sale is not an authorization', async () => {
    const { gw, charge, authorize, approvedRef, ref } = gateway()
    const declined = await authorize('4000000000009995', 5000)
    expect(declined.status).toBe('declined')
    const sale = approvedRef(await charge('4242424242424242', 5000))
    for (const gatewayRef of ['auth_999999', sale]) {
      expect(await gw.capture({ reference: ref(), gatewayRef, amountMinor: 100 })).toEqual({ status: 'declined', reason: 'Unknown authorization.' })
      expect(await gw.void({ reference: ref(), gatewayRef })).toEqual({ status: 'declined', reason: 'Unknown authorization.' })
    }
  })
})

describe('refunds', () => {
  it('add up to at most what was charged', async () => {
    const { gw, charge, approvedRef, ref } = gateway()
    const sale = approvedRef(await charge('4242424242424242', 10_000))
    expect(await gw.refund({ reference: ref(), gatewayRef: sale, amountMinor: 6000 })).toMatchObject({ status: 'approved', last4: '4242' })
    expect(await gw.refund({ reference: ref(), gatewayRef: sale, amountMinor: 4001 })).toEqual({ status: 'declined', reason: 'Refunds cannot exceed what was charged.' })
    expect(await gw.refund({ reference: ref(), gatewayRef: sale, amountMinor: 4000 })).toMatchObject({ status: 'approved' })
    expect(await gw.refund({ reference: ref(), gatewayRef: sale, amountMinor: 1 })).toMatchObject({ status: 'declined' })
  })

  it('of an authorization are limited to what was captured, and need a capture first', async () => {
    const { gw, authorize, approvedRef, ref } = gateway()
    const auth = approvedRef(await authorize('4242424242424242', 5000))
    expect(await gw.refund({ reference: ref(), gatewayRef: auth, amountMinor: 100 })).toEqual({ status: 'declined', reason: 'Unknown payment.' })
    await gw.capture({ reference: ref(), gatewayRef: auth, amountMinor: 3000 })
    expect(await gw.refund({ reference: ref(), gatewayRef: auth, amountMinor: 3001 })).toEqual({ status: 'declined', reason: 'Refunds cannot exceed what was charged.' })
    expect(await gw.refund({ reference: ref(), gatewayRef: auth, amountMinor: 3000 })).toMatchObject({ status: 'approved' })
  })
})

it("keeps the processor's side in its own file, so a restarted desk sees earlier payments", async () => {
  const { charge, approvedRef, dir } = gateway()
  const sale = approvedRef(await charge('4242424242424242', 2000))
  const again: PaymentGateway = new TestGateway(path.join(dir, 'test-gateway.json'), () => NOW)
  expect(await again.refund({ reference: 'after-restart', gatewayRef: sale, amountMinor: 2001 })).toMatchObject({ status: 'declined' })
  expect(await again.refund({ reference: 'after-restart-2', gatewayRef: sale, amountMinor: 2000 })).toMatchObject({ status: 'approved' })
})
