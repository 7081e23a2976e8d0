import fs from 'node:fs'
import path from 'node:path'
import { AppError } from '../../src-shared/errors'

/**
 * One process per data folder. The lock file holds the owner's PID; a lock left by a process
 * that no longer runs (a crash) is taken over.
 */
export class DataDirLock {
  private released = false
  private readonly onExit = () => this.release()
  private constructor(readonly file: string) {
    process.once('exit', this.onExit)
  }

  static acquire(dataDir: string): DataDirLock {
    const file = path.join(dataDir, 'app.lock')
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const fd = fs.openSync(file, 'wx')
        fs.writeSync(fd, JSON.stringify({ pid: process.pid, startedAt: new Date().toISOString() }))
        fs.fsyncSync(fd)
        fs.closeSync(fd)
        return new DataDirLock(file)
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
      }
      const owner = readOwner(file)
      if (owner !== null && owner !== process.pid && isRunning(owner)) {
        throw new AppError(
          'DB_LOCKED',
          `Another Callshop billing desk (process ${owner}) is already using the data folder ${dataDir}. Close it first, or choose another folder with --data-dir.`
        )
      }
      if (owner === process.pid) {
        throw new AppError('DB_LOCKED', `This process already has the data folder ${dataDir} open.`)
      }
      fs.rmSync(file, { force: true }) // stale: its owner is gone
    }
    throw new AppError('DB_LOCKED', `Could not lock the data folder ${dataDir}.`)
  }

  release(): void {
    if (this.released) return
    this.released = true
    process.removeListener('exit', this.onExit)
    try {
      if (readOwner(this.file) === process.pid) fs.rmSync(this.file, { force: true })
    } catch {
      /* best effort on exit */
    }
  }
}

function readOwner(file: string): number | null {
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as { pid?: unknown }
    return typeof parsed.pid === 'number' ? parsed.pid : null
  } catch {
    return null // half-written by a crashed starter: treat as stale
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
