import { useState } from 'react'
import { Button, Code, Divider, Group, LoadingOverlay, Paper, Stack, Text, Title } from '@mantine/core'
import { useMutation, useQuery } from '../api/query'
import { useAppStatus, useCan } from '../app/status'
import { BackupTable, useRestore } from '../lib/backups'
import { notifyError, notifySuccess } from '../lib/notify'
import { QueryError } from '../lib/QueryError'
import { RestoreFromFile } from '../lib/RestoreFromFile'
import { BackupToFile } from './BackupToFile'

export function BackupsSection() {
  const { status } = useAppStatus()
  const list = useQuery('backup.list', {})
  const create = useMutation('backup.create')
  const restore = useRestore()
  const [toFileRunning, setToFileRunning] = useState(false)
  // The auditor sees the backups; making and restoring them is the administrator's.
  const can = useCan()
  const canBackUp = can('backup.create')
  const canRestore = can('backup.restore')

  async function backUpNow() {
    try {
      const made = await create.run({})
      notifySuccess('Backup made', `${made.fileName} is in the data folder.`)
    } catch (e) {
      notifyError(e)
    }
  }

  const busy = create.running || restore.running || toFileRunning

  return (
    <Paper withBorder p="lg" radius="md">
      <Group justify="space-between" align="flex-start" mb="xs">
        <div>
          <Title order={2} size="h4">
            Backups
          </Title>
          <Text size="sm" c="dimmed">
            Data folder: <Code>{status.dataDir}</Code>
          </Text>
        </div>
        {canBackUp && (
          <Button onClick={backUpNow} loading={create.running} disabled={restore.running || toFileRunning}>
            Back up now
          </Button>
        )}
      </Group>

      <Stack gap="md">
        {list.error && !list.data ? (
          <QueryError error={list.error} onRetry={list.reload} what="the backups" />
        ) : (
          <div style={{ position: 'relative' }}>
            <LoadingOverlay visible={list.loading && !list.data} zIndex={1} />
            {list.data && list.data.length === 0 ? (
              <Text size="sm" py="md">
                No backups yet. “Back up now” makes one in the data folder.
              </Text>
            ) : (
              <BackupTable backups={list.data ?? []} onRestore={restore.askBackup} disabled={busy || !canRestore} />
            )}
          </div>
        )}
        {canBackUp && (
          <>
            <Divider />
            <BackupToFile disabled={restore.running || create.running} onRunning={setToFileRunning} />
          </>
        )}
        {canRestore && (
          <>
            <Divider />
            <RestoreFromFile onRestore={restore.ask} disabled={busy} error={restore.fileError} onEdit={restore.clearFileError} />
          </>
        )}
      </Stack>
      {restore.modal}
    </Paper>
  )
}
