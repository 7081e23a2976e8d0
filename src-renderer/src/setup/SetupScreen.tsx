import { useState, type FormEvent } from 'react'
import { Button, Center, Checkbox, Paper, Progress, Select, Stack, Text, Title } from '@mantine/core'
import { CURRENCIES } from '../../../src-shared/money'
import { useMutation } from '../api/query'
import { useAppStatus } from '../app/status'
import { useFieldErrors } from '../lib/field-errors'
import { notifySuccess } from '../lib/notify'
import { CompanyFields } from '../lib/CompanyFields'

const FIELDS = ['companyName', 'address', 'defaultCurrency', 'loadDemoData'] as const
const CURRENCY_OPTIONS = CURRENCIES.map((c) => ({ value: c.code, label: `${c.code} — ${c.name}` }))

/** First run: the company this desk bills for, its currency, and optional demo data. */
export function SetupScreen() {
  const { replace, status } = useAppStatus()
  const [companyName, setCompanyName] = useState('')
  const [address, setAddress] = useState('')
  const [defaultCurrency, setDefaultCurrency] = useState<string | null>('USD')
  const [loadDemoData, setLoadDemoData] = useState(true)
  const { errors, report, clear } = useFieldErrors(FIELDS)
  const setup = useMutation('setup.complete')

  async function submit(e: FormEvent) {
    e.preventDefault()
    clear()
    try {
      const next = await setup.run({ companyName, address, defaultCurrency: defaultCurrency ?? '', loadDemoData })
      notifySuccess('Billing desk is ready', loadDemoData ? 'Demo customers, classes and services were loaded.' : undefined)
      replace(next)
    } catch (err) {
      report(err)
    }
  }

  return (
    <Center mih="100vh" p="md">
      <Paper withBorder shadow="sm" p="xl" radius="md" w="100%" maw={560}>
        <form onSubmit={submit} noValidate aria-busy={setup.running}>
          <Stack gap="md">
            <div>
              <Title order={1} size="h2">
                Set up the billing desk
              </Title>
              <Text c="dimmed" size="sm" mt={4}>
                This is the first start on this computer. Tell the desk which company it bills for. Everything stays in the data folder{' '}
                <Text span ff="monospace" size="sm">
                  {status.dataDir}
                </Text>
                .
              </Text>
            </div>

            <CompanyFields
              companyName={companyName}
              address={address}
              onChange={(field, value) => {
                if (field === 'companyName') setCompanyName(value)
                else setAddress(value)
                clear(field)
              }}
              errors={errors}
              disabled={setup.running}
              autoFocus
            />
            <Select
              label="Default currency"
              description="Suggested for new customers and classes; each customer's currency is chosen once."
              withAsterisk
              data={CURRENCY_OPTIONS}
              value={defaultCurrency}
              onChange={(v) => {
                setDefaultCurrency(v)
                clear('defaultCurrency')
              }}
              allowDeselect={false}
              searchable
              error={errors.defaultCurrency}
              disabled={setup.running}
              name="defaultCurrency"
            />
            <Checkbox
              label="Load demo data (customers, classes, services)"
              description="Useful for trying the desk out; leave it off for a clean start."
              checked={loadDemoData}
              onChange={(ev) => setLoadDemoData(ev.currentTarget.checked)}
              error={errors.loadDemoData}
              disabled={setup.running}
            />

            {setup.running && (
              <Stack gap={6} role="status" aria-live="polite">
                <Progress value={100} animated striped aria-label="Setting up" />
                <Text size="sm" c="dimmed">
                  {loadDemoData ? 'Creating the database and loading demo data — this can take a few seconds…' : 'Creating the database…'}
                </Text>
              </Stack>
            )}

            <Button type="submit" loading={setup.running} size="md">
              Start billing
            </Button>
          </Stack>
        </form>
      </Paper>
    </Center>
  )
}
