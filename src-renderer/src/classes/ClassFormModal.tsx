import { useEffect, useState } from 'react'
import { Alert, Button, Group, Input, Modal, NumberInput, SegmentedControl, Select, SimpleGrid, Stack, Switch, Text, TextInput } from '@mantine/core'
import type { InputOf } from '../../../src-shared/contract'
import type { CustomerClass } from '../../../src-shared/domain'
import { CURRENCIES } from '../../../src-shared/money'
import { useMutation } from '../api/query'
import { useLeaveGuard } from '../lib/leave-guard'
import { useFieldErrors } from '../lib/field-errors'
import { notifySuccess } from '../lib/notify'
import { describeBillingPeriod, plural, WEEKDAYS } from './describe'
import { formatPercent, parsePercent } from './percent'

const FIELDS = [
  'name',
  'currency',
  'billingPeriod',
  'billingDay',
  'dueDays',
  'suspendOnOverdue',
  'suspensionGraceDays',
  'reactivationDays',
  'taxRatePpm',
  'invoicePrefix'
] as const
type Field = (typeof FIELDS)[number]

const ANY = ''
const CURRENCY_OPTIONS = [{ value: ANY, label: 'Any currency' }, ...CURRENCIES.map((c) => ({ value: c.code, label: `${c.code} — ${c.name}` }))]
const WEEKDAY_OPTIONS = WEEKDAYS.map((d, i) => ({ value: String(i + 1), label: d }))

interface Values {
  name: string
  currency: string
  billingPeriod: 'monthly' | 'weekly'
  billingDay: string
  dueDays: number | string
  suspendOnOverdue: boolean
  suspensionGraceDays: number | string
  reactivationDays: number | string
  taxRate: string
  invoicePrefix: string
}

function initialValues(k: CustomerClass | null): Values {
  if (!k) {
    return {
      name: '',
      currency: ANY,
      billingPeriod: 'monthly',
      billingDay: '1',
      dueDays: 14,
      suspendOnOverdue: true,
      suspensionGraceDays: 0,
      reactivationDays: 30,
      taxRate: '0',
      invoicePrefix: ''
    }
  }
  return {
    name: k.name,
    currency: k.currency ?? ANY,
    billingPeriod: k.billingPeriod,
    billingDay: String(k.billingDay),
    dueDays: k.dueDays,
    suspendOnOverdue: k.suspendOnOverdue,
    suspensionGraceDays: k.suspensionGraceDays,
    reactivationDays: k.reactivationDays,
    taxRate: formatPercent(k.taxRatePpm),
    invoicePrefix: k.invoicePrefix
  }
}

class LocalError extends Error {
  constructor(
    readonly field: Field,
    message: string
  ) {
    super(message)
  }
}

function whole(v: number | string, field: Field): number {
  if (typeof v === 'number' && Number.isInteger(v)) return v
  const s = String(v).trim()
  if (!/^\d{1,5}$/.test(s)) throw new LocalError(field, 'Enter a whole number.')
  return Number(s)
}

function toInput(v: Values): InputOf<'classes.create'> {
  const tax = parsePercent(v.taxRate)
  if (!tax.ok) throw new LocalError('taxRatePpm', tax.message)
  return {
    name: v.name,
    currency: v.currency === ANY ? null : v.currency,
    billingPeriod: v.billingPeriod,
    billingDay: whole(v.billingDay, 'billingDay'),
    dueDays: whole(v.dueDays, 'dueDays'),
    suspendOnOverdue: v.suspendOnOverdue,
    suspensionGraceDays: whole(v.suspensionGraceDays, 'suspensionGraceDays'),
    reactivationDays: whole(v.reactivationDays, 'reactivationDays'),
    taxRatePpm: tax.ppm,
    invoicePrefix: v.invoicePrefix
  }
}

/** Create or edit a customer class. Editing a class in use says how many customers it affects. */
export function ClassFormModal(props: { opened: boolean; klass: CustomerClass | null; onClose: () => void; onSaved?: (k: CustomerClass) => void }) {
  const k = props.klass
  const [v, setV] = useState<Values>(() => initialValues(k))
  const create = useMutation('classes.create')
  const update = useMutation('classes.update')
  const running = create.running || update.running
  const { errors, report, clear } = useFieldErrors(FIELDS)
  const [localErrors, setLocalErrors] = useState<Partial<Record<Field, string>>>({})

  useEffect(() => {
    if (!props.opened) return
    setV(initialValues(k))
    setLocalErrors({})
    clear()
  }, [props.opened, k, clear])

  const err = (f: Field) => localErrors[f] ?? errors[f]
  const dirty = props.opened && JSON.stringify(v) !== JSON.stringify(initialValues(k))
  useLeaveGuard(dirty)
  function set<K extends keyof Values>(key: K, value: Values[K]) {
    setV((prev) => {
      const next = { ...prev, [key]: value }
      // Switching period: keep a day that exists in the new period.
      if (key === 'billingPeriod' && value === 'weekly' && Number(prev.billingDay) > 7) next.billingDay = '1'
      return next
    })
    const f = (key === 'taxRate' ? 'taxRatePpm' : key) as Field
    clear(f)
    setLocalErrors((prev) => (prev[f] ? { ...prev, [f]: undefined } : prev))
  }

  async function save() {
    clear()
    setLocalErrors({})
    let input: InputOf<'classes.create'>
    try {
      input = toInput(v)
    } catch (e) {
      if (e instanceof LocalError) {
        setLocalErrors({ [e.field]: e.message })
        return
      }
      throw e
    }
    try {
      const saved = k ? await update.run({ ...input, id: k.id }) : await create.run(input)
      notifySuccess(
        k ? 'Customer class saved' : 'Customer class created',
        k && k.customerCount > 0 ? `“${saved.name}”: the changes apply to ${plural(k.customerCount, 'customer')}.` : `“${saved.name}”.`
      )
      props.onSaved?.(saved)
      props.onClose()
    } catch (e) {
      report(e)
    }
  }

  const billingDayNumber = Number(v.billingDay)
  return (
    <Modal
      opened={props.opened}
      onClose={props.onClose}
      title={<Text fw={700}>{k ? `Edit customer class “${k.name}”` : 'New customer class'}</Text>}
      size="xl"
      closeOnClickOutside={!running}
    >
      <form
        onSubmit={(e) => {
          e.preventDefault()
          void save()
        }}
        noValidate
        aria-label={k ? 'Edit customer class' : 'New customer class'}
      >
        <Stack gap="md">
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md" verticalSpacing="sm">
            <TextInput
              label="Name"
              withAsterisk
              value={v.name}
              onChange={(e) => set('name', e.currentTarget.value)}
              error={err('name')}
              disabled={running}
              data-autofocus
              autoComplete="off"
              name="name"
            />
            <Select
              label="Currency"
              description="Customers of this class must bill in it; “Any currency” leaves the choice open."
              data={CURRENCY_OPTIONS}
              value={v.currency}
              onChange={(x) => set('currency', x ?? ANY)}
              allowDeselect={false}
              error={err('currency')}
              disabled={running}
              name="currency"
            />
            <Input.Wrapper label="Billing period" error={err('billingPeriod')}>
              <SegmentedControl
                fullWidth
                mt={4}
                data={[
                  { value: 'monthly', label: 'Monthly' },
                  { value: 'weekly', label: 'Weekly' }
                ]}
                value={v.billingPeriod}
                onChange={(x) => set('billingPeriod', x === 'weekly' ? 'weekly' : 'monthly')}
                disabled={running}
                aria-label="Billing period"
              />
            </Input.Wrapper>
            {v.billingPeriod === 'monthly' ? (
              <NumberInput
                label="Billing day of the month"
                description="1–28, so every month has it."
                min={1}
                max={28}
                allowDecimal={false}
                allowNegative={false}
                value={v.billingDay === '' ? '' : Number(v.billingDay)}
                onChange={(x) => set('billingDay', String(x))}
                error={err('billingDay')}
                disabled={running}
                name="billingDay"
              />
            ) : (
              <Select
                label="Billing weekday"
                data={WEEKDAY_OPTIONS}
                value={v.billingDay}
                onChange={(x) => set('billingDay', x ?? '1')}
                allowDeselect={false}
                error={err('billingDay')}
                disabled={running}
                name="billingDay"
              />
            )}
            <NumberInput
              label="Invoice due days"
              description="Due date = issue date + due days; 0 = due on receipt."
              min={0}
              allowDecimal={false}
              allowNegative={false}
              value={v.dueDays}
              onChange={(x) => set('dueDays', x)}
              error={err('dueDays')}
              disabled={running}
              name="dueDays"
            />
            <TextInput
              label="Tax rate"
              description="Percent, up to 4 decimals (e.g. 23 or 8.25)."
              value={v.taxRate}
              onChange={(e) => set('taxRate', e.currentTarget.value)}
              rightSection={
                <Text size="xs" c="dimmed">
                  %
                </Text>
              }
              rightSectionWidth={36}
              inputMode="decimal"
              error={err('taxRatePpm')}
              disabled={running}
              autoComplete="off"
              name="taxRate"
            />
            <Stack gap={6}>
              <Switch
                label="Suspend on overdue invoice"
                description="Customers with an overdue invoice become Suspended automatically."
                checked={v.suspendOnOverdue}
                onChange={(e) => set('suspendOnOverdue', e.currentTarget.checked)}
                error={err('suspendOnOverdue')}
                disabled={running}
                mt={4}
              />
            </Stack>
            <NumberInput
              label="Suspension grace days"
              description="Days after the due date before the suspension."
              min={0}
              allowDecimal={false}
              allowNegative={false}
              value={v.suspensionGraceDays}
              onChange={(x) => set('suspensionGraceDays', x)}
              error={err('suspensionGraceDays')}
              disabled={running || !v.suspendOnOverdue}
              name="suspensionGraceDays"
            />
            <NumberInput
              label="Reactivation period (days)"
              description="How long a provisionally terminated customer can be reactivated; then Permanently terminated. Default 30."
              min={1}
              allowDecimal={false}
              allowNegative={false}
              value={v.reactivationDays}
              onChange={(x) => set('reactivationDays', x)}
              error={err('reactivationDays')}
              disabled={running}
              name="reactivationDays"
            />
            <TextInput
              label="Invoice number prefix"
              description="Letters, digits, “/”, “-” and “_”; e.g. INV-."
              value={v.invoicePrefix}
              onChange={(e) => set('invoicePrefix', e.currentTarget.value)}
              error={err('invoicePrefix')}
              disabled={running}
              autoComplete="off"
              name="invoicePrefix"
            />
          </SimpleGrid>

          <Text size="sm" c="dimmed">
            Billing: {Number.isInteger(billingDayNumber) && billingDayNumber >= 1 ? describeBillingPeriod(v.billingPeriod, billingDayNumber) : '—'}
          </Text>

          {k && k.customerCount > 0 && (
            <Alert variant="light" color="orange" data-testid="class-usage-warning">
              {plural(k.customerCount, 'customer')} {k.customerCount === 1 ? 'uses' : 'use'} this class; changes apply to all of them.
            </Alert>
          )}

          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={props.onClose} disabled={running}>
              Cancel
            </Button>
            <Button type="submit" loading={running}>
              {k ? 'Save class' : 'Create class'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  )
}
