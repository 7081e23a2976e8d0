/**
 * Security settings and checks for the desktop shell, kept free of Electron imports so they are
 * unit-tested on machines without the Electron binary. `src-main/electron/main.ts` wires them in;
 * docs/security.md explains each one.
 */

/** The `webPreferences` of every window: renderer is untrusted web content with no Node access. */
export function secureWebPreferences(preloadPath: string) {
  return {
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    spellcheck: false,
    preload: preloadPath,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    safeDialogs: true
  } as const
}

/**
 * Content-Security-Policy for the renderer. The same text is in src-renderer/index.html as a
 * meta tag (file:// responses carry no headers) and is sent as a header by the loopback host and
 * the Electron session. `'unsafe-inline'` for styles only: Mantine injects style tags at run time.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'"
].join('; ')

interface UrlKey {
  protocol: string
  host: string
  path: string
}

/** Protocol, host and decoded path of a URL; hash and query are dropped. Null if unparsable. */
function urlKey(raw: string): UrlKey | null {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return null
  }
  let path: string
  try {
    path = decodeURIComponent(url.pathname)
  } catch {
    return null
  }
  // Windows file URLs (file:///C:/...): the file system ignores case, and Chromium and Node
  // may spell the drive letter differently.
  if (url.protocol === 'file:' && /^\/[A-Za-z]:\//.test(path)) path = path.toLowerCase()
  return { protocol: url.protocol, host: url.host.toLowerCase(), path }
}

function samePage(a: string | null | undefined, b: string | null | undefined): boolean {
  if (typeof a !== 'string' || typeof b !== 'string' || a === '' || b === '') return false
  const ka = urlKey(a)
  const kb = urlKey(b)
  if (ka === null || kb === null) return false
  return ka.protocol === kb.protocol && ka.host === kb.host && ka.path === kb.path
}

/**
 * Whether the window may navigate to `targetUrl`: only to the app's own page (`appUrl`, its
 * query and hash may differ). Everything else is refused: other files, http(s), javascript:,
 * data:, blob:, custom schemes.
 */
export function isAllowedNavigation(targetUrl: string, appUrl: string): boolean {
  return samePage(targetUrl, appUrl)
}

/** `webContents.setWindowOpenHandler`: no new windows, ever (links, window.open, middle-click). */
export function windowOpenHandler(): { action: 'deny' } {
  return { action: 'deny' }
}

/** `session.setPermissionRequestHandler`: every permission request (camera, notifications…) is refused. */
export function denyPermissionRequest(_webContents: unknown, _permission: string, callback: (granted: boolean) => void): void {
  callback(false)
}

/** `session.setPermissionCheckHandler`: every permission check answers "not granted". */
export function denyPermissionCheck(): boolean {
  return false
}

/** Both halves of the deny-all permission policy, for `session.setPermission*Handler`. */
export const denyAllPermissions = {
  request: denyPermissionRequest,
  check: denyPermissionCheck
} as const

/**
 * Whether an IPC message comes from the app's own page: `frameUrl` (the sender frame's URL)
 * must be exactly the app's index file (`appIndexUrl`), ignoring query and hash. A missing
 * frame (navigated away or destroyed) is not trusted.
 */
export function isTrustedSender(frameUrl: string | null | undefined, appIndexUrl: string): boolean {
  if (typeof frameUrl !== 'string') return false
  const key = urlKey(frameUrl)
  if (key === null || key.protocol !== 'file:') return false
  return samePage(frameUrl, appIndexUrl)
}

export interface CliArgs {
  dataDir?: string
  port?: number
  help: boolean
}

/** A command-line mistake; its message is meant for the person who typed the command. */
export class CliArgsError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'CliArgsError'
  }
}

export const CLI_USAGE = [
  'Options:',
  '  --data-dir DIR   folder that holds the database, journal and backups',
  '                   (default: the per-user app-data folder)',
  '  --port N         browser mode only: port on 127.0.0.1 to listen on (1-65535)',
  '  --help           show this help'
].join('\n')

function parsePort(raw: string): number {
  if (!/^\d{1,5}$/.test(raw)) {
    throw new CliArgsError(`--port must be a whole number from 1 to 65535 (got "${raw}").`)
  }
  const port = Number(raw)
  if (port < 1 || port > 65535) {
    throw new CliArgsError(`--port must be a whole number from 1 to 65535 (got "${raw}").`)
  }
  return port
}

/**
 * Read `--data-dir DIR` / `--data-dir=DIR`, `--port N` / `--port=N` and `--help` / `-h` from a
 * command line. Anything else (the executable, the app folder `.`, Electron and Chromium
 * switches such as `--no-sandbox` or `--inspect=9229`) is ignored. Throws CliArgsError on a
 * missing or bad value. Pass the whole `process.argv`.
 */
export function parseCliArgs(argv: readonly string[]): CliArgs {
  const out: CliArgs = { help: false }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string
    if (arg === '--') continue
    if (arg === '--help' || arg === '-h') {
      out.help = true
      continue
    }
    const eq = arg.indexOf('=')
    const name = eq === -1 ? arg : arg.slice(0, eq)
    if (name !== '--data-dir' && name !== '--port') continue
    let value: string | undefined
    if (eq !== -1) {
      value = arg.slice(eq + 1)
    } else {
      const next = argv[i + 1]
      if (next !== undefined && !next.startsWith('--')) {
        value = next
        i++
      }
    }
    if (name === '--data-dir') {
      if (value === undefined || value.trim() === '') {
        throw new CliArgsError('--data-dir needs a folder path, e.g. --data-dir /path/to/data.')
      }
      out.dataDir = value
    } else {
      if (value === undefined || value === '') {
        throw new CliArgsError('--port needs a number from 1 to 65535, e.g. --port 8080.')
      }
      out.port = parsePort(value)
    }
  }
  return out
}
