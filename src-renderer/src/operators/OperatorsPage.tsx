import { useState } from 'react'
import { Badge, Box, Button, Group, LoadingOverlay, Modal, Paper, PasswordInput, Select, Stack, Table, Text, TextInput } from '@mantine/core'
import { useForm } from '@mantine/form'
import { contract, type InputOf } from '../../../src-shared/contract'
import type { OperatorRow, Role } from '../../../src-shared/domain'
import { useMutation, useQuery } from '../api/query'
import { useAppStatus } from '../app/status'
import { contractValidate, reportToForm } from '../lib/contract-form'
import { ModalActions } from '../lib/ModalActions'
import { notifyError, notifySuccess } from '../lib/notify'
import { PageHeader } from '../lib/PageHeader'
import { QueryError } from '../lib/QueryError'

export const ROLE_LABELS: Record<Role, string> = { administrator: 'Administrator', cashier: 'Cashier', auditor: 'Auditor' }
const ROLE_OPTIONS = (Object.keys(ROLE_LABELS) as Role[]).map((r) => ({ value: r, label: ROLE_LABELS[r] }))

type NewValues = { login: string; name: string; role: Role; password: string }
const validateNew = contractValidate(contract['operators.create'].input, (v: NewValues) => v)

function AddOperatorModal(props: { onClose: () => void }) {
  const create = useMutation('operators.create')
  const form = useForm<NewValues>({ initialValues: { login: '', name: '', role: 'cashier', password: '' }, validate: validateNew })
  async function submit(v: NewValues) {
    try {
      const op = await create.run(v as InputOf<'operators.create'>)
      notifySuccess('Operator added', `${op.name} logs in as ${op.login}.`)
      props.onClose()
    } catch (e) {
      reportToForm(form, e)
    }
  }
  return (
    <Modal opened onClose={props.onClose} title="Add an operator">
      <form onSubmit={form.onSubmit((v) => void submit(v))} noValidate>
        <Stack gap="sm">
          <TextInput label="Login" withAsterisk autoFocus autoComplete="off" {...form.getInputProps('login')} name="login" />
          <TextInput label="Name" description="Shown in the header and in the audit log." withAsterisk {...form.getInputProps('name')} name="name" />
          <Select label="Role" data={ROLE_OPTIONS} allowDeselect={false} {...form.getInputProps('role')} name="role" />
          <PasswordInput
            label="First password"
            description="At least 8 characters; tell it to the operator."
            withAsterisk
            autoComplete="new-password"
            {...form.getInputProps('password')}
            name="password"
          />
          <ModalActions onCancel={props.onClose} running={create.running} submitLabel="Add operator" />
        </Stack>
      </form>
    </Modal>
  )
}

const validateReset = contractValidate(contract['operators.resetPassword'].input, (v: { id: number; password: string }) => v)

function ResetPasswordModal(props: { operator: OperatorRow; onClose: () => void }) {
  const reset = useMutation('operators.resetPassword')
  const form = useForm({ initialValues: { id: props.operator.id, password: '' }, validate: validateReset })
  async function submit(v: { id: number; password: string }) {
    try {
      await reset.run(v)
      notifySuccess('Password reset', `${props.operator.name} is logged out and logs in with the new password.`)
      props.onClose()
    } catch (e) {
      reportToForm(form, e)
    }
  }
  return (
    <Modal opened onClose={props.onClose} title={`Reset the password of ${props.operator.name}`}>
      <form onSubmit={form.onSubmit((v) => void submit(v))} noValidate>
        <Stack gap="sm">
          <Text size="sm" c="dimmed">
            Also unlocks the operator if wrong passwords locked them.
          </Text>
          <PasswordInput label="New password" withAsterisk autoFocus autoComplete="new-password" {...form.getInputProps('password')} name="password" />
          <ModalActions onCancel={props.onClose} running={reset.running} submitLabel="Reset password" />
        </Stack>
      </form>
    </Modal>
  )
}

/** Operators (administrators only): who may log in, with which role. */
export function OperatorsPage() {
  const me = useAppStatus().status.operator
  const q = useQuery('operators.list', {})
  const disable = useMutation('operators.disable')
  const enable = useMutation('operators.enable')
  const [adding, setAdding] = useState(false)
  const [resetting, setResetting] = useState<OperatorRow | null>(null)

  async function toggle(op: OperatorRow) {
    try {
      if (op.disabled) await enable.run({ id: op.id })
      else await disable.run({ id: op.id })
      notifySuccess(
        op.disabled ? 'Operator re-enabled' : 'Operator disabled',
        op.disabled ? `${op.name} can log in again.` : `${op.name} is logged out and cannot log in.`
      )
    } catch (e) {
      notifyError(e)
    }
  }

  return (
    <>
      <PageHeader
        title="Operators"
        description="Everyone who uses the desk logs in as an operator. Administrators can do everything; cashiers find customers, take payments and print; auditors read everything and change nothing."
        actions={<Button onClick={() => setAdding(true)}>Add operator</Button>}
      />
      {q.error && !q.data ? (
        <QueryError error={q.error} onRetry={q.reload} what="operators" />
      ) : (
        <Paper withBorder radius="md" pos="relative">
          <LoadingOverlay visible={q.loading && !q.data} zIndex={1} overlayProps={{ blur: 1 }} />
          <Table highlightOnHover verticalSpacing="xs" aria-label="Operators">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Login</Table.Th>
                <Table.Th>Role</Table.Th>
                <Table.Th>State</Table.Th>
                <Table.Th aria-label="Actions" />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(q.data ?? []).map((op) => (
                <Table.Tr key={op.id} data-testid={`operator-${op.login}`}>
                  <Table.Td>
                    {op.name}
                    {op.id === me.id && (
                      <Text span c="dimmed" size="sm">
                        {' '}
                        (you)
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td ff="monospace">{op.login}</Table.Td>
                  <Table.Td>{ROLE_LABELS[op.role]}</Table.Td>
                  <Table.Td>
                    {op.disabled ? (
                      <Badge color="gray">Disabled</Badge>
                    ) : op.lockedUntil ? (
                      <Badge color="red" title="Five wrong passwords in a row">
                        Locked until {op.lockedUntil.slice(11, 16)} UTC
                      </Badge>
                    ) : (
                      <Badge color="green" variant="light">
                        Active
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Group gap="xs" justify="flex-end" wrap="nowrap">
                      <Button size="xs" variant="default" onClick={() => setResetting(op)}>
                        Reset password
                      </Button>
                      {op.id !== me.id && (
                        <Button size="xs" variant="default" color={op.disabled ? undefined : 'red'} onClick={() => void toggle(op)}>
                          {op.disabled ? 'Re-enable' : 'Disable'}
                        </Button>
                      )}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Box />
        </Paper>
      )}
      {adding && <AddOperatorModal onClose={() => setAdding(false)} />}
      {resetting && <ResetPasswordModal operator={resetting} onClose={() => setResetting(null)} />}
    </>
  )
}
