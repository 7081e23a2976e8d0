import './shifts.css'
import { Stack } from '@mantine/core'
import { useCan } from '../app/status'
import { PageHeader } from '../lib/PageHeader'
import { AllShifts } from './AllShifts'
import { MyShift } from './MyShift'

/**
 * Shifts (issue 13 item 3; docs/shifts.md): "My shift" for whoever takes cash (cashiers and
 * administrators), and every operator's shifts with their differences for administrators and
 * auditors.
 */
export function ShiftsPage() {
  const can = useCan()
  return (
    <>
      <PageHeader
        title={can('shifts.current') ? 'My shift' : 'Shifts'}
        description="A shift opens with the float counted per currency; the cash payments and refunds taken on it add up to the cash expected in the drawer, and closing compares it with the cash counted."
      />
      <Stack gap="lg">
        {can('shifts.current') && <MyShift />}
        {can('shifts.list') && <AllShifts />}
      </Stack>
    </>
  )
}
