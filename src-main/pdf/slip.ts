/**
 * The 80 mm slip the counter prints (docs/invoices-pdf.md): one page 80 mm wide and as tall as its
 * content, for roll printers. Labels on the left, values on the right; a value too long to share
 * its label's line goes under it. The receipt and the shift report are both laid out here.
 */
import { PDFDocument } from 'pdf-lib'
import type { DocumentCompany } from '../../src-shared/domain'
import { addressLines, drawCentered, drawLeft, drawRight, embedLogo, fitScale, GREY, MM, RULE, type TextStyle, textWidth, wrap } from './draw'
import { type DocumentFonts, embedDocumentFonts, printable, SAVE_OPTIONS } from './fonts'

export const SLIP_WIDTH = 80 * MM
const MARGIN = 4 * MM
const LEFT = MARGIN
const RIGHT = SLIP_WIDTH - MARGIN
const WIDTH = RIGHT - LEFT
const ROW = 11

type Op =
  | { kind: 'left' | 'right' | 'centre'; text: string; style: TextStyle; height: number }
  | { kind: 'pair'; label: string; value: string; style: TextStyle; height: number }
  | { kind: 'rule' | 'gap'; height: number }
  | { kind: 'logo'; height: number; width: number }

/** What a slip's content is written with, top to bottom. */
export interface Slip {
  fonts: DocumentFonts
  /** Body text (8 pt) and grey labels. */
  body: TextStyle
  label: TextStyle
  centred(text: string, style: TextStyle): void
  /** A label on the left, its value on the right (or under it, wrapped, when too long). */
  pair(label: string, value: string, style?: TextStyle): void
  /** A grey label line, then values right-aligned under it. */
  list(label: string, values: readonly string[]): void
  rule(): void
  gap(mm: number): void
}

/** Draws a slip: the company heading (logo, name, address), then what `content` writes. */
export async function slipPdf(meta: { title: string; company: DocumentCompany }, content: (s: Slip) => void): Promise<Uint8Array> {
  const doc = await PDFDocument.create()
  const fonts = await embedDocumentFonts(doc)
  const logo = await embedLogo(doc, meta.company)
  doc.setTitle(printable(meta.title))
  doc.setAuthor(printable(meta.company.name))
  doc.setCreator('Callshop billing desk')
  doc.setProducer('Callshop billing desk (pdf-lib)')

  const body: TextStyle = { font: fonts.regular, size: 8 }
  const label: TextStyle = { font: fonts.regular, size: 8, color: GREY }

  // Lay out first: the page is as tall as what it holds.
  const ops: Op[] = []
  const slip: Slip = {
    fonts,
    body,
    label,
    centred(text, style) {
      for (const line of wrap(text, WIDTH, style)) ops.push({ kind: 'centre', text: line, style, height: style.size + 3 })
    },
    pair(k, v, style = body) {
      const value = printable(v)
      if (textWidth(k, label) + 6 + textWidth(value, style) <= WIDTH) {
        ops.push({ kind: 'pair', label: k, value, style, height: Math.max(ROW, style.size + 4) })
        return
      }
      // Too long for one line: the label, then the value right-aligned (wrapped) under it.
      ops.push({ kind: 'left', text: k, style: label, height: ROW })
      for (const line of wrap(v, WIDTH - 6, style)) ops.push({ kind: 'right', text: line, style, height: ROW })
    },
    list(k, values) {
      ops.push({ kind: 'left', text: k, style: label, height: ROW })
      for (const v of values) for (const line of wrap(v, WIDTH - 6, body)) ops.push({ kind: 'right', text: line, style: body, height: ROW })
    },
    rule() {
      ops.push({ kind: 'rule', height: 2 * MM })
    },
    gap(mm) {
      ops.push({ kind: 'gap', height: mm * MM })
    }
  }

  let logoScale = 1
  if (logo) {
    logoScale = fitScale(logo, 40 * MM, 15 * MM)
    ops.push({ kind: 'logo', width: logo.width * logoScale, height: logo.height * logoScale + 2 * MM })
  }
  slip.centred(meta.company.name, { font: fonts.bold, size: 10 })
  for (const line of addressLines(meta.company.address)) slip.centred(line, body)
  slip.gap(2)
  content(slip)

  const height = MARGIN * 2 + ops.reduce((sum, op) => sum + op.height, 0)
  const page = doc.addPage([SLIP_WIDTH, height])
  let y = height - MARGIN
  for (const op of ops) {
    switch (op.kind) {
      case 'logo':
        page.drawImage(logo!, { x: (SLIP_WIDTH - op.width) / 2, y: y - op.height + 2 * MM, width: op.width, height: op.height - 2 * MM })
        break
      case 'centre':
        drawCentered(page, op.text, SLIP_WIDTH / 2, y - op.style.size, op.style)
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
