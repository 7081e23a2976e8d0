/**
 * The Unicode font of every PDF document: DejaVu Sans cut down to Latin, Greek and Cyrillic
 * (resources/fonts, scripts/make-pdf-fonts.sh, docs/invoices-pdf.md).
 *
 * Cost, measured: parsing the font is a large part of a one-page invoice, so the bytes are read
 * and parsed once per process and every document reuses the parsed font; each document embeds
 * only the glyphs it uses (pdf-lib's subsetting), which keeps a one-page invoice near 10 KB.
 */
import fs from 'node:fs'
import path from 'node:path'
import * as fontkitModule from '@pdf-lib/fontkit'
import type { PDFDocument, PDFFont } from 'pdf-lib'
import { locatePdfFontDir, PDF_FONT_FILES } from '../paths'

/** What a character outside the font's scripts prints as (the font has a glyph for it). */
export const REPLACEMENT_CHARACTER = '\uFFFD'

type Fontkit = Parameters<PDFDocument['registerFontkit']>[0]
// The package's ES build has only a default export, its CommonJS build and types only named ones.
const fontkit = ((fontkitModule as { default?: Fontkit }).default ?? fontkitModule) as Fontkit
type ParsedFont = ReturnType<Fontkit['create']>

export interface PdfFontSet {
  regular: Uint8Array
  bold: Uint8Array
  /** Code points both faces can draw. */
  covered: ReadonlySet<number>
}

let fontSet: PdfFontSet | null = null
const parsed = new Map<Uint8Array, ParsedFont>()

/**
 * fontkit as pdf-lib calls it, but a font's bytes are parsed once: pdf-lib parses on every
 * embedFont, and only reads the parsed font afterwards (layout, glyph metrics, a new subset per
 * document), so sharing it across documents is safe.
 */
const onceFontkit: Fontkit = {
  create(buffer: Uint8Array, postscriptName?: string) {
    let font = parsed.get(buffer)
    if (font === undefined) {
      font = fontkit.create(buffer, postscriptName)
      // fontkit caches a glyph object per glyph with the code points it was first looked up by,
      // and pdf-lib's ToUnicode map (what pdftotext and copy-and-paste read) comes from them. A
      // glyph first met as a component of another ("G" inside "Ğ", while a document is saved)
      // would be cached with none, and the next document's "G" would read back as nothing. So
      // every glyph is looked up by its code point first (each has exactly one in these fonts).
      for (const cp of font.characterSet) font.glyphForCodePoint(cp)
      parsed.set(buffer, font)
    }
    return font
  }
}

/** The font bytes, read from `dir` (default: locatePdfFontDir()) on first use. */
export function pdfFonts(dir?: string): PdfFontSet {
  if (fontSet !== null) return fontSet
  const from = dir ?? locatePdfFontDir()
  const regular = new Uint8Array(fs.readFileSync(path.join(from, PDF_FONT_FILES.regular)))
  const bold = new Uint8Array(fs.readFileSync(path.join(from, PDF_FONT_FILES.bold)))
  const boldCovered = new Set(onceFontkit.create(bold).characterSet)
  const covered = new Set(onceFontkit.create(regular).characterSet.filter((cp) => boldCovered.has(cp)))
  fontSet = { regular, bold, covered }
  return fontSet
}

/**
 * How documents are written out. Object streams: a one-page invoice is 12 KB instead of 16 KB for
 * the same CPU time. No pause every 50 objects (pdf-lib's default, a setTimeout of at least 1 ms
 * each): a document is a few milliseconds of work, and the pauses only made it slower.
 */
export const SAVE_OPTIONS = { useObjectStreams: true, objectsPerTick: Number.POSITIVE_INFINITY } as const

export interface DocumentFonts {
  regular: PDFFont
  bold: PDFFont
}

/** Embeds both faces into `doc`, subset to the glyphs the document ends up using. */
export async function embedDocumentFonts(doc: PDFDocument): Promise<DocumentFonts> {
  const set = pdfFonts()
  doc.registerFontkit(onceFontkit)
  const [regular, bold] = await Promise.all([doc.embedFont(set.regular, { subset: true }), doc.embedFont(set.bold, { subset: true })])
  return { regular, bold }
}

/**
 * Text as the PDF can draw it: composed (NFC, so "e" + combining acute is the one glyph "é"),
 * line breaks and tabs as spaces, other control characters dropped, and every character the font
 * lacks (Arabic, Hebrew, CJK, emoji...) as U+FFFD "�" — visible on paper and in the text layer,
 * never a crash or a silently missing letter.
 */
export function printable(text: string): string {
  const covered = pdfFonts().covered
  let out = ''
  for (const ch of text.normalize('NFC')) {
    const cp = ch.codePointAt(0)!
    if (cp === 0x09 || cp === 0x0a || cp === 0x0d) out += ' '
    else if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) continue
    else out += covered.has(cp) ? ch : REPLACEMENT_CHARACTER
  }
  return out
}
