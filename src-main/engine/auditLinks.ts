/**
 * The records an audit entry names, as links (issue 12 item 2): derived when the entry is read,
 * from its customer, its source (kind, id) and the invoice numbers, xDR ids and price list names
 * in its text. Nothing is stored: the hash of an entry is unchanged. A name that resolves to no
 * record (a deleted import, a renamed list) gives no link.
 */
import type { AuditLink } from '../../src-shared/domain'
import type { DbReader } from '../db/store'

/** What a link is derived from: the stored entry's columns. */
export interface LinkSource {
  customer_id: number | null
  kind: string
  description: string
  source_kind: string | null
  source_id: number | null
}

/** Source kinds that name something other than a ledger record (xDR). */
const NOT_XDR = new Set(['invoice', 'usage-import', 'rerating', 'shift'])

/** "invoice INV-000001", "invoices INV-1, INV-2": the words after it, up to punctuation that ends a list. */
const INVOICE_WORDS = /\binvoices?\s+([^\s:;()]+(?:,\s*[^\s:;()]+)*)/gi
/** "xDR id 2204", "xDR id 12, 13". */
const XDR_IDS = /\bxDR id ((?:\d+)(?:,\s*\d+)*)/g
/** "re-rating 5" in a text (a correction's entry, a cancelled run's): the run. */
const RERATING_WORDS = /\bre-rating (\d+)\b/gi
/** A quoted name in a price list entry. */
const QUOTED = /"([^"]+)"/g

/** Reads the records an entry may name, remembered across the entries of one answer. */
export class LinkResolver {
  private customers = new Map<number, string | null>()
  private invoices = new Map<string, { id: number; customer_id: number } | null>()
  private invoicesById = new Map<number, { number: string; customer_id: number } | null>()
  private xdrs = new Map<number, { customer_id: number | null; started_at: string } | undefined>()
  private lists = new Map<string, number | null>()

  constructor(private readonly r: DbReader) {}

  links(e: LinkSource): AuditLink[] {
    const out: AuditLink[] = []
    const seen = new Set<string>()
    const add = (l: AuditLink) => {
      const key = `${l.kind}:${l.id}`
      if (seen.has(key)) return
      seen.add(key)
      out.push(l)
    }
    if (e.customer_id !== null) {
      const name = this.customerName(e.customer_id)
      if (name !== null) add({ kind: 'customer', id: e.customer_id, customerId: e.customer_id, label: name })
    }
    if (e.source_kind === 'invoice' && e.source_id !== null) {
      const n = this.invoiceById(e.source_id)
      if (n) add({ kind: 'invoice', id: e.source_id, customerId: n.customer_id, label: `Invoice ${n.number}` })
    }
    for (const m of e.description.matchAll(INVOICE_WORDS)) {
      for (const word of m[1]!.split(',')) {
        const number = word.trim().replace(/[.,]+$/, '')
        const inv = this.invoice(number)
        if (inv && (e.customer_id === null || inv.customer_id === e.customer_id))
          add({ kind: 'invoice', id: inv.id, customerId: inv.customer_id, label: `Invoice ${number}` })
      }
    }
    if (e.source_kind === 'usage-import' && e.source_id !== null && this.r.get('SELECT 1 AS found FROM usage_imports WHERE id = ?', [e.source_id])) {
      add({ kind: 'usageImport', id: e.source_id, customerId: null, label: `Usage import ${e.source_id}` })
    }
    const runs = e.source_kind === 'rerating' && e.source_id !== null ? [e.source_id] : []
    for (const m of e.description.matchAll(RERATING_WORDS)) runs.push(Number(m[1]))
    for (const id of runs) {
      if (this.r.get('SELECT 1 AS found FROM reratings WHERE id = ?', [id])) add({ kind: 'rerating', id, customerId: null, label: `Re-rating run ${id}` })
    }
    const xdrIds: number[] = []
    if (e.source_kind !== null && !NOT_XDR.has(e.source_kind) && e.source_id !== null) xdrIds.push(e.source_id)
    for (const m of e.description.matchAll(XDR_IDS)) for (const id of m[1]!.split(',')) xdrIds.push(Number(id.trim()))
    for (const id of xdrIds) {
      const x = this.xdr(id)
      if (x !== undefined) add({ kind: 'xdr', id, customerId: x.customer_id, label: `xDR ${id}`, day: x.started_at.slice(0, 10) })
    }
    if (e.kind.startsWith('priceList.')) {
      for (const m of e.description.matchAll(QUOTED)) {
        const id = this.priceList(m[1]!)
        if (id !== null) add({ kind: 'priceList', id, customerId: null, label: `Price list "${m[1]!}"` })
      }
    }
    return out
  }

  private customerName(id: number): string | null {
    if (!this.customers.has(id)) this.customers.set(id, this.r.get<{ customer_id: string }>('SELECT customer_id FROM customers WHERE id = ?', [id])?.customer_id ?? null)
    return this.customers.get(id) ?? null
  }

  private invoiceById(id: number): { number: string; customer_id: number } | null {
    if (!this.invoicesById.has(id)) {
      this.invoicesById.set(id, this.r.get<{ number: string; customer_id: number }>('SELECT number, customer_id FROM invoices WHERE id = ?', [id]) ?? null)
    }
    return this.invoicesById.get(id) ?? null
  }

  private invoice(number: string): { id: number; customer_id: number } | null {
    if (!this.invoices.has(number)) {
      this.invoices.set(number, this.r.get<{ id: number; customer_id: number }>('SELECT id, customer_id FROM invoices WHERE number = ?', [number]) ?? null)
    }
    return this.invoices.get(number) ?? null
  }

  /** The record's customer (null for one without) and time, or undefined when no such record exists. */
  private xdr(id: number): { customer_id: number | null; started_at: string } | undefined {
    if (!this.xdrs.has(id))
      this.xdrs.set(id, this.r.get<{ customer_id: number | null; started_at: string }>('SELECT customer_id, started_at FROM xdrs WHERE id = ?', [id]))
    return this.xdrs.get(id)
  }

  private priceList(name: string): number | null {
    if (!this.lists.has(name)) this.lists.set(name, this.r.get<{ id: number }>('SELECT id FROM price_lists WHERE name = ?', [name])?.id ?? null)
    return this.lists.get(name) ?? null
  }
}
