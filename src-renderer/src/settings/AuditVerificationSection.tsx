import { Alert, Button, Group, Paper, Stack, Text, Title } from '@mantine/core'
import { formatDateTime } from '../../../src-shared/format'
import { useQuery } from '../api/query'
import { pagePath } from '../app/nav'
import { QueryError } from '../lib/QueryError'

/**
 * When the audit log's hash chain was last verified (the Audit log page's "Verify chain" or
 * `npm run billing -- verify-audit`), by whom, and what was found.
 */
export function AuditVerificationSection() {
  const q = useQuery('audit.lastVerification', {})
  const last = q.data?.last
  return (
    <Paper withBorder radius="md" p="md" data-testid="audit-verification">
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start">
          <div>
            <Title order={2} size="h4">
              Audit log verification
            </Title>
            <Text size="sm" c="dimmed">
              Each audit entry carries a hash of the one before it; verifying walks the whole chain and names the first entry edited, deleted or reordered behind the
              app's back.
            </Text>
          </div>
          <Button component="a" href={`#${pagePath('audit')}`} variant="default">
            Open the audit log
          </Button>
        </Group>
        {q.error && !q.data ? (
          <QueryError error={q.error} onRetry={q.reload} what="the last verification" />
        ) : last === undefined ? null : last === null ? (
          <Text size="sm">The audit log has not been verified yet. Use Verify chain on the Audit log page, or `npm run billing -- verify-audit --data-dir DIR`.</Text>
        ) : (
          <Alert color={last.ok ? 'teal' : 'red'} variant="light" title={last.ok ? 'Intact when last verified' : 'Broken when last verified'}>
            <Text size="sm">
              Last verified {formatDateTime(last.at)} by {last.operatorName} {last.via === 'app' ? 'in the app' : 'from the command line'}: {last.message}
            </Text>
          </Alert>
        )}
      </Stack>
    </Paper>
  )
}
