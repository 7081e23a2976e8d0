/**
 * Reading a usage file (src-main/engine/usagePrepare.ts UsageFile): most lines are read the quick
 * way, by positions in the text without cutting them into cells; a line with a quote goes the
 * general way (CSV quoting, then every check by column). Quoting every value of a line does not
 * change what it says, so a file and the same file with every value quoted must read the same:
 * records, accounts, duplicates, problems by line and column, counts.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { Lookups, SeenIds, UsageFile } from '../../src-main/engine/usagePrepare'

const lookups = () =>
  new Lookups(
    {
      accounts: [
        [1, 'acc-1', 11, 'active'],
        [2, 'ACC-2', 12, 'active'],
        [3, 'acc-closed', 13, 'closed'],
        [4, 'kónto', 14, 'active']
      ],
      services: [
        [1, 'voice', 'Voice'],
        [2, 'sms', 'SMS']
      ]
    },
    null
  )

const HEADER = ['switch_record_id', 'account', 'start_time', 'duration', 'called_number', 'service']

/** Everything a reading gives: the counts, the problems and every kept record in batch order. */
function read(csv: string) {
  const file = UsageFile.open(csv)
  if (!(file instanceof UsageFile)) return { header: file.problems }
  const l = lookups()
  let slices = 0
  while (file.readSlice(l)) slices++
  file.finishReading()
  const records = file.records(0, file.count).map(({ readWith: _readWith, offset: _offset, ...r }) => r)
  return { counts: file.counts, problems: file.problems, records, slices }
}

const quoteAll = (cells: string[]) => cells.map((c) => `"${c.replaceAll('"', '""')}"`)

/** Mostly values that pass every check, often enough spelled otherwise (spaces, case, zones, limits) or wrong. */
const cell = (good: string[], odd: string[]) => fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...good) }, { weight: 1, arbitrary: fc.constantFrom(...odd) })

const cellValues = {
  switch_record_id: cell(['SW1', 'SW2', 'SW3', '7'], [' SW1', 'SW1 ', 'sw1', 'é1', '', 'x'.repeat(101), 'x'.repeat(100), 'SW\t4']),
  account: cell(['acc-1', 'ACC-1', 'acc-2', 'kónto'], [' acc-1 ', 'acc-closed', 'nobody', '', 'a'.repeat(101)]),
  start_time: cell(
    ['2026-03-05T10:00:00Z', '2026-03-05T10:00:00.250+02:00', '2026-03-05 10:00:00+0200', '2026-03-05T10:00+02', '2024-02-29T23:59:59-14:00', '2026-03-05T10:00:00,5Z'],
    [
      '2026-03-05T10:00:00',
      '2026-02-29T10:00:00Z',
      '2026-03-05T10:00:00z',
      ' 2026-03-05T10:00:00Z',
      '2026-03-05T10:00:00 Z',
      '2026-03-05T24:00:00Z',
      '0099-01-01T00:00:00Z',
      '2026-03-05T10:00:00+15:00',
      '2026-03-05T10:00:00.1234567891Z',
      '2026-03-05T10:00:00+02:0',
      '2026-03-05T10:00:',
      'yesterday',
      ''
    ]
  ),
  duration: cell(['0', '60', '125', '2592000'], [' 61', '-1', '1e3', '2592001', '99999999', '', '6.5']),
  called_number: cell(['441234', '+44 20 7946 0000', 'tel:ünï', '9'.repeat(100)], [' 0044123 ', '', '9'.repeat(101)]),
  service: cell(['voice', 'SMS', 'sms'], [' voice', 'no-such', ''])
}

/** A data line as its values, sometimes with one too few or too many, sometimes blank. */
const lineCells = fc.oneof(
  { weight: 20, arbitrary: fc.tuple(...HEADER.map((h) => cellValues[h as keyof typeof cellValues])) },
  { weight: 1, arbitrary: fc.tuple(cellValues.switch_record_id, cellValues.account, cellValues.start_time).map((c) => [...c]) },
  { weight: 1, arbitrary: fc.tuple(...HEADER.map((h) => cellValues[h as keyof typeof cellValues]), fc.constant('extra')).map((c) => [...c]) },
  { weight: 1, arbitrary: fc.constant(['', '', '', '', '', '']) }
)

describe('reading a usage file', () => {
  it('reads a file as it reads the same file with every value quoted', () => {
    fc.assert(
      fc.property(fc.array(lineCells, { maxLength: 40 }), fc.constantFrom(',', ';'), fc.constantFrom('\n', '\r\n'), fc.boolean(), (lines, sep, eol, bom) => {
        // Values holding the separator go quoted in both files (as a spreadsheet writes them).
        const plain = (cells: string[]) => cells.map((c) => (c.includes(sep) ? quoteAll([c])[0]! : c))
        const text = (rows: string[][]) => (bom ? '\uFEFF' : '') + [HEADER, ...rows].map((r) => r.join(sep)).join(eol)
        const quick = read(text(lines.map((l) => plain([...l]))))
        const general = read(text(lines.map((l) => quoteAll([...l]))))
        expect(quick).toEqual(general)
      }),
      { numRuns: 300 }
    )
  })

  it('finds the first of two records with one switch record id and counts the second as a duplicate, across pauses', () => {
    const rows = Array.from({ length: 120_001 }, (_, i) => `SW${i % 100_000},acc-1,2026-03-05T10:00:00Z,${i % 7},441234,voice`)
    const r = read([HEADER.join(','), ...rows].join('\n'))
    expect(r.counts).toEqual({ lines: 120_001, rejected: 0, duplicates: 20_001 })
    expect(r.slices).toBe(2)
    expect(r.records).toHaveLength(100_000)
    // The kept SW5 is line 7's (the first), with its duration, not line 100,007's.
    expect(r.records!.find((x) => x.switchRecordId === 'SW5')).toMatchObject({ line: 7, durationS: 5 })
  })

  it('finds a repeated switch record id however its hash collides with others, as a set of the ids would, also after the table grows', () => {
    // A poor hash (few values) makes every lookup walk past other ids with the same hash.
    const check = (ids: string[], hash: (id: string) => number) => {
      const seen = new SeenIds()
      const kept: string[] = []
      const first = new Map<string, number>()
      for (const id of ids) {
        const found = seen.findOrAdd(
          hash(id),
          () => id,
          kept.length,
          (j) => kept[j]!
        )
        expect(found).toBe(first.get(id) ?? -1)
        if (found < 0) {
          first.set(id, kept.length)
          kept.push(id)
        }
      }
    }
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[a-c]{1,3}$/), { maxLength: 200 }), fc.integer({ min: 1, max: 4 }), (ids, buckets) => {
        check(ids, (id) => (id.length * 7919) % buckets)
      }),
      { numRuns: 200 }
    )
    const many = Array.from({ length: 12_000 }, (_, i) => `SW${i % 9_000}`)
    check(many, (id) => id.length) // 9,000 ids in 4 hashes: the table grows twice past its first size
    check(many, (id) => -id.charCodeAt(id.length - 1)) // negative hashes
  })
})
