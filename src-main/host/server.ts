import fs from 'node:fs'
import http from 'node:http'
import path from 'node:path'
import { randomBytes, timingSafeEqual } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import { bodyLimitOf } from '../../src-shared/contract'
import type { IpcResponse } from '../../src-shared/errors'
import { tooLargeError, type Dispatcher } from '../ipc/dispatch'
import { CONTENT_SECURITY_POLICY } from '../security'

export interface HostOptions {
  dispatcher: Dispatcher
  /** Built renderer folder (out/renderer). */
  rendererDir: string
  port?: number
  /** Fixed token for tests; a random one per start otherwise. */
  token?: string
}

export interface RunningHost {
  url: string
  token: string
  /** The page to open: the token travels in the fragment, which is never sent over HTTP. */
  pageUrl: string
  close(): Promise<void>
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.json': 'application/json'
}

/** What any unexpected failure answers: the same words as the desktop bridge. */
const INTERNAL_ANSWER: IpcResponse<never> = { ok: false, error: { code: 'INTERNAL', message: 'Something went wrong; nothing was changed.' } }

const BAD_ADDRESS: IpcResponse<never> = {
  ok: false,
  error: { code: 'VALIDATION', message: 'The address is not valid: it has a broken %-escape or is not a path on this host.' }
}

/** decodeURIComponent without the URIError a broken escape (`/%`, `/%E0%A4%A`) would throw. */
function decodePath(text: string): string | null {
  try {
    return decodeURIComponent(text)
  } catch {
    return null
  }
}

/** The request header carrying browser mode's login session, and the answer header that hands a new one out. */
export const SESSION_HEADER = 'x-billing-session'

/**
 * Browser mode: the same handler table as the desktop app, over HTTP on 127.0.0.1 only.
 * Every IPC request must carry the per-start token; requests naming a foreign Host or Origin
 * (DNS rebinding, other sites) are refused. The token alone reaches only the channels open before
 * login: everything else needs the session a login answered (header `x-billing-session`).
 */
export async function startHost(opts: HostOptions): Promise<RunningHost> {
  const token = opts.token ?? randomBytes(32).toString('hex')
  const tokenBuf = Buffer.from(token)
  let port = 0
  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`])

  const send = (res: http.ServerResponse, status: number, body: IpcResponse<unknown>, session?: string | null) => {
    const json = JSON.stringify(body)
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      // A login hands out its session ('' when a logout ended it).
      ...(session === undefined ? {} : { [SESSION_HEADER]: session ?? '' })
    })
    res.end(json)
  }

  /** A bug anywhere below answers 500 and is logged; it never ends the process (the counter keeps working). */
  const failed = (res: http.ServerResponse, err: unknown) => {
    console.error(`loopback host: ${(err as Error)?.stack ?? String(err)}`)
    if (res.headersSent) res.destroy()
    else send(res, 500, INTERNAL_ANSWER)
  }

  const handle = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const host = req.headers.host ?? ''
    const origin = req.headers.origin
    if (!allowedHosts().has(host) || (origin !== undefined && origin !== `http://${host}`)) {
      send(res, 403, { ok: false, error: { code: 'FORBIDDEN', message: 'Requests from other sites are refused.' } })
      return
    }
    let url: URL
    try {
      url = new URL(req.url ?? '/', `http://${host}`)
    } catch {
      send(res, 400, BAD_ADDRESS)
      return
    }
    if (url.pathname.startsWith('/ipc/')) {
      if (req.method !== 'POST') {
        send(res, 405, { ok: false, error: { code: 'VALIDATION', message: 'Use POST.' } })
        return
      }
      const auth = req.headers.authorization ?? ''
      const given = Buffer.from(auth.startsWith('Bearer ') ? auth.slice(7) : '')
      if (given.length !== tokenBuf.length || !timingSafeEqual(given, tokenBuf)) {
        send(res, 401, { ok: false, error: { code: 'UNAUTHORIZED', message: 'Missing or wrong access token. Open the address printed by npm start.' } })
        return
      }
      const channel = decodePath(url.pathname.slice('/ipc/'.length))
      if (channel === null) {
        send(res, 400, BAD_ADDRESS)
        return
      }
      readBody(req, res, channel)
      return
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end()
      return
    }
    const pathname = decodePath(url.pathname)
    if (pathname === null) {
      send(res, 400, BAD_ADDRESS)
      return
    }
    serveStatic(opts.rendererDir, pathname, res)
  }

  /**
   * Read a request body up to its channel's limit (from the contract, the same one the Electron
   * transport applies), then dispatch it. Over the limit the answer is 413 with a typed error; the
   * rest of the body is read and dropped so the client gets to see that answer.
   */
  const readBody = (req: http.IncomingMessage, res: http.ServerResponse, channel: string) => {
    const limit = bodyLimitOf(channel)
    const chunks: Buffer[] = []
    let size = 0
    let refused = false
    const refuse = () => {
      refused = true
      chunks.length = 0
      send(res, 413, { ok: false, error: tooLargeError(channel).toShape() })
    }
    req.on('error', () => {
      // The client went away mid-request: there is nobody to answer.
    })
    if (Number(req.headers['content-length']) > limit) refuse()
    req.on('data', (c: Buffer) => {
      if (refused) return
      size += c.length
      if (size > limit) refuse()
      else chunks.push(c)
    })
    req.on('end', () => {
      if (refused) return
      try {
        let input: unknown
        try {
          input = chunks.length === 0 ? {} : JSON.parse(Buffer.concat(chunks).toString('utf8'))
        } catch {
          send(res, 400, { ok: false, error: { code: 'VALIDATION', message: 'The request body is not valid JSON.' } })
          return
        }
        const given = req.headers[SESSION_HEADER]
        let bound: string | null | undefined
        // Also catches an answer that cannot be sent (JSON.stringify throws on a bigint).
        opts.dispatcher
          .dispatch(channel, input, {
            transport: 'loopback',
            bodyBytes: size,
            sessionId: typeof given === 'string' && /^[0-9a-f]{64}$/.test(given) ? given : null,
            bindSession: (id) => {
              bound = id
            }
          })
          .then((r) => send(res, 200, r, bound))
          .catch((err: unknown) => failed(res, err))
      } catch (err) {
        failed(res, err)
      }
    })
  }

  const server = http.createServer((req, res) => {
    try {
      handle(req, res)
    } catch (err) {
      failed(res, err)
    }
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve())
  })
  port = (server.address() as AddressInfo).port
  const url = `http://127.0.0.1:${port}`
  return {
    url,
    token,
    pageUrl: `${url}/#token=${token}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      })
  }
}

function serveStatic(root: string, pathname: string, res: http.ServerResponse): void {
  const rel = pathname === '/' ? 'index.html' : pathname.replace(/^\/+/, '')
  const file = path.resolve(root, rel)
  if (!file.startsWith(path.resolve(root) + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found')
    return
  }
  res.writeHead(200, {
    'content-type': MIME[path.extname(file)] ?? 'application/octet-stream',
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-cache'
  })
  // A file removed or unreadable after the check: end this answer, never the process.
  fs.createReadStream(file)
    .on('error', () => res.destroy())
    .pipe(res)
}
