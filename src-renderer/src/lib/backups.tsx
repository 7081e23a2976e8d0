import { useState } from 'react'
import { Badge, Button, Group, Modal, Stack, Table, Text } from '@mantine/core'
import type { BackupInfo } from '../../../src-shared/domain'
import { formatDateTime, formatSize } from '../../../src-shared/format'
import { asAppError } from '../api/invoke'
import { useMutation, invalidateAll } from '../api/query'
import { useAppStatus } from '../app/status'
import { notifyError, notifySuccess } from './notify'

export type RestoreSource = { kind: 'backup'; fileName: string; createdAt: string } | { kind: 'file'; path: string }

const KIND_LABEL: Record<BackupInfo['kind'], string> = {
  daily: 'Daily',
  manual: 'Manual',
  'before-restore': 'Before restore'
}

export function newestFirst(backups: readonly BackupInfo[]): BackupInfo[] {
  return [...backups].sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : a.fileName < b.fileName ? 1 : -1))
}

/** Backups, newest first; in recovery the engine names the one to restore and the damaged ones. */
export function BackupTable(props: {
  backups: readonly BackupInfo[]
  onRestore: (b: BackupInfo) => void
  recommended?: string | null
  unusable?: readonly string[]
  disabled?: boolean
}) {
  const rows = newestFirst(props.backups)
  return (
    <Table.ScrollContainer minWidth={560} type="native">
      <Table highlightOnHover tabularNums aria-label="Backups">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>File</Table.Th>
            <Table.Th>Made</Table.Th>
            <Table.Th className="num">Size</Table.Th>
            <Table.Th>Kind</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((b) => {
            const recommended = props.recommended === b.fileName
            const damaged = props.unusable?.includes(b.fileName) === true
            return (
              <Table.Tr key={b.fileName} bg={recommended ? 'var(--mantine-color-teal-light)' : undefined} data-recommended={recommended || undefined}>
                <Table.Td>
                  <Group gap="xs" wrap="nowrap">
                    <Text size="sm" ff="monospace" className="nowrap">
                      {b.fileName}
                    </Text>
                    {recommended && (
                      <Badge color="teal" variant="filled" size="sm" style={{ flexShrink: 0 }} styles={{ label: { overflow: 'visible' } }}>
                        Recommended
                      </Badge>
                    )}
                    {damaged && (
                      <Badge color="red" variant="light" size="sm" style={{ flexShrink: 0 }} styles={{ label: { overflow: 'visible' } }}>
                        Damaged
                      </Badge>
                    )}
                  </Group>
                </Table.Td>
                <Table.Td className="nowrap">{formatDateTime(b.createdAt)}</Table.Td>
                <Table.Td className="num">{formatSize(b.sizeBytes)}</Table.Td>
                <Table.Td>{KIND_LABEL[b.kind] ?? b.kind}</Table.Td>
                <Table.Td ta="right">
                  <Button
                    size="xs"
                    variant={recommended ? 'filled' : 'default'}
                    color={recommended ? 'teal' : undefined}
                    onClick={() => props.onRestore(b)}
                    disabled={props.disabled === true || damaged}
                    aria-label={`Restore ${b.fileName}`}
                  >
                    Restore
                  </Button>
                </Table.Td>
              </Table.Tr>
            )
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  )
}

/**
 * Restore with a confirmation step. `ask(source)` opens the modal; confirming calls
 * `backup.restore`, then the whole UI takes the returned status and reloads its data.
 */
export function useRestore() {
  const { replace } = useAppStatus()
  const restore = useMutation('backup.restore')
  const [pending, setPending] = useState<RestoreSource | null>(null)
  /** A problem with the typed file path, shown under that input. */
  const [fileError, setFileError] = useState<string | null>(null)

  async function confirm() {
    if (!pending) return
    const source = pending
    setFileError(null)
    try {
      const status = await restore.run({
        source: source.kind === 'backup' ? { kind: 'backup', fileName: source.fileName } : { kind: 'file', path: source.path }
      })
      setPending(null)
      notifySuccess('Data restored', source.kind === 'backup' ? `Restored from ${source.fileName}.` : `Restored from ${source.path}.`)
      replace(status)
      invalidateAll()
    } catch (e) {
      setPending(null)
      const err = asAppError(e)
      if (source.kind === 'file' && (err.field === 'path' || err.field === 'source')) setFileError(err.message)
      else notifyError(err)
    }
  }

  const modal = (
    <Modal
      opened={pending !== null}
      onClose={() => (restore.running ? undefined : setPending(null))}
      title="Restore this backup?"
      centered
      closeOnClickOutside={!restore.running}
      closeOnEscape={!restore.running}
      withCloseButton={!restore.running}
    >
      {pending && (
        <Stack>
          {pending.kind === 'backup' ? (
            <Text size="sm">
              The desk's data will be replaced by <b>{pending.fileName}</b>, made {formatDateTime(pending.createdAt)}. Anything
              recorded after that moment will not be in the restored data.
            </Text>
          ) : (
            <Text size="sm">
              The desk's data will be replaced by the file <b style={{ wordBreak: 'break-all' }}>{pending.path}</b>. Anything not
              in that file will not be in the restored data.
            </Text>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setPending(null)} disabled={restore.running}>
              Cancel
            </Button>
            <Button color="red" onClick={confirm} loading={restore.running}>
              Restore
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  )

  return {
    ask: (source: RestoreSource) => setPending(source),
    fileError,
    clearFileError: () => setFileError(null),
    askBackup: (b: BackupInfo) => setPending({ kind: 'backup', fileName: b.fileName, createdAt: b.createdAt }),
    running: restore.running,
    modal
  }
}
