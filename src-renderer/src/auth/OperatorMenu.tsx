import { useEffect, useRef, useState } from 'react'
import { Badge, Group, Menu, Modal, PasswordInput, Stack, Text, UnstyledButton } from '@mantine/core'
import { useForm } from '@mantine/form'
import { z } from 'zod'
import { newPassword } from '../../../src-shared/contract'
import { invoke } from '../api/invoke'
import { useMutation } from '../api/query'
import { useAppStatus } from '../app/status'
import { contractValidate, reportToForm } from '../lib/contract-form'
import { ModalActions } from '../lib/ModalActions'
import { notifyError, notifySuccess } from '../lib/notify'
import { forgetOperatorData } from './AuthScreens'

const ROLE_LABELS = { administrator: 'Administrator', cashier: 'Cashier', auditor: 'Auditor' } as const

type PasswordValues = { currentPassword: string; newPassword: string; repeat: string }
const passwordChange = z
  .object({ currentPassword: z.string().min(1, 'Enter your current password.'), newPassword, repeat: z.string() })
  .refine((v) => v.newPassword === v.repeat, { message: 'The two passwords differ.', path: ['repeat'] })

function ChangePasswordModal(props: { onClose: () => void }) {
  const change = useMutation('operators.changeOwnPassword')
  const form = useForm<PasswordValues>({
    initialValues: { currentPassword: '', newPassword: '', repeat: '' },
    validate: contractValidate(passwordChange, (v: PasswordValues) => v)
  })
  async function submit(v: PasswordValues) {
    try {
      await change.run({ currentPassword: v.currentPassword, newPassword: v.newPassword })
      notifySuccess('Password changed', 'Use the new password from your next login.')
      props.onClose()
    } catch (e) {
      reportToForm(form, e)
    }
  }
  return (
    <Modal opened onClose={props.onClose} title="Change your password">
      <form onSubmit={form.onSubmit((v) => void submit(v))} noValidate>
        <Stack gap="sm">
          <PasswordInput label="Current password" autoFocus autoComplete="current-password" {...form.getInputProps('currentPassword')} name="currentPassword" />
          <PasswordInput
            label="New password"
            description="At least 8 characters."
            autoComplete="new-password"
            {...form.getInputProps('newPassword')}
            name="newPassword"
          />
          <PasswordInput label="Repeat the new password" autoComplete="new-password" {...form.getInputProps('repeat')} name="repeat" />
          <ModalActions onCancel={props.onClose} running={change.running} submitLabel="Change password" />
        </Stack>
      </form>
    </Modal>
  )
}

/** The header's operator menu: who is logged in, change own password, lock the counter, log out. */
export function OperatorMenu() {
  const { status, replace } = useAppStatus()
  const [changing, setChanging] = useState(false)
  const op = status.operator
  async function run(channel: 'auth.lock' | 'auth.logout') {
    try {
      const next = await invoke(channel, {})
      if (channel === 'auth.logout') forgetOperatorData()
      replace(next)
    } catch (e) {
      notifyError(e)
    }
  }
  return (
    <>
      <Menu position="bottom-end" withinPortal>
        <Menu.Target>
          <UnstyledButton aria-label={`Operator: ${op.name} (${ROLE_LABELS[op.role]})`} data-testid="operator-menu">
            <Group gap={6} wrap="nowrap">
              <Text size="sm" fw={500} data-testid="operator-name">
                {op.name}
              </Text>
              <Badge variant="light" tt="none" visibleFrom="sm">
                {ROLE_LABELS[op.role]}
              </Badge>
            </Group>
          </UnstyledButton>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Label>Logged in as {op.login}</Menu.Label>
          <Menu.Item onClick={() => setChanging(true)}>Change password…</Menu.Item>
          <Menu.Item onClick={() => void run('auth.lock')}>Lock the counter</Menu.Item>
          <Menu.Item color="red" onClick={() => void run('auth.logout')}>
            Log out
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>
      {changing && <ChangePasswordModal onClose={() => setChanging(false)} />}
    </>
  )
}

const ACTIVITY_EVENTS = ['keydown', 'mousedown', 'mousemove', 'wheel', 'touchstart'] as const

/**
 * The idle lock (Settings: "Lock the counter after"): no key, mouse or touch input for that long
 * locks the counter (auth.lock); the main process also locks a session whose requests stopped.
 */
export function useIdleLock(): void {
  const { status, replace } = useAppStatus()
  const minutes = status.settings?.idleLockMinutes ?? 0
  const last = useRef(Date.now())
  useEffect(() => {
    if (minutes <= 0) return
    const mark = () => {
      last.current = Date.now()
    }
    for (const e of ACTIVITY_EVENTS) window.addEventListener(e, mark, { passive: true })
    const timer = window.setInterval(() => {
      if (Date.now() - last.current < minutes * 60_000) return
      invoke('auth.lock', {}).then(replace, () => {})
    }, 15_000)
    return () => {
      for (const e of ACTIVITY_EVENTS) window.removeEventListener(e, mark)
      window.clearInterval(timer)
    }
  }, [minutes, replace])
}
