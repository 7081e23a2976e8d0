/**
 * The convention that every engine module has its own test file named after it
 * (test/unit/<module>.test.ts or test/integration/<module>.test.ts), so a new module cannot land
 * untested and its tests are found where a reader looks for them (docs/architecture.md).
 */
import fs from 'node:fs'
import path from 'node:path'
import { expect, it } from 'vitest'

const root = path.resolve(import.meta.dirname, '../..')

it('every module in src-main/engine has a test file named after it', () => {
  const modules = fs
    .readdirSync(path.join(root, 'src-main/engine'))
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .map((f) => f.slice(0, -'.ts'.length))
  expect(modules.length).toBeGreaterThan(10)
  const untested = modules.filter((m) => !['unit', 'integration'].some((dir) => fs.existsSync(path.join(root, 'test', dir, `${m}.test.ts`))))
  expect(untested, 'engine modules without test/unit/<module>.test.ts or test/integration/<module>.test.ts').toEqual([])
})
