/**
 * `npm test` must not report success when tests did not run: a file whose beforeAll throws
 * (its tests end "skipped"), a file that cannot load, and skipped or todo tests all count as
 * failures in the final "N passed, N failed" line.
 */
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { expect, test } from 'vitest'
// @ts-expect-error plain ES module script without type declarations
import { tallyVitestReport } from '../../scripts/vitest-tally.mjs'

const ROOT = path.resolve(__dirname, '../..')

/**
 * Throwaway test files, written for each run under the ignored .test-output folder (inside the
 * project, so they resolve vitest): what `npm test` must count as failures although vitest itself
 * calls some of them "skipped". They are not kept in test/, where they would read as skipped tests.
 */
const FIXTURE_FILES: Record<string, string> = {
  'vitest.config.mts': "import { defineConfig } from 'vitest/config'\nexport default defineConfig({ test: { include: ['*.fixture.ts'], environment: 'node' } })\n",
  'passes.fixture.ts': "import { expect, test } from 'vitest'\ntest('adds up', () => expect(1 + 1).toBe(2))\n",
  // Like an end-to-end file whose browser is missing: vitest marks both tests skipped.
  'cannot-start.fixture.ts':
    "import { beforeAll, expect, test } from 'vitest'\nbeforeAll(() => {\n  throw new Error('Chromium not found')\n})\ntest('first', () => expect(true).toBe(true))\ntest('second', () => expect(true).toBe(true))\n",
  'skipped.fixture.ts': "import { expect, test } from 'vitest'\ntest['skip']('left out', () => expect(true).toBe(true))\ntest['todo']('not written yet')\n",
  'import-error.fixture.ts': "import { test } from 'vitest'\nthrow new Error('module failed to load')\ntest('never registered', () => {})\n"
}

function writeFixtures(): string {
  fs.mkdirSync(path.join(ROOT, '.test-output'), { recursive: true })
  const dir = fs.mkdtempSync(path.join(ROOT, '.test-output', 'runner-fixtures-'))
  for (const [name, text] of Object.entries(FIXTURE_FILES)) fs.writeFileSync(path.join(dir, name), text)
  return dir
}

function runFixtures(files: string[]): { status: number | null; report: unknown } {
  const fixtures = writeFixtures()
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'runner-')), 'report.json')
  try {
    const r = spawnSync(
      path.join(ROOT, 'node_modules/.bin/vitest'),
      ['run', '--root', fixtures, '--config', path.join(fixtures, 'vitest.config.mts'), '--reporter=json', `--outputFile.json=${out}`, ...files],
      { cwd: fixtures, encoding: 'utf8' }
    )
    return { status: r.status, report: JSON.parse(fs.readFileSync(out, 'utf8')) }
  } finally {
    fs.rmSync(fixtures, { recursive: true, force: true })
  }
}

test('a file whose beforeAll throws, a file that cannot load, and skipped or todo tests are failures', () => {
  const { report } = runFixtures([])
  const t = tallyVitestReport(report, ROOT) as { passed: number; failures: number; notes: string[] }
  expect(t.passed).toBe(1)
  // 2 tests skipped by the failed beforeAll + 1 skip + 1 todo + the file that failed to start
  // (its beforeAll) + the file that could not load.
  expect(t.failures).toBe(6)
  expect(t.notes.join('\n')).toMatch(/failed outside its tests: .*cannot-start\.fixture\.ts/)
  expect(t.notes.join('\n')).toMatch(/import-error\.fixture\.ts/)
  expect(t.notes.join('\n')).toMatch(/not run \(skipped\): .*left out/)
}, 60_000)

test('a run where every test passed counts no failure', () => {
  const { status, report } = runFixtures(['passes.fixture.ts'])
  expect(status).toBe(0)
  expect(tallyVitestReport(report, ROOT)).toEqual({ passed: 1, failures: 0, notes: [] })
}, 60_000)
