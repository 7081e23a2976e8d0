import fs from 'node:fs'
import path from 'node:path'
import type { SqlJsStatic } from 'sql.js'
import type { BackupInfo } from '../../src-shared/domain'
import { AppError } from '../../src-shared/errors'
import { fileProblem, makePrivateDir, writeFileAtomic } from './files'
import { lineageOf } from './journalArchive'
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
    makePrivateDir(this.dir)
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
   * that this version can open. Returns its bytes and the last change it holds; changes nothing.
   */
  readRestorable(file: string): RestorableFile {
    const { bytes, mtime } = readRegularFile(file)
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
      const lastChange = Number(db.exec("SELECT value FROM meta WHERE key = 'journal_seq'")[0]?.values[0]?.[0] ?? 0)
      return { bytes, lastChange, lineage: lineageOf(db), modifiedAt: mtime.toISOString() }
    } finally {
      db.close()
    }
  }
}

export interface RestorableFile {
  bytes: Uint8Array
  /** The sequence number of the last journal change the database holds. */
  lastChange: number
  /** Its history (see journalArchive.ts): only that lineage's journal records are replayed onto it. */
  lineage: string
  modifiedAt: string
}

/**
 * Read a file the administrator named, refusing anything but a regular file. It is opened without
 * blocking first: reading a named pipe (FIFO) would wait, with the whole main process, until
 * something writes into it.
 */
function readRegularFile(file: string): { bytes: Buffer; mtime: Date } {
  let fd: number
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0))
  } catch (err) {
    throw fileProblem(err, file, 'read')
  }
  try {
    const st = fs.fstatSync(fd)
    if (st.isDirectory()) throw new AppError('VALIDATION', `${file} is a folder. Give the path of a backup file in it.`, 'path')
    if (!st.isFile()) throw new AppError('VALIDATION', `${file} is not an ordinary file (it is a pipe, a device or a socket). Give the path of a backup file.`, 'path')
    try {
      return { bytes: fs.readFileSync(fd), mtime: st.mtime }
    } catch (err) {
      throw fileProblem(err, file, 'read')
    }
  } finally {
    fs.closeSync(fd)
  }
}

/** Case-insensitive file systems (Windows, macOS by default) compare paths without case. */
function samePathKey(p: string): string {
  return process.platform === 'win32' || process.platform === 'darwin' ? p.toLowerCase() : p
}

function isInside(child: string, parent: string): boolean {
  const rel = path.relative(samePathKey(parent), samePathKey(child))
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel))
}

/**
 * Where a manual backup to a chosen path may go. Never inside the data folder (other than its
 * backups folder): a backup written over the journal or the lock file would destroy the books or
 * let a second desk in. Never over an existing file unless `overwrite` (the dialog asked), and
 * never onto anything but a regular file (a folder, pipe or link). Paths are compared after
 * resolving links, so a link into the data folder does not get around it. Returns the real path.
 */
export function manualBackupTarget(dataDir: string, requested: string, overwrite: boolean): string {
  const target = path.resolve(requested)
  const folder = path.dirname(target)
  // The backups folder is made with the first backup; a chosen name in it may come first.
  if (samePathKey(folder) === samePathKey(path.join(path.resolve(dataDir), BACKUP_DIR))) makePrivateDir(folder)
  let realFolder: string
  try {
    realFolder = fs.realpathSync.native(folder)
  } catch (err) {
    throw fileProblem(err, target, 'write')
  }
  if (!fs.statSync(realFolder).isDirectory()) throw new AppError('VALIDATION', `${folder} is a file, not a folder.`, 'path')
  const real = path.join(realFolder, path.basename(target))
  let existing: fs.Stats | null = null
  try {
    existing = fs.lstatSync(real)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw fileProblem(err, target, 'write')
  }
  if (existing?.isDirectory()) {
    throw new AppError('VALIDATION', `${target} is a folder. Give a file name for the backup, e.g. ${path.join(target, 'billing-backup.sqlite')}.`, 'path')
  }
  if (existing?.isSymbolicLink()) {
    throw new AppError('VALIDATION', `${target} is a link to another file. Give the path of an ordinary file for the backup.`, 'path')
  }
  if (existing && !existing.isFile()) {
    throw new AppError('VALIDATION', `${target} is not an ordinary file (it is a pipe, a device or a socket). Choose another file name.`, 'path')
  }
  const realData = fs.realpathSync.native(dataDir)
  if (isInside(real, realData) && samePathKey(realFolder) !== samePathKey(path.join(realData, BACKUP_DIR))) {
    throw new AppError(
      'VALIDATION',
      `${target} is inside the data folder ${dataDir}, where the desk keeps its own files. Choose a place outside it, or use "Back up now" to make a backup in its backups folder.`,
      'path'
    )
  }
  if (existing && !overwrite) throw new AppError('CONFLICT', `${target} already exists. Confirm to replace it, or choose another file name.`, 'path')
  return real
}
