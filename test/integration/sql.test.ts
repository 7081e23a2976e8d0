/**
 * numberOf (src-main/engine/sql.ts): the one number an aggregate query answers, read from a real
 * store: counts (with and without parameters), NULL as null (max over no rows), text-typed numbers
 * as numbers, and the first column of the first row when a query answers more.
 */
import { describe, expect, it } from 'vitest'
import { loadSqlJs } from '../../src-main/db/sqljs'
import { DurableStore } from '../../src-main/db/store'
import { numberOf } from '../../src-main/engine/sql'
import { Engine } from '../../src-main/engine/unitOfWork'
import { tmpDataDir } from '../support/tmp'

const ADMIN = { operatorId: 1, operatorName: 'Administrator' }

async function store() {
  const now = () => Date.parse('2026-11-21T10:00:00Z')
  const s = DurableStore.open({ dataDir: tmpDataDir(), sql: await loadSqlJs(), now, log: () => {} })
  return { store: s, engine: new Engine(s, now) }
}

describe('numberOf', () => {
  it('answers a count, with and without parameters, and 0 for an empty table', async () => {
    const { engine } = await store()
    expect(engine.read((r) => numberOf(r, 'SELECT count(*) FROM custom_field_definitions'))).toBe(0)
    engine.change(ADMIN, (w) => {
      const fields: [string, string][] = [
        ['VAT number', 'text'],
        ['Seats', 'number'],
        ['Opened on', 'date']
      ]
      for (const [name, kind] of fields) {
        w.insert('INSERT INTO custom_field_definitions (name, kind, created_at) VALUES (?, ?, ?)', [name, kind, w.at])
      }
    })
    expect(engine.read((r) => numberOf(r, 'SELECT count(*) FROM custom_field_definitions'))).toBe(3)
    expect(engine.read((r) => numberOf(r, 'SELECT count(*) FROM custom_field_definitions WHERE kind <> ?', ['text']))).toBe(2)
    // Inside a unit of work too (Work is a reader), seeing the work's own writes.
    const inside = engine.change(ADMIN, (w) => {
      w.insert('INSERT INTO custom_field_definitions (name, kind, created_at) VALUES (?, ?, ?)', ['Region', 'text', w.at])
      return numberOf(w, 'SELECT count(*) FROM custom_field_definitions WHERE kind = ?', ['text'])
    })
    expect(inside).toBe(2)
  })

  it('answers null where SQL says NULL, so the caller chooses the default', async () => {
    const { engine } = await store()
    expect(engine.read((r) => numberOf(r, 'SELECT max(id) FROM custom_field_definitions'))).toBeNull()
    expect(engine.read((r) => numberOf(r, 'SELECT NULL'))).toBeNull()
    // No row at all is null too, not 0.
    expect(engine.read((r) => numberOf(r, 'SELECT id FROM custom_field_definitions WHERE id = ?', [42]))).toBeNull()
  })

  it('turns a number stored as text into a number, and reads the first column of the first row', async () => {
    const { engine } = await store()
    expect(engine.read((r) => numberOf(r, "SELECT '1234567'"))).toBe(1234567)
    expect(engine.read((r) => numberOf(r, 'SELECT -176'))).toBe(-176)
    expect(engine.read((r) => numberOf(r, 'SELECT 7, 8 UNION ALL SELECT 9, 10'))).toBe(7)
    const seq = engine.read((r) => numberOf(r, "SELECT value FROM meta WHERE key = 'journal_seq'"))
    expect(typeof seq).toBe('number')
    expect(Number.isInteger(seq)).toBe(true)
  })
})
