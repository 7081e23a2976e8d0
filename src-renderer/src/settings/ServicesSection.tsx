import { useState } from 'react'
import { Badge, Box, Button, Group, LoadingOverlay, Paper, Table, Text, Title, Tooltip } from '@mantine/core'
import type { Service } from '../../../src-shared/domain'
import { SERVICE_KIND_LABEL } from '../../../src-shared/labels'
import { useQuery } from '../api/query'
import { useCan } from '../app/status'
import { QueryError } from '../lib/QueryError'
import { ServiceFormModal } from './ServiceFormModal'

/**
 * Services: what manual charges and credits are for. Created, renamed, re-kinded and disabled
 * here, never deleted, so every record keeps the service it names.
 */
export function ServicesSection() {
  const q = useQuery('services.listAll', {})
  const [editing, setEditing] = useState<{ service: Service | null } | null>(null)
  const canEdit = useCan()('services.create')
  const services = q.data ?? []

  return (
    <Paper withBorder p="lg" radius="md" id="services" aria-labelledby="services-title">
      <Group justify="space-between" align="flex-start" mb="xs" wrap="nowrap">
        <div>
          <Title order={2} size="h4" id="services-title">
            Services
          </Title>
          <Text size="sm" c="dimmed" maw={760}>
            Every manual charge and credit is for a service, and invoices group charges by service. A disabled service is not offered for new charges and credits; the
            records that name it keep it.
          </Text>
        </div>
        <Button onClick={() => setEditing({ service: null })} disabled={!canEdit}>
          New service
        </Button>
      </Group>

      {q.error && !q.data ? (
        <QueryError error={q.error} onRetry={q.reload} what="the services" />
      ) : (
        <Box pos="relative">
          <LoadingOverlay visible={q.loading && !q.data} zIndex={1} overlayProps={{ blur: 1 }} />
          <Table highlightOnHover verticalSpacing="xs" horizontalSpacing="xs" aria-label="Services">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Kind</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th aria-label="Actions" w={80} />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {services.map((s) => (
                <Table.Tr key={s.id} data-disabled={s.disabled || undefined}>
                  <Table.Td fw={600} c={s.disabled ? 'dimmed' : undefined}>
                    {s.name}
                  </Table.Td>
                  <Table.Td>{SERVICE_KIND_LABEL[s.kind]}</Table.Td>
                  <Table.Td>
                    {s.builtIn ? (
                      <Badge variant="light" color="gray">
                        Built in
                      </Badge>
                    ) : s.disabled ? (
                      <Badge variant="light" color="orange">
                        Disabled
                      </Badge>
                    ) : (
                      <Badge variant="light" color="teal">
                        Active
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td ta="right" pr="md">
                    {s.builtIn ? (
                      <Tooltip label="Promotional credits are booked to it; it cannot be changed.">
                        <Text span size="sm" c="dimmed">
                          Fixed
                        </Text>
                      </Tooltip>
                    ) : (
                      <Button size="compact-sm" variant="subtle" onClick={() => setEditing({ service: s })} disabled={!canEdit} aria-label={`Edit ${s.name}`}>
                        Edit
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Box>
      )}

      <ServiceFormModal opened={editing !== null} service={editing?.service ?? null} onClose={() => setEditing(null)} />
    </Paper>
  )
}
