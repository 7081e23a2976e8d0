import fs from 'node:fs'
import path from 'node:path'

/** Write a file so that readers see either the old or the new content, never a mix. */
export function writeFileAtomic(target: string, data: Uint8Array, tmp = `${target}.tmp-${process.pid}`): void {
  writeFileSynced(tmp, data)
  fs.renameSync(tmp, target)
  fsyncDir(path.dirname(target))
}

/** Write a whole file and fsync it (not yet renamed into place: see writeFileAtomic). */
export function writeFileSynced(file: string, data: Uint8Array): void {
  const fd = fs.openSync(file, 'w')
  try {
    let written = 0
    while (written < data.length) written += fs.writeSync(fd, data, written, data.length - written, written)
    fs.fsyncSync(fd)
  } finally {
    fs.closeSync(fd)
  }
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

/** Copy `from` to `to` durably and atomically (temp file, fsync, rename, folder fsync). */
export function copyFileAtomic(from: string, to: string): void {
  const tmp = `${to}.tmp-${process.pid}`
  fs.copyFileSync(from, tmp)
  const fd = fs.openSync(tmp, 'r+')
  try {
    fs.fsyncSync(fd)
  } finally {
    fs.closeSync(fd)
  }
  fs.renameSync(tmp, to)
  fsyncDir(path.dirname(to))
}
