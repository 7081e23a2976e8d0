import { z } from 'zod'
import type {
  AppStatus,
  AuditEntry,
  AuditExportChunk,
  AuditFacets,
  AuditSearchPage,
  AuditVerification,
  AuditVerifyResult,
  BackupInfo,
  CompanySettings,
  ClassPriceLists,
  CustomerClass,
  CustomerDetail,
  CustomerPriceLists,
  CustomerRow,
  CustomFieldDefinition,
  ImportPreview,
  PriceList,
  PriceListComparison,
  PriceListDetail,
  PriceListPreview,
  PriceListVersion,
  OutOfDatePeriod,
  ReratingHistoryEntry,
  ReratingPreview,
  ReratingResult,
  JobSnapshot,
  UsagePurgePreview,
  UsagePurgeResult,
  UsageRetention,
  AdjustmentImpact,
  AdjustmentResult,
  CardActivity,
  LedgerCheckResult,
  Service,
  ServiceOption,
  LedgerTransaction,
  RestoreCandidate,
  RestoreOutcome,
  Role,
  CustomerUsageSummary,
  UsageBrowserPage,
  UsageTotals
} from './domain'
import { SERVICE_KINDS } from './domain'
import { CURRENCY_CODES, ROUNDING_MODES } from './money'
import type { UsageImportRecord, UsageImportSummary } from './domain'
import {
  type CompanyLogoInfo,
  INVOICE_STATUSES,
  type InvoiceCloseResult,
  type InvoiceDetail,
  type InvoiceDocumentVersion,
  type InvoiceListResult,
  type InvoicePdfFile
} from './domain'
import type { OutOfTurnIssued, OutOfTurnPending, OutOfTurnPreview } from './domain'
import type { InvoiceCsvChunk, InvoiceEvent } from './domain'
import {
  REISSUE_MODES,
  type CustomerCsvParse,
  type DeskNotification,
  type OffPeakWindow,
  type ReissueBatch,
  type ReissueBatchResults,
  type ReissueFromRerating,
  type ReissuePreview,
  type ReissueRunResult,
  type ReissueStarted
} from './domain'
import type { TraceResult } from './domain'
import type { CurrentShift, ShiftDetail, ShiftListResult } from './domain'
import type { AuthSession, OperatorRow } from './domain'

/**
 * The IPC contract: channel name -> input schema (checked at run time in the main process)
 * -> result type -> roles allowed. Both transports (Electron IPC and the loopback host) serve
 * exactly this map through one handler table.
 */
/**
 * The kinds of data the desk keeps. Each channel says which it reads or which it changes, so the
 * renderer refreshes exactly the screens showing data a successful change touched (a query is
 * refreshed when its channel `reads` a kind the change `changes`); no screen lists what to reload.
 */
export const DATA_KINDS = [
  /** `app.status`: the desk's phase (setup, recovery, ready), operator, version and company settings. */
  'status',
  'settings',
  'backups',
  /** Customers with their balances, status, accounts and custom field values. */
  'customers',
  'ledger',
  /** Card attempts, authorizations and refundable card payments. */
  'payments',
  'services',
  /** Customer classes (with their customer counts). */
  'classes',
  /** Price lists, their versions and rates, and their assignment to classes and customers. */
  'priceLists',
  /** Usage records (xDRs of kind usage), the imports that brought them in, their re-ratings and retention. */
  'usage',
  'customFields',
  /** Invoices (issue 10): issued invoices, their lines and statuses. */
  'invoices',
  /** Cashier shifts (issue 13 item 3): floats, the cash taken on them, closing counts. */
  'shifts',
  'audit',
  /** Operators (issue 13): who may log in, with which role. */
  'operators'
] as const
export type DataKind = (typeof DATA_KINDS)[number]

/** A channel either only reads (a query) or changes data (a mutation): never both, never neither. */
type DataUse = { reads: readonly DataKind[]; changes?: never } | { changes: readonly DataKind[]; reads?: never }

type ChannelDef<I extends z.ZodType, R> = DataUse & {
  input: I
  roles: readonly Role[]
  /** Largest request accepted, in bytes of its JSON; DEFAULT_BODY_LIMIT when not set. */
  maxBodyBytes?: number
  /** Phantom field carrying the result type; never set at run time. */
  result?: R
}

function channel<R>() {
  return <I extends z.ZodType>(def: DataUse & { input: I; roles: readonly Role[]; maxBodyBytes?: number }): ChannelDef<I, R> => def
}

/**
 * Request size limits, one per channel, applied by both transports before the input is parsed
 * (src-main/ipc/dispatch.ts). Forms and lists fit in 1 MiB with room to spare.
 */
export const DEFAULT_BODY_LIMIT = 1024 * 1024
/** Longest customer CSV, in characters (the schema's limit). */
const CSV_MAX_CHARS = 50 * 1024 * 1024
/**
 * A CSV travels as a JSON string, where quotes, backslashes and line breaks take two bytes each;
 * so a 50 MB file of any ordinary text fits in twice its size, plus the rest of the request.
 */
const CSV_BODY_LIMIT = 2 * CSV_MAX_CHARS + DEFAULT_BODY_LIMIT

/** A usage file travels in parts of at most this many characters (a JSON body of about 4 MiB at worst for ordinary text). */
export const USAGE_CHUNK_MAX_CHARS = 1_000_000
/** The largest usage file the Usage page takes (about 2.5M records). */
export const USAGE_FILE_MAX_CHARS = 200_000_000

const EVERYONE: readonly Role[] = ['administrator', 'cashier', 'auditor']
const ADMIN: readonly Role[] = ['administrator']
/**
 * A restore replaces every kind of data but the status: the restore answers with the new status,
 * and the screen applies it once the person has read what the restore did (recovery shows the
 * replayed changes first).
 */
const RESTORED: readonly DataKind[] = DATA_KINDS.filter((k) => k !== 'status')

const nothing = z.object({}).strict()
/** A whole number; the message is what a form shows for "abc", "1.5" or an empty box. */
const whole = () => z.number({ error: 'Enter a whole number.' }).int('Enter a whole number.')
const text = (label: string, max: number) =>
  z
    .string({ error: `${label} is required.` })
    .trim()
    .max(max, `${label} is at most ${max} characters.`)

// Operators (issue 13): what a login, a name and a new password may be.
export const operatorLogin = z
  .string({ error: 'Login is required.' })
  .trim()
  .min(1, 'Login is required.')
  .max(40, 'Login is at most 40 characters.')
  .regex(/^[A-Za-z0-9._@-]+$/, 'A login is letters, digits and . _ @ - only.')
  .refine((l) => l.toLowerCase() !== 'system', 'The login "system" is reserved.')
export const operatorName = text('Name', 100).min(1, 'Name is required.')
export const newPassword = z.string({ error: 'Password is required.' }).min(8, 'A password has at least 8 characters.').max(200, 'A password is at most 200 characters.')
/** A password as typed at login: not checked against the rules (an old password may predate them). */
const givenPassword = z.string({ error: 'Password is required.' }).min(1, 'Password is required.').max(200, 'A password is at most 200 characters.')

export const setupInput = z
  .object({
    companyName: text('Company name', 200).min(1, 'Company name is required.'),
    address: text('Address', 1000),
    defaultCurrency: z.enum(CURRENCY_CODES, { error: 'Choose a currency from the list.' }),
    loadDemoData: z.boolean(),
    /** The first administrator (issue 13): who logs in after setup. */
    adminLogin: operatorLogin,
    adminName: operatorName,
    adminPassword: newPassword
  })
  .strict()

/** The largest "Maximum amount per operation" (major units): 10^15 minor units of KWD, still exact. */
export const MAX_OPERATION_AMOUNT_CEILING = 1_000_000_000_000

export const settingsInput = z
  .object({
    companyName: text('Company name', 200).min(1, 'Company name is required.'),
    address: text('Address', 1000),
    cardAuthorizationDays: whole().min(1, 'At least 1 day.').max(30, 'At most 30 days.').optional(),
    /** Whole major units of the customer's currency; the bound keeps it exact in every currency. */
    maxOperationAmount: z
      .number({ error: 'Enter a whole number.' })
      .int('Enter a whole number of currency units, without decimals.')
      .min(1, 'At least 1.')
      .max(MAX_OPERATION_AMOUNT_CEILING, 'At most 1,000,000,000,000.')
      .optional(),
    // Usage settings (issue 9): the rounding of rated charges and the usage import folder.
    roundingMode: z.enum(ROUNDING_MODES, { error: 'Choose a rounding rule from the list.' }).optional(),
    /** Minutes without input before the counter locks itself; 0 never locks. */
    idleLockMinutes: whole().min(0, 'At least 0 (never).').max(480, 'At most 480 minutes.').optional(),
    /** A full path; empty: no import folder. The engine checks it exists and can be written. */
    usageImportFolder: z
      .string()
      .trim()
      .max(4096, 'The path is longer than 4096 characters.')
      .refine((p) => !p.includes('\u0000'), 'A folder path cannot contain a NUL character.')
      .optional()
  })
  .strict()

const CUSTOMER_STATUSES = ['active', 'blocked', 'suspended', 'provisionally-terminated', 'permanently-terminated', 'exported'] as const
const id = z.number({ error: 'An ID is required.' }).int().positive()
/** Money as the person typed it; the engine parses it exactly in the customer's currency. */
const amountText = z.string().trim().max(40)
const ISO_DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/

/** A day that exists on the calendar, written YYYY-MM-DD (year 0001 to 9999). */
export function isCalendarDate(text: string): boolean {
  const m = ISO_DATE_RE.exec(text)
  if (!m) return false
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])]
  if (year < 1 || month < 1 || month > 12 || day < 1) return false
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!
  return day <= days
}

/** Every date of the contract: the shape alone let 2026-02-30 and 0000-00-00 be stored. */
export const isoDate = z.string().regex(ISO_DATE_RE, { message: 'Use a date like 2026-11-30.', abort: true }).refine(isCalendarDate, 'Use a real date like 2026-11-30.')

export const customerFiltersInput = z
  .object({
    statuses: z.array(z.enum(CUSTOMER_STATUSES)).max(6).optional(),
    balanceControl: z.enum(['prepaid', 'postpaid']).optional(),
    currency: z.enum(CURRENCY_CODES).optional(),
    classId: id.optional(),
    overLimit: z.boolean().optional(),
    hasOverdueInvoice: z.boolean().optional()
  })
  .strict()

const customerQuery = {
  search: z.string().max(200).default(''),
  filters: customerFiltersInput.default({}),
  sort: z
    .object({
      key: z.enum(['customerId', 'companyName', 'balanceControl', 'balance', 'unallocated', 'creditLimit', 'status', 'currency', 'className']),
      dir: z.enum(['asc', 'desc'])
    })
    .strict()
    .default({ key: 'customerId', dir: 'asc' })
}

/** Fields of the form that can change after creation (currency and balance cannot). */
const customerEditable = {
  companyName: text('Company name', 200),
  classId: id.nullable(),
  creditLimit: amountText.nullable(),
  firstName: text('First name', 100).default(''),
  lastName: text('Last name', 100).default(''),
  phone: text('Phone', 50).default(''),
  email: z.union([z.literal(''), z.string().trim().max(200).email('Enter a valid e-mail address.')]).default(''),
  address: text('Address', 1000).default(''),
  city: text('City', 100).default(''),
  zip: text('Postal code', 20).default(''),
  country: text('Country', 100).default(''),
  notes: text('Notes', 5000).default(''),
  dueDaysOverride: whole().min(0, 'Due days cannot be negative.').max(365, 'At most 365 days.').nullable().default(null),
  taxRatePpmOverride: z.number().int().min(0).max(1_000_000, 'Tax rate is at most 100%.').nullable().default(null),
  customFields: z
    .array(z.object({ fieldId: id, value: z.string().max(1000) }).strict())
    .max(100)
    .default([])
}

export const customerCreateInput = z
  .object({
    customerId: text('Customer ID', 64).min(1, 'Customer ID is required.'),
    blocked: z.boolean().default(false),
    balanceControl: z.enum(['prepaid', 'postpaid'], { error: 'Choose prepaid or postpaid.' }),
    currency: z.enum(CURRENCY_CODES, { error: 'Choose a currency from the list.' }),
    /** Postpaid: opening balance owed; prepaid: opening available funds. Empty means zero. */
    openingBalance: amountText.default(''),
    ...customerEditable
  })
  .strict()

export const customerUpdateInput = z
  .object({
    id,
    ...customerEditable,
    /** Set after the person confirmed a credit limit below the current balance. */
    confirmCreditLimitBelowBalance: z.boolean().default(false)
  })
  .strict()

export const statusChangeInput = z
  .object({
    id,
    action: z.enum(['block', 'unblock', 'lift-suspension', 'provisionally-terminate', 'reactivate', 'permanently-terminate', 'export', 'clear-export']),
    note: text('Note', 500).default(''),
    /** lift-suspension: the last day the lift lasts. */
    until: isoDate.optional(),
    /** permanently-terminate: the termination date (default today). */
    terminationDate: isoDate.optional(),
    /** permanently-terminate: issue an invoice for the partial period, in the same change. */
    issuePartialInvoice: z.boolean().default(false)
  })
  .strict()

export const classInput = z
  .object({
    name: text('Name', 100).min(1, 'Name is required.'),
    currency: z.enum(CURRENCY_CODES).nullable(),
    billingPeriod: z.enum(['monthly', 'weekly']),
    billingDay: whole().min(1, 'Billing day is 1-28 (monthly) or 1-7 (weekly).').max(28, 'Billing day is 1-28 (monthly) or 1-7 (weekly).'),
    dueDays: whole().min(0, 'Due days cannot be negative.').max(365, 'At most 365 days.'),
    suspendOnOverdue: z.boolean(),
    suspensionGraceDays: whole().min(0, 'Grace days cannot be negative.').max(365, 'At most 365 days.'),
    reactivationDays: whole().min(1, 'At least one day.').max(3650, 'At most 3650 days.'),
    taxRatePpm: whole().min(0, 'Tax rate cannot be negative.').max(1_000_000, 'Tax rate is at most 100%.'),
    invoicePrefix: text('Invoice prefix', 20).regex(/^[A-Za-z0-9/_-]*$/, 'Letters, digits, "/", "-" and "_" only.')
  })
  .strict()

export const ADJUSTMENT_OPERATIONS = [
  'manual-charge',
  'manual-credit',
  'manual-payment',
  'promotional-credit',
  'refund',
  'ecommerce-payment',
  'ecommerce-refund',
  'authorization',
  'capture',
  'void'
] as const

/** One adjustment as the wizard collects it; which fields apply depends on the operation. */
export const adjustmentFields = {
  customerId: id,
  operation: z.enum(ADJUSTMENT_OPERATIONS, { error: 'Choose an operation type.' }),
  amount: amountText,
  /** Manual charge / credit only. */
  serviceId: id.nullable().default(null),
  /** Manual charge / credit only; default today. */
  date: isoDate.nullable().default(null),
  /** Manual charge / credit only. */
  outOfTurn: z.boolean().default(false),
  /** E-commerce refund, capture and void: the gateway transaction ID. */
  transactionId: z.string().trim().max(100).default(''),
  /** E-commerce payment and authorization: passed to the gateway, never stored. */
  cardNumber: z.string().trim().max(30).default(''),
  /** MM/YY */
  cardExpiry: z.string().trim().max(7).default(''),
  visibleComment: text('Visible comment', 500).default(''),
  internalComment: text('Internal comment', 2000).default('')
}

export const serviceInput = z
  .object({
    name: text('Name', 100).min(1, 'Name is required.'),
    kind: z.enum(SERVICE_KINDS, { error: 'Choose a kind: voice, messaging, subscription, one-off goods or fees.' })
  })
  .strict()

const csvText = z.string().min(1, 'The file is empty.').max(CSV_MAX_CHARS, 'The file is larger than 50 MB.')

/** An instant with its offset, e.g. 2026-03-01T00:00:00Z or 2026-03-01T00:00:00+01:00. */
const instant = z.iso.datetime({ offset: true, error: 'Enter a date and time with its time zone, e.g. 2026-03-01T00:00:00Z.' })

const priceListCsv = { priceListId: id, csv: csvText }

const backupFileName = z.string().regex(/^[A-Za-z0-9._-]+\.sqlite$/, 'Not a backup file name.')

/**
 * A file chosen by the person: a full path (a relative one would land wherever the app happened to
 * start), without the NUL character no file system accepts.
 */
const filePath = z
  .string()
  .trim()
  .min(1, 'Give the path of a file.')
  .max(4096, 'The path is longer than 4096 characters.')
  .refine((p) => !p.includes('\u0000'), 'A file path cannot contain a NUL character.')
  .refine((p) => /^(\/|[A-Za-z]:[\\/]|\\\\)/.test(p), 'Give the full path of the file (starting with "/" or a drive letter such as C:\\).')

/** A backup in the data folder's backups folder, or any file by its path. */
const restoreSource = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('backup'), fileName: backupFileName }).strict(),
  z.object({ kind: z.literal('file'), path: filePath }).strict()
])

// --- Usage browser (issue 9) ---------------------------------------------------------------------

/** Why a usage record is unrated (src-main/engine/usageRating.ts UsageUnratedReason). */
export const USAGE_UNRATED_REASONS = ['no-matching-prefix', 'no-price-list', 'unknown-account', 'closed-account', 'unknown-service'] as const

/** The usage browser's filters; every one optional. `to` is exclusive, `from` inclusive. */
export const usageFilterFields = {
  customerId: id.optional(),
  /** An account ID (as on the customer's Accounts tab, or as the switch wrote an unknown one). */
  account: z.string().trim().max(64, 'Account is at most 64 characters.').optional(),
  from: instant.optional(),
  to: instant.optional(),
  serviceId: id.optional(),
  rating: z.enum(['rated', 'unrated'], { error: 'Rating is "rated" or "unrated".' }).optional(),
  unratedReason: z.enum(USAGE_UNRATED_REASONS, { error: 'Choose a reason from the list.' }).optional(),
  /** The start of the called number as the switch wrote it, e.g. +44 or +4420. */
  destination: z
    .string()
    .trim()
    .max(32, 'Destination is at most 32 characters.')
    .regex(/^\+?[0-9]*$/, 'Destination is the start of a called number: digits, optionally after "+".')
    .optional(),
  /** Show money records (payments, credits, charges) between the usage, with their visible comments. */
  includeTransactions: z.boolean().default(false)
}

/** The audit log's filters (issue 12): dates as instants (`to` exclusive), the rest exact but the free text. */
export const auditFilterFields = {
  from: instant.optional(),
  to: instant.optional(),
  customerId: id.optional(),
  kind: z.string().trim().max(64, 'Kind is at most 64 characters.').optional(),
  operatorId: id.optional(),
  text: z.string().trim().max(100, 'Search text is at most 100 characters.').optional()
}

const usageCursor = z.object({ startedAt: z.string().max(40), xdrId: id }).strict()
const USAGE_READS: readonly DataKind[] = ['usage', 'ledger', 'customers', 'services']
// --- Re-rating and retention of usage (issue 9, items 5 and 6) ---

const reratingScope = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('all') }).strict(),
  z.object({ kind: z.literal('class'), classId: id }).strict(),
  z.object({ kind: z.literal('customers'), customerIds: z.array(id).min(1, 'Pick at least one customer.').max(10_000, 'Pick at most 10,000 customers.') }).strict()
])

export const reratingInput = z
  .object({
    scope: reratingScope,
    from: instant,
    to: instant,
    /** Null: each customer's assigned lists; else one list for everyone (customers in another currency are skipped). */
    priceListId: id.nullable()
  })
  .strict()

const jobId = z.object({ jobId: z.string().uuid('Not a job id.') }).strict()

const reratingChannels = {
  /** What a re-rating would change (per customer old/new total and difference, a page of changed records); writes nothing. */
  'rerating.preview': channel<ReratingPreview>()({
    reads: ['usage', 'customers', 'priceLists'],
    input: reratingInput.extend({ offset: z.number().int().min(0).default(0), limit: z.number().int().min(1).max(500).default(100) }).strict(),
    roles: ADMIN
  }),
  /** Starts the re-rating as a job (one unit of work per customer); poll rerating.status. */
  'rerating.start': channel<JobSnapshot<ReratingResult>>()({ changes: ['usage', 'ledger', 'customers', 'audit'], input: reratingInput, roles: ADMIN }),
  /** A re-rating job's progress and, once ended, its result. Read after the end to refresh the screens it changed. */
  'rerating.status': channel<JobSnapshot<ReratingResult>>()({ reads: ['usage'], input: jobId, roles: ['administrator', 'auditor'] }),
  /** Stops a re-rating between customers: those done stay done. */
  'rerating.cancel': channel<JobSnapshot<ReratingResult>>()({ changes: ['usage', 'ledger', 'customers', 'audit'], input: jobId, roles: ADMIN }),
  'rerating.history': channel<ReratingHistoryEntry[]>()({ reads: ['usage'], input: nothing, roles: ['administrator', 'auditor'] }),
  /** Customer periods whose usage a re-rating changed: their invoices are out of date (issues 10 and 11). */
  'rerating.outOfDatePeriods': channel<OutOfDatePeriod[]>()({
    reads: ['usage', 'customers'],
    input: z.object({ customerId: id.optional(), since: instant.optional() }).strict(),
    roles: ['administrator', 'auditor']
  }),
  'usage.retention': channel<UsageRetention>()({ reads: ['settings', 'usage'], input: nothing, roles: EVERYONE }),
  'usage.setRetention': channel<UsageRetention>()({
    changes: ['settings', 'usage', 'audit'],
    input: z.object({ months: whole().min(1, 'Keep usage for at least 1 month.').max(120, 'Keep usage for at most 120 months.') }).strict(),
    roles: ADMIN
  }),
  /** What a purge now would remove (per customer and month) and the summaries replacing it; changes nothing. */
  'usage.retentionPreview': channel<UsagePurgePreview>()({ reads: ['usage', 'settings'], input: nothing, roles: ADMIN }),
  /** Purges usage before the cutoff the person confirmed (refused if the cutoff has moved since the preview). */
  'usage.purge': channel<UsagePurgeResult>()({
    changes: ['usage', 'ledger', 'settings', 'audit'],
    input: z.object({ cutoff: instant }).strict(),
    roles: ADMIN
  })
} as const

// Invoices (issue 10)

export const invoiceListInput = z
  .object({
    status: z.enum(INVOICE_STATUSES).optional(),
    customerId: id.optional(),
    /** Invoices whose period overlaps [periodFrom, periodTo): local dates. */
    periodFrom: isoDate.optional(),
    periodTo: isoDate.optional(),
    /** Issued on these local dates, both included. */
    issuedFrom: isoDate.optional(),
    issuedTo: isoDate.optional(),
    /** Only customers that have an overdue invoice. */
    overdue: z.boolean().optional(),
    offset: z.number().int().min(0).default(0),
    limit: z.number().int().min(1).max(500).default(100)
  })
  .strict()

export const invoiceReductionInput = z
  .object({
    invoiceId: id,
    amount: amountText.min(1, 'Enter the amount to take off the amount due.'),
    /** Shown on the invoice and in the transactions. */
    comment: text('Comment', 500).default('')
  })
  .strict()

const INVOICE_CHANGES: readonly DataKind[] = ['invoices', 'ledger', 'customers', 'audit']

const invoiceChannels = {
  'invoices.list': channel<InvoiceListResult>()({ reads: ['invoices', 'customers'], input: invoiceListInput, roles: EVERYONE }),
  'invoices.get': channel<InvoiceDetail>()({ reads: ['invoices', 'customers', 'usage'], input: z.object({ id }).strict(), roles: EVERYONE }),
  /**
   * Closes now, as a job: every period that has ended, then the current one up to now, for one
   * customer or all (units of a few hundred customers); poll invoiceClose.status.
   */
  'invoices.closeNow': channel<JobSnapshot<InvoiceCloseResult>>()({ changes: INVOICE_CHANGES, input: z.object({ customerId: id.optional() }).strict(), roles: ADMIN }),
  'invoiceClose.status': channel<JobSnapshot<InvoiceCloseResult>>()({ reads: ['invoices'], input: jobId, roles: ['administrator', 'auditor'] }),
  /** Reduce an issued invoice's amount due by a manual credit aimed at it; answers the invoice as it now stands. */
  'invoices.reduceAmountDue': channel<InvoiceDetail>()({ changes: INVOICE_CHANGES, input: invoiceReductionInput, roles: ADMIN }),
  // Invoice PDF (issue 10 item 5): the A4 document drawn from the invoice as it stands now (~12 KB
  // for one page, so base64 in the JSON answer is fine for both transports).
  'invoices.pdf': channel<InvoicePdfFile>()({ reads: ['invoices', 'customers', 'settings'], input: z.object({ invoiceId: id }).strict(), roles: EVERYONE }),
  // --- Invoice list and view (issue 10 item 6)
  /**
   * The filtered list (every row, not only a page) as CSV, a chunk at a time: the first chunk
   * (offset 0) has the byte-order mark and the header; `next` is the next chunk's offset, null at the end.
   */
  'invoices.exportCsv': channel<InvoiceCsvChunk>()({
    reads: ['invoices', 'customers'],
    input: invoiceListInput
      .omit({ limit: true })
      .extend({ chunkRows: z.number().int().min(1).max(20_000).default(5_000) })
      .strict(),
    roles: ['administrator', 'auditor']
  }),
  /** The audit entries that changed an invoice (sourced by it or naming it), oldest first: the audit log's readers only. */
  'invoices.events': channel<InvoiceEvent[]>()({ reads: ['invoices', 'audit'], input: z.object({ invoiceId: id }).strict(), roles: ['administrator', 'auditor'] })
} as const

// Batch invoice re-issue (issue 11): preview, a batch run as a job (or scheduled), its history and results.
export const reissueSelectionInput = z
  .object({
    /** Customer row ids. */
    customerIds: z.array(id).min(1, 'Choose at least one customer.').max(100_000, 'At most 100,000 customers in one batch.'),
    /** Invoices issued after this instant are re-issued. */
    issuedAfter: instant,
    mode: z.enum(REISSUE_MODES)
  })
  .strict()

export const reissueStartInput = reissueSelectionInput
  .extend({
    /** Run then (the off-peak window) rather than now; null: now. */
    scheduledFor: instant.nullable().default(null)
  })
  .strict()

const REISSUE_CHANGES: readonly DataKind[] = ['invoices', 'ledger', 'customers', 'audit']

const reissueChannels = {
  /** Per invoice old/new total, amount due and status, the later invoices carrying the balance, totals; writes nothing. */
  'reissue.preview': channel<ReissuePreview>()({ reads: ['invoices', 'customers', 'usage', 'ledger'], input: reissueSelectionInput, roles: ADMIN }),
  /** Records the batch and runs it as a job (one customer's invoices per unit of work), or schedules it. */
  'reissue.start': channel<ReissueStarted>()({ changes: REISSUE_CHANGES, input: reissueStartInput, roles: ADMIN }),
  'reissue.status': channel<JobSnapshot<ReissueRunResult>>()({ reads: ['invoices'], input: jobId, roles: ['administrator', 'auditor'] }),
  /** Stops a running batch between customers, or a scheduled one before it runs: the invoices not reached stay untouched. */
  'reissue.cancel': channel<ReissueBatch>()({ changes: REISSUE_CHANGES, input: z.object({ batchId: id }).strict(), roles: ADMIN }),
  'reissue.list': channel<ReissueBatch[]>()({ reads: ['invoices'], input: nothing, roles: ['administrator', 'auditor'] }),
  'reissue.results': channel<ReissueBatchResults>()({ reads: ['invoices', 'customers'], input: z.object({ batchId: id }).strict(), roles: ['administrator', 'auditor'] }),
  /** The results (or, with the selection, the preview) as CSV with a byte-order mark. */
  'reissue.exportCsv': channel<{ fileName: string; csv: string }>()({
    reads: ['invoices', 'customers', 'usage'],
    input: z.object({ batchId: id.optional(), preview: reissueSelectionInput.optional() }).strict(),
    roles: ['administrator', 'auditor']
  }),
  /** The customers a CSV of customer IDs names, and its problems by line. */
  'reissue.parseCustomerCsv': channel<CustomerCsvParse>()({
    reads: ['customers'],
    input: z.object({ text: z.string().max(CSV_MAX_CHARS, 'The file is too large.') }).strict(),
    roles: ADMIN,
    maxBodyBytes: CSV_BODY_LIMIT
  }),
  /** The off-peak window for scheduled batches (Settings) and its next start. */
  'reissue.offPeak': channel<OffPeakWindow>()({ reads: ['settings'], input: nothing, roles: ['administrator', 'auditor'] }),
  /** Local times of day, HH:MM (checked by the engine, which names the field). */
  'reissue.setOffPeak': channel<OffPeakWindow>()({
    changes: ['settings', 'audit'],
    input: z.object({ start: z.string().max(5, 'Enter the start as HH:MM.'), end: z.string().max(5, 'Enter the end as HH:MM.') }).strict(),
    roles: ADMIN
  }),
  /** The desk's notifications list, newest first (a batch re-issue's completion, with a link to its results). */
  'notifications.list': channel<DeskNotification[]>()({ reads: ['invoices', 'audit'], input: nothing, roles: ['administrator', 'auditor'] }),
  'notifications.markRead': channel<DeskNotification[]>()({ changes: ['invoices'], input: z.object({ ids: z.array(id).max(500) }).strict(), roles: ADMIN }),
  /** A re-rating's out-of-date invoices as a selection: its customers and the instant before the first of them was issued. */
  'reissue.fromRerating': channel<ReissueFromRerating>()({ reads: ['invoices', 'customers', 'usage'], input: z.object({ reratingId: id }).strict(), roles: ADMIN })
} as const

// Out-of-turn invoices (issue 10 item 4): the counter invoices flagged charges and credits at once.
const outOfTurnItemsInput = z.object({
  customerId: id,
  xdrIds: z.array(id).min(1, 'Choose at least one charge or credit to invoice.').max(500, 'At most 500 items go on one invoice.')
})

export const outOfTurnIssueInput = outOfTurnItemsInput
  .extend({
    /** Cash taken in the same step (as typed), or null for none. */
    cashPayment: amountText.min(1, 'Enter the cash received, or take no payment.').nullable().default(null),
    visibleComment: text('Visible comment', 500).default(''),
    /** Made when the page opened: a repeated key answers the first result. */
    operationKey: z.string().regex(/^[A-Za-z0-9-]{16,58}$/, 'An operation key is required.')
  })
  .strict()

const outOfTurnChannels = {
  'outOfTurn.pending': channel<OutOfTurnPending>()({ reads: ['ledger', 'customers', 'invoices'], input: z.object({ customerId: id }).strict(), roles: EVERYONE }),
  'outOfTurn.preview': channel<OutOfTurnPreview>()({
    reads: ['ledger', 'customers', 'invoices', 'settings'],
    input: outOfTurnItemsInput.strict(),
    roles: ['administrator', 'cashier']
  }),
  'outOfTurn.issue': channel<OutOfTurnIssued>()({ changes: [...INVOICE_CHANGES, 'shifts'], input: outOfTurnIssueInput, roles: ['administrator', 'cashier'] })
} as const

// ---------------------------------------------------------------------------------------------
// PDF documents: stored invoice versions, the wizard's receipt, the company logo (issue 10 item 5;
// docs/invoices-pdf.md)

/** The largest logo Settings takes: plenty for a header picture 40 mm wide. */
export const LOGO_MAX_BYTES = 512 * 1024
/** A logo travels as base64; the schema lets a somewhat larger file through so the engine can say how large it is. */
const LOGO_BASE64_MAX_CHARS = 4 * LOGO_MAX_BYTES

const pdfDocumentChannels = {
  /** An invoice's stored PDF versions, newest first (reading invoices.pdf stores a new one when the invoice changed). */
  'invoiceDocuments.list': channel<InvoiceDocumentVersion[]>()({ reads: ['invoices'], input: z.object({ invoiceId: id }).strict(), roles: EVERYONE }),
  /** One stored version of an invoice's PDF, as it was issued. */
  'invoiceDocuments.get': channel<InvoicePdfFile>()({
    reads: ['invoices'],
    input: z.object({ invoiceId: id, version: z.number().int('Choose a version.').min(1, 'Choose a version.') }).strict(),
    roles: EVERYONE
  }),
  /** The 80 mm receipt PDF of an adjustment the wizard recorded (by its operation key). */
  'receipts.pdf': channel<InvoicePdfFile>()({
    reads: ['ledger', 'customers', 'settings'],
    input: z.object({ operationKey: z.string().regex(/^[A-Za-z0-9-]{16,64}$/, 'A wizard operation key is required.') }).strict(),
    roles: EVERYONE
  }),
  'companyLogo.get': channel<{ logo: CompanyLogoInfo | null }>()({ reads: ['settings'], input: nothing, roles: EVERYONE }),
  /** Upload the company logo (PNG or JPEG, at most LOGO_MAX_BYTES), checked in the main process. */
  'companyLogo.set': channel<{ logo: CompanyLogoInfo | null }>()({
    changes: ['settings', 'audit'],
    input: z
      .object({
        fileName: z.string().trim().min(1, 'Choose a PNG or JPEG file.').max(255, 'The file name is too long.'),
        dataBase64: z
          .string()
          .min(1, 'The file is empty.')
          .max(LOGO_BASE64_MAX_CHARS, `The logo may be at most ${LOGO_MAX_BYTES / 1024} KB.`)
          .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'The file did not arrive whole; choose it again.')
      })
      .strict(),
    roles: ADMIN,
    maxBodyBytes: LOGO_BASE64_MAX_CHARS + 4096
  }),
  'companyLogo.remove': channel<{ logo: CompanyLogoInfo | null }>()({ changes: ['settings', 'audit'], input: nothing, roles: ADMIN })
} as const

// ---------------------------------------------------------------------------------------------
// Cashier shifts (issue 13 item 3; docs/shifts.md). A cashier and an administrator open, close and
// see their own shift; administrators and auditors list and export every shift.

/** Counted cash per currency ("135", "1,234.56"), parsed exactly in that currency by the engine. */
const cashCounts = (what: string) =>
  z
    .array(z.object({ currency: z.enum(CURRENCY_CODES, { error: 'Choose a currency from the list.' }), amount: amountText }).strict(), {
      error: `Give the ${what} per currency.`
    })
    .max(CURRENCY_CODES.length, `At most one ${what} per currency.`)

const shiftFilterFields = {
  /** Shifts opened on or after this day (UTC). */
  from: isoDate.optional(),
  /** Shifts opened on or before this day (UTC). */
  to: isoDate.optional(),
  status: z.enum(['all', 'open', 'closed'], { error: 'Status is all, open or closed.' }).default('all'),
  /** Only shifts closed with a difference in some currency. */
  withDifference: z.boolean().default(false)
}
const SHIFT_OWN: readonly Role[] = ['administrator', 'cashier']
const SHIFT_ALL: readonly Role[] = ['administrator', 'auditor']

const shiftChannels = {
  /** The calling operator's open shift (null: none) with the expected cash now, and the desk's currencies. */
  'shifts.current': channel<CurrentShift>()({ reads: ['shifts', 'customers', 'settings'], input: nothing, roles: SHIFT_OWN }),
  /** Open a shift for the calling operator with the float counted per currency (one open shift per operator). */
  'shifts.open': channel<ShiftDetail>()({ changes: ['shifts', 'audit'], input: z.object({ floats: cashCounts('float') }).strict(), roles: SHIFT_OWN }),
  /** Close an open shift with the cash counted per currency (one's own; an administrator any): stores expected, counted and the difference. */
  'shifts.close': channel<ShiftDetail>()({
    changes: ['shifts', 'audit'],
    input: z.object({ shiftId: id, counted: cashCounts('cash counted') }).strict(),
    roles: SHIFT_OWN
  }),
  /** The shift report, an 80 mm PDF: one's own shift, or any shift for administrators and auditors. */
  'shifts.report': channel<InvoicePdfFile>()({ reads: ['shifts', 'ledger', 'customers', 'settings'], input: z.object({ shiftId: id }).strict(), roles: EVERYONE }),
  /** Every operator's shifts with their differences, newest first. */
  'shifts.list': channel<ShiftListResult>()({
    reads: ['shifts'],
    input: z.object({ ...shiftFilterFields, offset: z.number().int().min(0).default(0), limit: z.number().int().min(1).max(500).default(100) }).strict(),
    roles: SHIFT_ALL
  }),
  /** The filtered shifts as CSV, one row per shift and currency. */
  'shifts.export': channel<{ fileName: string; csv: string; rows: number }>()({ reads: ['shifts'], input: z.object(shiftFilterFields).strict(), roles: SHIFT_ALL })
} as const
// --- end of cashier shifts

// ---- Operators, login and roles (issue 13 items 1 and 2; docs/operators.md) ----

/**
 * Which roles may submit each kind of adjustment: `adjustments.preview`/`submit` are open to the
 * cashier, whose operation type is then checked in the main process after the input is parsed.
 */
export const OPERATION_ROLES: Record<(typeof ADJUSTMENT_OPERATIONS)[number], readonly Role[]> = {
  'manual-charge': ADMIN,
  'manual-credit': ADMIN,
  'manual-payment': ['administrator', 'cashier'],
  'promotional-credit': ADMIN,
  refund: ADMIN,
  'ecommerce-payment': ['administrator', 'cashier'],
  'ecommerce-refund': ADMIN,
  authorization: ['administrator', 'cashier'],
  capture: ['administrator', 'cashier'],
  void: ['administrator', 'cashier']
}

/**
 * Channels that answer without a logged-in session (the token alone reaches only these in browser
 * mode): the status, logging in, and setting the administrator's password of an upgraded folder.
 * First-run setup and recovery add their own (src-main/ipc/dispatch.ts).
 */
export const OPEN_BEFORE_LOGIN: ReadonlySet<string> = new Set(['app.status', 'auth.login', 'auth.logout', 'auth.session', 'auth.setAdminPassword'])
/** What a locked session may still do: unlock, log out, log in as someone else, read the status. */
export const OPEN_WHILE_LOCKED: ReadonlySet<string> = new Set(['app.status', 'auth.login', 'auth.logout', 'auth.session', 'auth.unlock'])

const ROLE_VALUES = ['administrator', 'cashier', 'auditor'] as const satisfies readonly Role[]

const operatorChannels = {
  /** Log in: binds the session to this window (desktop) or answers it in a header (browser mode). */
  'auth.login': channel<AppStatus>()({
    changes: ['status', 'audit', 'operators'],
    input: z.object({ login: z.string({ error: 'Login is required.' }).trim().min(1, 'Login is required.').max(100), password: givenPassword }).strict(),
    roles: EVERYONE
  }),
  'auth.logout': channel<AppStatus>()({ changes: ['status', 'audit'], input: nothing, roles: EVERYONE }),
  /** Who am I: the operator of this window or tab, whether the session is locked, the idle time. */
  'auth.session': channel<AuthSession>()({ reads: ['status', 'settings'], input: nothing, roles: EVERYONE }),
  /** Lock the counter now (the renderer's idle timer, or by hand). */
  'auth.lock': channel<AppStatus>()({ changes: ['status', 'audit'], input: nothing, roles: EVERYONE }),
  /** Unlock with the same operator's password (another operator logs in with auth.login instead). */
  'auth.unlock': channel<AppStatus>()({ changes: ['status', 'audit', 'operators'], input: z.object({ password: givenPassword }).strict(), roles: EVERYONE }),
  /** An upgraded data folder: the first administrator's password, once; then logged in as them. */
  'auth.setAdminPassword': channel<AppStatus>()({ changes: ['status', 'audit', 'operators'], input: z.object({ password: newPassword }).strict(), roles: ADMIN }),
  'operators.list': channel<OperatorRow[]>()({ reads: ['operators'], input: nothing, roles: ADMIN }),
  'operators.create': channel<OperatorRow>()({
    changes: ['operators', 'audit'],
    input: z
      .object({
        login: operatorLogin,
        name: operatorName,
        role: z.enum(ROLE_VALUES, { error: 'Choose a role: administrator, cashier or auditor.' }),
        password: newPassword
      })
      .strict(),
    roles: ADMIN
  }),
  'operators.disable': channel<OperatorRow>()({ changes: ['operators', 'audit', 'status'], input: z.object({ id }).strict(), roles: ADMIN }),
  'operators.enable': channel<OperatorRow>()({ changes: ['operators', 'audit'], input: z.object({ id }).strict(), roles: ADMIN }),
  'operators.resetPassword': channel<OperatorRow>()({ changes: ['operators', 'audit'], input: z.object({ id, password: newPassword }).strict(), roles: ADMIN }),
  /** Any operator: their own password, given the current one. */
  'operators.changeOwnPassword': channel<OperatorRow>()({
    changes: ['operators', 'audit'],
    input: z.object({ currentPassword: givenPassword, newPassword }).strict(),
    roles: EVERYONE
  })
} as const

export const contract = {
  'app.status': channel<AppStatus>()({ reads: ['status'], input: nothing, roles: EVERYONE }),
  'setup.complete': channel<AppStatus>()({ changes: ['status', 'settings', 'audit'], input: setupInput, roles: ADMIN }),
  'settings.get': channel<CompanySettings>()({ reads: ['settings'], input: nothing, roles: EVERYONE }),
  /** The status carries the company settings too (the header shows the company name). */
  'settings.update': channel<CompanySettings>()({ changes: ['settings', 'status', 'audit'], input: settingsInput, roles: ADMIN }),
  'backup.list': channel<BackupInfo[]>()({ reads: ['backups'], input: nothing, roles: ['administrator', 'auditor'] }),
  'backup.create': channel<BackupInfo>()({
    changes: ['backups'],
    input: z
      .object({
        /** Absent: into the data folder's backups folder. Never elsewhere inside the data folder. */
        path: filePath.optional(),
        /** An existing file at `path` is replaced only when this is true (the dialog asked first). */
        overwrite: z.boolean().default(false)
      })
      .strict(),
    roles: ADMIN
  }),
  /** Checks a restore source (exists, readable, a database this version can open); changes nothing. */
  'backup.check': channel<RestoreCandidate>()({ reads: ['backups'], input: z.object({ source: restoreSource }).strict(), roles: ADMIN }),
  'backup.restore': channel<RestoreOutcome>()({ changes: RESTORED, input: z.object({ source: restoreSource }).strict(), roles: ADMIN }),
  'customers.list': channel<{ total: number; offset: number; rows: CustomerRow[] }>()({
    reads: ['customers', 'classes'],
    input: z
      .object({
        ...customerQuery,
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(500).default(100)
      })
      .strict(),
    roles: EVERYONE
  }),
  'customers.exportCsv': channel<{ fileName: string; csv: string; rows: number }>()({
    reads: ['customers', 'classes'],
    input: z.object(customerQuery).strict(),
    roles: ['administrator', 'auditor']
  }),
  'customers.get': channel<CustomerDetail>()({ reads: ['customers', 'classes', 'customFields'], input: z.object({ id }).strict(), roles: EVERYONE }),
  'customers.create': channel<CustomerDetail>()({ changes: ['customers', 'ledger', 'audit'], input: customerCreateInput, roles: ADMIN }),
  'customers.update': channel<CustomerDetail>()({ changes: ['customers', 'audit'], input: customerUpdateInput, roles: ADMIN }),
  // invoices, ledger: permanent termination may issue the partial period's invoice (issue 10).
  'customers.changeStatus': channel<CustomerDetail>()({ changes: ['customers', 'invoices', 'ledger', 'audit'], input: statusChangeInput, roles: ADMIN }),
  'customers.addAccount': channel<CustomerDetail>()({
    changes: ['customers', 'audit'],
    input: z
      .object({
        id,
        accountId: text('Account ID', 64)
          .min(1, 'Account ID is required.')
          .regex(/^[A-Za-z0-9._-]+$/, 'Letters, digits, ".", "-" and "_" only.')
      })
      .strict(),
    roles: ADMIN
  }),
  'customers.importPreview': channel<ImportPreview>()({
    reads: ['customers', 'classes', 'customFields'],
    input: z.object({ csv: csvText }).strict(),
    roles: ADMIN,
    maxBodyBytes: CSV_BODY_LIMIT
  }),
  'customers.importCommit': channel<{ imported: number; skipped: number }>()({
    changes: ['customers', 'ledger', 'audit'],
    input: z.object({ csv: csvText, onlyValidRows: z.boolean() }).strict(),
    roles: ADMIN,
    maxBodyBytes: CSV_BODY_LIMIT
  }),
  'adjustments.preview': channel<AdjustmentImpact>()({
    reads: ['customers', 'ledger', 'payments', 'services', 'invoices'],
    input: z.object(adjustmentFields).strict(),
    roles: ['administrator', 'cashier']
  }),
  'adjustments.submit': channel<AdjustmentResult>()({
    // Payments are applied to invoices and refunds reopen them (issue 10 item 2); cash goes on the shift (issue 13).
    changes: ['customers', 'ledger', 'payments', 'invoices', 'shifts', 'audit'],
    input: z
      .object({
        ...adjustmentFields,
        /** Generated when the wizard opens: a repeated key returns the first result. */
        operationKey: z.string().regex(/^[A-Za-z0-9-]{16,64}$/, 'A wizard operation key is required.')
      })
      .strict(),
    roles: ['administrator', 'cashier']
  }),
  'payments.reconcile': channel<{ settled: number; stillPending: number }>()({
    changes: ['customers', 'ledger', 'payments', 'audit'],
    input: nothing,
    roles: ['administrator', 'cashier']
  }),
  /** Open authorizations and refundable payments to pick from, pending requests, every attempt. */
  'payments.cardActivity': channel<CardActivity>()({ reads: ['payments'], input: z.object({ customerId: id }).strict(), roles: EVERYONE }),
  'ledger.transactions': channel<LedgerTransaction[]>()({
    reads: ['ledger', 'services'],
    input: z.object({ customerId: id, beforeXdrId: id.optional(), limit: z.number().int().min(1).max(500).default(50) }).strict(),
    roles: EVERYONE
  }),
  'ledger.check': channel<LedgerCheckResult>()({ reads: ['ledger', 'customers'], input: nothing, roles: ['administrator', 'auditor'] }),

  // --- Usage import (issue 9, item 2): a file uploaded in parts, then imported by a job (docs/usage.md) ---
  /** Stage a usage file: its parts follow through usageImport.chunk; nothing is imported yet. */
  'usageImport.begin': channel<{ uploadId: string }>()({
    changes: ['usage'],
    input: z
      .object({
        fileName: text('File name', 255).min(1, 'File name is required.'),
        totalChars: z
          .number()
          .int()
          .min(1, 'The file is empty.')
          .max(USAGE_FILE_MAX_CHARS, `A usage file is at most ${USAGE_FILE_MAX_CHARS.toLocaleString('en-US')} characters; split it.`)
      })
      .strict(),
    roles: ADMIN
  }),
  /** One part of a staged file, in order (seq from 0). */
  'usageImport.chunk': channel<{ receivedChars: number }>()({
    changes: ['usage'],
    input: z
      .object({ uploadId: z.string().uuid(), seq: z.number().int().min(0), text: z.string().max(USAGE_CHUNK_MAX_CHARS, 'A part is at most 1,000,000 characters.') })
      .strict(),
    roles: ADMIN,
    maxBodyBytes: 4 * USAGE_CHUNK_MAX_CHARS + 64 * 1024
  }),
  /** Import a fully staged file as a job (refused while another usage import runs); poll usageImport.status. */
  'usageImport.start': channel<JobSnapshot<UsageImportSummary>>()({
    changes: ['usage', 'customers', 'ledger', 'audit'],
    input: z.object({ uploadId: z.string().uuid() }).strict(),
    roles: ADMIN
  }),
  'usageImport.status': channel<JobSnapshot<UsageImportSummary>>()({
    reads: ['usage'],
    input: z.object({ jobId: z.string().uuid() }).strict(),
    roles: ['administrator', 'auditor']
  }),
  /** Stop the import after the batch in progress: the batches written stay (the summary says so). */
  'usageImport.cancel': channel<JobSnapshot<UsageImportSummary>>()({
    changes: ['usage', 'customers', 'ledger', 'audit'],
    input: z.object({ jobId: z.string().uuid() }).strict(),
    roles: ADMIN
  }),
  /** Past usage imports with their counters, newest first. */
  'usageImport.list': channel<UsageImportRecord[]>()({
    reads: ['usage'],
    input: z.object({ limit: z.number().int().min(1).max(500).default(50) }).strict(),
    roles: ['administrator', 'auditor']
  }),
  /** A past import's stored summary (problems by line, unrated by reason, flagged customers). */
  'usageImport.get': channel<UsageImportSummary>()({ reads: ['usage'], input: z.object({ importId: id }).strict(), roles: ['administrator', 'auditor'] }),
  /** The services the wizard offers for a manual charge or credit: disabled ones are left out. */
  'services.list': channel<ServiceOption[]>()({ reads: ['services'], input: nothing, roles: EVERYONE }),
  /** Every service, disabled ones too, for the Services page. */
  'services.listAll': channel<Service[]>()({ reads: ['services'], input: nothing, roles: EVERYONE }),
  'services.create': channel<Service>()({ changes: ['services', 'audit'], input: serviceInput, roles: ADMIN }),
  'services.update': channel<Service>()({ changes: ['services', 'audit'], input: serviceInput.extend({ id, disabled: z.boolean() }).strict(), roles: ADMIN }),
  'classes.list': channel<CustomerClass[]>()({ reads: ['classes', 'customers'], input: nothing, roles: EVERYONE }),
  'classes.create': channel<CustomerClass>()({ changes: ['classes', 'audit'], input: classInput, roles: ADMIN }),
  'classes.update': channel<CustomerClass>()({ changes: ['classes', 'audit'], input: classInput.extend({ id }).strict(), roles: ADMIN }),
  'priceLists.list': channel<PriceList[]>()({ reads: ['priceLists'], input: nothing, roles: EVERYONE }),
  'priceLists.get': channel<PriceListDetail>()({ reads: ['priceLists'], input: z.object({ id }).strict(), roles: EVERYONE }),
  'priceLists.create': channel<PriceList>()({
    changes: ['priceLists', 'audit'],
    input: z
      .object({
        name: text('Name', 100).min(1, 'Name is required.'),
        currency: z.enum(CURRENCY_CODES, { error: 'Choose a currency from the list.' })
      })
      .strict(),
    roles: ADMIN
  }),
  /** Checks a version's CSV and lists its rows and problems; changes nothing. */
  'priceLists.previewVersion': channel<PriceListPreview>()({
    reads: ['priceLists'],
    input: z.object(priceListCsv).strict(),
    roles: ADMIN,
    maxBodyBytes: CSV_BODY_LIMIT
  }),
  /** Uploads a version only when its CSV has no problem at all: nothing is half-imported. */
  'priceLists.uploadVersion': channel<PriceListVersion>()({
    changes: ['priceLists', 'audit'],
    input: z.object({ ...priceListCsv, effectiveFrom: instant }).strict(),
    roles: ADMIN,
    maxBodyBytes: CSV_BODY_LIMIT
  }),
  /** The version in force at an instant: the latest effective at or before it (null: none yet). */
  'priceLists.versionAt': channel<{ version: PriceListVersion | null }>()({
    reads: ['priceLists'],
    input: z.object({ priceListId: id, at: instant }).strict(),
    roles: EVERYONE
  }),
  'priceLists.compare': channel<PriceListComparison>()({ reads: ['priceLists'], input: z.object({ versionId: id }).strict(), roles: EVERYONE }),
  'priceLists.assignToClass': channel<{ classId: number; serviceId: number; priceListId: number }>()({
    changes: ['priceLists', 'classes', 'audit'],
    input: z.object({ classId: id, serviceId: id, priceListId: id }).strict(),
    roles: ADMIN
  }),
  'priceLists.overrideForCustomer': channel<{ customerId: number; serviceId: number; priceListId: number }>()({
    changes: ['priceLists', 'customers', 'audit'],
    input: z.object({ customerId: id, serviceId: id, priceListId: id }).strict(),
    roles: ADMIN
  }),
  // Price-list assignment screens (issue 9): what rates a class's and a customer's usage, and removing it.
  /** A class's list per rated service (voice and messaging services, and any other with a list). */
  'priceLists.classAssignments': channel<ClassPriceLists>()({
    reads: ['priceLists', 'classes', 'customers', 'services'],
    input: z.object({ classId: id }).strict(),
    roles: EVERYONE
  }),
  /** A customer's own lists, its class's, and the effective one per rated service with its source. */
  'priceLists.customerAssignments': channel<CustomerPriceLists>()({
    reads: ['priceLists', 'classes', 'customers', 'services'],
    input: z.object({ customerId: id }).strict(),
    roles: EVERYONE
  }),
  'priceLists.removeClassAssignment': channel<{ classId: number; serviceId: number }>()({
    changes: ['priceLists', 'classes', 'audit'],
    input: z.object({ classId: id, serviceId: id }).strict(),
    roles: ADMIN
  }),
  /** The customer's usage of the service is rated with its class's list again. */
  'priceLists.removeCustomerOverride': channel<{ customerId: number; serviceId: number }>()({
    changes: ['priceLists', 'customers', 'audit'],
    input: z.object({ customerId: id, serviceId: id }).strict(),
    roles: ADMIN
  }),
  'customFields.list': channel<CustomFieldDefinition[]>()({ reads: ['customFields'], input: nothing, roles: EVERYONE }),
  'customFields.create': channel<CustomFieldDefinition>()({
    changes: ['customFields', 'audit'],
    input: z.object({ name: text('Name', 60).min(1, 'Name is required.'), kind: z.enum(['text', 'number', 'date']) }).strict(),
    roles: ADMIN
  }),
  'audit.list': channel<AuditEntry[]>()({
    reads: ['audit'],
    input: z
      .object({
        beforeId: z.number().int().positive().optional(),
        limit: z.number().int().min(1).max(500).default(100)
      })
      .strict(),
    roles: ['administrator', 'auditor']
  }),
  // --- Audit log: filters, export and verification record (issue 12, items 3 and 5) ---
  /**
   * Verify the hash chain and record the run (Settings shows the last one): a change, since the
   * run is itself written down, with an audit entry naming who verified.
   */
  'audit.verify': channel<AuditVerifyResult>()({ changes: ['audit'], input: nothing, roles: ['administrator', 'auditor'] }),
  /** A page of the filtered log, newest first; pass the answer's `next` as `beforeId` for older entries. */
  'audit.search': channel<AuditSearchPage>()({
    reads: ['audit'],
    input: z.object({ ...auditFilterFields, beforeId: id.optional(), limit: z.number().int().min(1).max(500).default(100) }).strict(),
    roles: ['administrator', 'auditor']
  }),
  /** The filtered log as CSV, a chunk at a time: the first chunk (no `beforeId`) has the header; `next` is null at the end. */
  'audit.exportCsv': channel<AuditExportChunk>()({
    reads: ['audit'],
    input: z.object({ ...auditFilterFields, beforeId: id.optional(), chunkRows: z.number().int().min(1).max(50_000).default(20_000) }).strict(),
    roles: ['administrator', 'auditor']
  }),
  /** The kinds of entry and the operators the filters offer. */
  'audit.facets': channel<AuditFacets>()({ reads: ['audit'], input: nothing, roles: ['administrator', 'auditor'] }),
  /** When the chain was last verified (in the app or from the command line) and what was found; null if never. */
  'audit.lastVerification': channel<{ last: AuditVerification | null }>()({ reads: ['audit'], input: nothing, roles: ['administrator', 'auditor'] }),
  // --- Audit log: traces (issue 12, item 4) ---
  /** The chain of audit entries that produced a current value, oldest first, with the running value after each. */
  'audit.trace': channel<TraceResult>()({
    reads: ['audit', 'invoices', 'customers'],
    input: z
      .object({
        target: z.enum(['invoice.amountDue', 'invoice.status', 'customer.balance', 'customer.funds', 'customer.unallocated', 'customer.status']),
        id
      })
      .strict(),
    roles: ['administrator', 'auditor']
  }),
  // --- end of the audit log block
  // --- Usage browser (issue 9)
  /** A page of usage (and optionally money) records, newest first; `after` is the previous page's `next`. */
  'usage.list': channel<UsageBrowserPage>()({
    reads: USAGE_READS,
    input: z.object({ ...usageFilterFields, after: usageCursor.optional(), limit: z.number().int().min(1).max(500).default(100) }).strict(),
    roles: EVERYONE
  }),
  /**
   * Totals of the filtered view per record kind, service and currency. A filter no index narrows is
   * totalled a slice of `sliceXdrs` record ids at a time (pass the answer's `next` as `afterXdrId`),
   * so that reading a million records never holds the engine for seconds in one request.
   */
  'usage.totals': channel<UsageTotals>()({
    reads: USAGE_READS,
    input: z.object({ ...usageFilterFields, afterXdrId: z.number().int().min(0).optional(), sliceXdrs: z.number().int().min(1).max(1_000_000).default(50_000) }).strict(),
    roles: EVERYONE
  }),
  /**
   * The filtered view as CSV, a chunk at a time (a million records do not travel as one answer):
   * the first chunk (no `after`) has the byte-order mark and the header; `next` is null at the end.
   */
  'usage.exportCsv': channel<{ fileName: string; csv: string; rows: number; next: { startedAt: string; xdrId: number } | null }>()({
    reads: USAGE_READS,
    input: z.object({ ...usageFilterFields, after: usageCursor.optional(), chunkRows: z.number().int().min(1).max(50_000).default(20_000) }).strict(),
    roles: ['administrator', 'auditor']
  }),
  /** A customer's usage per month and service and money records per kind: what its balance is made of. */
  'usage.customerSummary': channel<CustomerUsageSummary>()({ reads: USAGE_READS, input: z.object({ customerId: id }).strict(), roles: EVERYONE }),
  ...reratingChannels,
  ...invoiceChannels,
  ...outOfTurnChannels,
  ...pdfDocumentChannels,
  ...reissueChannels,
  ...shiftChannels,
  ...operatorChannels
} as const

export type Contract = typeof contract
export type Channel = keyof Contract
export type InputOf<C extends Channel> = z.input<Contract[C]['input']>
export type ParsedInputOf<C extends Channel> = z.output<Contract[C]['input']>
export type ResultOf<C extends Channel> = NonNullable<Contract[C]['result']>

/** What a channel reads (empty for a change) and what it changes (empty for a read). */
export function dataUseOf(name: Channel): { reads: readonly DataKind[]; changes: readonly DataKind[] } {
  const def: DataUse = contract[name]
  return { reads: def.reads ?? [], changes: def.changes ?? [] }
}

export const CHANNELS = Object.keys(contract) as Channel[]

export function isChannel(name: string): name is Channel {
  return Object.hasOwn(contract, name)
}

/** The largest request body `name` accepts; unknown names get the default (and then UNKNOWN_CHANNEL). */
export function bodyLimitOf(name: string): number {
  const def: { maxBodyBytes?: number } | undefined = isChannel(name) ? contract[name] : undefined
  return def?.maxBodyBytes ?? DEFAULT_BODY_LIMIT
}

/** What both bridges expose to the renderer: one typed invoke. */
export interface BillingBridge {
  invoke(channel: string, input: unknown): Promise<unknown>
}
