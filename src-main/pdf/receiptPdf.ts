/**
 * The 80 mm counter receipt (docs/invoices-pdf.md): one page 80 mm wide and as tall as its
 * content, for roll printers. Labels on the left, values on the right; a value too long to share
 * its label's line goes under it. Amounts with formatMoney, as the wizard's screen shows them.
 */
import { PDFDocument } from 'pdf-lib'
import type { ReceiptDocument } from '../../src-shared/domain'
import { formatDateTime } from '../../src-shared/format'
import { formatMoney } from '../../src-shared/money'
import { addressLines, drawCentered, drawLeft, drawRight, embedLogo, fitScale, GREY, MM, RULE, type TextStyle, textWidth, wrap } from './draw'
import { embedDocumentFonts, printable, SAVE_OPTIONS } from './fonts'

export const RECEIPT_WIDTH = 80 * MM
const MARGIN = 4 * MM
const LEFT = MARGIN
const RIGHT = RECEIPT_WIDTH - MARGIN
const WIDTH = RIGHT - LEFT
const ROW = 11

type Op =
  | { kind: 'left' | 'right' | 'centre'; text: string; style: TextStyle; height: number }
  | { kind: 'pair'; label: string; value: string; style: TextStyle; height: number }
  | { kind: 'rule' | 'gap'; height: number }
  | { kind: 'logo'; height: number; width: number }

export async function receiptPdf(receipt: ReceiptDocument): Promise<Uint8Array> {
  const doc = await PDFDocument.create()
  const fonts = await embedDocumentFonts(doc)
  const logo = await embedLogo(doc, receipt.company)
  doc.setTitle(printable(`Receipt ${receipt.receiptNumber}`))
  doc.setAuthor(printable(receipt.company.name))
  doc.setCreator('Callshop billing desk')
  doc.setProducer('Callshop billing desk (pdf-lib)')

  const body: TextStyle = { font: fonts.regular, size: 8 }
  const label: TextStyle = { font: fonts.regular, size: 8, color: GREY }
  const money = (m: number) => formatMoney(m, receipt.currency)

  // Lay out first: the page is as tall as what it holds.
  const ops: Op[] = []
  const centred = (text: string, style: TextStyle) => {
    for (const line of wrap(text, WIDTH, style)) ops.push({ kind: 'centre', text: line, style, height: style.size + 3 })
  }
  const pair = (k: string, v: string, style: TextStyle = body) => {
    const value = printable(v)
    if (textWidth(k, label) + 6 + textWidth(value, style) <= WIDTH) {
      ops.push({ kind: 'pair', label: k, value, style, height: Math.max(ROW, style.size + 4) })
      return
    }
    // Too long for one line: the label, then the value right-aligned (wrapped) under it.
    ops.push({ kind: 'left', text: k, style: label, height: ROW })
    for (const line of wrap(v, WIDTH - 6, style)) ops.push({ kind: 'right', text: line, style, height: ROW })
  }

  let logoScale = 1
  if (logo) {
    logoScale = fitScale(logo, 40 * MM, 15 * MM)
    ops.push({ kind: 'logo', width: logo.width * logoScale, height: logo.height * logoScale + 2 * MM })
  }
  centred(receipt.company.name, { font: fonts.bold, size: 10 })
  for (const line of addressLines(receipt.company.address)) centred(line, body)
  ops.push({ kind: 'gap', height: 2 * MM })
  centred(receipt.operation, { font: fonts.bold, size: 11 })
  centred(`Receipt ${receipt.receiptNumber}`, body)
  ops.push({ kind: 'gap', height: 1 * MM }, { kind: 'rule', height: 2 * MM })
  pair('Date and time', formatDateTime(receipt.at))
  pair('Customer', receipt.customer.name)
  pair('Customer ID', receipt.customer.customerId)
  pair('Operation', receipt.operation)
  ops.push({ kind: 'rule', height: 2 * MM })
  pair('Amount', money(receipt.amountMinor), { font: fonts.bold, size: 10 })
  if (receipt.balanceBeforeMinor !== undefined) pair(`${receipt.balanceLabel} before`, money(receipt.balanceBeforeMinor))
  pair(`${receipt.balanceLabel} after`, money(receipt.balanceAfterMinor))
  if (receipt.appliedTo && receipt.appliedTo.length > 0) {
    ops.push({ kind: 'left', text: 'Applied to', style: label, height: ROW })
    for (const a of receipt.appliedTo) for (const line of wrap(a, WIDTH - 6, body)) ops.push({ kind: 'right', text: line, style: body, height: ROW })
  }
  ops.push({ kind: 'rule', height: 2 * MM })
  for (const d of receipt.details ?? []) pair(d.label, d.value)
  pair('Operator', receipt.operatorName)
  if (receipt.visibleComment?.trim()) pair('Comment', receipt.visibleComment.trim())
  ops.push({ kind: 'gap', height: 2 * MM })
  centred('Thank you. Keep this receipt for your records.', { font: fonts.regular, size: 7, color: GREY })

  const height = MARGIN * 2 + ops.reduce((sum, op) => sum + op.height, 0)
  const page = doc.addPage([RECEIPT_WIDTH, height])
  let y = height - MARGIN
  for (const op of ops) {
    switch (op.kind) {
      case 'logo':
        page.drawImage(logo!, { x: (RECEIPT_WIDTH - op.width) / 2, y: y - op.height + 2 * MM, width: op.width, height: op.height - 2 * MM })
        break
      case 'centre':
        drawCentered(page, op.text, RECEIPT_WIDTH / 2, y - op.style.size, op.style)
        break
      case 'left':
        drawLeft(page, op.text, LEFT, y - op.style.size, op.style)
        break
      case 'right':
        drawRight(page, op.text, RIGHT, y - op.style.size, op.style)
        break
      case 'pair':
        drawLeft(page, op.label, LEFT, y - op.style.size, label)
        drawRight(page, op.value, RIGHT, y - op.style.size, op.style)
        break
      case 'rule':
        page.drawLine({ start: { x: LEFT, y: y - op.height / 2 }, end: { x: RIGHT, y: y - op.height / 2 }, thickness: 0.5, color: RULE, dashArray: [2, 2] })
        break
      case 'gap':
        break
    }
    y -= op.height
  }
  return doc.save(SAVE_OPTIONS)
}
