import { Alert, Anchor, Text } from '@mantine/core'
import { useNavigate } from 'react-router'

/**
 * Where the wizard's operator looks (above the operation types): a cashier without an open shift
 * cannot take cash, and a link opens My shift to open one.
 */
export function NoShiftNotice() {
  const navigate = useNavigate()
  return (
    <Alert color="orange" variant="light" title="No open shift: cash cannot be taken" data-testid="adj-no-shift">
      <Text size="sm">
        Manual payment (cash) and Refund are taken on an open shift.{' '}
        <Anchor component="button" type="button" size="sm" fw={600} onClick={() => void navigate('/shifts', { flushSync: true })}>
          Open a shift
        </Anchor>{' '}
        with the float counted, then come back to this customer. Card operations work without one.
      </Text>
    </Alert>
  )
}
