import fs from 'node:fs'
import path from 'node:path'
import { randomBytes } from 'node:crypto'
import { AppError } from '../../src-shared/errors'
import { FILE_MODE } from './files'

export const LOCK_FILE = 'app.lock'

/** Test seam: called at each step of an acquisition, so a test can force another starter in between. */
export interface LockHooks {
  step?: (name: 'prepared' | 'found-stale' | 'moved-aside') => void
}

interface Owner {
  pid: number
  startedAt: string
  /** Tells two owners with the same PID apart (and a lock we wrote from one written later). */
  nonce: string
}

/** Hard links are missing on some file systems (FAT on a USB stick). */
const NO_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV'])
/** Without hard links a lock file exists for a moment before its owner is written in it. */
const BEING_WRITTEN_MS = 10_000

/**
 * One process per data folder. The lock file holds the owner's PID; a lock left by a process
 * that no longer runs (a crash) is taken over.
 *
 * The lock file appears complete or not at all: the owner is written and flushed into a private
 * temp file, which is then hard-linked to `app.lock` (link never replaces an existing file, so of
 * two simultaneous starters exactly one succeeds). A stale lock is taken over by renaming it to a
 * private name first (only one starter can move a given file), and checking that the file moved is
 * the stale one judged; if it was a live lock taken in the meantime, it is linked back.
 */
export class DataDirLock {
  private released = false
  private readonly onExit = () => this.release()
  private constructor(
    readonly file: string,
    private readonly nonce: string
  ) {
    process.once('exit', this.onExit)
  }

  static acquire(dataDir: string, hooks: LockHooks = {}): DataDirLock {
    const file = path.join(dataDir, LOCK_FILE)
    const owner: Owner = { pid: process.pid, startedAt: new Date().toISOString(), nonce: randomBytes(8).toString('hex') }
    const text = JSON.stringify(owner)
    const tmp = `${file}.tmp-${process.pid}-${owner.nonce}`
    writeSynced(tmp, text, 'wx')
    try {
      for (let attempt = 0; attempt < 5; attempt++) {
        hooks.step?.('prepared')
        if (publish(tmp, file, text)) return new DataDirLock(file, owner.nonce)
        const found = readLock(file)
        if (found === null) continue // released in the meantime: try again
        const pid = parseOwner(found.text)?.pid ?? null
        if (pid === process.pid) throw new AppError('DB_LOCKED', `This process already has the data folder ${dataDir} open.`)
        if (pid !== null && isRunning(pid)) {
          throw new AppError(
            'DB_LOCKED',
            `Another Callshop billing desk (process ${pid}) is already using the data folder ${dataDir}. Close it first, or choose another folder with --data-dir.`
          )
        }
        if (pid === null && Date.now() - found.mtimeMs < BEING_WRITTEN_MS) {
          // Only a starter on a file system without hard links writes the lock in place: give it time.
          throw new AppError('DB_LOCKED', `Another Callshop billing desk is starting on the data folder ${dataDir}. Try again in a moment.`)
        }
        hooks.step?.('found-stale')
        takeOverStale(file, found.text, owner.nonce, hooks)
      }
      throw new AppError('DB_LOCKED', `Could not lock the data folder ${dataDir}.`)
    } finally {
      fs.rmSync(tmp, { force: true })
    }
  }

  release(): void {
    if (this.released) return
    this.released = true
    process.removeListener('exit', this.onExit)
    try {
      const found = readLock(this.file)
      if (found && parseOwner(found.text)?.nonce === this.nonce) fs.rmSync(this.file, { force: true })
    } catch {
      /* best effort on exit */
    }
  }
}

function writeSynced(file: string, text: string, flag: 'wx'): void {
  const fd = fs.openSync(file, flag, FILE_MODE)
  try {
    fs.writeSync(fd, text)
    fs.fsyncSync(fd)
  } finally {
    fs.closeSync(fd)
  }
}

/** Put our complete lock file in place unless one exists. */
function publish(tmp: string, file: string, text: string): boolean {
  try {
    fs.linkSync(tmp, file)
    return true
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? ''
    if (code === 'EEXIST') return false
    if (!NO_LINKS.has(code)) throw err
  }
  try {
    writeSynced(file, text, 'wx') // exclusive create; a starter seeing it empty waits (BEING_WRITTEN_MS)
    return true
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw err
  }
}

/**
 * Remove the stale lock whose content is `staleText`, and nothing else: move it to a private name
 * (atomic: of several starters only one moves it), then look at what was moved.
 */
function takeOverStale(file: string, staleText: string, nonce: string, hooks: LockHooks): void {
  const aside = `${file}.stale-${process.pid}-${nonce}`
  try {
    fs.renameSync(file, aside)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return // another starter moved it
    throw err
  }
  hooks.step?.('moved-aside')
  const moved = readLock(aside)
  if (moved !== null && moved.text !== staleText) {
    // A live lock was published between our look and the move: give it back.
    try {
      fs.linkSync(aside, file)
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? ''
      // EEXIST: a third starter got in while the name was free; it holds the folder now.
      if (NO_LINKS.has(code)) fs.renameSync(aside, file)
      else if (code !== 'EEXIST') throw err
    }
  }
  fs.rmSync(aside, { force: true })
}

function readLock(file: string): { text: string; mtimeMs: number } | null {
  try {
    return { text: fs.readFileSync(file, 'utf8'), mtimeMs: fs.statSync(file).mtimeMs }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw err
  }
}

function parseOwner(text: string): Owner | null {
  try {
    const parsed = JSON.parse(text) as Partial<Owner>
    return typeof parsed.pid === 'number' ? { pid: parsed.pid, startedAt: String(parsed.startedAt ?? ''), nonce: String(parsed.nonce ?? '') } : null
  } catch {
    return null
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}
