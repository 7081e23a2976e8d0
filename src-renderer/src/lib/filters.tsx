import { type KeyboardEvent, useMemo, useState } from 'react'
import { Select } from '@mantine/core'
import { useDebouncedValue } from '@mantine/hooks'
import { useQuery } from '../api/query'

/** Customer filter: search customers by ID or name as the person types; the chosen one stays listed. */
export function CustomerPicker(props: { value: number | undefined; onChange: (id: number | undefined) => void }) {
  const [search, setSearch] = useState('')
  const [debounced] = useDebouncedValue(search, 200)
  const found = useQuery('customers.list', { search: debounced, limit: 20 })
  const chosen = useQuery('customers.get', { id: props.value ?? 1 }, { enabled: props.value !== undefined })
  const data = useMemo(() => {
    const rows = (found.data?.rows ?? []).map((c) => ({ value: String(c.id), label: c.customerId }))
    if (props.value !== undefined && chosen.data && !rows.some((r) => r.value === String(props.value))) {
      rows.unshift({ value: String(props.value), label: chosen.data.customerId })
    }
    return rows
  }, [found.data, chosen.data, props.value])
  return (
    <Select
      label="Customer"
      placeholder="Any customer"
      searchable
      clearable
      w={200}
      data={data}
      value={props.value === undefined ? null : String(props.value)}
      onChange={(v) => props.onChange(v === null ? undefined : Number(v))}
      onSearchChange={setSearch}
      nothingFoundMessage="No customer found"
      filter={({ options }) => options}
    />
  )
}

/** Enter in a filter box applies nothing more (and must not submit the customer form around the tab). */
export const noSubmit = (e: KeyboardEvent<HTMLInputElement>) => {
  if (e.key === 'Enter') e.preventDefault()
}
