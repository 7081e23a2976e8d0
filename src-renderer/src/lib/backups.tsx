import { useState } from 'react'
import { Badge, Button, Group, Modal, Stack, Table, Text } from '@mantine/core'
import type { BackupInfo, JournalReplay, RestoreCandidate, RestoreOutcome } from '../../../src-shared/domain'
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

/** What the journal adds to a restore in recovery, and what stays missing, in words. */
export function ReplayNote(props: { replay: JournalReplay; done?: boolean }) {
  const { replay, done } = props
  const n = replay.replayed
  const changes = (k: number) => `${k} change${k === 1 ? '' : 's'}`
  const missing = replay.missing ? replay.missing.to - replay.missing.from + 1 : 0
  return (
    <Stack gap={4}>
      <Text size="sm">
        {n === 0
          ? done
            ? 'No later change was in the journal to replay.'
            : 'The journal holds no change made after it.'
          : done
            ? `${changes(n)} recorded after the backup ${n === 1 ? 'was' : 'were'} replayed from the journal on top of it.`
            : `${changes(n)} recorded after it ${n === 1 ? 'is' : 'are'} still in the journal and will be replayed on top of it.`}
      </Text>
      {replay.stoppedBecause && <Text size="sm">Replay stopped: {replay.stoppedBecause}.</Text>}
      {replay.missing ? (
        <Text size="sm" c="red.8" fw={500} data-testid="replay-gap">
          {changes(missing)} (numbers {replay.missing.from}–{replay.missing.to}) {done ? 'could not be recovered' : 'will be missing'}: they are in neither the backup nor
          the journal.
        </Text>
      ) : (
        <Text size="sm" c="teal.8" fw={500} data-testid="replay-gap">
          {done ? 'Nothing is missing: every change the journal held is back.' : 'Nothing the journal holds will be lost.'}
        </Text>
      )}
    </Stack>
  )
}

function sourceInput(source: RestoreSource) {
  return source.kind === 'backup' ? ({ kind: 'backup', fileName: source.fileName } as const) : ({ kind: 'file', path: source.path } as const)
}

/**
 * Restore with a confirmation step. `ask(source)` first has the main process check the file
 * (exists, readable, a database this version can open): a problem is shown at once, and only a
 * usable file gets "Restore this backup?". Confirming calls `backup.restore`; in recovery the
 * result (changes replayed from the journal, any gap) is shown before the desk opens.
 */
export function useRestore() {
  const { replace } = useAppStatus()
  const check = useMutation('backup.check')
  const restore = useMutation('backup.restore')
  const [pending, setPending] = useState<{ source: RestoreSource; candidate: RestoreCandidate } | null>(null)
  const [done, setDone] = useState<{ label: string; outcome: RestoreOutcome } | null>(null)
  /** A problem with the typed file path, shown under that input. */
  const [fileError, setFileError] = useState<string | null>(null)

  function showError(source: RestoreSource, e: unknown) {
    const err = asAppError(e)
    if (source.kind === 'file' && (err.field === 'path' || err.field === 'source')) setFileError(err.message)
    else notifyError(err)
  }

  async function ask(source: RestoreSource) {
    setFileError(null)
    try {
      setPending({ source, candidate: await check.run({ source: sourceInput(source) }) })
    } catch (e) {
      showError(source, e)
    }
  }

  function open(outcome: RestoreOutcome) {
    const { replay: _replay, ...status } = outcome
    replace(status)
    invalidateAll()
  }

  async function confirm() {
    if (!pending) return
    const { source, candidate } = pending
    setFileError(null)
    try {
      const outcome = await restore.run({ source: sourceInput(source) })
      setPending(null)
      if (outcome.replay) {
        setDone({ label: candidate.label, outcome }) // recovery: say what the journal added first
      } else {
        notifySuccess('Data restored', `Restored from ${candidate.label}.`)
        open(outcome)
      }
    } catch (e) {
      setPending(null)
      showError(source, e)
    }
  }

  const modal = (
    <>
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
            {pending.source.kind === 'backup' ? (
              <Text size="sm">
                The desk's data will be replaced by <b>{pending.source.fileName}</b>, made {formatDateTime(pending.source.createdAt)} (
                {formatSize(pending.candidate.sizeBytes)}).
              </Text>
            ) : (
              <Text size="sm">
                The desk's data will be replaced by the file <b style={{ wordBreak: 'break-all' }}>{pending.source.path}</b>, last written{' '}
                {formatDateTime(pending.candidate.modifiedAt)} ({formatSize(pending.candidate.sizeBytes)}).
              </Text>
            )}
            {pending.candidate.replay ? (
              <ReplayNote replay={pending.candidate.replay} />
            ) : (
              <Text size="sm">Anything not in that file will not be in the restored data; the current data is kept as a backup first.</Text>
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
      <Modal opened={done !== null} onClose={() => done && open(done.outcome)} title="Data restored" centered>
        {done?.outcome.replay && (
          <Stack>
            <Text size="sm">
              Restored from <b style={{ wordBreak: 'break-all' }}>{done.label}</b>.
            </Text>
            <ReplayNote replay={done.outcome.replay} done />
            <Group justify="flex-end">
              <Button onClick={() => open(done.outcome)}>Continue</Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </>
  )

  return {
    ask,
    fileError,
    clearFileError: () => setFileError(null),
    askBackup: (b: BackupInfo) => ask({ kind: 'backup', fileName: b.fileName, createdAt: b.createdAt }),
    running: restore.running || check.running,
    modal
  }
}
