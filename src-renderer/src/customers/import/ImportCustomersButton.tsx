import { useState } from 'react'
import { Button } from '@mantine/core'
import { useCan } from '../../app/status'
import { ImportCustomersDialog } from './ImportCustomersDialog'

/** The list toolbar's "Import from CSV", with its preview dialog (administrators only). */
export function ImportCustomersButton() {
  const [open, setOpen] = useState(false)
  if (!useCan()('customers.importCommit')) return null
  return (
    <>
      <Button variant="default" onClick={() => setOpen(true)}>
        Import from CSV
      </Button>
      <ImportCustomersDialog opened={open} onClose={() => setOpen(false)} />
    </>
  )
}
