/** One saved customer's page (being built). */
export function CustomerDetailPage(props: { id: number }) {
  return <div data-customer-id={props.id}>Loading customer…</div>
}
