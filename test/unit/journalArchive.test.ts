import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { Journal } from '../../src-main/db/journal'
import { archiveRecords, copyRecordsToSegment, listSegments, pruneArchive, recoveryEntries, segmentPath } from '../../src-main/db/journalArchive'
import { tmpDataDir } from '../support/tmp'

const entry = (seq: number, v = seq) => ({ seq, stmts: [['UPDATE t SET v = ? WHERE id = 1', [v]]] as [string, number[]][] })

function journalWith(dir: string, seqs: number[]): Journal {
  const { journal } = Journal.open(path.join(dir, 'journal.log'))
  for (const s of seqs) journal.append(entry(s))
  return journal
}

describe('journal archive', () => {
  it('copies exactly the whole records before a length, and refuses a journal emptied meanwhile', () => {
    const dir = tmpDataDir()
    const journal = journalWith(dir, [4, 5, 6])
    const keepFrom = journal.bytes
    journal.append(entry(7))
    const tmp = `${segmentPath(dir, 'origin', 0, 0)}.tmp-test`
    expect(copyRecordsToSegment(journal.path, keepFrom, tmp)).toEqual({ first: 4, last: 6 })
    expect(fs.statSync(tmp).size).toBe(keepFrom)
    journal.reset() // what a snapshot on the main thread does while the worker copies
    expect(() => copyRecordsToSegment(journal.path, keepFrom, tmp)).toThrow()
    journal.close()
  })

  it('replays each change once, in order, and only the lineage asked for', () => {
    const dir = tmpDataDir()
    const journal = journalWith(dir, [1, 2, 3])
    archiveRecords(dir, 'origin', journal.records(), 1, 3)
    journal.reset()
    for (const s of [3, 4]) journal.append(entry(s)) // a crash between archive and reset repeats 3
    archiveRecords(dir, 'origin', journal.records(), 3, 4)
    journal.reset()
    journal.append(entry(5))
    const other = journalWith(tmpDataDir(), [2, 3])
    archiveRecords(dir, 'abc123', other.records(), 2, 3)
    other.close()
    const { scan } = Journal.open(journal.path)
    expect(recoveryEntries(dir, 'origin', scan.entries).map((e) => e.seq)).toEqual([1, 2, 3, 4, 5])
    expect(recoveryEntries(dir, 'abc123', null).map((e) => e.seq)).toEqual([2, 3])
    if (process.platform !== 'win32') {
      for (const s of listSegments(dir)) expect(fs.statSync(s.file).mode & 0o777).toBe(0o600)
    }
    journal.close()
  })

  it('prunes only segments the backup holds entirely, and only of its lineage', async () => {
    const dir = tmpDataDir()
    const journal = journalWith(dir, [1, 2, 3, 4, 5, 6])
    const bytes = journal.records()
    archiveRecords(dir, 'origin', bytes, 1, 3)
    archiveRecords(dir, 'origin', bytes, 4, 6)
    archiveRecords(dir, 'abc123', bytes, 1, 2)
    journal.close()
    expect(await pruneArchive(dir, 'origin', 5)).toBe(1)
    expect(listSegments(dir).map((s) => [s.lineage, s.first, s.last])).toEqual([
      ['abc123', 1, 2],
      ['origin', 4, 6]
    ])
  })
})
