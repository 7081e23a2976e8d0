import { useState } from 'react'
import { Badge, Button, Stack, Table, Text, Title } from '@mantine/core'
import { INVOICE_STATUS_LABEL } from '../../../src-shared/labels'
import { formatAmount, formatDateTime } from '../../../src-shared/format'
import { useMutation, useQuery } from '../api/query'
import { downloadBlob, pdfBlob } from '../lib/download'
import { notifyError } from '../lib/notify'

/**
 * The invoice's stored PDFs (invoiceDocuments.list): the current one and every one it superseded
 * (a payment, a reduction, a status change, a void or a regeneration made a new one), each with
 * its dates and a Download button. What was printed earlier stays readable as it was.
 */
export function InvoicePdfVersions({ invoiceId, currency }: { invoiceId: number; currency: string }) {
  const versions = useQuery('invoiceDocuments.list', { invoiceId })
  const fetchVersion = useMutation('invoiceDocuments.get')
  const [busy, setBusy] = useState<number | null>(null)
  async function download(version: number) {
    setBusy(version)
    try {
      const file = await fetchVersion.run({ invoiceId, version })
      downloadBlob(file.fileName, pdfBlob(file.pdfBase64))
    } catch (e) {
      notifyError(e)
    } finally {
      setBusy(null)
    }
  }
  const rows = versions.data ?? []
  if (rows.length === 0) return null
  return (
    <Stack gap="xs">
      <Title order={4}>Stored versions</Title>
      <Table withTableBorder data-testid="invoice-pdf-versions">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Version</Table.Th>
            <Table.Th>Stored</Table.Th>
            <Table.Th>Prints</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((v) => (
            <Table.Tr key={v.version}>
              <Table.Td>
                {v.version}{' '}
                {v.current ? (
                  <Badge size="sm" variant="light" color="teal">
                    current
                  </Badge>
                ) : (
                  <Badge size="sm" variant="light" color="gray">
                    superseded
                  </Badge>
                )}
              </Table.Td>
              <Table.Td>
                <Text size="sm">{formatDateTime(v.createdAt)}</Text>
                {v.supersededAt && (
                  <Text size="xs" c="dimmed">
                    superseded {formatDateTime(v.supersededAt)}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                <Text size="sm">
                  {INVOICE_STATUS_LABEL[v.status]}, amount due {formatAmount(v.amountDueMinor, currency)}
                </Text>
              </Table.Td>
              <Table.Td ta="right">
                <Button
                  size="compact-sm"
                  variant="default"
                  loading={busy === v.version}
                  onClick={() => void download(v.version)}
                  aria-label={`Download version ${v.version}`}
                >
                  Download
                </Button>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  )
}
