import type { ReactNode } from 'react'
import { Group, Text, Title } from '@mantine/core'

export function PageHeader(props: { title: string; description?: ReactNode; actions?: ReactNode }) {
  return (
    <Group justify="space-between" align="flex-start" mb="md" wrap="wrap">
      <div>
        <Title order={1} size="h2">
          {props.title}
        </Title>
        {props.description && (
          <Text c="dimmed" size="sm" mt={4} maw={760}>
            {props.description}
          </Text>
        )}
      </div>
      {props.actions}
    </Group>
  )
}
