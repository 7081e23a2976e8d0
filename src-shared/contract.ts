import { z } from 'zod'
import type {
  AppStatus,
  AuditEntry,
  AuditVerifyResult,
  BackupInfo,
  CompanySettings,
  CustomerRow,
  Role
} from './domain'
import { CURRENCY_CODES } from './money'

/**
 * The IPC contract: channel name -> input schema (checked at run time in the main process)
 * -> result type -> roles allowed. Both transports (Electron IPC and the loopback host) serve
 * exactly this map through one handler table.
 */
interface ChannelDef<I extends z.ZodType, R> {
  input: I
  roles: readonly Role[]
  /** Phantom field carrying the result type; never set at run time. */
  result?: R
}

function channel<R>() {
  return <I extends z.ZodType>(def: { input: I; roles: readonly Role[] }): ChannelDef<I, R> => def
}

const EVERYONE: readonly Role[] = ['administrator', 'cashier', 'auditor']
const ADMIN: readonly Role[] = ['administrator']

const nothing = z.object({}).strict()
const text = (label: string, max: number) =>
  z.string({ error: `${label} is required.` }).trim().max(max, `${label} is at most ${max} characters.`)

export const setupInput = z
  .object({
    companyName: text('Company name', 200).min(1, 'Company name is required.'),
    address: text('Address', 1000),
    defaultCurrency: z.enum(CURRENCY_CODES, { error: 'Choose a currency from the list.' }),
    loadDemoData: z.boolean()
  })
  .strict()

export const settingsInput = z
  .object({
    companyName: text('Company name', 200).min(1, 'Company name is required.'),
    address: text('Address', 1000)
  })
  .strict()

const backupFileName = z
  .string()
  .regex(/^[A-Za-z0-9._-]+\.sqlite$/, 'Not a backup file name.')

export const contract = {
  'app.status': channel<AppStatus>()({ input: nothing, roles: EVERYONE }),
  'setup.complete': channel<AppStatus>()({ input: setupInput, roles: ADMIN }),
  'settings.get': channel<CompanySettings>()({ input: nothing, roles: EVERYONE }),
  'settings.update': channel<CompanySettings>()({ input: settingsInput, roles: ADMIN }),
  'backup.list': channel<BackupInfo[]>()({ input: nothing, roles: ADMIN }),
  'backup.create': channel<BackupInfo>()({
    input: z.object({ path: z.string().min(1).max(4096).optional() }).strict(),
    roles: ADMIN
  }),
  'backup.restore': channel<AppStatus>()({
    input: z
      .object({
        source: z.discriminatedUnion('kind', [
          z.object({ kind: z.literal('backup'), fileName: backupFileName }).strict(),
          z.object({ kind: z.literal('file'), path: z.string().min(1).max(4096) }).strict()
        ])
      })
      .strict(),
    roles: ADMIN
  }),
  'customers.list': channel<{ total: number; rows: CustomerRow[] }>()({
    input: z
      .object({
        search: z.string().max(200).default(''),
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(500).default(100)
      })
      .strict(),
    roles: EVERYONE
  }),
  'audit.list': channel<AuditEntry[]>()({
    input: z
      .object({
        beforeId: z.number().int().positive().optional(),
        limit: z.number().int().min(1).max(500).default(100)
      })
      .strict(),
    roles: ['administrator', 'auditor']
  }),
  'audit.verify': channel<AuditVerifyResult>()({ input: nothing, roles: ['administrator', 'auditor'] })
} as const

export type Contract = typeof contract
export type Channel = keyof Contract
export type InputOf<C extends Channel> = z.input<Contract[C]['input']>
export type ParsedInputOf<C extends Channel> = z.output<Contract[C]['input']>
export type ResultOf<C extends Channel> = NonNullable<Contract[C]['result']>

export const CHANNELS = Object.keys(contract) as Channel[]

export function isChannel(name: string): name is Channel {
  return Object.prototype.hasOwnProperty.call(contract, name)
}

/** What both bridges expose to the renderer: one typed invoke. */
export interface BillingBridge {
  invoke(channel: string, input: unknown): Promise<unknown>
}
