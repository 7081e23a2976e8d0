/**
 * Setup for the end-to-end project: when a test fails, print where each open page was (address,
 * heading, open dialog, focused element, last console lines) and how long this process's event
 * loop was blocked, and save a screenshot in .test-output/e2e-failures/. A CI log then says more
 * than "Test timed out".
 */
import fs from 'node:fs'
import path from 'node:path'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { beforeEach } from 'vitest'
import { openPages, ROOT } from './e2e'

const FAILURE_DIR = path.join(ROOT, '.test-output', 'e2e-failures')
const loopDelay = monitorEventLoopDelay({ resolution: 20 })
loopDelay.enable()

beforeEach((ctx) => {
  loopDelay.reset()
  ctx.onTestFailed(async () => {
    const lines = [`-- e2e failure report: ${ctx.task.name}`, `   longest event-loop block in this process: ${Math.round(loopDelay.max / 1e6)} ms`]
    let n = 0
    for (const [page, consoleLines] of openPages) {
      n++
      try {
        const where = await page.evaluate(() => {
          const el = document.activeElement as HTMLElement | null
          const dialog = document.querySelector('[role="dialog"]') as HTMLElement | null
          return {
            url: location.href.replace(/#.*token=[^&]*/, '#…'),
            heading: document.querySelector('h1')?.textContent ?? '',
            focused:
              el && el !== document.body
                ? `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''} ${el.getAttribute('aria-label') ?? el.textContent?.slice(0, 60) ?? ''}`
                : 'body',
            dialog: dialog?.textContent?.slice(0, 1500) ?? ''
          }
        })
        lines.push(`   page ${n}: ${where.url} | h1 "${where.heading}" | focus ${where.focused}`)
        if (where.dialog) lines.push(`   dialog: ${where.dialog.replace(/\s+/g, ' ')}`)
        fs.mkdirSync(FAILURE_DIR, { recursive: true })
        const file = path.join(FAILURE_DIR, `${ctx.task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 80)}-${n}.png`)
        await page.screenshot({ path: file, timeout: 5_000 })
        lines.push(`   screenshot: ${path.relative(ROOT, file)}`)
      } catch (e) {
        lines.push(`   page ${n}: could not be read (${(e as Error).message.split('\n')[0]})`)
      }
      for (const c of consoleLines) lines.push(`   console ${c}`)
    }
    console.log(lines.join('\n'))
  })
})
