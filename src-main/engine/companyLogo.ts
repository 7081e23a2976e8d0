/**
 * The company logo printed on invoices and receipts (issue 10 item 5): uploaded in Settings by an
 * administrator, checked here (PNG or JPEG, at most LOGO_MAX_BYTES, a picture pdf-lib can embed),
 * stored in the database (`company_logo`, migration 0019) so backups and restores carry it.
 */
import { PDFDocument } from 'pdf-lib'
import type { CompanyLogoInfo } from '../../src-shared/domain'
import { AppError } from '../../src-shared/errors'
import { LOGO_MAX_BYTES } from '../../src-shared/contract'
import type { DbReader } from '../db/store'
import type { Work } from './unitOfWork'

/** The company_logo table's one row (id 1). */
export interface StoredCompanyLogo {
  id: 1
  type: 'png' | 'jpeg'
  file_name: string
  width: number
  height: number
  bytes: Uint8Array
  updated_at: string
}

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]

/** The picture's kind and size from its first bytes, or null when it is neither PNG nor JPEG. */
export function sniffImage(bytes: Uint8Array): { type: 'png' | 'jpeg'; width: number; height: number } | null {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  if (bytes.length >= 24 && PNG_MAGIC.every((b, i) => bytes[i] === b)) {
    return { type: 'png', width: dv.getUint32(16), height: dv.getUint32(20) }
  }
  if (bytes.length >= 4 && bytes[0] === 0xff && bytes[1] === 0xd8) {
    // Walk the markers to the first start-of-frame (SOF0..SOF15 but DHT, JPG, DAC).
    let p = 2
    while (p + 9 < bytes.length) {
      if (bytes[p] !== 0xff) return null
      const marker = bytes[p + 1]!
      if (marker === 0xff) {
        p++
        continue
      }
      const length = dv.getUint16(p + 2)
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
        return { type: 'jpeg', width: dv.getUint16(p + 7), height: dv.getUint16(p + 5) }
      }
      p += 2 + length
    }
  }
  return null
}

export function getCompanyLogo(r: DbReader): { type: 'png' | 'jpeg'; bytes: Uint8Array } | null {
  const row = r.get<Pick<StoredCompanyLogo, 'type' | 'bytes'>>('SELECT type, bytes FROM company_logo WHERE id = 1')
  return row ? { type: row.type, bytes: row.bytes } : null
}

export function companyLogoInfo(r: DbReader): CompanyLogoInfo | null {
  const row = r.get<Omit<StoredCompanyLogo, 'id'>>('SELECT type, file_name, width, height, bytes, updated_at FROM company_logo WHERE id = 1')
  return row
    ? {
        type: row.type,
        fileName: row.file_name,
        width: row.width,
        height: row.height,
        sizeBytes: row.bytes.length,
        updatedAt: row.updated_at,
        dataBase64: Buffer.from(row.bytes).toString('base64')
      }
    : null
}

/**
 * Check an uploaded logo: its bytes must be a PNG or JPEG (whatever the file is called) of at most
 * LOGO_MAX_BYTES that pdf-lib can embed. Throws a VALIDATION error on the `file` field otherwise.
 */
export async function checkLogo(fileName: string, bytes: Uint8Array): Promise<{ type: 'png' | 'jpeg'; width: number; height: number }> {
  const bad = (why: string) => new AppError('VALIDATION', `"${fileName}" cannot be used as the logo: ${why}`, 'file')
  if (bytes.length === 0) throw bad('the file is empty.')
  if (bytes.length > LOGO_MAX_BYTES) throw bad(`it is ${Math.ceil(bytes.length / 1024)} KB; the logo may be at most ${LOGO_MAX_BYTES / 1024} KB.`)
  const image = sniffImage(bytes)
  if (!image) throw bad('it is not a PNG or JPEG picture.')
  if (image.width < 1 || image.height < 1 || image.width > 10_000 || image.height > 10_000) {
    throw bad(`its size (${image.width} × ${image.height} pixels) is not usable.`)
  }
  try {
    const doc = await PDFDocument.create()
    await (image.type === 'png' ? doc.embedPng(bytes) : doc.embedJpg(bytes))
  } catch {
    throw bad(`the ${image.type.toUpperCase()} file is damaged or uses a variant that cannot be printed.`)
  }
  return image
}

/** Store a checked logo (checkLogo), replacing the previous one; audited. */
export function setCompanyLogo(w: Work, fileName: string, bytes: Uint8Array, image: { type: 'png' | 'jpeg'; width: number; height: number }): CompanyLogoInfo {
  const before = companyLogoInfo(w)
  w.run(
    `INSERT INTO company_logo (id, type, file_name, width, height, bytes, updated_at) VALUES (1, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET type = excluded.type, file_name = excluded.file_name, width = excluded.width, height = excluded.height,
       bytes = excluded.bytes, updated_at = excluded.updated_at`,
    [image.type, fileName, image.width, image.height, bytes, w.at]
  )
  w.audit({
    kind: 'settings.change',
    field: 'company_logo',
    from: before?.fileName ?? '',
    to: fileName,
    description: before
      ? `Company logo replaced: "${before.fileName}" by "${fileName}" (${image.width} × ${image.height} ${image.type.toUpperCase()}).`
      : `Company logo set to "${fileName}" (${image.width} × ${image.height} ${image.type.toUpperCase()}).`
  })
  return companyLogoInfo(w)!
}

/** Remove the logo; documents drawn from now on have none. Stored invoice PDFs keep theirs. */
export function removeCompanyLogo(w: Work): void {
  const before = companyLogoInfo(w)
  if (!before) throw new AppError('NOT_FOUND', 'There is no logo to remove.')
  w.run('DELETE FROM company_logo WHERE id = 1')
  w.audit({ kind: 'settings.change', field: 'company_logo', from: before.fileName, to: '', description: `Company logo "${before.fileName}" removed.` })
}
