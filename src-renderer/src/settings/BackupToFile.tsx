import { useState } from 'react'
import { Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core'
import { asAppError } from '../api/invoke'
import { useMutation } from '../api/query'
import { notifyError, notifySuccess } from '../lib/notify'

/**
 * A manual backup to a file the administrator names (a USB stick, a network share). The main
 * process refuses paths inside the data folder, folders and pipes; an existing file is replaced
 * only after the administrator said so here.
 */
export function BackupToFile(props: { disabled?: boolean; onRunning?: (running: boolean) => void }) {
  const create = useMutation('backup.create')
  const [path, setPath] = useState('')
  const [error, setError] = useState<string | null>(null)
  /** The file that already exists, waiting for "Replace it?". */
  const [existing, setExisting] = useState<string | null>(null)

  async function backUp(target: string, overwrite: boolean) {
    setError(null)
    props.onRunning?.(true)
    try {
      const made = await create.run({ path: target, overwrite })
      setExisting(null)
      notifySuccess('Backup made', `The data was saved to ${made.fileName}.`)
    } catch (e) {
      const err = asAppError(e)
      if (err.code === 'CONFLICT' && err.field === 'path' && !overwrite) setExisting(target)
      else {
        setExisting(null)
        if (err.field === 'path') setError(err.message)
        else notifyError(err)
      }
    } finally {
      props.onRunning?.(false)
    }
  }

  return (
    <>
      <form
        onSubmit={(e) => {
          e.preventDefault()
          void backUp(path.trim(), false)
        }}
        noValidate
      >
        <Stack gap="xs" align="flex-start">
          <TextInput
            label="Back up to a file"
            description="Full path of the file to write, outside the data folder, e.g. on a USB stick."
            placeholder="/media/usb/billing-backup.sqlite"
            value={path}
            onChange={(e) => {
              setPath(e.currentTarget.value)
              setError(null)
            }}
            error={error ?? undefined}
            w="100%"
            disabled={props.disabled}
            name="backupPath"
          />
          <Button type="submit" variant="default" disabled={props.disabled || path.trim() === ''} loading={create.running && existing === null}>
            Back up to file
          </Button>
        </Stack>
      </form>
      <Modal opened={existing !== null} onClose={() => (create.running ? undefined : setExisting(null))} title="Replace the existing file?" centered>
        {existing && (
          <Stack>
            <Text size="sm">
              <b style={{ wordBreak: 'break-all' }}>{existing}</b> already exists. Replacing it loses what is in it now.
            </Text>
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setExisting(null)} disabled={create.running}>
                Cancel
              </Button>
              <Button color="red" onClick={() => void backUp(existing, true)} loading={create.running}>
                Replace
              </Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </>
  )
}
