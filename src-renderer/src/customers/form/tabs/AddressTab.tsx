import { SimpleGrid, Textarea, TextInput } from '@mantine/core'
import type { FormBinding } from '../CustomerForm'
import type { CustomerFormValues } from '../form-model'

type TextField = 'companyName' | 'firstName' | 'lastName' | 'phone' | 'email' | 'city' | 'zip' | 'country'

/** Address info: who the customer is and where invoices go. */
export function AddressTab({ form }: { form: FormBinding }) {
  const { values, set, errors, disabled, fieldId } = form
  const input = (
    field: TextField & keyof CustomerFormValues,
    label: string,
    extra: { type?: string; autoComplete?: string; description?: string; span?: boolean } = {}
  ) => (
    <TextInput
      id={fieldId(field)}
      label={label}
      value={values[field]}
      onChange={(e) => set(field, e.currentTarget.value)}
      error={errors[field]}
      disabled={disabled}
      name={field}
      type={extra.type ?? 'text'}
      autoComplete={extra.autoComplete ?? 'off'}
      description={extra.description}
      style={extra.span ? { gridColumn: '1 / -1' } : undefined}
    />
  )
  return (
    <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md" verticalSpacing="sm" maw={900}>
      {input('companyName', 'Company name', { description: 'Printed on invoices; can differ from the customer ID.', span: true })}
      {input('firstName', 'First name')}
      {input('lastName', 'Last name')}
      {input('phone', 'Phone', { type: 'tel' })}
      {input('email', 'Email', { type: 'email' })}
      <Textarea
        id={fieldId('address')}
        label="Address"
        autosize
        minRows={2}
        value={values.address}
        onChange={(e) => set('address', e.currentTarget.value)}
        error={errors.address}
        disabled={disabled}
        name="address"
        style={{ gridColumn: '1 / -1' }}
      />
      {input('city', 'City')}
      {input('zip', 'Postal code')}
      {input('country', 'Country')}
    </SimpleGrid>
  )
}
