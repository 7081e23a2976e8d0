/**
 * The payment gateway interface (a card processor) and the built-in test gateway, which behaves
 * like a real one offline: test card numbers approve, decline or fail; authorizations expire;
 * one capture per authorization up to the authorized amount; refunds up to what was charged.
 */
import fs from 'node:fs'
import path from 'node:path'
import { writeFileAtomic } from '../db/files'

export interface CardDetails {
  number: string
  /** MM/YY */
  expiry: string
}

export type GatewayOutcome =
  | { status: 'approved'; gatewayRef: string; brand: string; last4: string; expiresAt?: string }
  | { status: 'declined'; reason: string }
  | { status: 'error'; message: string }
  | { status: 'timeout' }

export interface PaymentGateway {
  readonly name: string
  charge(req: { reference: string; card: CardDetails; amountMinor: number; currency: string }): Promise<GatewayOutcome>
  authorize(req: { reference: string; card: CardDetails; amountMinor: number; currency: string }): Promise<GatewayOutcome>
  /** One capture per authorization; the rest of the authorized amount is released. */
  capture(req: { reference: string; gatewayRef: string; amountMinor: number }): Promise<GatewayOutcome>
  void(req: { reference: string; gatewayRef: string }): Promise<GatewayOutcome>
  refund(req: { reference: string; gatewayRef: string; amountMinor: number }): Promise<GatewayOutcome>
  /** What became of a request whose answer was lost (time-out, crash); null if it never arrived. */
  lookup(reference: string): Promise<GatewayOutcome | null>
}

/** Test cards (documented in docs/payments.md; the list lives in src-shared for the wizard's hint too). */
export { TEST_CARDS } from '../../src-shared/testCards'

export function luhnValid(digits: string): boolean {
  let sum = 0
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i])
    if (i % 2 === 1) {
      d *= 2
      if (d > 9) d -= 9
    }
    sum += d
  }
  return digits.length >= 12 && sum % 10 === 0
}

export function cardBrand(digits: string): string {
  if (digits.startsWith('4')) return 'Visa'
  if (/^5[1-5]/.test(digits) || /^2[2-7]/.test(digits)) return 'Mastercard'
  if (/^3[47]/.test(digits)) return 'American Express'
  return 'Card'
}

interface StoredTx {
  kind: 'charge' | 'authorization' | 'capture' | 'void' | 'refund'
  reference: string
  outcome: GatewayOutcome
  amountMinor: number
  /** For authorizations and charges: what has been captured / refunded against them. */
  captured?: boolean
  voided?: boolean
  refundedMinor?: number
  parentRef?: string
}

/**
 * The built-in test gateway. Its "processor side" state lives in its own file in the data folder,
 * as a real processor's would live on its servers: our database never depends on it.
 */
export class TestGateway implements PaymentGateway {
  readonly name = 'Built-in test gateway'
  private state: { seq: number; txs: StoredTx[] }

  constructor(
    private readonly file: string,
    private readonly now: () => number,
    /** How long an authorization holds, in days: read at each authorization (a setting). */
    private readonly authorizationDays: () => number = () => 7
  ) {
    this.state = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as typeof this.state) : { seq: 0, txs: [] }
  }

  static inDataDir(dataDir: string, now: () => number, authorizationDays?: () => number): TestGateway {
    return new TestGateway(path.join(dataDir, 'test-gateway.json'), now, authorizationDays)
  }

  private save(): void {
    writeFileAtomic(this.file, Buffer.from(JSON.stringify(this.state)))
  }

  private record(tx: StoredTx): GatewayOutcome {
    this.state.txs.push(tx)
    this.save()
    return tx.outcome
  }

  private byGatewayRef(ref: string): StoredTx | undefined {
    return this.state.txs.find((t) => t.outcome.status === 'approved' && t.outcome.gatewayRef === ref)
  }

  private newRef(prefix: string): string {
    this.state.seq++
    return `${prefix}_${String(this.state.seq).padStart(6, '0')}`
  }

  private cardOutcome(card: CardDetails, prefix: string, expiresAt?: string): GatewayOutcome {
    const digits = card.number.replace(/[\s-]/g, '')
    const m = /^(\d{2})\/(\d{2})$/.exec(card.expiry.trim())
    const nowDate = new Date(this.now())
    const expired = !m || Number(`20${m[2]}`) * 12 + Number(m[1]) < nowDate.getUTCFullYear() * 12 + nowDate.getUTCMonth() + 1
    if (digits === '4000000000009995') return { status: 'declined', reason: 'Declined by the card issuer: insufficient funds.' }
    if (digits === '4000000000000069' || expired) return { status: 'declined', reason: 'Declined by the card issuer: the card has expired.' }
    if (digits === '4000000000000119') return { status: 'error', message: 'The card processor reported a processing error. Try again later.' }
    const approved: GatewayOutcome = {
      status: 'approved',
      gatewayRef: this.newRef(prefix),
      brand: cardBrand(digits),
      last4: digits.slice(-4),
      ...(expiresAt ? { expiresAt } : {})
    }
    return approved
  }

  async charge(req: { reference: string; card: CardDetails; amountMinor: number }): Promise<GatewayOutcome> {
    const outcome = this.cardOutcome(req.card, 'ch')
    this.record({ kind: 'charge', reference: req.reference, outcome, amountMinor: req.amountMinor, refundedMinor: 0 })
    return req.card.number.replace(/[\s-]/g, '') === '4000000000000408' ? { status: 'timeout' } : outcome
  }

  async authorize(req: { reference: string; card: CardDetails; amountMinor: number }): Promise<GatewayOutcome> {
    const expiresAt = new Date(this.now() + this.authorizationDays() * 86_400_000).toISOString()
    const outcome = this.cardOutcome(req.card, 'auth', expiresAt)
    this.record({ kind: 'authorization', reference: req.reference, outcome, amountMinor: req.amountMinor, refundedMinor: 0 })
    return req.card.number.replace(/[\s-]/g, '') === '4000000000000408' ? { status: 'timeout' } : outcome
  }

  async capture(req: { reference: string; gatewayRef: string; amountMinor: number }): Promise<GatewayOutcome> {
    const auth = this.byGatewayRef(req.gatewayRef)
    let outcome: GatewayOutcome
    if (!auth || auth.kind !== 'authorization' || auth.outcome.status !== 'approved') outcome = { status: 'declined', reason: 'Unknown authorization.' }
    else if (auth.captured) outcome = { status: 'declined', reason: 'This authorization was already captured.' }
    else if (auth.voided) outcome = { status: 'declined', reason: 'This authorization was voided.' }
    else if ((auth.outcome.expiresAt ?? '') <= new Date(this.now()).toISOString()) outcome = { status: 'declined', reason: 'This authorization has expired.' }
    else if (req.amountMinor > auth.amountMinor) outcome = { status: 'declined', reason: 'The capture is larger than the authorized amount.' }
    else {
      auth.captured = true
      outcome = { status: 'approved', gatewayRef: auth.outcome.gatewayRef, brand: auth.outcome.brand, last4: auth.outcome.last4 }
    }
    this.record({ kind: 'capture', reference: req.reference, outcome, amountMinor: req.amountMinor, parentRef: req.gatewayRef, refundedMinor: 0 })
    return outcome
  }

  async void(req: { reference: string; gatewayRef: string }): Promise<GatewayOutcome> {
    const auth = this.byGatewayRef(req.gatewayRef)
    let outcome: GatewayOutcome
    if (!auth || auth.kind !== 'authorization' || auth.outcome.status !== 'approved') outcome = { status: 'declined', reason: 'Unknown authorization.' }
    else if (auth.captured) outcome = { status: 'declined', reason: 'A captured authorization cannot be voided.' }
    else if ((auth.outcome.expiresAt ?? '') <= new Date(this.now()).toISOString()) outcome = { status: 'declined', reason: 'This authorization has expired.' }
    else {
      auth.voided = true
      outcome = { status: 'approved', gatewayRef: auth.outcome.gatewayRef, brand: auth.outcome.brand, last4: auth.outcome.last4 }
    }
    this.record({ kind: 'void', reference: req.reference, outcome, amountMinor: 0, parentRef: req.gatewayRef })
    return outcome
  }

  async refund(req: { reference: string; gatewayRef: string; amountMinor: number }): Promise<GatewayOutcome> {
    const paid = this.byGatewayRef(req.gatewayRef)
    const captured =
      paid?.kind === 'authorization' ? this.state.txs.find((t) => t.kind === 'capture' && t.parentRef === req.gatewayRef && t.outcome.status === 'approved') : paid
    let outcome: GatewayOutcome
    if (!paid || !captured || paid.outcome.status !== 'approved') outcome = { status: 'declined', reason: 'Unknown payment.' }
    else if ((paid.refundedMinor ?? 0) + req.amountMinor > captured.amountMinor) outcome = { status: 'declined', reason: 'Refunds cannot exceed what was charged.' }
    else {
      paid.refundedMinor = (paid.refundedMinor ?? 0) + req.amountMinor
      outcome = { status: 'approved', gatewayRef: this.newRef('re'), brand: paid.outcome.brand, last4: paid.outcome.last4 }
    }
    this.record({ kind: 'refund', reference: req.reference, outcome, amountMinor: req.amountMinor, parentRef: req.gatewayRef })
    return outcome
  }

  async lookup(reference: string): Promise<GatewayOutcome | null> {
    return this.state.txs.find((t) => t.reference === reference)?.outcome ?? null
  }
}
