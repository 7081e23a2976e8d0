import { Alert, Button, Stack, Text } from '@mantine/core'
import type { AppError } from '../../../src-shared/errors'

/** A failed load, shown where the data would have been, with a way to try again. */
export function QueryError(props: { error: AppError; onRetry: () => void; what: string }) {
  return (
    <Alert color="red" variant="light" title={`Could not load ${props.what}`} role="alert">
      <Stack gap="xs" align="flex-start">
        <Text size="sm">{props.error.message}</Text>
        <Button size="xs" variant="default" onClick={props.onRetry}>
          Try again
        </Button>
      </Stack>
    </Alert>
  )
}
