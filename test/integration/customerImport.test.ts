import { describe, expect, it } from 'vitest'
import { loadSqlJs } from '../../src-main/db/sqljs'
import { DurableStore } from '../../src-main/db/store'
import { commitImport, MAX_LISTED_ISSUES, previewImport } from '../../src-main/engine/customerImport'
import { createCustomer } from '../../src-main/engine/customers'
import { Engine } from '../../src-main/engine/unitOfWork'
import { customerCreateInput } from '../../src-shared/contract'
import { AppError } from '../../src-shared/errors'
import { tmpDataDir } from '../support/tmp'

const ADMIN = { operatorId: 1, operatorName: 'Administrator' }
const HEADER = 'customer_id,company_name,balance_control,currency,class,credit_limit,opening_balance,blocked,email,notes'

async function world() {
  const dataDir = tmpDataDir()
  const sql = await loadSqlJs()
  const store = DurableStore.open({ dataDir, sql, now: () => Date.parse('2026-11-21T10:00:00Z'), log: () => {} })
  const engine = new Engine(store, () => Date.parse('2026-11-21T10:00:00Z'))
  engine.change(ADMIN, (w) => {
    w.insert("INSERT INTO customer_classes (name, currency) VALUES ('Gold USD', 'USD')")
    w.insert("INSERT INTO customer_classes (name, currency) VALUES ('Any', NULL)")
    createCustomer(
      w,
      customerCreateInput.parse({ customerId: 'Existing-1', balanceControl: 'prepaid', currency: 'USD', companyName: 'Old', classId: null, creditLimit: null })
    )
  })
  const count = () => engine.read((r) => r.get<{ n: number }>('SELECT count(*) AS n FROM customers')!.n)
  const journalSeq = () => Number(engine.read((r) => r.get<{ value: string }>("SELECT value FROM meta WHERE key = 'journal_seq'")!.value))
  const preview = (csv: string) => engine.read((r) => previewImport(r, csv))
  const commit = (csv: string, onlyValidRows: boolean) => engine.change(ADMIN, (w) => commitImport(w, csv, onlyValidRows))
  return { engine, store, count, journalSeq, preview, commit, dataDir, sql }
}

function refusal(fn: () => unknown): AppError {
  try {
    fn()
  } catch (err) {
    if (err instanceof AppError) return err
    throw err
  }
  throw new Error('expected the import to be refused')
}

const lines = (...rows: string[]) => [HEADER, ...rows].join('\r\n') + '\r\n'

describe('customer import from CSV', () => {
  it('a valid file: the preview writes nothing; the commit creates every customer exactly as the form would', async () => {
    const t = await world()
    const csv =
      '\uFEFF' +
      lines(
        'ACME-1,Acme Ltd,postpaid,USD,Gold USD,"1,500.00",250.5,no,billing@acme.example,',
        'Łódź-2,"Łódź Telecom, sp. z o.o.",prepaid,pln,any,,100,yes,,"Line one\nline two"',
        'JP-3,Tokyo Booths,Postpaid,JPY,,5000,,,,'
      )
    const seq = t.journalSeq()
    const p = t.preview(csv)
    expect(p).toMatchObject({ totalRows: 3, validRows: 3, issues: [] })
    expect(p.sample).toEqual([
      { line: 2, customerId: 'ACME-1', companyName: 'Acme Ltd', balanceControl: 'postpaid', currency: 'USD', className: 'Gold USD' },
      { line: 3, customerId: 'Łódź-2', companyName: 'Łódź Telecom, sp. z o.o.', balanceControl: 'prepaid', currency: 'PLN', className: 'Any' },
      // Line 3's quoted notes span two lines, so this row starts on line 5.
      { line: 5, customerId: 'JP-3', companyName: 'Tokyo Booths', balanceControl: 'postpaid', currency: 'JPY', className: null }
    ])
    expect(t.journalSeq()).toBe(seq)

    expect(t.commit(csv, false)).toEqual({ imported: 3, skipped: 0 })
    expect(t.journalSeq()).toBe(seq + 1) // one commit for the whole file
    const rows = t.engine.read((r) =>
      r.all<{ customer_id: string; balance_minor: number; credit_limit_minor: number | null; status: string; blocked: number; notes: string; class_id: number | null }>(
        'SELECT customer_id, balance_minor, credit_limit_minor, status, blocked, notes, class_id FROM customers ORDER BY id'
      )
    )
    expect(rows.slice(1)).toEqual([
      { customer_id: 'ACME-1', balance_minor: 25050, credit_limit_minor: 150000, status: 'active', blocked: 0, notes: '', class_id: 1 },
      { customer_id: 'Łódź-2', balance_minor: -10000, credit_limit_minor: null, status: 'blocked', blocked: 1, notes: 'Line one\nline two', class_id: 2 },
      { customer_id: 'JP-3', balance_minor: 0, credit_limit_minor: 5000, status: 'active', blocked: 0, notes: '', class_id: null }
    ])
    const summary = t.engine.read((r) => r.all<{ description: string }>("SELECT description FROM audit_log WHERE kind = 'customer.import'"))
    expect(summary).toEqual([{ description: 'Imported 3 customers from CSV.' }])
    expect(t.engine.read((r) => r.get<{ n: number }>("SELECT count(*) AS n FROM audit_log WHERE kind = 'customer.create'")!.n)).toBe(4)
  })

  it('reports problems by line and field, counting the lines of quoted multi-line values', async () => {
    const t = await world()
    const csv = lines(
      'OK-1,Fine,postpaid,USD,,,,,,',
      'BAD-2,"Two\nline\nname",postpaid,XYZ,,,,,,', // starts on line 3, spans 3-5
      'BAD-3,Prepaid with limit,prepaid,USD,,100,,,,', // line 6
      'BAD-4,Wrong class,postpaid,EUR,Gold USD,1.234,,maybe,not-an-email,', // line 7
      ',No id,credit,USD,Platinum,,abc,,,' // line 8
    )
    const p = t.preview(csv)
    expect(p.totalRows).toBe(5)
    expect(p.validRows).toBe(1)
    expect(p.issues).toEqual([
      { line: 3, field: 'currency', message: 'XYZ is not a currency. Use one of: USD, EUR, GBP, PLN, UAH, CAD, CHF, JPY, KWD.' },
      { line: 6, field: 'credit_limit', message: 'Prepaid customers have no credit limit: they spend their available funds. Leave credit_limit empty.' },
      { line: 7, field: 'class', message: 'The class "Gold USD" bills in USD; this customer\'s currency is EUR. Use a class with EUR or with no currency.' },
      { line: 7, field: 'credit_limit', message: 'Credit limit: EUR amounts have at most 2 decimal places.' },
      { line: 7, field: 'blocked', message: '"maybe" is not yes or no.' },
      { line: 7, field: 'email', message: 'Enter a valid e-mail address.' },
      { line: 8, field: 'balance_control', message: '"credit" is not a balance control; use prepaid or postpaid.' },
      { line: 8, field: 'class', message: 'There is no customer class named "Platinum".' },
      { line: 8, field: 'opening_balance', message: 'Opening balance: "abc" is not an amount. Use digits, optionally with a decimal point, e.g. 1,234.56.' },
      { line: 8, field: 'customer_id', message: 'Customer ID is required.' }
    ])

    // Nothing is written when any row is bad...
    const seq = t.journalSeq()
    const err = refusal(() => t.commit(csv, false))
    expect(err).toMatchObject({
      code: 'VALIDATION',
      message: 'Line 3, currency: XYZ is not a currency. Use one of: USD, EUR, GBP, PLN, UAH, CAD, CHF, JPY, KWD; 4 rows have problems — nothing was imported.'
    })
    expect(t.count()).toBe(1)
    expect(t.journalSeq()).toBe(seq)

    // ...unless the person chooses to import only the valid rows.
    expect(t.commit(csv, true)).toEqual({ imported: 1, skipped: 4 })
    expect(t.engine.read((r) => r.all<{ customer_id: string }>('SELECT customer_id FROM customers ORDER BY id')).map((c) => c.customer_id)).toEqual([
      'Existing-1',
      'OK-1'
    ])
    expect(t.engine.read((r) => r.get<{ description: string }>("SELECT description FROM audit_log WHERE kind = 'customer.import'"))?.description).toBe(
      'Imported 1 customer from CSV (4 rows skipped).'
    )
  })

  it('refuses duplicate customer IDs within the file and against existing customers, regardless of case', async () => {
    const t = await world()
    const csv = lines('NEW-1,a,postpaid,USD,,,,,,', 'new-1,b,postpaid,USD,,,,,,', 'EXISTING-1,c,postpaid,USD,,,,,,', 'NEW-2,d,postpaid,USD,,,,,,')
    expect(t.preview(csv).issues).toEqual([
      { line: 3, field: 'customer_id', message: 'Customer ID "new-1" already appears on line 2 of this file.' },
      {
        line: 4,
        field: 'customer_id',
        message: 'Customer ID "EXISTING-1" is already used by an existing customer ("Existing-1"). Customer IDs are unique regardless of case.'
      }
    ])
    expect(t.commit(csv, true)).toEqual({ imported: 2, skipped: 2 })
    // Importing the same file again: every row now exists.
    expect(refusal(() => t.commit(csv, true)).message).toBe(
      'Line 2, customer_id: Customer ID "NEW-1" is already used by an existing customer ("NEW-1"). Customer IDs are unique regardless of case; no row is valid — nothing was imported.'
    )
  })

  it('checks the header: required columns, unknown and repeated columns, all at line 1; header names are forgiving', async () => {
    const t = await world()
    const bad = t.preview('Customer ID,Currency,Colour,currency\nX,USD,red,USD\n')
    expect(bad.validRows).toBe(0)
    expect(bad.issues).toEqual([
      { line: 1, field: 'Colour', message: expect.stringMatching(/^"Colour" is not a column this import knows\. Known columns: customer_id, company_name, /) },
      { line: 1, field: 'currency', message: 'Column "currency" appears twice in the header.' },
      { line: 1, field: 'balance_control', message: 'The header has no "balance_control" column; it is required.' }
    ])
    // Header problems stop the import even when only valid rows were asked for.
    expect(refusal(() => t.commit('Customer ID,Currency,Colour\nX,USD,red\n', true)).message).toMatch(/^Line 1, Colour: "Colour" is not a column/)
    expect(t.count()).toBe(1)

    // Spaces and capitals in column names are fine; semicolons as separators too.
    const ok = t.preview('Customer ID;Balance Control;CURRENCY;Credit-Limit\nS-1;postpaid;EUR;1.234,00\n')
    expect(ok.issues).toEqual([
      { line: 2, field: 'credit_limit', message: 'Credit limit: "1.234,00" is not an amount. Use digits, optionally with a decimal point, e.g. 1,234.56.' }
    ])
  })

  it('an empty file, a header alone, blank lines, ragged rows and a broken quote', async () => {
    const t = await world()
    expect(t.preview('  \r\n\r\n').issues).toEqual([{ line: 1, field: '', message: 'The file is empty: it needs a header line and one line per customer.' }])
    expect(t.preview(HEADER + '\n').issues).toEqual([{ line: 1, field: '', message: 'The file has a header but no customers.' }])
    expect(refusal(() => t.commit(HEADER, true)).message).toBe('Line 1: The file has a header but no customers; nothing was imported.')

    const p = t.preview(lines('', 'A-1,a,postpaid,USD,,,,,,', '', 'A-2,a,postpaid,USD', 'A-3,"unterminated,postpaid,USD,,,,,,'))
    expect(p.totalRows).toBe(3)
    expect(p.validRows).toBe(1)
    expect(p.sample.map((s) => s.line)).toEqual([3])
    expect(p.issues).toEqual([
      { line: 5, field: '', message: expect.stringMatching(/^The line has 4 values but the header has 10 columns/) },
      { line: 6, field: '', message: 'A quoted value is never closed (a " is missing), so the rest of the file cannot be read.' }
    ])
  })

  it('a crash during a large import leaves all or nothing', async () => {
    const t = await world()
    const rows = Array.from({ length: 300 }, (_, i) => `BULK-${i},Company ${i},postpaid,USD,,,${i}.25,,,`)
    expect(t.commit(lines(...rows), false)).toEqual({ imported: 300, skipped: 0 })
    // The process dies right after the acknowledgement: the journal replays the whole import.
    const again = DurableStore.open({ dataDir: t.dataDir, sql: t.sql, now: () => 0, log: () => {} })
    expect(again.read((r) => r.get<{ n: number }>("SELECT count(*) AS n FROM customers WHERE customer_id LIKE 'BULK-%'")!.n)).toBe(300)

    // A failure after the rows are written (thrown before the unit of work ends) rolls all of it back.
    const t2 = await world()
    const collide = lines('C-1,a,postpaid,USD,,,,,,', 'C-2,a,postpaid,USD,,,,,,')
    expect(() =>
      t2.engine.change(ADMIN, (w) => {
        commitImport(w, collide, false)
        throw new Error('power cut')
      })
    ).toThrow('power cut')
    expect(t2.count()).toBe(1)
  })

  it('lists at most a bounded number of problems in the preview', async () => {
    const t = await world()
    const rows = Array.from({ length: MAX_LISTED_ISSUES + 20 }, (_, i) => `X-${i},a,postpaid,ZZZ,,,,,,`)
    const p = t.preview(lines(...rows))
    expect(p.totalRows).toBe(MAX_LISTED_ISSUES + 20)
    expect(p.validRows).toBe(0)
    expect(p.issues).toHaveLength(MAX_LISTED_ISSUES + 1)
    expect(p.issues.at(-1)).toEqual({ line: MAX_LISTED_ISSUES + 21, field: '', message: `…and 20 more problems up to line ${MAX_LISTED_ISSUES + 21}, not listed.` })
  })
})
