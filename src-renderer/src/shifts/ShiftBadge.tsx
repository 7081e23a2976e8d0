import { Button } from '@mantine/core'
import { useNavigate } from 'react-router'
import { formatDateTime } from '../../../src-shared/format'
import { useQuery } from '../api/query'
import { useCan } from '../app/status'

/**
 * The header's shift: "Shift 3 open" (since when) or "No open shift" — orange for a cashier, who
 * cannot take cash without one. A click opens My shift. Auditors have no shift.
 */
export function ShiftBadge() {
  const enabled = useCan()('shifts.current')
  const q = useQuery('shifts.current', {}, { enabled })
  const navigate = useNavigate()
  if (!enabled || !q.data) return null
  const s = q.data.shift
  return (
    <Button
      size="compact-sm"
      variant="light"
      color={s ? 'teal' : q.data.cashNeedsShift ? 'orange' : 'gray'}
      onClick={() => void navigate('/shifts', { flushSync: true })}
      title={s ? `Opened ${formatDateTime(s.openedAt)}` : 'Open a shift to take cash on it'}
      data-testid="header-shift"
      visibleFrom="sm"
    >
      {s ? `Shift ${s.id} open` : 'No open shift'}
    </Button>
  )
}
