import { describe, expect, it } from 'vitest'
import { spawn, type ChildProcess } from 'node:child_process'
import http from 'node:http'
import path from 'node:path'
import { openBillingApp } from '../../src-main/app'
import { startHost } from '../../src-main/host/server'
import type { Dispatcher } from '../../src-main/ipc/dispatch'
import { tmpDataDir } from '../support/tmp'
import { TEST_ADMIN } from '../support/operators'

const echo: Dispatcher = { dispatch: async (channel, input) => ({ ok: true, value: { channel, input } }) }

function request(port: number, opts: { path: string; method?: string; headers?: Record<string, string>; body?: string | Buffer; chunked?: boolean }) {
  return new Promise<{ status: number; body: string; session: string | undefined }>((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: opts.path, method: opts.method ?? 'POST', headers: opts.headers }, (res) => {
      let body = ''
      res.on('data', (d: Buffer) => (body += d.toString()))
      const session = res.headers['x-billing-session']
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, session: typeof session === 'string' ? session : undefined }))
    })
    req.on('error', reject)
    if (opts.chunked && opts.body !== undefined) {
      // No Content-Length: the host only learns the size while reading.
      const buf = Buffer.from(opts.body)
      for (let i = 0; i < buf.length; i += 64 * 1024) req.write(buf.subarray(i, i + 64 * 1024))
      req.end()
    } else req.end(opts.body)
  })
}

/** The host in a process of its own, so a request that kills it shows as a dead process. */
async function startHostProcess(): Promise<{ child: ChildProcess; port: number; token: string; exited: () => string | null; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.resolve('test/support/host-child.ts'), path.resolve('src-renderer')], {
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stderr = ''
  let exit: string | null = null
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()))
  const closed = new Promise<void>((resolve) =>
    child.on('exit', (code, signal) => {
      exit = `exit ${code ?? signal}: ${stderr}`
      resolve()
    })
  )
  const ready = await new Promise<string>((resolve, reject) => {
    let out = ''
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString()
      const line = out.split('\n').find((l) => l.startsWith('READY '))
      if (line) resolve(line)
    })
    void closed.then(() => reject(new Error(`host process ended before it was ready: ${exit}`)))
  })
  const [, url, token] = ready.split(' ')
  return {
    child,
    port: Number(new URL(url!).port),
    token: token!,
    exited: () => exit,
    stop: async () => {
      if (exit === null) child.kill('SIGTERM')
      await closed
    }
  }
}

describe('loopback host', () => {
  it('binds 127.0.0.1 only and requires the per-start token', async () => {
    const host = await startHost({ dispatcher: echo, rendererDir: '/nonexistent' })
    const port = Number(new URL(host.url).port)
    expect(new URL(host.url).hostname).toBe('127.0.0.1')
    expect(host.token).toMatch(/^[0-9a-f]{64}$/)
    const none = await request(port, { path: '/ipc/app.status', body: '{}' })
    expect(none.status).toBe(401)
    expect(JSON.parse(none.body)).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } })
    const wrong = await request(port, { path: '/ipc/app.status', body: '{}', headers: { authorization: `Bearer ${'0'.repeat(64)}` } })
    expect(wrong.status).toBe(401)
    const good = await request(port, { path: '/ipc/app.status', body: '{"a":1}', headers: { authorization: `Bearer ${host.token}` } })
    expect(JSON.parse(good.body)).toEqual({ ok: true, value: { channel: 'app.status', input: { a: 1 } } })
    await host.close()
  })

  it('rejects requests carrying a foreign Host or Origin (DNS rebinding, other web sites)', async () => {
    const host = await startHost({ dispatcher: echo, rendererDir: '/nonexistent' })
    const port = Number(new URL(host.url).port)
    const auth = { authorization: `Bearer ${host.token}` }
    const evilHost = await request(port, { path: '/ipc/app.status', body: '{}', headers: { ...auth, host: `evil.example:${port}` } })
    expect(evilHost.status).toBe(403)
    const evilOrigin = await request(port, { path: '/ipc/app.status', body: '{}', headers: { ...auth, origin: 'http://evil.example' } })
    expect(evilOrigin.status).toBe(403)
    const sameOrigin = await request(port, { path: '/ipc/app.status', body: '{}', headers: { ...auth, origin: `http://127.0.0.1:${port}` } })
    expect(sameOrigin.status).toBe(200)
    await host.close()
  })

  it('answers malformed JSON with a clear error and never serves files outside the renderer folder', async () => {
    const host = await startHost({ dispatcher: echo, rendererDir: process.cwd() + '/src-renderer' })
    const port = Number(new URL(host.url).port)
    const bad = await request(port, { path: '/ipc/app.status', body: '{nope', headers: { authorization: `Bearer ${host.token}` } })
    expect(bad.status).toBe(400)
    expect(JSON.parse(bad.body).error.message).toMatch(/not valid JSON/)
    const traversal = await request(port, { path: '/..%2fpackage.json', method: 'GET' })
    expect(traversal.status).toBe(404)
    await host.close()
  })

  it('answers malformed addresses with 400 and a typed error, and no request ends the process', async () => {
    const host = await startHostProcess()
    try {
      const auth = { authorization: `Bearer ${host.token}` }
      const cases: { path: string; method: string; headers?: Record<string, string> }[] = [
        { path: '/%', method: 'GET' },
        { path: '/%E0%A4%A', method: 'GET' },
        { path: '/assets/%ff', method: 'GET' },
        { path: '/%', method: 'HEAD' },
        { path: 'http://[', method: 'GET' },
        { path: '/ipc/%', method: 'POST', headers: auth },
        { path: '/ipc/%C0%AE%C0%AE', method: 'POST', headers: auth },
        { path: '/ipc/%', method: 'POST' }
      ]
      for (const c of cases) {
        const res = await request(host.port, { ...c, body: c.method === 'POST' ? '{}' : undefined })
        const what = `${c.method} ${c.path}`
        expect(host.exited(), what).toBeNull()
        if (c.method === 'HEAD') {
          expect(res.status, what).toBe(400)
          continue
        }
        expect(res.status, what).toBe(c.path === '/ipc/%' && !c.headers ? 401 : 400)
        const body = JSON.parse(res.body)
        expect(body.ok, what).toBe(false)
        expect(body.error.code, what).toBe(c.path === '/ipc/%' && !c.headers ? 'UNAUTHORIZED' : 'VALIDATION')
        expect(body.error.message, what).toMatch(/address/)
      }
      // Still serving: a good request after all of them.
      const good = await request(host.port, { path: '/ipc/app.status', body: '{}', headers: auth })
      expect(JSON.parse(good.body)).toEqual({ ok: true, value: { channel: 'app.status', input: {} } })
    } finally {
      await host.stop()
    }
  })

  it('a handler that throws or rejects answers 500 with a typed error and the process keeps serving', async () => {
    const host = await startHostProcess()
    try {
      const auth = { authorization: `Bearer ${host.token}` }
      for (const channel of ['test.throw', 'test.reject', 'test.bigint']) {
        const res = await request(host.port, { path: `/ipc/${channel}`, body: '{}', headers: auth })
        expect(host.exited(), channel).toBeNull()
        expect(res.status, channel).toBe(500)
        expect(JSON.parse(res.body), channel).toEqual({ ok: false, error: { code: 'INTERNAL', message: 'Something went wrong; nothing was changed.' } })
      }
      const good = await request(host.port, { path: '/ipc/app.status', body: '{}', headers: auth })
      expect(good.status).toBe(200)
    } finally {
      await host.stop()
    }
  })

  it('imports a 2 MB customer CSV in browser mode and answers an oversized body with 413 and a typed error', async () => {
    const app = await openBillingApp({ dataDir: tmpDataDir(), log: () => {}, dailyBackupDelayMs: 3_600_000 })
    const host = await startHost({ dispatcher: app, rendererDir: '/nonexistent' })
    const port = Number(new URL(host.url).port)
    const auth: Record<string, string> = { authorization: `Bearer ${host.token}`, 'content-type': 'application/json' }
    const call = async (channel: string, input: unknown, chunked = false) => {
      const res = await request(port, { path: `/ipc/${channel}`, headers: auth, body: JSON.stringify(input), chunked })
      // Setup logs its administrator in: the answer hands the session out.
      if (res.session) auth['x-billing-session'] = res.session
      return { status: res.status, body: JSON.parse(res.body) }
    }
    try {
      expect(
        (await call('setup.complete', { companyName: 'Big Import Callshop', address: '', defaultCurrency: 'USD', loadDemoData: false, ...TEST_ADMIN })).body.ok
      ).toBe(true)
      const notes = 'Long-standing customer; calls Łódź and Москва every evening. '.repeat(66)
      const rows = Array.from({ length: 500 }, (_, i) => `IMPORT-${String(i).padStart(4, '0')},Import ${i} Ltd,postpaid,USD,"${notes}"`)
      const csv = ['customer_id,company_name,balance_control,currency,notes', ...rows].join('\n')
      expect(Buffer.byteLength(csv)).toBeGreaterThan(2_000_000)
      const preview = await call('customers.importPreview', { csv })
      expect(preview.status).toBe(200)
      expect(preview.body).toMatchObject({ ok: true, value: { issues: [] } })
      const commit = await call('customers.importCommit', { csv, onlyValidRows: false }, true)
      expect(commit.body).toEqual({ ok: true, value: { imported: 500, skipped: 0 } })

      // Everything else takes at most 1 MiB; over it the answer is 413 with words, not a reset.
      const big = { customerId: 'TOO-BIG', balanceControl: 'postpaid', currency: 'USD', companyName: 'x'.repeat(2 * 1024 * 1024), classId: null, creditLimit: null }
      for (const chunked of [false, true]) {
        const res = await call('customers.create', big, chunked)
        expect(res.status, `chunked=${chunked}`).toBe(413)
        expect(res.body, `chunked=${chunked}`).toEqual({
          ok: false,
          error: { code: 'TOO_LARGE', message: 'This request is larger than the 1 MiB "customers.create" accepts; nothing was changed.' }
        })
      }
      const list = await call('customers.list', { search: 'TOO-BIG' })
      expect(list.body.value.total).toBe(0)
      // The connection state is fine afterwards.
      expect((await call('app.status', {})).body.value.counts.customers).toBe(500)
    } finally {
      await host.close()
      await app.close()
    }
  })
})
