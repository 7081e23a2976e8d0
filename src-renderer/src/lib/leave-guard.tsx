import { useEffect, useId, useRef } from 'react'
import { Button, Group, Modal, Stack, Text } from '@mantine/core'
import { useBlocker, type Location } from 'react-router'

/**
 * Asking before unsaved edits are left behind. A form calls `useLeaveGuard(dirty)`; the one
 * `<LeaveGuardPrompt />` in the shell holds the router's navigation blocker (a router has only
 * one) and asks "Leave without saving?" when a navigation (the sidebar, Back to list, the
 * browser's or the mouse's Back, Alt+Left) would leave a form that has changes.
 */

interface Guard {
  dirty: boolean
  /** Navigations that stay within the form (its own tabs, its wizard steps) never ask. */
  stays: (next: Location, current: Location) => boolean
}

const guards = new Map<string, Guard>()
/** A navigation the code itself decided on (after a save, after "Discard"): let the next one pass. */
let passUntil = 0

/** Let the next navigation leave without asking (the form was just saved, or discarded on purpose). */
export function leaveWithoutAsking(): void {
  passUntil = Date.now() + 2000
}

const samePath = (next: Location, current: Location) => next.pathname === current.pathname

/**
 * While `dirty`, leaving asks first. `stays` says which navigations keep the form on screen
 * (default: only ones that keep the address's path, e.g. a wizard step in the query).
 */
export function useLeaveGuard(dirty: boolean, stays: Guard['stays'] = samePath): void {
  const id = useId()
  const guard = useRef<Guard>({ dirty, stays })
  guard.current.dirty = dirty
  guard.current.stays = stays
  useEffect(() => {
    guards.set(id, guard.current)
    return () => {
      guards.delete(id)
    }
  }, [id])
}

function shouldAsk({ currentLocation, nextLocation }: { currentLocation: Location; nextLocation: Location }): boolean {
  if (Date.now() < passUntil) {
    passUntil = 0
    return false
  }
  for (const g of guards.values()) if (g.dirty && !g.stays(nextLocation, currentLocation)) return true
  return false
}

/** The question, shown over anything else (a form in a modal included). */
export function LeaveGuardPrompt() {
  const blocker = useBlocker(shouldAsk)
  const blocked = blocker.state === 'blocked'
  return (
    <Modal opened={blocked} onClose={() => blocker.reset?.()} title="Leave without saving?" centered zIndex={400} data-testid="leave-guard">
      <Stack gap="md">
        <Text size="sm">You have changes that are not saved. Leaving this screen discards them.</Text>
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={() => blocker.reset?.()} data-autofocus>
            Stay
          </Button>
          <Button color="red" onClick={() => blocker.proceed?.()}>
            Leave and discard
          </Button>
        </Group>
      </Stack>
    </Modal>
  )
}
