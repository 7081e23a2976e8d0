/** The new-customer form (being built). */
export function NewCustomerPage() {
  return <div>New customer</div>
}
