import { useState } from 'react'
import { Button, Group, Paper, Stack, Table, Text, TextInput } from '@mantine/core'
import type { CustomerDetail } from '../../../../../src-shared/domain'
import { formatDateTime } from '../../../../../src-shared/format'
import { useMutation } from '../../../api/query'
import { useFieldErrors } from '../../../lib/field-errors'
import { notifySuccess } from '../../../lib/notify'

const FIELDS = ['accountId'] as const

/** Accounts: the customer's lines or callshop booths. */
export function AccountsTab(props: { detail: CustomerDetail; onUpdated: (d: CustomerDetail) => void; canEdit: boolean }) {
  const d = props.detail
  const [accountId, setAccountId] = useState('')
  const add = useMutation('customers.addAccount')
  const { errors, report, clear } = useFieldErrors(FIELDS)

  async function submit() {
    clear()
    try {
      const next = await add.run({ id: d.id, accountId })
      props.onUpdated(next)
      notifySuccess('Account added', `${accountId.trim()} now belongs to ${d.customerId}.`)
      setAccountId('')
    } catch (err) {
      report(err)
    }
  }

  return (
    <Stack gap="md" maw={800}>
      <Paper withBorder radius="md">
        <Table verticalSpacing="xs" horizontalSpacing="sm" aria-label="Accounts" striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Account ID</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th>Created</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {d.accounts.map((a) => (
              <Table.Tr key={a.id}>
                <Table.Td ff="monospace" fz="sm">
                  {a.accountId}
                </Table.Td>
                <Table.Td>{a.status}</Table.Td>
                <Table.Td className="nowrap" style={{ fontVariantNumeric: 'tabular-nums' }}>
                  {formatDateTime(a.createdAt)}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        {d.accounts.length === 0 && (
          <Text c="dimmed" size="sm" p="sm">
            No accounts yet. Add the customer's lines or booths below.
          </Text>
        )}
      </Paper>

      {/* Saved at once, apart from the customer form (which this tab sits inside: no nested form). */}
      <div role="group" aria-label="Add account">
        <Group align="flex-start" gap="sm">
          <TextInput
            label="Account ID"
            description="A line or booth ID: letters, digits, “.”, “-” and “_”."
            value={accountId}
            onChange={(e) => {
              setAccountId(e.currentTarget.value)
              clear('accountId')
            }}
            error={errors.accountId}
            disabled={add.running || !props.canEdit}
            name="accountId"
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault()
                void submit()
              }
            }}
            autoComplete="off"
            w={320}
          />
          <Button type="button" onClick={() => void submit()} mt={46} loading={add.running} disabled={!props.canEdit} variant="light">
            Add account
          </Button>
        </Group>
      </div>
    </Stack>
  )
}
