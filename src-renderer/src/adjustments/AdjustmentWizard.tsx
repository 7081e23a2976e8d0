import '@mantine/dates/styles.css'
import './adjustments.css'
import { useEffect, useRef, useState } from 'react'
import { Alert, Button, Center, Group, Loader, Modal, Stack, Stepper, Text } from '@mantine/core'
import type { InputOf } from '../../../src-shared/contract'
import type { AdjustmentImpact, AdjustmentOperation, AdjustmentResult, CustomerDetail } from '../../../src-shared/domain'
import { formatAmount } from '../../../src-shared/format'
import { asAppError } from '../api/invoke'
import { useMutation, useQuery } from '../api/query'
import { staysInWizard, useWizardStep } from '../app/nav'
import { useAppStatus } from '../app/status'
import { useLeaveGuard } from '../lib/leave-guard'
import { localDatePlus } from '../customers/status/actions'
import { BALANCE_CONTROL_LABEL } from '../lib/labels'
import { QueryError } from '../lib/QueryError'
import { StatusBadge } from '../customers/status/StatusBadge'
import { DETAIL_FIELDS, DETAILS_FORM_ID, DetailsStep, detailsComplete, type DetailField, type DetailsValues } from './DetailsStep'
import { newOperationKey } from './operation-key'
import { OperationStep } from './OperationStep'
import { isCardOperation, unavailableCardOperations } from './cardActivity'
import { PendingCard, type CardAttempt } from './PendingCard'
import { balanceLabel, operationInfo, shownBalance, statusLimits } from './operations'
import { Receipt } from './Receipt'
import { ResultStep } from './ResultStep'
import { SummaryStep } from './SummaryStep'

type FieldErrors = Partial<Record<DetailField | 'operation', string>>

const isDetailField = (f: string | undefined): f is DetailField => f !== undefined && (DETAIL_FIELDS as readonly string[]).includes(f)

/**
 * The Balance adjustment wizard for one customer: Operation type -> details -> Summary -> Finish.
 * The engine does every calculation (adjustments.preview for the Summary, adjustments.submit for
 * Finish); its field errors are shown under the field they name, on that field's step.
 * Mount it to open it; it calls onClose once it has closed.
 */
export function AdjustmentWizard(props: { customerId: number; onClose: () => void }) {
  const { status } = useAppStatus()
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
  const [operation, setOperation] = useState<AdjustmentOperation | null>(null)
  const [values, setValues] = useState<DetailsValues>(() => ({
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
  }))
  const [errors, setErrors] = useState<FieldErrors>({})
  /** An engine error that names no field of this wizard: shown on the step where it happened. */
  const [general, setGeneral] = useState<string | null>(null)
  /**
   * A card Finish whose answer the card processor never gave (time-out): the engine recorded it as
   * pending and reconciles it later. It is not retried from here: Finish is gone, Close stays.
   */
  const [pending, setPending] = useState<string | null>(null)
  /** The pending request's attempt once the processor's answer is known (approved / declined). */
  const [settledAttempt, setSettledAttempt] = useState<CardAttempt | null>(null)
  /** What the last "Check pending card payments now" found while it is still pending. */
  const [checkNote, setCheckNote] = useState<string | null>(null)
  const [focus, setFocus] = useState<{ field: DetailField | null; n: number }>({ field: null, n: 0 })
  const [impact, setImpact] = useState<AdjustmentImpact | null>(null)
  const [result, setResult] = useState<AdjustmentResult | null>(null)
  // The step lives in the address (Back/Forward move between steps), as far as the wizard has what it needs.
  const [step, setStep] = useWizardStep(result ? 3 : impact ? 2 : operation ? 1 : 0)
  const [confirmingClose, setConfirmingClose] = useState(false)
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
  const unavailable = { ...unavailableCardOperations(activityQ.data), ...(customer ? statusLimits(customer).unavailable : {}) }

  useEffect(() => {
    if (step === 2) finishRef.current?.focus()
    if (step === 3) closeRef.current?.focus()
  }, [step, general])

  // Chosen before the card activity arrived, and it turns out there is nothing to act on: unchoose it
  // (the step then shows why) rather than leave a Continue that cannot go on.
  const chosenUnavailable = step === 0 && operation !== null && unavailable[operation] !== undefined
  useEffect(() => {
    if (chosenUnavailable) setOperation(null)
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
    if (step === 1) setFocus((f) => ({ field: null, n: f.n + 1 }))
    if (step === 2) finishRef.current?.focus()
  }, [confirmingClose])

  const dirty =
    values.amount.trim() !== '' ||
    values.serviceId !== null ||
    values.date !== null ||
    values.outOfTurn ||
    values.transactionId.trim() !== '' ||
    values.cardNumber.trim() !== '' ||
    values.cardExpiry.trim() !== '' ||
    values.visibleComment.trim() !== '' ||
    values.internalComment.trim() !== ''
  useLeaveGuard(dirty && result === null && pending === null, staysInWizard)

  function close() {
    setOpened(false)
  }

  /** Escape, the close button, a click outside, Cancel: ask first if something was entered. */
  function requestClose() {
    if (step === 3 || pending) return close()
    if (submit.running || preview.running) return
    if (confirmingClose) return setConfirmingClose(false) // Escape again: back to the wizard
    if (dirty) return setConfirmingClose(true)
    close()
  }

  function change<K extends keyof DetailsValues>(key: K, value: DetailsValues[K]) {
    setValues((v) => ({ ...v, [key]: value }))
    setImpact(null) // a Summary reached again by Forward must show these values, so it is computed anew
    setErrors((e) => {
      if (!(key in e)) return e
      const next = { ...e }
      delete next[key as DetailField]
      return next
    })
    setGeneral(null)
  }

  function chooseOperation(next: AdjustmentOperation) {
    if (unavailable[next] !== undefined) return
    setOperation(next)
    setErrors({})
    setGeneral(null)
    setImpact(null)
  }

  /** A transaction chosen from the list: its ID, and the amount it allows (still editable). */
  function pickTransaction(transactionId: string, amount: string | null) {
    change('transactionId', transactionId)
    if (amount !== null) change('amount', amount)
  }

  function toDetails() {
    if (!op || unavailable[op.key] !== undefined) return
    setGeneral(null)
    setStep(1)
    setFocus((f) => ({ field: null, n: f.n + 1 }))
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
    const field = err.field
    if (field === 'operation') {
      setErrors({ operation: err.message })
      setStep(0)
    } else if (isDetailField(field)) {
      setErrors({ [field]: err.message })
      setStep(1)
      setFocus((f) => ({ field, n: f.n + 1 }))
    } else {
      setErrors({})
      setGeneral(err.message)
    }
  }

  async function toSummary() {
    if (!op || !detailsComplete(op, values) || preview.running) return
    setGeneral(null)
    setErrors({})
    try {
      const res = await preview.run(input())
      setImpact(res)
      setStep(2)
    } catch (e) {
      report(e)
    }
  }

  async function finish() {
    if (inFlight.current || !impact || pending) return
    inFlight.current = true
    sent.current = true
    setGeneral(null)
    try {
      const res = await submit.run({ ...input(), operationKey })
      setResult(res)
      setStep(3)
      customerQ.reload() // the strip at the top shows the figures as they are now
    } catch (e) {
      const err = asAppError(e)
      // The card processor did not answer: recorded as pending, settled by reconciliation.
      if (op?.card && err.code === 'IO' && err.field === undefined) {
        setErrors({})
        setPending(err.message)
      } else report(e)
    } finally {
      inFlight.current = false
      activityQ.reload() // a new authorization or payment to pick from, a capture that used one
    }
  }

  function back() {
    setGeneral(null)
    if (step === 1) setStep(0)
    if (step === 2) {
      setStep(1)
      setFocus((f) => ({ field: null, n: f.n + 1 }))
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
        setSettledAttempt(mine)
        setCheckNote(null)
      } else {
        setCheckNote(`Checked ${new Date().toTimeString().slice(0, 5)}: the card processor has still not answered. It is checked again at the next start-up.`)
      }
      customerQ.reload()
    } catch (e) {
      setCheckNote(`Could not check: ${asAppError(e).message}`)
    }
  }

  /** The print stylesheet shows the receipt alone; afterwards the cursor goes back to Close. */
  function printReceipt() {
    const refocus = () => {
      window.removeEventListener('afterprint', refocus)
      closeRef.current?.focus()
    }
    window.addEventListener('afterprint', refocus)
    window.print()
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
            <Receipt op={op} result={result} company={status.settings} customerLabel={`${customer.customerId} — ${customer.companyName || 'no company name'}`} />
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

  let footer
  if (confirmingClose) {
    footer = (
      <Group justify="space-between" className="adj-confirm" role="alertdialog" aria-label="Discard this adjustment?">
        <Text size="sm" fw={600}>
          Discard this adjustment? Nothing has been saved.
        </Text>
        <Group gap="sm">
          <Button ref={keepEditingRef} variant="default" onClick={() => setConfirmingClose(false)}>
            Keep editing
          </Button>
          <Button color="red" onClick={close}>
            Discard
          </Button>
        </Group>
      </Group>
    )
  } else if (step === 3) {
    footer = (
      <Group justify="space-between">
        <Button variant="default" onClick={printReceipt}>
          Print receipt
        </Button>
        <Button ref={closeRef} onClick={close}>
          Close
        </Button>
      </Group>
    )
  } else {
    footer = (
      <Group justify="space-between">
        <Button ref={cancelRef} variant="subtle" color="gray" onClick={requestClose} disabled={running}>
          {pending ? 'Close' : 'Cancel'}
        </Button>
        <Group gap="sm">
          <Button variant="default" onClick={back} disabled={step === 0 || running || pending !== null}>
            Back
          </Button>
          {step === 0 && (
            <Button onClick={toDetails} disabled={!op || !customer}>
              Continue
            </Button>
          )}
          {step === 1 && (
            <Button type="submit" form={DETAILS_FORM_ID} loading={preview.running} disabled={!op || !detailsComplete(op, values)}>
              Continue
            </Button>
          )}
          {step === 2 && !pending && (
            <Button ref={finishRef} onClick={() => void finish()} loading={submit.running}>
              Finish
            </Button>
          )}
        </Group>
      </Group>
    )
  }

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
      size={720}
      closeButtonProps={{ 'aria-label': 'Close the balance adjustment' }}
      classNames={{ body: 'adj-modal-body' }}
    >
      {body}
      <div className="adj-footer">{footer}</div>
    </Modal>
  )
}

/** Who this is for, and where their figures stand now. */
function CustomerStrip({ customer }: { customer: CustomerDetail }) {
  const c = customer
  const shown = shownBalance(c.balanceControl, c.balanceMinor)
  return (
    <Group justify="space-between" className="adj-customer" wrap="wrap" gap="xs">
      <Group gap="xs" wrap="nowrap">
        <StatusBadge status={c.status} testId="adj-customer-status" />
        <Text size="sm">
          <bdi>{c.companyName || 'No company name'}</bdi> · {BALANCE_CONTROL_LABEL[c.balanceControl]} · {c.currency}
        </Text>
      </Group>
      <Group gap="md">
        <Text size="sm">
          {balanceLabel(c.balanceControl)}{' '}
          <Text span fw={600} className="num" c={c.balanceControl === 'prepaid' && shown < 0 ? 'red' : undefined} data-testid="adj-customer-balance">
            {formatAmount(shown, c.currency)}
          </Text>
        </Text>
        <Text size="sm">
          Unallocated{' '}
          <Text span fw={600} className="num">
            {formatAmount(c.unallocatedPaymentsMinor, c.currency)}
          </Text>
        </Text>
      </Group>
    </Group>
  )
}
