/**
 * Minimal local type declarations for the parts of Electron 45 that src-main/electron uses.
 *
 * Why: `electron` is an optionalDependency and is not installed on the offline build machines
 * (its binary cannot be downloaded there), so its own `electron.d.ts` is missing and
 * `tsc --noEmit` would fail. Every signature below is copied (narrowed where marked) from
 * electron@45.4.1's electron.d.ts; add what you use, copying from there, never invent.
 *
 * Where Electron *is* installed, its `electron.d.ts` (`declare module 'electron' { export = ... }`)
 * takes precedence over this file and the full real types apply; tsconfig's `skipLibCheck`
 * keeps the two declarations from being reported as a clash. So code here must also compile
 * against the real types (it was checked against electron@45.4.1).
 *
 * Only files in src-main/electron/ may import 'electron': it throws at run time without the binary.
 */
declare module 'electron' {
  import { EventEmitter } from 'node:events'

  // ---------------------------------------------------------------- shared structures

  export type Event<Params extends object = {}> = {
    preventDefault: () => void
    readonly defaultPrevented: boolean
  } & Params

  export interface WebPreferences {
    preload?: string
    sandbox?: boolean
    nodeIntegration?: boolean
    nodeIntegrationInWorker?: boolean
    nodeIntegrationInSubFrames?: boolean
    contextIsolation?: boolean
    webSecurity?: boolean
    allowRunningInsecureContent?: boolean
    webviewTag?: boolean
    spellcheck?: boolean
    experimentalFeatures?: boolean
    navigateOnDragDrop?: boolean
    safeDialogs?: boolean
    devTools?: boolean
  }

  /** Narrowed: the real type extends BaseWindowConstructorOptions with many more fields. */
  export interface BrowserWindowConstructorOptions {
    width?: number
    height?: number
    minWidth?: number
    minHeight?: number
    show?: boolean
    title?: string
    icon?: string
    backgroundColor?: string
    autoHideMenuBar?: boolean
    webPreferences?: WebPreferences
  }

  export interface LoadFileOptions {
    query?: Record<string, string>
    search?: string
    hash?: string
  }

  export interface HandlerDetails {
    url: string
    frameName: string
    features: string
    disposition: 'default' | 'foreground-tab' | 'background-tab' | 'new-window' | 'other'
  }

  export interface WindowOpenHandlerResponse {
    action: 'allow' | 'deny'
    outlivesOpener?: boolean
    overrideBrowserWindowOptions?: BrowserWindowConstructorOptions
  }

  export interface WebContentsWillNavigateEventParams {
    url: string
    isSameDocument: boolean
    isMainFrame: boolean
    frame: WebFrameMain | null
    initiator?: WebFrameMain | null
  }

  export interface WebContentsWillRedirectEventParams {
    url: string
    isSameDocument: boolean
    isMainFrame: boolean
    frame: WebFrameMain | null
    initiator?: WebFrameMain | null
  }

  export interface OnHeadersReceivedListenerDetails {
    id: number
    url: string
    method: string
    webContentsId?: number
    webContents?: WebContents
    frame?: WebFrameMain | null
    resourceType:
      | 'mainFrame'
      | 'subFrame'
      | 'stylesheet'
      | 'script'
      | 'image'
      | 'font'
      | 'object'
      | 'xhr'
      | 'ping'
      | 'cspReport'
      | 'media'
      | 'webSocket'
      | 'other'
    referrer: string
    timestamp: number
    statusLine: string
    statusCode: number
    responseHeaders?: Record<string, string[]>
  }

  export interface HeadersReceivedResponse {
    cancel?: boolean
    responseHeaders?: Record<string, string | string[]>
    statusLine?: string
  }

  /** Narrowed: the real parameter is a long union of permission names. */
  export type Permission = string

  export interface PermissionCheckHandlerHandlerDetails {
    embeddingOrigin?: string
    securityOrigin?: string
    isMainFrame: boolean
    requestingUrl?: string
  }

  export interface PermissionRequest {
    requestingUrl: string
    isMainFrame: boolean
  }

  export interface MessageBoxOptions {
    message: string
    type?: 'none' | 'info' | 'error' | 'question' | 'warning'
    buttons?: string[]
    defaultId?: number
    title?: string
    detail?: string
    cancelId?: number
    noLink?: boolean
  }

  export interface MessageBoxReturnValue {
    response: number
    checkboxChecked: boolean
  }

  export interface FileFilter {
    extensions: string[]
    name: string
  }

  export interface OpenDialogOptions {
    title?: string
    defaultPath?: string
    buttonLabel?: string
    filters?: FileFilter[]
    properties?: Array<
      | 'openFile'
      | 'openDirectory'
      | 'multiSelections'
      | 'showHiddenFiles'
      | 'createDirectory'
      | 'promptToCreate'
      | 'noResolveAliases'
      | 'treatPackageAsDirectory'
      | 'dontAddToRecent'
    >
    message?: string
  }

  export interface OpenDialogReturnValue {
    canceled: boolean
    filePaths: string[]
  }

  export interface SaveDialogOptions {
    title?: string
    defaultPath?: string
    buttonLabel?: string
    filters?: FileFilter[]
    message?: string
    nameFieldLabel?: string
    properties?: Array<
      'showHiddenFiles' | 'createDirectory' | 'treatPackageAsDirectory' | 'showOverwriteConfirmation' | 'dontAddToRecent'
    >
  }

  export interface SaveDialogReturnValue {
    canceled: boolean
    filePath: string
  }

  export interface MenuItemConstructorOptions {
    click?: (menuItem: unknown, window: BaseWindow | undefined, event: unknown) => void
    /** Narrowed: the real union has more roles. */
    role?:
      | 'undo'
      | 'redo'
      | 'cut'
      | 'copy'
      | 'paste'
      | 'delete'
      | 'selectAll'
      | 'reload'
      | 'forceReload'
      | 'toggleDevTools'
      | 'resetZoom'
      | 'zoomIn'
      | 'zoomOut'
      | 'togglefullscreen'
      | 'window'
      | 'minimize'
      | 'close'
      | 'help'
      | 'about'
      | 'services'
      | 'hide'
      | 'hideOthers'
      | 'unhide'
      | 'quit'
      | 'appMenu'
      | 'fileMenu'
      | 'editMenu'
      | 'viewMenu'
      | 'windowMenu'
    type?: 'normal' | 'separator' | 'submenu' | 'checkbox' | 'radio' | 'header' | 'palette'
    label?: string
    accelerator?: string
    enabled?: boolean
    visible?: boolean
    submenu?: MenuItemConstructorOptions[] | Menu
  }

  export interface NotificationConstructorOptions {
    title?: string
    subtitle?: string
    body?: string
    silent?: boolean
  }

  export interface OpenExternalOptions {
    activate?: boolean
  }

  // ---------------------------------------------------------------- main process

  export interface App extends NodeJS.EventEmitter {
    on(event: 'before-quit', listener: (event: Event) => void): this
    on(event: 'will-quit', listener: (event: Event) => void): this
    on(event: 'window-all-closed', listener: () => void): this
    on(event: 'activate', listener: (event: Event, hasVisibleWindows: boolean) => void): this
    on(
      event: 'second-instance',
      listener: (event: Event, argv: string[], workingDirectory: string, additionalData: unknown) => void
    ): this
    on(event: 'web-contents-created', listener: (event: Event, webContents: WebContents) => void): this
    whenReady(): Promise<void>
    quit(): void
    exit(exitCode?: number): void
    requestSingleInstanceLock(additionalData?: Record<any, any>): boolean
    getName(): string
    getPath(
      name:
        | 'home'
        | 'appData'
        | 'assets'
        | 'userData'
        | 'sessionData'
        | 'temp'
        | 'exe'
        | 'module'
        | 'desktop'
        | 'documents'
        | 'downloads'
        | 'music'
        | 'pictures'
        | 'videos'
        | 'recent'
        | 'logs'
        | 'crashDumps'
    ): string
    setAppUserModelId(id: string): void
    readonly isPackaged: boolean
  }
  export const app: App

  export interface WebFrameMain extends NodeJS.EventEmitter {
    readonly url: string
    readonly parent: WebFrameMain | null
    readonly top: WebFrameMain | null
    isDestroyed(): boolean
  }

  export interface WebRequest {
    onHeadersReceived(
      listener:
        | ((
            details: OnHeadersReceivedListenerDetails,
            callback: (headersReceivedResponse: HeadersReceivedResponse) => void
          ) => void)
        | null
    ): void
  }

  export interface Session extends NodeJS.EventEmitter {
    readonly webRequest: WebRequest
    setPermissionRequestHandler(
      handler:
        | ((
            webContents: WebContents,
            permission: Permission,
            callback: (permissionGranted: boolean) => void,
            details: PermissionRequest
          ) => void)
        | null
    ): void
    setPermissionCheckHandler(
      handler:
        | ((
            webContents: WebContents | null,
            permission: Permission,
            requestingOrigin: string,
            details: PermissionCheckHandlerHandlerDetails
          ) => boolean)
        | null
    ): void
  }
  /** Narrowed: the real value is `typeof Session` (its static members). */
  export const session: { defaultSession: Session }

  /** A type only: the main process has no `WebContents` value (use `webContents`). */
  export interface WebContents extends NodeJS.EventEmitter {
    readonly id: number
    readonly session: Session
    on(
      event: 'will-navigate',
      listener: (details: Event<WebContentsWillNavigateEventParams>, url: string) => void
    ): this
    on(
      event: 'will-redirect',
      listener: (details: Event<WebContentsWillRedirectEventParams>, url: string) => void
    ): this
    on(
      event: 'will-attach-webview',
      listener: (event: Event, webPreferences: WebPreferences, params: Record<string, string>) => void
    ): this
    setWindowOpenHandler(handler: (details: HandlerDetails) => WindowOpenHandlerResponse): void
    readonly navigationHistory: NavigationHistory
    getURL(): string
    isDestroyed(): boolean
    focus(): void
  }

  /** Narrowed: the four members used (real: class NavigationHistory with more). */
  export interface NavigationHistory {
    canGoBack(): boolean
    canGoForward(): boolean
    goBack(): void
    goForward(): void
  }

  export class BaseWindow extends EventEmitter {
    focus(): void
    show(): void
    restore(): void
    isMinimized(): boolean
    isDestroyed(): boolean
    close(): void
  }

  export class BrowserWindow extends BaseWindow {
    constructor(options?: BrowserWindowConstructorOptions)
    static getAllWindows(): BrowserWindow[]
    readonly webContents: WebContents
    once(event: 'ready-to-show', listener: () => void): this
    on(event: 'closed', listener: () => void): this
    /** Windows and Linux: the mouse's back/forward buttons and media keys (BaseWindow in the real types). */
    on(event: 'app-command', listener: (event: Event, command: string) => void): this
    loadFile(filePath: string, options?: LoadFileOptions): Promise<void>
    loadURL(url: string): Promise<void>
  }

  export interface IpcMainInvokeEvent extends Event {
    readonly processId: number
    readonly frameId: number
    readonly sender: WebContents
    readonly senderFrame: WebFrameMain | null
  }

  export interface IpcMain extends NodeJS.EventEmitter {
    handle(channel: string, listener: (event: IpcMainInvokeEvent, ...args: any[]) => Promise<any> | any): void
    removeHandler(channel: string): void
  }
  export const ipcMain: IpcMain

  export interface Dialog {
    showErrorBox(title: string, content: string): void
    showMessageBox(window: BaseWindow, options: MessageBoxOptions): Promise<MessageBoxReturnValue>
    showMessageBox(options: MessageBoxOptions): Promise<MessageBoxReturnValue>
    showOpenDialog(window: BaseWindow, options: OpenDialogOptions): Promise<OpenDialogReturnValue>
    showOpenDialog(options: OpenDialogOptions): Promise<OpenDialogReturnValue>
    showSaveDialog(window: BaseWindow, options: SaveDialogOptions): Promise<SaveDialogReturnValue>
    showSaveDialog(options: SaveDialogOptions): Promise<SaveDialogReturnValue>
  }
  export const dialog: Dialog

  export interface Shell {
    openExternal(url: string, options?: OpenExternalOptions): Promise<void>
    openPath(path: string): Promise<string>
    showItemInFolder(fullPath: string): void
  }
  export const shell: Shell

  export class Menu extends EventEmitter {
    static setApplicationMenu(menu: Menu | null): void
    static buildFromTemplate(template: MenuItemConstructorOptions[]): Menu
  }

  export class Notification extends EventEmitter {
    constructor(options?: NotificationConstructorOptions)
    static isSupported(): boolean
    on(event: 'click', listener: (event: Event) => void): this
    show(): void
    close(): void
  }

  // ---------------------------------------------------------------- preload (renderer side)

  export interface ContextBridge {
    exposeInMainWorld(apiKey: string, api: any): void
  }
  export const contextBridge: ContextBridge

  export interface IpcRenderer extends NodeJS.EventEmitter {
    invoke(channel: string, ...args: any[]): Promise<any>
  }
  export const ipcRenderer: IpcRenderer
}
