/**
 * usage.rate_1m_s for the benchmark (bench.ts): import and rate 1M usage records through
 * importUsageCsv on a store already loaded with demo data, as the Usage page's job does it
 * (a macrotask turn between batches). The file is made before the clock starts.
 */
import fs from 'node:fs'
import { performance } from 'node:perf_hooks'
import { mulberry32 } from '../demo/random'
import type { DurableStore } from '../db/store'
import { FIRST_ADMIN_ACTOR } from '../engine/operators'
import { createPriceList, uploadVersion } from '../engine/priceLists'
import { Engine } from '../engine/unitOfWork'
import { importUsageCsv, type UsageImportSummary } from '../engine/usageImport'

export interface UsageImportBench {
  seconds: number
  summary: UsageImportSummary
  fileMb: number
  batches: number
  /** Process CPU seconds (user + system, every thread) over the import: wall time on a shared machine is what other work left us. */
  cpuSeconds: number
  /** This (the main) thread's CPU seconds over the import, where Linux tells it (/proc/thread-self/stat); the rest of `cpuSeconds` is the worker's and the runtime's other threads'. */
  mainThreadCpuSeconds: number | null
  /**
   * Of that, the seconds in the kernel and the page faults taken (the first write to a page of
   * new memory costs ~12 µs on the build VM; the database's growth is touched ahead by another
   * thread, see PageWarmer in src-main/db/memfile.ts). Steadier from run to run than the times.
   */
  mainThreadKernel: { seconds: number; faults: number } | null
  /** Seconds from the call to the first batch: reading and checking the whole file. */
  readSeconds: number
  /** The longest time between two batches' progress (ms): a batch's unit of work, its journal flush and the wait for the worker's next batch. */
  longestBatchMs: number
  /** The database's size before and after the import (MiB). */
  dbMb: [number, number]
}

/** This thread's CPU seconds (user + system), of them in the kernel, and its minor page faults (Linux; null elsewhere). Clock ticks of 1/100 s. */
function threadStats(): { cpu: number; kernel: number; faults: number } | null {
  try {
    const stat = fs.readFileSync('/proc/thread-self/stat', 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return { cpu: (Number(fields[11]) + Number(fields[12])) / 100, kernel: Number(fields[12]) / 100, faults: Number(fields[7]) }
  } catch {
    return null
  }
}

const dbMb = (engine: Engine) => engine.read((r) => Number(r.values('PRAGMA page_count')[0]?.[0]) * Number(r.values('PRAGMA page_size')[0]?.[0])) / 2 ** 20

/** A price list per currency (5,000 prefixes), set as every customer's list for voice and SMS. */
function pricesForEveryone(engine: Engine, rand: () => number): string[] {
  const digits = (n: number) => Array.from({ length: n }, () => String(Math.floor(rand() * 10))).join('')
  const prefixes = new Set<string>()
  while (prefixes.size < 5000) prefixes.add(String(1 + Math.floor(rand() * 9)) + digits(1 + Math.floor(rand() * 5)))
  const list = [...prefixes]
  const csv = [
    'prefix,price_per_minute,connection_fee,first_interval,next_interval,free_seconds',
    ...list.map((p, i) => `${p},0.${String(100 + (i % 900)).padStart(3, '0')}5,${i % 3 === 0 ? '0.01' : '0'},${i % 2 ? 30 : 60},${i % 2 ? 6 : 60},${i % 5 === 0 ? 5 : 0}`)
  ].join('\n')
  const currencies = engine.read((r) => r.values('SELECT DISTINCT currency FROM customers ORDER BY 1').map((v) => String(v[0])))
  engine.change(FIRST_ADMIN_ACTOR, (w) => {
    for (const currency of currencies) {
      const pl = createPriceList(w, { name: `Bench tariff ${currency}`, currency: currency as never })
      uploadVersion(w, { priceListId: pl.id, csv, effectiveFrom: '2020-01-01T00:00:00.000Z' })
    }
    w.run(`INSERT OR REPLACE INTO customer_price_lists (customer_id, service_id, price_list_id)
      SELECT c.id, s.id, p.id FROM customers c JOIN price_lists p ON p.currency = c.currency AND p.name LIKE 'Bench tariff %'
      CROSS JOIN services s WHERE s.code IN ('voice', 'sms')`)
  })
  return list
}

/** `n` usage records in time order over 30 days from the oldest usage in the database: 80% voice, 20% SMS, about 1% to unpriced numbers and 0.1% to unknown accounts. */
function usageFile(engine: Engine, prefixes: string[], n: number, rand: () => number): string {
  const accounts = engine.read((r) =>
    r.values("SELECT a.account_id FROM accounts a JOIN customers c ON c.id = a.customer_id WHERE a.status = 'active' ORDER BY a.id").map((v) => String(v[0]))
  )
  // From the day of the oldest usage already in (the demo's first of its 60 days), whatever the
  // date the bench runs on: the file's 30 days always land among records already in, the hard
  // case for the time indexes. (Until 2026-12-01 this was October 2026, which the demo's window
  // moves away from as the calendar goes on.)
  const oldest = engine.read((r) => r.get<{ at: string | null }>("SELECT min(started_at) AS at FROM xdrs WHERE kind = 'usage'"))?.at ?? null
  const start = oldest === null ? Date.parse('2026-10-01T00:00:00Z') : Date.parse(`${oldest.slice(0, 10)}T00:00:00Z`)
  const parts: string[] = ['switch_record_id,account,start_time,duration,called_number,service']
  for (let i = 0; i < n; i++) {
    const t = new Date(start + Math.floor((i * 30 * 86_400_000) / n)).toISOString().replace('.000Z', '+00:00')
    const account = rand() < 0.001 ? `UNKNOWN-${i}` : accounts[Math.floor(rand() * accounts.length)]!
    const voice = rand() < 0.8
    const number = rand() < 0.01 ? `+0${Math.floor(rand() * 1e9)}` : `+${prefixes[Math.floor(rand() * prefixes.length)]}${Math.floor(1e6 + rand() * 9e6)}`
    const d = rand()
    parts.push(`SW${i},${account},${t},${voice ? 5 + Math.floor(d * d * d * 3596) : 0},${number},${voice ? 'voice' : 'sms'}`)
  }
  return parts.join('\n')
}

export async function benchUsageImport(store: DurableStore, n = 1_000_000): Promise<UsageImportBench> {
  const engine = new Engine(store, Date.now)
  const rand = mulberry32(31337)
  const prefixes = pricesForEveryone(engine, rand)
  const csv = usageFile(engine, prefixes, n, rand)
  let batches = 0
  const before = dbMb(engine)
  const cpu0 = process.cpuUsage()
  const thread0 = threadStats()
  const t0 = performance.now()
  let last = t0
  let readEnd = t0
  let longest = 0
  const summary = await importUsageCsv(
    engine,
    FIRST_ADMIN_ACTOR,
    { source: 'command-line', fileName: 'bench-usage.csv', csv },
    {
      onProgress: (done) => {
        const now = performance.now()
        if (done === 0) readEnd = now
        if (done > 0) {
          batches++
          longest = Math.max(longest, now - last)
        }
        last = now
      },
      // As the job registry's pause: a macrotask turn, where a due background snapshot starts.
      pause: () =>
        new Promise((resolve) => setImmediate(resolve)).then(() => {
          last = performance.now()
        })
    }
  )
  const seconds = (performance.now() - t0) / 1000
  const cpu = process.cpuUsage(cpu0)
  const thread1 = threadStats()
  return {
    seconds,
    summary,
    fileMb: Buffer.byteLength(csv) / 2 ** 20,
    batches,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    readSeconds: (readEnd - t0) / 1000,
    longestBatchMs: longest,
    mainThreadCpuSeconds: thread0 === null || thread1 === null ? null : thread1.cpu - thread0.cpu,
    mainThreadKernel: thread0 === null || thread1 === null ? null : { seconds: thread1.kernel - thread0.kernel, faults: thread1.faults - thread0.faults },
    dbMb: [before, dbMb(engine)]
  }
}
