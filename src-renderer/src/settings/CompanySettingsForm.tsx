import { useEffect } from 'react'
import { Button, Group, Paper, Skeleton, Stack, TextInput, Title } from '@mantine/core'
import { useForm } from '@mantine/form'
import { settingsInput } from '../../../src-shared/contract'
import type { CompanySettings } from '../../../src-shared/domain'
import { currency } from '../../../src-shared/money'
import { invalidate, useMutation, useQuery } from '../api/query'
import { contractValidate, reportToForm, typedWhole, useDirtyReport } from '../lib/contract-form'
import { notifySuccess } from '../lib/notify'
import { QueryError } from '../lib/QueryError'
import { CompanyFields } from '../lib/CompanyFields'
import { WholeNumberInput } from '../lib/WholeNumberInput'

function currencyLabel(code: string): string {
  try {
    return `${code} — ${currency(code).name}`
  } catch {
    return code
  }
}

/** The boxes, named after the contract's fields; numbers as typed. */
interface Values {
  companyName: string
  address: string
  cardAuthorizationDays: string
  maxOperationAmount: string
}

function valuesOf(s: CompanySettings): Values {
  return {
    companyName: s.companyName,
    address: s.address,
    cardAuthorizationDays: String(s.cardAuthorizationDays),
    maxOperationAmount: s.maxOperationAmount.toLocaleString('en-US')
  }
}

/** Every field is sent as typed: an empty or unreadable number is refused, never left out. */
function toInput(v: Values) {
  return {
    companyName: v.companyName,
    address: v.address,
    cardAuthorizationDays: typedWhole(v.cardAuthorizationDays),
    maxOperationAmount: typedWhole(v.maxOperationAmount)
  }
}

const validateSettings = contractValidate(settingsInput, toInput)

export function CompanySettingsForm(props: { onDirtyChange?: (dirty: boolean) => void }) {
  const q = useQuery('settings.get', {})
  const save = useMutation('settings.update')
  const form = useForm<Values>({
    initialValues: { companyName: '', address: '', cardAuthorizationDays: '7', maxOperationAmount: '1,000,000' },
    validate: validateSettings
  })

  useEffect(() => {
    if (q.data) {
      form.setInitialValues(valuesOf(q.data))
      form.setValues(valuesOf(q.data))
    }
  }, [q.data])

  const dirty = q.data !== undefined && form.isDirty()
  useDirtyReport(dirty, props.onDirtyChange)

  async function submit(values: Values) {
    try {
      const saved = await save.run(settingsInput.parse(toInput(values)))
      q.setData(saved)
      invalidate('app.status') // the header shows the company name
      notifySuccess('Settings saved', 'New invoices and receipts will use these details.')
    } catch (err) {
      reportToForm(form, err)
    }
  }

  return (
    <Paper withBorder p="lg" radius="md">
      <Title order={2} size="h4" mb="xs">
        Company
      </Title>
      {q.error && !q.data ? (
        <QueryError error={q.error} onRetry={q.reload} what="the company settings" />
      ) : !q.data ? (
        <Stack>
          <Skeleton h={36} />
          <Skeleton h={80} />
        </Stack>
      ) : (
        <form onSubmit={form.onSubmit((values) => void submit(values))} noValidate>
          <Stack gap="md" maw={560}>
            <CompanyFields form={form} disabled={save.running} />
            <TextInput
              label="Default currency"
              description="Chosen at first run. Each customer keeps the currency it was created with."
              value={currencyLabel(q.data.defaultCurrency)}
              readOnly
              variant="filled"
            />
            <WholeNumberInput
              label="Card authorizations expire after (days)"
              description="An Authorization only transaction can be captured or voided until then; afterwards the reserved amount is released."
              {...form.getInputProps('cardAuthorizationDays')}
              disabled={save.running}
              maw={280}
              name="cardAuthorizationDays"
            />
            <WholeNumberInput
              label="Maximum amount per operation"
              description="In whole units of each customer's currency: 1,000,000 allows up to 1,000,000 JPY, 1,000,000.00 USD or 1,000,000.000 KWD in one charge, credit, payment or refund. Larger amounts are refused before the Summary."
              {...form.getInputProps('maxOperationAmount')}
              disabled={save.running}
              maw={560}
              name="maxOperationAmount"
            />
            <Group>
              <Button type="submit" loading={save.running} disabled={!dirty}>
                Save
              </Button>
              {dirty && (
                <Button variant="subtle" onClick={() => form.reset()} disabled={save.running}>
                  Discard changes
                </Button>
              )}
            </Group>
          </Stack>
        </form>
      )}
    </Paper>
  )
}
