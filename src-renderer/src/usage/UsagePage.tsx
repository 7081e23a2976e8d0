import { useUsageView } from '../app/nav'
import { PageHeader } from '../lib/PageHeader'
import { UsageBrowser } from './UsageBrowser'
import { ImportUsagePanel } from './import/ImportUsagePanel'

/**
 * The Usage page: the usage import (its panel from ./import, added at the top) and the usage
 * browser below it, its filters in the address.
 */
export function UsagePage() {
  const [view, setView] = useUsageView()
  return (
    <>
      <PageHeader
        title="Usage"
        description="Usage records from the switch, rated against the price lists, newest first. Filter by customer, account, period, service, rating or destination; totals and the CSV export cover every record the filters match."
      />
      <ImportUsagePanel />
      <UsageBrowser view={view} onChange={setView} />
    </>
  )
}
