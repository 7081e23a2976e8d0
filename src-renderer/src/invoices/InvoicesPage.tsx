import { NotYet } from '../lib/NotYet'

export function InvoicesPage() {
  return <NotYet title="Invoices" message="Invoices arrive with the invoicing feature — nothing to show yet." />
}
