import { useState } from 'react'
import { Button, Divider, Group, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core'
import { DateInput } from '@mantine/dates'
import type { CustomFieldDefinition } from '../../../../../src-shared/domain'
import { useMutation } from '../../../api/query'
import { useFieldErrors } from '../../../lib/field-errors'
import { notifySuccess } from '../../../lib/notify'
import type { FormBinding } from '../CustomerForm'

const KIND_LABEL: Record<CustomFieldDefinition['kind'], string> = { text: 'Text', number: 'Number', date: 'Date' }
const NEW_FIELD_ERRORS = ['name', 'kind'] as const

/** Custom fields: values for the fields an administrator defined, and defining a new one. */
export function CustomFieldsTab(props: {
  form: FormBinding
  fields: readonly CustomFieldDefinition[]
  onFieldCreated: (f: CustomFieldDefinition) => void
  canDefine: boolean
}) {
  const { values, setCustomField, errors, disabled, fieldId } = props.form
  const [name, setName] = useState('')
  const [kind, setKind] = useState<CustomFieldDefinition['kind']>('text')
  const create = useMutation('customFields.create')
  const newField = useFieldErrors(NEW_FIELD_ERRORS)

  async function define() {
    newField.clear()
    try {
      const f = await create.run({ name, kind })
      notifySuccess('Custom field defined', `“${f.name}” (${KIND_LABEL[f.kind].toLowerCase()}) is now on every customer.`)
      setName('')
      props.onFieldCreated(f)
    } catch (err) {
      newField.report(err)
    }
  }

  return (
    <Stack gap="md" maw={900}>
      {props.fields.length === 0 ? (
        <Text c="dimmed" size="sm">
          No custom fields are defined yet.
        </Text>
      ) : (
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md" verticalSpacing="sm">
          {props.fields.map((f) => {
            const key = `customFields.${f.id}`
            const common = {
              id: fieldId(key),
              label: f.name,
              error: errors[key],
              disabled,
              name: key
            }
            const value = values.customFields[f.id] ?? ''
            if (f.kind === 'date') {
              return (
                <DateInput
                  key={f.id}
                  {...common}
                  description="A date, e.g. 2026-11-30."
                  valueFormat="YYYY-MM-DD"
                  placeholder="YYYY-MM-DD"
                  clearable
                  value={value === '' ? null : value}
                  onChange={(v) => setCustomField(f.id, v ?? '')}
                />
              )
            }
            return (
              <TextInput
                key={f.id}
                {...common}
                description={f.kind === 'number' ? 'A number, e.g. 12 or 3.5.' : undefined}
                inputMode={f.kind === 'number' ? 'decimal' : 'text'}
                value={value}
                onChange={(e) => setCustomField(f.id, e.currentTarget.value)}
                autoComplete="off"
              />
            )
          })}
        </SimpleGrid>
      )}

      {props.canDefine && (
        <>
          <Divider label="Define a new field (administrator)" labelPosition="left" />
          <div role="group" aria-label="Define a custom field">
            <Group align="flex-start" gap="sm">
              <TextInput
                label="Field name"
                description="Shown on every customer's Custom fields tab."
                value={name}
                onChange={(e) => {
                  setName(e.currentTarget.value)
                  newField.clear('name')
                }}
                onKeyDown={(e) => {
                  if (e.key === 'Enter') {
                    e.preventDefault()
                    void define()
                  }
                }}
                error={newField.errors.name}
                disabled={create.running}
                autoComplete="off"
                w={280}
              />
              <Select
                label="Kind"
                description="What the value holds."
                data={Object.entries(KIND_LABEL).map(([value, label]) => ({ value, label }))}
                value={kind}
                onChange={(v) => setKind(v === 'number' || v === 'date' ? v : 'text')}
                allowDeselect={false}
                error={newField.errors.kind}
                disabled={create.running}
                w={160}
              />
              <Button type="button" variant="light" mt={46} onClick={() => void define()} loading={create.running}>
                Add field
              </Button>
            </Group>
          </div>
        </>
      )}
    </Stack>
  )
}
