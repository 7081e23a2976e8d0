/**
 * The usage import folder (Settings): CSV files the switch drops there are imported at start-up
 * and every minute while the app runs. Each file is then moved to `imported/` (with rejected rows,
 * if any, listed in its report) or to `rejected/` (a file refused as a whole, or one whose every
 * row was broken), with `<file>.report.txt` beside it. A file still being written is left for the
 * next look: it is taken once its size and time are unchanged between two looks, or are more than
 * a minute old. An import cut short (the app closing, a crash) leaves the file where it was; the
 * next look imports it again, and the records already in are skipped as duplicates.
 */
import fs from 'node:fs'
import path from 'node:path'
import type { Actor } from '../engine/audit'
import type { Engine } from '../engine/unitOfWork'
import { importUsageCsv, USAGE_IMPORT_JOB, type UsageImportSummary } from '../engine/usageImport'
import type { JobRegistry } from '../jobs/registry'
import { describeUsageImport } from './importReport'

export const IMPORTED_DIR = 'imported'
export const REJECTED_DIR = 'rejected'
/** A file untouched this long is complete even if this is the first look at it. */
const SETTLED_MS = 60_000

export interface ImportFolderDeps {
  engine(): Engine
  /** The folder from Settings, or null. */
  folder(): string | null
  jobs: JobRegistry
  actor: Actor
  now(): number
  log(line: string): void
}

export interface FolderFileResult {
  file: string
  movedTo: string | null
  summary: UsageImportSummary | null
  error: string | null
}

export class UsageImportFolder {
  /** Size and time of each file at the previous look. */
  private readonly lastLook = new Map<string, string>()
  private running: Promise<FolderFileResult[]> | null = null

  constructor(private readonly deps: ImportFolderDeps) {}

  /** Look once and import every file that is ready, one after the other. Overlapping calls share one look. */
  look(): Promise<FolderFileResult[]> {
    this.running ??= this.importReady().finally(() => {
      this.running = null
    })
    return this.running
  }

  private async importReady(): Promise<FolderFileResult[]> {
    const folder = this.deps.folder()
    if (!folder) return []
    let names: string[]
    try {
      names = fs.readdirSync(folder)
    } catch (err) {
      this.deps.log(`usage import folder: cannot read ${folder}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`)
      return []
    }
    const results: FolderFileResult[] = []
    const seenNow = new Set<string>()
    for (const name of names.sort()) {
      if (!/\.csv$/i.test(name) || name.startsWith('.')) continue
      const file = path.join(folder, name)
      let st: fs.Stats
      try {
        st = fs.statSync(file)
      } catch {
        continue
      }
      if (!st.isFile()) continue
      seenNow.add(file)
      const look = `${st.size}:${st.mtimeMs}`
      const settled = this.lastLook.get(file) === look || this.deps.now() - st.mtimeMs > SETTLED_MS
      this.lastLook.set(file, look)
      if (!settled) continue
      // The Usage page's import and this one take turns: one import at a time.
      if (this.deps.jobs.running(USAGE_IMPORT_JOB).length > 0) break
      results.push(await this.importFile(folder, file))
      this.lastLook.delete(file)
    }
    for (const file of this.lastLook.keys()) if (!seenNow.has(file)) this.lastLook.delete(file)
    return results
  }

  private async importFile(folder: string, file: string): Promise<FolderFileResult> {
    const name = path.basename(file)
    let csv: string
    try {
      csv = fs.readFileSync(file, 'utf8')
    } catch (err) {
      return { file, movedTo: null, summary: null, error: `cannot read: ${(err as Error).message}` }
    }
    const job = this.deps.jobs.start(USAGE_IMPORT_JOB, 'records', (ctl) =>
      importUsageCsv(
        this.deps.engine(),
        this.deps.actor,
        { source: 'folder', fileName: name, csv },
        {
          signal: ctl.signal,
          pause: ctl.pause,
          onReading: (done, total) => ctl.preparing(done, total, `Import folder: ${name}`),
          onProgress: (done, total) => ctl.progress(done, total, `Import folder: ${name}`)
        }
      )
    )
    const end = await this.deps.jobs.finished<UsageImportSummary>(job.id, USAGE_IMPORT_JOB)
    const summary = end.result
    if (end.state === 'completed' && summary?.state === 'completed') {
      const whollyBroken = summary.imported + summary.duplicates === 0 && summary.rejected > 0
      const movedTo = this.move(folder, file, whollyBroken ? REJECTED_DIR : IMPORTED_DIR, describeUsageImport(summary))
      this.deps.log(`usage import folder: ${name} -> ${path.relative(folder, movedTo)} (${summary.imported} imported, ${summary.rejected} rejected)`)
      return { file, movedTo, summary, error: null }
    }
    if (summary?.state === 'failed' && summary.lines === 0) {
      // Refused as a whole (empty, no usable header): nothing was imported, and trying again will not help.
      const movedTo = this.move(folder, file, REJECTED_DIR, describeUsageImport(summary))
      this.deps.log(`usage import folder: ${name} -> ${path.relative(folder, movedTo)}: ${summary.problems[0]?.message ?? 'refused'}`)
      return { file, movedTo, summary, error: summary.problems[0]?.message ?? 'refused' }
    }
    // Cancelled (the app is closing) or a batch that could not be written: left in place, and the
    // next look imports it again (what is already in is skipped as duplicates).
    const why = end.error?.message ?? summary?.problems.at(-1)?.message ?? summary?.state ?? end.state
    this.deps.log(`usage import folder: ${name} left in place (${why}); it is imported again at the next look`)
    return { file, movedTo: null, summary, error: why }
  }

  /** Move the file into `sub/` (never over another file) and write its report beside it. */
  private move(folder: string, file: string, sub: string, report: string): string {
    const dir = path.join(folder, sub)
    fs.mkdirSync(dir, { recursive: true })
    const ext = path.extname(file)
    const base = path.basename(file, ext)
    let target = path.join(dir, `${base}${ext}`)
    for (let n = 2; fs.existsSync(target) || fs.existsSync(`${target}.report.txt`); n++) target = path.join(dir, `${base} (${n})${ext}`)
    fs.writeFileSync(`${target}.report.txt`, report)
    fs.renameSync(file, target)
    return target
  }
}
