import { AuditTab } from '../../audit/AuditTab'
import { useCan } from '../../app/status'
import { useCallback, useEffect, useState, type FormEvent } from 'react'
import { Alert, Button, Group, Modal, Paper, Stack, Tabs, Text, Textarea } from '@mantine/core'
import { useForm } from '@mantine/form'
import type { CustomerClass, CustomerDetail, CustomFieldDefinition } from '../../../../src-shared/domain'
import { asAppError } from '../../api/invoke'
import { useMutation } from '../../api/query'
import { customerPath, useCustomerNav, useCustomerTab } from '../../app/nav'
import { useDirtyReport } from '../../lib/contract-form'
import { useLeaveGuard } from '../../lib/leave-guard'
import { notifyError, notifySuccess } from '../../lib/notify'
import {
  ADDRESS_FIELDS,
  customFieldErrorKey,
  emptyValues,
  openingOverLimit,
  tabOfField,
  toCreateInput,
  toUpdateInput,
  validateCustomer,
  valuesFromDetail,
  type CustomerFormValues,
  type TabId
} from './form-model'
import { TopSection } from './TopSection'
import { AccountsTab } from './tabs/AccountsTab'
import { AddressTab } from './tabs/AddressTab'
import { BalanceTab } from './tabs/BalanceTab'
import { CustomFieldsTab } from './tabs/CustomFieldsTab'
import { InvoicesTab } from './tabs/InvoicesTab'
import { LifeCycleTab } from './tabs/LifeCycleTab'
import { PriceListsTab } from './tabs/PriceListsTab'
import { UsageTab } from './tabs/UsageTab'

/** What every part of the form gets: the values, a setter and the engine's errors by field. */
export interface FormBinding {
  values: CustomerFormValues
  set: <K extends keyof CustomerFormValues>(field: K, value: CustomerFormValues[K]) => void
  setCustomField: (fieldId: number, value: string) => void
  /** Keyed by the engine's field names (taxRatePpmOverride, customFields.<id>, …). */
  errors: Record<string, string | undefined>
  disabled: boolean
  /** The DOM id of a field's input, so an error can be scrolled into view. */
  fieldId: (field: string) => string
}

const TOP_FIELDS = ['customerId', 'blocked', 'balanceControl', 'currency', 'classId', 'creditLimit', 'openingBalance'] as const
const FORM_FIELDS: readonly string[] = [...TOP_FIELDS, ...ADDRESS_FIELDS, 'dueDaysOverride', 'taxRatePpmOverride', 'notes']
/** The form value behind an engine field name, where the two differ. */
const ERROR_KEY_OF: Partial<Record<keyof CustomerFormValues, string>> = { taxRateOverride: 'taxRatePpmOverride' }

const fieldId = (field: string) => `customer-${field.replace(/\./g, '-')}`

export interface CustomerFormProps {
  /** The saved customer; null for the new-customer form. */
  detail: CustomerDetail | null
  classes: readonly CustomerClass[]
  fields: readonly CustomFieldDefinition[]
  defaultCurrency: string | null
  canEdit: boolean
  /**
   * Why this customer's details cannot be edited (permanently terminated or exported; the engine
   * refuses such edits too), or null. The form is then read-only; status changes stay on their dialog.
   */
  readOnlyReason?: string | null
  onFieldCreated: (f: CustomFieldDefinition) => void
  /** After a successful create or save, with the engine's view of the customer. */
  onSaved: (d: CustomerDetail) => void
  /** A change made outside the form's Save (an account added). */
  onUpdated: (d: CustomerDetail) => void
  onChangeStatus: () => void
  /** Whether the form holds unsaved changes (for a leave guard). */
  onDirtyChange?: (dirty: boolean) => void
}

export function CustomerForm(props: CustomerFormProps) {
  const { detail, classes, fields } = props
  const nav = useCustomerNav()
  const form = useForm<CustomerFormValues>({
    initialValues: detail ? valuesFromDetail(detail) : emptyValues(props.defaultCurrency),
    // The contract's schema, keyed by the engine's field names (the errors' keys are not the values').
    validate: (v) => validateCustomer(v, fields, detail !== null)
  })
  const values = form.getValues()
  const errors = form.errors as Record<string, string | undefined>
  const [tab, setTab] = useCustomerTab()
  const [focusField, setFocusField] = useState<{ field: string } | null>(null)
  const [confirm, setConfirm] = useState<{ title: string; message: string; action: string } | null>(null)
  const create = useMutation('customers.create')
  const update = useMutation('customers.update')
  const running = create.running || update.running
  const editable = props.canEdit && !props.readOnlyReason
  const disabled = running || !editable

  const clearError = (key: string) => {
    if (form.errors[key] !== undefined) form.clearFieldError(key)
  }

  const set = useCallback(
    <K extends keyof CustomerFormValues>(field: K, value: CustomerFormValues[K]) => {
      form.setValues((prev) => {
        const next = { ...prev, [field]: value } as CustomerFormValues
        // A class with a currency brings its currency along (only before the first save).
        if (field === 'classId' && !detail && value !== null) {
          const k = classes.find((c) => String(c.id) === value)
          if (k?.currency) next.currency = k.currency
        }
        // A currency that the chosen class does not bill in drops the class.
        if (field === 'currency') {
          const k = classes.find((c) => String(c.id) === prev.classId)
          if (k?.currency && k.currency !== value) next.classId = null
        }
        return next
      })
      clearError(ERROR_KEY_OF[field] ?? field)
    },
    [classes, detail, form]
  )

  const setCustomField = useCallback(
    (id: number, value: string) => {
      form.setValues((prev) => ({ customFields: { ...prev.customFields, [id]: value } }))
      clearError(`customFields.${id}`)
    },
    [form]
  )

  // Show an error where the eye is: switch to its tab, then bring the field into view.
  function showFieldError(field: string, message: string) {
    form.setErrors({ [field]: message })
    const t = tabOfField(field)
    if (t) setTab(t)
    setFocusField({ field })
  }
  useEffect(() => {
    if (!focusField) return
    const el = document.getElementById(fieldId(focusField.field))
    if (!el) return
    el.scrollIntoView({ block: 'center', behavior: 'smooth' })
    if (el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement) {
      if (!el.readOnly && el.getAttribute('aria-haspopup') === null) el.focus({ preventScroll: true })
    }
  }, [focusField])

  async function save(confirmCreditLimitBelowBalance: boolean) {
    // The form refuses what the main process would refuse, with its message, under the same field.
    const checked = validateCustomer(values, fields, detail !== null)
    const first = Object.entries(checked)[0]
    if (first) {
      showFieldError(first[0], first[1])
      form.setErrors(checked)
      return
    }
    form.clearErrors()
    // Creating a customer over its credit limit asks first, as lowering a limit below the balance does.
    const over = detail ? null : openingOverLimit(values)
    if (over && !confirmCreditLimitBelowBalance) {
      setConfirm({ title: 'Opening balance over the credit limit', message: `${over} Create the customer anyway?`, action: 'Create over the limit' })
      return
    }
    const input = detail ? toUpdateInput(detail.id, values, fields, confirmCreditLimitBelowBalance) : toCreateInput(values, fields)
    try {
      const saved = 'id' in input ? await update.run(input) : await create.run(input)
      const next = valuesFromDetail(saved)
      form.setInitialValues(next)
      form.setValues(next)
      notifySuccess(detail ? 'Customer saved' : 'Customer created', detail ? `${saved.customerId}: changes saved.` : `${saved.customerId} was added.`)
      props.onSaved(saved)
    } catch (e) {
      const err = asAppError(e)
      // A credit limit below the balance is allowed once the person confirms it.
      if (detail && err.code === 'CONFLICT' && err.field === 'creditLimit' && !confirmCreditLimitBelowBalance) {
        setConfirm({ title: 'Credit limit below the current balance', message: err.message, action: 'Save with this limit' })
        return
      }
      const key = err.field ? customFieldErrorKey(err.field, fields) : null
      if (key && (FORM_FIELDS.includes(key) || fields.some((f) => `customFields.${f.id}` === key))) showFieldError(key, err.message)
      else notifyError(err)
    }
  }

  function submit(e: FormEvent) {
    e.preventDefault()
    void save(false)
  }

  const dirty = form.isDirty()
  useDirtyReport(dirty, props.onDirtyChange)
  // Its own tabs and the wizard over it keep the form; anywhere else asks first.
  const here = customerPath(detail?.id ?? 'new')
  useLeaveGuard(dirty, (next) => next.pathname === here || next.pathname.startsWith(`${here}/`))
  const binding: FormBinding = { values, set, setCustomField, errors, disabled, fieldId }
  const klass = classes.find((k) => String(k.id) === values.classId) ?? null
  const notSaved = detail === null
  // The audit log is for administrators and auditors (a cashier is refused audit.search).
  const seesAudit = useCan()('audit.list')
  const tabError = (t: TabId) => Object.entries(errors).some(([f, m]) => m !== undefined && tabOfField(f) === t)
  const tabLabel = (t: TabId, label: string) => (
    <>
      {label}
      {tabError(t) && (
        <Text span c="red" fw={700} ml={4} aria-label="has an error">
          •
        </Text>
      )}
    </>
  )

  return (
    <form onSubmit={submit} noValidate aria-busy={running} aria-label={detail ? `Customer ${detail.customerId}` : 'New customer'}>
      <Stack gap="md">
        {props.readOnlyReason && (
          <Alert color="gray" variant="light" title="Read-only" data-testid="customer-read-only">
            {props.readOnlyReason}
          </Alert>
        )}
        <Paper withBorder radius="md" p="md">
          <TopSection form={binding} classes={classes} detail={detail} />
        </Paper>

        <Tabs value={tab} onChange={(v) => v && setTab(v as TabId)} keepMounted={false} variant="outline">
          <Tabs.List>
            <Tabs.Tab value="address">{tabLabel('address', 'Address info')}</Tabs.Tab>
            <Tabs.Tab value="balance" disabled={notSaved} title={notSaved ? 'Available once the customer is saved' : undefined}>
              Balance &amp; credits
            </Tabs.Tab>
            <Tabs.Tab value="usage" disabled={notSaved} title={notSaved ? 'Available once the customer is saved' : undefined}>
              Usage
            </Tabs.Tab>
            <Tabs.Tab value="invoices">{tabLabel('invoices', 'Invoices & taxation')}</Tabs.Tab>
            <Tabs.Tab value="lifecycle" disabled={notSaved} title={notSaved ? 'Available once the customer is saved' : undefined}>
              Life cycle
            </Tabs.Tab>
            <Tabs.Tab value="accounts" disabled={notSaved} title={notSaved ? 'Available once the customer is saved' : undefined}>
              Accounts{detail ? ` (${detail.accounts.length})` : ''}
            </Tabs.Tab>
            <Tabs.Tab value="notes">{tabLabel('notes', 'Additional info')}</Tabs.Tab>
            <Tabs.Tab value="custom">{tabLabel('custom', 'Custom fields')}</Tabs.Tab>
            <Tabs.Tab value="pricelists" disabled={notSaved} title={notSaved ? 'Available once the customer is saved' : undefined}>
              Price lists
            </Tabs.Tab>
            {seesAudit && (
              <Tabs.Tab value="audit" disabled={notSaved} title={notSaved ? 'Available once the customer is saved' : undefined}>
                Audit log
              </Tabs.Tab>
            )}
          </Tabs.List>

          <Tabs.Panel value="address" pt="md">
            <AddressTab form={binding} />
          </Tabs.Panel>
          {detail && (
            <Tabs.Panel value="balance" pt="md">
              <BalanceTab detail={detail} />
            </Tabs.Panel>
          )}
          {detail && (
            <Tabs.Panel value="usage" pt="md">
              <UsageTab customerId={detail.id} />
            </Tabs.Panel>
          )}
          <Tabs.Panel value="invoices" pt="md">
            <InvoicesTab form={binding} klass={klass} detail={detail} />
          </Tabs.Panel>
          {detail && (
            <Tabs.Panel value="lifecycle" pt="md">
              <LifeCycleTab detail={detail} onChangeStatus={props.onChangeStatus} canChange={props.canEdit} />
            </Tabs.Panel>
          )}
          {detail && (
            <Tabs.Panel value="accounts" pt="md">
              <AccountsTab detail={detail} onUpdated={props.onUpdated} canEdit={editable} />
            </Tabs.Panel>
          )}
          <Tabs.Panel value="notes" pt="md">
            <Textarea
              id={fieldId('notes')}
              label="Notes"
              description="Anything worth knowing about this customer; not printed on invoices."
              autosize
              minRows={5}
              maw={900}
              value={values.notes}
              onChange={(e) => set('notes', e.currentTarget.value)}
              error={errors.notes}
              disabled={disabled}
              name="notes"
            />
          </Tabs.Panel>
          <Tabs.Panel value="custom" pt="md">
            <CustomFieldsTab form={binding} fields={fields} onFieldCreated={props.onFieldCreated} canDefine={props.canEdit} />
          </Tabs.Panel>
          {detail && (
            <Tabs.Panel value="pricelists" pt="md">
              <PriceListsTab detail={detail} canEdit={editable} />
            </Tabs.Panel>
          )}
          {detail && seesAudit && (
            <Tabs.Panel value="audit" pt="md">
              <AuditTab customerId={detail.id} />
            </Tabs.Panel>
          )}
        </Tabs>

        <Paper withBorder radius="md" p="sm" pos="sticky" bottom={8} style={{ zIndex: 5, boxShadow: 'var(--mantine-shadow-sm)' }} data-testid="save-bar">
          {/* Buttons on the left: notifications appear bottom right and must not cover Save. */}
          <Group gap="sm" wrap="wrap">
            <Button type="submit" loading={running} disabled={!editable}>
              {detail ? 'Save' : 'Create customer'}
            </Button>
            <Button variant="default" onClick={nav.list} disabled={running}>
              {detail ? 'Back to list' : 'Cancel'}
            </Button>
            <Text size="sm" c={dirty ? 'orange' : 'dimmed'} fw={dirty ? 600 : undefined} aria-live="polite" ml="xs">
              {dirty ? 'Unsaved changes' : detail ? 'No unsaved changes' : 'Fields marked * are required; the rest can wait.'}
            </Text>
          </Group>
        </Paper>
      </Stack>

      <Modal opened={confirm !== null} onClose={() => setConfirm(null)} title={confirm?.title} centered>
        <Stack gap="md">
          <Text size="sm">{confirm?.message}</Text>
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={() => setConfirm(null)}>
              Cancel
            </Button>
            <Button
              color="orange"
              onClick={() => {
                setConfirm(null)
                void save(true)
              }}
            >
              {confirm?.action}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </form>
  )
}
