import fs from 'node:fs'
import type { Database, SqlJsStatic } from 'sql.js'

/**
 * A database file's bytes in a buffer we own, with spare capacity after them.
 *
 * sql.js keeps the database as a file in Emscripten's in-memory file system (MEMFS). Opening
 * `new sql.Database(bytes)` normally copies the bytes (a second full copy while the first is
 * still alive), and the first page the database grows by makes MEMFS reallocate and copy the
 * whole file again (1.125x). Both are full-size copies at once: at M (146 MB) they cost a
 * few hundred milliseconds and push peak memory past 2x the database.
 *
 * MEMFS makes its copy with `bytes.slice()`, and a typed array's `slice()` builds its result
 * through the array's species constructor. Our subclass's species hands back the buffer we
 * already own, so MEMFS adopts it: no copy at open, and pages added later fill the spare
 * capacity in place (untouched spare pages take no physical memory). The same buffer then holds
 * the live database file, byte for byte, which the snapshot worker writes out without exporting.
 */
export interface OwnedFile {
  /** The file's bytes as read (length = file size) over a buffer of `capacity` bytes. */
  bytes: Uint8Array
  capacity: number
}

/** Read a whole file into a buffer with `spare` bytes of room after it. */
export function readFileWithSpare(file: string, spare: number): OwnedFile {
  const fd = fs.openSync(file, 'r')
  try {
    const size = fs.fstatSync(fd).size
    const capacity = size + spare
    const buffer = new Uint8Array(new ArrayBuffer(capacity))
    let read = 0
    while (read < size) {
      const n = fs.readSync(fd, buffer, read, size - read, read)
      if (n === 0) break // the file shrank under us: what we have is what there is
      read += n
    }
    return { bytes: buffer.subarray(0, read), capacity }
  } finally {
    fs.closeSync(fd)
  }
}

/** A database opened over an owned buffer; `file()` is its current file, or null if MEMFS let go. */
export interface OwningDatabase {
  db: Database
  /** True when MEMFS adopted our buffer at open. */
  adopted: boolean
  /**
   * The database file as MEMFS holds it now (between transactions: a complete SQLite file).
   * Null when it no longer lives in our buffer: it outgrew the capacity or shrank (MEMFS then
   * moved it to a buffer of its own), or MEMFS did not adopt the buffer in the first place.
   */
  file(): Uint8Array | null
}

/**
 * A view of `owned.bytes` that, passed to `new sql.Database(...)`, makes MEMFS adopt the owned
 * buffer instead of copying it. Any other use of the view (subarray, slice) behaves normally.
 */
export function adoptable(owned: OwnedFile): { bytes: Uint8Array; adopted(): boolean } {
  const whole = new Uint8Array(owned.bytes.buffer, owned.bytes.byteOffset, owned.capacity)
  const size = owned.bytes.length
  let adopted = false
  function species(a: number | ArrayBufferLike, offset?: number, length?: number): Uint8Array {
    // MEMFS's first write is `bytes.slice(0, size)`: hand it the whole owned buffer (slice then
    // copies the bytes onto themselves). Everything else gets an ordinary array.
    if (typeof a === 'number') {
      if (!adopted && a === size) {
        adopted = true
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
  return { bytes: new Adoptable(whole.buffer as ArrayBuffer, whole.byteOffset, size), adopted: () => adopted }
}

/** Open a database over an owned buffer; see `OwningDatabase.file()`. */
export function openOwning(sql: SqlJsStatic, owned: OwnedFile): OwningDatabase {
  const view = adoptable(owned)
  const db = new sql.Database(view.bytes)
  const initialSize = owned.bytes.length
  const whole = new Uint8Array(owned.bytes.buffer, owned.bytes.byteOffset, owned.capacity)
  return {
    db,
    adopted: view.adopted(),
    file() {
      if (!view.adopted()) return null
      const pages = db.exec('PRAGMA page_count; PRAGMA page_size')
      const size = Number(pages[0]?.values[0]?.[0] ?? 0) * Number(pages[1]?.values[0]?.[0] ?? 0)
      // Growth past the capacity reallocates; a smaller file means it was truncated (realloc).
      if (size < initialSize || size > owned.capacity) return null
      return whole.subarray(0, size)
    }
  }
}
