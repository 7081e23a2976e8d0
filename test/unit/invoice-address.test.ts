/**
 * The invoice list's address (src-renderer/src/invoices/invoice-address.ts): the filters, page and
 * open invoice round-trip through the query string; a customer's Invoices tab keeps its own under a
 * prefix, so the two never read each other's parameters; a value the contract would reject is left out.
 */
import { describe, expect, it } from 'vitest'
import { CUSTOMER_TAB_PREFIX, invoiceFilterOf, parseInvoiceView, withInvoiceView } from '../../src-renderer/src/invoices/invoice-address'

describe('invoice list address', () => {
  it('round-trips every filter, the page and the open invoice', () => {
    const view = {
      status: 'overdue' as const,
      customerId: 12,
      periodFrom: '2026-11-01',
      periodTo: '2026-12-01',
      issuedFrom: '2026-12-01',
      issuedTo: '2026-12-31',
      overdue: true,
      page: 2,
      invoice: 5
    }
    const params = withInvoiceView(new URLSearchParams(), view)
    expect(params.toString()).toBe('status=overdue&customer=12&from=2026-11-01&to=2026-12-01&issuedFrom=2026-12-01&issuedTo=2026-12-31&overdue=1&page=2&invoice=5')
    expect(parseInvoiceView(params)).toEqual(view)
    expect(invoiceFilterOf(view)).toEqual({
      status: 'overdue',
      customerId: 12,
      periodFrom: '2026-11-01',
      periodTo: '2026-12-01',
      issuedFrom: '2026-12-01',
      issuedTo: '2026-12-31',
      overdue: true
    })
  })

  it("a customer's tab has its own parameters: the page's status and invoice are not the tab's, and other parameters stay", () => {
    const params = new URLSearchParams('status=paid&invoice=9&adjust=3')
    expect(parseInvoiceView(params, CUSTOMER_TAB_PREFIX)).toEqual({})
    const next = withInvoiceView(params, { status: 'open', invoice: 4 }, CUSTOMER_TAB_PREFIX)
    expect(next.toString()).toBe('status=paid&invoice=9&adjust=3&inv.status=open&inv.invoice=4')
    expect(parseInvoiceView(next, CUSTOMER_TAB_PREFIX)).toEqual({ status: 'open', invoice: 4 })
    expect(parseInvoiceView(next)).toEqual({ status: 'paid', invoice: 9 })
    // Clearing a filter removes only the tab's parameter.
    expect(withInvoiceView(next, { invoice: 4 }, CUSTOMER_TAB_PREFIX).toString()).toBe('status=paid&invoice=9&adjust=3&inv.invoice=4')
  })

  it('leaves out what the contract would reject', () => {
    expect(parseInvoiceView(new URLSearchParams('status=lost&customer=-1&from=2026-02-30&issuedTo=soon&overdue=yes&page=x&invoice=0'))).toEqual({})
  })
})
