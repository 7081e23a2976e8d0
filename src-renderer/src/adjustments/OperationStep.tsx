import { useEffect, useRef, type KeyboardEvent } from 'react'
import { Alert, Kbd, Text } from '@mantine/core'
import type { AdjustmentOperation, BalanceControl } from '../../../src-shared/domain'
import { useAllowedOperation } from '../app/status'
import { CARD_NOTE, OPERATIONS as ALL_OPERATIONS, type OperationInfo, type StatusLimits } from './operations'

/**
 * The digit that chooses an operation and continues: 1-9 then 0, in the full list's order
 * (docs/counter.md), so an operation keeps its digit whichever operations the role hides.
 */
export function operationDigit(op: AdjustmentOperation): string {
  const i = ALL_OPERATIONS.findIndex((o) => o.key === op)
  return String((i + 1) % 10)
}

/**
 * Step 1, Operation type: one radio group of the ten operations, the five manual ones first, then
 * the five card ones (they go through the payment gateway). Arrow keys move between them (and wrap),
 * Home/End jump, Enter continues; an operation's digit (1-9, 0) chooses it and continues at once.
 */
export function OperationStep(props: {
  control: BalanceControl
  value: AdjustmentOperation | null
  onChange: (op: AdjustmentOperation) => void
  /** Continue with the operation chosen (a digit chooses and continues in one key, before the choice is rendered). */
  onContinue: (chosen?: AdjustmentOperation) => void
  error: string | undefined
  /**
   * What this customer can take now: the status's rules and the card operations with nothing to
   * act on (no open authorization). The others are shown, disabled, with the reason.
   */
  limits: StatusLimits
}) {
  const groupRef = useRef<HTMLDivElement>(null)
  const { unavailable, notice } = props.limits
  // Only what the operator's role may submit (a cashier: payments and card operations).
  const allowed = useAllowedOperation()
  const OPERATIONS = ALL_OPERATIONS.filter((o) => allowed(o.key))
  // Arrow keys and Home/End move only between the operations that can be chosen.
  const all = OPERATIONS.filter((o) => unavailable[o.key] === undefined)
  const focusKey = props.value ?? all[0]?.key

  // Arriving on the step puts the cursor on the chosen operation (or the first one).
  useEffect(() => {
    groupRef.current?.querySelector<HTMLElement>('[role="radio"][tabindex="0"]')?.focus()
  }, [])

  function move(from: AdjustmentOperation, delta: number | 'first' | 'last') {
    const i = all.findIndex((o) => o.key === from)
    let next: OperationInfo | undefined
    if (delta === 'first') next = all[0]
    else if (delta === 'last') next = all[all.length - 1]
    else next = all[(i + delta + all.length) % all.length]
    if (!next) return
    props.onChange(next.key)
    groupRef.current?.querySelector<HTMLElement>(`[data-op="${next.key}"]`)?.focus()
  }

  function onKeyDown(e: KeyboardEvent<HTMLButtonElement>, op: OperationInfo) {
    if (e.altKey || e.ctrlKey || e.metaKey) return
    if (/^[0-9]$/.test(e.key)) {
      e.preventDefault()
      const chosen = OPERATIONS.find((o) => operationDigit(o.key) === e.key)
      if (!chosen || unavailable[chosen.key] !== undefined) return
      props.onChange(chosen.key)
      props.onContinue(chosen.key)
      return
    }
    switch (e.key) {
      case 'ArrowDown':
      case 'ArrowRight':
        e.preventDefault()
        return move(op.key, 1)
      case 'ArrowUp':
      case 'ArrowLeft':
        e.preventDefault()
        return move(op.key, -1)
      case 'Home':
        e.preventDefault()
        return move(op.key, 'first')
      case 'End':
        e.preventDefault()
        return move(op.key, 'last')
      case 'Enter':
        e.preventDefault()
        if (props.value !== op.key) props.onChange(op.key)
        props.onContinue(op.key)
        return
      case ' ':
        e.preventDefault()
        props.onChange(op.key)
    }
  }

  const card = (op: OperationInfo) => {
    const checked = props.value === op.key
    const reason = unavailable[op.key]
    if (reason !== undefined) {
      // Shown, so the person sees it exists and why it cannot be used now, but never chosen.
      return (
        <button
          key={op.key}
          type="button"
          role="radio"
          data-op={op.key}
          aria-checked={false}
          aria-disabled="true"
          aria-label={op.label}
          aria-describedby={`adj-op-${op.key}-reason${notice ? ' adj-status-notice' : ''}`}
          tabIndex={-1}
          className="adj-op"
        >
          <span className="adj-op-dot" aria-hidden="true" />
          <span className="adj-op-body">
            <span className="adj-op-head">
              <span className="adj-op-label">{op.label}</span>
              <span className="adj-op-effect">{op.effect[props.control]}</span>
            </span>
            <span className="adj-op-text adj-op-reason" id={`adj-op-${op.key}-reason`} data-testid={`adj-op-${op.key}-reason`}>
              {reason}
            </span>
          </span>
        </button>
      )
    }
    return (
      <button
        key={op.key}
        type="button"
        role="radio"
        data-op={op.key}
        aria-checked={checked}
        aria-label={op.label}
        aria-keyshortcuts={operationDigit(op.key)}
        aria-describedby={`adj-op-${op.key}-text adj-op-${op.key}-effect${op.card ? ' adj-card-note' : ''}`}
        tabIndex={op.key === focusKey ? 0 : -1}
        // The modal's focus trap starts here, not on its close button, when the step is there at once.
        data-autofocus={op.key === focusKey ? true : undefined}
        className="adj-op"
        data-checked={checked || undefined}
        onClick={() => props.onChange(op.key)}
        onDoubleClick={() => {
          props.onChange(op.key)
          props.onContinue(op.key)
        }}
        onKeyDown={(e) => onKeyDown(e, op)}
      >
        <span className="adj-op-dot" aria-hidden="true" />
        <span className="adj-op-body">
          <span className="adj-op-head">
            <span className="adj-op-label">
              <Kbd size="xs" className="adj-op-digit" aria-hidden="true">
                {operationDigit(op.key)}
              </Kbd>
              {op.label}
            </span>
            <span className="adj-op-effect" id={`adj-op-${op.key}-effect`}>
              {op.effect[props.control]}
            </span>
          </span>
          <span className="adj-op-text" id={`adj-op-${op.key}-text`}>
            {op.explanation}
          </span>
        </span>
      </button>
    )
  }

  return (
    <div>
      {notice && (
        <Alert color={all.length === 0 ? 'red' : 'orange'} variant="light" mb="sm" id="adj-status-notice" data-testid="adj-status-notice">
          {notice}
        </Alert>
      )}
      <div
        ref={groupRef}
        role="radiogroup"
        aria-label="Operation type"
        aria-invalid={props.error ? true : undefined}
        aria-errormessage={props.error ? 'adj-op-error' : undefined}
        className="adj-ops"
      >
        {OPERATIONS.filter((o) => !o.card).map(card)}
        <div className="adj-ops-divider" id="adj-card-note">
          <span>Card operations</span>
          <Text span size="xs" c="dimmed">
            — {CARD_NOTE}
          </Text>
        </div>
        {OPERATIONS.filter((o) => o.card).map(card)}
      </div>
      {props.error && (
        <Text id="adj-op-error" c="red" size="sm" mt="xs" role="alert">
          {props.error}
        </Text>
      )}
    </div>
  )
}
