import { useEffect, useState, type FormEvent } from 'react'
import { Button, Group, NumberInput, Paper, Skeleton, Stack, TextInput, Title } from '@mantine/core'
import { currency } from '../../../src-shared/money'
import { useMutation, useQuery } from '../api/query'
import { useFieldErrors } from '../lib/field-errors'
import { notifySuccess } from '../lib/notify'
import { QueryError } from '../lib/QueryError'
import { CompanyFields } from '../lib/CompanyFields'

const FIELDS = ['companyName', 'address', 'cardAuthorizationDays', 'maxOperationAmount'] as const

function currencyLabel(code: string): string {
  try {
    return `${code} — ${currency(code).name}`
  } catch {
    return code
  }
}

export function CompanySettingsForm() {
  const q = useQuery('settings.get', {})
  const save = useMutation('settings.update')
  const { errors, report, clear } = useFieldErrors(FIELDS)
  const [companyName, setCompanyName] = useState('')
  const [address, setAddress] = useState('')
  const [authDays, setAuthDays] = useState<number | string>(7)
  const [maxAmount, setMaxAmount] = useState<number | string>(1_000_000)

  useEffect(() => {
    if (q.data) {
      setCompanyName(q.data.companyName)
      setAddress(q.data.address)
      setAuthDays(q.data.cardAuthorizationDays)
      setMaxAmount(q.data.maxOperationAmount)
    }
  }, [q.data])

  const dirty =
    q.data !== undefined &&
    (companyName !== q.data.companyName || address !== q.data.address || authDays !== q.data.cardAuthorizationDays || maxAmount !== q.data.maxOperationAmount)

  async function submit(e: FormEvent) {
    e.preventDefault()
    clear()
    try {
      // The engine checks the range and answers on the field; an empty box sends nothing.
      const days = typeof authDays === 'number' ? authDays : undefined
      // Mantine gives a string for a number too large to hold exactly: the engine judges it too.
      const max = typeof maxAmount === 'number' ? maxAmount : maxAmount.trim() === '' ? undefined : Number(maxAmount.replace(/,/g, ''))
      const saved = await save.run({
        companyName,
        address,
        ...(days === undefined ? {} : { cardAuthorizationDays: days }),
        ...(max === undefined ? {} : { maxOperationAmount: max })
      })
      q.setData(saved)
      notifySuccess('Settings saved', 'New invoices and receipts will use these details.')
    } catch (err) {
      report(err)
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
        <form onSubmit={submit} noValidate>
          <Stack gap="md" maw={560}>
            <CompanyFields
              companyName={companyName}
              address={address}
              onChange={(field, value) => {
                if (field === 'companyName') setCompanyName(value)
                else setAddress(value)
                clear(field)
              }}
              errors={errors}
              disabled={save.running}
            />
            <TextInput
              label="Default currency"
              description="Chosen at first run. Each customer keeps the currency it was created with."
              value={currencyLabel(q.data.defaultCurrency)}
              readOnly
              variant="filled"
            />
            <NumberInput
              label="Card authorizations expire after (days)"
              description="An Authorization only transaction can be captured or voided until then; afterwards the reserved amount is released."
              value={authDays}
              onChange={(v) => {
                setAuthDays(v)
                clear('cardAuthorizationDays')
              }}
              allowDecimal={false}
              allowNegative={false}
              error={errors.cardAuthorizationDays}
              disabled={save.running}
              maw={280}
              name="cardAuthorizationDays"
            />
            <NumberInput
              label="Maximum amount per operation"
              description="In whole units of each customer's currency: 1,000,000 allows up to 1,000,000 JPY, 1,000,000.00 USD or 1,000,000.000 KWD in one charge, credit, payment or refund. Larger amounts are refused before the Summary."
              value={maxAmount}
              onChange={(v) => {
                setMaxAmount(v)
                clear('maxOperationAmount')
              }}
              allowDecimal={false}
              allowNegative={false}
              thousandSeparator=","
              error={errors.maxOperationAmount}
              disabled={save.running}
              maw={560}
              name="maxOperationAmount"
            />
            <Group>
              <Button type="submit" loading={save.running} disabled={!dirty}>
                Save
              </Button>
              {dirty && (
                <Button
                  variant="subtle"
                  onClick={() => {
                    setCompanyName(q.data?.companyName ?? '')
                    setAddress(q.data?.address ?? '')
                    setAuthDays(q.data?.cardAuthorizationDays ?? 7)
                    setMaxAmount(q.data?.maxOperationAmount ?? 1_000_000)
                    clear()
                  }}
                  disabled={save.running}
                >
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
