/**
 * Where things live on disk. No Electron import: the loopback host and the tools use these too.
 */
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/** Must equal package.json `productName`: Electron names the userData folder after it. */
export const PRODUCT_NAME = 'Callshop billing desk'

/**
 * The per-user data folder, the same one Electron's `app.getPath('userData')` gives:
 * Linux `$XDG_CONFIG_HOME/<product>` (or `~/.config/<product>`), Windows `%APPDATA%\<product>`,
 * macOS `~/Library/Application Support/<product>`.
 */
export function defaultDataDir(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env, home: string = os.homedir()): string {
  if (platform === 'win32') {
    const appData = env.APPDATA
    const base = appData !== undefined && appData !== '' ? appData : path.win32.join(home, 'AppData', 'Roaming')
    return path.win32.join(base, PRODUCT_NAME)
  }
  if (platform === 'darwin') {
    return path.posix.join(home, 'Library', 'Application Support', PRODUCT_NAME)
  }
  const xdg = env.XDG_CONFIG_HOME
  const base = xdg !== undefined && xdg !== '' ? xdg : path.posix.join(home, '.config')
  return path.posix.join(base, PRODUCT_NAME)
}

export interface LocateSqlWasmOptions {
  /** Electron's `process.resourcesPath`; set only when running inside Electron. */
  resourcesPath?: string | undefined
  exists?: (file: string) => boolean
}

/**
 * Path of sql.js's `sql-wasm.wasm`. In an installed app electron-builder copies it next to the
 * app archive (`extraResources`), so `<resourcesPath>/sql-wasm.wasm` comes first; otherwise
 * (development, browser mode, tests) it is resolved from node_modules.
 */
export function locateSqlWasm(opts: LocateSqlWasmOptions = {}): string {
  const resourcesPath = 'resourcesPath' in opts ? opts.resourcesPath : (process as { resourcesPath?: string }).resourcesPath
  const exists = opts.exists ?? existsSync
  if (typeof resourcesPath === 'string' && resourcesPath !== '') {
    const packaged = path.join(resourcesPath, 'sql-wasm.wasm')
    if (exists(packaged)) return packaged
  }
  return createRequire(import.meta.url).resolve('sql.js/dist/sql-wasm.wasm')
}

/** The fonts embedded in invoice and receipt PDFs (scripts/make-pdf-fonts.sh makes them). */
export const PDF_FONT_FILES = { regular: 'DejaVuSans-LGC.ttf', bold: 'DejaVuSans-LGC-Bold.ttf' } as const

/**
 * Folder of the PDF fonts. An installed app has them in `<resourcesPath>/fonts` (electron-builder
 * `extraResources`); development, browser mode, the tools (out/main/*.js) and tests find the
 * repository's `resources/fonts` by walking up from this module.
 */
export function locatePdfFontDir(opts: LocateSqlWasmOptions & { from?: string } = {}): string {
  const resourcesPath = 'resourcesPath' in opts ? opts.resourcesPath : (process as { resourcesPath?: string }).resourcesPath
  const exists = opts.exists ?? existsSync
  const candidates: string[] = []
  if (typeof resourcesPath === 'string' && resourcesPath !== '') candidates.push(path.join(resourcesPath, 'fonts'))
  let dir = opts.from ?? path.dirname(fileURLToPath(import.meta.url))
  for (let i = 0; i < 5; i++) {
    candidates.push(path.join(dir, 'resources', 'fonts'))
    dir = path.dirname(dir)
  }
  const found = candidates.find((d) => exists(path.join(d, PDF_FONT_FILES.regular)))
  if (found === undefined) throw new Error(`The PDF fonts (${PDF_FONT_FILES.regular}) were not found in: ${candidates.join(', ')}`)
  return found
}
