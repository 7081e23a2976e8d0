import path from 'node:path'
import { AppError } from '../../src-shared/errors'
import { openBillingApp } from '../app'
import { defaultDataDir } from '../paths'
import { CLI_USAGE, CliArgsError, parseCliArgs } from '../security'
import { startHost } from './server'

/** Browser mode: `node out/main/host.js [--data-dir DIR] [--port N]`. */
async function main(): Promise<void> {
  let args
  try {
    args = parseCliArgs(process.argv.slice(2))
  } catch (err) {
    if (err instanceof CliArgsError) {
      console.error(`${err.message}\n${CLI_USAGE}`)
      process.exit(2)
    }
    throw err
  }
  if (args.help) {
    console.log(`Callshop billing desk (browser mode)\n${CLI_USAGE}`)
    return
  }
  const dataDir = path.resolve(args.dataDir ?? defaultDataDir())
  let app
  try {
    app = await openBillingApp({ dataDir })
  } catch (err) {
    if (err instanceof AppError) {
      console.error(`Cannot open ${dataDir}: ${err.message}`)
      process.exit(1)
    }
    throw err
  }
  const host = await startHost({
    dispatcher: app,
    rendererDir: path.join(__dirname, '../renderer'),
    ...(args.port === undefined ? {} : { port: args.port })
  })
  console.log(`Data folder: ${dataDir}`)
  console.log(`Open this address in your browser: ${host.pageUrl}`)
  let closing = false
  const shutdown = async () => {
    if (closing) return
    closing = true
    await host.close()
    await app.close()
    process.exit(0)
  }
  process.on('SIGINT', () => void shutdown())
  process.on('SIGTERM', () => void shutdown())
}

void main().catch((err: unknown) => {
  console.error(err)
  process.exit(1)
})
