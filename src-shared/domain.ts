/** Domain types shared by the engine and the renderer. Amounts are integer minor units. */
import type { AppErrorShape } from './errors'
import type { RoundingMode } from './money'

export type Role = 'administrator' | 'cashier' | 'auditor'
export const ROLES: readonly Role[] = ['administrator', 'cashier', 'auditor']

export interface Operator {
  id: number
  login: string
  name: string
  role: Role
}

export interface CompanySettings {
  companyName: string
  address: string
  defaultCurrency: string
  /** Card authorizations expire after this many days (default 7). */
  cardAuthorizationDays: number
  /**
   * The most one balance operation may move, in whole major units of the customer's currency
   * (default 1,000,000: 1,000,000 JPY, 1,000,000.00 USD, 1,000,000.000 KWD).
   */
  maxOperationAmount: number
  /** How a rated charge's 5-decimal amount is rounded to the minor unit (DESIGN: away from zero). */
  roundingMode: RoundingMode
  /** The folder usage files are imported from; null: none. */
  usageImportFolder: string | null
  /** Minutes without input after which the counter locks itself; 0 = never (docs/operators.md). */
  idleLockMinutes: number
}

export interface BackupInfo {
  fileName: string
  createdAt: string // ISO timestamp
  sizeBytes: number
  kind: 'daily' | 'manual' | 'before-restore'
}

/** What the renderer needs to decide which screen to show. */
export type AppPhase = 'setup' | 'ready' | 'recovery'

/**
 * What a restore in recovery did with the journal: the changes made after the backup were
 * replayed onto it (docs/durability.md). Sequence numbers count committed changes.
 */
export interface JournalReplay {
  /** The last change the restored file held. */
  restoredUpTo: number
  /** Changes from the journal applied on top of it. */
  replayed: number
  /** The last change in the database now. */
  upTo: number
  /** Changes known to have been made that are not in the restored data (in no file the desk can use). */
  missing: { from: number; to: number } | null
  /** Set when a journal change could not be applied; replay stopped there. */
  stoppedBecause: string | null
}

export interface RecoveryInfo {
  reason: string
  corruptFileKeptAt: string | null
  backups: BackupInfo[]
  /** The newest backup that passed the same checks as a restore; null if none did. */
  recommendedBackup: string | null
  /** Backups that failed those checks (they cannot be restored), by file name. */
  unusableBackups: string[]
  /** What restoring the recommended backup would take from the journal (null: none recommended). */
  recommendedReplay: JournalReplay | null
}

export interface AppStatus {
  phase: AppPhase
  version: string
  dataDir: string
  /** Who this window or tab is logged in as; null before login (docs/operators.md). */
  operator: Operator | null
  /** The session is locked (idle or by hand): only unlocking, logging out or logging in as someone else work. */
  locked: boolean
  /** An upgraded data folder whose administrator has no password yet: the desk asks for it once. */
  needsAdminPassword: boolean
  /** While `needsAdminPassword`: the login that administrator logs in with from then on (else null). */
  adminLogin: string | null
  settings: CompanySettings | null
  recovery: RecoveryInfo | null
  counts: { customers: number }
}

/** A file offered for restore, checked (readable, a database this version can open) and not yet used. */
export interface RestoreCandidate {
  /** The backup's file name, or the file's full path. */
  label: string
  sizeBytes: number
  /** When the file was last written (ISO). */
  modifiedAt: string
  /** In recovery: what the journal would add to it (see JournalReplay); null otherwise. */
  replay: JournalReplay | null
}

/** The answer to backup.restore: the new status and, in recovery, what the journal added. */
export interface RestoreOutcome extends AppStatus {
  replay: JournalReplay | null
}

/** Reactivation period after a provisional termination when the customer has no class. */
export const DEFAULT_REACTIVATION_DAYS = 30

export type BalanceControl = 'prepaid' | 'postpaid'
export type CustomerStatus = 'active' | 'blocked' | 'suspended' | 'provisionally-terminated' | 'permanently-terminated' | 'exported'

export interface CustomerRow {
  id: number
  customerId: string // the name as shown in the system
  companyName: string
  balanceControl: BalanceControl
  currency: string
  balanceMinor: number // what the customer owes; prepaid "available funds" = -balanceMinor
  unallocatedPaymentsMinor: number
  creditLimitMinor: number | null
  status: CustomerStatus
  className: string | null
}

export interface AuditEntry {
  id: number
  at: string
  operatorName: string
  customerId: number | null
  customerName: string | null
  kind: string
  description: string
  source: string | null
  /** The records the entry names, to open them (issue 12 item 2). */
  links: AuditLink[]
}

export interface AuditVerifyResult {
  ok: boolean
  checked: number
  firstBrokenId: number | null
  /** When the first broken entry says it was written (null when intact). */
  firstBrokenAt: string | null
  message: string
}

/** Life-cycle actions an administrator can take (Suspended is set only by the overdue rule). */
export type StatusAction = 'block' | 'unblock' | 'lift-suspension' | 'provisionally-terminate' | 'reactivate' | 'permanently-terminate' | 'export' | 'clear-export'

export type CustomerSortKey = 'customerId' | 'companyName' | 'balanceControl' | 'balance' | 'unallocated' | 'creditLimit' | 'status' | 'currency' | 'className'

export interface CustomerFilters {
  statuses?: CustomerStatus[]
  balanceControl?: BalanceControl
  currency?: string
  classId?: number
  /** Prepaid customers with available funds below zero and postpaid ones over their credit limit. */
  overLimit?: boolean
  hasOverdueInvoice?: boolean
}

export interface CustomerClass {
  id: number
  name: string
  currency: string | null
  billingPeriod: 'monthly' | 'weekly'
  /** Monthly: day of the month (1-28); weekly: ISO weekday (1 = Monday). */
  billingDay: number
  dueDays: number
  suspendOnOverdue: boolean
  suspensionGraceDays: number
  reactivationDays: number
  /** Parts per million: 23% = 230000. */
  taxRatePpm: number
  invoicePrefix: string
  customerCount: number
}

export interface CustomerAccount {
  id: number
  accountId: string
  status: string
  createdAt: string
}

export interface StatusHistoryEntry {
  at: string
  fromStatus: CustomerStatus | null
  toStatus: CustomerStatus
  note: string
  operatorName: string
}

export interface CustomFieldDefinition {
  id: number
  name: string
  kind: 'text' | 'number' | 'date'
}

export interface CustomerDetail extends CustomerRow {
  classId: number | null
  firstName: string
  lastName: string
  phone: string
  email: string
  address: string
  city: string
  zip: string
  country: string
  notes: string
  dueDaysOverride: number | null
  taxRatePpmOverride: number | null
  /** What applies: the override, else the class's value, else the default. */
  effective: { billingPeriod: 'monthly' | 'weekly'; billingDay: number; dueDays: number; taxRatePpm: number }
  blocked: boolean
  suspended: boolean
  suspensionLiftedUntil: string | null
  provisionallyTerminatedAt: string | null
  reactivationDeadline: string | null
  terminatedAt: string | null
  createdAt: string
  updatedAt: string
  accounts: CustomerAccount[]
  statusHistory: StatusHistoryEntry[]
  customFields: { fieldId: number; name: string; kind: CustomFieldDefinition['kind']; value: string }[]
  /** Actions the life-cycle rules allow from the current state. */
  allowedActions: StatusAction[]
  /** What a Refund may still take back: paid (an opening prepaid balance counts) and not yet refunded. */
  refundableMinor: number
}

export interface ImportIssue {
  line: number
  field: string
  message: string
}

export interface ImportPreview {
  totalRows: number
  validRows: number
  issues: ImportIssue[]
  /** The first rows as they would be created, for the preview table. */
  sample: { line: number; customerId: string; companyName: string; balanceControl: BalanceControl; currency: string; className: string | null }[]
}

/** The ten balance adjustment operations (the wizard's first step). */
export type AdjustmentOperation =
  | 'manual-charge'
  | 'manual-credit'
  | 'manual-payment'
  | 'promotional-credit'
  | 'refund'
  | 'ecommerce-payment'
  | 'ecommerce-refund'
  | 'authorization'
  | 'capture'
  | 'void'

/** What an adjustment does (Summary before Finish; the result after). */
export interface AdjustmentImpact {
  operation: AdjustmentOperation
  customerId: number
  customerName: string
  balanceControl: BalanceControl
  currency: string
  amountMinor: number
  balanceBeforeMinor: number
  balanceAfterMinor: number
  unallocatedBeforeMinor: number
  unallocatedAfterMinor: number
  /** Postpaid with a limit: limit minus balance, before and after. */
  creditHeadroomBeforeMinor: number | null
  creditHeadroomAfterMinor: number | null
  serviceName: string | null
  /** The audit entries the change will write (or wrote). */
  auditTexts: string[]
  /** Invoices a payment is applied to or a refund un-applies from (empty for other operations). */
  invoices: InvoiceTouch[]
}

export interface AdjustmentResult extends AdjustmentImpact {
  /** The ledger record (xDR id); null for operations that move no money. */
  xdrId: number | null
  at: string
  operatorName: string
  visibleComment: string
  /** True when this answer repeats an earlier submission with the same operation key. */
  repeated: boolean
  /** Card operations: the gateway's transaction ID (an authorization's is needed to capture or void it). */
  transactionId: string | null
  card: { brand: string; last4: string } | null
  /** Authorization only: when it expires. */
  expiresAt: string | null
}

export interface LedgerCheckResult {
  ok: boolean
  customersChecked: number
  differences: {
    customerId: number
    customerName: string
    currency: string
    balanceMinor: number
    ledgerBalanceMinor: number
    unallocatedMinor: number
    ledgerUnallocatedMinor: number
  }[]
}

/** The kinds a service can be given on the Services page; goods and fees are one-off sales. */
export const SERVICE_KINDS = ['voice', 'messaging', 'subscription', 'goods', 'fees'] as const

/** What a service sells; "credits" is only the built-in Credits / Promotions service's. */
export type ServiceKind = (typeof SERVICE_KINDS)[number] | 'credits'

/** A service the wizard offers for a manual charge or credit (disabled ones are left out). */
export interface ServiceOption {
  id: number
  name: string
  kind: ServiceKind
}

/** A service as the Services page lists it. */
export interface Service extends ServiceOption {
  /** Not offered for new charges and credits; records that name it keep it. */
  disabled: boolean
  /** Credits / Promotions: promotional credits are booked to it; it cannot be changed. */
  builtIn: boolean
}

/** A ledger record as the customer page lists it (usage is listed by the usage browser). */
export interface LedgerTransaction {
  xdrId: number
  at: string
  kind: string
  amountMinor: number
  unallocatedDeltaMinor: number
  serviceName: string | null
  effectiveDate: string | null
  outOfTurn: boolean
  visibleComment: string
  internalComment: string
  operatorName: string | null
}

/** The card as staff see it: brand and last four digits (the number itself is never stored). */
export interface CardLabel {
  brand: string
  last4: string
}

/** What became of one request to the card processor ('sent': no answer recorded yet, e.g. a crash). */
export type CardAttemptOutcome = 'sent' | 'pending' | 'approved' | 'declined' | 'error'

export type CardOperation = 'ecommerce-payment' | 'ecommerce-refund' | 'authorization' | 'capture' | 'void'

/** A customer's card payments as the customer page and the wizard show them. */
export interface CardActivity {
  currency: string
  /** Authorized, not captured, voided or expired: what Capture and Void can use. Newest first. */
  openAuthorizations: { transactionId: string; amountMinor: number; at: string; card: CardLabel | null; expiresAt: string }[]
  /** Card payments and captured authorizations with something left to refund. Newest first. */
  refundablePayments: { transactionId: string; kind: 'payment' | 'capture'; chargedMinor: number; refundableMinor: number; at: string; card: CardLabel | null }[]
  /** Sent, but the processor's answer is not known yet: nothing applied until reconciled. */
  pending: {
    reference: string
    operation: CardOperation
    amountMinor: number
    at: string
    card: CardLabel | null
    operationKey: string | null
    transactionId: string | null
  }[]
  /** Every request sent to the processor, newest first (the most recent 50). */
  attempts: {
    id: number
    at: string
    operation: CardOperation
    outcome: CardAttemptOutcome
    reason: string | null
    card: CardLabel | null
    amountMinor: number
    transactionId: string | null
    operationKey: string | null
    operatorName: string
  }[]
}

/** A price list (tariff) in one currency; rates live in its versions. */
export interface PriceList {
  id: number
  name: string
  currency: string
  createdAt: string
  versionCount: number
}

export interface PriceListVersion {
  id: number
  priceListId: number
  /** ISO instant from which calls starting then or later are rated with this version. */
  effectiveFrom: string
  uploadedAt: string
  operatorName: string
  rowCount: number
}

/**
 * One destination's rate. Prices are text with up to 5 decimals ("0.01234"), exact: stored as
 * integers of 1e-5 of the major unit, since per-minute rates need sub-cent precision.
 */
export interface PriceListRate {
  prefix: string
  description: string
  pricePerMinute: string
  connectionFee: string
  firstInterval: number
  nextInterval: number
  freeSeconds: number
}

export interface PriceListDetail extends PriceList {
  versions: PriceListVersion[]
}

/** A CSV checked before upload: the rows read and every problem by line and column. */
export interface PriceListPreview {
  totalRows: number
  rates: PriceListRate[]
  issues: ImportIssue[]
}

export interface PriceListComparison {
  version: PriceListVersion
  /** The version before it (by effective instant), or null for the first one. */
  previous: PriceListVersion | null
  added: PriceListRate[]
  removed: PriceListRate[]
  changed: { prefix: string; before: PriceListRate; after: PriceListRate; fields: string[] }[]
}

// Price-list assignment (issue 9): which list rates whose usage of a service.

/** A price list as an assignment names it. */
export interface PriceListRef {
  id: number
  name: string
  currency: string
}

/** A class's list for one rated service (null: none; its usage stays unrated unless customers have their own). */
export interface ClassServicePriceList {
  serviceId: number
  serviceName: string
  priceList: PriceListRef | null
}

export interface ClassPriceLists {
  classId: number
  className: string
  /**
   * The currency a list must be in to be assigned: the class's, else the one its customers all
   * bill in; null when any currency would do (no currency and no customers yet).
   */
  currency: string | null
  services: ClassServicePriceList[]
}

/** Where a customer's list for a service comes from. */
export type PriceListSource = 'own' | 'class' | 'none'

export interface CustomerServicePriceList {
  serviceId: number
  serviceName: string
  /** The customer's own list (an override), if any. */
  own: PriceListRef | null
  /** Its class's list, if any. */
  ofClass: PriceListRef | null
  /** The list that rates this customer's usage of the service: own, else the class's. */
  effective: PriceListRef | null
  source: PriceListSource
}

export interface CustomerPriceLists {
  customerId: number
  currency: string
  classId: number | null
  className: string | null
  services: CustomerServicePriceList[]
}

/** How far a long job (usage import, re-rating) has got: polled by the page that started it. */
export interface JobProgress {
  done: number
  total: number
  /** What is counted: "records", "customers". */
  unit: string
  perSecond: number
  /** Seconds left at the rate so far; null until there is a rate. */
  etaSeconds: number | null
  message: string
  /**
   * Work done before any unit is counted (a usage import reads and checks its whole file first):
   * `done` of `total` (characters); null once units are counted, or when there is no such step.
   */
  preparing: { done: number; total: number } | null
}

export interface JobSnapshot<R> {
  id: string
  kind: string
  /** cancelled: stopped at a unit-of-work boundary; what was done before stays done. */
  state: 'running' | 'completed' | 'cancelled' | 'failed'
  progress: JobProgress
  /** Set when the job ended (also when cancelled: what was done). */
  result: R | null
  error: AppErrorShape | null
  startedAt: string
  finishedAt: string | null
}

// --- Usage import (issue 9, item 2) ---

/** Where a usage file came in: the Usage page, the import folder, or `npm run billing -- import-usage`. */
export type UsageImportSource = 'page' | 'folder' | 'command-line'

/** A row of a usage file that was not imported: its line (header = 1) and column (null: the whole line). */
export interface UsageImportProblem {
  line: number
  field: string | null
  message: string
}

/** Why a customer whose usage was imported is listed in the summary. */
export type UsageImportFlag = 'blocked' | 'suspended' | 'terminated' | 'exported' | 'funds-below-zero' | 'over-credit-limit'

export interface UsageImportFlagged {
  customerId: number
  customerName: string
  currency: string
  reason: UsageImportFlag
  balanceMinor: number
  creditLimitMinor: number | null
}

/** What a usage import did (also while running: the counters of the batches committed so far). */
export interface UsageImportSummary {
  importId: number
  state: 'completed' | 'cancelled' | 'failed'
  source: UsageImportSource
  fileName: string
  /** Data lines read (blank lines not counted). */
  lines: number
  /** New records written, rated or unrated. */
  imported: number
  rated: number
  unrated: number
  /** Switch record ids imported before (or earlier in the file): skipped, never charged twice. */
  duplicates: number
  /** Broken rows: listed in `problems` (the first ones), never written. */
  rejected: number
  unratedByReason: Record<string, number>
  chargedByCurrency: { currency: string; chargedMinor: number; records: number }[]
  problems: UsageImportProblem[]
  flagged: UsageImportFlagged[]
}

/** A past usage import, as the history lists it. */
export interface UsageImportRecord {
  importId: number
  source: UsageImportSource
  fileName: string
  startedAt: string
  finishedAt: string | null
  /** interrupted: the app stopped during it; its whole batches stay, importing the file again completes it. */
  state: 'running' | 'completed' | 'cancelled' | 'failed' | 'interrupted'
  operatorName: string
  lines: number
  imported: number
  rated: number
  unrated: number
  duplicates: number
  rejected: number
}

// --- Usage browser (issue 9) ---------------------------------------------------------------------

/** Where a page of the usage browser stopped: the last row's start and xDR id (newest first). */
export interface UsageCursor {
  startedAt: string
  xdrId: number
}

/**
 * One row of the usage browser: a usage record, or a money record (payment, credit, charge) when
 * the browser is asked to show them. Money records carry their visible comment only: the internal
 * comment is staff-only and never leaves the engine through the browser or its export.
 */
export interface UsageBrowserRow {
  xdrId: number
  /** 'usage', or the money record's kind ('manual-payment', 'opening-balance', ...). */
  kind: string
  startedAt: string
  /** Row id and customer ID of the customer; null for usage of an unknown account. */
  customerId: number | null
  customerName: string | null
  /** The customer's currency; null for usage of an unknown account (never charged). */
  currency: string | null
  /** The account as known, or as the switch wrote it when unknown. */
  account: string | null
  serviceId: number | null
  serviceName: string | null
  destination: string
  durationS: number
  billedS: number | null
  rating: 'rated' | 'unrated' | null
  unratedReason: string | null
  prefix: string | null
  /** Usage: its charge under its current rating (null when unrated). Money: its effect on the balance. */
  chargeMinor: number | null
  /** What the record posted to the balance (usage: on import; re-rating corrections are separate records). */
  postedMinor: number
  visibleComment: string
}

export interface UsageBrowserPage {
  rows: UsageBrowserRow[]
  /** Pass as `after` for the next (older) page; null when this page is the last. */
  next: UsageCursor | null
}

/** Totals of the filtered view: one line per record kind, service and currency. */
export interface UsageTotalLine {
  kind: string
  serviceId: number | null
  serviceName: string | null
  currency: string | null
  records: number
  /** Usage rated / unrated among `records`. */
  unrated: number
  durationS: number
  chargeMinor: number
  postedMinor: number
}

export interface UsageTotals {
  lines: UsageTotalLine[]
  records: number
  /** More records to total: ask again with this as `afterXdrId` and add the answers up. Null: done. */
  next: number | null
  /** How far the slices have got through the record ids (both equal once done). */
  progress: { doneThroughXdrId: number; lastXdrId: number }
}

/** A customer's usage per calendar month (UTC) and service, beside its money records: together they make the balance. */
export interface CustomerUsageMonth {
  /** YYYY-MM (UTC). */
  month: string
  serviceId: number | null
  serviceName: string | null
  records: number
  unrated: number
  /** What this usage posted to the balance. */
  postedMinor: number
  /** What it costs under its current rating (differs from posted after a re-rating; the correction is a money record). */
  chargeMinor: number
}

export interface CustomerUsageSummary {
  customerId: number
  currency: string
  balanceMinor: number
  usage: CustomerUsageMonth[]
  /** Money records (payments, credits, charges, opening balance, re-rating corrections) per kind. */
  money: { kind: string; records: number; totalMinor: number }[]
  /** Sum of every usage and money line: equals balanceMinor while the ledger is sound. */
  listedTotalMinor: number
}

// --- Re-rating and retention of usage (issue 9, items 5 and 6) ---

/** Whose usage a re-rating rates again. */
export type ReratingScope = { kind: 'all' } | { kind: 'class'; classId: number } | { kind: 'customers'; customerIds: number[] }

/** One customer's part of a re-rating: its usage total in the period under the old and the new rating. */
export interface ReratingCustomerLine {
  customerId: number
  customerName: string
  currency: string
  /** Usage records whose rating changes. */
  records: number
  oldTotalMinor: number
  newTotalMinor: number
  differenceMinor: number
}

export interface ReratingRecordChange {
  xdrId: number
  customerId: number
  customerName: string
  currency: string
  startedAt: string
  destination: string
  durationS: number
  oldRating: 'rated' | 'unrated'
  oldChargeMinor: number | null
  newRating: 'rated' | 'unrated'
  newChargeMinor: number | null
  /** Why the record is unrated after the re-rating (null when rated). */
  newUnratedReason: string | null
}

export interface CurrencyTotals {
  currency: string
  oldTotalMinor: number
  newTotalMinor: number
  differenceMinor: number
}

export interface ReratingPreview {
  from: string
  to: string
  priceListId: number | null
  priceListName: string | null
  customersConsidered: number
  recordsConsidered: number
  recordsChanged: number
  /** Rated records the chosen rating cannot rate (no prefix, no list): left at their charge, not charged as zero. */
  recordsNotRated: number
  /** Customers whose usage changes, largest difference first. */
  customers: ReratingCustomerLine[]
  totals: CurrencyTotals[]
  /** A page of the records that change (offset/limit of the request). */
  changes: ReratingRecordChange[]
  /** Customers left out: their currency is not the chosen list's. */
  skipped: { customerId: number; customerName: string; currency: string; reason: string }[]
}

export interface ReratingResult {
  /** Null when nothing changed (then nothing was written at all). */
  reratingId: number | null
  customersChanged: number
  recordsChanged: number
  totals: CurrencyTotals[]
  /** Stopped by Cancel between customers: the customers before it are re-rated, the others untouched. */
  cancelled: boolean
}

export interface ReratingHistoryEntry {
  id: number
  at: string
  operatorName: string
  from: string
  to: string
  scope: ReratingScope
  priceListId: number | null
  priceListName: string | null
  state: 'running' | 'completed' | 'cancelled'
  customers: number
  records: number
  finishedAt: string | null
}

/**
 * A customer's usage of a period was re-rated after its invoices may have been issued: invoices
 * of that customer covering [from, to) are out of date (the input of batch re-issue).
 */
export interface OutOfDatePeriod {
  reratingId: number
  at: string
  customerId: number
  customerName: string
  from: string
  to: string
  differenceMinor: number
  currency: string
}

export interface UsageRetention {
  months: number
  /** Usage that started before this instant would be purged now. */
  cutoff: string
  /** Usage before this instant has been purged already (null: never purged). */
  purgedBefore: string | null
}

export interface UsagePurgeMonth {
  customerId: number
  customerName: string
  currency: string
  /** YYYY-MM, the office's local month. */
  month: string
  records: number
  amountMinor: number
}

export interface UsagePurgePreview {
  cutoff: string
  records: number
  customers: number
  /** Summary records that would replace them (one per customer, month and service). */
  summaries: number
  /** Unrated records of unknown accounts (no customer): removed without a summary, they charged nothing. */
  unassignedRecords: number
  /** Per customer and month, the first ones (see `records` for all). */
  months: UsagePurgeMonth[]
}

export interface UsagePurgeResult {
  cutoff: string
  recordsPurged: number
  summariesWritten: number
  customers: number
}

// --- Invoice and receipt documents (PDF) -------------------------------------------------------
// What a printed invoice or counter receipt shows, built by the invoice engine or the payment flow
// and drawn by src-main/pdf (docs/invoices-pdf.md). Amounts are integer minor units of `currency`,
// written on paper with formatMoney/formatMinor exactly as on screen.

/** The company block at the top of a document (Settings). */
export interface DocumentCompany {
  name: string
  /** Lines of the postal address, as typed in Settings (newlines kept). */
  address: string
  /** A PNG or JPEG logo, drawn at most 40 mm wide and 18 mm high; null: none. */
  logo?: { type: 'png' | 'jpeg'; bytes: Uint8Array } | null
}

/** The invoice's status as the engine keeps it (INVOICE_STATUSES). */
export type InvoiceDocumentStatus = InvoiceStatus

export interface InvoiceDocumentLine {
  /** What the charge is: the service's name, "Manual charge", "Credit", ... */
  description: string
  /** Optional detail under the description (e.g. "312 calls, 1,204 min"). */
  detail?: string
  amountMinor: number
}

export interface InvoiceDocumentTax {
  /** As the class names it, e.g. "VAT 23%". */
  name: string
  amountMinor: number
}

export interface InvoiceDocumentPayment {
  /** Calendar date (YYYY-MM-DD) or instant. */
  date: string
  /** "Cash payment", "Card payment", "Refund", "Reduction", ... */
  description: string
  amountMinor: number
}

export interface InvoiceDocument {
  company: DocumentCompany
  customer: {
    name: string
    /** The customer ID as shown in the system. */
    customerId: string
    address: string
  }
  number: string
  issueDate: string
  /** Equal to issueDate when due on receipt. */
  dueDate: string
  period: { from: string; to: string }
  currency: string
  /** The balance brought forward from the previous invoice, when the invoice shows one. */
  previousBalanceMinor?: number
  lines: InvoiceDocumentLine[]
  /** Sum of lines before taxes. */
  subtotalMinor: number
  taxes: InvoiceDocumentTax[]
  totalMinor: number
  /** Payments, credits and reductions applied to this invoice. */
  payments: InvoiceDocumentPayment[]
  /** Balance-forward rows printed under the total, as the invoice view labels them ("Closing balance", ...). */
  account?: { label: string; amountMinor: number }[]
  amountDueMinor: number
  status: InvoiceDocumentStatus
  /** Comments visible to the customer. Internal comments are never put into a document. */
  visibleComments: string[]
  /** A voided invoice is printed with a VOID mark across every page. */
  void: boolean
  /** The number of the invoice that replaced a voided one, when there is one. */
  replacedBy?: string | null
}

/** An 80 mm counter receipt for one payment or other balance operation. */
export interface ReceiptDocument {
  company: DocumentCompany
  receiptNumber: string
  /** Instant of the operation (ISO). */
  at: string
  customer: { name: string; customerId: string }
  /** "Payment", "Refund", ... as the wizard names it; the title of the receipt. */
  operation: string
  currency: string
  amountMinor: number
  /** "Balance" or "Available funds" (prepaid), as on screen. */
  balanceLabel: string
  /** The balance after the operation as shown on screen (shownBalance). */
  balanceAfterMinor: number
  operatorName: string
  /** The balance before, as shown on screen; printed when given. */
  balanceBeforeMinor?: number
  /** Invoices the payment was applied to, e.g. "INV-000123: 60.00 USD". */
  appliedTo?: string[]
  /** Further facts as the wizard's summary shows them (card, transaction ID, xDR id...), in order. */
  details?: { label: string; value: string }[]
  visibleComment?: string
}

// ---------------------------------------------------------------------------------------------
// Invoices (issue 10)

export const INVOICE_STATUSES = ['open', 'partially-paid', 'paid', 'overdue', 'no-payment-needed', 'void'] as const
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number]

export interface InvoiceSummary {
  id: number
  number: string
  customerId: number
  customerName: string
  companyName: string
  currency: string
  outOfTurn: boolean
  /** Instants: start included, end excluded. */
  periodStart: string
  periodEnd: string
  issueDate: string
  dueDate: string
  totalMinor: number
  amountDueMinor: number
  status: InvoiceStatus
}

export interface InvoiceLine {
  category: 'usage' | 'manual-charge' | 'credit' | 'correction' | 'other' | 'tax'
  serviceName: string | null
  description: string
  records: number
  durationS: number
  amountMinor: number
}

export interface InvoiceDetail extends InvoiceSummary {
  issuedAt: string
  previousBalanceMinor: number
  paymentsMinor: number
  chargesMinor: number
  taxRatePpm: number
  taxesMinor: number
  otherMinor: number
  closingBalanceMinor: number
  paidMinor: number
  reducedMinor: number
  overdueSince: string | null
  lines: InvoiceLine[]
  /** Payments applied (invoice_payments), oldest first; a refund's un-application is negative. */
  payments: InvoicePaymentApplied[]
  /** Reductions of the amount due (manual credits aimed at the invoice), oldest first. */
  reductions: InvoiceReduction[]
  /** Usage of the period was re-rated after the invoice was issued. */
  outOfDate: boolean
  /** Usage of the period has been purged: the invoice cannot be recalculated. */
  recalculable: boolean
}

export interface InvoiceListResult {
  rows: InvoiceSummary[]
  /** Of every invoice matching the filters (not only this page), per currency. */
  totals: { currency: string; count: number; totalMinor: number; amountDueMinor: number }[]
  total: number
}

/** An invoice's PDF as the invoices.pdf channel answers it. */
export interface InvoicePdfFile {
  /** "INV-000123.pdf" */
  fileName: string
  pdfBase64: string
  /** The stored version this is (invoice_documents); null: drawn but not stored (receipts, a busy invoice). */
  version?: number | null
}

export interface InvoiceCloseResult {
  invoicesIssued: number
  customers: number
}

// ---------------------------------------------------------------------------------------------
// Out-of-turn invoices (issue 10 item 4)

/** A manual charge or credit flagged "Include into out-of-turn invoice" and not yet invoiced. */
export interface OutOfTurnItem {
  xdrId: number
  /** When it was posted (instant). */
  postedAt: string
  /** The charge's own date (local). */
  effectiveDate: string | null
  kind: 'manual-charge' | 'manual-credit'
  serviceName: string | null
  /** Positive for a charge, negative for a credit. */
  amountMinor: number
  visibleComment: string
}

export interface OutOfTurnPending {
  customerId: number
  customerName: string
  companyName: string
  currency: string
  items: OutOfTurnItem[]
}

/** What the out-of-turn invoice for the chosen items will say, before it is issued. */
export interface OutOfTurnPreview {
  currency: string
  lines: InvoiceLine[]
  chargesMinor: number
  taxesMinor: number
  totalMinor: number
  /** What a payment must cover (0 when the total is 0 or less). */
  amountDueMinor: number
}

export interface OutOfTurnIssued {
  invoice: InvoiceDetail
  /** The cash payment taken in the same step, if any. */
  payment: AdjustmentResult | null
  /** True when this answer repeats an earlier submission with the same operation key. */
  repeated: boolean
}

// Invoice list and view (issue 10 item 6)

/** A payment record applied to an invoice (or un-applied by a refund: a negative amount). */
export interface InvoicePaymentApplied {
  at: string
  /** The payment's ledger record (xDR id). */
  xdrId: number
  /** Its kind: manual-payment, card-payment, refund… */
  kind: string
  amountMinor: number
}

/** A reduction of an invoice's amount due: the manual credit aimed at it. */
export interface InvoiceReduction {
  at: string
  xdrId: number
  amountMinor: number
  /** The credit's visible comment. */
  comment: string
}

/** An audit entry that changed an invoice: sourced by it, or naming it (its reductions, payments). */
export interface InvoiceEvent {
  id: number
  at: string
  operatorName: string
  kind: string
  description: string
  /** The records the entry names, to open them (issue 12 item 2). */
  links: AuditLink[]
}

/** One chunk of the invoice list's CSV export; `next` is the offset of the next chunk, null at the end. */
export interface InvoiceCsvChunk {
  fileName: string
  csv: string
  rows: number
  next: number | null
}

// ---------------------------------------------------------------------------------------------
// Stored invoice documents and the company logo (issue 10 item 5)

/** One stored PDF of an invoice (invoiceDocuments.list): the current one, or one it superseded. */
export interface InvoiceDocumentVersion {
  version: number
  /** The status and amount due this version prints. */
  status: InvoiceStatus
  amountDueMinor: number
  createdAt: string
  /** When a newer version replaced it; null for the current one. */
  supersededAt: string | null
  current: boolean
  sizeBytes: number
}

/** The company logo Settings holds (companyLogo.get), without its bytes. */
export interface CompanyLogoInfo {
  type: 'png' | 'jpeg'
  fileName: string
  width: number
  height: number
  sizeBytes: number
  updatedAt: string
  /** The picture itself (at most LOGO_MAX_BYTES), for Settings' preview. */
  dataBase64: string
}

// ---------------------------------------------------------------------------------------------
// Payments applied to invoices (issue 10, item 2)

/** One invoice a payment was applied to (amount > 0) or a refund un-applied from (amount < 0). */
export interface InvoiceTouch {
  invoiceId: number
  number: string
  amountMinor: number
  amountDueBeforeMinor: number
  amountDueAfterMinor: number
  statusBefore: InvoiceStatus
  statusAfter: InvoiceStatus
}

// ---------------------------------------------------------------------------------------------
// --- Audit log filters, export and verification record (issue 12, items 3 and 5)

/** A page of the filtered audit log, newest first. */
export interface AuditSearchPage {
  entries: AuditEntry[]
  /** Pass as `beforeId` for the next (older) page; null when nothing older can match. */
  next: number | null
}

/** A chunk of the filtered audit log as CSV (the first one has the byte-order mark and the header). */
export interface AuditExportChunk {
  fileName: string
  csv: string
  rows: number
  /** Pass as `beforeId` for the next chunk; null at the end. */
  next: number | null
  /** The log's newest and oldest entry ids, to show how far the export has come. */
  newestId: number
  oldestId: number
}

/** What the audit log's filters offer: the kinds of entry written so far and the operators. */
export interface AuditFacets {
  kinds: string[]
  operators: { id: number; name: string }[]
}

/** One run of the chain verification, as Settings shows the last one. */
export interface AuditVerification {
  at: string
  operatorName: string
  via: 'app' | 'command-line'
  ok: boolean
  checked: number
  firstBrokenId: number | null
  message: string
}

// ---------------------------------------------------------------------------------------------
// Batch invoice re-issue (issue 11)

/** Void the invoice and issue a new one with a new number, or regenerate it keeping its number. */
export const REISSUE_MODES = ['void', 'same-number'] as const
export type ReissueMode = (typeof REISSUE_MODES)[number]

/** One invoice of a preview: as issued and as it would be now. */
export interface ReissuePreviewRow {
  invoiceId: number
  number: string
  customerId: number
  customerName: string
  companyName: string
  currency: string
  periodStart: string
  periodEnd: string
  /** Issued before the chosen instant, recalculated only to carry the corrected balance forward. */
  carried: boolean
  oldTotalMinor: number
  newTotalMinor: number | null
  oldAmountDueMinor: number
  newAmountDueMinor: number | null
  oldClosingMinor: number
  newClosingMinor: number | null
  oldStatus: InvoiceStatus
  newStatus: InvoiceStatus | null
  /** Left alone, and why (its usage is past retention). */
  skippedReason: string | null
}

export interface ReissueTotals {
  currency: string
  invoices: number
  oldTotalMinor: number
  newTotalMinor: number
  oldAmountDueMinor: number
  newAmountDueMinor: number
}

export interface ReissuePreview {
  rows: ReissuePreviewRow[]
  totals: ReissueTotals[]
  skipped: number
}

export type ReissueBatchState = 'scheduled' | 'running' | 'completed' | 'cancelled' | 'failed'

export interface ReissueBatch {
  id: number
  createdAt: string
  operatorName: string
  mode: ReissueMode
  issuedAfter: string
  customers: number
  state: ReissueBatchState
  scheduledFor: string | null
  invoices: number
  done: number
  error: string | null
  finishedAt: string | null
}

export interface ReissueResultRow {
  position: number
  customerId: number
  customerName: string
  currency: string
  carried: boolean
  state: 'pending' | 'done' | 'skipped' | 'cancelled'
  reason: string | null
  invoiceId: number
  oldNumber: string
  newInvoiceId: number | null
  newNumber: string | null
  oldTotalMinor: number
  newTotalMinor: number | null
  oldAmountDueMinor: number
  newAmountDueMinor: number | null
  oldStatus: InvoiceStatus
  newStatus: InvoiceStatus | null
}

export interface ReissueRunResult {
  batchId: number
  reissued: number
  skipped: number
  cancelled: boolean
}

/** A CSV of customer IDs read: the customers found, and the problems by line. */
export interface CustomerCsvParse {
  customers: { id: number; customerId: string; companyName: string }[]
  problems: { line: number; text: string; problem: string }[]
}

export interface ReissueStarted {
  batchId: number
  /** The job running it now; null when scheduled. */
  job: JobSnapshot<ReissueRunResult> | null
}

export interface ReissueBatchResults {
  batch: ReissueBatch
  rows: ReissueResultRow[]
}

export interface ReissueFromRerating {
  customers: { id: number; customerId: string; companyName: string }[]
  /** Just before the first out-of-date invoice was issued; null when none is out of date. */
  issuedAfter: string | null
}

/** The off-peak window for scheduled re-issues (local HH:MM), and when the next one starts. */
export interface OffPeakWindow {
  start: string
  end: string
  /** The next start of the window after now (an instant). */
  nextStart: string
}

/** An entry on the desk's notifications list. */
export interface DeskNotification {
  id: number
  at: string
  kind: string
  title: string
  body: string
  link: string | null
  read: boolean
}

// ---------------------------------------------------------------------------------------------
// --- Audit links and traces (issue 12, items 2 and 4)

/** A record an audit entry names: a customer, an invoice, a ledger record (xDR), a price list, a re-rating run or a usage import. */
export interface AuditLink {
  kind: 'customer' | 'invoice' | 'xdr' | 'priceList' | 'rerating' | 'usageImport'
  id: number
  /** The customer the record belongs to, when it has one (an xDR opens in its customer's Balance & credits). */
  customerId: number | null
  label: string
  /** An xDR's day (UTC, YYYY-MM-DD): the usage browser opens on it. */
  day?: string
}

/** What a trace follows back to its causes. */
export type TraceTarget = 'invoice.amountDue' | 'invoice.status' | 'customer.balance' | 'customer.funds' | 'customer.unallocated' | 'customer.status'

/** One event of a trace: the audit entry, what it changed and the value after it. */
export interface TraceStep {
  entryId: number
  at: string
  operatorName: string
  kind: string
  description: string
  /** The change, signed and in the currency's minor units shown as an amount ("-30.00"); for a status "Open → Partially paid". */
  delta: string | null
  /** The running value after this step ("70.00 USD", "Partially paid"). */
  valueAfter: string
  /** Set when this step does not start from the running value before it (a change the log does not hold). */
  gap: string | null
  links: AuditLink[]
}

export interface TraceResult {
  target: TraceTarget
  id: number
  /** What is traced, e.g. "Amount due of invoice INV-000001". */
  title: string
  currentValue: string
  /** The running value adds up to the current value with no gap; false is a ledger defect. */
  consistent: boolean
  /** Why it is not consistent, in words; null when it is. */
  problem: string | null
  steps: TraceStep[]
}

// --- Cashier shifts (issue 13 item 3; docs/shifts.md) ---

/** One currency of a shift: the float, the cash taken and paid out, and (once closed) the count. */
export interface ShiftCurrency {
  currency: string
  floatMinor: number
  /** Cash payments taken (Manual payment, out-of-turn cash). */
  cashInMinor: number
  /** Refunds paid out in cash. */
  cashOutMinor: number
  /** float + cash in − cash out: what the drawer should hold (now, or as stored at closing). */
  expectedMinor: number
  /** The cash counted at closing; null while the shift is open. */
  countedMinor: number | null
  /** counted − expected (negative: short, positive: over); null while open. */
  differenceMinor: number | null
}

/** One cash movement of a shift (a ledger record). */
export interface ShiftMovement {
  xdrId: number
  at: string
  customerId: string
  customerName: string
  /** "Cash payment" or "Refund paid out". */
  label: string
  currency: string
  /** + into the drawer, − out of it. */
  amountMinor: number
}

export interface Shift {
  id: number
  operatorId: number
  operatorName: string
  openedAt: string
  closedAt: string | null
  /** Who closed it (the operator, or an administrator). */
  closedBy: string | null
  currencies: ShiftCurrency[]
  payments: number
  refunds: number
}

export interface ShiftDetail extends Shift {
  movements: ShiftMovement[]
}

/** The calling operator's open shift (null: none), and the currencies the desk takes cash in. */
export interface CurrentShift {
  shift: ShiftDetail | null
  currencies: string[]
  /** A cashier cannot take cash without an open shift (an administrator can: docs/payments.md). */
  cashNeedsShift: boolean
}

export interface ShiftListResult {
  rows: Shift[]
  total: number
}

/** The shift report (80 mm): the shift as the engine has it, with the company heading the slip. */
export interface ShiftReportDocument {
  company: DocumentCompany
  shift: ShiftDetail
  /** When the report was drawn (an open shift's report is an interim one). */
  printedAt: string
}

// ---- Operators and login (issue 13 items 1 and 2; docs/operators.md) ----

/** An operator as the Operators page lists them (never the password hash). */
export interface OperatorRow {
  id: number
  login: string
  name: string
  role: Role
  disabled: boolean
  createdAt: string
  hasPassword: boolean
  /** Set while five wrong passwords in a row keep the operator out (ISO time it unlocks). */
  lockedUntil: string | null
}

/** Who this window or tab is, as `auth.session` answers. */
export interface AuthSession {
  operator: Operator | null
  locked: boolean
  /** Minutes without input after which the counter locks itself (Settings; 0 = never). */
  idleLockMinutes: number
}
