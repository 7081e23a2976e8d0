import fs from 'node:fs'
import path from 'node:path'
import { spawnSync } from 'node:child_process'
import { describe, expect, it, vi } from 'vitest'
import { DataDirLock } from '../../src-main/db/lock'
import { tmpDataDir } from '../support/tmp'

/** The PID of a process that has certainly ended. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' })
  return Number(r.stdout)
}

type Outcome = { lock: DataDirLock } | { error: { code?: string; message: string } }

function attempt(dir: string, hooks?: Parameters<typeof DataDirLock.acquire>[1]): Outcome {
  try {
    return { lock: DataDirLock.acquire(dir, hooks) }
  } catch (err) {
    return { error: err as { code?: string; message: string } }
  }
}

describe('single-instance lock of the data folder', () => {
  it('lets exactly one of two starters in, wherever the second one cuts into the first', () => {
    // Force every interleaving the lock has: at each step of the first starter, a second starter
    // runs its whole acquisition. Before the lock was atomic, a second starter that found the lock
    // file created but not yet written took it as stale, removed it, and both "owned" the folder.
    const steps = new Set<string>()
    attempt(tmpDataDir(), { step: (s) => steps.add(s) })
    expect(steps.size).toBeGreaterThan(0)
    for (const cut of steps) {
      const dir = tmpDataDir()
      let second: Outcome | null = null
      const first = attempt(dir, {
        step: (s) => {
          if (s === cut && second === null) second = attempt(dir)
        }
      })
      const holders = [first, second!].filter((o) => 'lock' in o)
      expect(holders, `second starter cutting in at "${cut}"`).toHaveLength(1)
      const refused = [first, second!].find((o) => 'error' in o) as { error: { code?: string } }
      expect(refused.error.code).toBe('DB_LOCKED')
      expect(JSON.parse(fs.readFileSync(path.join(dir, 'app.lock'), 'utf8'))).toMatchObject({ pid: process.pid })
      for (const h of holders) (h as { lock: DataDirLock }).lock.release()
      expect(fs.readdirSync(dir)).toEqual([]) // no temp files left behind
    }
  })

  it('takes over a lock left by a process that has ended, and only one of two starters does', () => {
    const dir = tmpDataDir()
    const file = path.join(dir, 'app.lock')
    fs.writeFileSync(file, JSON.stringify({ pid: deadPid(), startedAt: '2026-11-01T00:00:00Z' }))
    const steps = new Set<string>()
    const probe = tmpDataDir()
    fs.copyFileSync(file, path.join(probe, 'app.lock'))
    const solo = attempt(probe, { step: (s) => steps.add(s) })
    expect('lock' in solo).toBe(true)
    ;(solo as { lock: DataDirLock }).lock.release()
    for (const cut of steps) {
      const d = tmpDataDir()
      fs.copyFileSync(file, path.join(d, 'app.lock'))
      let second: Outcome | null = null
      const first = attempt(d, {
        step: (s) => {
          if (s === cut && second === null) second = attempt(d)
        }
      })
      const holders = [first, second!].filter((o) => 'lock' in o)
      expect(holders, `second starter cutting in at "${cut}"`).toHaveLength(1)
      for (const h of holders) (h as { lock: DataDirLock }).lock.release()
    }
  })

  it('refuses while the owner runs, and the lock file is never empty or partly written', () => {
    const dir = tmpDataDir()
    const a = DataDirLock.acquire(dir)
    expect(() => DataDirLock.acquire(dir)).toThrow(expect.objectContaining({ code: 'DB_LOCKED' }))
    a.release()
    expect(fs.existsSync(path.join(dir, 'app.lock'))).toBe(false)
  })

  it('on a file system without hard links, a lock file still being written is not taken as stale', () => {
    const spy = vi.spyOn(fs, 'linkSync').mockImplementation(() => {
      throw Object.assign(new Error('operation not permitted'), { code: 'EPERM' })
    })
    try {
      const dir = tmpDataDir()
      const file = path.join(dir, 'app.lock')
      fs.writeFileSync(file, '') // another starter has created it and not yet written its PID
      expect(() => DataDirLock.acquire(dir)).toThrow(expect.objectContaining({ code: 'DB_LOCKED' }))
      expect(fs.readFileSync(file, 'utf8')).toBe('')
      const minuteAgo = new Date(Date.now() - 60_000)
      fs.utimesSync(file, minuteAgo, minuteAgo) // a starter that died before writing: stale
      const lock = DataDirLock.acquire(dir)
      expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toMatchObject({ pid: process.pid })
      lock.release()
      expect(fs.readdirSync(dir)).toEqual([])
    } finally {
      spy.mockRestore()
    }
  })
})
