import { Textarea, TextInput } from '@mantine/core'

export interface CompanyFieldsProps {
  companyName: string
  address: string
  onChange: (field: 'companyName' | 'address', value: string) => void
  errors: Partial<Record<string, string>>
  disabled: boolean
  autoFocus?: boolean
}

/** Company name and address, as first run and Settings both ask for them. */
export function CompanyFields(p: CompanyFieldsProps) {
  return (
    <>
      <TextInput
        label="Company name"
        description="Printed on every invoice and receipt."
        withAsterisk
        autoFocus={p.autoFocus ?? false}
        value={p.companyName}
        onChange={(ev) => p.onChange('companyName', ev.currentTarget.value)}
        error={p.errors.companyName}
        disabled={p.disabled}
        name="companyName"
      />
      <Textarea
        label="Address"
        description="Street, city, tax number — as it should appear on invoices."
        autosize
        minRows={3}
        value={p.address}
        onChange={(ev) => p.onChange('address', ev.currentTarget.value)}
        error={p.errors.address}
        disabled={p.disabled}
        name="address"
      />
    </>
  )
}
