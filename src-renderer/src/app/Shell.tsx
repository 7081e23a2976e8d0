import { useEffect } from 'react'
import { ActionIcon, AppShell, Box, Burger, Group, NavLink, Text, Tooltip } from '@mantine/core'
import { OperatorMenu, useIdleLock } from '../auth/OperatorMenu'
import { useDisclosure } from '@mantine/hooks'
import { Outlet, useLocation, useNavigate } from 'react-router'
import { transportName } from '../api/invoke'
import { MoonIcon, SunIcon } from '../lib/icons'
import { NotificationsMenu } from '../reissue/NotificationsMenu'
import { ShiftBadge } from '../shifts/ShiftBadge'
import { LeaveGuardPrompt } from '../lib/leave-guard'
import { ErrorBoundary } from './ErrorBoundary'
import { menuPath } from './nav'
import { PAGES } from './pages'
import { useAppStatus, useCan } from './status'
import { useUi } from './ui-store'

/** Alt+Left / Alt+Right go back and forward, in the desktop window as in a browser. */
function useHistoryKeys() {
  const navigate = useNavigate()
  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if (!e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return
      if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return
      // The browser would do the same: doing it here once, and not twice, for both transports.
      e.preventDefault()
      void navigate(e.key === 'ArrowLeft' ? -1 : 1)
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [navigate])
}

export function Shell() {
  const { status } = useAppStatus()
  const { colorScheme, toggleColorScheme } = useUi()
  const [navOpen, nav] = useDisclosure(false)
  const navigate = useNavigate()
  const { pathname } = useLocation()
  const first = pathname.split('/')[1] ?? ''
  const current = PAGES.find((p) => p.id === first) ?? PAGES[0]!
  useHistoryKeys()
  useIdleLock()
  const can = useCan()
  const pages = PAGES.filter((p) => can(p.channel))
  const nextScheme = colorScheme === 'dark' ? 'light' : 'dark'

  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !navOpen } }} padding="lg">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap" miw={0}>
            <Burger opened={navOpen} onClick={nav.toggle} hiddenFrom="sm" size="sm" aria-label="Show navigation" />
            <Text fw={700} size="lg" truncate data-testid="company-name">
              {status.settings?.companyName ?? 'Callshop billing desk'}
            </Text>
            <Text c="dimmed" size="sm" visibleFrom="md">
              Billing desk
            </Text>
          </Group>
          <Group gap="sm" wrap="nowrap">
            <ShiftBadge />
            <OperatorMenu />
            <NotificationsMenu />
            <Tooltip label={`Switch to ${nextScheme} theme`}>
              <ActionIcon variant="default" size="lg" onClick={toggleColorScheme} aria-label={`Switch to ${nextScheme} theme`}>
                {colorScheme === 'dark' ? <SunIcon /> : <MoonIcon />}
              </ActionIcon>
            </Tooltip>
          </Group>
        </Group>
      </AppShell.Header>

      <AppShell.Navbar p="xs" aria-label="Main navigation">
        <AppShell.Section grow>
          {pages.map((p) => (
            <NavLink
              key={p.id}
              component="button"
              label={p.label}
              leftSection={<p.icon />}
              active={p.id === current.id}
              aria-current={p.id === current.id ? 'page' : undefined}
              onClick={() => {
                void navigate(menuPath(p.id), { flushSync: true })
                nav.close()
              }}
            />
          ))}
        </AppShell.Section>
        <AppShell.Section>
          <Box px="sm" py="xs">
            <Text size="xs" c="dimmed">
              Version {status.version} · {transportName() === 'desktop' ? 'desktop' : 'browser mode'}
            </Text>
          </Box>
        </AppShell.Section>
      </AppShell.Navbar>

      <AppShell.Main>
        <ErrorBoundary resetKey={pathname}>
          <Outlet />
        </ErrorBoundary>
        <LeaveGuardPrompt />
      </AppShell.Main>
    </AppShell>
  )
}
