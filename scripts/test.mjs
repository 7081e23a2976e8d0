#!/usr/bin/env node
// `npm test`: type checks, lint, import boundaries, format check, build (the e2e tests and the
// crash test run the built output), then
// every vitest project (unit + integration + crash, then end-to-end in Chromium).
// Ends with one plain "N passed, N failed" line for CI.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { tallyVitestReport } from './vitest-tally.mjs'

const root = path.resolve(import.meta.dirname, '..')
const outDir = path.join(root, '.test-output')
fs.mkdirSync(outDir, { recursive: true })
const bin = (name) => path.join(root, 'node_modules', '.bin', name)

let passed = 0
let failed = 0

function step(label, cmd, args) {
  console.log(`\n== ${label}`)
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: process.env })
  if (r.status === 0) return true
  console.log(`!! ${label} failed (exit ${r.status ?? r.signal})`)
  return false
}

function countVitest(file) {
  let report
  try {
    report = JSON.parse(fs.readFileSync(file, 'utf8'))
  } catch {
    return 0
  }
  const t = tallyVitestReport(report, root)
  for (const line of t.notes) console.log(`!! ${line}`)
  passed += t.passed
  failed += t.failures
  return t.failures
}

const BOUNDARY_RULES = ['style/noRestrictedImports', 'suspicious/noImportCycles']
const steps = [
  // Three programs, so the main process cannot use the DOM and the renderer cannot use Node.
  ['Type check: main process (Node types, the real electron.d.ts)', bin('tsc'), ['-p', 'tsconfig.main.json']],
  ['Type check: renderer (DOM types)', bin('tsc'), ['-p', 'tsconfig.renderer.json']],
  ['Type check: tests, scripts and build configs', bin('tsc'), ['-p', 'tsconfig.tooling.json']],
  ['Electron types are those of the pinned version (vendor/electron)', process.execPath, ['scripts/electron-types.mjs', '--check']],
  ['Lint (Biome)', bin('biome'), ['lint', '--error-on-warnings', ...BOUNDARY_RULES.map((r) => `--skip=${r}`), '.']],
  ['Import boundaries and cycles (Biome; docs/architecture.md, Rules)', bin('biome'), ['lint', '--error-on-warnings', ...BOUNDARY_RULES.map((r) => `--only=${r}`), '.']],
  ['Format check (Biome; fix with `npm run format`)', bin('biome'), ['format', '.']],
  ['Build (electron-vite)', bin('electron-vite'), ['build']]
]
for (const [label, cmd, args] of steps) {
  if (step(label, cmd, args)) passed++
  else failed++
}

if (fs.existsSync(path.join(root, 'scripts', 'electronegativity.mjs'))) {
  if (step('Electron security lint (Electronegativity)', process.execPath, ['scripts/electronegativity.mjs'])) passed++
  else failed++
}

for (const project of ['unit', 'e2e']) {
  const report = path.join(outDir, `vitest-${project}.json`)
  fs.rmSync(report, { force: true })
  const ok = step(`Tests: ${project}`, bin('vitest'), ['run', '--project', project, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`])
  // A run that exits non-zero always counts as a failure, even if its report says otherwise.
  if (countVitest(report) === 0 && !ok) failed++
}

console.log(`\n${passed} passed, ${failed} failed`)
process.exit(failed === 0 ? 0 : 1)
