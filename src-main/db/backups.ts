import fs from 'node:fs'
import path from 'node:path'
import type { SqlJsStatic } from 'sql.js'
import type { BackupInfo } from '../../src-shared/domain'
import { AppError } from '../../src-shared/errors'
import { writeFileAtomic } from './files'
import { MIGRATIONS } from './migrate'
import { openVerified } from './store'

export const BACKUP_DIR = 'backups'
export const DAILY_BACKUPS_KEPT = 14

const NAME_RE = /^(daily|manual|before-restore)-(\d{8}T\d{6}(?:\d{3})?Z|\d{4}-\d{2}-\d{2})(?:-\d+)?\.sqlite$/

/** 2026-11-22T00:15:00.123Z -> 20261122T001500123Z */
function stamp(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:.]/g, '')
}

export function dayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10)
}

/** Backup files: daily ones rotate (14 kept); manual and before-restore ones stay until removed. */
export class Backups {
  readonly dir: string

  constructor(
    dataDir: string,
    private readonly sql: SqlJsStatic,
    private readonly now: () => number
  ) {
    this.dir = path.join(dataDir, BACKUP_DIR)
  }

  list(): BackupInfo[] {
    if (!fs.existsSync(this.dir)) return []
    const out: BackupInfo[] = []
    for (const fileName of fs.readdirSync(this.dir)) {
      const m = NAME_RE.exec(fileName)
      if (!m) continue
      const st = fs.statSync(path.join(this.dir, fileName))
      out.push({ fileName, createdAt: st.mtime.toISOString(), sizeBytes: st.size, kind: m[1] as BackupInfo['kind'] })
    }
    return out.sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : b.fileName.localeCompare(a.fileName)))
  }

  write(kind: BackupInfo['kind'], bytes: Uint8Array): BackupInfo {
    const file = this.pathFor(kind)
    writeFileAtomic(file, bytes)
    return this.infoOf(file, kind)
  }

  /** Where the next backup of this kind goes (the folder is created). */
  pathFor(kind: BackupInfo['kind']): string {
    fs.mkdirSync(this.dir, { recursive: true })
    let fileName = kind === 'daily' ? `daily-${dayOf(this.now())}.sqlite` : `${kind}-${stamp(this.now())}.sqlite`
    // Two manual backups in the same millisecond (a double click) must not overwrite each other.
    for (let n = 2; kind !== 'daily' && fs.existsSync(path.join(this.dir, fileName)); n++) {
      fileName = `${kind}-${stamp(this.now())}-${n}.sqlite`
    }
    return path.join(this.dir, fileName)
  }

  /** A written backup file, as listed. */
  infoOf(file: string, kind: BackupInfo['kind']): BackupInfo {
    const st = fs.statSync(file)
    return { fileName: path.basename(file), createdAt: st.mtime.toISOString(), sizeBytes: st.size, kind }
  }

  hasDailyForToday(): boolean {
    return fs.existsSync(path.join(this.dir, `daily-${dayOf(this.now())}.sqlite`))
  }

  /** Keep the newest DAILY_BACKUPS_KEPT daily backups. */
  prune(): string[] {
    const daily = this.list()
      .filter((b) => b.kind === 'daily')
      .sort((a, b) => b.fileName.localeCompare(a.fileName))
    const removed = daily.slice(DAILY_BACKUPS_KEPT).map((b) => b.fileName)
    for (const f of removed) fs.rmSync(path.join(this.dir, f), { force: true })
    return removed
  }

  pathOf(fileName: string): string {
    if (!NAME_RE.test(fileName)) throw new AppError('VALIDATION', `"${fileName}" is not a backup file name.`, 'fileName')
    const p = path.join(this.dir, fileName)
    if (!fs.existsSync(p)) throw new AppError('NOT_FOUND', `Backup ${fileName} does not exist.`, 'fileName')
    return p
  }

  /**
   * Read and check a file offered for restore: a readable, intact Callshop billing desk database
   * that this version can open. Returns its bytes; changes nothing.
   */
  readRestorable(file: string): Uint8Array {
    let bytes: Buffer
    try {
      bytes = fs.readFileSync(file)
    } catch (err) {
      throw new AppError('NOT_FOUND', `Cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}.`, 'path')
    }
    let db
    try {
      db = openVerified(this.sql, bytes, path.basename(file))
    } catch (err) {
      throw new AppError('DB_CORRUPT', (err as Error).message, 'path')
    }
    try {
      const has = db.exec("SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('schema_migrations', 'settings', 'meta')")
      if ((has[0]?.values.length ?? 0) !== 3) {
        throw new AppError('VALIDATION', `${path.basename(file)} is a SQLite file but not a Callshop billing desk database.`, 'path')
      }
      const maxKnown = MIGRATIONS.at(-1)?.version ?? 0
      const newest = Number(db.exec('SELECT max(version) FROM schema_migrations')[0]?.values[0]?.[0] ?? 0)
      if (newest > maxKnown) {
        throw new AppError('DB_VERSION', `${path.basename(file)} was written by a newer version of Callshop billing desk.`, 'path')
      }
    } finally {
      db.close()
    }
    return bytes
  }
}
