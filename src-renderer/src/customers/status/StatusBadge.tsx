import { Badge, type MantineSize } from '@mantine/core'
import type { CustomerStatus } from '../../../../src-shared/domain'
import { STATUS_COLOR, STATUS_LABEL } from '../../lib/labels'

/** A customer status as the source pages name it, never truncated. */
export function StatusBadge(props: { status: CustomerStatus; size?: MantineSize; testId?: string }) {
  return (
    <Badge
      variant="light"
      color={STATUS_COLOR[props.status] ?? 'gray'}
      radius="sm"
      tt="none"
      fw={600}
      size={props.size ?? 'md'}
      data-testid={props.testId}
      styles={{ root: { maxWidth: 'none', overflow: 'visible' }, label: { overflow: 'visible', textOverflow: 'clip' } }}
    >
      {STATUS_LABEL[props.status] ?? props.status}
    </Badge>
  )
}
