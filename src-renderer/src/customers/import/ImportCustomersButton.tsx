import { useState } from 'react'
import { Button } from '@mantine/core'
import { useAppStatus } from '../../app/status'
import { ImportCustomersDialog } from './ImportCustomersDialog'

/** The list toolbar's "Import from CSV", with its preview dialog (administrators only). */
export function ImportCustomersButton() {
  const { status } = useAppStatus()
  const [open, setOpen] = useState(false)
  if (status.operator.role !== 'administrator') return null
  return (
    <>
      <Button variant="default" onClick={() => setOpen(true)}>
        Import from CSV
      </Button>
      <ImportCustomersDialog opened={open} onClose={() => setOpen(false)} />
    </>
  )
}
