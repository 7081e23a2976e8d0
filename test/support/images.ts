/**
 * Pictures for the logo tests, made in the test (no binary fixtures): a valid RGB PNG of any size;
 * and how many images a PDF holds, read two ways like the text (pdfText.ts).
 */
import { execFileSync, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { crc32, deflateSync } from 'node:zlib'
import { PDFDocument, PDFName, PDFRawStream } from 'pdf-lib'

/** A PNG chunk: length, type, data, CRC of type and data. */
function chunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data])
  const head = Buffer.alloc(4)
  head.writeUInt32BE(data.length)
  const tail = Buffer.alloc(4)
  tail.writeUInt32BE(crc32(body))
  return Buffer.concat([head, body, tail])
}

/** A `width` × `height` PNG (8-bit RGB), a diagonal blue-to-red gradient. */
export function pngBytes(width: number, height: number): Uint8Array {
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(width, 0)
  ihdr.writeUInt32BE(height, 4)
  ihdr[8] = 8 // bit depth
  ihdr[9] = 2 // RGB
  const rows: Buffer[] = []
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3)
    for (let x = 0; x < width; x++) {
      row[1 + x * 3] = Math.floor((255 * x) / width)
      row[2 + x * 3] = 60
      row[3 + x * 3] = Math.floor((255 * y) / height)
    }
    rows.push(row)
  }
  return new Uint8Array(
    Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk('IHDR', ihdr),
      chunk('IDAT', deflateSync(Buffer.concat(rows))),
      chunk('IEND', Buffer.alloc(0))
    ])
  )
}

/** Image objects in the PDF, found by parsing it with pdf-lib. */
async function imagesByPdfLib(bytes: Uint8Array): Promise<number> {
  const doc = await PDFDocument.load(bytes)
  return doc.context.enumerateIndirectObjects().filter(([, obj]) => obj instanceof PDFRawStream && obj.dict.get(PDFName.of('Subtype')) === PDFName.of('Image')).length
}

/** The images `pdfimages -list` (poppler-utils) lists, one per line after its two header lines. */
function imagesByPoppler(bytes: Uint8Array): number {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pdfimages-'))
  try {
    const file = path.join(dir, 'doc.pdf')
    fs.writeFileSync(file, bytes)
    const out = execFileSync('pdfimages', ['-list', file], { encoding: 'utf8' })
    return out
      .split('\n')
      .slice(2)
      .filter((l) => l.trim() !== '').length
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

/** How many images the PDF holds, by every reader available here (pdfimages where installed). */
export async function pdfImageCounts(bytes: Uint8Array): Promise<{ reader: string; images: number }[]> {
  const counts = [{ reader: 'pdf-lib', images: await imagesByPdfLib(bytes) }]
  if (spawnSync('pdfimages', ['-v'], { stdio: 'ignore' }).error === undefined) counts.push({ reader: 'pdfimages -list', images: imagesByPoppler(bytes) })
  return counts
}
