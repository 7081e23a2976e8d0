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
