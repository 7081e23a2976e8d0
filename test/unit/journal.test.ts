import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { encodeRecord, Journal, scanJournal } from '../../src-main/db/journal'
import { tmpDataDir } from '../support/tmp'

const entry = (seq: number) => ({ seq, stmts: [['UPDATE t SET v = ? WHERE id = ?', [seq * 10, 'ł€ó']]] as [string, (number | string)[]][] })

describe('journal', () => {
  it('returns what was appended, in order, after reopening', () => {
    const file = path.join(tmpDataDir(), 'journal.log')
    const { journal } = Journal.open(file)
    for (let s = 1; s <= 5; s++) journal.append(entry(s))
    journal.close()
    const { journal: again, scan } = Journal.open(file)
    again.close()
    expect(scan.entries).toEqual([1, 2, 3, 4, 5].map(entry))
    expect(scan.droppedBytes).toBe(0)
  })

  it('drops a record cut short at the tail (a torn write was never acknowledged) and truncates it away', () => {
    const file = path.join(tmpDataDir(), 'journal.log')
    const { journal } = Journal.open(file)
    journal.append(entry(1))
    journal.append(entry(2))
    journal.close()
    const full = fs.readFileSync(file)
    const cut = full.length - 7
    fs.writeFileSync(file, full.subarray(0, cut))
    const { journal: reopened, scan } = Journal.open(file)
    expect(scan.entries.map((e) => e.seq)).toEqual([1])
    expect(scan.droppedBytes).toBeGreaterThan(0)
    // The torn bytes are gone, so the next append follows the last good record.
    reopened.append(entry(2))
    reopened.close()
    expect(Journal.open(file).scan.entries.map((e) => e.seq)).toEqual([1, 2])
  })

  it('stops at a record whose checksum fails, even when its length fits', () => {
    const a = encodeRecord(entry(1))
    const b = encodeRecord(entry(2))
    b.writeUInt8(b.readUInt8(b.length - 3) ^ 0xff, b.length - 3) // flip a payload byte
    const scan = scanJournal(Buffer.concat([a, b]))
    expect(scan.entries.map((e) => e.seq)).toEqual([1])
    expect(scan.validBytes).toBe(a.length)
  })

  it('treats zero-filled garbage after the last record as a torn tail', () => {
    const a = encodeRecord(entry(1))
    const scan = scanJournal(Buffer.concat([a, Buffer.alloc(4096)]))
    expect(scan.entries).toHaveLength(1)
    expect(scan.droppedBytes).toBe(4096)
  })
})
