import { useState } from 'react'
import { Button, Stack, TextInput } from '@mantine/core'
import type { RestoreSource } from './backups'

/** Restore from a database or backup file anywhere on disk, by its path. */
export function RestoreFromFile(props: {
  onRestore: (source: RestoreSource) => void
  disabled?: boolean
  /** The main process's complaint about the path, shown under the input. */
  error?: string | null
  onEdit?: () => void
}) {
  const [path, setPath] = useState('')
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault()
        props.onRestore({ kind: 'file', path: path.trim() })
      }}
      noValidate
    >
      <Stack gap="xs" align="flex-start">
        <TextInput
          label="Restore from a file"
          description="Full path of a backup file, e.g. one copied from a USB stick."
          placeholder="/media/usb/billing-2026-11-20.sqlite"
          value={path}
          onChange={(e) => {
            setPath(e.currentTarget.value)
            props.onEdit?.()
          }}
          error={props.error ?? undefined}
          w="100%"
          disabled={props.disabled}
          name="restorePath"
        />
        <Button type="submit" variant="default" disabled={props.disabled || path.trim() === ''}>
          Restore from file…
        </Button>
      </Stack>
    </form>
  )
}
