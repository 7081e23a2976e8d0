import { ActionIcon, Indicator, Menu, Text } from '@mantine/core'
import { useNavigate } from 'react-router'
import { useMutation, useQuery } from '../api/query'
import { useCan } from '../app/status'
import { notifyError } from '../lib/notify'
import { formatInstant } from '../pricelists/parts'

const BellIcon = () => (
  <svg width="18" height="18" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
    <path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
    <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
  </svg>
)

/** The header's notifications list (a batch re-issue ended), each with a link to what it names. */
export function NotificationsMenu() {
  const can = useCan()
  const canRead = can('notifications.list')
  // Opening the list marks them read for whoever acts on them; an auditor reads them without
  // changing that (and sees no "new" count, which is the administrators').
  const canMarkRead = can('notifications.markRead')
  const q = useQuery('notifications.list', {}, { enabled: canRead })
  const markRead = useMutation('notifications.markRead')
  const navigate = useNavigate()
  if (!canRead) return null
  const rows = q.data ?? []
  const unread = canMarkRead ? rows.filter((n) => !n.read) : []
  return (
    <Menu
      position="bottom-end"
      width={360}
      onOpen={() => {
        if (unread.length > 0) markRead.run({ ids: unread.map((n) => n.id) }).catch(notifyError)
      }}
    >
      <Menu.Target>
        <Indicator disabled={unread.length === 0} label={unread.length} size={16} offset={4}>
          <ActionIcon variant="default" size="lg" aria-label={`Notifications${unread.length > 0 ? ` (${unread.length} new)` : ''}`}>
            <BellIcon />
          </ActionIcon>
        </Indicator>
      </Menu.Target>
      <Menu.Dropdown aria-label="Notifications">
        {rows.length === 0 ? (
          <Text size="sm" c="dimmed" p="xs">
            No notifications.
          </Text>
        ) : (
          rows.slice(0, 10).map((n) => (
            <Menu.Item key={n.id} onClick={() => n.link && void navigate(n.link.replace(/^#/, ''))}>
              <Text size="sm" fw={n.read || !canMarkRead ? 400 : 700}>
                {n.title}
              </Text>
              <Text size="xs" c="dimmed">
                {formatInstant(n.at)} · {n.body}
              </Text>
            </Menu.Item>
          ))
        )}
      </Menu.Dropdown>
    </Menu>
  )
}
