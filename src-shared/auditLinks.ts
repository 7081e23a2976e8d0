import type { AuditLink } from './domain'

/**
 * Where a record an audit entry names opens (hash addresses of the renderer): a customer's page,
 * the invoice in the invoice list's drawer, a ledger record in the usage browser (with money
 * records) on its customer and day (usage-address.ts parameters), a price list, the
 * re-rating page, the usage page's import history.
 */
export function auditLinkHref(l: AuditLink): string {
  switch (l.kind) {
    case 'customer':
      return `#/customers/${l.id}`
    case 'invoice':
      return `#/invoices?invoice=${l.id}`
    case 'xdr': {
      // The usage browser with money records, on the record's customer and day.
      const p = new URLSearchParams()
      if (l.customerId !== null) p.set('customer', String(l.customerId))
      if (l.day) {
        p.set('from', l.day)
        p.set('to', l.day)
      }
      p.set('money', '1')
      return `#/usage?${p.toString()}`
    }
    case 'priceList':
      return `#/pricelists?list=${l.id}`
    case 'rerating':
      return `#/rerating?run=${l.id}`
    case 'usageImport':
      return `#/usage?import=${l.id}`
  }
}
