import { Alert, Button, Group, Text } from '@mantine/core'
import { Link } from 'react-router'

/** The wizard's result after a charge or credit flagged for the out-of-turn invoice: the way on to it. */
export function OutOfTurnNext({ customerId }: { customerId: number }) {
  return (
    <Alert variant="light" color="blue" data-testid="adj-result-out-of-turn">
      <Group justify="space-between" gap="sm">
        <Text size="sm">This item waits for an out-of-turn invoice; it will not go on the regular invoice.</Text>
        <Button size="xs" component={Link} to={`/out-of-turn/${customerId}`}>
          Issue the out-of-turn invoice
        </Button>
      </Group>
    </Alert>
  )
}
