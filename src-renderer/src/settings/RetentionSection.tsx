import { useEffect, useState } from 'react'
import { Alert, Button, Group, Modal, NumberInput, Paper, Stack, Table, Text, Title } from '@mantine/core'
import type { UsagePurgePreview } from '../../../src-shared/domain'
import { formatMinor } from '../../../src-shared/money'
import { useMutation, useQuery } from '../api/query'
import { useCan } from '../app/status'
import { notifyError, notifySuccess } from '../lib/notify'
import { plural } from '../classes/describe'
import { QueryError } from '../lib/QueryError'

const day = (iso: string) => iso.slice(0, 10)

/**
 * Usage retention: how many months usage records are kept, and the purge of older ones —
 * previewed, then confirmed. Purged records are replaced by one summary per customer, month and
 * service, so balances do not move; that usage can no longer be re-rated or recalculated.
 */
export function RetentionSection() {
  const canEdit = useCan()('usage.setRetention')
  const q = useQuery('usage.retention', {})
  const save = useMutation('usage.setRetention')
  const previewCall = useMutation('usage.retentionPreview')
  const purge = useMutation('usage.purge')
  const [months, setMonths] = useState<number | string>('')
  const [monthsError, setMonthsError] = useState<string | null>(null)
  const [preview, setPreview] = useState<UsagePurgePreview | null>(null)
  const current = q.data

  useEffect(() => {
    if (current) setMonths(current.months)
  }, [current])

  const onSave = async () => {
    setMonthsError(null)
    try {
      await save.run({ months: typeof months === 'number' ? months : Number.NaN })
      notifySuccess('Retention saved')
    } catch (e) {
      const err = e as { field?: string; message?: string }
      if (err.field === 'months') setMonthsError(err.message ?? 'Enter a whole number.')
      else notifyError(e)
    }
  }

  const onPreview = async () => {
    try {
      setPreview(await previewCall.run({}))
    } catch (e) {
      notifyError(e)
    }
  }

  const onPurge = async () => {
    if (!preview) return
    try {
      const r = await purge.run({ cutoff: preview.cutoff })
      setPreview(null)
      notifySuccess('Usage purged', `${plural(r.recordsPurged, 'record')} before ${day(r.cutoff)} replaced by ${plural(r.summariesWritten, 'summary', 'summaries')}.`)
    } catch (e) {
      notifyError(e)
    }
  }

  return (
    <Paper withBorder p="lg" radius="md" id="retention" aria-labelledby="retention-title">
      <Title order={2} size="h4" id="retention-title">
        Usage retention
      </Title>
      <Text size="sm" c="dimmed" maw={760} mb="sm">
        Usage records are kept for this many whole months before the current one. Purging older usage is done here, after a preview: the records are replaced by one
        summary per customer, month and service (balances do not change), and that usage can no longer be re-rated nor its invoices recalculated.
      </Text>
      {q.error && !q.data ? (
        <QueryError error={q.error} onRetry={q.reload} what="the retention setting" />
      ) : (
        <Stack gap="sm">
          <Group align="flex-end">
            <NumberInput
              label="Keep usage for (months)"
              min={1}
              max={120}
              allowDecimal={false}
              w={200}
              value={months}
              onChange={setMonths}
              error={monthsError}
              disabled={!canEdit}
            />
            <Button variant="default" onClick={() => void onSave()} loading={save.running} disabled={!canEdit || months === current?.months}>
              Save retention
            </Button>
            <Button onClick={() => void onPreview()} loading={previewCall.running} disabled={!canEdit}>
              Preview purge
            </Button>
          </Group>
          {current && (
            <Text size="sm">
              Usage before <b>{day(current.cutoff)}</b> is older than kept.{' '}
              {current.purgedBefore ? `Usage before ${day(current.purgedBefore)} has been purged.` : 'No usage has been purged yet.'}
            </Text>
          )}
        </Stack>
      )}
      <Modal opened={preview !== null} onClose={() => setPreview(null)} title="Purge old usage" size="lg">
        {preview && (
          <Stack gap="sm">
            {preview.records === 0 ? (
              <Text>No usage record started before {day(preview.cutoff)}: nothing to purge.</Text>
            ) : (
              <>
                <Alert color="orange">
                  {plural(preview.records, 'usage record')} of {plural(preview.customers, 'customer')} started before {day(preview.cutoff)}. They will be replaced by{' '}
                  {preview.summaries.toLocaleString('en-US')} summary records; this cannot be undone.
                  {preview.unassignedRecords > 0 &&
                    ` ${preview.unassignedRecords.toLocaleString('en-US')} unrated records of unknown accounts charged nothing and are removed.`}
                </Alert>
                <Table tabularNums verticalSpacing={4} aria-label="Usage to purge">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>Customer</Table.Th>
                      <Table.Th>Month</Table.Th>
                      <Table.Th className="num-head">Records</Table.Th>
                      <Table.Th className="num-head">Amount</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {preview.months.slice(0, 50).map((m) => (
                      <Table.Tr key={`${m.customerId}-${m.month}`}>
                        <Table.Td>{m.customerName}</Table.Td>
                        <Table.Td>{m.month}</Table.Td>
                        <Table.Td className="num">{m.records}</Table.Td>
                        <Table.Td className="num">
                          {formatMinor(m.amountMinor, m.currency)} {m.currency}
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
                {preview.months.length > 50 && (
                  <Text size="sm" c="dimmed">
                    The first 50 customer months are shown.
                  </Text>
                )}
              </>
            )}
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setPreview(null)}>
                Close
              </Button>
              {preview.records > 0 && (
                <Button color="red" onClick={() => void onPurge()} loading={purge.running}>
                  Purge usage before {day(preview.cutoff)}
                </Button>
              )}
            </Group>
          </Stack>
        )}
      </Modal>
    </Paper>
  )
}
