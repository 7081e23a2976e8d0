import { useEffect, useRef, useState } from 'react'
import { useSearchParams } from 'react-router'
import { Button, Code, FileInput, Group, Modal, Progress, Stack, Text } from '@mantine/core'
import { USAGE_CHUNK_MAX_CHARS } from '../../../../src-shared/contract'
import type { JobSnapshot, UsageImportSummary } from '../../../../src-shared/domain'
import { asAppError } from '../../api/invoke'
import { refreshAfter, useMutation } from '../../api/query'
import { notifyError } from '../../lib/notify'
import { readText } from '../../lib/read-file'
import { ImportHistory } from './ImportHistory'
import { ImportSummary } from './ImportSummary'

/** Parts a little under the channel's limit. */
const PART_CHARS = Math.floor(USAGE_CHUNK_MAX_CHARS * 0.9)
const POLL_MS = 250

type Stage =
  | { kind: 'choose' }
  | { kind: 'uploading'; sent: number; total: number }
  | { kind: 'importing'; job: JobSnapshot<UsageImportSummary>; cancelling: boolean }
  | { kind: 'done'; summary: UsageImportSummary }

const n = (x: number) => x.toLocaleString('en-US')

function etaText(seconds: number | null): string {
  if (seconds === null) return 'estimating…'
  if (seconds < 60) return `about ${Math.max(1, seconds)} s left`
  return `about ${Math.ceil(seconds / 60)} min left`
}

/**
 * "Import usage file" on the Usage page: the file goes to the main process in parts, then a job
 * imports it in batches while this polls its progress (records/s, an estimate, Cancel), and ends
 * with the summary. The window stays usable throughout: the work is not on the UI thread.
 */
export function ImportUsagePanel() {
  const [opened, setOpened] = useState(false)
  // `?import=N` (an audit entry's link): the stored summary of import N, in the same window.
  const [params, setParams] = useSearchParams()
  const importId = Number(params.get('import')) || null
  const close = () => {
    setOpened(false)
    if (importId !== null) {
      const next = new URLSearchParams(params)
      next.delete('import')
      setParams(next, { replace: true })
    }
  }
  return (
    <>
      <Group justify="flex-end" mb="sm">
        <Button onClick={() => setOpened(true)} data-testid="usage-import-open">
          Import usage file
        </Button>
      </Group>
      <ImportUsageModal opened={opened || importId !== null} importId={importId} onClose={close} />
    </>
  )
}

export function ImportUsageModal(props: { opened: boolean; onClose: () => void; importId?: number | null }) {
  const [file, setFile] = useState<File | null>(null)
  const [stage, setStage] = useState<Stage>({ kind: 'choose' })
  const [error, setError] = useState<string | null>(null)
  const begin = useMutation('usageImport.begin')
  const chunk = useMutation('usageImport.chunk')
  const start = useMutation('usageImport.start')
  const status = useMutation('usageImport.status')
  const cancel = useMutation('usageImport.cancel')
  const stored = useMutation('usageImport.get')
  const statusRef = useRef(status.run)
  statusRef.current = status.run

  const storedRef = useRef(stored.run)
  storedRef.current = stored.run
  useEffect(() => {
    if (!props.opened) return
    setFile(null)
    setStage({ kind: 'choose' })
    setError(null)
    const importId = props.importId ?? null
    if (importId === null) return
    let current = true
    storedRef.current({ importId }).then(
      (summary) => current && setStage({ kind: 'done', summary }),
      (e: unknown) => current && setError(asAppError(e).message)
    )
    return () => {
      current = false
    }
  }, [props.opened, props.importId])

  // Poll the job while it runs; when it ends, show the summary and refresh what the import changed.
  const jobId = stage.kind === 'importing' ? stage.job.id : null
  useEffect(() => {
    if (jobId === null) return
    let stopped = false
    const timer = setInterval(() => {
      statusRef
        .current({ jobId })
        .then((job) => {
          if (stopped) return
          if (job.state === 'running') {
            setStage((s) => (s.kind === 'importing' ? { ...s, job } : s))
            return
          }
          stopped = true
          clearInterval(timer)
          void refreshAfter('usageImport.start')
          if (job.result) setStage({ kind: 'done', summary: job.result })
          else {
            setStage({ kind: 'choose' })
            setError(job.error?.message ?? 'The import stopped without a summary.')
          }
        })
        .catch((e: unknown) => {
          stopped = true
          clearInterval(timer)
          notifyError(e)
        })
    }, POLL_MS)
    return () => {
      stopped = true
      clearInterval(timer)
    }
  }, [jobId])

  async function runImport() {
    if (!file) return
    setError(null)
    try {
      const text = await readText(file)
      if (text.length === 0) {
        setError('The file is empty.')
        return
      }
      setStage({ kind: 'uploading', sent: 0, total: text.length })
      const { uploadId } = await begin.run({ fileName: file.name, totalChars: text.length })
      for (let seq = 0, at = 0; at < text.length; seq++, at += PART_CHARS) {
        await chunk.run({ uploadId, seq, text: text.slice(at, at + PART_CHARS) })
        setStage({ kind: 'uploading', sent: Math.min(text.length, at + PART_CHARS), total: text.length })
      }
      const job = await start.run({ uploadId })
      setStage({ kind: 'importing', job, cancelling: false })
    } catch (e) {
      setStage({ kind: 'choose' })
      setError(asAppError(e).message)
    }
  }

  async function openStored(importId: number) {
    try {
      setStage({ kind: 'done', summary: await stored.run({ importId }) })
    } catch (e) {
      notifyError(e)
    }
  }

  async function stop(job: JobSnapshot<UsageImportSummary>) {
    setStage((s) => (s.kind === 'importing' ? { ...s, cancelling: true } : s))
    try {
      await cancel.run({ jobId: job.id })
    } catch (e) {
      notifyError(e)
    }
  }

  const busy = stage.kind === 'uploading' || stage.kind === 'importing'
  return (
    <Modal
      opened={props.opened}
      onClose={() => !busy && props.onClose()}
      title={<Text fw={700}>Import usage file</Text>}
      size="72rem"
      closeOnClickOutside={!busy}
      closeOnEscape={!busy}
      withCloseButton={!busy}
    >
      {stage.kind === 'choose' && (
        <Stack gap="md">
          <Text size="sm" c="dimmed">
            A CSV file from the switch, one usage record per line after a header line with the columns <Code>switch_record_id</Code>, <Code>account</Code>,{' '}
            <Code>start_time</Code> (with its time zone, e.g. 2026-03-05T10:00:00+02:00), <Code>duration</Code> (whole seconds), <Code>called_number</Code> and{' '}
            <Code>service</Code> (code or name). Each record is rated as it is imported. Records already imported are skipped, so a file can be imported again safely.
          </Text>
          <FileInput
            label="Usage file"
            placeholder="Choose a .csv file"
            accept=".csv,text/csv,text/plain"
            value={file}
            onChange={(f) => {
              setFile(f)
              setError(null)
            }}
            clearable
            error={error}
            w={460}
            maw="100%"
            data-testid="usage-import-file"
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={props.onClose}>
              Close
            </Button>
            <Button onClick={() => void runImport()} disabled={!file} data-testid="usage-import-start">
              Import
            </Button>
          </Group>
          <ImportHistory onOpen={(id) => void openStored(id)} />
        </Stack>
      )}

      {stage.kind === 'uploading' && (
        <Stack gap="xs" role="status">
          <Text size="sm">Sending the file to the billing desk…</Text>
          <Progress value={(100 * stage.sent) / stage.total} aria-label="Sending the file" />
          <Text size="xs" c="dimmed">
            {n(stage.sent)} of {n(stage.total)} characters
          </Text>
        </Stack>
      )}

      {stage.kind === 'importing' && <ImportProgress job={stage.job} cancelling={stage.cancelling} onCancel={() => void stop(stage.job)} />}

      {stage.kind === 'done' && (
        <Stack gap="md">
          <ImportSummary summary={stage.summary} />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setStage({ kind: 'choose' })}>
              Import another file
            </Button>
            <Button onClick={props.onClose} data-testid="usage-import-close">
              Close
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  )
}

function ImportProgress(props: { job: JobSnapshot<UsageImportSummary>; cancelling: boolean; onCancel: () => void }) {
  const p = props.job.progress
  // First the whole file is read and checked (its share read), then the records are written.
  // Until the records' total is known (the job's first moments included) the file is being read.
  const reading = p.preparing !== null || p.total === 0
  const pct = p.preparing ? (100 * p.preparing.done) / Math.max(1, p.preparing.total) : p.total > 0 ? Math.min(100, (100 * p.done) / p.total) : 0
  return (
    <Stack gap="xs" role="status" data-testid="usage-import-progress">
      <Group justify="space-between">
        <Text size="sm" fw={600}>
          {reading ? 'Reading and checking the file…' : 'Importing and rating…'}
        </Text>
        <Text size="sm" c="dimmed" style={{ fontVariantNumeric: 'tabular-nums' }} data-testid="usage-import-count">
          {reading ? `${Math.floor(pct)}% read` : `${n(p.done)} of ${n(p.total)} records`}
        </Text>
      </Group>
      <Progress value={pct} animated={pct === 0} striped={pct === 0} color={reading ? 'gray' : undefined} size="lg" aria-label="Usage import progress" />
      <Group justify="space-between">
        <Text size="xs" c="dimmed" style={{ fontVariantNumeric: 'tabular-nums' }} data-testid="usage-import-rate">
          {p.perSecond > 0 ? `${n(p.perSecond)} records/s · ${etaText(p.etaSeconds)}` : 'Records/s and time left once writing starts'}
        </Text>
        <Button color="red" variant="light" size="xs" onClick={props.onCancel} loading={props.cancelling} data-testid="usage-import-cancel">
          Cancel
        </Button>
      </Group>
      <Text size="xs" c="dimmed">
        {reading
          ? 'Cancel now stops before any record is imported.'
          : 'Cancel stops after the batch in progress: the batches already written stay imported, and importing the file again completes it.'}
      </Text>
    </Stack>
  )
}
