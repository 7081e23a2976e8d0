import type { DbWriter } from '../db/store'
import type { Work } from '../engine/unitOfWork'
import { generateDemoData, type DemoSize } from './generate'

/** Load demo data inside a unit of work, with one audit entry saying what was loaded. */
export function loadDemoData(w: Work, size: DemoSize): void {
  const made = generateDemoData(w as DbWriter, { size, at: w.at })
  w.audit({
    kind: 'demo.load',
    description: `Demo data (size ${size}) loaded: ${made.customers} customers, ${made.classes} customer classes, ${made.services} services, ${made.usageRecords} usage records.`
  })
}
