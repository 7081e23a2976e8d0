import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import react from '@vitejs/plugin-react'

// electron-vite only discovers src/main-style folders on its own, so every entry is named here.
const main = (name: string) => resolve(__dirname, name)

// electron-vite reads Electron's version from node_modules/electron to pick its build target.
// Electron is an optional dependency that npm skips where its binary cannot be had (offline
// build machines, Node < 22), so name the major version we target.
process.env.ELECTRON_MAJOR_VER ??= '45'

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          // Desktop shell (the only code that imports 'electron').
          index: main('src-main/electron/main.ts'),
          // Browser mode: the same handler table over HTTP on 127.0.0.1.
          host: main('src-main/host/cli.ts'),
          // Command-line tools: demo data, benchmark, crash-test child, `npm run billing`.
          demo: main('src-main/tools/demo-cli.ts'),
          billing: main('src-main/tools/billing-cli.ts'),
          bench: main('src-main/tools/bench.ts'),
          'crash-child': main('src-main/tools/crash-child.ts'),
          'invoice-crash-child': main('src-main/tools/invoice-crash-child.ts'),
          'reissue-crash-child': main('src-main/tools/reissue-crash-child.ts'),
          // Snapshots and backups off the main thread (worker_threads; see src-main/db/snapshotter.ts).
          'snapshot-worker': main('src-main/db/snapshotWorker.ts'),
          // Invoice and receipt PDFs drawn off the main thread (src-main/pdf/pdfPool.ts).
          'pdf-worker': main('src-main/pdf/pdfWorker.ts'),
          // A large usage import's reading and rating, pipelined with its inserts (src-main/engine/usagePrepare.ts).
          'usage-prepare-worker': main('src-main/usage/prepareWorker.ts')
        },
        external: ['electron', 'better-sqlite3']
      }
    }
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: main('src-main/electron/preload.ts') },
        external: ['electron']
      }
    }
  },
  renderer: {
    root: main('src-renderer'),
    base: './',
    plugins: [react()],
    // pdf.js's worker (src-renderer/src/pdf/pdfjs.ts) is an ES module; bundled as one, served from 'self'.
    worker: { format: 'es' },
    build: {
      outDir: main('out/renderer'),
      rollupOptions: { input: { index: main('src-renderer/index.html') } }
    }
  }
})
