/**
 * Save text as a file the way a browser does: a Blob behind a temporary <a download>. Works the
 * same in Chromium (browser mode) and in Electron's renderer, and needs no network request.
 */
export function downloadText(fileName: string, text: string | readonly string[], type: string): void {
  // Parts (a large export fetched in chunks) go into the Blob as they are, never joined into one string.
  const url = URL.createObjectURL(new Blob(typeof text === 'string' ? [text] : [...text], { type }))
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
