import type { ReactNode } from 'react'
import { Button, Group, Progress, Stack, Text } from '@mantine/core'
import type { JobSnapshot } from '../../../src-shared/domain'

/**
 * A long job's progress (docs/architecture.md "Long work"): "<title>: done of total <unit>, about
 * N s left" with Cancel while it runs, then what ended it; `children` shows the result.
 */
export function JobProgressBar<R>(props: {
  job: JobSnapshot<R>
  title: string
  /** Said when it completed, was cancelled, failed (the error follows). */
  ended: { completed: string; cancelled: string; failed: string }
  onCancel: () => void
  children?: ReactNode
}) {
  const { job } = props
  const pct = job.progress.total > 0 ? (100 * job.progress.done) / job.progress.total : 0
  return (
    <Stack gap="xs" aria-label={`${props.title} progress`}>
      <Group justify="space-between">
        <Text size="sm" fw={600}>
          {job.state === 'running'
            ? `${props.title}: ${job.progress.done.toLocaleString('en-US')} of ${job.progress.total.toLocaleString('en-US')} ${job.progress.unit}${job.progress.etaSeconds !== null ? `, about ${job.progress.etaSeconds} s left` : ''}`
            : job.state === 'completed'
              ? props.ended.completed
              : job.state === 'cancelled'
                ? props.ended.cancelled
                : `${props.ended.failed}: ${job.error?.message ?? ''}`}
        </Text>
        {job.state === 'running' && (
          <Button variant="default" color="red" onClick={props.onCancel}>
            Cancel
          </Button>
        )}
      </Group>
      <Progress value={job.state === 'completed' ? 100 : pct} animated={job.state === 'running'} aria-label="Progress" />
      {props.children}
    </Stack>
  )
}
