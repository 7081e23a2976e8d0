import type { ReactNode } from 'react'
import type { CustomerRow, CustomerSortKey } from '../../../../src-shared/domain'
import { formatAmount } from '../../../../src-shared/format'
import { BALANCE_CONTROL_LABEL, STATUS_COLOR, STATUS_LABEL } from '../../lib/labels'

export interface Column {
  id: string
  label: string
  /** The engine's sort key; columns without one cannot be sorted. */
  sortKey?: CustomerSortKey
  /** A grid track: fixed width or minmax(...) for the columns that take spare room. */
  track: string
  align?: 'right'
  /** Tooltip of the sort button, where the order needs explaining. */
  sortHint?: string
  render: (row: CustomerRow) => ReactNode
}

const dash = <span className="cl-dash">—</span>

/** Postpaid: what the customer owes. Prepaid: available funds = minus the balance. The cell says which. */
export function BalanceCell({ row }: { row: CustomerRow }) {
  const prepaid = row.balanceControl === 'prepaid'
  const shown = prepaid ? -row.balanceMinor : row.balanceMinor
  const overLimit = !prepaid && row.creditLimitMinor !== null && row.balanceMinor > row.creditLimitMinor
  const belowZero = prepaid && shown < 0
  const warn = belowZero || overLimit
  // The red number is said in words too: "over limit", "below zero", "in credit".
  const what = overLimit ? 'over limit' : belowZero ? 'below zero' : !prepaid && shown < 0 ? 'in credit' : prepaid ? 'funds' : 'balance'
  return (
    <>
      <span className={warn ? 'cl-what cl-neg' : 'cl-what'}>{what}</span>{' '}
      <span className={warn ? 'cl-neg' : undefined} title={overLimit ? 'Over the credit limit' : belowZero ? 'Available funds below zero' : undefined}>
        {formatAmount(shown, row.currency)}
      </span>
    </>
  )
}

/**
 * The status as a light badge, drawn with plain CSS in Mantine's colours: a list row is rendered
 * on every scroll step, and Mantine's Badge costs several times more than a span.
 */
export function StatusBadge({ status }: { status: CustomerRow['status'] }) {
  const color = STATUS_COLOR[status] ?? 'gray'
  return (
    <span className="cl-badge" style={{ background: `var(--mantine-color-${color}-light)`, color: `var(--mantine-color-${color}-light-color)` }}>
      {STATUS_LABEL[status] ?? status}
    </span>
  )
}

export const COLUMNS: readonly Column[] = [
  {
    id: 'customerId',
    label: 'Customer ID',
    sortKey: 'customerId',
    track: 'minmax(176px, 1.4fr)',
    render: (r) => (
      <span className="cl-id" title={r.customerId}>
        {r.customerId}
      </span>
    )
  },
  {
    id: 'companyName',
    label: 'Company name',
    sortKey: 'companyName',
    track: 'minmax(130px, 2fr)',
    render: (r) => <span title={r.companyName}>{r.companyName}</span>
  },
  {
    id: 'balanceControl',
    sortKey: 'balanceControl',
    label: 'Balance control',
    track: '72px',
    render: (r) => BALANCE_CONTROL_LABEL[r.balanceControl] ?? r.balanceControl
  },
  { id: 'currency', label: 'Currency', sortKey: 'currency', track: '68px', render: (r) => r.currency },
  {
    id: 'balance',
    label: 'Balance / Available funds',
    sortKey: 'balance',
    sortHint: 'Sort by balance: what the customer owes (prepaid available funds count as negative)',
    track: '146px',
    align: 'right',
    render: (r) => <BalanceCell row={r} />
  },
  {
    id: 'unallocated',
    label: 'Unallocated payments',
    sortKey: 'unallocated',
    track: '100px',
    align: 'right',
    render: (r) => formatAmount(r.unallocatedPaymentsMinor, r.currency)
  },
  {
    id: 'creditLimit',
    label: 'Credit limit',
    sortKey: 'creditLimit',
    track: '96px',
    align: 'right',
    render: (r) => (r.creditLimitMinor === null ? dash : formatAmount(r.creditLimitMinor, r.currency))
  },
  { id: 'status', label: 'Status', sortKey: 'status', track: '150px', render: (r) => <StatusBadge status={r.status} /> },
  {
    id: 'className',
    label: 'Class',
    sortKey: 'className',
    track: 'minmax(100px, 1.2fr)',
    render: (r) => (r.className === null ? dash : <span title={r.className}>{r.className}</span>)
  }
]

/** The last, unlabelled column holds the row's actions. */
export const ACTIONS_TRACK = '72px'

export const GRID_TEMPLATE = [...COLUMNS.map((c) => c.track), ACTIONS_TRACK].join(' ')

/** Narrowest the table gets before it scrolls sideways. */
export const MIN_TABLE_WIDTH = [...COLUMNS.map((c) => c.track), ACTIONS_TRACK].reduce((sum, t) => {
  const m = /(\d+)px/.exec(t)
  return sum + (m ? Number(m[1]) : 0)
}, 0)
