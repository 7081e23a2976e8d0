import { Checkbox, Group, MultiSelect, Select } from '@mantine/core'
import type { BalanceControl, CustomerFilters, CustomerStatus } from '../../../../src-shared/domain'
import { CURRENCY_CODES } from '../../../../src-shared/money'
import { useQuery } from '../../api/query'
import { BALANCE_CONTROL_LABEL, STATUS_LABEL } from '../../lib/labels'

const STATUSES = Object.keys(STATUS_LABEL) as CustomerStatus[]
const STATUS_OPTIONS = STATUSES.map((s) => ({ value: s, label: STATUS_LABEL[s] }))
const BALANCE_OPTIONS = (Object.keys(BALANCE_CONTROL_LABEL) as BalanceControl[]).map((b) => ({ value: b, label: BALANCE_CONTROL_LABEL[b] }))

/** Status, balance control, currency, class, over credit limit, overdue invoice; kept in the list's address. */
export function CustomerFilterBar({
  filters,
  setFilter
}: {
  filters: CustomerFilters
  setFilter: <K extends keyof CustomerFilters>(key: K, value: CustomerFilters[K] | undefined) => void
}) {
  const classes = useQuery('classes.list', {})
  const classOptions = (classes.data ?? []).map((c) => ({ value: String(c.id), label: c.name }))
  const showsTerminated = filters.statuses?.includes('permanently-terminated') === true

  return (
    <Group gap="sm" align="flex-start" wrap="wrap" role="group" aria-label="Filters">
      <MultiSelect
        label="Status"
        placeholder={filters.statuses?.length ? undefined : 'Any status'}
        data={STATUS_OPTIONS}
        value={filters.statuses ?? []}
        onChange={(v) => setFilter('statuses', v as CustomerStatus[])}
        clearable
        size="xs"
        w={320}
        description={showsTerminated ? 'Permanently terminated customers are included.' : 'Permanently terminated customers appear only when chosen.'}
        inputWrapperOrder={['label', 'input', 'description']}
        comboboxProps={{ withinPortal: true }}
      />
      <Select
        label="Balance control"
        placeholder="Any"
        data={BALANCE_OPTIONS}
        value={filters.balanceControl ?? null}
        onChange={(v) => setFilter('balanceControl', (v ?? undefined) as BalanceControl | undefined)}
        clearable
        size="xs"
        w={130}
      />
      <Select
        label="Currency"
        placeholder="Any"
        data={CURRENCY_CODES}
        value={filters.currency ?? null}
        onChange={(v) => setFilter('currency', v ?? undefined)}
        clearable
        searchable
        size="xs"
        w={100}
      />
      <Select
        label="Customer class"
        placeholder={classes.error ? 'Classes could not load' : 'Any'}
        data={classOptions}
        value={filters.classId === undefined ? null : String(filters.classId)}
        onChange={(v) => setFilter('classId', v === null ? undefined : Number(v))}
        clearable
        searchable
        size="xs"
        w={190}
        nothingFoundMessage="No class by that name"
        error={classes.error ? classes.error.message : undefined}
      />
      <Group gap="md" pt={24} wrap="nowrap">
        <Checkbox
          label="Over limit"
          title="Prepaid customers whose available funds are below zero, and postpaid customers over their credit limit"
          size="xs"
          checked={filters.overLimit === true}
          onChange={(e) => setFilter('overLimit', e.currentTarget.checked)}
        />
        <Checkbox
          label="Has overdue invoice"
          size="xs"
          checked={filters.hasOverdueInvoice === true}
          onChange={(e) => setFilter('hasOverdueInvoice', e.currentTarget.checked)}
        />
      </Group>
    </Group>
  )
}
