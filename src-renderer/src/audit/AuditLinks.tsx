import { Anchor, Group } from '@mantine/core'
import { auditLinkHref } from '../../../src-shared/auditLinks'
import type { AuditLink } from '../../../src-shared/domain'

/** The records an audit entry names, each a link that opens it (issue 12 item 2); `skipCustomer` where the customer is shown already. */
export function AuditLinks({ links, skipCustomer = false }: { links: AuditLink[]; skipCustomer?: boolean }) {
  const shown = skipCustomer ? links.filter((l) => l.kind !== 'customer') : links
  if (shown.length === 0) return null
  return (
    <Group gap={8} mt={2} data-testid="audit-links">
      {shown.map((l) => (
        <Anchor key={`${l.kind}:${l.id}`} href={auditLinkHref(l)} size="xs" data-link-kind={l.kind}>
          {l.label}
        </Anchor>
      ))}
    </Group>
  )
}
