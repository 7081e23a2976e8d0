import { useState } from 'react'
import { Button, Group, Modal, Select, Stack, TextInput } from '@mantine/core'
import { CURRENCY_CODES } from '../../../src-shared/money'
import type { AppError } from '../../../src-shared/errors'
import { useMutation } from '../api/query'
import { useAppStatus } from '../app/status'
import { notifySuccess } from '../lib/notify'

/** A new, empty price list: its name and the currency its prices are in. */
export function CreatePriceListModal(props: { opened: boolean; onClose: () => void; onCreated: (id: number) => void }) {
  const { status } = useAppStatus()
  const create = useMutation('priceLists.create')
  const [name, setName] = useState('')
  const [currency, setCurrency] = useState<string | null>(status.settings?.defaultCurrency ?? 'USD')
  const [error, setError] = useState<AppError | null>(null)
  const errorOf = (field: string) => (error && error.field === field ? error.message : undefined)

  const close = () => {
    setName('')
    setError(null)
    props.onClose()
  }
  const submit = async () => {
    try {
      const list = await create.run({ name, currency: currency ?? '' })
      notifySuccess('Price list created', `${list.name} (${list.currency})`)
      props.onCreated(list.id)
      close()
    } catch (e) {
      setError(e as AppError)
    }
  }

  return (
    <Modal opened={props.opened} onClose={close} title="New price list">
      <form
        onSubmit={(e) => {
          e.preventDefault()
          void submit()
        }}
      >
        <Stack>
          <TextInput label="Name" value={name} onChange={(e) => setName(e.currentTarget.value)} error={errorOf('name')} data-autofocus required />
          <Select label="Currency" data={CURRENCY_CODES} value={currency} onChange={setCurrency} searchable error={errorOf('currency')} allowDeselect={false} />
          {error && !error.field && <div role="alert">{error.message}</div>}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" loading={create.running}>
              Create
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  )
}
