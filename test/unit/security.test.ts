import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import {
  CONTENT_SECURITY_POLICY,
  META_CONTENT_SECURITY_POLICY,
  CliArgsError,
  denyAllPermissions,
  denyPermissionCheck,
  denyPermissionRequest,
  isAllowedNavigation,
  isTrustedSender,
  parseCliArgs,
  secureWebPreferences,
  windowOpenHandler
} from '../../src-main/security'

const APP = 'file:///opt/Callshop%20billing%20desk/resources/app.asar/out/renderer/index.html'
const WIN_APP = 'file:///C:/Program%20Files/Callshop/resources/app.asar/out/renderer/index.html'

describe('secureWebPreferences', () => {
  it('locks the renderer down and sets the preload', () => {
    expect(secureWebPreferences('/x/preload/index.js')).toEqual({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      preload: '/x/preload/index.js',
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      safeDialogs: true
    })
  })

  it('returns a fresh object each call', () => {
    expect(secureWebPreferences('a')).not.toBe(secureWebPreferences('a'))
  })
})

describe('CONTENT_SECURITY_POLICY', () => {
  it('is exactly the agreed policy', () => {
    expect(CONTENT_SECURITY_POLICY).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
        "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; " +
        "form-action 'none'; frame-ancestors 'none'"
    )
  })

  it("is in the page's <meta> too, without frame-ancestors, which a <meta> policy ignores with a console error", () => {
    const html = readFileSync(join(__dirname, '../../src-renderer/index.html'), 'utf8')
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1]
    expect(meta).toBe(META_CONTENT_SECURITY_POLICY)
    expect(meta).not.toContain('frame-ancestors')
    // Everything else is the same policy; the headers (host, Electron session) keep frame-ancestors.
    expect(CONTENT_SECURITY_POLICY).toBe(`${META_CONTENT_SECURITY_POLICY}; frame-ancestors 'none'`)
  })

  it('never allows inline or evaluated scripts', () => {
    const script = CONTENT_SECURITY_POLICY.split('; ').find((d) => d.startsWith('script-src'))
    expect(script).toBe("script-src 'self'")
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-eval')
  })

  it('runs the PDF preview (pdf.js) without widening the policy: its worker is a script of our own', () => {
    // No worker-src: workers fall back to script-src 'self' (src-renderer/src/pdf/pdfjs.ts bundles
    // the worker as an asset of the app); no blob: workers, no WebAssembly compilation, no plugins.
    expect(CONTENT_SECURITY_POLICY).not.toContain('worker-src')
    expect(CONTENT_SECURITY_POLICY).not.toContain('blob:')
    expect(CONTENT_SECURITY_POLICY).not.toContain('wasm-unsafe-eval')
    expect(CONTENT_SECURITY_POLICY).toContain("object-src 'none'")
  })
})

describe('isAllowedNavigation', () => {
  it('allows the app page itself, with any query or hash', () => {
    expect(isAllowedNavigation(APP, APP)).toBe(true)
    expect(isAllowedNavigation(`${APP}#/customers`, APP)).toBe(true)
    expect(isAllowedNavigation(`${APP}?x=1`, APP)).toBe(true)
  })

  it('treats differently spelled but identical file URLs as the same page', () => {
    const spaced = 'file:///opt/Callshop billing desk/resources/app.asar/out/renderer/index.html'
    expect(isAllowedNavigation(spaced, APP)).toBe(true)
    expect(isAllowedNavigation(WIN_APP.replace('C:', 'c:'), WIN_APP)).toBe(true)
  })

  it.each([
    ['another local file', 'file:///etc/passwd'],
    ['a sibling file', APP.replace('index.html', 'other.html')],
    ['a parent folder', 'file:///opt/Callshop%20billing%20desk/resources/app.asar/out/renderer/'],
    ['a path that only starts the same', `${APP}.evil`],
    ['a remote page', 'https://example.com/'],
    ['plain http', 'http://127.0.0.1:8080/index.html'],
    ['javascript:', 'javascript:alert(1)'],
    ['data:', 'data:text/html,<script>alert(1)</script>'],
    ['blob:', 'blob:file:///1234'],
    ['a custom scheme', 'ms-settings:privacy'],
    ['a UNC-style file URL', 'file://evilhost/opt/Callshop%20billing%20desk/resources/app.asar/out/renderer/index.html'],
    ['garbage', 'not a url'],
    ['empty', '']
  ])('refuses %s', (_label, url) => {
    expect(isAllowedNavigation(url, APP)).toBe(false)
  })

  it('refuses everything when the app URL itself is not usable', () => {
    expect(isAllowedNavigation(APP, '')).toBe(false)
    expect(isAllowedNavigation('', '')).toBe(false)
  })
})

describe('window and permission handlers', () => {
  it('denies every new window', () => {
    expect(windowOpenHandler()).toEqual({ action: 'deny' })
  })

  it('denies every permission request and check', () => {
    for (const permission of ['media', 'notifications', 'geolocation', 'openExternal', 'clipboard-read']) {
      const answers: boolean[] = []
      denyPermissionRequest({}, permission, (granted) => answers.push(granted))
      expect(answers).toEqual([false])
    }
    expect(denyPermissionCheck()).toBe(false)
    expect(denyAllPermissions.check()).toBe(false)
    const answers: boolean[] = []
    denyAllPermissions.request(null, 'media', (granted) => answers.push(granted))
    expect(answers).toEqual([false])
  })
})

describe('isTrustedSender', () => {
  it('trusts only the app index file', () => {
    expect(isTrustedSender(APP, APP)).toBe(true)
    expect(isTrustedSender(`${APP}#/invoices`, APP)).toBe(true)
    expect(isTrustedSender(`${APP}?a=b#c`, APP)).toBe(true)
  })

  it('matches a Node-built file URL against the spelling Chromium reports', () => {
    const file = process.platform === 'win32' ? 'C:\\Apps\\Call shop\\out\\renderer\\index.html' : '/apps/Call shop/out/renderer/index.html'
    const fromNode = pathToFileURL(file).href
    expect(isTrustedSender(fromNode, fromNode)).toBe(true)
    expect(isTrustedSender(fromNode.replace('%20', ' '), fromNode)).toBe(true)
  })

  it.each([
    ['no frame', null],
    ['undefined frame', undefined],
    ['empty url', ''],
    ['about:blank', 'about:blank'],
    ['another file', 'file:///tmp/evil.html'],
    ['a sibling file', APP.replace('index.html', 'index2.html')],
    ['the loopback host', 'http://127.0.0.1:5173/index.html'],
    ['a remote page', 'https://example.com/out/renderer/index.html'],
    ['data:', 'data:text/html,hi'],
    ['another host', APP.replace('file:///', 'file://evilhost/')]
  ])('rejects %s', (_label, url) => {
    expect(isTrustedSender(url, APP)).toBe(false)
  })

  it('never trusts a non-file app URL', () => {
    const web = 'http://127.0.0.1:5173/index.html'
    expect(isTrustedSender(web, web)).toBe(false)
  })
})

describe('parseCliArgs', () => {
  it('reads nothing from a bare command line', () => {
    expect(parseCliArgs([])).toEqual({ help: false })
    expect(parseCliArgs(['/usr/bin/electron', '.'])).toEqual({ help: false })
  })

  it('reads --data-dir in both spellings', () => {
    expect(parseCliArgs(['--data-dir', '/srv/data'])).toEqual({ help: false, dataDir: '/srv/data' })
    expect(parseCliArgs(['--data-dir=/srv/data'])).toEqual({ help: false, dataDir: '/srv/data' })
    expect(parseCliArgs(['--data-dir=C:\\Data dir'])).toEqual({ help: false, dataDir: 'C:\\Data dir' })
    expect(parseCliArgs(['--data-dir=a=b'])).toEqual({ help: false, dataDir: 'a=b' })
  })

  it('reads --port in both spellings', () => {
    expect(parseCliArgs(['--port', '8080'])).toEqual({ help: false, port: 8080 })
    expect(parseCliArgs(['--port=1'])).toEqual({ help: false, port: 1 })
    expect(parseCliArgs(['--port', '65535'])).toEqual({ help: false, port: 65535 })
  })

  it('reads --help and -h', () => {
    expect(parseCliArgs(['--help']).help).toBe(true)
    expect(parseCliArgs(['-h']).help).toBe(true)
  })

  it('ignores Electron and Chromium switches and positional arguments', () => {
    expect(
      parseCliArgs([
        '/opt/app/callshop',
        '.',
        '--no-sandbox',
        '--inspect=9229',
        '--remote-debugging-port=9222',
        '--enable-logging',
        '--',
        '--data-dir',
        'd',
        '--port=9000',
        '--disable-gpu'
      ])
    ).toEqual({ help: false, dataDir: 'd', port: 9000 })
  })

  it('uses the last value when an option is repeated', () => {
    expect(parseCliArgs(['--data-dir', 'a', '--data-dir=b'])).toEqual({ help: false, dataDir: 'b' })
  })

  it.each([
    [['--data-dir'], /--data-dir needs a folder path/],
    [['--data-dir='], /--data-dir needs a folder path/],
    [['--data-dir', '--port', '80'], /--data-dir needs a folder path/],
    [['--port'], /--port needs a number/],
    [['--port='], /--port needs a number/],
    [['--port', '0'], /--port must be a whole number from 1 to 65535 \(got "0"\)/],
    [['--port', '65536'], /got "65536"/],
    [['--port', '-1'], /got "-1"/],
    [['--port', '80.5'], /got "80.5"/],
    [['--port', 'abc'], /got "abc"/],
    [['--port=1e3'], /got "1e3"/],
    [['--port', ' 80'], /got " 80"/],
    [['--port', '123456'], /got "123456"/]
  ])('rejects %j', (argv, message) => {
    expect(() => parseCliArgs(argv)).toThrow(CliArgsError)
    expect(() => parseCliArgs(argv)).toThrow(message)
  })
})
