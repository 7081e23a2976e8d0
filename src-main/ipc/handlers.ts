import type { InputOf } from '../../src-shared/contract'
import type { JobRegistry } from '../jobs/registry'
import type { AppStatus, BackupInfo, Operator, RestoreCandidate, RestoreOutcome } from '../../src-shared/domain'
import type { CustomerIndex } from '../engine/customerIndex'
import type { PaymentGateway } from '../engine/gateway'
import type { Engine } from '../engine/unitOfWork'
import { CARD_OPERATIONS, previewAdjustment, submitAdjustment } from '../engine/adjustments'
import { reconcileCardPayments, submitCardAdjustment } from '../engine/payments'
import { cardActivity } from '../engine/cardActivity'
import { auditFacets, exportAuditCsv, lastVerification, listAudit, recordVerification, searchAudit, verifyAuditChainInTurns, type Actor } from '../engine/audit'
import { checkLedger, listTransactions } from '../engine/ledger'
import { createClass, listClasses, updateClass } from '../engine/customerClasses'
import {
  assignToClass,
  compareVersion,
  createPriceList,
  getPriceList,
  listPriceLists,
  overrideForCustomer,
  previewVersion,
  uploadVersion,
  versionAt
} from '../engine/priceLists'
import { classPriceLists, customerPriceLists, removeClassAssignment, removeCustomerOverride } from '../engine/priceListAssignments'
import { addAccount } from '../engine/accounts'
import { getCustomerDetail } from '../engine/customerDetail'
import { exportCustomersCsv } from '../engine/customerExport'
import { createCustomer, updateCustomer } from '../engine/customerEdit'
import { listCustomers } from '../engine/customerList'
import { createCustomField, listCustomFields } from '../engine/customFields'
import { changeStatus } from '../engine/lifecycle'
import { commitImport, previewImport } from '../engine/customerImport'
import { completeSetup, getSettings, updateSettings } from '../engine/settings'
import { createService, listAllServices, listServices, updateService } from '../engine/services'
import { loadDemoData } from '../demo/load'
import { browseUsage, customerUsageSummary, exportUsageCsv, usageTotals } from '../engine/usageBrowser'
import { listReratings, outOfDatePeriods, prepareRerating, previewRerating } from '../engine/rerating'
import { closeDuePeriods, getInvoice, issueInvoicesToNow, reduceAmountDue } from '../engine/invoicing'
import {
  type BatchControl,
  batchResults,
  cancelRunningBatch,
  cancelScheduledBatch,
  getBatch,
  isBatchActive,
  listBatches,
  listNotifications,
  markNotificationsRead,
  offPeakWindow,
  parseCustomerCsv,
  planBatch,
  setOffPeakWindow,
  previewCsv,
  previewReissue,
  resultsCsv,
  runBatch,
  selectionFromRerating
} from '../engine/reissue'
import { exportInvoicesCsv, invoiceEvents, listInvoices } from '../engine/invoiceList'
import { trace } from '../engine/trace'
import { issueOutOfTurnInvoice, pendingOutOfTurnItems, previewOutOfTurnInvoice } from '../engine/outOfTurnInvoices'
import { currentInvoicePdf, getInvoiceDocumentVersion, listInvoiceDocuments } from '../engine/invoiceDocuments'
import { adjustmentReceipt } from '../engine/receiptDocuments'
import { checkLogo, companyLogoInfo, removeCompanyLogo, setCompanyLogo } from '../engine/companyLogo'
import { invoicePdf } from '../pdf/invoicePdf'
import { receiptPdf } from '../pdf/receiptPdf'
import { shiftReportPdf } from '../pdf/shiftReportPdf'
import { closeShift, currentShift, exportShiftsCsv, listShifts, openShift, shiftReport } from '../engine/shifts'
import { getRetention, previewPurge, purgeUsage, setRetentionMonths } from '../engine/usageRetention'
import { AppError } from '../../src-shared/errors'
import type { HandlerTable } from './dispatch'
import { usageImportHandlers } from './usageImportHandlers'
import { checkOperationRole, operatorHandlers, startSession } from './operatorHandlers'
import type { CallerContext } from './dispatch'
import type { Sessions } from './sessions'
import { FIRST_ADMIN_ID, hashPassword, setupFirstAdmin, type KdfParams } from '../engine/operators'

type RestoreSource = InputOf<'backup.restore'>['source']

/** The job kind of a re-rating in the JobRegistry. */
const RERATING_JOB = 'rerating'
const INVOICE_CLOSE_JOB = 'invoice-close'
const REISSUE_JOB = 'reissue'
/** Re-issue batch id -> the job running it in this process. */
const reissueJobs = new Map<number, string>()

/** Backups as the Settings page uses them (the app owns the files and the restore). */
export interface BackupDesk {
  list(): BackupInfo[]
  /** Writes the copy, then an audit entry naming it, made by `operator`. */
  create(to: { path: string; overwrite: boolean } | undefined, operator: Operator): Promise<BackupInfo>
  check(source: RestoreSource): RestoreCandidate
  restore(source: RestoreSource, operator: Operator | null): RestoreOutcome
}

/** What the handlers use of the running app, and nothing more. */
export interface HandlerServices {
  /** The unit of work over the open database; throws DB_CORRUPT while it awaits a restore. */
  engine(): Engine
  customerIndex: CustomerIndex
  backups: BackupDesk
  gateway: PaymentGateway
  /** The current moment as ISO text (tests pass a controllable clock). */
  nowIso(): string
  status(operator: Operator | null, locked: boolean): AppStatus
  /** Long work (usage import, re-rating) run in bounded units with progress and Cancel. */
  jobs: JobRegistry
  /** Who is logged in where (main process only). */
  sessions: Sessions
  /** The cost of new password hashes. */
  kdf(): KdfParams
  /** A batch re-issue's PDFs, drawn on worker threads as it re-issues (AppCore.reissuePdfs). */
  reissuePdfs(engine: Engine, actor: Actor): Pick<BatchControl, 'onReissued' | 'beforeFinish'>
}

export interface HandlerContext extends HandlerServices {
  /** Who acts: the logged-in operator (for a caller nobody is logged in as: the System, on open channels only). */
  operator: Operator
  actor: Actor
  /** The logged-in operator, or null. */
  signedIn: Operator | null
  sessionId: string | null
  locked: boolean
  caller: CallerContext
}

/** The one handler table both transports serve: input is already validated and role-checked. */
export const handlers: HandlerTable<HandlerContext> = {
  'app.status': (_input, { status, signedIn, locked }) => status(signedIn, locked),

  'setup.complete': async (input, ctx) => {
    const settings = { companyName: input.companyName, address: input.address, defaultCurrency: input.defaultCurrency }
    const hash = await hashPassword(input.adminPassword, ctx.kdf())
    // The first administrator makes the setup; setup, the administrator and the demo data land in
    // one commit: a crash leaves either all or none.
    ctx.engine().change({ operatorId: FIRST_ADMIN_ID, operatorName: input.adminName }, (w) => {
      setupFirstAdmin(w, { login: input.adminLogin, name: input.adminName }, hash)
      completeSetup(w, settings)
      if (input.loadDemoData) loadDemoData(w, 'S')
    })
    // Whoever set the desk up is logged in as its administrator.
    return startSession(ctx, { id: FIRST_ADMIN_ID, login: input.adminLogin, name: input.adminName, role: 'administrator' })
  },

  'settings.get': (_input, { engine }) => {
    const s = engine().read(getSettings)
    if (!s) throw new AppError('SETUP_REQUIRED', 'Complete the first-run setup first.')
    return s
  },

  'settings.update': (input, { engine, actor }) => engine().change(actor, (w) => updateSettings(w, input)),

  'backup.list': (_input, { backups }) => backups.list(),

  'backup.create': (input, { backups, operator }) => backups.create(input.path === undefined ? undefined : { path: input.path, overwrite: input.overwrite }, operator),

  'backup.check': (input, { backups }) => backups.check(input.source),

  'backup.restore': (input, { backups, signedIn }) => backups.restore(input.source, signedIn),

  'customers.list': (input, { engine, customerIndex }) => engine().read((r) => listCustomers(r, customerIndex, input)),

  'customers.exportCsv': (input, { engine, customerIndex, nowIso }) => engine().read((r) => exportCustomersCsv(r, customerIndex, input, nowIso())),

  'customers.get': (input, { engine, nowIso }) => engine().read((r) => getCustomerDetail(r, input.id, nowIso())),

  'customers.create': (input, { engine, nowIso, actor }) => {
    const id = engine().change(actor, (w) => createCustomer(w, input))
    return engine().read((r) => getCustomerDetail(r, id, nowIso()))
  },

  'customers.update': (input, { engine, nowIso, actor }) => {
    engine().change(actor, (w) => updateCustomer(w, input))
    return engine().read((r) => getCustomerDetail(r, input.id, nowIso()))
  },

  'customers.changeStatus': (input, { engine, nowIso, actor }) => {
    engine().change(actor, (w) => changeStatus(w, input, issueInvoicesToNow))
    return engine().read((r) => getCustomerDetail(r, input.id, nowIso()))
  },

  'customers.addAccount': (input, { engine, nowIso, actor }) => {
    engine().change(actor, (w) => addAccount(w, input.id, input.accountId))
    return engine().read((r) => getCustomerDetail(r, input.id, nowIso()))
  },

  'customers.importPreview': (input, { engine }) => engine().read((r) => previewImport(r, input.csv)),

  'customers.importCommit': (input, { engine, actor }) => engine().change(actor, (w) => commitImport(w, input.csv, input.onlyValidRows)),

  'adjustments.preview': (input, { engine, nowIso, operator }) => {
    checkOperationRole(operator, input.operation)
    return engine().read((r) => previewAdjustment(r, input, nowIso(), operator.id))
  },

  'adjustments.submit': (input, { engine, gateway, actor, operator }) => {
    checkOperationRole(operator, input.operation)
    return CARD_OPERATIONS.has(input.operation)
      ? submitCardAdjustment({ engine: engine(), gateway, actor }, input)
      : engine().change(actor, (w) => submitAdjustment(w, input))
  },

  'payments.reconcile': (_input, { engine, gateway, actor }) => reconcileCardPayments({ engine: engine(), gateway, actor }),

  'payments.cardActivity': (input, { engine, nowIso }) => engine().read((r) => cardActivity(r, input.customerId, nowIso())),

  'ledger.check': (_input, { engine }) => engine().read(checkLedger),

  'ledger.transactions': (input, { engine }) => engine().read((r) => listTransactions(r, input)),

  'services.list': (_input, { engine }) => engine().read(listServices),

  'services.listAll': (_input, { engine }) => engine().read(listAllServices),

  'services.create': (input, { engine, actor }) => engine().change(actor, (w) => createService(w, input)),

  'services.update': (input, { engine, actor }) => engine().change(actor, (w) => updateService(w, input)),

  'priceLists.list': (_input, { engine }) => engine().read(listPriceLists),
  'priceLists.get': (input, { engine }) => engine().read((r) => getPriceList(r, input.id)),
  'priceLists.create': (input, { engine, actor }) => engine().change(actor, (w) => createPriceList(w, input)),
  'priceLists.previewVersion': (input, { engine }) => engine().read((r) => previewVersion(r, input)),
  'priceLists.uploadVersion': (input, { engine, actor }) => engine().change(actor, (w) => uploadVersion(w, input)),
  'priceLists.versionAt': (input, { engine }) => engine().read((r) => ({ version: versionAt(r, input.priceListId, input.at) })),
  'priceLists.compare': (input, { engine }) => engine().read((r) => compareVersion(r, input.versionId)),
  'priceLists.assignToClass': (input, { engine, actor }) => engine().change(actor, (w) => assignToClass(w, input)),
  'priceLists.overrideForCustomer': (input, { engine, actor }) => engine().change(actor, (w) => overrideForCustomer(w, input)),
  // Price-list assignment screens (issue 9)
  'priceLists.classAssignments': (input, { engine }) => engine().read((r) => classPriceLists(r, input.classId)),
  'priceLists.customerAssignments': (input, { engine }) => engine().read((r) => customerPriceLists(r, input.customerId)),
  'priceLists.removeClassAssignment': (input, { engine, actor }) => engine().change(actor, (w) => removeClassAssignment(w, input)),
  'priceLists.removeCustomerOverride': (input, { engine, actor }) => engine().change(actor, (w) => removeCustomerOverride(w, input)),
  'classes.list': (_input, { engine }) => engine().read(listClasses),

  'classes.create': (input, { engine, actor }) => engine().change(actor, (w) => createClass(w, input)),

  'classes.update': (input, { engine, actor }) => {
    const { id, ...fields } = input
    return engine().change(actor, (w) => updateClass(w, id, fields))
  },

  'customFields.list': (_input, { engine }) => engine().read(listCustomFields),

  'customFields.create': (input, { engine, actor }) => engine().change(actor, (w) => createCustomField(w, input.name, input.kind)),

  'audit.list': (input, { engine }) => engine().read((r) => listAudit(r, input)),

  'audit.verify': async (_input, { engine, actor }) => {
    const result = await verifyAuditChainInTurns((fn) => engine().read(fn))
    return engine().change(actor, (w) => recordVerification(w, 'app', result))
  },
  'audit.search': (input, { engine }) => engine().read((r) => searchAudit(r, input)),
  'audit.exportCsv': (input, { engine, nowIso }) => engine().read((r) => exportAuditCsv(r, input, nowIso())),
  'audit.facets': (_input, { engine }) => engine().read(auditFacets),
  'audit.lastVerification': (_input, { engine }) => ({ last: engine().read(lastVerification) }),
  'audit.trace': (input, { engine }) => engine().read((r) => trace(r, input.target, input.id)),

  // --- Usage browser (issue 9)
  'usage.list': (input, { engine }) => engine().read((r) => browseUsage(r, input)),
  'usage.totals': (input, { engine }) => engine().read((r) => usageTotals(r, input)),
  'usage.exportCsv': (input, { engine, nowIso }) => engine().read((r) => exportUsageCsv(r, input, nowIso())),
  'usage.customerSummary': (input, { engine }) => engine().read((r) => customerUsageSummary(r, input.customerId)),
  // --- Re-rating and retention of usage (issue 9, items 5 and 6) ---
  'rerating.preview': (input, { engine }) => engine().read((r) => previewRerating(r, input)),
  'rerating.start': (input, { engine, jobs, actor }) => {
    if (jobs.running(RERATING_JOB).length > 0) throw new AppError('CONFLICT', 'A re-rating is already running: wait for it to finish or cancel it.')
    // Checked here, so bad input is refused at once rather than as a failed job.
    return jobs.start(RERATING_JOB, 'customers', prepareRerating(engine(), actor, input))
  },
  'rerating.status': (input, { jobs }) => jobs.get(input.jobId, RERATING_JOB),
  'rerating.cancel': (input, { jobs }) => jobs.cancel(input.jobId, RERATING_JOB),
  'rerating.history': (_input, { engine }) => engine().read((r) => listReratings(r)),
  'rerating.outOfDatePeriods': (input, { engine }) => engine().read((r) => outOfDatePeriods(r, input)),
  'usage.retention': (_input, { engine, nowIso }) => engine().read((r) => getRetention(r, nowIso())),
  'usage.setRetention': (input, { engine, nowIso, actor }) => engine().change(actor, (w) => setRetentionMonths(w, input.months, nowIso())),
  'usage.retentionPreview': (_input, { engine, nowIso }) => engine().read((r) => previewPurge(r, nowIso())),
  'usage.purge': (input, { engine, nowIso, actor }) => purgeUsage(engine(), actor, nowIso(), input),
  // Usage import (issue 9, item 2)
  ...usageImportHandlers,
  ...operatorHandlers,
  // Invoices (issue 10)
  'invoices.list': (input, { engine }) => engine().read((r) => listInvoices(r, input)),
  'invoices.get': (input, { engine }) => engine().read((r) => getInvoice(r, input.id)),
  // Invoice PDF (issue 10 item 5): the stored current version, or a new one drawn now (the font is
  // parsed once per process, src-main/pdf/fonts.ts) and stored; the previous one is kept as superseded.
  'invoices.pdf': (input, { engine, actor }) => currentInvoicePdf(engine(), actor, input.invoiceId, invoicePdf),
  'invoices.closeNow': (input, { engine, jobs, actor }) => {
    if (jobs.running(INVOICE_CLOSE_JOB).length > 0) throw new AppError('CONFLICT', 'Invoices are already being issued: wait for that to finish.')
    // An unknown customer is refused at once rather than as a failed job.
    const customerId = input.customerId
    if (customerId !== undefined && !engine().read((r) => r.get('SELECT 1 FROM customers WHERE id = ?', [customerId]))) {
      throw new AppError('NOT_FOUND', `Customer ${customerId} does not exist (it may have been removed); reload the list.`, 'customerId')
    }
    const eng = engine()
    return jobs.start(INVOICE_CLOSE_JOB, 'customers', (ctl) =>
      closeDuePeriods(eng, actor, { customerId, upToNow: true, signal: ctl.signal, onProgress: (done, total) => ctl.progress(done, total) })
    )
  },
  'invoiceClose.status': (input, { jobs }) => jobs.get(input.jobId, INVOICE_CLOSE_JOB),
  'invoices.reduceAmountDue': (input, { engine, actor }) => {
    engine().change(actor, (w) => reduceAmountDue(w, input))
    return engine().read((r) => getInvoice(r, input.invoiceId))
  },
  // Out-of-turn invoices (issue 10 item 4)
  'outOfTurn.pending': (input, { engine }) => engine().read((r) => pendingOutOfTurnItems(r, input.customerId)),
  'outOfTurn.preview': (input, { engine }) => engine().read((r) => previewOutOfTurnInvoice(r, input)),
  'outOfTurn.issue': (input, { engine, actor }) => engine().change(actor, (w) => issueOutOfTurnInvoice(w, input)),
  // Invoice list and view (issue 10 item 6)
  'invoices.exportCsv': (input, { engine, nowIso }) => engine().read((r) => exportInvoicesCsv(r, input, nowIso())),
  'invoices.events': (input, { engine }) => engine().read((r) => invoiceEvents(r, input.invoiceId)),
  // PDF documents: stored invoice versions, the wizard's receipt, the company logo (issue 10 item 5)
  'invoiceDocuments.list': (input, { engine }) => engine().read((r) => listInvoiceDocuments(r, input.invoiceId)),
  'invoiceDocuments.get': (input, { engine }) => engine().read((r) => getInvoiceDocumentVersion(r, input.invoiceId, input.version)),
  'receipts.pdf': async (input, { engine }) => {
    const doc = engine().read((r) => adjustmentReceipt(r, input.operationKey))
    return { fileName: `receipt-${doc.receiptNumber.replace(/[^\p{L}\p{N}._-]+/gu, '_')}.pdf`, pdfBase64: Buffer.from(await receiptPdf(doc)).toString('base64') }
  },
  'companyLogo.get': (_input, { engine }) => engine().read((r) => ({ logo: companyLogoInfo(r) })),
  'companyLogo.set': async (input, { engine, actor }) => {
    const bytes = new Uint8Array(Buffer.from(input.dataBase64, 'base64'))
    const image = await checkLogo(input.fileName, bytes)
    return { logo: engine().change(actor, (w) => setCompanyLogo(w, input.fileName, bytes, image)) }
  },
  'companyLogo.remove': (_input, { engine, actor }) => {
    engine().change(actor, (w) => removeCompanyLogo(w))
    return { logo: null }
  },
  // Batch invoice re-issue (issue 11)
  'reissue.preview': (input, { engine, nowIso }) => engine().read((r) => previewReissue(r, input, nowIso())),
  'reissue.start': async (input, { engine, jobs, actor, reissuePdfs }) => {
    const eng = engine()
    // Planned in units of work (requests are served in between), answered once planned.
    const batchId = await planBatch(eng, actor, input)
    if (input.scheduledFor !== null) return { batchId, job: null }
    const job = jobs.start(REISSUE_JOB, 'invoices', (ctl) => runBatch(eng, actor, batchId, { ...ctl, ...reissuePdfs(eng, actor) }))
    reissueJobs.set(batchId, job.id)
    return { batchId, job }
  },
  'reissue.status': (input, { jobs }) => jobs.get(input.jobId, REISSUE_JOB),
  'reissue.cancel': (input, { engine, jobs, actor }) => {
    // Running here (a job, or a scheduled batch the minute's check started): it stops at the next customer.
    const jobId = reissueJobs.get(input.batchId)
    if (isBatchActive(engine(), input.batchId)) {
      if (jobId !== undefined) jobs.cancel(jobId, REISSUE_JOB)
      cancelRunningBatch(engine(), input.batchId)
    } else engine().change(actor, (w) => cancelScheduledBatch(w, input.batchId))
    return engine().read((r) => getBatch(r, input.batchId))
  },
  'reissue.list': (_input, { engine }) => engine().read((r) => listBatches(r)),
  'reissue.results': (input, { engine }) => engine().read((r) => ({ batch: getBatch(r, input.batchId), rows: batchResults(r, input.batchId) })),
  'reissue.exportCsv': (input, { engine, nowIso }) => {
    const { batchId, preview } = input
    if (batchId !== undefined) return engine().read((r) => resultsCsv(r, batchId))
    if (preview === undefined) throw new AppError('VALIDATION', 'Name the batch or the selection to export.', 'batchId')
    return engine().read((r) => previewCsv(r, preview, nowIso()))
  },
  'reissue.parseCustomerCsv': (input, { engine }) => engine().read((r) => parseCustomerCsv(r, input.text)),
  'reissue.fromRerating': (input, { engine }) => engine().read((r) => selectionFromRerating(r, input.reratingId)),
  'reissue.offPeak': (_input, { engine, nowIso }) => engine().read((r) => offPeakWindow(r, nowIso())),
  'reissue.setOffPeak': (input, { engine, actor }) => engine().change(actor, (w) => setOffPeakWindow(w, input)),
  'notifications.list': (_input, { engine }) => engine().read((r) => listNotifications(r)),
  'notifications.markRead': (input, { engine, actor }) => {
    engine().change(actor, (w) => markNotificationsRead(w, input.ids))
    return engine().read((r) => listNotifications(r))
  },
  // Cashier shifts (issue 13 item 3): on the calling operator (ctx.operator), whoever logs in
  'shifts.current': (_input, { engine, operator }) => engine().read((r) => currentShift(r, operator)),
  'shifts.open': (input, { engine, actor }) => engine().change(actor, (w) => openShift(w, input.floats)),
  'shifts.close': (input, { engine, actor }) => engine().change(actor, (w) => closeShift(w, input.shiftId, input.counted)),
  'shifts.report': async (input, { engine, operator, nowIso }) => {
    const doc = engine().read((r) => shiftReport(r, input.shiftId, operator, nowIso()))
    return { fileName: `shift-${doc.shift.id}.pdf`, pdfBase64: Buffer.from(await shiftReportPdf(doc)).toString('base64') }
  },
  'shifts.list': (input, { engine }) => engine().read((r) => listShifts(r, input)),
  'shifts.export': (input, { engine, nowIso }) => engine().read((r) => exportShiftsCsv(r, input, nowIso()))
}
