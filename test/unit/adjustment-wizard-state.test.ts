/**
 * The wizard's steps as a reducer: fields belong to the operation that asked for them, an engine
 * error goes to the step of the field it names, and "dirty" says whether closing loses anything.
 */
import { describe, expect, it } from 'vitest'
import { INITIAL_WIZARD, isDirty, wizardReducer, type WizardAction, type WizardState } from '../../src-renderer/src/adjustments/wizard-state'

const run = (...actions: WizardAction[]): WizardState => actions.reduce(wizardReducer, INITIAL_WIZARD)

describe('adjustment wizard state', () => {
  it('starts the details afresh when another operation is chosen', () => {
    const s = run(
      { type: 'choose', operation: 'manual-credit' },
      { type: 'toDetails' },
      { type: 'change', key: 'visibleComment', value: 'Goodwill for the outage' },
      { type: 'change', key: 'amount', value: '10' },
      { type: 'back' },
      { type: 'choose', operation: 'refund' }
    )
    expect(s.operation).toBe('refund')
    expect(s.values.visibleComment).toBe('')
    expect(s.values.amount).toBe('')
    expect(isDirty(s)).toBe(false)
  })

  it('keeps the details when the same operation is chosen again', () => {
    const s = run(
      { type: 'choose', operation: 'manual-credit' },
      { type: 'change', key: 'visibleComment', value: 'Kept' },
      { type: 'choose', operation: 'manual-credit' }
    )
    expect(s.values.visibleComment).toBe('Kept')
    expect(isDirty(s)).toBe(true)
  })

  it('sends an engine error to the step of the field it names', () => {
    const base = run({ type: 'choose', operation: 'manual-charge' }, { type: 'toDetails' }, { type: 'change', key: 'amount', value: '5' })
    const onAmount = wizardReducer({ ...base, step: 2 }, { type: 'failed', field: 'amount', message: 'Too much.' })
    expect(onAmount.step).toBe(1)
    expect(onAmount.errors).toEqual({ amount: 'Too much.' })
    expect(onAmount.focus.field).toBe('amount')
    const onOperation = wizardReducer(base, { type: 'failed', field: 'operation', message: 'Not for this status.' })
    expect(onOperation.step).toBe(0)
    const general = wizardReducer({ ...base, step: 2 }, { type: 'failed', field: undefined, message: 'Disk full.' })
    expect(general.step).toBe(2)
    expect(general.general).toBe('Disk full.')
  })

  it('clears a field’s error when it is edited, and is not dirty once finished', () => {
    const s = run({ type: 'choose', operation: 'manual-charge' }, { type: 'toDetails' }, { type: 'failed', field: 'amount', message: 'Bad.' })
    expect(wizardReducer(s, { type: 'change', key: 'amount', value: '3' }).errors).toEqual({})
    const done = wizardReducer(wizardReducer(s, { type: 'change', key: 'amount', value: '3' }), { type: 'finished', result: {} as never })
    expect(done.step).toBe(3)
    expect(isDirty(done)).toBe(false)
  })
})
