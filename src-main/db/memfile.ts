import fs from 'node:fs'
import v8 from 'node:v8'
import vm from 'node:vm'
import { Worker } from 'node:worker_threads'
import type { Database, SqlJsStatic } from 'sql.js'

/**
 * The database file in a buffer we own, with the pages SQLite wrote since the last snapshot.
 *
 * sql.js keeps the database as a file in Emscripten's in-memory file system (MEMFS). Opening
 * `new sql.Database(bytes)` normally copies the bytes, and the first page the database grows by
 * makes MEMFS reallocate and copy the whole file again (1.125x): full-size copies that cost a few
 * hundred milliseconds at M (146 MB) and push peak memory past 2x the database.
 *
 * MEMFS makes its copy with `bytes.slice()`, and a typed array's `slice()` builds its result
 * through the array's species constructor. Our species hands back a buffer we already own, so
 * MEMFS adopts it: no copy at open, and pages added later fill its spare room in place (spare
 * pages never written take no physical memory). MEMFS then writes every page SQLite writes with
 * `contents.set(page, offset)`; our buffer's `set` notes the page. A snapshot is then the last
 * snapshot file with just those pages written over it: no export, no copy of the database.
 *
 * The buffer is shared memory (a SharedArrayBuffer), so that a helper thread can touch the spare
 * pages just ahead of the file's end before SQLite writes them (see PageWarmer).
 */
export interface OwnedFile {
  /** The file's bytes as read (length = file size) over a buffer of `capacity` bytes. */
  bytes: Uint8Array
  capacity: number
}

/**
 * Room to grow into before MEMFS would reallocate: as much again as the file, at least 512 MiB.
 * Spare pages never written take no physical memory (the zeroed buffer is mapped lazily), so the
 * room is cheap; running out is not: MEMFS then copies the whole file at every 1.125x of growth,
 * and snapshots fall back to exporting on the main thread. A 1M usage import at M adds about
 * 250 MB to a 256 MB file: a quarter of the file as room ran out in the middle of it.
 */
export function spareFor(size: number): number {
  return Math.max(512 * 1024 * 1024, size)
}

/**
 * A full garbage collection, where the runtime lets us ask for one. V8 counts a SharedArrayBuffer
 * as no memory pressure, so a database buffer let go of (the file's size plus at least 512 MiB of
 * address space, much of it touched) stays until some unrelated full collection: opening and
 * closing stores in a loop (the crash test, restores) left the process too large to fork a child
 * (spawn ENOMEM after ~48 buffers of 600 MiB on the 24 GiB build VM). Undefined: not asked for yet.
 */
let fullGc: (() => void) | null | undefined
let collectScheduled = false

/** Asked for the first time a buffer is let go of (never in a process that keeps its store open). */
function exposedGc(): (() => void) | null {
  if (fullGc !== undefined) return fullGc
  try {
    v8.setFlagsFromString('--expose-gc') // affects contexts created after it: the one below
    const gc: unknown = vm.runInNewContext('gc')
    fullGc = typeof gc === 'function' ? (gc as () => void) : null
  } catch {
    fullGc = null
  }
  return fullGc
}

/** A buffer was let go of: collect it on the next turn, once the caller has dropped its last references (a few ms). */
function collectSoon(): void {
  const gc = exposedGc()
  if (gc === null || collectScheduled) return
  collectScheduled = true
  setImmediate(() => {
    collectScheduled = false
    gc()
  }).unref()
}

/** Read a whole file into a buffer with `spare` bytes of room after it. */
export function readFileWithSpare(file: string, spare: number): OwnedFile {
  const fd = fs.openSync(file, 'r')
  try {
    const size = fs.fstatSync(fd).size
    const buffer = new Uint8Array(new SharedArrayBuffer(size + spare))
    let read = 0
    while (read < size) {
      const n = fs.readSync(fd, buffer, read, size - read, read)
      if (n === 0) break // the file shrank under us: what we have is what there is
      read += n
    }
    return { bytes: buffer.subarray(0, read), capacity: size + spare }
  } finally {
    fs.closeSync(fd)
  }
}

/** `bytes` copied into a new buffer with `spare` bytes of room after them. */
export function copyWithSpare(bytes: Uint8Array, spare: number): OwnedFile {
  const buffer = new Uint8Array(new SharedArrayBuffer(bytes.length + spare))
  buffer.set(bytes)
  return { bytes: buffer.subarray(0, bytes.length), capacity: bytes.length + spare }
}

/**
 * The pages changed since the last snapshot, as they were at one moment (when it began), handed
 * out in chunks over several event-loop turns while changes go on (see TrackedFile.beginSnapshot).
 */
export interface PageSnapshot {
  pageSize: number
  /** File size at that moment (page count x page size). */
  size: number
  /** Page numbers, 0-based, ascending: the pages handed out. */
  pages: Uint32Array
  /** Of those, the pages changed since the last snapshot (the others were asked for besides). */
  changed: Uint32Array
}

/** Some of a PageSnapshot's pages: their numbers and bytes (`pageSize` each, same order). */
export interface PageChunk {
  pages: Uint32Array
  data: Uint8Array
}

/** Spare room kept touched ahead of the file's end while it grows (see PageWarmer). */
const WARM_AHEAD_BYTES = 64 << 20
/** More is asked for once the file's end comes this close to the touched room's. */
const WARM_LOW_BYTES = 32 << 20
/** Growth since opening before a warming thread is started at all (most sessions never get there). */
const WARM_START_BYTES = 4 << 20

/**
 * The helper thread's whole program: for each [from, to) it is sent, write every 4 KiB of the
 * buffer there. The write is an atomic add of 0, so it changes nothing even where SQLite writes
 * the same bytes at that moment.
 */
const WARMER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads')
const words = new Int32Array(workerData, 0, workerData.byteLength >> 2)
parentPort.on('message', ([from, to]) => {
  for (let i = Math.ceil(from / 4096) * 1024, end = Math.min(words.length, to >> 2); i < end; i += 1024) Atomics.add(words, i, 0)
})`

/**
 * A thread that touches the spare room just ahead of the database file's end, so that the pages
 * SQLite grows the file into are already in memory. The first write to a page of a new mapping
 * makes the kernel supply it: 12 µs per 4 KiB page on the build VM, about 1 s of a 1M usage
 * import's main thread, which grows the file by 320 MiB (docs/benchmarks.md). On this thread the
 * same cost is paid off the main thread and ahead of need.
 */
class PageWarmer {
  private readonly worker: Worker

  constructor(buffer: SharedArrayBuffer) {
    this.worker = new Worker(WARMER_SOURCE, { eval: true, workerData: buffer })
    this.worker.unref() // never keeps the process alive
    this.worker.on('error', () => {}) // only ever a lost head start: SQLite's own writes fault the pages in
  }

  warm(from: number, to: number): void {
    this.worker.postMessage([from, to])
  }

  stop(): void {
    void this.worker.terminate()
  }
}

/**
 * The live database file of an sql.js database opened over an owned buffer. `live` turns false,
 * for good, if MEMFS ever stops using our buffer (the file outgrew the spare room, or never was
 * adopted): the caller then falls back to exporting.
 */
export class TrackedFile {
  /**
   * Pages changed since the last snapshot: one byte per page of the buffer (a few hundred KiB),
   * set on every page write (millions in a large usage import, where a Set's add cost 1 s).
   */
  private dirty = new Uint8Array(0)
  /** The snapshot being copied out: its pages not copied yet, and saved contents of those written since. */
  private pending: { snapshot: PageSnapshot; next: number; uncopied: Set<number>; saved: Map<number, Uint8Array> } | null = null
  private pageShift = 12
  private adopted = false
  private lost = false
  /** Writes seen; a commit that changed data but wrote nothing here means MEMFS let go. */
  writes = 0
  /** A write ending past this asks the warmer for more room (see PageWarmer). */
  private warmAt: number
  /** The room up to here is touched, or asked to be. */
  private warmedTo: number
  private warmer: PageWarmer | null = null
  /**
   * During a unit of work without SQLite's rollback journal (DurableStore.transaction): each
   * page's content before its first write in it, and the file's page count when it began.
   */
  private undo: { saved: Map<number, Uint8Array>; pages: number } | null = null

  private constructor(
    private readonly whole: Uint8Array,
    private readonly initialSize: number
  ) {
    this.warmedTo = initialSize
    // Only a shared buffer can be touched from another thread.
    this.warmAt = whole.buffer instanceof SharedArrayBuffer ? initialSize + WARM_START_BYTES : Number.POSITIVE_INFINITY
  }

  /** Open `owned` as a database whose file is tracked (see the module comment). */
  static open(sql: SqlJsStatic, owned: OwnedFile): { db: Database; file: TrackedFile } {
    let file: TrackedFile | null = null
    const note = (offset: number, length: number) => file?.beforeWrite(offset, length)
    const leaving = () => file?.markLost()
    class Live extends Uint8Array {
      // Views of it (MEMFS reads pages with contents.subarray) are plain arrays.
      static get [Symbol.species](): Uint8ArrayConstructor {
        return Uint8Array
      }

      // MEMFS writes pages into the file with contents.set(page, offset).
      override set(array: ArrayLike<number>, offset = 0): void {
        note(offset, array.length)
        super.set(array, offset)
      }

      // SQLite reads at most a page (64 KiB) at a time. A longer view is MEMFS moving the whole
      // file into a new buffer of its own (it outgrew ours, or was cut): ours is then stale.
      override subarray(begin = 0, end = this.length): Uint8Array<ArrayBuffer> {
        if (end - begin > 65536) leaving()
        return super.subarray(begin, end)
      }
    }
    const whole = new Live(owned.bytes.buffer as ArrayBuffer, owned.bytes.byteOffset, owned.capacity)
    // Our own reads go through a plain view: only MEMFS uses the watching one.
    file = new TrackedFile(new Uint8Array(whole.buffer, whole.byteOffset, whole.length), owned.bytes.length)
    const tracked = file
    const size = owned.bytes.length
    function species(a: number | ArrayBuffer, offset?: number, length?: number): Uint8Array {
      // MEMFS's first write into the new file is `bytes.slice(0, size)`: hand it our buffer
      // (slice then copies the bytes onto themselves). Anything else gets an ordinary array.
      if (typeof a === 'number') {
        if (!tracked.adopted && a === size) {
          tracked.adopted = true
          return whole
        }
        return new Uint8Array(a)
      }
      return new Uint8Array(a, offset, length)
    }
    class Adoptable extends Uint8Array {
      static get [Symbol.species](): Uint8ArrayConstructor {
        return species as unknown as Uint8ArrayConstructor
      }
    }
    const db = new sql.Database(new Adoptable(whole.buffer as ArrayBuffer, whole.byteOffset, size))
    const pageSize = Number(db.exec('PRAGMA page_size')[0]?.values[0]?.[0] ?? 4096)
    file.pageShift = Math.log2(pageSize)
    if (!Number.isInteger(file.pageShift)) file.lost = true
    return { db, file }
  }

  private beforeWrite(offset: number, length: number): void {
    this.writes++
    if (length === 0) return
    if (offset + length > this.warmAt) this.warmAhead(offset + length)
    const last = (offset + length - 1) >> this.pageShift
    const pending = this.pending
    const undo = this.undo
    if (last >= this.dirty.length) this.growDirty(last)
    for (let p = offset >> this.pageShift; p <= last; p++) {
      this.dirty[p] = 1
      if (undo && p < undo.pages && !undo.saved.has(p)) undo.saved.set(p, this.whole.slice(p << this.pageShift, (p + 1) << this.pageShift))
      // Copy-on-write: a page the snapshot still needs keeps its content from when it began.
      if (pending?.uncopied.delete(p)) pending.saved.set(p, this.whole.slice(p << this.pageShift, (p + 1) << this.pageShift))
    }
  }

  /**
   * A unit of work without SQLite's rollback journal begins: until endUndo, the first write to
   * each page of the file saves its content, for rollBackUndo. SQLite writes no page before
   * COMMIT then (cache_spill is off), so this normally saves nothing.
   */
  beginUndo(db: Database): void {
    // Pages past the file's end hold nothing the database uses: they need no copy.
    this.undo = { saved: new Map(), pages: fileSize(db) >> this.pageShift }
  }

  /** Stop saving pages (COMMIT is about to write them, or the unit of work is over). */
  endUndo(): void {
    this.undo = null
  }

  /**
   * After SQLite's ROLLBACK of a unit of work without its rollback journal (it then discards its
   * cache and reads the file again): put back every page written since beginUndo. Pages the unit
   * of work added past the file's end stay, unused: the restored first page's page count leaves
   * them out, and the next growth writes over them.
   */
  rollBackUndo(): void {
    const undo = this.undo
    if (!undo) return
    for (const [p, bytes] of undo.saved) this.whole.set(bytes, p << this.pageShift)
    undo.saved.clear()
  }

  /** The file has grown to `end`: have the room ahead of it touched (see PageWarmer). */
  private warmAhead(end: number): void {
    const to = Math.min(this.whole.length, end + WARM_AHEAD_BYTES)
    const from = Math.max(this.warmedTo, end)
    if (to > from) {
      this.warmer ??= new PageWarmer(this.whole.buffer as SharedArrayBuffer)
      this.warmer.warm(this.whole.byteOffset + from, this.whole.byteOffset + to)
      this.warmedTo = to
    }
    this.warmAt = to >= this.whole.length ? Number.POSITIVE_INFINITY : to - WARM_LOW_BYTES
  }

  /** Where the room touched ahead of the file (or asked to be) ends, in bytes of the file: its size while it has not grown by WARM_START_BYTES. */
  get warmedBytes(): number {
    return this.warmedTo
  }

  /** Stop the warming thread, and have the buffer collected once let go of (the database is closed, or moved to another buffer). */
  close(): void {
    this.warmAt = Number.POSITIVE_INFINITY
    this.warmer?.stop()
    this.warmer = null
    collectSoon()
  }

  private growDirty(page: number): void {
    const grown = new Uint8Array(Math.max(page + 1, (this.whole.length >> this.pageShift) + 1))
    grown.set(this.dirty)
    this.dirty = grown
  }

  /** True while the buffer we own is the database file. */
  get live(): boolean {
    return this.adopted && !this.lost
  }

  /** Called when MEMFS must have let go of our buffer (a commit wrote nothing to it). */
  markLost(): void {
    this.lost = true
    this.close() // MEMFS writes elsewhere now
  }

  /** The whole file as it is now (no copy), or null when it is not in our buffer. */
  current(db: Database): Uint8Array | null {
    if (!this.live) return null
    const size = fileSize(db)
    // Growth past the capacity reallocates; a smaller file means it was truncated (realloc).
    if (size < this.initialSize || size > this.whole.length) {
      this.markLost()
      return null
    }
    return this.whole.subarray(0, size)
  }

  /** Bytes the file can still grow by inside our buffer (0 when it is no longer there). */
  room(db: Database): number {
    const file = this.current(db)
    return file ? this.whole.length - file.length : 0
  }

  /** The file now equals what was just written to disk: nothing is changed relative to it. */
  clearChanges(): void {
    this.dirty.fill(0)
  }

  /** Mark pages changed again (a snapshot that took them failed or was not installed). */
  restoreChanges(pages: Uint32Array): void {
    for (const p of pages) {
      if (p >= this.dirty.length) this.growDirty(p)
      this.dirty[p] = 1
    }
  }

  /**
   * Begin a snapshot of the file as it is now: the pages changed since the last one (always
   * page 1, whose header SQLite updates on every commit). Their bytes are handed out by
   * nextChunk(), possibly over many event-loop turns with commits in between: a page written
   * before it was handed out is saved first, so every chunk holds this moment's content.
   * Counting changes for the snapshot after this one starts now. `also`: pages to hand out
   * besides (those of the file being written over that differ from the last snapshot's).
   */
  beginSnapshot(db: Database, also: Uint32Array | null = null): PageSnapshot | null {
    const file = this.current(db)
    if (!file) return null
    const pagesInFile = file.length >> this.pageShift
    if (this.dirty.length === 0) this.growDirty(0)
    this.dirty[0] = 1
    const changed: number[] = []
    for (let p = 0, end = Math.min(pagesInFile, this.dirty.length); p < end; p++) if (this.dirty[p] === 1) changed.push(p)
    this.dirty.fill(0)
    let pages = Uint32Array.from(changed)
    if (also !== null && also.length > 0) {
      const all = new Set(changed)
      for (const p of also) if (p < pagesInFile) all.add(p)
      pages = Uint32Array.from(all).sort()
    }
    const snapshot = { pageSize: 1 << this.pageShift, size: file.length, pages, changed: Uint32Array.from(changed) }
    this.pending = { snapshot, next: 0, uncopied: new Set(pages), saved: new Map() }
    return snapshot
  }

  /** The next (up to) `maxPages` pages of `snapshot`; null when all were handed out (or it ended). */
  nextChunk(snapshot: PageSnapshot, maxPages: number): PageChunk | null {
    const pending = this.pending
    if (!pending || pending.snapshot !== snapshot || pending.next >= snapshot.pages.length) return null
    const pages = snapshot.pages.slice(pending.next, pending.next + maxPages)
    pending.next += pages.length
    const size = snapshot.pageSize
    const data = new Uint8Array(pages.length * size)
    pages.forEach((p, i) => {
      const saved = pending.saved.get(p)
      pending.saved.delete(p)
      pending.uncopied.delete(p)
      data.set(saved ?? this.whole.subarray(p * size, (p + 1) * size), i * size)
    })
    if (pending.next >= snapshot.pages.length) this.pending = null
    return { pages, data }
  }

  /** Stop handing out the snapshot's pages (it failed, or a newer snapshot replaced it). */
  endSnapshot(): void {
    this.pending = null
  }
}

function fileSize(db: Database): number {
  const r = db.exec('PRAGMA page_count; PRAGMA page_size')
  return Number(r[0]?.values[0]?.[0] ?? 0) * Number(r[1]?.values[0]?.[0] ?? 0)
}
