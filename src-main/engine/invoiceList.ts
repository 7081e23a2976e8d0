/**
 * The invoice list (issue 10 item 6): the filters, the totals of the filtered view per currency,
 * its CSV export, and the events that changed one invoice. docs/invoices.md, "The list and the view".
 */
import type { InvoiceCsvChunk, InvoiceEvent, InvoiceListResult, InvoiceStatus } from '../../src-shared/domain'
import { AppError } from '../../src-shared/errors'
import { formatLastDay, localDate } from '../../src-shared/format'
import { INVOICE_STATUS_LABEL } from '../../src-shared/labels'
import { formatMinor } from '../../src-shared/money'
import type { SqlParam } from '../db/journal'
import type { DbReader } from '../db/store'
import type { StoredAudit } from './audit'
import { LinkResolver } from './auditLinks'
import { parseLocalDate } from './calendar'
import { csvChunk } from './customerExport'
import { type StoredInvoiceRow, toSummary } from './invoicing'

export interface InvoiceFilter {
  status?: InvoiceStatus | undefined
  customerId?: number | undefined
  /** Invoices whose period overlaps [from, to): local dates. */
  periodFrom?: string | undefined
  periodTo?: string | undefined
  /** Issued on these local dates, both included. */
  issuedFrom?: string | undefined
  issuedTo?: string | undefined
  /** Only customers with an overdue invoice. */
  overdue?: boolean | undefined
}

/** The WHERE clause of a filter over `invoices i`. */
function invoiceWhere(f: InvoiceFilter): { sql: string; params: SqlParam[] } {
  const where: string[] = []
  const params: SqlParam[] = []
  const add = (clause: string, value: SqlParam) => {
    where.push(clause)
    params.push(value)
  }
  if (f.status) add('i.status = ?', f.status)
  if (f.customerId !== undefined) add('i.customer_id = ?', f.customerId)
  if (f.periodFrom) add('i.period_end > ?', parseLocalDate(f.periodFrom)?.toISOString() ?? f.periodFrom)
  if (f.periodTo) add('i.period_start < ?', parseLocalDate(f.periodTo)?.toISOString() ?? f.periodTo)
  // issue_date is the local date itself: text comparison is date order.
  if (f.issuedFrom) add('i.issue_date >= ?', f.issuedFrom)
  if (f.issuedTo) add('i.issue_date <= ?', f.issuedTo)
  if (f.overdue) where.push("i.customer_id IN (SELECT customer_id FROM invoices WHERE status = 'overdue')")
  return { sql: where.length ? `WHERE ${where.join(' AND ')}` : '', params }
}

/** A page of the filtered list, newest first. */
function invoiceRows(r: DbReader, f: InvoiceFilter, limit: number, offset: number) {
  const w = invoiceWhere(f)
  return r
    .all<StoredInvoiceRow>(
      `SELECT i.id, i.number, i.customer_id, c.customer_id AS customer_name, c.company_name, i.currency, i.out_of_turn, i.period_start, i.period_end,
         i.issue_date, i.due_date, i.total_minor, i.amount_due_minor, i.status
       FROM invoices i JOIN customers c ON c.id = i.customer_id ${w.sql} ORDER BY i.issued_at DESC, i.id DESC LIMIT ? OFFSET ?`,
      [...w.params, limit, offset]
    )
    .map(toSummary)
}

/** A page of the invoices matching the filters, and the totals per currency of all of them. */
export function listInvoices(r: DbReader, f: InvoiceFilter & { offset: number; limit: number }): InvoiceListResult {
  const w = invoiceWhere(f)
  const totals = r.all<{ currency: string; n: number; total: number; due: number }>(
    `SELECT i.currency, count(*) AS n, sum(i.total_minor) AS total, sum(i.amount_due_minor) AS due FROM invoices i ${w.sql} GROUP BY i.currency ORDER BY i.currency`,
    w.params
  )
  return {
    rows: invoiceRows(r, f, f.limit, f.offset),
    totals: totals.map((t) => ({ currency: t.currency, count: t.n, totalMinor: t.total, amountDueMinor: t.due })),
    total: totals.reduce((s, t) => s + t.n, 0)
  }
}

const CSV_COLUMNS = [
  'number',
  'customer_id',
  'company_name',
  'period_from',
  'period_to',
  'issue_date',
  'due_date',
  'status',
  'out_of_turn',
  'currency',
  'total',
  'amount_due'
] as const

/**
 * One chunk of the filtered list as CSV, in the list's order: amounts in major units with the
 * currency's exponent ("12.30", JPY "1230", KWD "1.230"), no grouping; the period as its first
 * and last local day, as on screen. The first chunk (offset 0) has the byte-order mark and the
 * header; the caller joins the chunks.
 */
export function exportInvoicesCsv(r: DbReader, f: InvoiceFilter & { offset: number; chunkRows: number }, nowIso: string): InvoiceCsvChunk {
  const rows = invoiceRows(r, f, f.chunkRows, f.offset)
  const amount = (minor: number, code: string) => formatMinor(minor, code, { grouping: false })
  const csv = csvChunk(
    CSV_COLUMNS,
    rows.map((i) => [
      i.number,
      i.customerName,
      i.companyName,
      localDate(i.periodStart),
      formatLastDay(i.periodEnd),
      i.issueDate,
      i.dueDate,
      INVOICE_STATUS_LABEL[i.status],
      i.outOfTurn ? 'yes' : 'no',
      i.currency,
      amount(i.totalMinor, i.currency),
      amount(i.amountDueMinor, i.currency)
    ]),
    f.offset === 0
  )
  return { fileName: `invoices-${nowIso.slice(0, 10)}.csv`, csv, rows: rows.length, next: rows.length < f.chunkRows ? null : f.offset + rows.length }
}

/**
 * What changed an invoice, oldest first: the audit entries of its customer whose source is the
 * invoice (issued, status changes) and those naming its number (a reduction and the credit behind
 * it, a payment applied to it). A number followed by more digits ("INV-0000012") is another invoice.
 */
export function invoiceEvents(r: DbReader, invoiceId: number): InvoiceEvent[] {
  const i = r.get<Pick<StoredInvoiceRow, 'number' | 'customer_id'>>('SELECT number, customer_id FROM invoices WHERE id = ?', [invoiceId])
  if (!i) throw new AppError('NOT_FOUND', `Invoice ${invoiceId} does not exist.`, 'invoiceId')
  const like = `%${i.number.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
  const named = new RegExp(`(^|[^\\w-])${i.number.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?!\\d)`)
  const links = new LinkResolver(r)
  return r
    .all<Pick<StoredAudit, 'id' | 'at' | 'operator_name' | 'customer_id' | 'kind' | 'description' | 'source_kind' | 'source_id'>>(
      `SELECT id, at, operator_name, customer_id, kind, description, source_kind, source_id FROM audit_log
       WHERE customer_id = ? AND ((source_kind = 'invoice' AND source_id = ?) OR description LIKE ? ESCAPE '\\') ORDER BY id`,
      [i.customer_id, invoiceId, like]
    )
    .filter((a) => (a.source_kind === 'invoice' && a.source_id === invoiceId) || named.test(a.description))
    .map((a) => ({ id: a.id, at: a.at, operatorName: a.operator_name, kind: a.kind, description: a.description, links: links.links(a) }))
}
