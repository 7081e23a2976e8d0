import { useAuditView } from '../app/nav'
import { AuditLog } from './AuditLog'

/** A customer's audit log: the Audit log page's list with the customer fixed, its other filters in the address. */
export function AuditTab({ customerId }: { customerId: number }) {
  const [view, setView] = useAuditView(customerId)
  return <AuditLog view={view} onChange={setView} fixedCustomer height="max(320px, calc(100vh - 420px))" />
}
