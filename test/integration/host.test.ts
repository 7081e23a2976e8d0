import { describe, expect, it } from 'vitest'
import http from 'node:http'
import { startHost } from '../../src-main/host/server'
import type { Dispatcher } from '../../src-main/ipc/dispatch'

const echo: Dispatcher = { dispatch: async (channel, input) => ({ ok: true, value: { channel, input } }) }

function request(port: number, opts: { path: string; method?: string; headers?: Record<string, string>; body?: string }) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: opts.path, method: opts.method ?? 'POST', headers: opts.headers }, (res) => {
      let body = ''
      res.on('data', (d: Buffer) => (body += d.toString()))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
    })
    req.on('error', reject)
    req.end(opts.body)
  })
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
    const escape = await request(port, { path: '/..%2fpackage.json', method: 'GET' })
    expect(escape.status).toBe(404)
    await host.close()
  })
})
