import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach } from 'vitest'
import { JOURNAL_FILE, SNAPSHOT_CHECK_FILE, SNAPSHOT_FILE } from '../../src-main/db/store'

const made: string[] = []

/** A fresh temporary data folder, removed after the test. */
export function tmpDataDir(prefix = 'billing-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix))
  made.push(dir)
  return dir
}

/** The data folder's files as they are this moment, in a fresh folder: what a process killed now would leave (the store stays open here). */
export function killedCopy(dataDir: string): string {
  const copy = tmpDataDir()
  for (const f of [SNAPSHOT_FILE, SNAPSHOT_CHECK_FILE, JOURNAL_FILE]) fs.copyFileSync(path.join(dataDir, f), path.join(copy, f))
  return copy
}

afterEach(() => {
  for (const d of made.splice(0)) fs.rmSync(d, { recursive: true, force: true })
})
