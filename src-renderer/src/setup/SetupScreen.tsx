import { useState } from 'react'
import { Center, Paper, Stack, Text, Title } from '@mantine/core'
import { useMutation } from '../api/query'
import { useAppStatus } from '../app/status'
import { notifySuccess } from '../lib/notify'
import { CompanyForm, FIRST_RUN_VALUES, SetupProgress } from '../settings/CompanyForm'

/** First run: the company this desk bills for, its currency, and optional demo data. */
export function SetupScreen() {
  const { replace, status } = useAppStatus()
  const setup = useMutation('setup.complete')
  const [withDemoData, setWithDemoData] = useState(true)

  return (
    <Center mih="100vh" p="md">
      <Paper withBorder shadow="sm" p="xl" radius="md" w="100%" maw={560}>
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
          <CompanyForm
            mode="first-run"
            initial={FIRST_RUN_VALUES}
            running={setup.running}
            onSubmit={async (s) => {
              if (s.mode !== 'first-run') return
              setWithDemoData(s.input.loadDemoData)
              const next = await setup.run(s.input)
              notifySuccess('Billing desk is ready', s.input.loadDemoData ? 'Demo customers, classes and services were loaded.' : undefined)
              replace(next)
            }}
          >
            {setup.running && <SetupProgress withDemoData={withDemoData} />}
          </CompanyForm>
        </Stack>
      </Paper>
    </Center>
  )
}
