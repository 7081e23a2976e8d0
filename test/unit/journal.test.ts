import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { encodeRecord, Journal, LARGE_RECORD_BYTES, PREALLOCATE_BYTES, prepareJournalFile, scanJournal, withJournalJson } from '../../src-main/db/journal'
import { tmpDataDir } from '../support/tmp'

const entry = (seq: number) => ({ seq, stmts: [['UPDATE t SET v = ? WHERE id = ?', [seq * 10, 'ł€ó']]] as [string, (number | string)[]][] })

/** A record of ~40 KiB, its text ending in its sequence number. */
const big = (seq: number) => ({ seq, stmts: [['INSERT INTO t VALUES (?)', ['x'.repeat(40_000) + seq]]] as [string, string[]][] })

describe('journal', () => {
  it('returns what was appended, in order, after reopening', () => {
    const file = path.join(tmpDataDir(), 'journal.log')
    const { journal } = Journal.open(file)
    for (let s = 1; s <= 5; s++) journal.append(entry(s))
    journal.close()
    const { journal: again, scan } = Journal.open(file)
    again.close()
    expect(scan.entries).toEqual([1, 2, 3, 4, 5].map(entry))
    expect(scan.tornBytes).toBe(0) // what follows the records is preallocated zeros
  })

  it('drops a record cut short at the tail (a torn write was never acknowledged) and truncates it away', () => {
    const file = path.join(tmpDataDir(), 'journal.log')
    const { journal } = Journal.open(file)
    journal.append(entry(1))
    journal.append(entry(2))
    journal.close()
    const full = fs.readFileSync(file)
    const cut = scanJournal(full).validBytes - 7 // the second record loses its last bytes
    fs.writeFileSync(file, full.subarray(0, cut))
    const { journal: reopened, scan } = Journal.open(file)
    expect(scan.entries.map((e) => e.seq)).toEqual([1])
    expect(scan.tornBytes).toBeGreaterThan(0)
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

  it('treats zeros after the last record as preallocated space, and anything else there as torn', () => {
    const a = encodeRecord(entry(1))
    const zeros = scanJournal(Buffer.concat([a, Buffer.alloc(4096)]))
    expect(zeros.entries).toHaveLength(1)
    expect(zeros.tornBytes).toBe(0)
    const junk = Buffer.alloc(4096)
    junk[100] = 7
    const torn = scanJournal(Buffer.concat([a, junk]))
    expect(torn.entries).toHaveLength(1)
    expect(torn.tornBytes).toBe(4096)
  })

  it('writes records into preallocated space, so the file does not grow on every commit', () => {
    const file = path.join(tmpDataDir(), 'journal.log')
    const { journal } = Journal.open(file)
    const before = fs.statSync(file).size
    expect(before).toBeGreaterThan(0)
    for (let s = 1; s <= 50; s++) journal.append(entry(s))
    expect(fs.statSync(file).size).toBe(before)
    expect(journal.bytes).toBeGreaterThan(0)
    journal.close()
  })

  it('keeps large records (a usage batch) written past the preallocated zeros, with small ones before and after, and drops one cut short', () => {
    const file = path.join(tmpDataDir(), 'journal.log')
    const { journal } = Journal.open(file)
    const large = (seq: number) => ({ seq, stmts: [['INSERT INTO t VALUES (?)', ['ü'.repeat(LARGE_RECORD_BYTES) + seq]]] as [string, string[]][] })
    // Past the first preallocated room, so that the small records after them need room of their own.
    const many = Math.ceil(PREALLOCATE_BYTES / LARGE_RECORD_BYTES)
    const expected = [entry(1), ...Array.from({ length: many }, (_, i) => large(2 + i)), entry(2 + many), large(3 + many)]
    for (const e of expected) journal.append(e)
    journal.close()
    const written = fs.readFileSync(file)
    const scan = scanJournal(written)
    expect(scan.entries).toEqual(expected)
    expect(scan.tornBytes).toBe(0)
    // The last large record cut short: the records before it stay, and the next append follows them.
    fs.writeFileSync(file, written.subarray(0, scan.validBytes - 1000))
    const { journal: reopened, scan: again } = Journal.open(file)
    const before = expected.slice(0, -1).map((e) => e.seq)
    expect(again.entries.map((e) => e.seq)).toEqual(before)
    reopened.append(entry(3 + many))
    reopened.close()
    expect(Journal.open(file).scan.entries.map((e) => e.seq)).toEqual([...before, 3 + many])
  })

  it('writes pre-encoded parameters (texts and UTF-8 bytes made elsewhere) as JSON.stringify would', () => {
    const params = [1, 'ł€ó', null, 2.5]
    const plain = { seq: 7, stmts: [['INSERT INTO t VALUES (?, ?, ?, ?)', params]] as [string, (number | string | null)[]][] }
    const pre = withJournalJson([...params], ['[1,', Buffer.from('"ł€ó",null', 'utf8'), ',2.5]'], 0)
    const encoded = encodeRecord({ seq: 7, stmts: [['INSERT INTO t VALUES (?, ?, ?, ?)', pre]] })
    expect(encoded.equals(encodeRecord(plain))).toBe(true)
    expect(scanJournal(encoded).entries).toEqual([plain])
  })

  it('after a snapshot, keeps exactly the records committed while it was written, however many MiB they are', () => {
    const dir = tmpDataDir()
    const file = path.join(dir, 'journal.log')
    const { journal } = Journal.open(file)
    // Records of ~40 KiB (a usage batch's is larger still): the snapshot holds the first 10.
    for (let s = 1; s <= 10; s++) journal.append(big(s))
    const keepFrom = journal.bytes
    for (let s = 11; s <= 90; s++) journal.append(big(s))
    expect(journal.bytes - keepFrom).toBeGreaterThan(3 * 2 ** 20)
    const prepared = path.join(dir, 'journal.log.next')
    prepareJournalFile(prepared)
    journal.replaceKeepingFrom(keepFrom, prepared, () => {}, 11)
    journal.append(big(91))
    journal.close()
    const { journal: again, scan } = Journal.open(file)
    again.close()
    expect(scan.entries.map((e) => e.seq)).toEqual(Array.from({ length: 81 }, (_, i) => 11 + i))
    expect(scan.entries[79]).toEqual(big(90))
    expect(scan.tornBytes).toBe(0)
  })

  it('copies the tail ahead off the main thread, and the replacement still holds the records appended while that ran', async () => {
    const dir = tmpDataDir()
    const file = path.join(dir, 'journal.log')
    const { journal } = Journal.open(file)
    for (let s = 1; s <= 5; s++) journal.append(big(s))
    const keepFrom = journal.bytes
    for (let s = 6; s <= 60; s++) journal.append(big(s))
    const tailAtStart = journal.bytes - keepFrom
    const prepared = path.join(dir, 'journal.log.next')
    prepareJournalFile(prepared)
    const ahead = journal.copyTailAhead(keepFrom, prepared)
    // Committed while the copy runs on libuv's pool, one per event-loop turn.
    for (let s = 61; s <= 70; s++) {
      journal.append(big(s))
      await new Promise((resolve) => setImmediate(resolve))
    }
    const copied = await ahead
    expect(copied).toBeGreaterThanOrEqual(tailAtStart)
    expect(copied).toBeLessThanOrEqual(journal.bytes - keepFrom)
    for (let s = 71; s <= 72; s++) journal.append(big(s))
    journal.replaceKeepingFrom(keepFrom, prepared, () => {}, 6, keepFrom, copied)
    journal.append(big(73))
    journal.close()
    const { journal: again, scan } = Journal.open(file)
    again.close()
    expect(scan.entries.map((e) => e.seq)).toEqual(Array.from({ length: 68 }, (_, i) => 6 + i))
    expect(scan.entries.map((e) => e.stmts[0]![1]![0])).toEqual(Array.from({ length: 68 }, (_, i) => big(6 + i).stmts[0]![1]![0]))
    expect(scan.tornBytes).toBe(0)
  })
})
