#!/usr/bin/env node
// `npm run billing -- <command> ...`: the command-line tools (src-main/tools/billing-cli.ts).
// Builds the app first when the build is missing or older than the sources (the build's own
// output goes to stderr, so stdout carries only the command's summary), then runs the command
// and exits with its exit code.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const built = join(root, 'out/main/billing.js')

function newestMtime(path) {
  const st = statSync(path)
  if (!st.isDirectory()) return st.mtimeMs
  let newest = st.mtimeMs
  for (const name of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, name)))
  return newest
}

const sources = ['src-main', 'src-shared', 'electron.vite.config.ts', 'package.json'].map((p) => join(root, p))
const stale = !existsSync(built) || sources.some((p) => existsSync(p) && newestMtime(p) > statSync(built).mtimeMs)
if (stale) {
  process.stderr.write('Building the billing desk first (once, after a change)…\n')
  const build = spawnSync(process.execPath, [join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], {
    cwd: root,
    stdio: ['ignore', process.stderr, process.stderr]
  })
  if (build.status !== 0) {
    process.stderr.write('The build failed; nothing was done.\n')
    process.exit(2)
  }
}
const run = spawnSync(process.execPath, [built, ...process.argv.slice(2)], { stdio: 'inherit' })
process.exit(run.status ?? 2)
