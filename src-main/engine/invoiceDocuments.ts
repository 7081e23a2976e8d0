/**
 * An issued invoice as the printed document (issue 10 item 5): the engine's invoice, Settings'
 * company, the customer's address, the payments and reductions applied and the visible comments,
 * mapped to the model `src-main/pdf/invoicePdf.ts` draws. Every amount is the one the invoice view
 * (InvoicesPage's InvoiceView) shows, taken from the same `getInvoice`.
 */
import type { DbReader } from '../db/store'
import type { InvoiceDocument } from '../../src-shared/domain'
import { AppError } from '../../src-shared/errors'
import { formatLastDay, localDate } from '../../src-shared/format'
import { getInvoice } from './invoicing'
import { getSettings } from './settings'
import { appliedPaymentLabel } from '../../src-shared/labels'

export function invoiceDocument(r: DbReader, invoiceId: number): InvoiceDocument {
  const i = getInvoice(r, invoiceId)
  const settings = getSettings(r)
  if (!settings) throw new AppError('VALIDATION', 'Complete the first-run setup (company name and address) before printing invoices.', 'settings')
  const c = r.get<{ address: string; zip: string; city: string; country: string; replaced_by: string | null }>(
    `SELECT c.address, c.zip, c.city, c.country, (SELECT n.number FROM invoices n WHERE n.id = i.replaced_by) AS replaced_by
       FROM invoices i JOIN customers c ON c.id = i.customer_id WHERE i.id = ?`,
    [invoiceId]
  )!
  const address = [c.address, [c.zip, c.city].filter(Boolean).join(' '), c.country].filter((s) => s.trim() !== '').join('\n')
  // Payments applied and reductions, with negative amounts: they lower the amount due, as on screen.
  const applied = [
    ...i.payments.map((p) => ({ at: p.at, description: appliedPaymentLabel(p.kind), amountMinor: p.amountMinor })),
    ...i.reductions.map((d) => ({ at: d.at, description: 'Reduction of the amount due', amountMinor: d.amountMinor }))
  ].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0))
  // Visible comments of the records on this invoice and of its reductions (the tax's own record is
  // already a line); internal ones are never read.
  const comments = r.all<{ visible_comment: string }>(
    `SELECT visible_comment FROM xdrs WHERE (invoice_id = ?1 OR id IN (SELECT xdr_id FROM invoice_reductions WHERE invoice_id = ?1)) AND kind <> 'invoice-tax' AND visible_comment <> '' ORDER BY id`,
    [invoiceId]
  )
  const charges = i.lines.filter((l) => l.category !== 'tax')
  const account: { label: string; amountMinor: number }[] = [
    { label: 'Payments received', amountMinor: i.paymentsMinor },
    ...(i.otherMinor !== 0 ? [{ label: 'Out-of-turn items (invoiced separately)', amountMinor: i.otherMinor }] : []),
    { label: 'Closing balance', amountMinor: i.closingBalanceMinor }
  ]
  return {
    company: { name: settings.companyName, address: settings.address, logo: null },
    customer: { name: i.companyName || i.customerName, customerId: i.customerName, address },
    number: i.number,
    issueDate: i.issueDate,
    dueDate: i.dueDate,
    // The period's end is excluded: the last day printed is the one before it, as on screen.
    period: { from: localDate(i.periodStart), to: formatLastDay(i.periodEnd) },
    currency: i.currency,
    // An out-of-turn invoice stands apart from the balance carried between regular invoices.
    ...(i.outOfTurn ? {} : { previousBalanceMinor: i.previousBalanceMinor }),
    lines: charges.map((l) => ({
      description: l.description,
      detail: l.records > 0 ? `${l.records} ${l.records === 1 ? 'record' : 'records'}` : undefined,
      amountMinor: l.amountMinor
    })),
    subtotalMinor: i.chargesMinor,
    taxes: i.lines.filter((l) => l.category === 'tax').map((l) => ({ name: l.description, amountMinor: l.amountMinor })),
    totalMinor: i.totalMinor,
    account: i.outOfTurn ? [] : account,
    payments: applied.map((a) => ({ date: localDate(a.at), description: a.description, amountMinor: -a.amountMinor })),
    amountDueMinor: i.amountDueMinor,
    status: i.status,
    visibleComments: comments.map((x) => x.visible_comment),
    void: i.status === 'void',
    replacedBy: c.replaced_by
  }
}
