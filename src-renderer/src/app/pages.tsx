import type { ComponentType, SVGProps } from 'react'
import { AuditPage } from '../audit/AuditPage'
import { ClassesPage } from '../classes/ClassesPage'
import { CustomerList } from '../customers/list/CustomerList'
import { InvoicesPage } from '../invoices/InvoicesPage'
import { DrawerIcon, FileIcon, GearIcon, LayersIcon, ListIcon, PhoneIcon, RefreshIcon, RepeatIcon, TagIcon, UsersIcon } from '../lib/icons'
import { PriceListsPage } from '../pricelists/PriceListsPage'
import { ReissuePage } from '../reissue/ReissuePage'
import { ReratingPage } from '../rerating/ReratingPage'
import { SettingsPage } from '../settings/SettingsPage'
import { ShiftsPage } from '../shifts/ShiftsPage'
import { UsagePage } from '../usage/UsagePage'
import type { PageId } from './ui-store'

export interface PageDef {
  id: PageId
  label: string
  icon: ComponentType<SVGProps<SVGSVGElement>>
  component: ComponentType
}

export const PAGES: readonly PageDef[] = [
  { id: 'customers', label: 'Customers', icon: UsersIcon, component: CustomerList },
  { id: 'classes', label: 'Customer classes', icon: LayersIcon, component: ClassesPage },
  { id: 'pricelists', label: 'Price lists', icon: TagIcon, component: PriceListsPage },
  { id: 'invoices', label: 'Invoices', icon: FileIcon, component: InvoicesPage },
  { id: 'reissue', label: 'Re-issue', icon: RepeatIcon, component: ReissuePage },
  { id: 'usage', label: 'Usage', icon: PhoneIcon, component: UsagePage },
  { id: 'rerating', label: 'Re-rating', icon: RefreshIcon, component: ReratingPage },
  { id: 'audit', label: 'Audit log', icon: ListIcon, component: AuditPage },
  { id: 'shifts', label: 'Shifts', icon: DrawerIcon, component: ShiftsPage },
  { id: 'settings', label: 'Settings', icon: GearIcon, component: SettingsPage }
]
