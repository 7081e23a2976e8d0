import './shifts.css'
import { Stack } from '@mantine/core'
import { useAppStatus } from '../app/status'
import { PageHeader } from '../lib/PageHeader'
import { AllShifts } from './AllShifts'
import { MyShift } from './MyShift'

/**
 * Shifts (issue 13 item 3; docs/shifts.md): "My shift" for whoever takes cash (cashiers and
 * administrators), and every operator's shifts with their differences for administrators and
 * auditors.
 */
export function ShiftsPage() {
  const { role } = useAppStatus().status.operator
  return (
    <>
      <PageHeader
        title={role === 'auditor' ? 'Shifts' : 'My shift'}
        description="A shift opens with the float counted per currency; the cash payments and refunds taken on it add up to the cash expected in the drawer, and closing compares it with the cash counted."
      />
      <Stack gap="lg">
        {role !== 'auditor' && <MyShift />}
        {role !== 'cashier' && <AllShifts />}
      </Stack>
    </>
  )
}
