import type { Operator } from '../../src-shared/domain'
import type { AppCore } from '../app'
import { listAudit, verifyAuditChain, type Actor } from '../engine/audit'
import { listCustomers } from '../engine/customers'
import { completeSetup, getSettings, updateSettings } from '../engine/settings'
import { loadDemoData } from '../demo/load'
import { AppError } from '../../src-shared/errors'
import type { HandlerTable } from './dispatch'

export interface HandlerContext {
  core: AppCore
  operator: Operator
  actor: Actor
}

/** The one handler table both transports serve: input is already validated and role-checked. */
export const handlers: HandlerTable<HandlerContext> = {
  'app.status': (_input, { core, operator }) => core.status(operator),

  'setup.complete': (input, { core, operator, actor }) => {
    const settings = { companyName: input.companyName, address: input.address, defaultCurrency: input.defaultCurrency }
    // Setup and the demo data land in one commit: a crash leaves either both or neither.
    core.engine.change(actor, (w) => {
      completeSetup(w, settings)
      if (input.loadDemoData) loadDemoData(w, 'S')
    })
    return core.status(operator)
  },

  'settings.get': (_input, { core }) => {
    const s = core.engine.read(getSettings)
    if (!s) throw new AppError('SETUP_REQUIRED', 'Complete the first-run setup first.')
    return s
  },

  'settings.update': (input, { core, actor }) => core.engine.change(actor, (w) => updateSettings(w, input)),

  'backup.list': (_input, { core }) => core.backups.list(),

  'backup.create': (input, { core }) => core.backupNow('manual', input.path),

  'backup.restore': (input, { core, operator }) => {
    const file = input.source.kind === 'backup' ? core.backups.pathOf(input.source.fileName) : input.source.path
    const bytes = core.backups.readRestorable(file)
    core.restore(bytes, input.source.kind === 'backup' ? `backup ${input.source.fileName}` : `file ${file}`, operator)
    return core.status(operator)
  },

  'customers.list': (input, { core }) => core.engine.read((r) => listCustomers(r, input)),

  'audit.list': (input, { core }) => core.engine.read((r) => listAudit(r, input)),

  'audit.verify': (_input, { core }) => core.engine.read(verifyAuditChain)
}
