import { useEffect, useState } from 'react'
import { Button, Group, Paper, Text, Title } from '@mantine/core'
import { TimeInput } from '@mantine/dates'
import { useMutation, useQuery } from '../api/query'
import { useCan } from '../app/status'
import { notifyError, notifySuccess } from '../lib/notify'
import { formatInstant } from '../pricelists/parts'

/** Settings: the off-peak window a batch re-issue can be scheduled for (issue 11). */
export function OffPeakSection() {
  const canEdit = useCan()('reissue.setOffPeak')
  const q = useQuery('reissue.offPeak', {}, { enabled: canEdit })
  const save = useMutation('reissue.setOffPeak')
  const [start, setStart] = useState('')
  const [end, setEnd] = useState('')
  useEffect(() => {
    if (q.data) {
      setStart(q.data.start)
      setEnd(q.data.end)
    }
  }, [q.data])
  if (!canEdit) return null
  const onSave = async () => {
    try {
      const w = await save.run({ start, end })
      notifySuccess(`Off-peak window set to ${w.start}–${w.end}.`)
    } catch (e) {
      notifyError(e)
    }
  }
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-label="Off-peak window" id="off-peak">
      <Title order={2} size="h4" mb={4}>
        Off-peak window
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        A batch re-issue can be scheduled for this window (local time). It runs when the app is open then, or at its next start.
        {q.data && ` Next window starts ${formatInstant(q.data.nextStart)}.`}
      </Text>
      <Group align="flex-end">
        <TimeInput label="From" value={start} onChange={(e) => setStart(e.currentTarget.value)} w={130} />
        <TimeInput label="To" value={end} onChange={(e) => setEnd(e.currentTarget.value)} w={130} />
        <Button onClick={() => void onSave()} loading={save.running} disabled={!q.data || (start === q.data.start && end === q.data.end)}>
          Save window
        </Button>
      </Group>
    </Paper>
  )
}
