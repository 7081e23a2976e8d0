import fs from 'node:fs'
import path from 'node:path'
import { crc32 } from 'node:zlib'
import { FILE_MODE } from './files'

/**
 * Append-only write-ahead journal of committed units of work.
 *
 * Record layout (little endian): magic u32 | payload length u32 | crc32(payload) u32 | payload.
 * The payload is UTF-8 JSON `{ seq, stmts: [[sql, params], ...] }`. A record is acknowledged only
 * after it is written and fdatasync'ed, so a record that is cut short or fails its checksum at the
 * tail was never acknowledged and is dropped on open.
 */
export type SqlParam = number | string | null | Uint8Array
export type Statement = [sql: string, params: SqlParam[]]

export interface JournalEntry {
  seq: number
  stmts: Statement[]
}

const MAGIC = 0x314e4a43 // "CJN1"
const HEADER = 12

export interface JournalScan {
  entries: JournalEntry[]
  /** Bytes of valid records; anything after this is preallocated zeros or a torn tail. */
  validBytes: number
  droppedBytes: number
  /** Bytes after the valid records that are not all zeros: a torn or corrupt tail. */
  tornBytes: number
}

/** The journal file grows in zero-filled chunks: appending inside already allocated space lets
 * fdatasync skip the file-size metadata update (p99 3-5 ms -> 2 ms on the build VM). */
export const PREALLOCATE_BYTES = 4 * 1024 * 1024

/**
 * Zeros are written a page at a time. The page cache keeps a file's data in folios sized after
 * the writes that made them (Linux 6.x, ext4: up to 2 MiB), and writes back a dirty folio whole:
 * after one 4 MiB write of zeros, every commit's 1 KiB record made its fdatasync write 2 MiB
 * (200 commits: 419 MB written; preallocated a page at a time: 1 MB).
 */
export const PAGE_BYTES = 4096

/** A record at least this long is written past the preallocated zeros (see Journal.append). */
export const LARGE_RECORD_BYTES = 256 * 1024

/** `length` zero bytes at `from`, a page per write (see PAGE_BYTES). */
export function writeZeros(fd: number, from: number, length: number): void {
  const zeros = Buffer.alloc(PAGE_BYTES)
  for (let off = 0; off < length; ) {
    const n = fs.writeSync(fd, zeros, 0, Math.min(PAGE_BYTES, length - off), from + off)
    off += n
  }
}

/**
 * How much a blob's bytes weigh, per byte, against the rest of a record when judging what a
 * journal costs to replay at start-up (see Journal.weight): a blob (an invoice's PDF) is decoded
 * and inserted as one value, while the same bytes of statements are many statements to run.
 * Measured: 64 MiB of journal holding PDFs (16 of 12 KiB a record) replay in 1.28 s, 8 MiB of
 * payment-like records in 1.26 s (docs/durability.md "Snapshots").
 */
export const BLOB_REPLAY_DISCOUNT = 8

/** The journal's tail is copied into its replacement this much at a time (see replaceKeepingFrom). */
const COPY_CHUNK = 1 << 20
/** copyTailAhead's pieces, its rounds at most, and what is left for the main thread after a round that ends it. */
const AHEAD_CHUNK = 32 << 20
const AHEAD_ROUNDS = 3
const AHEAD_LEFT_BYTES = 4 << 20
let copyBuffer: Buffer | null = null

/**
 * Parameters whose journal JSON was made elsewhere (the usage import's worker, which knows a
 * batch's rows, so the main thread does not stringify their numbers): the concatenation of
 * `parts` (texts, and UTF-8 bytes as the worker encoded them) is exactly what
 * JSON.stringify(encodeParams(params)) gives; `blobChars` the base64 characters in it.
 */
const preEncoded = new WeakMap<SqlParam[], { parts: (string | Uint8Array)[]; blobChars: number }>()

/** Journal `params` as the concatenation of `parts` (see preEncoded); returns `params`. */
export function withJournalJson(params: SqlParam[], parts: (string | Uint8Array)[], blobChars: number): SqlParam[] {
  preEncoded.set(params, { parts, blobChars })
  return params
}

/** The JSON of `params` as a journal record holds it, and the base64 characters of its blobs. */
export function paramsJson(params: SqlParam[]): { json: string; blobChars: number } {
  const blobs = { chars: 0 }
  const json = JSON.stringify(encodeParams(params, blobs))
  return { json, blobChars: blobs.chars }
}

function encodeParams(params: SqlParam[], blobs: { chars: number }): unknown[] {
  // Blobs (invoice PDFs) are kept exact through JSON as { b64 }. Without one the array is
  // written as it is (a usage batch's statements hold thousands of parameters each).
  if (!params.some((p) => p instanceof Uint8Array)) return params
  return params.map((p) => {
    if (!(p instanceof Uint8Array)) return p
    const b64 = Buffer.from(p).toString('base64')
    blobs.chars += b64.length
    return { b64 }
  })
}

function decodeParams(params: unknown[]): SqlParam[] {
  return params.map((p) =>
    p !== null && typeof p === 'object' && 'b64' in p ? new Uint8Array(Buffer.from(String((p as { b64: string }).b64), 'base64')) : (p as SqlParam)
  )
}

export function encodeRecord(entry: JournalEntry): Buffer {
  return Buffer.concat(encodeWeighed(entry).chunks)
}

/**
 * The record as consecutive chunks (the header first), its length, and its weight: what it costs
 * to replay, in bytes of statements (its length, with its blobs' bytes counted at
 * 1/BLOB_REPLAY_DISCOUNT). A usage batch's record (~1.5 MB) is not copied into one buffer: the
 * worker's bytes go to the file as they are, and the checksum runs over the chunks in turn.
 */
function encodeWeighed(entry: JournalEntry): { chunks: Uint8Array[]; length: number; weight: number } {
  const blobs = { chars: 0 }
  const chunks: Uint8Array[] = [Buffer.allocUnsafe(HEADER)]
  // Text between pre-encoded bytes, as JSON.stringify({ seq, stmts }) writes it.
  let text = `{"seq":${JSON.stringify(entry.seq)},"stmts":[`
  entry.stmts.forEach(([sql, params], i) => {
    text += `${i > 0 ? ',' : ''}[${JSON.stringify(sql)},`
    const pre = preEncoded.get(params)
    if (pre) {
      blobs.chars += pre.blobChars
      for (const part of pre.parts) {
        if (typeof part === 'string') text += part
        else {
          chunks.push(Buffer.from(text, 'utf8'), part)
          text = ''
        }
      }
    } else text += JSON.stringify(encodeParams(params, blobs))
    text += ']'
  })
  chunks.push(Buffer.from(`${text}]}`, 'utf8'))
  let length = 0
  let crc = 0
  for (let c = 1; c < chunks.length; c++) {
    length += chunks[c]!.length
    crc = crc32(chunks[c]!, crc)
  }
  const header = chunks[0] as Buffer
  header.writeUInt32LE(MAGIC, 0)
  header.writeUInt32LE(length, 4)
  header.writeUInt32LE(crc, 8)
  return { chunks, length: HEADER + length, weight: HEADER + length - blobs.chars + Math.ceil(blobs.chars / BLOB_REPLAY_DISCOUNT) }
}

/**
 * The valid records at the start of `buf`, in order, each with the offset just after it. Stops at
 * the first record that is cut short, has the wrong magic, or fails its checksum.
 */
export function* journalRecords(buf: Uint8Array): Generator<{ entry: JournalEntry; end: number }> {
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.length)
  let off = 0
  while (off + HEADER <= b.length) {
    if (b.readUInt32LE(off) !== MAGIC) return
    const len = b.readUInt32LE(off + 4)
    const crc = b.readUInt32LE(off + 8)
    if (off + HEADER + len > b.length) return
    const payload = b.subarray(off + HEADER, off + HEADER + len)
    if (crc32(payload) !== crc) return
    let parsed: { seq: number; stmts: [string, unknown[]][] }
    try {
      parsed = JSON.parse(payload.toString('utf8')) as typeof parsed
    } catch {
      return
    }
    off += HEADER + len
    yield { entry: { seq: parsed.seq, stmts: parsed.stmts.map(([s, p]) => [s, decodeParams(p)]) }, end: off }
  }
}

export function scanJournal(buf: Buffer): JournalScan {
  const entries: JournalEntry[] = []
  let off = 0
  for (const { entry, end } of journalRecords(buf)) {
    entries.push(entry)
    off = end
  }
  const tail = buf.subarray(off)
  const zeroTail = tail.length === 0 || Buffer.alloc(tail.length).equals(tail)
  return { entries, validBytes: off, droppedBytes: tail.length, tornBytes: zeroTail ? 0 : tail.length }
}

/** A new, empty journal file of PREALLOCATE_BYTES zeros, on disk (made off the main thread). */
export function prepareJournalFile(file: string): void {
  fs.rmSync(file, { force: true }) // a leftover of a crash: start afresh, private
  const fd = fs.openSync(file, 'wx', FILE_MODE)
  try {
    writeZeros(fd, 0, PREALLOCATE_BYTES)
    fs.fsyncSync(fd)
  } finally {
    fs.closeSync(fd)
  }
}

export class Journal {
  private fd: number
  private size: number
  /** Physical file size: valid records, then zeros up to here. */
  private allocated: number
  /** Set when a failed append could not be cut back; the store then refuses all writes. */
  poisoned = false
  /** Sequence numbers of the first and last record in the file (null: none), to name its archive segment. */
  firstSeq: number | null = null
  lastSeq: number | null = null
  /**
   * What the records cost to replay at start-up, in bytes of statements: their length, but a
   * blob's bytes (an invoice's PDF, inserted as one value) count 1/BLOB_REPLAY_DISCOUNT. The store
   * makes a snapshot when this, or the journal's length, passes its limit.
   */
  weight = 0
  /** How long the last append's flush (fdatasync) took, in ms (for the benchmarks). */
  lastFlushMs = 0

  private constructor(
    readonly path: string,
    fd: number,
    size: number,
    allocated: number
  ) {
    this.fd = fd
    this.size = size
    this.allocated = allocated
  }

  /** Open (creating if needed), drop any torn tail, and return the valid entries. */
  static open(path: string): { journal: Journal; scan: JournalScan } {
    const buf = fs.existsSync(path) ? fs.readFileSync(path) : Buffer.alloc(0)
    const scan = scanJournal(buf)
    const fd = fs.openSync(path, fs.existsSync(path) ? 'r+' : 'w+', FILE_MODE)
    let allocated = buf.length
    if (scan.tornBytes > 0 || (scan.validBytes === 0 && buf.length > 0)) {
      // Cut off a torn tail. An empty journal is cut too, and preallocated again below a page at
      // a time: reading it just now put its zeros in the page cache in large folios (PAGE_BYTES).
      fs.ftruncateSync(fd, scan.validBytes)
      fs.fsyncSync(fd)
      allocated = scan.validBytes
    }
    const journal = new Journal(path, fd, scan.validBytes, allocated)
    journal.firstSeq = scan.entries[0]?.seq ?? null
    journal.lastSeq = scan.entries.at(-1)?.seq ?? null
    journal.weight = scan.validBytes // not weighed again: counted in full
    journal.ensureAllocated(0)
    return { journal, scan }
  }

  /** Make sure `extra` more bytes fit in zero-filled, already allocated space. */
  private ensureAllocated(extra: number): void {
    if (this.size + extra <= this.allocated && this.allocated > 0) return
    const grow = Math.max(PREALLOCATE_BYTES, extra)
    writeZeros(this.fd, this.allocated, grow)
    fs.fsyncSync(this.fd)
    this.allocated += grow
  }

  get bytes(): number {
    return this.size
  }

  /** Write and flush one record. Returns only when the record is on disk. */
  append(entry: JournalEntry): void {
    const { chunks, length, weight } = encodeWeighed(entry)
    try {
      // A large record (a usage import's batch) goes past the zeros: zero-filling its room a page
      // at a time first cost more (~0.6 s per 1M records) than fdatasync's size update saves.
      if (length < LARGE_RECORD_BYTES) this.ensureAllocated(length)
      let at = this.size
      for (const chunk of chunks) {
        for (let written = 0; written < chunk.length; ) written += fs.writeSync(this.fd, chunk, written, chunk.length - written, at + written)
        at += chunk.length
      }
      const t = performance.now()
      fs.fdatasyncSync(this.fd)
      this.lastFlushMs = performance.now() - t
    } catch (err) {
      // Never leave a partial record in front of later ones: cut back to the last good byte.
      try {
        fs.ftruncateSync(this.fd, this.size)
        fs.fsyncSync(this.fd)
        this.allocated = this.size
      } catch {
        this.poisoned = true // a partial record may remain: no further appends are safe
      }
      throw err
    }
    this.size += length
    this.allocated = Math.max(this.allocated, this.size)
    this.weight += weight
    this.firstSeq ??= entry.seq
    this.lastSeq = entry.seq
  }

  /** The valid records, as bytes (to archive them before a snapshot empties the journal). */
  records(): Buffer {
    const buf = Buffer.allocUnsafe(this.size)
    let read = 0
    while (read < buf.length) read += fs.readSync(this.fd, buf, read, buf.length - read, read)
    return buf
  }

  /** After a snapshot holds everything, start the journal afresh. */
  reset(): void {
    fs.ftruncateSync(this.fd, 0)
    fs.fsyncSync(this.fd)
    this.size = 0
    this.weight = 0
    this.allocated = 0
    this.firstSeq = this.lastSeq = null
    this.ensureAllocated(0) // here, off the commit path
  }

  /**
   * Before replaceKeepingFrom, off the main thread (libuv's pool): copy the records from byte
   * `keepFrom` on into `prepared`, and flush them. Returns the bytes copied, which
   * replaceKeepingFrom then need not copy again: the tail of a busy journal (a usage import's
   * batches while a snapshot was written, 88 MiB at M) took ~0.3 s to copy on the main thread,
   * holding every request meanwhile. Each step of the copy waits for a turn of the main thread's
   * event loop (one per usage batch during an import), so it goes in large pieces, and in a few
   * rounds: what was appended while one round ran is copied by the next, until little is left.
   * The journal is read through a handle of its own: if it is replaced or emptied meanwhile (a
   * snapshot made on the main thread), what was copied is of no use, and the caller, which finds
   * its snapshot stale then, discards `prepared`.
   */
  async copyTailAhead(keepFrom: number, prepared: string): Promise<number> {
    let copied = 0
    if (this.size - keepFrom <= 0) return 0
    const source = await fs.promises.open(this.path, 'r')
    try {
      const target = await fs.promises.open(prepared, 'r+')
      try {
        let buffer: Buffer | null = null
        for (let round = 0; round < AHEAD_ROUNDS; round++) {
          // Everything before `size` is whole records, written and flushed.
          const tailBytes = this.size - keepFrom
          if (tailBytes - copied <= (round === 0 ? 0 : AHEAD_LEFT_BYTES)) break
          buffer ??= Buffer.allocUnsafe(Math.min(AHEAD_CHUNK, tailBytes))
          for (let done = copied; done < tailBytes; ) {
            const { bytesRead } = await source.read(buffer, 0, Math.min(buffer.length, tailBytes - done), keepFrom + done)
            if (bytesRead === 0) throw new Error(`the journal ended ${tailBytes - done} bytes early while its tail was copied`)
            for (let written = 0; written < bytesRead; ) written += (await target.write(buffer, written, bytesRead - written, done + written)).bytesWritten
            done += bytesRead
          }
          copied = tailBytes
        }
        // fsync, not fdatasync: a tail longer than the preallocated zeros changed the file's size.
        await target.sync()
      } finally {
        await target.close()
      }
    } finally {
      await source.close()
    }
    return copied
  }

  /**
   * After a snapshot holding every entry before byte `keepFrom` is durable: make `prepared` (an
   * empty preallocated journal, see prepareJournalFile) the journal, holding only the records
   * from `keepFrom` on (those committed while the snapshot was being written). The old journal
   * stays in place, complete, until the rename; start-up skips entries the snapshot holds.
   * `firstKept`: the sequence number of the record at `keepFrom`, if any; `weightBefore`: the
   * journal's weight when it was `keepFrom` bytes long; `copiedAhead`: the bytes of the tail
   * copyTailAhead already put in `prepared` (only the rest is copied here).
   */
  replaceKeepingFrom(keepFrom: number, prepared: string, dirFsync: (dir: string) => void, firstKept: number, weightBefore = keepFrom, copiedAhead = 0): void {
    const tailBytes = this.size - keepFrom
    const fd = fs.openSync(prepared, 'r+')
    let allocated: number
    try {
      allocated = fs.fstatSync(fd).size
      // Copied through one reused buffer: the tail of a busy journal (a usage import's batches
      // during a snapshot) can be tens of MiB, and a fresh buffer that size cost ~0.5 s per import.
      copyBuffer ??= Buffer.allocUnsafe(COPY_CHUNK)
      for (let done = Math.min(copiedAhead, tailBytes); done < tailBytes; ) {
        const n = fs.readSync(this.fd, copyBuffer, 0, Math.min(COPY_CHUNK, tailBytes - done), keepFrom + done)
        if (n === 0) throw new Error(`the journal ended ${tailBytes - done} bytes early while its tail was copied`)
        for (let written = 0; written < n; ) written += fs.writeSync(fd, copyBuffer, written, n - written, done + written)
        done += n
      }
      // Within the preallocated zeros fdatasync suffices; a tail beyond them changed the size.
      if (tailBytes > allocated) fs.fsyncSync(fd)
      else fs.fdatasyncSync(fd)
      fs.renameSync(prepared, this.path)
    } catch (err) {
      fs.closeSync(fd) // the old journal is untouched and stays in use
      throw err
    }
    fs.closeSync(this.fd)
    this.fd = fd
    this.size = tailBytes
    this.weight = tailBytes === 0 ? 0 : Math.max(0, this.weight - weightBefore)
    this.allocated = Math.max(allocated, tailBytes)
    if (tailBytes === 0) this.firstSeq = this.lastSeq = null
    else this.firstSeq = firstKept
    try {
      dirFsync(path.dirname(this.path))
    } catch (err) {
      // Until the rename is on disk a crash could bring the old journal back without the
      // records appended from now on: acknowledge nothing more.
      this.poisoned = true
      throw err
    }
  }

  close(): void {
    fs.closeSync(this.fd)
  }
}
