/**
 * The desktop shell: one window, the preload bridge, one IPC channel into the handler table.
 * Everything with a decision in it lives in ../security.ts (unit-tested without Electron);
 * this file only wires it to Electron. See docs/security.md.
 */
import { BrowserWindow, Menu, Notification, app, dialog, ipcMain, session } from 'electron'
import type { MenuItemConstructorOptions, WebContents } from 'electron'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { IpcResponse } from '../../src-shared/errors'
import { isAppErrorShape } from '../../src-shared/errors'
import { openBillingApp } from '../app'
import type { BillingApp } from '../app'
import { PRODUCT_NAME } from '../paths'
import {
  CLI_USAGE,
  CONTENT_SECURITY_POLICY,
  CliArgsError,
  denyAllPermissions,
  isAllowedNavigation,
  isTrustedSender,
  parseCliArgs,
  secureWebPreferences,
  windowOpenHandler
} from '../security'

/** The one IPC channel; the preload's `window.billing.invoke` calls it. */
const INVOKE_CHANNEL = 'billing:invoke'
const APP_ID = 'com.callshop.billingdesk'

const preloadPath = join(__dirname, '../preload/index.js')
const indexPath = join(__dirname, '../renderer/index.html')
const appIndexUrl = pathToFileURL(indexPath).href

let billing: BillingApp | null = null
let mainWindow: BrowserWindow | null = null
let shutdown: Promise<void> | null = null
let closed = false

function fail(title: string, message: string, exitCode: number): void {
  console.error(`${title}: ${message}`)
  dialog.showErrorBox(title, message)
  app.exit(exitCode)
}

function errorText(err: unknown): string {
  if (isAppErrorShape(err)) return err.message
  if (err instanceof Error) return err.message
  return String(err)
}

const refuse = (code: 'UNAUTHORIZED' | 'UNKNOWN_CHANNEL' | 'INTERNAL', message: string): IpcResponse<never> => ({
  ok: false,
  error: { code, message }
})

/** Navigation, new windows, webviews: applied to every web contents the app ever creates. */
function hardenContents(contents: WebContents): void {
  contents.on('will-navigate', (event) => {
    if (!isAllowedNavigation(event.url, appIndexUrl)) event.preventDefault()
  })
  contents.on('will-redirect', (event) => {
    if (!isAllowedNavigation(event.url, appIndexUrl)) event.preventDefault()
  })
  contents.on('will-attach-webview', (event) => event.preventDefault())
  contents.setWindowOpenHandler(windowOpenHandler)
}

function hardenSession(): void {
  const ses = session.defaultSession
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] }
    })
  })
  ses.setPermissionRequestHandler(denyAllPermissions.request)
  ses.setPermissionCheckHandler(denyAllPermissions.check)
}

/** Installed apps get a menu without developer tools; development keeps Electron's default. */
function installMenu(): void {
  if (!app.isPackaged) return
  const template: MenuItemConstructorOptions[] = [
    process.platform === 'darwin' ? { role: 'appMenu' } : { role: 'fileMenu' },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [{ role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' }]
    },
    { role: 'windowMenu' }
  ]
  Menu.setApplicationMenu(Menu.buildFromTemplate(template))
}

function createWindow(): void {
  const win = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 960,
    minHeight: 600,
    show: false,
    title: PRODUCT_NAME,
    backgroundColor: '#ffffff',
    webPreferences: { ...secureWebPreferences(preloadPath), devTools: !app.isPackaged }
  })
  mainWindow = win
  win.once('ready-to-show', () => win.show())
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = null
  })
  // The mouse's back and forward buttons arrive as app commands, not as page events: they walk
  // the page's history (its addresses are hash routes, so this never leaves index.html).
  win.on('app-command', (_event, command) => {
    const history = win.webContents.navigationHistory
    if (command === 'browser-backward' && history.canGoBack()) history.goBack()
    if (command === 'browser-forward' && history.canGoForward()) history.goForward()
  })
  win.loadFile(indexPath).catch((err: unknown) => {
    fail('Callshop billing desk could not start', `The window failed to load: ${errorText(err)}`, 1)
  })
}

function focusWindow(): void {
  if (mainWindow === null || mainWindow.isDestroyed()) return
  if (mainWindow.isMinimized()) mainWindow.restore()
  mainWindow.show()
  mainWindow.focus()
}

/** Close the database (flush, release the folder lock) once, however many quit paths ask. */
function closeBilling(): Promise<void> {
  if (shutdown === null) {
    const current = billing
    billing = null
    shutdown = (async () => {
      try {
        await current?.close()
      } catch (err) {
        console.error(`Closing the database failed: ${errorText(err)}`)
      } finally {
        closed = true
      }
    })()
  }
  return shutdown
}

/**
 * The login session of each window's page, kept here and never handed to the page
 * (docs/operators.md): a reload or a new page in the same window keeps it; closing the window ends it.
 */
const windowSessions = new Map<number, string>()
/** The web contents whose end already clears their session. */
const watchedContents = new Set<number>()

ipcMain.handle(INVOKE_CHANNEL, async (event, channel: unknown, input: unknown): Promise<IpcResponse<unknown>> => {
  if (!isTrustedSender(event.senderFrame?.url, appIndexUrl) || event.sender !== mainWindow?.webContents) {
    return refuse('UNAUTHORIZED', 'This request did not come from the billing desk window.')
  }
  if (typeof channel !== 'string') return refuse('UNKNOWN_CHANNEL', 'No such request.')
  const current = billing
  if (current === null) return refuse('INTERNAL', 'The billing desk is closing.')
  try {
    // The dispatcher measures the input against the channel's size limit (the same one browser mode applies).
    const contentsId = event.sender.id
    const bindSession = (sessionId: string | null) => {
      if (sessionId === null) windowSessions.delete(contentsId)
      else windowSessions.set(contentsId, sessionId)
    }
    if (!watchedContents.has(contentsId)) {
      watchedContents.add(contentsId)
      event.sender.once('destroyed', () => {
        windowSessions.delete(contentsId)
        watchedContents.delete(contentsId)
      })
    }
    return await current.dispatch(channel, input, { transport: 'electron', sessionId: windowSessions.get(contentsId) ?? null, bindSession })
  } catch (err) {
    console.error(`Request ${channel} failed: ${errorText(err)}`)
    return refuse('INTERNAL', 'Something went wrong; nothing was changed.')
  }
})

app.on('web-contents-created', (_event, contents) => hardenContents(contents))

app.on('second-instance', () => focusWindow())

app.on('window-all-closed', () => app.quit())

app.on('before-quit', (event) => {
  if (closed) return
  event.preventDefault()
  void closeBilling().then(() => app.quit())
})

for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => app.quit())

async function start(): Promise<void> {
  let args
  try {
    args = parseCliArgs(process.argv)
  } catch (err) {
    if (err instanceof CliArgsError) {
      console.error(`${err.message}\n\n${CLI_USAGE}`)
      app.exit(2)
      return
    }
    throw err
  }
  if (args.help) {
    console.log(`${PRODUCT_NAME}\n\n${CLI_USAGE}`)
    app.exit(0)
    return
  }
  if (args.port !== undefined) console.warn('--port applies to browser mode only; ignored in the desktop app.')

  // One window per user: a second launch focuses the first one and exits.
  if (!app.requestSingleInstanceLock()) {
    app.exit(0)
    return
  }

  await app.whenReady()
  if (process.platform === 'win32') app.setAppUserModelId(APP_ID)
  hardenSession()
  installMenu()

  const dataDir = args.dataDir !== undefined ? resolve(args.dataDir) : app.getPath('userData')
  try {
    billing = await openBillingApp({
      dataDir,
      // A batch re-issue ended (issue 11): a desktop notification; clicking it shows the desk at
      // the notification's link (the batch's results).
      notifyDesktop: (n) => {
        if (!Notification.isSupported()) return
        const shown = new Notification({ title: n.title, body: n.body })
        shown.on('click', () => {
          focusWindow()
          // A hash route of the desk (e.g. #/reissue?batch=3): the same page, another screen.
          if (mainWindow && n.link !== null && /^#\/[\w/?=&-]*$/.test(n.link)) void mainWindow.loadFile(indexPath, { hash: n.link.slice(1) })
        })
        shown.show()
      }
    })
  } catch (err) {
    if (isAppErrorShape(err) && err.code === 'DB_LOCKED') {
      fail(
        'Callshop billing desk is already open',
        `The data folder is in use by another copy of the billing desk (desktop or browser mode):\n${dataDir}\n\nClose the other copy, then start again.\n\n${err.message}`,
        1
      )
    } else {
      fail('Callshop billing desk could not start', `Opening the data folder failed:\n${dataDir}\n\n${errorText(err)}`, 1)
    }
    return
  }
  createWindow()
}

start().catch((err: unknown) => {
  fail('Callshop billing desk could not start', errorText(err), 1)
})
