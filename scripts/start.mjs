#!/usr/bin/env node
// `npm start` (after `electron-vite build`): open the desktop app when Electron's binary is
// installed, otherwise serve the same app in browser mode on 127.0.0.1.
//
//   npm start -- [--data-dir DIR] [--port N]
//
// --data-dir: the data folder (default: the per-user app-data folder).
// --port: browser mode only; the loopback port (default: chosen by the host).
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')

/**
 * Path of a usable Electron binary, or null. `require('electron')` returns the binary's path; in
 * Electron 45 it first downloads a missing binary (the package has no install script), which
 * fails without network, and then it throws.
 */
function findElectron() {
  const require = createRequire(import.meta.url)
  try {
    require.resolve('electron')
  } catch {
    return null // the optional dependency was not installed (e.g. Node < 22.12)
  }
  try {
    const binary = require('electron')
    return typeof binary === 'string' && existsSync(binary) ? binary : null
  } catch {
    return null
  }
}

function run(command, args, env) {
  const child = spawn(command, args, { cwd, stdio: 'inherit', env })
  const forward = (signal) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal)
  }
  process.on('SIGINT', () => forward('SIGINT'))
  process.on('SIGTERM', () => forward('SIGTERM'))
  child.on('error', (err) => {
    console.error(`Could not start ${command}: ${err.message}`)
    process.exit(1)
  })
  child.on('exit', (code, signal) => {
    if (signal === 'SIGINT' || signal === 'SIGTERM') process.exit(0)
    process.exit(code ?? 1)
  })
}

// Options are parsed (and checked) by the app itself: parseCliArgs in src-main/security.ts.
// They are forwarded untouched, and the app runs in the folder where `npm start` was typed (npm
// passes it as INIT_CWD), so a relative --data-dir means what the person meant.
const forwarded = process.argv.slice(2)
const cwd = process.env.INIT_CWD || process.cwd()

const electron = findElectron()
if (electron !== null) {
  const env = { ...process.env }
  delete env.ELECTRON_RUN_AS_NODE // would make the binary behave as plain Node
  run(electron, [root, ...forwarded], env)
} else {
  const host = join(root, 'out', 'main', 'host.js')
  if (!existsSync(host)) {
    console.error(`${host} is missing: run "npm run build" first (npm start does this).`)
    process.exit(1)
  }
  console.log('Electron is not installed here (its binary could not be downloaded); serving the same app in browser mode.')
  run(process.execPath, [host, ...forwarded], process.env)
}
