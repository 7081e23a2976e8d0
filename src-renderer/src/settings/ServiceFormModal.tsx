import { useEffect, useState } from 'react'
import { Alert, Button, Group, Modal, Radio, Stack, Switch, Text, TextInput } from '@mantine/core'
import { SERVICE_KINDS, type Service, type ServiceKind } from '../../../src-shared/domain'
import { SERVICE_KIND_LABEL } from '../../../src-shared/labels'
import { useMutation } from '../api/query'
import { useFieldErrors } from '../lib/field-errors'
import { notifySuccess } from '../lib/notify'

const FIELDS = ['name', 'kind', 'disabled'] as const
type EditableKind = (typeof SERVICE_KINDS)[number]

/** What each kind is for, shown under its choice. */
const KIND_HINT: Record<EditableKind, string> = {
  voice: 'Calls, rated per minute from usage or charged by hand.',
  messaging: 'SMS and other messages.',
  subscription: 'A recurring fee, e.g. a monthly line rental.',
  goods: 'One-off sales at the counter: phone cards, SIM cards, accessories.',
  fees: 'One-off fees: connection, printing, late payment.'
}

/** Create a service, or rename, re-kind, disable or enable one. The engine judges every field. */
export function ServiceFormModal(props: { opened: boolean; service: Service | null; onClose: () => void; onSaved: (s: Service) => void }) {
  const s = props.service
  const [name, setName] = useState('')
  const [kind, setKind] = useState<ServiceKind>('voice')
  const [offered, setOffered] = useState(true)
  const create = useMutation('services.create')
  const update = useMutation('services.update')
  const running = create.running || update.running
  const { errors, report, clear } = useFieldErrors(FIELDS)

  useEffect(() => {
    if (!props.opened) return
    setName(s?.name ?? '')
    setKind(s?.kind ?? 'voice')
    setOffered(!(s?.disabled ?? false))
    clear()
  }, [props.opened, s, clear])

  async function save() {
    clear()
    try {
      // The kind list offers only editable kinds, so `kind` is one of them here.
      const fields = { name, kind: kind as EditableKind }
      const saved = s ? await update.run({ ...fields, id: s.id, disabled: !offered }) : await create.run(fields)
      notifySuccess(
        s ? 'Service saved' : 'Service created',
        `“${saved.name}”${saved.disabled ? ' is disabled: not offered for new charges and credits.' : ' is offered for manual charges and credits.'}`
      )
      props.onSaved(saved)
      props.onClose()
    } catch (e) {
      report(e)
    }
  }

  const title = s ? `Edit service “${s.name}”` : 'New service'
  return (
    <Modal opened={props.opened} onClose={props.onClose} title={<Text fw={700}>{title}</Text>} size="lg" closeOnClickOutside={!running}>
      <form
        onSubmit={(e) => {
          e.preventDefault()
          void save()
        }}
        noValidate
        aria-label={s ? 'Edit service' : 'New service'}
      >
        <Stack gap="md">
          <TextInput
            label="Name"
            withAsterisk
            description="As the wizard offers it and the invoice shows it. Unique, whatever the case."
            value={name}
            onChange={(e) => {
              setName(e.currentTarget.value)
              clear('name')
            }}
            error={errors.name}
            disabled={running}
            data-autofocus
            autoComplete="off"
            name="name"
          />
          <Radio.Group
            label="Kind"
            withAsterisk
            value={kind}
            onChange={(v) => {
              setKind(v as ServiceKind)
              clear('kind')
            }}
            error={errors.kind}
            name="kind"
          >
            <Stack gap="xs" mt={6}>
              {SERVICE_KINDS.map((k) => (
                <Radio key={k} value={k} label={SERVICE_KIND_LABEL[k]} description={KIND_HINT[k]} disabled={running} />
              ))}
            </Stack>
          </Radio.Group>
          {s && (
            <Switch
              label="Offered for new charges and credits"
              description="Switched off, the service is disabled: the wizard no longer offers it, and the records that name it keep it."
              checked={offered}
              onChange={(e) => {
                setOffered(e.currentTarget.checked)
                clear('disabled')
              }}
              error={errors.disabled}
              disabled={running}
              name="disabled"
            />
          )}
          {s && s.disabled === offered && (
            <Alert variant="light" color={offered ? 'teal' : 'orange'} data-testid="service-status-change">
              {offered
                ? 'Saving enables the service: the wizard offers it again.'
                : 'Saving disables the service: the wizard stops offering it. Existing records keep it.'}
            </Alert>
          )}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={props.onClose} disabled={running}>
              Cancel
            </Button>
            <Button type="submit" loading={running}>
              {s ? 'Save service' : 'Create service'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  )
}
