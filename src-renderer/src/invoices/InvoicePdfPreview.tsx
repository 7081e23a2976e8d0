import { useEffect } from 'react'
import { Stack, Text, Title } from '@mantine/core'
import { queryKeyOf } from '../api/data-use'
import { queryClient, useMutation, useQuery } from '../api/query'
import { QueryError } from '../lib/QueryError'
import { PdfPages } from '../pdf/PdfPages'
import { PdfFileButtons } from '../pdf/PdfFileButtons'

/**
 * The invoice's current PDF (invoices.pdf: the stored document, or a new version when the invoice
 * changed since). Reading it may store a version, so the list of versions is refreshed after.
 */
function useInvoicePdf(invoiceId: number) {
  const pdf = useQuery('invoices.pdf', { invoiceId })
  const version = pdf.data?.version
  useEffect(() => {
    if (version !== undefined) void queryClient.invalidateQueries({ queryKey: queryKeyOf('invoiceDocuments.list', { invoiceId }) })
  }, [invoiceId, version])
  return pdf
}

/** Download PDF and Print (the system print dialog in the desktop app, a tab in browser mode). */
export function InvoicePdfActions({ invoiceId, number }: { invoiceId: number; number: string }) {
  const pdf = useMutation('invoices.pdf')
  async function fetch() {
    const file = await pdf.run({ invoiceId })
    // Asking for it may have stored a new version.
    void queryClient.invalidateQueries({ queryKey: queryKeyOf('invoiceDocuments.list', { invoiceId }) })
    return file
  }
  return <PdfFileButtons fetch={fetch} title={`Invoice ${number}`} printLabel="Print" saveLabel="Download PDF" />
}

/** The PDF itself, drawn in the drawer page by page: what prints, as it is stored. */
export function InvoicePdfPreview({ invoiceId, number }: { invoiceId: number; number: string }) {
  const pdf = useInvoicePdf(invoiceId)
  return (
    <Stack gap="xs" data-testid="invoice-pdf-preview">
      <Title order={4}>
        PDF
        {pdf.data?.version ? (
          <Text span size="sm" c="dimmed" fw={400} ml={8}>
            version {pdf.data.version}, as stored
          </Text>
        ) : null}
      </Title>
      {pdf.error && <QueryError error={pdf.error} onRetry={pdf.reload} what="the invoice PDF" />}
      {pdf.data && <PdfPages pdfBase64={pdf.data.pdfBase64} label={`Invoice ${number}`} />}
    </Stack>
  )
}
