/**
 * The A4 invoice PDF (docs/invoices-pdf.md): company header and logo, the customer's address, the
 * lines by service with right-aligned amounts, taxes, totals, payments applied, amount due, status
 * and visible comments; a VOID mark across every page of a voided invoice. Lines that do not fit
 * continue on further pages, each with the table header repeated and "page i of n".
 *
 * Amounts are written with formatMinor/formatMoney, the functions the screens use, so the paper
 * and the screen agree to the cent. Plain TypeScript: no Electron.
 */
import { degrees, PDFDocument, type PDFFont, type PDFPage, rgb } from 'pdf-lib'
import type { InvoiceDocument } from '../../src-shared/domain'
import { formatDate } from '../../src-shared/format'
import { INVOICE_STATUS_LABEL } from '../../src-shared/labels'
import { formatMinor, formatMoney } from '../../src-shared/money'
import { addressLines, drawLeft, drawRight, embedLogo, fitScale, GREY, MM, RULE, type TextStyle, textWidth, wrap } from './draw'
import { embedDocumentFonts, printable, SAVE_OPTIONS } from './fonts'

const A4: [number, number] = [595.28, 841.89]
const MARGIN = 18 * MM
const BOTTOM = 22 * MM // room for the footer
const LEFT = MARGIN
const RIGHT = A4[0] - MARGIN
const WIDTH = RIGHT - LEFT
const AMOUNT_COLUMN = 110 // the amounts' column; descriptions wrap before it
const ROW = 13 // baseline to baseline of 9 pt text
const VOID_RED = rgb(0.78, 0.1, 0.1)

export const INVOICE_PDF_TITLE = 'INVOICE'

/**
 * The comments an invoice prints: the visible comments of its items, in order, without blanks or
 * repeats. Internal comments are for the office only and never reach a document.
 */
export function visibleCommentsOf(items: readonly { visibleComment: string; internalComment?: string }[]): string[] {
  const out: string[] = []
  for (const item of items) {
    const text = item.visibleComment.trim()
    if (text !== '' && !out.includes(text)) out.push(text)
  }
  return out
}

/** Draws the invoice as an A4 PDF and returns its bytes. */
export async function invoicePdf(invoice: InvoiceDocument): Promise<Uint8Array> {
  const doc = await PDFDocument.create()
  const fonts = await embedDocumentFonts(doc)
  const logo = await embedLogo(doc, invoice.company)
  const title = `Invoice ${invoice.number}`
  doc.setTitle(printable(title))
  doc.setAuthor(printable(invoice.company.name))
  doc.setSubject(printable(`${title} for ${invoice.customer.name}`))
  doc.setCreator('Callshop billing desk')
  doc.setProducer('Callshop billing desk (pdf-lib)')

  const body: TextStyle = { font: fonts.regular, size: 9 }
  const small: TextStyle = { font: fonts.regular, size: 8, color: GREY }
  const label: TextStyle = { font: fonts.regular, size: 9, color: GREY }
  const strong: TextStyle = { font: fonts.bold, size: 9 }
  const cur = invoice.currency
  const minor = (m: number) => formatMinor(m, cur)
  const money = (m: number) => formatMoney(m, cur)

  let page = doc.addPage(A4)
  let y = A4[1] - MARGIN

  // --- Header: the company on the left, the invoice's facts on the right -----------------------
  // The logo (at most 40 x 18 mm) beside the company's name and address, which wrap before the facts.
  let left = y
  let textX = LEFT
  let logoBottom = y
  if (logo) {
    const s = fitScale(logo, 40 * MM, 18 * MM)
    page.drawImage(logo, { x: LEFT, y: y - logo.height * s, width: logo.width * s, height: logo.height * s })
    textX = LEFT + logo.width * s + 4 * MM
    logoBottom = y - logo.height * s
  }
  const textWidthMax = RIGHT - 214 - textX
  const companyName: TextStyle = { font: fonts.bold, size: 13 }
  for (const line of wrap(invoice.company.name, textWidthMax, companyName)) {
    left -= 13
    drawLeft(page, line, textX, left, companyName)
  }
  for (const line of addressLines(invoice.company.address)) {
    for (const part of wrap(line, textWidthMax, body)) {
      left -= ROW
      drawLeft(page, part, textX, left, body)
    }
  }
  left = Math.min(left, logoBottom)

  let right = y - 20
  drawRight(page, INVOICE_PDF_TITLE, RIGHT, right, { font: fonts.bold, size: 20 })
  right -= 8
  const facts: [string, string][] = [
    ['Invoice number', invoice.number],
    ['Issue date', formatDate(invoice.issueDate)],
    ['Due date', invoice.dueDate === invoice.issueDate ? `${formatDate(invoice.dueDate)} (on receipt)` : formatDate(invoice.dueDate)],
    ['Period', `${formatDate(invoice.period.from)} – ${formatDate(invoice.period.to)}`],
    ['Customer ID', invoice.customer.customerId],
    ['Status', INVOICE_STATUS_LABEL[invoice.status]]
  ]
  if (invoice.previousBalanceMinor !== undefined) facts.push(['Previous balance', money(invoice.previousBalanceMinor)])
  const factLabelX = RIGHT - 210
  for (const [k, v] of facts) {
    right -= ROW
    drawLeft(page, k, factLabelX, right, label)
    const style = k === 'Invoice number' || k === 'Status' ? strong : body
    const value = printable(v)
    // A value longer than its column (a very long customer ID) is set smaller rather than over its label.
    const room = RIGHT - factLabelX - textWidth(k, label) - 8
    const fits = textWidth(value, style) <= room ? style : { ...style, size: Math.max(5, (style.size * room) / textWidth(value, style)) }
    drawRight(page, value, RIGHT, right, fits)
  }
  y = Math.min(left, right) - 8 * MM

  if (invoice.void) {
    const text = invoice.replacedBy ? `VOID — replaced by invoice ${invoice.replacedBy}` : 'VOID — this invoice is cancelled'
    drawLeft(page, printable(text), LEFT, y, { font: fonts.bold, size: 11, color: VOID_RED })
    y -= 8 * MM
  }

  // --- The customer's address ----------------------------------------------------------------------
  drawLeft(page, 'Bill to', LEFT, y, label)
  y -= 14
  const customerName: TextStyle = { font: fonts.bold, size: 11 }
  for (const line of wrap(invoice.customer.name, WIDTH * 0.6, customerName)) {
    drawLeft(page, line, LEFT, y, customerName)
    y -= 14
  }
  for (const line of addressLines(invoice.customer.address)) {
    for (const part of wrap(line, WIDTH * 0.6, body)) {
      drawLeft(page, part, LEFT, y, body)
      y -= ROW
    }
  }
  y -= 6 * MM

  // --- Pages after the first: a short header, then whatever continues ----------------------------
  const newPage = () => {
    page = doc.addPage(A4)
    y = A4[1] - MARGIN - 9
    drawLeft(page, printable(invoice.company.name), LEFT, y, strong)
    drawRight(page, printable(`${title} (continued)`), RIGHT, y, strong)
    y -= 10 * MM
  }
  /** Starts a new page when `height` points do not fit above the footer; true when it did. */
  const room = (height: number): boolean => {
    if (y - height >= BOTTOM) return false
    newPage()
    return true
  }
  const rule = (weight = 0.5) => page.drawLine({ start: { x: LEFT, y }, end: { x: RIGHT, y }, thickness: weight, color: RULE })

  // --- Lines by service ----------------------------------------------------------------------------
  const tableHeader = () => {
    drawLeft(page, 'Description', LEFT, y, strong)
    drawRight(page, `Amount (${cur})`, RIGHT, y, strong)
    y -= 5
    rule()
    y -= ROW
  }
  tableHeader()
  const descWidth = WIDTH - AMOUNT_COLUMN
  for (const line of invoice.lines) {
    const desc = wrap(line.description, descWidth, body)
    const detail = line.detail ? wrap(line.detail, descWidth, small) : []
    const height = (desc.length + detail.length) * ROW + 3
    if (room(height)) tableHeader()
    drawRight(page, minor(line.amountMinor), RIGHT, y, body)
    for (const d of desc) {
      drawLeft(page, d, LEFT, y, body)
      y -= ROW
    }
    for (const d of detail) {
      drawLeft(page, d, LEFT + 8, y + 1, small)
      y -= ROW
    }
    y -= 3
  }
  if (invoice.lines.length === 0) {
    drawLeft(page, 'No charges in this period.', LEFT, y, label)
    y -= ROW
  }
  y += ROW - 5
  rule()
  y -= ROW + 2

  // --- Totals: right half, labels left of the amounts --------------------------------------------
  const totalsLabelX = LEFT + WIDTH / 2
  const totalRow = (k: string, v: string, style: TextStyle) => {
    drawLeft(page, printable(k), totalsLabelX, y, style)
    drawRight(page, v, RIGHT, y, style)
    y -= ROW + (style.size - 9)
  }
  room(ROW * (3 + invoice.taxes.length))
  totalRow('Subtotal', money(invoice.subtotalMinor), body)
  for (const tax of invoice.taxes) totalRow(tax.name, money(tax.amountMinor), body)
  y += 4
  page.drawLine({ start: { x: totalsLabelX, y: y + 1 }, end: { x: RIGHT, y: y + 1 }, thickness: 0.5, color: RULE })
  y -= ROW - 3
  totalRow('Total', money(invoice.totalMinor), { font: fonts.bold, size: 10 })
  // The balance-forward rows the invoice view shows under the total (payments received, closing balance...).
  const account = invoice.account ?? []
  if (account.length > 0) {
    room(ROW * account.length)
    for (const a of account) totalRow(a.label, money(a.amountMinor), body)
  }
  y -= 4 * MM

  // --- Payments, credits and reductions applied -------------------------------------------------
  if (invoice.payments.length > 0) {
    room(ROW * 3)
    drawLeft(page, 'Payments and credits applied', LEFT, y, strong)
    y -= 5
    rule()
    y -= ROW
    for (const p of invoice.payments) {
      const desc = wrap(p.description, descWidth - 80, body)
      room(desc.length * ROW)
      drawLeft(page, formatDate(p.date), LEFT, y, body)
      drawRight(page, minor(p.amountMinor), RIGHT, y, body)
      for (const d of desc) {
        drawLeft(page, d, LEFT + 80, y, body)
        y -= ROW
      }
    }
    y -= 4 * MM
  }

  // --- Amount due and status -----------------------------------------------------------------------
  room(ROW * 3)
  const due: TextStyle = { font: fonts.bold, size: 12 }
  page.drawLine({ start: { x: totalsLabelX, y: y + ROW - 2 }, end: { x: RIGHT, y: y + ROW - 2 }, thickness: 1, color: RULE })
  y -= 2
  totalRow('Amount due', money(invoice.amountDueMinor), due)
  totalRow('Status', INVOICE_STATUS_LABEL[invoice.status], body)
  y -= 4 * MM

  // --- Visible comments (internal comments are not part of the document model) ----------------------
  const notes = invoice.visibleComments.filter((c) => c.trim() !== '')
  if (notes.length > 0) {
    room(ROW * 2)
    drawLeft(page, 'Notes', LEFT, y, strong)
    y -= ROW + 2
    for (const note of notes) {
      for (const line of wrap(note, WIDTH, body)) {
        room(ROW)
        drawLeft(page, line, LEFT, y, body)
        y -= ROW
      }
      y -= 3
    }
  }

  // --- Every page: footer, and the VOID mark of a voided invoice -----------------------------------
  const pages = doc.getPages()
  pages.forEach((p, i) => {
    drawLeft(p, printable(invoice.company.name), LEFT, 12 * MM, small)
    drawRight(p, printable(`${title} · page ${i + 1} of ${pages.length}`), RIGHT, 12 * MM, small)
    if (invoice.void) voidMark(p, fonts.bold)
  })

  return doc.save(SAVE_OPTIONS)
}

/** A large translucent "VOID" across the page's centre, under 35 degrees. */
function voidMark(page: PDFPage, font: PDFFont): void {
  const size = 150
  const angle = 35
  const w = textWidth('VOID', { font, size })
  const h = font.heightAtSize(size, { descender: false })
  const rad = (angle * Math.PI) / 180
  // Rotation is about the text's origin: move the origin so the middle of the word is the middle of the page.
  const x = A4[0] / 2 - ((w / 2) * Math.cos(rad) - (h / 2) * Math.sin(rad))
  const y = A4[1] / 2 - ((w / 2) * Math.sin(rad) + (h / 2) * Math.cos(rad))
  page.drawText('VOID', { x, y, size, font, color: VOID_RED, opacity: 0.18, rotate: degrees(angle) })
}
