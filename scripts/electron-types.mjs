#!/usr/bin/env node
// The real electron.d.ts of the pinned Electron version, vendored in vendor/electron/.
//
// Why vendored: `electron` is an optional dependency whose install downloads a binary, which fails
// on the offline build machines, so node_modules/electron (and its electron.d.ts) is usually
// missing. tsconfig.main.json maps 'electron' to the vendored file, so src-main/electron/main.ts
// and preload.ts always compile against the real API of the version we ship, offline, after `npm ci`.
//
//   node scripts/electron-types.mjs --check    (npm test) the vendored file is the one of the pinned
//                                              version: same version in package-lock.json and
//                                              electron-builder.yml, same tarball, unedited.
//   node scripts/electron-types.mjs --refresh  (network) fetch electron.d.ts of the version pinned in
//                                              package-lock.json with `npm pack` (no binary download)
//                                              and rewrite vendor/electron/. Run after bumping Electron.
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const VENDOR = join(root, 'vendor/electron')
const DTS = join(VENDOR, 'electron.d.ts')
const SOURCE = join(VENDOR, 'source.json')

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex')

function die(message) {
  console.error(`electron-types: ${message}`)
  process.exit(1)
}

/** The version and tarball integrity package-lock.json pins for electron. */
function pinned() {
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'))
  const entry = lock.packages?.['node_modules/electron']
  if (!entry?.version || !entry.integrity) die('package-lock.json has no node_modules/electron entry with a version and integrity.')
  const builder = /^electronVersion:\s*([\d.]+)\s*$/m.exec(readFileSync(join(root, 'electron-builder.yml'), 'utf8'))?.[1]
  if (builder !== entry.version) die(`electron-builder.yml ships Electron ${builder ?? '(none)'} but package-lock.json pins ${entry.version}; make them agree.`)
  return { version: entry.version, integrity: entry.integrity }
}

function check() {
  const pin = pinned()
  let source
  let dts
  try {
    source = JSON.parse(readFileSync(SOURCE, 'utf8'))
    dts = readFileSync(DTS)
  } catch (e) {
    die(`${e.message}; run \`npm run electron-types:refresh\`.`)
  }
  if (source.version !== pin.version)
    die(`vendor/electron holds the types of Electron ${source.version}, but ${pin.version} is pinned; run \`npm run electron-types:refresh\`.`)
  if (source.integrity !== pin.integrity)
    die(`vendor/electron came from another electron@${pin.version} tarball than package-lock.json pins; run \`npm run electron-types:refresh\`.`)
  if (sha256(dts) !== source.sha256) die('vendor/electron/electron.d.ts was edited by hand; run `npm run electron-types:refresh` to restore it.')
  if (!dts.toString('utf8', 0, 200).includes(`Type definitions for Electron ${pin.version}`))
    die(`vendor/electron/electron.d.ts does not say it is for Electron ${pin.version}.`)
  console.log(`electron-types: vendor/electron/electron.d.ts is electron@${pin.version}'s own (tarball ${pin.integrity.slice(0, 19)}…).`)
}

function refresh() {
  const pin = pinned()
  const tmp = mkdtempSync(join(tmpdir(), 'electron-types-'))
  try {
    // `npm pack` fetches the package tarball only: the binary download is electron's postinstall, which does not run.
    const out = execFileSync('npm', ['pack', `electron@${pin.version}`, '--json', '--pack-destination', tmp], { cwd: tmp, encoding: 'utf8' })
    const [packed] = JSON.parse(out)
    const tgz = join(tmp, packed.filename)
    const integrity = `sha512-${createHash('sha512').update(readFileSync(tgz)).digest('base64')}`
    if (integrity !== pin.integrity) die(`the registry's electron@${pin.version} tarball does not match package-lock.json's integrity.`)
    execFileSync('tar', ['-xzf', tgz, '-C', tmp, 'package/electron.d.ts'])
    const dts = readFileSync(join(tmp, 'package/electron.d.ts'))
    writeFileSync(DTS, dts)
    writeFileSync(SOURCE, `${JSON.stringify({ package: 'electron', version: pin.version, integrity, file: 'electron.d.ts', sha256: sha256(dts) }, null, 2)}\n`)
    console.log(`electron-types: vendor/electron/electron.d.ts now holds electron@${pin.version}'s types.`)
  } finally {
    rmSync(tmp, { recursive: true, force: true })
  }
}

const mode = process.argv[2]
if (mode === '--check') check()
else if (mode === '--refresh') refresh()
else die('usage: node scripts/electron-types.mjs --check | --refresh')
