import { useState } from 'react'
import { useSearchParams } from 'react-router'
import { Badge, Box, Button, Group, LoadingOverlay, Paper, Stack, Table, Text, Title } from '@mantine/core'
import type { PriceListVersion } from '../../../src-shared/domain'
import { useQuery } from '../api/query'
import { useCan } from '../app/status'
import { PageHeader } from '../lib/PageHeader'
import { QueryError } from '../lib/QueryError'
import { CompareModal } from './CompareModal'
import { formatInstant } from './parts'
import { CreatePriceListModal } from './CreatePriceListModal'
import { UploadVersionModal } from './UploadVersionModal'

/** Price lists (tariffs): the lists, and the chosen list's versions (kept in the address: ?list=). */
export function PriceListsPage() {
  const canEdit = useCan()('priceLists.create')
  const lists = useQuery('priceLists.list', {})
  const [params, setParams] = useSearchParams()
  const chosen = Number(params.get('list')) || null
  const [creating, setCreating] = useState(false)

  return (
    <>
      <PageHeader
        title="Price lists"
        description="A price list sets the price per minute, connection fee and charging intervals per destination prefix, in one currency. Each upload is a new version effective from a chosen instant; a call is rated with the version in force when it started."
        actions={
          <Button onClick={() => setCreating(true)} disabled={!canEdit}>
            New price list
          </Button>
        }
      />
      {lists.error && !lists.data ? (
        <QueryError error={lists.error} onRetry={lists.reload} what="price lists" />
      ) : (
        <Stack gap="md">
          <Paper withBorder radius="md" pos="relative">
            <LoadingOverlay visible={lists.loading && !lists.data} zIndex={1} overlayProps={{ blur: 1 }} />
            <Table highlightOnHover tabularNums verticalSpacing="xs" aria-label="Price lists">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Name</Table.Th>
                  <Table.Th>Currency</Table.Th>
                  <Table.Th className="num-head">Versions</Table.Th>
                  <Table.Th aria-label="Actions" w={120} />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {(lists.data ?? []).map((l) => (
                  <Table.Tr key={l.id} bg={l.id === chosen ? 'var(--mantine-primary-color-light)' : undefined}>
                    <Table.Td fw={600}>{l.name}</Table.Td>
                    <Table.Td>{l.currency}</Table.Td>
                    <Table.Td className="num">{l.versionCount}</Table.Td>
                    <Table.Td ta="right" pr="md">
                      <Button size="compact-sm" variant="subtle" onClick={() => setParams({ list: String(l.id) })} aria-label={`Open ${l.name}`}>
                        Versions
                      </Button>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            {lists.data && lists.data.length === 0 && (
              <Box p="lg">
                <Text c="dimmed" ta="center">
                  No price lists yet. Create one, then upload its first version from a CSV file.
                </Text>
              </Box>
            )}
          </Paper>
          {chosen !== null && <PriceListVersions id={chosen} canEdit={canEdit} />}
        </Stack>
      )}
      <CreatePriceListModal opened={creating} onClose={() => setCreating(false)} onCreated={(id) => setParams({ list: String(id) })} />
    </>
  )
}

function PriceListVersions(props: { id: number; canEdit: boolean }) {
  const q = useQuery('priceLists.get', { id: props.id })
  const [uploading, setUploading] = useState(false)
  const [comparing, setComparing] = useState<PriceListVersion | null>(null)
  if (q.error && !q.data) return <QueryError error={q.error} onRetry={q.reload} what="the price list" />
  const list = q.data
  if (!list) return null
  const now = new Date().toISOString()
  // The versions come latest first: the first one already effective is the one in force now.
  const inForce = list.versions.find((v) => v.effectiveFrom <= now)?.id

  return (
    <Paper withBorder radius="md" p="md" aria-label={`Versions of ${list.name}`} component="section">
      <Group justify="space-between" mb="sm">
        <Title order={3} size="h4">
          {list.name} ({list.currency}): versions
        </Title>
        <Button onClick={() => setUploading(true)} disabled={!props.canEdit}>
          Upload version
        </Button>
      </Group>
      {list.versions.length === 0 ? (
        <Text c="dimmed">No versions yet: upload a CSV file with one line per destination prefix.</Text>
      ) : (
        <Table tabularNums verticalSpacing="xs" aria-label="Versions">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Effective from</Table.Th>
              <Table.Th className="num-head">Prefixes</Table.Th>
              <Table.Th>Uploaded</Table.Th>
              <Table.Th>By</Table.Th>
              <Table.Th aria-label="Actions" w={200} />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.versions.map((v) => (
              <Table.Tr key={v.id}>
                <Table.Td className="nowrap">
                  {formatInstant(v.effectiveFrom)}{' '}
                  {v.id === inForce && (
                    <Badge size="sm" variant="light" color="green">
                      in force
                    </Badge>
                  )}
                </Table.Td>
                <Table.Td className="num">{v.rowCount}</Table.Td>
                <Table.Td className="nowrap">{formatInstant(v.uploadedAt)}</Table.Td>
                <Table.Td>{v.operatorName}</Table.Td>
                <Table.Td ta="right" pr="md">
                  <Button
                    size="compact-sm"
                    variant="subtle"
                    onClick={() => setComparing(v)}
                    aria-label={`Compare the version effective from ${formatInstant(v.effectiveFrom)}`}
                  >
                    Compare with previous
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <UploadVersionModal opened={uploading} list={list} onClose={() => setUploading(false)} />
      <CompareModal version={comparing} onClose={() => setComparing(null)} />
    </Paper>
  )
}
