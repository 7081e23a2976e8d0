import { useUsageView } from '../../../app/nav'
import { UsageBrowser } from '../../../usage/UsageBrowser'

/** A customer's usage: the usage browser with the customer fixed, its other filters in the address. */
export function UsageTab({ customerId }: { customerId: number }) {
  const [view, setView] = useUsageView(customerId)
  return <UsageBrowser view={view} onChange={setView} fixedCustomer />
}
