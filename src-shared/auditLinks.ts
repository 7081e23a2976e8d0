import type { AuditLink } from './domain'

/**
 * Where a record an audit entry names opens (hash addresses of the renderer): a customer's page,
 * the invoice in the invoice list's drawer, a ledger record in its customer's Balance & credits
 * (the usage browser lists usage records; money records are on that tab), a price list, the
 * re-rating page, the usage page's import history.
 */
export function auditLinkHref(l: AuditLink): string {
  switch (l.kind) {
    case 'customer':
      return `#/customers/${l.id}`
    case 'invoice':
      return `#/invoices?invoice=${l.id}`
    case 'xdr':
      return l.customerId === null ? `#/usage?money=1` : `#/customers/${l.customerId}/balance?xdr=${l.id}`
    case 'priceList':
      return `#/pricelists?list=${l.id}`
    case 'rerating':
      return `#/rerating?run=${l.id}`
    case 'usageImport':
      return `#/usage?import=${l.id}`
  }
}
