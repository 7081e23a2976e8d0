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
import { dirname, isAbsolute, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')

const USAGE = `Usage: npm start -- [--data-dir DIR] [--port N]

  --data-dir DIR   folder that holds the database, journal and backups
                   (default: the per-user app-data folder)
  --port N         browser mode only: port on 127.0.0.1 to listen on (1-65535)`

function usageError(message) {
  console.error(`${message}\n\n${USAGE}`)
  process.exit(2)
}

/** Same rules as parseCliArgs in src-main/security.ts, but strict: unknown options are errors. */
function parseArgs(argv) {
  const out = { dataDir: undefined, port: undefined, help: false }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (arg === '--help' || arg === '-h') {
      out.help = true
      continue
    }
    const eq = arg.indexOf('=')
    const name = eq === -1 ? arg : arg.slice(0, eq)
    if (name !== '--data-dir' && name !== '--port') usageError(`Unknown argument: ${arg}`)
    let value
    if (eq !== -1) value = arg.slice(eq + 1)
    else if (argv[i + 1] !== undefined && !argv[i + 1].startsWith('--')) value = argv[++i]
    if (name === '--data-dir') {
      if (value === undefined || value.trim() === '') usageError('--data-dir needs a folder path, e.g. --data-dir /path/to/data.')
      // npm runs scripts in the package folder; a relative path means relative to where the
      // person typed `npm start` (npm passes that folder as INIT_CWD).
      out.dataDir = isAbsolute(value) ? value : resolve(process.env.INIT_CWD || process.cwd(), value)
    } else {
      if (value === undefined || value === '') usageError('--port needs a number from 1 to 65535, e.g. --port 8080.')
      const port = /^\d{1,5}$/.test(value) ? Number(value) : NaN
      if (!(port >= 1 && port <= 65535)) usageError(`--port must be a whole number from 1 to 65535 (got "${value}").`)
      out.port = port
    }
  }
  return out
}

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
  const child = spawn(command, args, { cwd: root, stdio: 'inherit', env })
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

const args = parseArgs(process.argv.slice(2))
if (args.help) {
  console.log(USAGE)
  process.exit(0)
}
const forwarded = []
if (args.dataDir !== undefined) forwarded.push('--data-dir', args.dataDir)
if (args.port !== undefined) forwarded.push('--port', String(args.port))

const electron = findElectron()
if (electron !== null) {
  const env = { ...process.env }
  delete env.ELECTRON_RUN_AS_NODE // would make the binary behave as plain Node
  run(electron, ['.', ...forwarded], env)
} else {
  const host = join(root, 'out', 'main', 'host.js')
  if (!existsSync(host)) {
    console.error(`${host} is missing: run "npm run build" first (npm start does this).`)
    process.exit(1)
  }
  console.log('Electron is not installed here (its binary could not be downloaded); serving the same app in browser mode.')
  run(process.execPath, [host, ...forwarded], process.env)
}
