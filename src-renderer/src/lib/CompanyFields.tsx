import { Textarea, TextInput } from '@mantine/core'
import type { UseFormReturnType } from '@mantine/form'

/** The fields first run and Settings share, by the contract's names. */
export interface CompanyValues {
  companyName: string
  address: string
}

/** Company name and address, as first run and Settings both ask for them. */
export function CompanyFields<V extends CompanyValues>(p: { form: UseFormReturnType<V>; disabled: boolean; autoFocus?: boolean }) {
  // The two fields are typed through the shared part of the values.
  const form = p.form as unknown as UseFormReturnType<CompanyValues>
  return (
    <>
      <TextInput
        label="Company name"
        description="Printed on every invoice and receipt."
        withAsterisk
        autoFocus={p.autoFocus ?? false}
        {...form.getInputProps('companyName')}
        disabled={p.disabled}
        name="companyName"
      />
      <Textarea
        label="Address"
        description="Street, city, tax number — as it should appear on invoices."
        autosize
        minRows={3}
        {...form.getInputProps('address')}
        disabled={p.disabled}
        name="address"
      />
    </>
  )
}
