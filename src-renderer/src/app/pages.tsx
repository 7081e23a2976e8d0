import type { ComponentType, SVGProps } from 'react'
import { AuditPage } from '../audit/AuditPage'
import { ClassesPage } from '../classes/ClassesPage'
import { CustomerList } from '../customers/list/CustomerList'
import { InvoicesPage } from '../invoices/InvoicesPage'
import { DrawerIcon, FileIcon, GearIcon, ShieldIcon, LayersIcon, ListIcon, PhoneIcon, RefreshIcon, RepeatIcon, TagIcon, UsersIcon } from '../lib/icons'
import { PriceListsPage } from '../pricelists/PriceListsPage'
import { ReissuePage } from '../reissue/ReissuePage'
import { ReratingPage } from '../rerating/ReratingPage'
import { SettingsPage } from '../settings/SettingsPage'
import { ShiftsPage } from '../shifts/ShiftsPage'
import { UsagePage } from '../usage/UsagePage'
import type { PageId } from './ui-store'
import type { Channel } from '../../../src-shared/contract'
import { OperatorsPage } from '../operators/OperatorsPage'

export interface PageDef {
  id: PageId
  label: string
  icon: ComponentType<SVGProps<SVGSVGElement>>
  component: ComponentType
  /**
   * The channel the page is for: the page is in the navigation (and opens) only for the roles the
   * contract lets use it, so the renderer keeps no second permission table.
   */
  channel: Channel
}

export const PAGES: readonly PageDef[] = [
  { id: 'customers', label: 'Customers', icon: UsersIcon, component: CustomerList, channel: 'customers.list' },
  { id: 'classes', label: 'Customer classes', icon: LayersIcon, component: ClassesPage, channel: 'classes.list' },
  { id: 'pricelists', label: 'Price lists', icon: TagIcon, component: PriceListsPage, channel: 'priceLists.list' },
  { id: 'invoices', label: 'Invoices', icon: FileIcon, component: InvoicesPage, channel: 'invoices.list' },
  { id: 'reissue', label: 'Re-issue', icon: RepeatIcon, component: ReissuePage, channel: 'reissue.list' },
  { id: 'usage', label: 'Usage', icon: PhoneIcon, component: UsagePage, channel: 'usage.list' },
  { id: 'rerating', label: 'Re-rating', icon: RefreshIcon, component: ReratingPage, channel: 'rerating.history' },
  { id: 'audit', label: 'Audit log', icon: ListIcon, component: AuditPage, channel: 'audit.search' },
  { id: 'shifts', label: 'Shifts', icon: DrawerIcon, component: ShiftsPage, channel: 'shifts.report' },
  { id: 'operators', label: 'Operators', icon: ShieldIcon, component: OperatorsPage, channel: 'operators.list' },
  // Settings: administrators change it, auditors read it; a cashier has nothing there (their password is in the header's menu).
  { id: 'settings', label: 'Settings', icon: GearIcon, component: SettingsPage, channel: 'backup.list' }
]
