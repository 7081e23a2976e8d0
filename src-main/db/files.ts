import fs from 'node:fs'
import path from 'node:path'

/** The books are private to the user running the desk: folders 0700, files 0600 (POSIX only). */
export const DIR_MODE = 0o700
export const FILE_MODE = 0o600

/** Write a file so that readers see either the old or the new content, never a mix. */
export function writeFileAtomic(target: string, data: Uint8Array): void {
  const tmp = `${target}.tmp-${process.pid}`
  try {
    const fd = fs.openSync(tmp, 'w', FILE_MODE)
    try {
      // An older temp file of ours (a crash) keeps its mode on reopen: tighten it.
      if (process.platform !== 'win32') fs.fchmodSync(fd, FILE_MODE)
      let written = 0
      while (written < data.length) written += fs.writeSync(fd, data, written, data.length - written, written)
      fs.fsyncSync(fd)
    } finally {
      fs.closeSync(fd)
    }
    fs.renameSync(tmp, target)
  } catch (err) {
    fs.rmSync(tmp, { force: true }) // a failed write leaves nothing behind
    throw err
  }
  fsyncDir(path.dirname(target))
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
