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
const FIXTURES = path.join(ROOT, 'test/fixtures/runner')

function runFixtures(files: string[]): { status: number | null; report: unknown } {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'runner-')), 'report.json')
  const r = spawnSync(
    path.join(ROOT, 'node_modules/.bin/vitest'),
    ['run', '--root', FIXTURES, '--config', path.join(FIXTURES, 'vitest.config.mts'), '--reporter=json', `--outputFile.json=${out}`, ...files],
    { cwd: FIXTURES, encoding: 'utf8' }
  )
  return { status: r.status, report: JSON.parse(fs.readFileSync(out, 'utf8')) }
}

test('a file whose beforeAll throws, a file that cannot load, and skipped or todo tests are failures', () => {
  const { report } = runFixtures([])
  const t = tallyVitestReport(report, ROOT) as { passed: number; failures: number; notes: string[] }
  expect(t.passed).toBe(1)
  // 2 tests skipped by the failed beforeAll + 1 skip + 1 todo + the file that failed to start
  // (its beforeAll) + the file that could not load.
  expect(t.failures).toBe(6)
  expect(t.notes.join('\n')).toMatch(/cannot-start\.fixture\.ts: .*Chromium not found|failed outside its tests: test\/fixtures\/runner\/cannot-start/)
  expect(t.notes.join('\n')).toMatch(/import-error\.fixture\.ts/)
  expect(t.notes.join('\n')).toMatch(/not run \(skipped\): .*left out/)
}, 60_000)

test('a run where every test passed counts no failure', () => {
  const { status, report } = runFixtures(['passes.fixture.ts'])
  expect(status).toBe(0)
  expect(tallyVitestReport(report, ROOT)).toEqual({ passed: 1, failures: 0, notes: [] })
}, 60_000)
