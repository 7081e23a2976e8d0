import { useUi } from '../app/ui-store'
import { CustomerDetailPage } from './form/CustomerDetailPage'
import { NewCustomerPage } from './form/NewCustomerPage'
import { CustomerList } from './list/CustomerList'

/** The Customers page: the list, one customer's page, or the new-customer form (ui-store's customerView). */
export function CustomersPage() {
  const view = useUi((s) => s.customerView)
  if (view.kind === 'customer') return <CustomerDetailPage key={view.id} id={view.id} />
  if (view.kind === 'new') return <NewCustomerPage />
  return <CustomerList />
}
