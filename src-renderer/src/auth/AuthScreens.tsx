import { useEffect, useState, type ReactNode } from 'react'
import { notifications } from '@mantine/notifications'
import { Alert, Button, Center, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core'
import { useForm } from '@mantine/form'
import { z } from 'zod'
import { newPassword } from '../../../src-shared/contract'
import type { AppStatus } from '../../../src-shared/domain'
import { asAppError } from '../api/invoke'
import { queryClient, useMutation } from '../api/query'
import { contractValidate, reportToForm } from '../lib/contract-form'

/** After a login, logout or switch of operator: nothing the previous operator saw stays cached. */
export function forgetOperatorData(): void {
  queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== 'app.status' })
}

function Card(props: { title: string; intro: ReactNode; children: ReactNode; testId: string }) {
  // What the previous operator was told is not for whoever stands at the counter now.
  useEffect(() => notifications.clean(), [])
  return (
    <Center mih="100vh" p="md" data-testid={props.testId}>
      <Paper withBorder shadow="sm" p="xl" radius="md" w="100%" maw={420}>
        <Stack gap="md">
          <div>
            <Title order={1} size="h2">
              {props.title}
            </Title>
            <Text c="dimmed" size="sm" mt={4}>
              {props.intro}
            </Text>
          </div>
          {props.children}
        </Stack>
      </Paper>
    </Center>
  )
}

/** Login and password, as the login screen and the lock screen's "someone else" ask for them. */
function LoginForm(props: { onDone: (s: AppStatus) => void; initialLogin?: string; submitLabel: string }) {
  const login = useMutation('auth.login')
  const [problem, setProblem] = useState<string | null>(null)
  const form = useForm({ initialValues: { login: props.initialLogin ?? '', password: '' } })
  async function submit(v: { login: string; password: string }) {
    setProblem(null)
    try {
      const next = await login.run(v)
      forgetOperatorData()
      props.onDone(next)
    } catch (e) {
      setProblem(asAppError(e).message)
      form.setFieldValue('password', '')
    }
  }
  return (
    <form onSubmit={form.onSubmit((v) => void submit(v))} noValidate>
      <Stack gap="sm">
        <TextInput label="Login" autoComplete="username" autoFocus={!props.initialLogin} {...form.getInputProps('login')} name="login" />
        <PasswordInput label="Password" autoComplete="current-password" autoFocus={Boolean(props.initialLogin)} {...form.getInputProps('password')} name="password" />
        {problem && (
          <Alert color="red" role="alert" title="Not logged in">
            {problem}
          </Alert>
        )}
        <Button type="submit" loading={login.running}>
          {props.submitLabel}
        </Button>
      </Stack>
    </form>
  )
}

export function LoginScreen(props: { status: AppStatus; onDone: (s: AppStatus) => void }) {
  return (
    <Card
      testId="login-screen"
      title="Log in"
      intro={`${props.status.settings?.companyName ?? 'Billing desk'} — each operator logs in with their own login and password. Five wrong passwords in a row lock the login for 15 minutes.`}
    >
      <LoginForm onDone={props.onDone} submitLabel="Log in" />
    </Card>
  )
}

const adminPasswordInput = z
  .object({ password: newPassword, repeat: z.string() })
  .refine((v) => v.password === v.repeat, { message: 'The two passwords differ.', path: ['repeat'] })

/** An upgraded data folder: the administrator's password, asked once. */
export function AdminPasswordScreen(props: { login: string | null; onDone: (s: AppStatus) => void }) {
  const set = useMutation('auth.setAdminPassword')
  const form = useForm({ initialValues: { password: '', repeat: '' }, validate: contractValidate(adminPasswordInput, (v: { password: string; repeat: string }) => v) })
  async function submit(v: { password: string; repeat: string }) {
    try {
      const next = await set.run({ password: v.password })
      forgetOperatorData()
      props.onDone(next)
    } catch (e) {
      reportToForm(form, e)
    }
  }
  return (
    <Card
      testId="admin-password-screen"
      title="Set the administrator's password"
      intro={`Operators now log in. This data folder was set up before that, so its administrator has no password yet: choose one now (once). From then on the administrator logs in as “${props.login ?? 'admin'}” with this password. Keep it safe — a lost password is recovered only from a backup or with the command-line reset.`}
    >
      <form onSubmit={form.onSubmit((v) => void submit(v))} noValidate>
        <Stack gap="sm">
          <PasswordInput
            label="New password"
            description="At least 8 characters."
            autoComplete="new-password"
            autoFocus
            {...form.getInputProps('password')}
            name="password"
          />
          <PasswordInput label="Repeat the password" autoComplete="new-password" {...form.getInputProps('repeat')} name="repeat" />
          <Button type="submit" loading={set.running}>
            Set password and log in
          </Button>
        </Stack>
      </form>
    </Card>
  )
}

/** The counter locked itself (idle) or was locked: the same operator unlocks, or someone else logs in. */
export function LockScreen(props: { status: AppStatus; onDone: (s: AppStatus) => void }) {
  const unlock = useMutation('auth.unlock')
  const [other, setOther] = useState(false)
  const [problem, setProblem] = useState<string | null>(null)
  const form = useForm({ initialValues: { password: '' } })
  const name = props.status.operator?.name ?? 'the operator'
  async function submit(v: { password: string }) {
    setProblem(null)
    try {
      props.onDone(await unlock.run(v))
    } catch (e) {
      setProblem(asAppError(e).message)
      form.setFieldValue('password', '')
    }
  }
  return (
    <Card
      testId="lock-screen"
      title="The counter is locked"
      intro={other ? `Logging in as another operator ends ${name}'s session.` : `Locked after a time without input. ${name} unlocks it with their password.`}
    >
      {other ? (
        <>
          <LoginForm onDone={props.onDone} submitLabel="Log in instead" />
          <Button variant="subtle" onClick={() => setOther(false)}>
            Back to unlock
          </Button>
        </>
      ) : (
        <form onSubmit={form.onSubmit((v) => void submit(v))} noValidate>
          <Stack gap="sm">
            <TextInput label="Operator" value={name} readOnly variant="filled" />
            <PasswordInput label="Password" autoComplete="current-password" autoFocus {...form.getInputProps('password')} name="password" />
            {problem && (
              <Alert color="red" role="alert" title="Still locked">
                {problem}
              </Alert>
            )}
            <Button type="submit" loading={unlock.running}>
              Unlock
            </Button>
            <Button variant="subtle" onClick={() => setOther(true)}>
              Log in as another operator
            </Button>
          </Stack>
        </form>
      )}
    </Card>
  )
}
