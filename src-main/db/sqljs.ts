import fs from 'node:fs'
import initSqlJs, { type SqlJsStatic } from 'sql.js'
import { locateSqlWasm } from '../paths'

let loading: Promise<SqlJsStatic> | null = null

/** The sql.js module, compiled once per process from the WASM file (dev or packaged). */
export function loadSqlJs(): Promise<SqlJsStatic> {
  loading ??= (async () => {
    const wasmBinary = fs.readFileSync(locateSqlWasm())
    const buf = wasmBinary.buffer.slice(wasmBinary.byteOffset, wasmBinary.byteOffset + wasmBinary.byteLength) as ArrayBuffer
    return initSqlJs({ wasmBinary: buf })
  })()
  return loading
}
