import { Alert, Center, Code, Divider, Paper, Stack, Text, Title } from '@mantine/core'
import { useAppStatus } from '../app/status'
import { BackupTable, ReplayNote, useRestore } from '../lib/backups'
import { RestoreFromFile } from '../lib/RestoreFromFile'

/** The database failed its checks at start-up: explain, and offer the backups. */
export function RecoveryScreen() {
  const { status } = useAppStatus()
  const recovery = status.recovery
  const restore = useRestore()
  const backups = recovery?.backups ?? []

  return (
    <Center mih="100vh" p="md">
      <Paper withBorder shadow="sm" p="xl" radius="md" w="100%" maw={880}>
        <Stack gap="lg">
          <div>
            <Title order={1} size="h2">
              The billing data needs to be restored
            </Title>
            <Text c="dimmed" size="sm" mt={4}>
              The desk will not work on data it cannot trust, so it has stopped before changing anything.
            </Text>
          </div>

          <Alert color="red" variant="light" title="What went wrong" role="alert">
            <Stack gap="xs">
              <Text size="sm">{recovery?.reason ?? 'The database failed its start-up checks.'}</Text>
              {recovery?.corruptFileKeptAt ? (
                <Text size="sm">
                  The damaged file was kept, untouched, at <Code>{recovery.corruptFileKeptAt}</Code>
                </Text>
              ) : (
                <Text size="sm">No copy of the damaged file was kept.</Text>
              )}
              <Text size="sm">
                Data folder: <Code>{status.dataDir}</Code>
              </Text>
            </Stack>
          </Alert>

          <div>
            <Title order={2} size="h4" mb="xs">
              Backups
            </Title>
            {backups.length === 0 ? (
              <Text size="sm">No backups were found in the data folder. If you have a copy elsewhere, restore it from its file below.</Text>
            ) : (
              <>
                <Text size="sm" mb="xs">
                  {recovery?.recommendedBackup
                    ? 'The recommended backup is the newest one that passed its checks. Changes made after it that are still in the journal are replayed on top of it.'
                    : 'None of these backups passed its checks. If you have a copy elsewhere, restore it from its file below.'}
                </Text>
                {recovery?.recommendedReplay && (
                  <Paper withBorder p="sm" mb="sm" radius="sm" data-testid="recommended-replay">
                    <ReplayNote replay={recovery.recommendedReplay} />
                  </Paper>
                )}
                <BackupTable
                  backups={backups}
                  onRestore={restore.askBackup}
                  recommended={recovery?.recommendedBackup ?? null}
                  unusable={recovery?.unusableBackups ?? []}
                  disabled={restore.running}
                />
              </>
            )}
          </div>

          <Divider />
          <RestoreFromFile onRestore={restore.ask} disabled={restore.running} error={restore.fileError} onEdit={restore.clearFileError} />
        </Stack>
      </Paper>
      {restore.modal}
    </Center>
  )
}
