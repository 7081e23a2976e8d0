/**
 * The renderer hides what a role cannot do from the contract's `roles` (`useCan`, `PageDef.channel`;
 * docs/architecture.md rule 10), never from a role list of its own: a screen that compares the
 * operator's role by name would drift from the permission table the main process enforces.
 * Only src-renderer/src/app/status.tsx (where `useCan` reads the contract) looks at the role.
 */
import fs from 'node:fs'
import path from 'node:path'
import { expect, it } from 'vitest'

const RENDERER = path.resolve(__dirname, '../../src-renderer/src')
const ALLOWED = new Set([path.join(RENDERER, 'app/status.tsx')])
const ROLE_BY_NAME = /\brole\s*[!=]==?\s*['"](administrator|cashier|auditor)['"]|['"](administrator|cashier|auditor)['"]\s*[!=]==?\s*[\w.]*\brole\b/

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name)
    if (e.isDirectory()) return sources(p)
    return /\.(ts|tsx)$/.test(e.name) ? [p] : []
  })
}

it('no renderer screen decides by comparing the role by name', () => {
  const found = sources(RENDERER)
    .filter((f) => !ALLOWED.has(f))
    .flatMap((f) =>
      fs
        .readFileSync(f, 'utf8')
        .split('\n')
        .flatMap((line, i) => (ROLE_BY_NAME.test(line) ? [`${path.relative(RENDERER, f)}:${i + 1}: ${line.trim()}`] : []))
    )
  expect(found).toEqual([])
})
