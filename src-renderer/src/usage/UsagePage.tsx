import { NotYet } from '../lib/NotYet'

export function UsagePage() {
  return <NotYet title="Usage" message="Usage records, CSV import and re-rating arrive with the usage feature — nothing to show yet." />
}
