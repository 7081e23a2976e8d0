/**
 * An issued invoice as the printed document (issue 10 item 5): the engine's invoice, Settings'
 * company, the customer's address, the payments and reductions applied and the visible comments,
 * mapped to the model `src-main/pdf/invoicePdf.ts` draws. Every amount is the one the invoice view
 * (InvoicesPage's InvoiceView) shows, taken from the same `getInvoice`.
 */
import { createHash } from 'node:crypto'
import type { DbReader } from '../db/store'
import type { InvoiceDocument, InvoiceDocumentVersion, InvoicePdfFile } from '../../src-shared/domain'
import { AppError } from '../../src-shared/errors'
import { formatLastDay, localDate } from '../../src-shared/format'
import { getInvoice } from './invoicing'
import { getCompanyLogo } from './companyLogo'
import { getSettings } from './settings'
import { appliedPaymentLabel } from '../../src-shared/labels'
import type { Actor } from './audit'
import type { Engine, Work } from './unitOfWork'

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
  // The customer's records (an index) rather than every record's invoice_id (no index: a scan of the ledger).
  const comments = r.all<{ visible_comment: string }>(
    `SELECT visible_comment FROM xdrs WHERE customer_id = ?2 AND (invoice_id = ?1 OR id IN (SELECT xdr_id FROM invoice_reductions WHERE invoice_id = ?1))
       AND kind <> 'invoice-tax' AND visible_comment <> '' ORDER BY id`,
    [invoiceId, i.customerId]
  )
  const charges = i.lines.filter((l) => l.category !== 'tax')
  const account: { label: string; amountMinor: number }[] = [
    { label: 'Payments received', amountMinor: i.paymentsMinor },
    ...(i.otherMinor !== 0 ? [{ label: 'Out-of-turn items (invoiced separately)', amountMinor: i.otherMinor }] : []),
    { label: 'Closing balance', amountMinor: i.closingBalanceMinor }
  ]
  return {
    company: { name: settings.companyName, address: settings.address, logo: getCompanyLogo(r) },
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

// ---------------------------------------------------------------------------------------------
// Stored documents (migration 0019): the PDF is kept with the invoice, one version per change of
// what it prints. docs/invoices-pdf.md, "Stored versions".

/** The invoice_documents table (migration 0019). */
export interface StoredInvoiceDocument {
  id: number
  invoice_id: number
  version: number
  fingerprint: string
  status: InvoiceDocument['status']
  amount_due_minor: number
  created_at: string
  superseded_at: string | null
  pdf: Uint8Array
}

/**
 * What a version prints about the invoice, as a hash: everything in the document but the company
 * (name, address, logo) and the customer's name and address. So a payment applied, a reduction,
 * a status change, a void or a regeneration with the same number (other lines, other total) makes
 * a new version; editing Settings or the customer's address does not re-issue every invoice (the
 * next version, when one is made for another reason, prints them as they are then).
 */
export function documentFingerprint(doc: InvoiceDocument): string {
  const { company: _company, customer: _customer, ...printed } = doc
  return createHash('sha256').update(JSON.stringify(printed)).digest('hex').slice(0, 32)
}

const safeFileName = (number: string, version?: number) => `${number.replace(/[^\p{L}\p{N}._-]+/gu, '_')}${version === undefined ? '' : `-v${version}`}.pdf`

type VersionRow = Pick<StoredInvoiceDocument, 'version' | 'status' | 'amount_due_minor' | 'created_at' | 'superseded_at'> & { size: number }

function toVersion(v: VersionRow): InvoiceDocumentVersion {
  return {
    version: v.version,
    status: v.status,
    amountDueMinor: v.amount_due_minor,
    createdAt: v.created_at,
    supersededAt: v.superseded_at,
    current: v.superseded_at === null,
    sizeBytes: v.size
  }
}

/** An invoice's stored PDF versions, newest first (the current one first). */
export function listInvoiceDocuments(r: DbReader, invoiceId: number): InvoiceDocumentVersion[] {
  if (!r.get('SELECT 1 FROM invoices WHERE id = ?', [invoiceId])) {
    throw new AppError('NOT_FOUND', `Invoice ${invoiceId} does not exist; reload the list.`, 'invoiceId')
  }
  return r
    .all<VersionRow>(
      'SELECT version, status, amount_due_minor, created_at, superseded_at, length(pdf) AS size FROM invoice_documents WHERE invoice_id = ? ORDER BY version DESC',
      [invoiceId]
    )
    .map(toVersion)
}

/** One stored version, as the file it was. */
export function getInvoiceDocumentVersion(r: DbReader, invoiceId: number, version: number): InvoicePdfFile {
  const row = r.get<Pick<StoredInvoiceDocument, 'pdf' | 'superseded_at'> & { number: string }>(
    'SELECT d.pdf, d.superseded_at, i.number FROM invoice_documents d JOIN invoices i ON i.id = d.invoice_id WHERE d.invoice_id = ? AND d.version = ?',
    [invoiceId, version]
  )
  if (!row) throw new AppError('NOT_FOUND', `Invoice ${invoiceId} has no stored document version ${version}; reload the list of versions.`, 'version')
  return {
    fileName: safeFileName(row.number, row.superseded_at === null ? undefined : version),
    pdfBase64: Buffer.from(row.pdf).toString('base64'),
    version
  }
}

/**
 * Keep `pdf` as the invoice's current document unless the current version already prints the
 * same (another request stored it meanwhile): the previous version is marked superseded, never
 * changed. Returns the current version's number.
 */
export function storeInvoiceDocument(w: Work, invoiceId: number, doc: InvoiceDocument, fingerprint: string, pdf: Uint8Array): number {
  const current = w.get<Pick<StoredInvoiceDocument, 'version' | 'fingerprint'>>(
    'SELECT version, fingerprint FROM invoice_documents WHERE invoice_id = ? AND superseded_at IS NULL',
    [invoiceId]
  )
  if (current?.fingerprint === fingerprint) return current.version
  if (current) w.run('UPDATE invoice_documents SET superseded_at = ? WHERE invoice_id = ? AND version = ?', [w.at, invoiceId, current.version])
  const version = (current?.version ?? 0) + 1
  w.run('INSERT INTO invoice_documents (invoice_id, version, fingerprint, status, amount_due_minor, created_at, superseded_at, pdf) VALUES (?, ?, ?, ?, ?, ?, NULL, ?)', [
    invoiceId,
    version,
    fingerprint,
    doc.status,
    doc.amountDueMinor,
    w.at,
    pdf
  ])
  return version
}

/**
 * The invoice's current PDF: the stored one while it still prints what the invoice says, else a
 * new version drawn now (by `render`, outside the unit of work) and stored, the previous one kept
 * as superseded. Lazy on purpose: closing a period draws nothing (docs/invoices-pdf.md).
 */
export async function currentInvoicePdf(engine: Engine, actor: Actor, invoiceId: number, render: (doc: InvoiceDocument) => Promise<Uint8Array>): Promise<InvoicePdfFile> {
  for (let attempt = 0; ; attempt++) {
    const { doc, fingerprint, stored } = engine.read((r) => {
      const d = invoiceDocument(r, invoiceId)
      const f = documentFingerprint(d)
      const s = r.get<Pick<StoredInvoiceDocument, 'version' | 'pdf'>>(
        'SELECT version, pdf FROM invoice_documents WHERE invoice_id = ? AND superseded_at IS NULL AND fingerprint = ?',
        [invoiceId, f]
      )
      return { doc: d, fingerprint: f, stored: s }
    })
    if (stored) return { fileName: safeFileName(doc.number), pdfBase64: Buffer.from(stored.pdf).toString('base64'), version: stored.version }
    const pdf = await render(doc)
    // The invoice may have changed while it was drawn (a payment): then store nothing and draw again.
    const version = engine.change(actor, (w) =>
      documentFingerprint(invoiceDocument(w, invoiceId)) === fingerprint ? storeInvoiceDocument(w, invoiceId, doc, fingerprint, pdf) : null
    )
    if (version !== null) return engine.read((r) => getInvoiceDocumentVersion(r, invoiceId, version))
    if (attempt >= 2) return { fileName: safeFileName(doc.number), pdfBase64: Buffer.from(pdf).toString('base64'), version: null }
  }
}

/** What an eager batch of PDFs did: stored as the current version, left to be drawn on request (changed while drawn), failed. */
export interface InvoicePdfBatchResult {
  stored: number
  changed: number
  failed: number
}

const FLUSH_EVERY = 8
const FLUSH_AFTER_MS = 100

/**
 * Invoice PDFs drawn as a batch makes the invoices (a re-issue, docs/invoices.md): each invoice
 * added is read as its document, drawn by `render` (a worker pool: a few in flight) and stored as
 * its current version (the previous one kept as superseded), several to a unit of work bounded by
 * `unitMaxMs`. An invoice that changed while it was drawn (a payment) stores nothing: its PDF is
 * drawn on request, as any other. `drained()` resolves once every invoice added is done.
 */
export class InvoicePdfBatch {
  private readonly queue: number[] = []
  private readonly drawn: { invoiceId: number; doc: InvoiceDocument; fingerprint: string; pdf: Uint8Array }[] = []
  private inFlight = 0
  private flushing = false
  private waiting: (() => void)[] = []
  readonly result: InvoicePdfBatchResult = { stored: 0, changed: 0, failed: 0 }

  constructor(
    private readonly engine: Engine,
    private readonly actor: Actor,
    private readonly render: (doc: InvoiceDocument) => Promise<Uint8Array>,
    private readonly opts: { maxInFlight?: number; unitMaxMs?: number; onError?: (invoiceId: number, err: Error) => void } = {}
  ) {}

  add(invoiceId: number): void {
    this.queue.push(invoiceId)
    this.pump()
  }

  drained(): Promise<InvoicePdfBatchResult> {
    if (this.idle()) return Promise.resolve(this.result)
    return new Promise((resolve) => this.waiting.push(() => resolve(this.result)))
  }

  private idle(): boolean {
    return this.queue.length === 0 && this.inFlight === 0 && this.drawn.length === 0 && !this.flushing
  }

  private settle(): void {
    if (!this.idle()) return
    const waiting = this.waiting.splice(0)
    for (const w of waiting) w()
  }

  private pump(): void {
    const max = this.opts.maxInFlight ?? 4
    while (this.inFlight < max && this.queue.length > 0) {
      const invoiceId = this.queue.shift() as number
      this.inFlight += 1
      let read: { doc: InvoiceDocument; fingerprint: string }
      try {
        read = this.engine.read((r) => {
          const doc = invoiceDocument(r, invoiceId)
          return { doc, fingerprint: documentFingerprint(doc) }
        })
      } catch (err) {
        this.failed(invoiceId, err as Error)
        continue
      }
      this.render(read.doc).then(
        (pdf) => {
          this.inFlight -= 1
          this.drawn.push({ invoiceId, ...read, pdf })
          this.scheduleFlush()
          this.pump()
        },
        (err: unknown) => this.failed(invoiceId, err as Error)
      )
    }
  }

  private failed(invoiceId: number, err: Error): void {
    this.inFlight -= 1
    this.result.failed += 1
    this.opts.onError?.(invoiceId, err)
    this.pump()
    this.settle()
  }

  private flushTimer: NodeJS.Timeout | null = null

  /**
   * Stores go in groups (each unit of work is a disk flush): at once when FLUSH_EVERY documents
   * wait or none is being drawn, else after FLUSH_AFTER_MS.
   */
  private scheduleFlush(): void {
    const now = this.drawn.length >= FLUSH_EVERY || (this.inFlight === 0 && this.queue.length === 0)
    if (this.flushing && !(now && this.flushTimer)) return
    if (this.flushTimer) clearTimeout(this.flushTimer)
    this.flushing = true
    this.flushTimer = now ? null : setTimeout(() => this.flush(), FLUSH_AFTER_MS)
    if (now) setImmediate(() => this.flush())
  }

  /** Store what has been drawn, in one unit of work bounded in time (a cashier's payment gets in between). */
  private flush(): void {
    this.flushTimer = null
    const unitMaxMs = this.opts.unitMaxMs ?? 20
    try {
      this.engine.change(this.actor, (w) => {
        const t0 = performance.now()
        while (this.drawn.length > 0 && performance.now() - t0 <= unitMaxMs) {
          const d = this.drawn.shift() as (typeof this.drawn)[number]
          if (documentFingerprint(invoiceDocument(w, d.invoiceId)) !== d.fingerprint) this.result.changed += 1
          else {
            storeInvoiceDocument(w, d.invoiceId, d.doc, d.fingerprint, d.pdf)
            this.result.stored += 1
          }
        }
      })
    } catch (err) {
      // A unit that failed stored nothing: those documents are drawn on request.
      const lost = this.drawn.splice(0)
      this.result.failed += lost.length
      for (const d of lost) this.opts.onError?.(d.invoiceId, err as Error)
    }
    this.flushing = false
    if (this.drawn.length > 0) this.scheduleFlush()
    this.settle()
  }
}
