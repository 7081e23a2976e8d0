import fs from 'node:fs'
import path from 'node:path'
import { AppError } from '../../src-shared/errors'

/** The books are private to the user running the desk: folders 0700, files 0600 (POSIX only). */
export const DIR_MODE = 0o700
export const FILE_MODE = 0o600

/** Write a file so that readers see either the old or the new content, never a mix. */
export function writeFileAtomic(target: string, data: Uint8Array, tmp = `${target}.tmp-${process.pid}`): void {
  try {
    writeFileSynced(tmp, data)
    fs.renameSync(tmp, target)
  } catch (err) {
    fs.rmSync(tmp, { force: true }) // a failed write leaves nothing behind
    throw err
  }
  fsyncDir(path.dirname(target))
}

/**
 * Write a whole new private file (0600) and fsync it (not yet renamed into place: see
 * writeFileAtomic). A file left under that name by a crash (or a link planted there) is removed,
 * never written through.
 */
export function writeFileSynced(file: string, data: Uint8Array, opts: { flushEvery?: number } = {}): void {
  fs.rmSync(file, { force: true })
  const fd = fs.openSync(file, 'wx', FILE_MODE)
  try {
    // `flushEvery`: flushed in steps, so that a large file is never one long flush that a
    // request's own small flush waits behind (see "Snapshots" in docs/durability.md).
    const step = opts.flushEvery ?? data.length
    let written = 0
    while (written < data.length) {
      const end = Math.min(data.length, written + step)
      while (written < end) written += fs.writeSync(fd, data, written, end - written, written)
      if (written < data.length) fs.fdatasyncSync(fd)
    }
    fs.fsyncSync(fd)
  } finally {
    fs.closeSync(fd)
  }
}

/** Copy `from` to `to` durably and atomically (temp file, fsync, rename, folder fsync), private (0600). */
export function copyFileAtomic(from: string, to: string): void {
  const tmp = `${to}.tmp-${process.pid}`
  try {
    fs.rmSync(tmp, { force: true })
    fs.copyFileSync(from, tmp, fs.constants.COPYFILE_EXCL)
    fs.chmodSync(tmp, FILE_MODE)
    const fd = fs.openSync(tmp, 'r+')
    try {
      fs.fsyncSync(fd)
    } finally {
      fs.closeSync(fd)
    }
    fs.renameSync(tmp, to)
  } catch (err) {
    fs.rmSync(tmp, { force: true })
    throw err
  }
  fsyncDir(path.dirname(to))
}

export function fsyncDir(dir: string): void {
  // Directory fsync makes the rename itself durable; Windows cannot open directories for it.
  if (process.platform === 'win32') return
  const fd = fs.openSync(dir, 'r')
  try {
    fs.fsyncSync(fd)
  } finally {
    fs.closeSync(fd)
  }
}

/** Create a folder of the data folder (0700), or tighten an existing one. */
export function makePrivateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: DIR_MODE })
  tightenMode(dir, DIR_MODE)
}

/**
 * Take group and other permissions off a file or folder that has them (a data folder made by an
 * older version, or copied in). Returns whether it changed anything. Windows has no such modes.
 */
export function tightenMode(file: string, mode: number): boolean {
  if (process.platform === 'win32') return false
  let st: fs.Stats
  try {
    st = fs.lstatSync(file)
  } catch {
    return false
  }
  if (st.isSymbolicLink() || (st.mode & 0o077) === 0) return false
  fs.chmodSync(file, mode)
  return true
}

/**
 * Repair modes at start-up: `dir` 0700, and of its entries those `ours` names, folders 0700 with
 * every file in them 0600, files 0600 (a folder made by an older version, or copied in with a file
 * manager, is readable by every local user). Returns the paths it changed.
 */
export function securePrivateTree(dir: string, ours: (name: string) => boolean = () => true): string[] {
  const changed: string[] = []
  if (tightenMode(dir, DIR_MODE)) changed.push(dir)
  let entries: fs.Dirent[]
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true })
  } catch {
    return changed
  }
  for (const e of entries) {
    if (!ours(e.name)) continue
    const p = path.join(dir, e.name)
    if (e.isDirectory()) changed.push(...securePrivateTree(p))
    else if (e.isFile() && tightenMode(p, FILE_MODE)) changed.push(p)
  }
  return changed
}

/**
 * A file system error in words, for a path the administrator typed: never a bare "EACCES".
 * `action` is what was being done ("read", "write").
 */
export function fileProblem(err: unknown, file: string, action: 'read' | 'write'): AppError {
  const code = (err as NodeJS.ErrnoException).code ?? ''
  const say = (text: string, errorCode: 'NOT_FOUND' | 'IO' | 'VALIDATION' = 'IO') => new AppError(errorCode, text, 'path')
  switch (code) {
    case 'ENOENT':
      return action === 'read' ? say(`There is no file at ${file}.`, 'NOT_FOUND') : say(`The folder ${path.dirname(file)} does not exist.`, 'NOT_FOUND')
    case 'EACCES':
    case 'EPERM':
      return say(`The desk is not allowed to ${action} ${file} (permission denied). Choose another place, or change its permissions.`)
    case 'EISDIR':
      return say(`${file} is a folder, not a file.`, 'VALIDATION')
    case 'ENOTDIR':
      return say(`Part of the path ${file} is a file, not a folder.`, 'VALIDATION')
    case 'ENOSPC':
    case 'EDQUOT':
      return say(`There is not enough free disk space to ${action} ${file}.`)
    case 'EROFS':
      return say(`${file} is on a disk that is read-only.`)
    case 'ENAMETOOLONG':
      return say(`The path ${file} is too long.`, 'VALIDATION')
    case 'ELOOP':
      return say(`The path ${file} goes round in a loop of links.`, 'VALIDATION')
    case 'EBUSY':
    case 'ETXTBSY':
      return say(`${file} is in use by another program.`)
    case 'EIO':
      return say(`The disk reported an error while trying to ${action} ${file}.`)
    default:
      return say(`The desk could not ${action} ${file}: ${(err as Error).message}`)
  }
}
