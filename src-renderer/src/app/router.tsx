import { createHashRouter, Navigate, useParams } from 'react-router'
import { CustomerDetailPage } from '../customers/form/CustomerDetailPage'
import { NewCustomerPage } from '../customers/form/NewCustomerPage'
import { CustomerList } from '../customers/list/CustomerList'
import { OutOfTurnRoute } from '../outofturn/OutOfTurnPage'
import { PAGES, type PageDef } from './pages'
import { useCan } from './status'
import { Shell } from './Shell'

/** The screens and their addresses (see nav.ts for the address scheme and the hooks). */

function CustomerRoute() {
  const id = Number(useParams().id)
  if (!Number.isSafeInteger(id) || id <= 0) return <Navigate to="/customers" replace />
  return <CustomerDetailPage key={id} id={id} />
}

/** A page the operator's role may not use (an address typed or kept from another login) goes to the customers. */
function RoleGate(props: { page: PageDef }) {
  const can = useCan()
  if (!can(props.page.channel)) return <Navigate to="/customers" replace />
  return <props.page.component />
}

let router: ReturnType<typeof createHashRouter> | null = null

/** Made on first use, after main.tsx took the access token out of the address. */
export function appRouter() {
  router ??= createHashRouter([
    {
      path: '/',
      element: <Shell />,
      children: [
        { index: true, element: <Navigate to="/customers" replace /> },
        { path: 'customers', element: <CustomerList /> },
        { path: 'customers/new/:tab?', element: <NewCustomerPage /> },
        { path: 'customers/:id/:tab?', element: <CustomerRoute /> },
        { path: 'out-of-turn/:id', element: <OutOfTurnRoute /> },
        ...PAGES.filter((p) => p.id !== 'customers').map((p) => ({ path: p.id, element: <RoleGate page={p} /> })),
        { path: '*', element: <Navigate to="/customers" replace /> }
      ]
    }
  ])
  return router
}
