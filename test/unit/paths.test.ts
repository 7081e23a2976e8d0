import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { PDF_FONT_FILES, PRODUCT_NAME, defaultDataDir, locatePdfFontDir, locateSqlWasm } from '../../src-main/paths'

describe('defaultDataDir', () => {
  it('matches package.json productName (Electron names userData after it)', () => {
    const pkg = JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8')) as { productName: string }
    expect(PRODUCT_NAME).toBe(pkg.productName)
    expect(PRODUCT_NAME).toBe('Callshop billing desk')
  })

  it('Linux: $XDG_CONFIG_HOME, else ~/.config', () => {
    expect(defaultDataDir('linux', { XDG_CONFIG_HOME: '/xdg' }, '/home/ann')).toBe('/xdg/Callshop billing desk')
    expect(defaultDataDir('linux', {}, '/home/ann')).toBe('/home/ann/.config/Callshop billing desk')
    expect(defaultDataDir('linux', { XDG_CONFIG_HOME: '' }, '/home/ann')).toBe('/home/ann/.config/Callshop billing desk')
    expect(defaultDataDir('freebsd', {}, '/home/ann')).toBe('/home/ann/.config/Callshop billing desk')
  })

  it('Windows: %APPDATA%, else the roaming profile folder', () => {
    expect(defaultDataDir('win32', { APPDATA: 'C:\\Users\\Ann\\AppData\\Roaming' }, 'C:\\Users\\Ann')).toBe('C:\\Users\\Ann\\AppData\\Roaming\\Callshop billing desk')
    expect(defaultDataDir('win32', {}, 'C:\\Users\\Ann')).toBe('C:\\Users\\Ann\\AppData\\Roaming\\Callshop billing desk')
  })

  it('macOS: ~/Library/Application Support, whatever XDG says', () => {
    expect(defaultDataDir('darwin', { XDG_CONFIG_HOME: '/xdg' }, '/Users/ann')).toBe('/Users/ann/Library/Application Support/Callshop billing desk')
  })

  it('defaults to this process', () => {
    expect(defaultDataDir()).toBe(defaultDataDir(process.platform, process.env))
    expect(defaultDataDir().endsWith(PRODUCT_NAME)).toBe(true)
  })
})

describe('locateSqlWasm', () => {
  let dir: string | undefined
  afterEach(() => {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true })
    dir = undefined
  })

  it('resolves the file from node_modules outside Electron', () => {
    const found = locateSqlWasm({ resourcesPath: undefined })
    expect(found.replace(/\\/g, '/')).toMatch(/node_modules\/sql\.js\/dist\/sql-wasm\.wasm$/)
    // A real WebAssembly module: magic number \0asm.
    expect(readFileSync(found).subarray(0, 4)).toEqual(Buffer.from([0, 0x61, 0x73, 0x6d]))
  })

  it('prefers <resourcesPath>/sql-wasm.wasm in an installed app', () => {
    dir = mkdtempSync(join(tmpdir(), 'res-'))
    writeFileSync(join(dir, 'sql-wasm.wasm'), 'x')
    expect(locateSqlWasm({ resourcesPath: dir })).toBe(join(dir, 'sql-wasm.wasm'))
  })

  it('falls back to node_modules when resourcesPath has no copy', () => {
    dir = mkdtempSync(join(tmpdir(), 'res-'))
    expect(locateSqlWasm({ resourcesPath: dir })).toBe(locateSqlWasm({ resourcesPath: undefined }))
  })

  it('reads process.resourcesPath by default', () => {
    dir = mkdtempSync(join(tmpdir(), 'res-'))
    writeFileSync(join(dir, 'sql-wasm.wasm'), 'x')
    const proc = process as { resourcesPath?: string }
    proc.resourcesPath = dir
    try {
      expect(locateSqlWasm()).toBe(join(dir, 'sql-wasm.wasm'))
    } finally {
      delete proc.resourcesPath
    }
    expect(locateSqlWasm()).toBe(locateSqlWasm({ resourcesPath: undefined }))
  })

  it('uses the given existence check', () => {
    const seen: string[] = []
    const exists = (f: string) => {
      seen.push(f)
      return true
    }
    const found = locateSqlWasm({ resourcesPath: '/res', exists })
    expect(found).toBe(join('/res', 'sql-wasm.wasm'))
    expect(seen).toEqual([join('/res', 'sql-wasm.wasm')])
  })
})

describe('locatePdfFontDir', () => {
  it("finds the repository's resources/fonts in development and tests, with the licence beside the fonts", () => {
    const dir = locatePdfFontDir({ resourcesPath: undefined })
    expect(dir.replace(/\\/g, '/')).toMatch(/resources\/fonts$/)
    expect(readFileSync(join(dir, PDF_FONT_FILES.bold)).subarray(0, 4)).toEqual(Buffer.from([0, 1, 0, 0])) // a TrueType font
    expect(readFileSync(join(dir, 'LICENSE-DejaVu.txt'), 'utf8')).toContain('Bitstream Vera')
  })

  it('prefers <resourcesPath>/fonts in an installed app, and says where it looked when the fonts are missing', () => {
    const seen: string[] = []
    const exists = (f: string) => {
      seen.push(f)
      return f.replace(/\\/g, '/') === `/opt/app/resources/fonts/${PDF_FONT_FILES.regular}`
    }
    expect(locatePdfFontDir({ resourcesPath: '/opt/app/resources', exists }).replace(/\\/g, '/')).toBe('/opt/app/resources/fonts')
    expect(() => locatePdfFontDir({ resourcesPath: '/nowhere', exists: () => false, from: '/x/y' })).toThrow(/PDF fonts .* were not found in: .*nowhere/)
  })
})
