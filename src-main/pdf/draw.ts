/** Text drawing shared by the invoice and the receipt: printable text, alignment and wrapping. */
import { type PDFDocument, type PDFFont, type PDFImage, type PDFPage, rgb } from 'pdf-lib'
import type { DocumentCompany } from '../../src-shared/domain'
import { printable } from './fonts'

export const MM = 72 / 25.4
export const INK = rgb(0.1, 0.1, 0.1)
export const GREY = rgb(0.42, 0.42, 0.42)
export const RULE = rgb(0.75, 0.75, 0.75)

export interface TextStyle {
  font: PDFFont
  size: number
  color?: ReturnType<typeof rgb>
}

export function textWidth(text: string, style: TextStyle): number {
  return style.font.widthOfTextAtSize(text, style.size)
}

/** Draws already printable text with its left edge at x and baseline at y. */
export function drawLeft(page: PDFPage, text: string, x: number, y: number, style: TextStyle): void {
  if (text !== '') page.drawText(text, { x, y, font: style.font, size: style.size, color: style.color ?? INK })
}

/** Draws already printable text ending at `right` (amounts line up on their last digit). */
export function drawRight(page: PDFPage, text: string, right: number, y: number, style: TextStyle): void {
  drawLeft(page, text, right - textWidth(text, style), y, style)
}

export function drawCentered(page: PDFPage, text: string, centre: number, y: number, style: TextStyle): void {
  drawLeft(page, text, centre - textWidth(text, style) / 2, y, style)
}

/**
 * Splits text (made printable here) into lines no wider than `width`: at spaces, and inside a word
 * only when the word alone is wider than the line. Newlines in the text start new lines.
 */
export function wrap(text: string, width: number, style: TextStyle): string[] {
  const lines: string[] = []
  for (const paragraph of text.split(/\r?\n/)) {
    let line = ''
    for (const word of printable(paragraph)
      .split(' ')
      .filter((w) => w !== '')) {
      const candidate = line === '' ? word : `${line} ${word}`
      if (textWidth(candidate, style) <= width) {
        line = candidate
        continue
      }
      if (line !== '') lines.push(line)
      line = word
      while (textWidth(line, style) > width) {
        // A word wider than the line (a long ID): cut it where it stops fitting.
        const chars = Array.from(line)
        let n = chars.length - 1
        while (n > 1 && textWidth(chars.slice(0, n).join(''), style) > width) n--
        lines.push(chars.slice(0, n).join(''))
        line = chars.slice(n).join('')
      }
    }
    if (line !== '') lines.push(line)
  }
  return lines
}

/** The address as typed in Settings or on the customer: one printable line per non-empty line. */
export function addressLines(address: string): string[] {
  return address
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '')
}

/** The company's logo embedded into `doc`, or null when Settings has none. */
export async function embedLogo(doc: PDFDocument, company: DocumentCompany): Promise<PDFImage | null> {
  const logo = company.logo
  if (!logo) return null
  return logo.type === 'png' ? doc.embedPng(logo.bytes) : doc.embedJpg(logo.bytes)
}

/** Scale factor that fits an image into a box without enlarging it past its own size. */
export function fitScale(image: PDFImage, maxWidth: number, maxHeight: number): number {
  return Math.min(maxWidth / image.width, maxHeight / image.height, 1)
}
