/**
 * What each channel reads and changes, declared next to it in the contract: the renderer
 * refreshes a query after a change exactly when the query's channel reads data the change
 * changed, so a missing or wrong declaration is a screen that shows stale figures.
 */
import { describe, expect, it } from 'vitest'
import { CHANNELS, contract, DATA_KINDS, dataUseOf, type Channel } from '../../src-shared/contract'
import { refreshedBy } from '../../src-renderer/src/api/data-use'

/**
 * Channels that change nothing: their verb reads, checks or computes. (`audit.verify` is a change:
 * each run is recorded, with an audit entry, for Settings.)
 */
const READ_VERBS =
  /\.(status|get|list|listAll|check|search|facets|lastVerification|transactions|cardActivity|exportCsv|preview|importPreview|previewVersion|versionAt|compare|totals|customerSummary|history|outOfDatePeriods|retention|retentionPreview|classAssignments|customerAssignments|pdf|events|pending|results|parseCustomerCsv|offPeak|fromRerating|trace|current|report|export|session)$/

describe('channel data declarations', () => {
  it('every channel declares either what it reads or what it changes, never both, with known kinds', () => {
    for (const c of CHANNELS) {
      const def = contract[c] as { reads?: readonly string[]; changes?: readonly string[] }
      const declared = [def.reads, def.changes].filter((d) => d !== undefined)
      expect(declared, c).toHaveLength(1)
      expect(declared[0]!.length, c).toBeGreaterThan(0)
      for (const kind of declared[0]!) expect(DATA_KINDS, `${c}: ${kind}`).toContain(kind)
    }
  })

  it('every mutating channel declares changes and every read channel reads', () => {
    for (const c of CHANNELS) {
      const { reads, changes } = dataUseOf(c)
      if (READ_VERBS.test(c)) expect(reads.length, `${c} should declare reads`).toBeGreaterThan(0)
      else expect(changes.length, `${c} should declare changes`).toBeGreaterThan(0)
    }
  })

  it('every change that goes through the audited unit of work says it changes the audit log', () => {
    // A backup and a restore are file operations, not audited changes of the books; staging a
    // usage file's parts changes nothing until usageImport.start (whose job audits the import);
    // marking a notification read is the reader's own view, not a change of the books.
    const unaudited: Channel[] = ['backup.create', 'backup.restore', 'usageImport.begin', 'usageImport.chunk', 'notifications.markRead']
    for (const c of CHANNELS) {
      if (dataUseOf(c).changes.length === 0 || unaudited.includes(c)) continue
      expect(dataUseOf(c).changes, c).toContain('audit')
    }
  })

  it('every kind of data a screen reads is changed by some channel, and the other way round', () => {
    const read = new Set(CHANNELS.flatMap((c) => dataUseOf(c).reads))
    const changed = new Set(CHANNELS.flatMap((c) => dataUseOf(c).changes))
    expect([...read].sort()).toEqual([...DATA_KINDS].sort())
    expect([...changed].sort()).toEqual([...DATA_KINDS].sort())
  })
})

describe('which queries a successful change refreshes', () => {
  it('an adjustment refreshes the customer, the list, the transactions, the card activity and the audit log, not the services', () => {
    for (const q of ['customers.get', 'customers.list', 'ledger.transactions', 'payments.cardActivity', 'audit.list', 'classes.list'] as const)
      expect(refreshedBy('adjustments.submit', q), q).toBe(true)
    for (const q of ['services.list', 'settings.get', 'customFields.list', 'backup.list'] as const) expect(refreshedBy('adjustments.submit', q), q).toBe(false)
  })

  it('saving the company settings refreshes the header (app.status) and the settings form', () => {
    expect(refreshedBy('settings.update', 'app.status')).toBe(true)
    expect(refreshedBy('settings.update', 'settings.get')).toBe(true)
    expect(refreshedBy('settings.update', 'customers.list')).toBe(false)
  })

  it("renaming a class refreshes the list and the customer page (they show the class's name)", () => {
    expect(refreshedBy('classes.update', 'customers.list')).toBe(true)
    expect(refreshedBy('classes.update', 'customers.get')).toBe(true)
  })

  it('a new service reaches the wizard (services.list) and the Services page (services.listAll)', () => {
    expect(refreshedBy('services.create', 'services.list')).toBe(true)
    expect(refreshedBy('services.update', 'services.listAll')).toBe(true)
  })

  it('a restore refreshes every query but the status, which the screen applies when the person has read the outcome', () => {
    for (const q of CHANNELS.filter((c) => dataUseOf(c).reads.length > 0 && c !== 'app.status')) expect(refreshedBy('backup.restore', q), q).toBe(true)
    expect(refreshedBy('backup.restore', 'app.status')).toBe(false)
  })

  it('a read never refreshes anything', () => {
    for (const c of CHANNELS.filter((c) => dataUseOf(c).reads.length > 0)) for (const q of CHANNELS) expect(refreshedBy(c, q)).toBe(false)
  })
})
