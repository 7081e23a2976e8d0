import '@mantine/dates/styles.css'
import './adjustments.css'
import { useEffect, useReducer, useRef, useState } from 'react'
import { Alert, Center, Loader, Modal, Stack, Stepper, Text } from '@mantine/core'
import { z } from 'zod'
import { adjustmentFields, type InputOf } from '../../../src-shared/contract'
import type { AdjustmentOperation } from '../../../src-shared/domain'
import { localDatePlus } from '../../../src-shared/format'
import { asAppError } from '../api/invoke'
import { useMutation, useQuery } from '../api/query'
import { staysInWizard, useWizardStep } from '../app/nav'
import { useLeaveGuard } from '../lib/leave-guard'
import { QueryError } from '../lib/QueryError'
import { contractValidate, useDirtyReport } from '../lib/contract-form'
import { CustomerStrip } from './CustomerStrip'
import { DetailsStep, detailsComplete, type DetailsValues } from './DetailsStep'
import { newOperationKey } from './operation-key'
import { OperationStep } from './OperationStep'
import { isCardOperation, unavailableCardOperations } from './cardActivity'
import { PendingCard } from './PendingCard'
import { operationInfo, statusLimits } from './operations'
import { ReceiptButtons } from './ReceiptButtons'
import { ResultStep } from './ResultStep'
import { OutOfTurnNext } from '../outofturn/OutOfTurnNext'
import { SummaryStep } from './SummaryStep'
import { NoShiftNotice } from '../shifts/NoShiftNotice'
import { useCan } from '../app/status'
import { WizardFooter } from './WizardFooter'
import { INITIAL_WIZARD, isDirty, wizardReducer } from './wizard-state'

/** What a cashier without an open shift cannot choose, and why. */
const NO_SHIFT_UNAVAILABLE: Partial<Record<AdjustmentOperation, string>> = {
  'manual-payment': 'Needs an open shift: cash is counted against a shift.',
  refund: 'Needs an open shift: cash paid out is counted against a shift.'
}

/** The details as adjustments.preview will judge them (lengths, the date's form). */
const validateDetails = contractValidate(z.object(adjustmentFields).strict(), (input: InputOf<'adjustments.preview'>) => input)

/**
 * The Balance adjustment wizard for one customer: Operation type -> details -> Summary -> Finish.
 * The engine does every calculation (adjustments.preview for the Summary, adjustments.submit for
 * Finish); its field errors are shown under the field they name, on that field's step.
 * Mount it to open it; it calls onClose once it has closed.
 */
export function AdjustmentWizard(props: {
  customerId: number
  onClose: () => void
  /** Whether something was entered that closing would throw away (for a leave guard). */
  onDirtyChange?: (dirty: boolean) => void
}) {
  const customerQ = useQuery('customers.get', { id: props.customerId })
  const servicesQ = useQuery('services.list', {})
  const preview = useMutation('adjustments.preview')
  const submit = useMutation('adjustments.submit')
  const reconcile = useMutation('payments.reconcile')
  // Open authorizations / refundable payments to pick from, and which card operations can be used.
  const activityQ = useQuery('payments.cardActivity', { customerId: props.customerId })
  const readActivity = useMutation('payments.cardActivity')

  // One key per opening of the wizard: every Finish (double click, retry) sends this same key.
  const [operationKey] = useState(newOperationKey)
  const [today] = useState(() => localDatePlus(0))
  const [opened, setOpened] = useState(true)
  // Where the cursor was (the list row's button, the customer page's): it goes back there.
  const [returnTo] = useState(() => (document.activeElement instanceof HTMLElement ? document.activeElement : null))
  const [state, dispatch] = useReducer(wizardReducer, INITIAL_WIZARD)
  const { operation, values, errors, general, pending, settledAttempt, checkNote, focus, impact, result, confirmingClose } = state
  // The step lives in the address too, so Back/Forward (and Alt+Left, the mouse's back button) move
  // between steps. The reducer moves the step (Continue, Back, an error on an earlier step) and the
  // address follows; a step taken in the address (browser Back/Forward) moves the reducer.
  const [urlStep, setUrlStep] = useWizardStep(result ? 3 : impact ? 2 : operation ? 1 : 0)
  const step = state.step
  const reducerStep = useRef(state.step)
  useEffect(() => {
    if (state.step !== reducerStep.current) {
      reducerStep.current = state.step
      if (state.step !== urlStep) setUrlStep(state.step)
    } else if (urlStep !== state.step) {
      reducerStep.current = urlStep
      dispatch({ type: 'goto', step: urlStep })
    }
  }, [state.step, urlStep, setUrlStep])
  /** A Finish went out: the customer's figures may have changed, so closing refreshes them. */
  const sent = useRef(false)
  const inFlight = useRef(false)
  const finishRef = useRef<HTMLButtonElement>(null)
  const closeRef = useRef<HTMLButtonElement>(null)
  const keepEditingRef = useRef<HTMLButtonElement>(null)
  const cancelRef = useRef<HTMLButtonElement>(null)

  const customer = customerQ.data
  const op = operation ? operationInfo(operation) : null
  // What cannot be chosen now: the status's rules first (their reason wins), then card
  // operations with nothing to act on.
  // A cashier without an open shift takes no cash (the engine refuses it too; docs/payments.md).
  const canHaveShift = useCan()('shifts.current')
  const shiftQ = useQuery('shifts.current', {}, { enabled: canHaveShift })
  const noShift = shiftQ.data?.cashNeedsShift === true && shiftQ.data.shift === null
  const unavailable = {
    ...unavailableCardOperations(activityQ.data),
    ...(noShift ? NO_SHIFT_UNAVAILABLE : {}),
    ...(customer ? statusLimits(customer).unavailable : {})
  }

  useEffect(() => {
    if (step === 2) finishRef.current?.focus()
    if (step === 3) closeRef.current?.focus()
  }, [step, general])

  // Chosen before the card activity arrived, and it turns out there is nothing to act on: unchoose it
  // (the step then shows why) rather than leave a Continue that cannot go on.
  const chosenUnavailable = step === 0 && operation !== null && unavailable[operation] !== undefined
  useEffect(() => {
    if (chosenUnavailable) dispatch({ type: 'unchoose' })
  }, [chosenUnavailable])

  // A pending card payment leaves one thing to do: close (the button that says so has the cursor).
  useEffect(() => {
    if (pending) cancelRef.current?.focus()
  }, [pending])

  // The close question takes the cursor; "Keep editing" gives it back to the step.
  const askedToClose = useRef(false)
  useEffect(() => {
    if (confirmingClose) {
      askedToClose.current = true
      keepEditingRef.current?.focus()
      return
    }
    if (!askedToClose.current) return
    askedToClose.current = false
    if (step === 0) document.querySelector<HTMLElement>('.adj-ops [role="radio"][tabindex="0"]')?.focus()
    if (step === 1) dispatch({ type: 'refocus' })
    if (step === 2) finishRef.current?.focus()
  }, [confirmingClose])

  const dirty = isDirty(state) && !pending
  useDirtyReport(dirty, props.onDirtyChange)
  useLeaveGuard(dirty, staysInWizard)

  function close() {
    setOpened(false)
  }

  /** Escape, the close button, a click outside, Cancel: ask first if something was entered. */
  function requestClose() {
    if (step === 3 || pending) return close()
    if (submit.running || preview.running) return
    if (confirmingClose) return dispatch({ type: 'keepEditing' }) // Escape again: back to the wizard
    if (dirty) return dispatch({ type: 'askToClose' })
    close()
  }

  function change<K extends keyof DetailsValues>(key: K, value: DetailsValues[K]) {
    dispatch({ type: 'change', key, value })
  }

  function chooseOperation(next: AdjustmentOperation) {
    if (unavailable[next] !== undefined) return
    dispatch({ type: 'choose', operation: next })
  }

  /** A transaction chosen from the list: its ID, and the amount it allows (still editable). */
  function pickTransaction(transactionId: string, amount: string | null) {
    change('transactionId', transactionId)
    if (amount !== null) change('amount', amount)
  }

  /** `chosen`: an operation chosen in the same key press (its choice is not rendered yet). */
  function toDetails(chosen?: AdjustmentOperation) {
    const key = chosen ?? op?.key
    if (!key || unavailable[key] !== undefined) return
    dispatch({ type: 'toDetails' })
  }

  function input(): InputOf<'adjustments.preview'> {
    if (!op || !customer) throw new Error('The wizard has no operation or customer yet')
    return {
      customerId: customer.id,
      operation: op.key,
      // A void takes no amount: the engine cancels the whole authorization.
      amount: op.withAmount ? values.amount.trim() : '',
      serviceId: op.withService && values.serviceId !== null ? Number(values.serviceId) : null,
      date: op.withService ? values.date : null,
      outOfTurn: op.withService ? values.outOfTurn : false,
      transactionId: op.withTransactionId ? values.transactionId.trim() : '',
      cardNumber: op.withCard ? values.cardNumber.trim() : '',
      cardExpiry: op.withCard ? values.cardExpiry.trim() : '',
      visibleComment: values.visibleComment,
      internalComment: values.internalComment
    }
  }

  /** An engine error goes to the step and field it names; without a (known) field it stays here. */
  function report(e: unknown) {
    const err = asAppError(e)
    dispatch({ type: 'failed', field: err.field, message: err.message })
  }

  async function toSummary() {
    if (!op || !detailsComplete(op, values) || preview.running) return
    // The contract's schema first: the same message under the same field as the main process.
    const refused = Object.entries(validateDetails(input()))[0]
    if (refused) return dispatch({ type: 'failed', field: refused[0], message: String(refused[1]) })
    dispatch({ type: 'previewing' })
    try {
      dispatch({ type: 'previewed', impact: await preview.run(input()) })
    } catch (e) {
      report(e)
    }
  }

  async function finish() {
    if (inFlight.current || !impact || pending) return
    inFlight.current = true
    sent.current = true
    dispatch({ type: 'clearGeneral' })
    try {
      dispatch({ type: 'finished', result: await submit.run({ ...input(), operationKey }) })
      customerQ.reload() // the strip at the top shows the figures as they are now
    } catch (e) {
      const err = asAppError(e)
      // The card processor did not answer: recorded as pending, settled by reconciliation.
      if (op?.card && err.code === 'IO' && err.field === undefined) dispatch({ type: 'pending', message: err.message })
      else report(e)
    } finally {
      inFlight.current = false
      activityQ.reload() // a new authorization or payment to pick from, a capture that used one
    }
  }

  /**
   * Ask the card processor about pending card requests now (the person's choice; never automatic),
   * then read what became of this wizard's own request: the pending message turns into its outcome.
   */
  async function checkPending() {
    if (reconcile.running || readActivity.running) return
    try {
      await reconcile.run({})
      const activity = await readActivity.run({ customerId: props.customerId })
      activityQ.setData(activity)
      // This wizard's newest attempt (one operation key per wizard).
      const mine = activity.attempts.find((a) => a.operationKey === operationKey)
      if (mine && (mine.outcome === 'approved' || mine.outcome === 'declined' || mine.outcome === 'error')) {
        dispatch({ type: 'settled', attempt: mine })
      } else {
        dispatch({
          type: 'checkNote',
          note: `Checked ${new Date().toTimeString().slice(0, 5)}: the card processor has still not answered. It is checked again at the next start-up.`
        })
      }
      customerQ.reload()
    } catch (e) {
      dispatch({ type: 'checkNote', note: `Could not check: ${asAppError(e).message}` })
    }
  }

  const running = preview.running || submit.running
  const title = customer ? (
    <Text fw={700}>
      Balance adjustment —{' '}
      <Text span ff="monospace" fw={700}>
        {customer.customerId}
      </Text>
    </Text>
  ) : (
    <Text fw={700}>Balance adjustment</Text>
  )

  let body
  if (!customer) {
    body = customerQ.error ? (
      <QueryError error={customerQ.error} what="this customer" onRetry={customerQ.reload} />
    ) : (
      <Center mih={200}>
        <Loader aria-label="Loading the customer" />
      </Center>
    )
  } else {
    body = (
      <Stack gap="md">
        <CustomerStrip customer={customer} />
        <Stepper active={step} size="xs" className="adj-stepper" aria-hidden="true">
          <Stepper.Step label="Operation type" description={op?.label} />
          <Stepper.Step label={op?.detailsTitle ?? 'Details'} />
          <Stepper.Step label="Summary" />
          <Stepper.Step label="Finish" />
        </Stepper>
        <Text className="adj-visually-hidden" aria-live="polite">
          {`Step ${step + 1} of 4: ${['Operation type', op?.detailsTitle ?? 'Details', 'Summary', 'Finish'][step]}`}
        </Text>

        {step === 0 && noShift && <NoShiftNotice />}
        {step === 0 && (
          <OperationStep
            control={customer.balanceControl}
            value={operation}
            onChange={chooseOperation}
            onContinue={toDetails}
            error={errors.operation}
            limits={{ ...statusLimits(customer), unavailable }}
          />
        )}
        {step === 1 && op && (
          <DetailsStep
            op={op}
            customer={customer}
            services={servicesQ.data}
            servicesError={servicesQ.error ? `Could not load the services: ${servicesQ.error.message}` : null}
            values={values}
            onChange={change}
            errors={errors}
            focus={focus}
            onSubmit={() => void toSummary()}
            today={today}
            activity={activityQ.data}
            onPick={pickTransaction}
          />
        )}
        {pending && op && isCardOperation(op.key) && (
          <PendingCard
            operation={op.key}
            amountMinor={impact?.amountMinor ?? 0}
            currency={customer.currency}
            message={pending}
            settled={settledAttempt}
            checkNote={checkNote}
            checking={reconcile.running || readActivity.running}
            onCheck={() => void checkPending()}
          />
        )}
        {step === 2 && op && impact && <SummaryStep op={op} impact={impact} values={values} today={today} sent={pending !== null} />}
        {step === 3 && op && result && (
          <>
            <ResultStep op={op} result={result} />
            {op.withService && values.outOfTurn && result.xdrId !== null && <OutOfTurnNext customerId={customer.id} />}
          </>
        )}

        {general && (
          <Alert color="red" variant="light" title={step === 2 ? 'Finish did not complete' : 'The engine refused this'} role="alert" data-testid="adj-error">
            {general}
            {step === 2 && ' Press Finish to try again: this adjustment is never recorded twice.'}
          </Alert>
        )}
      </Stack>
    )
  }

  const footer = (
    <WizardFooter
      step={step}
      confirmingClose={confirmingClose}
      pending={pending !== null}
      running={running}
      previewing={preview.running}
      submitting={submit.running}
      canContinue={op !== null && customer !== undefined && (step !== 1 || detailsComplete(op, values))}
      onKeepEditing={() => dispatch({ type: 'keepEditing' })}
      onDiscard={close}
      receipt={<ReceiptButtons operationKey={operationKey} onPrinted={() => closeRef.current?.focus()} />}
      onClose={close}
      onCancel={requestClose}
      onBack={() => dispatch({ type: 'back' })}
      onContinue={() => toDetails()}
      onFinish={() => void finish()}
      refs={{ keepEditing: keepEditingRef, close: closeRef, cancel: cancelRef, finish: finishRef }}
    />
  )

  return (
    <Modal
      opened={opened}
      onClose={requestClose}
      onExitTransitionEnd={() => {
        if (returnTo?.isConnected) returnTo.focus()
        props.onClose()
      }}
      returnFocus={false}
      title={title}
      size={960}
      // Near the window's edges: at 768 px high every operation of step 1 then fits unscrolled.
      yOffset={12}
      closeButtonProps={{ 'aria-label': 'Close the balance adjustment' }}
      classNames={{ body: 'adj-modal-body' }}
    >
      {body}
      <div className="adj-footer">{footer}</div>
    </Modal>
  )
}
