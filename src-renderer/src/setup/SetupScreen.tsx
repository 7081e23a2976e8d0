import { Button, Center, Checkbox, Paper, Progress, Select, Stack, Text, Title } from '@mantine/core'
import { useForm } from '@mantine/form'
import { setupInput } from '../../../src-shared/contract'
import { CURRENCIES } from '../../../src-shared/money'
import { useMutation } from '../api/query'
import { useAppStatus } from '../app/status'
import { contractValidate, reportToForm } from '../lib/contract-form'
import { notifySuccess } from '../lib/notify'
import { CompanyFields } from '../lib/CompanyFields'

const CURRENCY_OPTIONS = CURRENCIES.map((c) => ({ value: c.code, label: `${c.code} — ${c.name}` }))

interface Values {
  companyName: string
  address: string
  defaultCurrency: string | null
  loadDemoData: boolean
}

const toInput = (v: Values) => ({ ...v, defaultCurrency: v.defaultCurrency ?? '' })
const validateSetup = contractValidate(setupInput, toInput)

/** First run: the company this desk bills for, its currency, and optional demo data. */
export function SetupScreen() {
  const { replace, status } = useAppStatus()
  const form = useForm<Values>({
    initialValues: { companyName: '', address: '', defaultCurrency: 'USD', loadDemoData: true },
    validate: validateSetup
  })
  const setup = useMutation('setup.complete')
  const loadDemoData = form.getValues().loadDemoData

  async function submit(values: Values) {
    try {
      const next = await setup.run(setupInput.parse(toInput(values)))
      notifySuccess('Billing desk is ready', values.loadDemoData ? 'Demo customers, classes and services were loaded.' : undefined)
      replace(next)
    } catch (err) {
      reportToForm(form, err)
    }
  }

  return (
    <Center mih="100vh" p="md">
      <Paper withBorder shadow="sm" p="xl" radius="md" w="100%" maw={560}>
        <form onSubmit={form.onSubmit((values) => void submit(values))} noValidate aria-busy={setup.running}>
          <Stack gap="md">
            <div>
              <Title order={1} size="h2">
                Set up the billing desk
              </Title>
              <Text c="dimmed" size="sm" mt={4}>
                This is the first start on this computer. Tell the desk which company it bills for. Everything stays in the data
                folder <Text span ff="monospace" size="sm">{status.dataDir}</Text>.
              </Text>
            </div>

            <CompanyFields form={form} disabled={setup.running} autoFocus />
            <Select
              label="Default currency"
              description="Suggested for new customers and classes; each customer's currency is chosen once."
              withAsterisk
              data={CURRENCY_OPTIONS}
              {...form.getInputProps('defaultCurrency')}
              allowDeselect={false}
              searchable
              disabled={setup.running}
              name="defaultCurrency"
            />
            <Checkbox
              label="Load demo data (customers, classes, services)"
              description="Useful for trying the desk out; leave it off for a clean start."
              {...form.getInputProps('loadDemoData', { type: 'checkbox' })}
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
