import { useEffect } from 'react'
import { Alert, Button, Group, Input, Modal, SegmentedControl, Select, SimpleGrid, Stack, Switch, Text, TextInput } from '@mantine/core'
import { useForm } from '@mantine/form'
import { classInput } from '../../../src-shared/contract'
import type { CustomerClass } from '../../../src-shared/domain'
import { CURRENCIES } from '../../../src-shared/money'
import { useMutation } from '../api/query'
import { contractValidate, reportToForm, typedWhole, useDirtyReport } from '../lib/contract-form'
import { useLeaveGuard } from '../lib/leave-guard'
import { WholeNumberInput } from '../lib/WholeNumberInput'
import { notifySuccess } from '../lib/notify'
import { describeBillingPeriod, plural, WEEKDAYS } from './describe'
import { formatPercent, parsePercent } from '../../../src-shared/percent'

const ANY = ''
const CURRENCY_OPTIONS = [{ value: ANY, label: 'Any currency' }, ...CURRENCIES.map((c) => ({ value: c.code, label: `${c.code} — ${c.name}` }))]
const WEEKDAY_OPTIONS = WEEKDAYS.map((d, i) => ({ value: String(i + 1), label: d }))

/**
 * What the boxes hold, named after the contract's fields: numbers as typed (text), so that 31 or
 * -3 stay on screen with the schema's message under them instead of being clamped to 28 or 3.
 */
interface Values {
  name: string
  currency: string
  billingPeriod: 'monthly' | 'weekly'
  billingDay: string
  dueDays: string
  suspendOnOverdue: boolean
  suspensionGraceDays: string
  reactivationDays: string
  /** The tax rate in percent, as typed; sent as taxRatePpm. */
  taxRatePpm: string
  invoicePrefix: string
}

function initialValues(k: CustomerClass | null): Values {
  if (!k) {
    return {
      name: '',
      currency: ANY,
      billingPeriod: 'monthly',
      billingDay: '1',
      dueDays: '14',
      suspendOnOverdue: true,
      suspensionGraceDays: '0',
      reactivationDays: '30',
      taxRatePpm: '0',
      invoicePrefix: ''
    }
  }
  return {
    name: k.name,
    currency: k.currency ?? ANY,
    billingPeriod: k.billingPeriod,
    billingDay: String(k.billingDay),
    dueDays: String(k.dueDays),
    suspendOnOverdue: k.suspendOnOverdue,
    suspensionGraceDays: String(k.suspensionGraceDays),
    reactivationDays: String(k.reactivationDays),
    taxRatePpm: formatPercent(k.taxRatePpm),
    invoicePrefix: k.invoicePrefix
  }
}

/** The request the form sends; what cannot be converted is passed on for the schema to refuse. */
function toInput(v: Values) {
  const tax = parsePercent(v.taxRatePpm)
  return {
    name: v.name,
    currency: v.currency === ANY ? null : v.currency,
    billingPeriod: v.billingPeriod,
    billingDay: typedWhole(v.billingDay),
    dueDays: typedWhole(v.dueDays),
    suspendOnOverdue: v.suspendOnOverdue,
    suspensionGraceDays: typedWhole(v.suspensionGraceDays),
    reactivationDays: typedWhole(v.reactivationDays),
    taxRatePpm: tax.ok ? tax.ppm : v.taxRatePpm,
    invoicePrefix: v.invoicePrefix
  }
}

const validateClass = contractValidate(classInput, toInput)

/** Create or edit a customer class. Editing a class in use says how many customers it affects. */
export function ClassFormModal(props: {
  opened: boolean
  klass: CustomerClass | null
  onClose: () => void
  onSaved?: (k: CustomerClass) => void
  /** Whether the form holds unsaved changes (for a leave guard). */
  onDirtyChange?: (dirty: boolean) => void
}) {
  const k = props.klass
  const form = useForm<Values>({
    initialValues: initialValues(k),
    validate: (values) => {
      const errors = validateClass(values)
      // The percent box has its own wording for text that is not a percent.
      const tax = parsePercent(values.taxRatePpm)
      return tax.ok ? errors : { ...errors, taxRatePpm: tax.message }
    },
    onValuesChange: (next, prev) => {
      // Switching period: keep a day that exists in the new period.
      if (next.billingPeriod === 'weekly' && prev.billingPeriod !== 'weekly' && !/^[1-7]$/.test(next.billingDay.trim())) {
        form.setFieldValue('billingDay', '1')
      }
    }
  })
  const create = useMutation('classes.create')
  const update = useMutation('classes.update')
  const running = create.running || update.running
  const dirty = props.opened && form.isDirty()
  useDirtyReport(dirty, props.onDirtyChange)
  useLeaveGuard(dirty)

  useEffect(() => {
    if (!props.opened) return
    form.setInitialValues(initialValues(k))
    form.setValues(initialValues(k))
    form.clearErrors()
  }, [props.opened, k])

  async function save(values: Values) {
    const input = classInput.parse(toInput(values))
    try {
      const saved = k ? await update.run({ ...input, id: k.id }) : await create.run(input)
      notifySuccess(
        k ? 'Customer class saved' : 'Customer class created',
        k && k.customerCount > 0 ? `“${saved.name}”: the changes apply to ${plural(k.customerCount, 'customer')}.` : `“${saved.name}”.`
      )
      form.resetDirty()
      props.onSaved?.(saved)
      props.onClose()
    } catch (e) {
      reportToForm(form, e)
    }
  }

  const v = form.getValues()
  const billingDayNumber = Number(v.billingDay)
  return (
    <Modal
      opened={props.opened}
      onClose={props.onClose}
      title={<Text fw={700}>{k ? `Edit customer class “${k.name}”` : 'New customer class'}</Text>}
      size="xl"
      closeOnClickOutside={!running}
    >
      <form onSubmit={form.onSubmit((values) => void save(values))} noValidate aria-label={k ? 'Edit customer class' : 'New customer class'}>
        <Stack gap="md">
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md" verticalSpacing="sm">
            <TextInput label="Name" withAsterisk {...form.getInputProps('name')} disabled={running} data-autofocus autoComplete="off" name="name" />
            <Select
              label="Currency"
              description="Customers of this class must bill in it; “Any currency” leaves the choice open."
              data={CURRENCY_OPTIONS}
              {...form.getInputProps('currency')}
              allowDeselect={false}
              disabled={running}
              name="currency"
            />
            <Input.Wrapper label="Billing period" error={form.errors.billingPeriod}>
              <SegmentedControl
                fullWidth
                mt={4}
                data={[
                  { value: 'monthly', label: 'Monthly' },
                  { value: 'weekly', label: 'Weekly' }
                ]}
                value={v.billingPeriod}
                onChange={(x) => form.setFieldValue('billingPeriod', x === 'weekly' ? 'weekly' : 'monthly')}
                disabled={running}
                aria-label="Billing period"
              />
            </Input.Wrapper>
            {v.billingPeriod === 'monthly' ? (
              <WholeNumberInput
                {...form.getInputProps('billingDay')}
                name="billingDay"
                label="Billing day of the month"
                description="1–28, so every month has it."
                disabled={running}
              />
            ) : (
              <Select label="Billing weekday" data={WEEKDAY_OPTIONS} {...form.getInputProps('billingDay')} allowDeselect={false} disabled={running} name="billingDay" />
            )}
            <WholeNumberInput
              {...form.getInputProps('dueDays')}
              name="dueDays"
              label="Invoice due days"
              description="Due date = issue date + due days; 0 = due on receipt."
              disabled={running}
            />
            <TextInput
              label="Tax rate"
              description="Percent, up to 4 decimals (e.g. 23 or 8.25)."
              {...form.getInputProps('taxRatePpm')}
              rightSection={
                <Text size="xs" c="dimmed">
                  %
                </Text>
              }
              rightSectionWidth={36}
              inputMode="decimal"
              disabled={running}
              autoComplete="off"
              name="taxRate"
            />
            <Stack gap={6}>
              <Switch
                label="Suspend on overdue invoice"
                description="Customers with an overdue invoice become Suspended automatically."
                {...form.getInputProps('suspendOnOverdue', { type: 'checkbox' })}
                disabled={running}
                mt={4}
              />
            </Stack>
            <WholeNumberInput
              {...form.getInputProps('suspensionGraceDays')}
              name="suspensionGraceDays"
              label="Suspension grace days"
              description="Days after the due date before the suspension."
              disabled={running || !v.suspendOnOverdue}
            />
            <WholeNumberInput
              {...form.getInputProps('reactivationDays')}
              name="reactivationDays"
              label="Reactivation period (days)"
              description="How long a provisionally terminated customer can be reactivated; then Permanently terminated. Default 30."
              disabled={running}
            />
            <TextInput
              label="Invoice number prefix"
              description="Letters, digits, “/”, “-” and “_”; e.g. INV-."
              {...form.getInputProps('invoicePrefix')}
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
