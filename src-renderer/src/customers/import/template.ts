/** The CSV columns the import reads, in this order; one customer per line after the header. */
export const IMPORT_COLUMNS = [
  'customer_id',
  'company_name',
  'balance_control',
  'currency',
  'class',
  'credit_limit',
  'opening_balance',
  'blocked',
  'first_name',
  'last_name',
  'phone',
  'email',
  'address',
  'city',
  'zip',
  'country',
  'notes'
] as const

/** The template: just the header line (CRLF, as spreadsheets write it), ready to fill in. */
export function templateCsv(): string {
  return `${IMPORT_COLUMNS.join(',')}\r\n`
}

/** Offer a text as a file download without leaving the page. */
export function downloadText(fileName: string, text: string, type = 'text/csv;charset=utf-8'): void {
  const url = URL.createObjectURL(new Blob([text], { type }))
  const a = document.createElement('a')
  a.href = url
  a.download = fileName
  a.rel = 'noopener'
  document.body.appendChild(a)
  a.click()
  a.remove()
  // Give the download a moment to start before the URL is released.
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}
