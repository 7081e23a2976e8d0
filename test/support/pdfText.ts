/**
 * The text of a PDF, two ways, for tests that check what a printed document says:
 *
 * - `pdftotext` (poppler-utils), the reader the issue names, when the machine has it;
 * - `pdfTextOf`, a small reader of the PDFs this app writes, which needs nothing installed: it
 *   parses the file with pdf-lib (a dependency already), maps the glyph IDs each page shows back
 *   to Unicode through the font's ToUnicode map, which is also how pdftotext and a person's
 *   copy-and-paste read the text. So `npm test` never depends on a package installed with apt.
 *   It reads what pdf-lib writes (Tj/TJ with hex strings, Identity-H fonts), not any PDF.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { inflateSync } from 'node:zlib'
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFRawStream, PDFRef, type PDFObject } from 'pdf-lib'

function streamBytes(obj: PDFObject | undefined, doc: PDFDocument): Buffer {
  const stream = obj instanceof PDFRef ? doc.context.lookup(obj) : obj
  if (!(stream instanceof PDFRawStream)) return Buffer.alloc(0)
  const filter = stream.dict.get(PDFName.of('Filter'))
  return filter === PDFName.of('FlateDecode') ? inflateSync(Buffer.from(stream.contents)) : Buffer.from(stream.contents)
}

/** glyph id (hex) -> text, from a ToUnicode CMap's bfchar and bfrange sections. */
function toUnicodeMap(cmap: string): Map<number, string> {
  const map = new Map<number, string>()
  const utf16 = (hex: string) => {
    const units: number[] = []
    for (let i = 0; i < hex.length; i += 4) units.push(Number.parseInt(hex.slice(i, i + 4), 16))
    return String.fromCharCode(...units)
  }
  for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const m of block[1]!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>/g)) map.set(Number.parseInt(m[1]!, 16), utf16(m[2]!))
  }
  for (const block of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const m of block[1]!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(\[[^\]]*\]|<[0-9a-fA-F]+>)/g)) {
      const lo = Number.parseInt(m[1]!, 16)
      const hi = Number.parseInt(m[2]!, 16)
      const dst = m[3]!
      if (dst.startsWith('[')) {
        let g = lo
        for (const d of dst.matchAll(/<([0-9a-fA-F]+)>/g)) map.set(g++, utf16(d[1]!))
      } else {
        const base = dst.slice(1, -1)
        const first = Number.parseInt(base.slice(-4), 16)
        for (let g = lo; g <= hi; g++) map.set(g, utf16(base.slice(0, -4)) + String.fromCharCode(first + g - lo))
      }
    }
  }
  return map
}

/** The text shown on each page, one string per text-showing operator, in drawing order. */
export async function pdfTextOf(bytes: Uint8Array): Promise<string> {
  const doc = await PDFDocument.load(bytes)
  const out: string[] = []
  for (const page of doc.getPages()) {
    const fonts = new Map<string, Map<number, string>>()
    const fontDict = page.node.Resources()?.lookup(PDFName.of('Font'), PDFDict)
    for (const [name, ref] of fontDict?.entries() ?? []) {
      const font = doc.context.lookup(ref, PDFDict)
      fonts.set(name.decodeText(), toUnicodeMap(streamBytes(font.get(PDFName.of('ToUnicode')), doc).toString('latin1')))
    }
    const contents = page.node.get(PDFName.of('Contents'))
    const parts = contents instanceof PDFArray ? contents.asArray() : contents ? [contents] : []
    const ops = parts.map((p) => streamBytes(p, doc).toString('latin1')).join('\n')
    let current = new Map<number, string>()
    for (const m of ops.matchAll(/\/(\S+)\s+[\d.]+\s+Tf|<([0-9a-fA-F]*)>\s*Tj/g)) {
      if (m[1] !== undefined) {
        current = fonts.get(m[1]) ?? new Map()
        continue
      }
      const hex = m[2]!
      let text = ''
      for (let i = 0; i < hex.length; i += 4) text += current.get(Number.parseInt(hex.slice(i, i + 4), 16)) ?? '\uFFFD'
      out.push(text)
    }
    out.push('\f')
  }
  return out.join('\n')
}

/** True when poppler's pdftotext is on PATH. */
export function hasPdftotext(): boolean {
  return spawnSync('pdftotext', ['-v'], { stdio: 'ignore' }).error === undefined
}

/** pdftotext's reading of the PDF (its default reading order). */
export function pdftotext(bytes: Uint8Array): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pdftext-'))
  try {
    const file = path.join(dir, 'doc.pdf')
    fs.writeFileSync(file, bytes)
    return execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' })
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

/**
 * Every reading available here: always pdfTextOf, and pdftotext where installed, so a test's
 * assertions hold for both readers without a skipped test on machines without poppler.
 */
export async function pdfReadings(bytes: Uint8Array): Promise<{ reader: string; text: string }[]> {
  const readings = [{ reader: 'pdf-lib ToUnicode reader', text: await pdfTextOf(bytes) }]
  if (hasPdftotext()) readings.push({ reader: 'pdftotext', text: pdftotext(bytes) })
  return readings
}
