import { useEffect, useRef, useState } from 'react'
import { Button, Checkbox, Group, Radio, Select, Stack, Text, TextInput, Textarea, UnstyledButton } from '@mantine/core'
import { DateInput } from '@mantine/dates'
import type { CardActivity, CustomerDetail, ServiceOption } from '../../../src-shared/domain'
import { formatAmount, formatDate, formatDateTime } from '../../../src-shared/format'
import { TEST_CARDS } from '../../../src-shared/testCards'
import { statusLimits, type OperationInfo } from './operations'
import { cardLabel } from './ResultStep'
import type { DetailField, DetailsValues } from './wizard-state'

export { DETAIL_FIELDS, type DetailField, type DetailsValues } from './wizard-state'

export const DETAILS_FORM_ID = 'adj-details-form'

/** Continue is offered once the step has what it needs; the engine judges the rest. */
export function detailsComplete(op: OperationInfo, v: DetailsValues): boolean {
  if (op.withAmount && v.amount.trim() === '') return false
  if (op.withService && v.serviceId === null) return false
  if (op.withTransactionId && v.transactionId.trim() === '') return false
  if (op.withCard && (v.cardNumber.trim() === '' || v.cardExpiry.trim() === '')) return false
  return true
}

/** The field the cursor starts in: the transaction ID comes first for the operations that take one. */
export function firstDetailField(op: OperationInfo): DetailField {
  return op.withTransactionId || !op.withAmount ? 'transactionId' : 'amount'
}

/** Digits in groups of four, as printed on the card ("4242 4242 4242 4242"); at most 19 digits. */
export function formatCardNumber(typed: string): string {
  const digits = typed.replace(/\D/g, '').slice(0, 19)
  return digits.replace(/(\d{4})(?=\d)/g, '$1 ')
}

/** "1230" -> "12/30": the slash is put in; at most MM/YY. */
export function formatExpiry(typed: string): string {
  const digits = typed.replace(/\D/g, '').slice(0, 4)
  return digits.length > 2 ? `${digits.slice(0, 2)}/${digits.slice(2)}` : digits
}

const TRANSACTION_ID_HELP: Partial<Record<OperationInfo['key'], string>> = {
  capture: 'Filled in by choosing above, or typed from the receipt (e.g. auth_000001; any letter case).',
  void: 'Filled in by choosing above, or typed from the receipt (e.g. auth_000001; any letter case). The whole authorization is cancelled.',
  'ecommerce-refund': 'Filled in by choosing above, or typed from the receipt (any letter case).'
}

/**
 * Step 2: the amount and the fields this operation takes. Enter in a one-line field continues
 * (it submits the form; the footer's Continue is its submit button).
 */
export function DetailsStep(props: {
  op: OperationInfo
  customer: CustomerDetail
  services: ServiceOption[] | undefined
  servicesError: string | null
  values: DetailsValues
  onChange: <K extends keyof DetailsValues>(key: K, value: DetailsValues[K]) => void
  errors: Partial<Record<DetailField, string>>
  /** Where to put the cursor (the field with an error, else Amount); a new `n` asks again. */
  focus: { field: DetailField | null; n: number }
  onSubmit: () => void
  /** The local date: no date after it can be chosen. */
  today: string
  /** The customer's open authorizations and refundable payments (Capture, Void, E-commerce refund pick from them). */
  activity?: CardActivity | undefined
  /** Choosing one fills the transaction ID and (Capture, refund) the amount. */
  onPick?: (transactionId: string, amount: string | null) => void
}) {
  const { op, customer, values, errors, onChange } = props
  const cur = customer.currency
  const formRef = useRef<HTMLFormElement>(null)
  // While the date picker is open, Escape is the picker's: the modal's window listener skips an
  // Escape whose target carries data-mantine-stop-propagation, so it does not ask "Discard?".
  const [pickerOpen, setPickerOpen] = useState(false)

  useEffect(() => {
    const id = `adj-${props.focus.field ?? firstDetailField(op)}`
    const el = formRef.current?.querySelector<HTMLElement>(`[id="${id}"]`)
    el?.focus()
    if (el instanceof HTMLInputElement && el.type === 'text') el.select()
  }, [props.focus.n])

  const refund = op.key === 'refund'
  // A refund returns an earlier payment: at most what was paid and not yet refunded (the engine's figure).
  const refundable = customer.refundableMinor
  const ceiling = statusLimits(customer).paymentCeilingMinor
  const amountDescription =
    ceiling !== null
      ? `At most ${formatAmount(ceiling, cur, { withCode: true })}: what the permanently terminated customer still owes, to settle the final invoice.`
      : refund
        ? refundable > 0
          ? `At most ${formatAmount(refundable, cur, { withCode: true })}: what was paid and not yet refunded. It comes out of unallocated payments first, then the newest invoices paid, which reopen.`
          : 'This customer has no payment left to refund (nothing paid, or all of it already refunded).'
        : op.key === 'capture'
          ? `In ${cur}. At most the authorized amount; the rest of the authorization is released.`
          : op.key === 'ecommerce-refund'
            ? `In ${cur}. At most what is left of the payment after earlier refunds.`
            : op.key === 'authorization'
              ? `In ${cur}: the amount to reserve on the card. The balance does not change.`
              : `In ${cur}, the customer's currency, e.g. 135 or 1,234.56.`

  const serviceData = (props.services ?? []).filter((s) => s.kind !== 'credits').map((s) => ({ value: String(s.id), label: s.name }))

  return (
    <form
      id={DETAILS_FORM_ID}
      ref={formRef}
      noValidate
      onSubmit={(e) => {
        e.preventDefault()
        props.onSubmit()
      }}
    >
      <Stack gap="sm">
        {op.withTransactionId && props.activity && (
          <CardPicker op={op} activity={props.activity} chosen={values.transactionId} onPick={(id, amount) => props.onPick?.(id, amount)} />
        )}
        {op.withTransactionId && (
          <TextInput
            id="adj-transactionId"
            label="Transaction ID"
            withAsterisk
            description={TRANSACTION_ID_HELP[op.key]}
            value={values.transactionId}
            onChange={(e) => onChange('transactionId', e.currentTarget.value)}
            error={errors.transactionId}
            autoComplete="off"
            spellCheck={false}
            classNames={{ input: 'adj-mono-input' }}
            name="transactionId"
          />
        )}

        {op.withAmount && (
          <TextInput
            id="adj-amount"
            label="Amount"
            withAsterisk
            description={amountDescription}
            placeholder="0.00"
            value={values.amount}
            onChange={(e) => onChange('amount', e.currentTarget.value)}
            rightSection={
              <Text size="xs" c="dimmed" fw={600}>
                {cur}
              </Text>
            }
            rightSectionWidth={48}
            inputMode="decimal"
            autoComplete="off"
            error={errors.amount}
            classNames={{ input: 'adj-amount-input' }}
            inputContainer={(input) => (
              <Group gap="sm" wrap="nowrap" align="flex-start">
                <div style={{ flex: '0 1 320px' }}>{input}</div>
                {refund && refundable > 0 && (
                  <Button
                    variant="default"
                    onClick={() => onChange('amount', formatAmount(refundable, cur))}
                    aria-label={`Refund all that can be refunded (${formatAmount(refundable, cur, { withCode: true })})`}
                  >
                    Refund all
                  </Button>
                )}
              </Group>
            )}
            name="amount"
          />
        )}

        {op.withService && (
          <>
            <Select
              id="adj-serviceId"
              label="Service"
              withAsterisk
              description="The amount goes into this service's section on the next invoice."
              placeholder={props.services === undefined && !props.servicesError ? 'Loading services…' : 'Choose a service'}
              data={serviceData}
              value={values.serviceId}
              onChange={(v) => onChange('serviceId', v)}
              searchable
              nothingFoundMessage="No service matches"
              error={errors.serviceId ?? props.servicesError ?? undefined}
              comboboxProps={{ withinPortal: true }}
              name="serviceId"
            />
            <Group align="flex-start" gap="md" grow>
              <DateInput
                id="adj-date"
                label="Date"
                description="Empty means today. A date in a closed billing period goes on the next invoice."
                valueFormat="YYYY-MM-DD"
                placeholder="Today"
                clearable
                maxDate={props.today}
                value={values.date}
                onChange={(v) => onChange('date', v)}
                error={errors.date}
                popoverProps={{ withinPortal: true, onOpen: () => setPickerOpen(true), onClose: () => setPickerOpen(false) }}
                data-mantine-stop-propagation={pickerOpen ? 'true' : undefined}
                name="date"
              />
              <Checkbox
                id="adj-outOfTurn"
                mt={28}
                label="Include into out-of-turn invoice"
                description="For an invoice issued on demand at the counter; it then stays off the regular invoice."
                checked={values.outOfTurn}
                onChange={(e) => onChange('outOfTurn', e.currentTarget.checked)}
                error={errors.outOfTurn}
                name="outOfTurn"
              />
            </Group>
          </>
        )}

        {op.withCard && (
          <>
            <Group align="flex-start" gap="md" wrap="wrap">
              <TextInput
                id="adj-cardNumber"
                label="Card number"
                withAsterisk
                description="Only the brand and last four digits are kept."
                placeholder="1234 5678 9012 3456"
                value={values.cardNumber}
                onChange={(e) => onChange('cardNumber', formatCardNumber(e.currentTarget.value))}
                error={errors.cardNumber}
                autoComplete="cc-number"
                inputMode="numeric"
                spellCheck={false}
                maxLength={23}
                style={{ flex: '0 1 320px' }}
                classNames={{ input: 'adj-mono-input' }}
                name="cardNumber"
              />
              <TextInput
                id="adj-cardExpiry"
                label="Expiry (MM/YY)"
                withAsterisk
                description="As on the card."
                placeholder="MM/YY"
                value={values.cardExpiry}
                onChange={(e) => onChange('cardExpiry', formatExpiry(e.currentTarget.value))}
                error={errors.cardExpiry}
                autoComplete="cc-exp"
                inputMode="numeric"
                spellCheck={false}
                maxLength={5}
                style={{ flex: '0 0 140px' }}
                classNames={{ input: 'adj-mono-input' }}
                name="cardExpiry"
              />
            </Group>
            <TestCardsHint onPick={(n) => onChange('cardNumber', formatCardNumber(n))} />
          </>
        )}

        <TextInput
          id="adj-visibleComment"
          label="Visible comment"
          description="Shown to the customer on the invoice and in the transaction browser."
          value={values.visibleComment}
          onChange={(e) => onChange('visibleComment', e.currentTarget.value)}
          error={errors.visibleComment}
          maxLength={500}
          autoComplete="off"
          name="visibleComment"
        />
        <Textarea
          id="adj-internalComment"
          label="Internal comment"
          description="For staff only; never shown to the customer."
          autosize
          minRows={2}
          maxRows={5}
          value={values.internalComment}
          onChange={(e) => onChange('internalComment', e.currentTarget.value)}
          onKeyDown={(e) => {
            // Enter makes a new line here; Ctrl+Enter continues like Enter does elsewhere.
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
              e.preventDefault()
              formRef.current?.requestSubmit()
            }
          }}
          error={errors.internalComment}
          maxLength={2000}
          name="internalComment"
        />
      </Stack>
    </form>
  )
}

/**
 * The built-in test gateway's card numbers (the app ships only that gateway), folded away under a
 * small "Test cards" toggle. Choosing one fills in the card number.
 */
function TestCardsHint({ onPick }: { onPick: (number: string) => void }) {
  return (
    <details className="adj-test-cards" data-testid="adj-test-cards">
      <summary>Test cards</summary>
      <Text size="xs" c="dimmed" mt={4}>
        The built-in test gateway answers by card number; any future expiry works, a past one is declined. Choose one to fill it in.
      </Text>
      <ul>
        {Object.entries(TEST_CARDS).map(([number, meaning]) => (
          <li key={number}>
            <UnstyledButton type="button" className="adj-test-card" onClick={() => onPick(number)} aria-label={`Use test card ${formatCardNumber(number)}: ${meaning}`}>
              {formatCardNumber(number)}
            </UnstyledButton>{' '}
            <Text span size="xs">
              {meaning}
            </Text>
          </li>
        ))}
      </ul>
    </details>
  )
}

/**
 * Capture and Void: the customer's open authorizations; E-commerce refund: the card payments with
 * something left to refund. One radio group; choosing a row fills in the transaction ID and the
 * amount (the authorized amount, or what is left to refund), which can still be changed.
 */
function CardPicker(props: { op: OperationInfo; activity: CardActivity; chosen: string; onPick: (transactionId: string, amount: string | null) => void }) {
  const { op, activity } = props
  const cur = activity.currency
  const refund = op.key === 'ecommerce-refund'
  const rows = refund
    ? activity.refundablePayments.map((p) => ({
        id: p.transactionId,
        card: p.card,
        text: `${p.kind === 'capture' ? 'captured' : 'paid'} ${formatDate(p.at)} · charged ${formatAmount(p.chargedMinor, cur)}`,
        amountMinor: p.refundableMinor,
        amountLabel: 'left to refund'
      }))
    : activity.openAuthorizations.map((a) => ({
        id: a.transactionId,
        card: a.card,
        text: `authorized ${formatDate(a.at)} · expires ${formatDateTime(a.expiresAt)}`,
        amountMinor: a.amountMinor,
        amountLabel: 'authorized'
      }))
  const chosen = rows.find((r) => r.id.toLowerCase() === props.chosen.trim().toLowerCase())?.id ?? null
  const label = refund ? 'Card payments that can be refunded' : 'Open authorizations'
  return (
    <Radio.Group
      label={label}
      description={
        rows.length === 0
          ? refund
            ? 'None: this customer has no card payment with anything left to refund.'
            : 'None: this customer has no authorization that is still open.'
          : 'Choose one to fill in its transaction ID' + (op.withAmount ? ' and amount.' : '.')
      }
      value={chosen}
      onChange={(id) => {
        const row = rows.find((r) => r.id === id)
        if (row) props.onPick(row.id, op.withAmount ? formatAmount(row.amountMinor, cur) : null)
      }}
      data-testid="adj-card-picker"
    >
      <div className="adj-pick" role="presentation">
        {rows.map((r) => (
          <Radio.Card
            key={r.id}
            value={r.id}
            className="adj-pick-row"
            radius="md"
            aria-label={`${r.id}, ${r.card ? cardLabel(r.card) : 'card unknown'}, ${formatAmount(r.amountMinor, cur, { withCode: true })} ${r.amountLabel}`}
          >
            <Radio.Indicator size="xs" />
            <div>
              <Text size="sm" ff="monospace" fw={600} span>
                {r.id}
              </Text>
              <Text size="sm" span>
                {' '}
                · {r.card ? cardLabel(r.card) : 'card unknown'}
              </Text>
              <Text size="xs" c="dimmed">
                {r.text}
              </Text>
            </div>
            <Text size="sm" className="adj-pick-amount">
              {formatAmount(r.amountMinor, cur, { withCode: true })}{' '}
              <Text span size="xs" c="dimmed" fw={400}>
                {r.amountLabel}
              </Text>
            </Text>
          </Radio.Card>
        ))}
      </div>
    </Radio.Group>
  )
}
