/**
 * Save text as a file the way a browser does: a Blob behind a temporary <a download>. Works the
 * same in Chromium (browser mode) and in Electron's renderer, and needs no network request.
 */
export function downloadText(fileName: string, text: string | readonly string[], type: string): void {
  // Parts (a large export fetched in chunks) go into the Blob as they are, never joined into one string.
  downloadBlob(fileName, new Blob(typeof text === 'string' ? [text] : [...text], { type }))
}

/** Save a Blob (a PDF...) as a file, as downloadText does. */
export function downloadBlob(fileName: string, blob: Blob): void {
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = fileName
  a.rel = 'noopener'
  a.style.display = 'none'
  document.body.appendChild(a)
  a.click()
  a.remove()
  // Give the download a moment to start before the data goes away.
  setTimeout(() => URL.revokeObjectURL(url), 30_000)
}

/** Bytes the engine answered as base64 (a PDF...). */
export function base64Bytes(base64: string): Uint8Array<ArrayBuffer> {
  const binary = atob(base64)
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return bytes
}

/** A PDF answered by the engine as base64 (invoices.pdf), as a Blob. */
export function pdfBlob(base64: string): Blob {
  return new Blob([base64Bytes(base64)], { type: 'application/pdf' })
}

/** One chunk of a CSV export as the engine answers it (usage.exportCsv, invoices.exportCsv). */
export interface CsvChunk<Next> {
  fileName: string
  csv: string
  rows: number
  next: Next | null
}

/**
 * Fetch an export a chunk at a time (`fetch(undefined)` first, then each answer's `next` until
 * null; `onRows` after each), then save the chunks as one CSV file. Answers the file's name and rows.
 */
export async function downloadCsvChunks<Next>(
  fetch: (next: Next | undefined) => Promise<CsvChunk<Next>>,
  onRows?: (rows: number) => void
): Promise<{ fileName: string; rows: number }> {
  const parts: string[] = []
  let next: Next | undefined
  let rows = 0
  let fileName = 'export.csv'
  do {
    const chunk = await fetch(next)
    parts.push(chunk.csv)
    rows += chunk.rows
    fileName = chunk.fileName
    next = chunk.next ?? undefined
    onRows?.(rows)
  } while (next !== undefined)
  downloadText(fileName, parts, 'text/csv;charset=utf-8')
  return { fileName, rows }
}
