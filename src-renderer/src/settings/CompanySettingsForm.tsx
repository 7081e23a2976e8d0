import { useMemo } from 'react'
import { Paper, Skeleton, Stack, Title } from '@mantine/core'
import { useMutation, useQuery } from '../api/query'
import { useCan } from '../app/status'
import { notifySuccess } from '../lib/notify'
import { QueryError } from '../lib/QueryError'
import { CompanyForm, valuesOfSettings } from './CompanyForm'

/** Settings' Company section: the first-run form, editing what was set then (and the limits). */
export function CompanySettingsForm(props: { onDirtyChange?: (dirty: boolean) => void }) {
  const q = useQuery('settings.get', {})
  const save = useMutation('settings.update')
  const can = useCan()
  const initial = useMemo(() => (q.data ? valuesOfSettings(q.data) : null), [q.data])

  return (
    <Paper withBorder p="lg" radius="md">
      <Title order={2} size="h4" mb="xs">
        Company
      </Title>
      {q.error && !q.data ? (
        <QueryError error={q.error} onRetry={q.reload} what="the company settings" />
      ) : !initial ? (
        <Stack>
          <Skeleton h={36} />
          <Skeleton h={80} />
        </Stack>
      ) : (
        <CompanyForm
          mode="settings"
          initial={initial}
          running={save.running}
          readOnly={!can('settings.update')}
          onDirtyChange={props.onDirtyChange}
          onSubmit={async (s) => {
            if (s.mode !== 'settings') return
            q.setData(await save.run(s.input))
            notifySuccess('Settings saved', 'New invoices and receipts will use these details.')
          }}
        />
      )}
    </Paper>
  )
}
