import type { Operator } from '../../src-shared/domain'
import type { AppCore } from '../app'
import { CARD_OPERATIONS, planAdjustment, submitAdjustment } from '../engine/adjustments'
import { reconcileCardPayments, submitCardAdjustment } from '../engine/payments'
import { cardActivity } from '../engine/cardActivity'
import { listAudit, verifyAuditChain, type Actor } from '../engine/audit'
import { checkLedger, listTransactions } from '../engine/ledger'
import { createClass, listClasses, updateClass } from '../engine/customerClasses'
import {
  addAccount,
  createCustomer,
  createCustomField,
  exportCustomersCsv,
  getCustomerDetail,
  listCustomFields,
  listCustomers,
  updateCustomer
} from '../engine/customers'
import { changeStatus } from '../engine/lifecycle'
import { commitImport, previewImport } from '../engine/customerImport'
import { completeSetup, getSettings, updateSettings } from '../engine/settings'
import { createService, listAllServices, listServices, updateService } from '../engine/services'
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

  'backup.create': (input, { core }) => core.backupNow('manual', input.path === undefined ? undefined : { path: input.path, overwrite: input.overwrite }),

  'backup.check': (input, { core }) => core.checkRestoreSource(input.source),

  'backup.restore': (input, { core, operator }) => core.restoreFrom(input.source, operator),

  'customers.list': (input, { core }) => core.engine.read((r) => listCustomers(r, core.customerIndex, input)),

  'customers.exportCsv': (input, { core }) => core.engine.read((r) => exportCustomersCsv(r, core.customerIndex, input, core.nowIso())),

  'customers.get': (input, { core }) => core.engine.read((r) => getCustomerDetail(r, input.id, core.nowIso())),

  'customers.create': (input, { core, actor }) => {
    const engine = core.engine
    const id = engine.change(actor, (w) => createCustomer(w, input))
    return engine.read((r) => getCustomerDetail(r, id, core.nowIso()))
  },

  'customers.update': (input, { core, actor }) => {
    const engine = core.engine
    engine.change(actor, (w) => updateCustomer(w, input))
    return engine.read((r) => getCustomerDetail(r, input.id, core.nowIso()))
  },

  'customers.changeStatus': (input, { core, actor }) => {
    const engine = core.engine
    engine.change(actor, (w) => changeStatus(w, input))
    return engine.read((r) => getCustomerDetail(r, input.id, core.nowIso()))
  },

  'customers.addAccount': (input, { core, actor }) => {
    const engine = core.engine
    engine.change(actor, (w) => addAccount(w, input.id, input.accountId))
    return engine.read((r) => getCustomerDetail(r, input.id, core.nowIso()))
  },

  'customers.importPreview': (input, { core }) => core.engine.read((r) => previewImport(r, input.csv)),

  'customers.importCommit': (input, { core, actor }) => core.engine.change(actor, (w) => commitImport(w, input.csv, input.onlyValidRows)),

  'adjustments.preview': (input, { core }) => core.engine.read((r) => planAdjustment(r, input, core.nowIso()).impact),

  'adjustments.submit': (input, { core, actor }) =>
    CARD_OPERATIONS.has(input.operation)
      ? submitCardAdjustment({ engine: core.engine, gateway: core.gateway, actor }, input)
      : core.engine.change(actor, (w) => submitAdjustment(w, input)),

  'payments.reconcile': (_input, { core, actor }) => reconcileCardPayments({ engine: core.engine, gateway: core.gateway, actor }),

  'payments.cardActivity': (input, { core }) => core.engine.read((r) => cardActivity(r, input.customerId, core.nowIso())),

  'ledger.check': (_input, { core }) => core.engine.read(checkLedger),

  'ledger.transactions': (input, { core }) => core.engine.read((r) => listTransactions(r, input)),

  'services.list': (_input, { core }) => core.engine.read(listServices),

  'services.listAll': (_input, { core }) => core.engine.read(listAllServices),

  'services.create': (input, { core, actor }) => core.engine.change(actor, (w) => createService(w, input)),

  'services.update': (input, { core, actor }) => core.engine.change(actor, (w) => updateService(w, input)),

  'classes.list': (_input, { core }) => core.engine.read(listClasses),

  'classes.create': (input, { core, actor }) => core.engine.change(actor, (w) => createClass(w, input)),

  'classes.update': (input, { core, actor }) => {
    const { id, ...fields } = input
    const updated = core.engine.change(actor, (w) => updateClass(w, id, fields))
    core.customerIndex.reset() // class names are part of every listed row
    return updated
  },

  'customFields.list': (_input, { core }) => core.engine.read(listCustomFields),

  'customFields.create': (input, { core, actor }) => core.engine.change(actor, (w) => createCustomField(w, input.name, input.kind)),

  'audit.list': (input, { core }) => core.engine.read((r) => listAudit(r, input)),

  'audit.verify': (_input, { core }) => core.engine.read(verifyAuditChain)
}
