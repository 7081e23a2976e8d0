import { IMPORT_COLUMNS } from '../../../../src-shared/importColumns'

export { IMPORT_COLUMNS }

/** The template: just the header line (CRLF, as spreadsheets write it), ready to fill in. */
export function templateCsv(): string {
  return `${IMPORT_COLUMNS.join(',')}\r\n`
}
