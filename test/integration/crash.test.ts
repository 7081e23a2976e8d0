import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadSqlJs } from '../../src-main/db/sqljs'
import { scanJournal } from '../../src-main/db/journal'
import { ORIGIN_LINEAGE, recoveryEntries } from '../../src-main/db/journalArchive'
import { DurableStore, JOURNAL_FILE } from '../../src-main/db/store'
import { verifyAuditChain } from '../../src-main/engine/audit'

const CHILD = path.resolve('out/main/crash-child.js')
const KILLS = Number(process.env.CRASH_KILLS ?? 200)
const FOLDERS = 4

interface RunResult {
  acked: number[]
  stderr: string
}

/** Start the worker, SIGKILL it after a random delay, and collect what it acknowledged. */
function runAndKill(dataDir: string, seed: number, killAfterMs: number): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, '--data-dir', dataDir, '--seed', String(seed)], { stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let stderr = ''
    let timer: NodeJS.Timeout | null = null
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString()
      if (timer === null && out.includes('READY\n')) timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs)
    })
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    child.on('error', reject)
    child.on('close', () => {
      if (timer) clearTimeout(timer)
      const acked = out
        .split('\n')
        .filter((l) => l.startsWith('ACK '))
        .flatMap((l) => l.slice(4).split(',').map(Number))
      resolve({ acked, stderr })
    })
  })
}

describe('crash safety: a real child process SIGKILLed at random moments', () => {
  it(`loses no acknowledged change and leaves no half change (${KILLS} kills)`, async () => {
    expect(fs.existsSync(CHILD), 'build first: npm run build').toBe(true)
    const sql = await loadSqlJs()
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'crash-'))
    const ackedByFolder = new Map<number, number>()
    let seed = 12345
    let totalAcked = 0
    for (let k = 0; k < KILLS; k++) {
      const folder = k % FOLDERS
      const dataDir = path.join(root, `f${folder}`)
      fs.mkdirSync(dataDir, { recursive: true })
      seed = (seed * 1103515245 + 12345) >>> 0
      const run = await runAndKill(dataDir, seed, seed % 120)
      expect(run.stderr, `worker failed on kill ${k}`).toBe('')
      const maxAcked = Math.max(ackedByFolder.get(folder) ?? 0, ...run.acked)
      ackedByFolder.set(folder, maxAcked)
      totalAcked += run.acked.length

      // Reopen as the app would after the crash (journal replay, torn tail dropped).
      const store = DurableStore.open({ dataDir, sql, now: Date.now, log: () => {} })
      try {
        store.read((r) => {
          const ids = r.all<{ id: number }>("SELECT id FROM xdrs WHERE kind = 'crash-test' ORDER BY id").map((x) => x.id)
          // Every acknowledged change is there...
          expect(ids.length, `kill ${k}: acknowledged records missing`).toBeGreaterThanOrEqual(maxAcked)
          expect(ids.at(-1) ?? 0).toBeGreaterThanOrEqual(maxAcked)
          // ...and records are contiguous: nothing in the middle vanished.
          expect(ids.every((id, i) => id === i + 1)).toBe(true)
          // No half change: each record came with its balance update and its audit entry.
          const mismatched = r.all(
            `SELECT c.id FROM customers c LEFT JOIN (SELECT customer_id, sum(amount_minor) AS s FROM xdrs GROUP BY customer_id) x
             ON x.customer_id = c.id WHERE c.balance_minor <> coalesce(x.s, 0)`
          )
          expect(mismatched, `kill ${k}: balance differs from its records`).toEqual([])
          const audited = r.get<{ n: number }>("SELECT count(*) AS n FROM audit_log WHERE kind = 'crash-test'")!.n
          expect(audited).toBe(ids.length)
          const chain = verifyAuditChain(r)
          expect(chain.ok, chain.message).toBe(true)
        })
        // No backup was made: the journal archive and the journal together still hold every
        // change from the first one on, each once (a snapshot never drops records unarchived).
        const journal = scanJournal(fs.readFileSync(path.join(dataDir, JOURNAL_FILE))).entries
        const seqs = recoveryEntries(dataDir, ORIGIN_LINEAGE, journal).map((e) => e.seq)
        expect(seqs.length, `kill ${k}: changes missing from the journal archive`).toBe(store.lastSeq)
        expect(seqs.every((seq, i) => seq === i + 1)).toBe(true)
      } finally {
        store.close({ snapshot: k % 3 === 0 }) // sometimes leave the journal for the next run
      }
    }
    // The test is meaningful only if the workers really got work acknowledged before dying.
    expect(totalAcked).toBeGreaterThan(KILLS)
    fs.rmSync(root, { recursive: true, force: true })
  }, 900_000)
})
