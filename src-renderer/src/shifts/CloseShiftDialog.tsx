import { useEffect, useRef, useState } from 'react'
import { Button, Group, Modal, Stack, Text } from '@mantine/core'
import type { Shift, ShiftDetail } from '../../../src-shared/domain'
import { formatDateTime } from '../../../src-shared/format'
import { formatMoney } from '../../../src-shared/money'
import { differenceText } from '../../../src-shared/shifts'
import { useMutation } from '../api/query'
import { useAppStatus } from '../app/status'
import { useFieldErrors } from '../lib/field-errors'
import { asCounts, CashInputs, type CashTexts, typedMinor } from './cash-inputs'
import { ShiftFigures } from './ShiftFigures'
import { ShiftReportButtons } from './ShiftReportButtons'

/**
 * Close shift: the cash counted per currency (next to what is expected, with the difference as
 * typed); Close stores it, then shows expected vs counted and the difference, and the report. An
 * administrator closes a shift another operator left open the same way (All shifts).
 */
export function CloseShiftDialog(props: { shift: Shift; onClose: () => void; onClosed: (s: ShiftDetail) => void }) {
  const { shift } = props
  const me = useAppStatus().status.operator
  const someoneElses = shift.operatorId !== me.id
  const close = useMutation('shifts.close')
  const [counted, setCounted] = useState<CashTexts>({})
  const [result, setResult] = useState<ShiftDetail | null>(null)
  // The count's boxes are gone once closed: the cursor goes to Done.
  const doneRef = useRef<HTMLButtonElement>(null)
  useEffect(() => {
    if (result) doneRef.current?.focus()
  }, [result])
  const currencies = shift.currencies.map((c) => c.currency)
  const { errors, report, clear } = useFieldErrors(currencies.map((c) => `counted.${c}`))

  async function submit() {
    if (close.running) return
    try {
      const done = await close.run({ shiftId: shift.id, counted: asCounts(currencies, counted) })
      setResult(done)
      props.onClosed(done)
    } catch (e) {
      report(e)
    }
  }

  const describe = (cur: string) => {
    const c = shift.currencies.find((x) => x.currency === cur)!
    const typed = typedMinor(counted[cur], cur)
    const expected = `Expected ${formatMoney(c.expectedMinor, cur)}`
    return typed === null ? expected : `${expected} · difference ${differenceText(typed - c.expectedMinor, cur)}`
  }

  return (
    <Modal opened onClose={props.onClose} title={<Text fw={700}>{result ? `Shift ${shift.id} closed` : `Close shift ${shift.id}`}</Text>} size={880}>
      {result ? (
        <Stack gap="md" data-testid="shift-close-result">
          <Text size="sm">Expected against counted, per currency. The difference is stored with the shift and in the audit log.</Text>
          <ShiftFigures currencies={result.currencies} closed testId="shift-close-figures" />
          <Group justify="space-between">
            <ShiftReportButtons shiftId={result.id} />
            <Button ref={doneRef} onClick={props.onClose}>
              Done
            </Button>
          </Group>
        </Stack>
      ) : (
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault()
            void submit()
          }}
        >
          <Stack gap="md">
            {someoneElses && (
              <Text size="sm" fw={600} data-testid="closing-for">
                <bdi>{shift.operatorName}</bdi> left this shift open (opened {formatDateTime(shift.openedAt)}): you close it, and the audit log names you.
              </Text>
            )}
            <Text size="sm">Count the cash in the drawer, per currency, and enter what you counted (0 if there is none).</Text>
            <CashInputs
              currencies={currencies}
              prefix="counted"
              label={(cur) => `Counted ${cur}`}
              description={describe}
              values={counted}
              onChange={(cur, text) => {
                setCounted((v) => ({ ...v, [cur]: text }))
                clear(`counted.${cur}`)
              }}
              errors={errors}
              autoFocus
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={props.onClose}>
                Cancel
              </Button>
              <Button type="submit" color="red" loading={close.running}>
                Close shift
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  )
}
