/**
 * A real loopback host in its own process, for tests that must show a request cannot end it.
 * Run with `node --import tsx test/support/host-child.ts <rendererDir>`; prints `READY <url> <token>`.
 * Its dispatcher echoes the channel and input, except two channels that misbehave on purpose:
 * `test.throw` throws synchronously, `test.reject` returns a rejected promise and `test.bigint`
 * answers with a value JSON cannot carry.
 */
import { startHost } from '../../src-main/host/server'
import type { Dispatcher } from '../../src-main/ipc/dispatch'

const dispatcher: Dispatcher = {
  dispatch(channel, input) {
    if (channel === 'test.throw') throw new Error('a handler bug')
    if (channel === 'test.reject') return Promise.reject(new Error('a rejected handler'))
    if (channel === 'test.bigint') return Promise.resolve({ ok: true, value: 10n ** 20n })
    return Promise.resolve({ ok: true, value: { channel, input } })
  }
}

void startHost({ dispatcher, rendererDir: process.argv[2] ?? '/nonexistent', token: 'a'.repeat(64) }).then((host) => {
  process.stdout.write(`READY ${host.url} ${host.token}\n`)
})
