import type { AdjustmentImpact, AdjustmentOperation, AdjustmentResult } from '../../../src-shared/domain'
import type { CardAttempt } from './PendingCard'

export interface DetailsValues {
  /** As typed: the engine parses it exactly in the customer's currency. */
  amount: string
  serviceId: string | null
  date: string | null
  outOfTurn: boolean
  transactionId: string
  /** As typed (digits, spaces); sent to the gateway with the expiry, never stored. */
  cardNumber: string
  /** MM/YY */
  cardExpiry: string
  visibleComment: string
  internalComment: string
}

export const DETAIL_FIELDS = ['amount', 'serviceId', 'date', 'outOfTurn', 'transactionId', 'cardNumber', 'cardExpiry', 'visibleComment', 'internalComment'] as const
export type DetailField = (typeof DETAIL_FIELDS)[number]

/**
 * The Balance adjustment wizard's state and every way it moves, as one reducer: the steps
 * (Operation type -> details -> Summary -> Finish), what was entered, and what the engine answered.
 * Pure, so the rules (a field belongs to the operation that asked for it; an engine error goes to the
 * step of the field it names) are tested without a screen (test/unit/adjustment-wizard-state.test.ts).
 */
export type Step = 0 | 1 | 2 | 3
export type FieldErrors = Partial<Record<DetailField | 'operation', string>>

export interface WizardState {
  step: Step
  operation: AdjustmentOperation | null
  values: DetailsValues
  errors: FieldErrors
  /** An engine error that names no field of this wizard: shown on the step where it happened. */
  general: string | null
  /** The engine's Summary (adjustments.preview) for the values as they were sent. */
  impact: AdjustmentImpact | null
  result: AdjustmentResult | null
  /**
   * A card Finish whose answer the card processor never gave (time-out): the engine recorded it as
   * pending and reconciles it later. It is not retried from here: Finish is gone, Close stays.
   */
  pending: string | null
  /** The pending request's attempt once the processor's answer is known (approved / declined). */
  settledAttempt: CardAttempt | null
  /** What the last "Check pending card payments now" found while it is still pending. */
  checkNote: string | null
  confirmingClose: boolean
  /** Where the details step puts the cursor; a new `n` asks again. */
  focus: { field: DetailField | null; n: number }
}

export const EMPTY_DETAILS: DetailsValues = {
  amount: '',
  serviceId: null,
  // Empty means today (the engine's today); a day chosen here must not be in the future.
  date: null,
  outOfTurn: false,
  transactionId: '',
  cardNumber: '',
  cardExpiry: '',
  visibleComment: '',
  internalComment: ''
}

export const INITIAL_WIZARD: WizardState = {
  step: 0,
  operation: null,
  values: EMPTY_DETAILS,
  errors: {},
  general: null,
  impact: null,
  result: null,
  pending: null,
  settledAttempt: null,
  checkNote: null,
  confirmingClose: false,
  focus: { field: null, n: 0 }
}

export type WizardAction =
  | { type: 'choose'; operation: AdjustmentOperation }
  /** The chosen operation turned out unavailable (the card activity arrived later). */
  | { type: 'unchoose' }
  | { type: 'change'; key: keyof DetailsValues; value: DetailsValues[keyof DetailsValues] }
  | { type: 'toDetails' }
  | { type: 'back' }
  | { type: 'previewing' }
  | { type: 'previewed'; impact: AdjustmentImpact }
  | { type: 'finished'; result: AdjustmentResult }
  | { type: 'pending'; message: string }
  | { type: 'settled'; attempt: CardAttempt }
  | { type: 'checkNote'; note: string }
  /** An engine error: under the field it names (on that field's step), else on this step. */
  | { type: 'failed'; field: string | undefined; message: string }
  | { type: 'clearGeneral' }
  | { type: 'askToClose' }
  | { type: 'keepEditing' }
  | { type: 'refocus' }
  /** A step taken in the address (browser Back/Forward), within what the wizard has reached. */
  | { type: 'goto'; step: Step }

const isDetailField = (f: string | undefined): f is DetailField => f !== undefined && (DETAIL_FIELDS as readonly string[]).includes(f)

const refocus = (s: WizardState, field: DetailField | null = null) => ({ field, n: s.focus.n + 1 })

export function wizardReducer(s: WizardState, a: WizardAction): WizardState {
  switch (a.type) {
    case 'choose':
      if (a.operation === s.operation) return s
      // Fields belong to the operation that asked for them: a comment typed for a Manual credit
      // must not reappear on a Refund's Summary (and its receipt). Another operation starts afresh.
      return { ...s, operation: a.operation, values: EMPTY_DETAILS, errors: {}, general: null, impact: null }
    case 'unchoose':
      return { ...s, operation: null, values: EMPTY_DETAILS, impact: null }
    case 'change': {
      const errors = { ...s.errors }
      delete errors[a.key]
      // A Summary reached again by Forward must show the changed values: it is worked out anew.
      return { ...s, values: { ...s.values, [a.key]: a.value }, errors, general: null, impact: null }
    }
    case 'toDetails':
      return s.operation === null ? s : { ...s, step: 1, general: null, focus: refocus(s) }
    case 'back':
      if (s.step === 1) return { ...s, step: 0, general: null }
      if (s.step === 2) return { ...s, step: 1, general: null, focus: refocus(s) }
      return s
    case 'previewing':
      return { ...s, general: null, errors: {} }
    case 'previewed':
      return { ...s, impact: a.impact, step: 2 }
    case 'finished':
      return { ...s, result: a.result, step: 3, general: null }
    case 'pending':
      return { ...s, errors: {}, pending: a.message }
    case 'settled':
      return { ...s, settledAttempt: a.attempt, checkNote: null }
    case 'checkNote':
      return { ...s, checkNote: a.note }
    case 'failed':
      if (a.field === 'operation') return { ...s, errors: { operation: a.message }, step: 0 }
      if (isDetailField(a.field)) return { ...s, errors: { [a.field]: a.message }, step: 1, focus: refocus(s, a.field) }
      return { ...s, errors: {}, general: a.message }
    case 'clearGeneral':
      return s.general === null ? s : { ...s, general: null }
    case 'askToClose':
      return { ...s, confirmingClose: true }
    case 'keepEditing':
      return { ...s, confirmingClose: false }
    case 'refocus':
      return { ...s, focus: refocus(s) }
    case 'goto':
      if (a.step === s.step) return s
      return { ...s, step: a.step, general: null, focus: a.step === 1 ? refocus(s) : s.focus }
  }
}

/** Something was entered that closing would throw away (the leave guard and "Discard?" ask). */
export function isDirty(s: WizardState): boolean {
  if (s.step === 3 || s.result !== null) return false
  const v = s.values
  return (
    v.amount.trim() !== '' ||
    v.serviceId !== null ||
    v.date !== null ||
    v.outOfTurn ||
    v.transactionId.trim() !== '' ||
    v.cardNumber.trim() !== '' ||
    v.cardExpiry.trim() !== '' ||
    v.visibleComment.trim() !== '' ||
    v.internalComment.trim() !== ''
  )
}
