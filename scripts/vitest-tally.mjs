// How `npm test` reads a vitest JSON report. Kept apart from scripts/test.mjs so that
// test/integration/test-runner.test.ts can check it against real vitest runs.
import path from 'node:path'

/**
 * One vitest project's figures. A skipped or todo test is a failure (a test that did not run
 * proves nothing), and so is a test file that failed outside its tests (a throwing beforeAll
 * marks its tests skipped; an import error leaves none).
 * @param {any} report the parsed `--reporter=json` output
 * @param {string} root paths in the notes are relative to it
 * @returns {{ passed: number, failures: number, notes: string[] }}
 */
export function tallyVitestReport(report, root) {
  const notes = []
  let failures = (report.numFailedTests ?? 0) + (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0)
  for (const f of report.testResults ?? []) {
    const file = path.relative(root, f.name)
    const results = f.assertionResults ?? []
    for (const a of results) {
      if (a.status !== 'passed' && a.status !== 'failed') notes.push(`not run (${a.status}): ${a.fullName ?? a.title} in ${file}`)
    }
    if (f.status === 'failed' && !results.some((a) => a.status === 'failed')) {
      notes.push(`test file failed outside its tests: ${file}${f.message ? `: ${String(f.message).split('\n')[0]}` : ''}`)
      failures++
    }
  }
  return { passed: report.numPassedTests ?? 0, failures, notes }
}
