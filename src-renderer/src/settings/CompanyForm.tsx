import { useEffect, type ReactNode } from 'react'
import { Button, Checkbox, Group, PasswordInput, Progress, Select, SimpleGrid, Stack, Text, Textarea, TextInput, Title } from '@mantine/core'
import { useForm } from '@mantine/form'
import { settingsInput, setupInput, type InputOf } from '../../../src-shared/contract'
import type { CompanySettings } from '../../../src-shared/domain'
import { currency, CURRENCIES } from '../../../src-shared/money'
import { contractValidate, reportToForm, typedWhole, useDirtyReport } from '../lib/contract-form'
import { useLeaveGuard } from '../lib/leave-guard'
import { WholeNumberInput } from '../lib/WholeNumberInput'

const CURRENCY_OPTIONS = CURRENCIES.map((c) => ({ value: c.code, label: `${c.code} — ${c.name}` }))

function currencyLabel(code: string): string {
  try {
    return `${code} — ${currency(code).name}`
  } catch {
    return code
  }
}

/** Every box of the company's details, named after the contract's fields; numbers as typed. */
export interface CompanyValues {
  companyName: string
  address: string
  defaultCurrency: string | null
  loadDemoData: boolean
  cardAuthorizationDays: string
  maxOperationAmount: string
  idleLockMinutes: string
  /** First run only: the first administrator. */
  adminLogin: string
  adminName: string
  adminPassword: string
}

export const FIRST_RUN_VALUES: CompanyValues = {
  companyName: '',
  address: '',
  defaultCurrency: 'USD',
  loadDemoData: true,
  cardAuthorizationDays: '7',
  maxOperationAmount: '1,000,000',
  idleLockMinutes: '10',
  adminLogin: 'admin',
  adminName: '',
  adminPassword: ''
}

export function valuesOfSettings(s: CompanySettings): CompanyValues {
  return {
    companyName: s.companyName,
    address: s.address,
    defaultCurrency: s.defaultCurrency,
    loadDemoData: false,
    cardAuthorizationDays: String(s.cardAuthorizationDays),
    maxOperationAmount: s.maxOperationAmount.toLocaleString('en-US'),
    idleLockMinutes: String(s.idleLockMinutes),
    adminLogin: '',
    adminName: '',
    adminPassword: ''
  }
}

const toSetup = (v: CompanyValues): InputOf<'setup.complete'> => ({
  companyName: v.companyName,
  address: v.address,
  defaultCurrency: v.defaultCurrency ?? '',
  loadDemoData: v.loadDemoData,
  adminLogin: v.adminLogin,
  adminName: v.adminName,
  adminPassword: v.adminPassword
})

/** Every field is sent as typed: an empty or unreadable number is refused, never left out. */
const toSettings = (v: CompanyValues) => ({
  companyName: v.companyName,
  address: v.address,
  cardAuthorizationDays: typedWhole(v.cardAuthorizationDays),
  maxOperationAmount: typedWhole(v.maxOperationAmount),
  idleLockMinutes: typedWhole(v.idleLockMinutes)
})

const validateSetup = contractValidate(setupInput, toSetup)
const validateSettings = contractValidate(settingsInput, toSettings)

export type CompanySubmit = { mode: 'first-run'; input: InputOf<'setup.complete'> } | { mode: 'settings'; input: InputOf<'settings.update'> }

/**
 * The company this desk bills for, as first run asks for it (with the default currency and demo
 * data) and as Settings edits it (with the card and amount limits): one form, judged by the
 * channel's own schema (setup.complete or settings.update), engine errors under their field.
 */
export function CompanyForm(props: {
  mode: 'first-run' | 'settings'
  /** The values to start from (and to compare with for `dirty`); a new object resets the form. */
  initial: CompanyValues
  running: boolean
  /** Sends the request; a thrown AppError with a field is shown under that field. */
  onSubmit: (submit: CompanySubmit) => Promise<void>
  /** Shown above the button (first run: the progress while the database is made). */
  children?: ReactNode
  onDirtyChange?: (dirty: boolean) => void
  /** Settings seen by a role that may not change them (the auditor): every box disabled, no Save. */
  readOnly?: boolean
}) {
  const firstRun = props.mode === 'first-run'
  const form = useForm<CompanyValues>({
    initialValues: props.initial,
    validate: firstRun ? validateSetup : validateSettings
  })

  useEffect(() => {
    form.setInitialValues(props.initial)
    form.setValues(props.initial)
  }, [props.initial])

  const dirty = form.isDirty()
  useDirtyReport(dirty, props.onDirtyChange)
  // Unsaved company settings are not lost by a click on the sidebar (first run has nowhere to go).
  useLeaveGuard(props.mode === 'settings' && dirty)
  const values = form.getValues()

  async function submit(v: CompanyValues) {
    try {
      await props.onSubmit(firstRun ? { mode: 'first-run', input: setupInput.parse(toSetup(v)) } : { mode: 'settings', input: settingsInput.parse(toSettings(v)) })
    } catch (err) {
      reportToForm(form, err)
    }
  }

  return (
    <form onSubmit={form.onSubmit((v) => void submit(v))} noValidate aria-busy={props.running}>
      <fieldset disabled={props.readOnly} style={{ border: 0, padding: 0, margin: 0, minWidth: 0 }}>
        <Stack gap="md" maw={560}>
          <TextInput
            label="Company name"
            description="Printed on every invoice and receipt."
            withAsterisk
            autoFocus={firstRun}
            {...form.getInputProps('companyName')}
            disabled={props.running}
            name="companyName"
          />
          <Textarea
            label="Address"
            description="Street, city, tax number — as it should appear on invoices."
            autosize
            minRows={3}
            {...form.getInputProps('address')}
            disabled={props.running}
            name="address"
          />
          {firstRun ? (
            <>
              <Select
                label="Default currency"
                description="Suggested for new customers and classes; each customer's currency is chosen once."
                withAsterisk
                data={CURRENCY_OPTIONS}
                {...form.getInputProps('defaultCurrency')}
                allowDeselect={false}
                searchable
                disabled={props.running}
                name="defaultCurrency"
              />
              <Checkbox
                label="Load demo data (customers, classes, services)"
                description="Useful for trying the desk out; leave it off for a clean start."
                {...form.getInputProps('loadDemoData', { type: 'checkbox' })}
                disabled={props.running}
              />
              <Title order={2} size="h4" mt="xs">
                First administrator
              </Title>
              <Text size="sm" c="dimmed" mt={-8}>
                Logs in after setup and adds the other operators. Keep the password safe: a lost one is recovered only from a backup or with the command-line reset.
              </Text>
              <SimpleGrid cols={2}>
                <TextInput label="Login" withAsterisk autoComplete="username" {...form.getInputProps('adminLogin')} disabled={props.running} name="adminLogin" />
                <TextInput label="Name" withAsterisk {...form.getInputProps('adminName')} disabled={props.running} name="adminName" />
              </SimpleGrid>
              <PasswordInput
                label="Password"
                description="At least 8 characters."
                withAsterisk
                autoComplete="new-password"
                {...form.getInputProps('adminPassword')}
                disabled={props.running}
                name="adminPassword"
              />
            </>
          ) : (
            <>
              <TextInput
                label="Default currency"
                description="Chosen at first run. Each customer keeps the currency it was created with."
                value={currencyLabel(values.defaultCurrency ?? '')}
                readOnly
                variant="filled"
              />
              <WholeNumberInput
                label="Card authorizations expire after (days)"
                description="An Authorization only transaction can be captured or voided until then; afterwards the reserved amount is released."
                {...form.getInputProps('cardAuthorizationDays')}
                disabled={props.running}
                maw={280}
                name="cardAuthorizationDays"
              />
              <WholeNumberInput
                label="Maximum amount per operation"
                description="In whole units of each customer's currency: 1,000,000 allows up to 1,000,000 JPY, 1,000,000.00 USD or 1,000,000.000 KWD in one charge, credit, payment or refund. Larger amounts are refused before the Summary."
                {...form.getInputProps('maxOperationAmount')}
                disabled={props.running}
                name="maxOperationAmount"
              />
              <WholeNumberInput
                label="Lock the counter after (idle minutes)"
                description="With no key or mouse input for this long the desk locks; the same operator unlocks it with their password, or another logs in. 0 never locks."
                {...form.getInputProps('idleLockMinutes')}
                disabled={props.running}
                maw={280}
                name="idleLockMinutes"
              />
            </>
          )}

          {props.children}

          {firstRun ? (
            <Button type="submit" loading={props.running} size="md">
              Start billing
            </Button>
          ) : props.readOnly ? null : (
            <Group>
              <Button type="submit" loading={props.running} disabled={!dirty}>
                Save
              </Button>
              {dirty && (
                <Button variant="subtle" onClick={() => form.reset()} disabled={props.running}>
                  Discard changes
                </Button>
              )}
            </Group>
          )}
        </Stack>
      </fieldset>
    </form>
  )
}

/** First run's progress line while the database is made (and the demo data loaded). */
export function SetupProgress({ withDemoData }: { withDemoData: boolean }) {
  return (
    <Stack gap={6} role="status" aria-live="polite">
      <Progress value={100} animated striped aria-label="Setting up" />
      <Text size="sm" c="dimmed">
        {withDemoData ? 'Creating the database and loading demo data — this can take a few seconds…' : 'Creating the database…'}
      </Text>
    </Stack>
  )
}
