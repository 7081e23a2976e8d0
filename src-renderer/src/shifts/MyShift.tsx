import { useState } from 'react'
import { Alert, Button, Group, Paper, Stack, Table, Text, Title } from '@mantine/core'
import type { CurrentShift, ShiftDetail } from '../../../src-shared/domain'
import { formatAmount, formatDateTime } from '../../../src-shared/format'
import { differenceText } from '../../../src-shared/shifts'
import { useMutation, useQuery } from '../api/query'
import { useFieldErrors } from '../lib/field-errors'
import { QueryError } from '../lib/QueryError'
import { asCounts, CashInputs, type CashTexts } from './cash-inputs'
import { ShiftFigures } from './ShiftFigures'
import { ShiftReportButtons } from './ShiftReportButtons'
import { CloseShiftDialog } from './CloseShiftDialog'

/** Movements shown on the page; the report lists them all. */
const SHOWN_MOVEMENTS = 8

/**
 * "My shift": the calling operator's shift. None open: count the float per currency and open one.
 * Open: the expected cash per currency now (float + cash in − cash out), the cash movements, an
 * interim report, and Close shift (count the drawer; expected vs counted and the difference).
 */
export function MyShift() {
  const currentQ = useQuery('shifts.current', {})
  const [lastClosed, setLastClosed] = useState<ShiftDetail | null>(null)
  // The shift being closed: the dialog stays (with its result) after the shift is no longer current.
  const [closing, setClosing] = useState<ShiftDetail | null>(null)
  const data = currentQ.data
  if (!data) {
    return currentQ.error ? <QueryError error={currentQ.error} what="your shift" onRetry={currentQ.reload} /> : null
  }
  return (
    <Stack gap="md">
      {lastClosed && data.shift === null && <ClosedCard shift={lastClosed} />}
      {data.shift ? <OpenShift shift={data.shift} onClose={() => setClosing(data.shift)} /> : <OpenShiftForm current={data} autoFocus={closing === null} />}
      {closing && <CloseShiftDialog shift={closing} onClose={() => setClosing(null)} onClosed={setLastClosed} />}
    </Stack>
  )
}

function OpenShiftForm({ current, autoFocus }: { current: CurrentShift; autoFocus: boolean }) {
  const open = useMutation('shifts.open')
  const [floats, setFloats] = useState<CashTexts>({})
  const { errors, report, clear } = useFieldErrors(current.currencies.map((c) => `float.${c}`))

  async function submit() {
    if (open.running) return
    // The currencies counted; none at all: the first one is asked for.
    const counted = asCounts(current.currencies, floats).filter((f) => f.amount !== '')
    try {
      await open.run({ floats: counted.length > 0 ? counted : asCounts(current.currencies.slice(0, 1), floats) })
      setFloats({})
      clear()
    } catch (e) {
      report(e)
    }
  }

  return (
    <Paper withBorder radius="md" p="lg" data-testid="shift-open-form">
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault()
          void submit()
        }}
      >
        <Stack gap="sm">
          <Title order={2} size="h4">
            Open a shift
          </Title>
          <Text size="sm" c="dimmed" maw={720}>
            {current.cashNeedsShift
              ? 'You have no open shift, so you cannot take cash yet. Count the float in the drawer per currency (leave a currency empty if you keep none) and open your shift.'
              : 'You have no open shift. Cash you take now is recorded on no shift; open one to have the drawer counted against what you take.'}
          </Text>
          <CashInputs
            currencies={current.currencies}
            prefix="float"
            label={(cur) => `Float ${cur}`}
            values={floats}
            onChange={(cur, text) => {
              setFloats((f) => ({ ...f, [cur]: text }))
              clear(`float.${cur}`)
            }}
            errors={errors}
            autoFocus={autoFocus}
          />
          <Group>
            <Button type="submit" loading={open.running}>
              Open shift
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  )
}

function OpenShift({ shift, onClose }: { shift: ShiftDetail; onClose: () => void }) {
  const recent = shift.movements.slice(-SHOWN_MOVEMENTS).reverse()
  return (
    <Paper withBorder radius="md" p="lg" data-testid="shift-open">
      <Stack gap="md">
        <Group justify="space-between" align="flex-start">
          <div>
            <Title order={2} size="h4">
              Shift {shift.id} — open
            </Title>
            <Text size="sm" c="dimmed">
              {shift.operatorName} · opened {formatDateTime(shift.openedAt)} · {shift.payments} cash {shift.payments === 1 ? 'payment' : 'payments'}, {shift.refunds}{' '}
              {shift.refunds === 1 ? 'refund' : 'refunds'}
            </Text>
          </div>
          <Group gap="sm">
            <ShiftReportButtons shiftId={shift.id} interim />
            <Button color="red" variant="filled" onClick={onClose}>
              Close shift…
            </Button>
          </Group>
        </Group>
        <ShiftFigures currencies={shift.currencies} closed={false} expectedLabel="Expected now" testId="shift-figures" />
        <div>
          <Text fw={600} size="sm" mb={4}>
            Cash movements {shift.movements.length > SHOWN_MOVEMENTS ? `(latest ${SHOWN_MOVEMENTS} of ${shift.movements.length})` : ''}
          </Text>
          {recent.length === 0 ? (
            <Text size="sm" c="dimmed">
              No cash taken on this shift yet.
            </Text>
          ) : (
            <Table verticalSpacing={3} w="auto" className="shift-table" data-testid="shift-movements">
              <Table.Tbody>
                {recent.map((m) => (
                  <Table.Tr key={m.xdrId}>
                    <Table.Td>{formatDateTime(m.at)}</Table.Td>
                    <Table.Td>{m.label}</Table.Td>
                    <Table.Td>
                      <bdi>{m.customerName}</bdi>{' '}
                      <Text span c="dimmed" size="xs">
                        xDR id {m.xdrId}
                      </Text>
                    </Table.Td>
                    <Table.Td ta="right" c={m.amountMinor < 0 ? 'red' : undefined}>
                      {formatAmount(m.amountMinor, m.currency, { withCode: true })}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </div>
      </Stack>
    </Paper>
  )
}

/** The shift just closed: its figures and its report, until another one opens. */
function ClosedCard({ shift }: { shift: ShiftDetail }) {
  const off = shift.currencies.filter((c) => (c.differenceMinor ?? 0) !== 0)
  return (
    <Alert
      color={off.length > 0 ? 'orange' : 'teal'}
      variant="light"
      title={`Shift ${shift.id} closed ${off.length > 0 ? 'with a difference' : 'balanced'}`}
      data-testid="shift-closed"
    >
      <Stack gap="sm">
        <Text size="sm">
          {off.length > 0
            ? off.map((c) => `${c.currency}: ${differenceText(c.differenceMinor ?? 0, c.currency)}`).join('; ')
            : 'The cash counted is what was expected in every currency.'}
        </Text>
        <ShiftReportButtons shiftId={shift.id} />
      </Stack>
    </Alert>
  )
}
