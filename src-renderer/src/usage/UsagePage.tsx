import { NotYet } from '../lib/NotYet'
import { ImportUsagePanel } from './import/ImportUsagePanel'

export function UsagePage() {
  return (
    <>
      <ImportUsagePanel />
      <NotYet title="Usage" message="Usage records, CSV import and re-rating arrive with the usage feature — nothing to show yet." />
    </>
  )
}
