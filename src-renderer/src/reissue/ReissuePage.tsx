import { NotYet } from '../lib/NotYet'

export function ReissuePage() {
  return <NotYet title="Re-issue" message="Batch invoice re-issue arrives with the re-issue feature — nothing to show yet." />
}
