#!/usr/bin/env node
// `npm run lint:electron`: scan the desktop shell with Electronegativity (Doyensec's Electron
// security linter) and fail if it reports anything that docs/security.md does not accept.
//
// Electronegativity always exits 0, so this script reads its SARIF report instead. Every
// result at level "error" or "warning" must match a row of the "Accepted Electronegativity
// findings" table in docs/security.md: same check, same file, and the source text at the
// reported position must start with the row's snippet (so a new, real problem in the same file
// is not hidden by an old acceptance). Level "note" results are manual-review hints: printed,
// never fatal.
//
// It runs offline: the tool fetches translations and Electron's release list over the network
// on every run; both requests are answered "offline" in-process (see the `got` stub below) and
// the Electron version is passed explicitly.
import { spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const require = createRequire(import.meta.url)

/** What is scanned: the only code that touches Electron, and the settings it uses. */
const SCANNED = [
  ...readdirSync(join(root, 'src-main/electron'))
    .filter((f) => /\.(ts|js|mjs|cjs)$/.test(f) && !f.endsWith('.d.ts'))
    .map((f) => `src-main/electron/${f}`),
  'src-main/security.ts'
]
const ELECTRON_VERSION = /^electronVersion:\s*([\d.]+)\s*$/m.exec(readFileSync(join(root, 'electron-builder.yml'), 'utf8'))?.[1]
const DOC = join(root, 'docs/security.md')

function die(message) {
  console.error(`lint:electron: ${message}`)
  process.exit(1)
}

let cli
let cliPackage
try {
  cliPackage = require.resolve('@doyensec/electronegativity/package.json')
  const bin = JSON.parse(readFileSync(cliPackage, 'utf8')).bin
  cli = join(dirname(cliPackage), typeof bin === 'string' ? bin : bin.electronegativity)
} catch {
  die('@doyensec/electronegativity is not installed (it is a devDependency: run npm install).')
}
if (ELECTRON_VERSION === undefined) die('electronVersion not found in electron-builder.yml.')

/** Rows of the acceptance table: | `CHECK_ID` | `file` | `snippet` | reason | */
function acceptedFindings() {
  const text = readFileSync(DOC, 'utf8')
  const start = text.indexOf('## Accepted Electronegativity findings')
  if (start === -1) throw new Error('docs/security.md has no "## Accepted Electronegativity findings" section.')
  const section = text.slice(start).split(/\n## /)[0]
  const rows = []
  for (const line of section.split('\n')) {
    const m = /^\|\s*`([A-Z0-9_]+)`\s*\|\s*`([^`]+)`\s*\|\s*`([^`]+)`\s*\|/.exec(line)
    if (m) rows.push({ rule: m[1], file: m[2], snippet: m[3], used: false })
  }
  return rows
}

const work = mkdtempSync(join(tmpdir(), 'electronegativity-'))
try {
  // Scan a copy holding just these files (same relative paths, so line numbers match).
  const input = join(work, 'input')
  for (const file of SCANNED) cpSync(join(root, file), join(input, file))
  // Loaded into the tool's process (node -r): answers its network requests with "offline", and
  // gives its TypeScript parser (@typescript-eslint/typescript-estree 4, hoisted to the top of
  // node_modules) the TypeScript 4 the tool ships instead of the project's TypeScript 7, which
  // has no JavaScript compiler API.
  const toolTypescript = join(dirname(cliPackage), 'node_modules', 'typescript')
  const offline = join(work, 'offline.cjs')
  writeFileSync(
    offline,
    `const Module = require('module')
const load = Module._load
const toolTypescript = ${JSON.stringify(toolTypescript)}
Module._load = function (request, parent, ...rest) {
  if (request === 'got') return () => Promise.reject(new Error('offline'))
  if (request === 'typescript' && require('fs').existsSync(toolTypescript)) request = toolTypescript
  return load.call(this, request, parent, ...rest)
}
`
  )
  const sarifFile = join(work, 'report.sarif')
  const run = spawnSync(process.execPath, ['-r', offline, cli, '-i', input, '-o', sarifFile, '-r', '-v', 'false', '-e', ELECTRON_VERSION], {
    cwd: work,
    encoding: 'utf8'
  })
  if (run.status !== 0 || !existsSync(sarifFile)) {
    throw new Error(`Electronegativity failed (exit ${run.status}).\n${run.stdout}\n${run.stderr}`)
  }
  const sarif = JSON.parse(readFileSync(sarifFile, 'utf8'))
  const results = sarif.runs.flatMap((r) => r.results ?? [])

  const accepted = acceptedFindings()
  const failures = []
  let notes = 0
  for (const result of results) {
    const loc = result.locations?.[0]?.physicalLocation
    const uri = loc?.artifactLocation?.uri ?? ''
    // Global checks (e.g. "no permission handler anywhere") have no file of their own.
    const file = uri === '' || uri.startsWith('file:') ? '(global)' : uri.replace(/\\/g, '/')
    const line = loc?.region?.startLine ?? 0
    const column = loc?.region?.startColumn ?? 0
    const where = file === '(global)' ? file : `${file}:${line}:${column}`
    const text = `${where} ${result.ruleId} (${result.level}): ${result.message?.text ?? ''}`
    if (result.level !== 'error' && result.level !== 'warning') {
      notes++
      console.log(`note      ${text}`)
      continue
    }
    let source = ''
    if (file !== '(global)' && existsSync(join(root, file))) {
      source = (readFileSync(join(root, file), 'utf8').split('\n')[line - 1] ?? '').slice(Math.max(column - 1, 0))
    }
    const match = accepted.find((a) => a.rule === result.ruleId && a.file === file && (file === '(global)' || source.startsWith(a.snippet)))
    if (match) {
      match.used = true
      console.log(`accepted  ${text}`)
    } else {
      failures.push(text)
      console.log(`FAIL      ${text}`)
    }
  }
  for (const a of accepted.filter((x) => !x.used)) {
    console.log(`stale     docs/security.md accepts ${a.rule} at ${a.file} (${a.snippet}) but it was not reported; remove the row?`)
  }
  console.log(
    `lint:electron: ${results.length} findings in ${SCANNED.length} files (${relative(root, DOC)} accepts ${accepted.length}); ` +
      `${failures.length} not accepted, ${notes} notes.`
  )
  if (failures.length > 0) {
    console.log('Fix them, or if one is a false positive, add a row with the reason to docs/security.md.')
    process.exitCode = 1
  }
} catch (err) {
  console.error(`lint:electron: ${err instanceof Error ? err.message : String(err)}`)
  process.exitCode = 1
} finally {
  rmSync(work, { recursive: true, force: true })
}
