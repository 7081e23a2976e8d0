import { useEffect, useMemo } from 'react'
import { Button, Center, Loader, MantineProvider, Paper, Stack, Text, Title } from '@mantine/core'
import { Notifications } from '@mantine/notifications'
import { QueryClientProvider } from '@tanstack/react-query'
import { RouterProvider } from 'react-router/dom'
import { queryClient, useQuery } from '../api/query'
import { onAuthChange } from '../api/invoke'
import { AdminPasswordScreen, LockScreen, LoginScreen } from '../auth/AuthScreens'
import { RecoveryScreen } from '../recovery/RecoveryScreen'
import { SetupScreen } from '../setup/SetupScreen'
import { ErrorBoundary } from './ErrorBoundary'
import { appRouter } from './router'
import { StatusContext, type DeskStatus, type StatusContextValue } from './status'
import { theme } from './theme'
import { useUi } from './ui-store'

export function App() {
  const colorScheme = useUi((s) => s.colorScheme)
  return (
    <MantineProvider theme={theme} forceColorScheme={colorScheme}>
      {/*
        Top centre: at 1366x768 the page titles' middle is the one place no button sits (page
        actions are top right, save bars and dialog buttons bottom left and right).
      */}
      <Notifications position="top-center" containerWidth={380} limit={3} />
      <ErrorBoundary>
        <QueryClientProvider client={queryClient}>
          <Root />
        </QueryClientProvider>
      </ErrorBoundary>
    </MantineProvider>
  )
}

/** Asks the main process which screen applies: first run, recovery, or the working shell. */
function Root() {
  const q = useQuery('app.status', {})
  // Screens past login read `status.operator` as set; the login, setup and recovery screens do not read it.
  const ctx = useMemo<StatusContextValue | null>(
    () => (q.data ? { status: q.data as DeskStatus, replace: q.setData, refresh: q.reload } : null),
    [q.data, q.setData, q.reload]
  )
  // An answer saying nobody is logged in (any more) or the counter is locked: ask who is.
  useEffect(() => onAuthChange(q.reload), [q.reload])

  if (!ctx) {
    if (q.error) {
      return (
        <Center mih="100vh" p="md">
          <Paper withBorder p="xl" maw={560} role="alert">
            <Stack>
              <Title order={2}>The billing desk could not start</Title>
              <Text>{q.error.message}</Text>
              <Button onClick={q.reload} w="fit-content" loading={q.loading}>
                Try again
              </Button>
            </Stack>
          </Paper>
        </Center>
      )
    }
    return (
      <Center mih="100vh">
        <Stack align="center" gap="xs">
          <Loader />
          <Text c="dimmed">Opening the data folder…</Text>
        </Stack>
      </Center>
    )
  }

  const status = q.data!
  let screen
  if (status.phase === 'setup') screen = <SetupScreen />
  else if (status.phase === 'recovery') screen = <RecoveryScreen />
  else if (status.operator === null && status.needsAdminPassword) screen = <AdminPasswordScreen login={status.adminLogin} onDone={q.setData} />
  else if (status.operator === null) screen = <LoginScreen status={status} onDone={q.setData} />
  else if (status.locked) screen = <LockScreen status={status} onDone={q.setData} />
  else screen = <RouterProvider router={appRouter()} />
  return <StatusContext.Provider value={ctx}>{screen}</StatusContext.Provider>
}
