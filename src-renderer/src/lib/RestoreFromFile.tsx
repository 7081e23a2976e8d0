import { useState } from 'react'
import { Button, Group, TextInput } from '@mantine/core'
import type { RestoreSource } from './backups'

/** Restore from a database or backup file anywhere on disk, by its path. */
export function RestoreFromFile(props: { onRestore: (source: RestoreSource) => void; disabled?: boolean }) {
  const [path, setPath] = useState('')
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault()
        props.onRestore({ kind: 'file', path: path.trim() })
      }}
      noValidate
    >
      <Group align="flex-end" wrap="nowrap">
        <TextInput
          label="Restore from a file"
          description="Full path of a backup file, e.g. one copied from a USB stick."
          placeholder="/media/usb/billing-2026-11-20.sqlite"
          value={path}
          onChange={(e) => setPath(e.currentTarget.value)}
          style={{ flex: 1 }}
          disabled={props.disabled}
          name="restorePath"
        />
        <Button type="submit" variant="default" disabled={props.disabled || path.trim() === ''}>
          Restore from file…
        </Button>
      </Group>
    </form>
  )
}
