/**
 * A crash-test child process (src-main/tools/*-crash-child.ts, built to out/main) run to the end or
 * SIGKILLed `killAfterMs` after it has printed `unitsBeforeKill` "UNIT …" lines (durable units of
 * work), so the kill lands in a later unit or between two. Answers what it printed.
 */
import { spawn } from 'node:child_process'

export function runCrashChild(script: string, args: string[], killAfterMs: number | null, unitsBeforeKill: number): Promise<{ out: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let stderr = ''
    let timer: NodeJS.Timeout | null = null
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString()
      const units = out.split('\n').filter((l) => l.startsWith('UNIT ')).length
      if (killAfterMs !== null && timer === null && units >= unitsBeforeKill) timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs)
    })
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    child.on('error', reject)
    child.on('close', () => {
      if (timer) clearTimeout(timer)
      resolve({ out, stderr })
    })
  })
}
