import { Button } from '@mantine/core'

/** Import customers from a CSV file (being built). */
export function ImportCustomersButton() {
  return (
    <Button variant="default" disabled>
      Import from CSV
    </Button>
  )
}
