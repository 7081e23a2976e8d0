import { Anchor, Checkbox, Input, SegmentedControl, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core'
import type { CustomerClass, CustomerDetail } from '../../../../src-shared/domain'
import { formatAmount } from '../../../../src-shared/format'
import { CURRENCIES } from '../../../../src-shared/money'
import { useCustomerNav } from '../../app/nav'
import { classOptionLabel } from '../../classes/describe'
import type { FormBinding } from './CustomerForm'
import { openingOverLimit } from './form-model'

/** The required top of the customer form (the source page's "information on the top"). */
export function TopSection(props: { form: FormBinding; classes: readonly CustomerClass[]; detail: CustomerDetail | null }) {
  const { values, set, errors, disabled, fieldId } = props.form
  const saved = props.detail
  const nav = useCustomerNav()
  const prepaid = values.balanceControl === 'prepaid'
  const selectedClass = props.classes.find((k) => String(k.id) === values.classId) ?? null

  // A class with a currency allows only that currency; otherwise any currency.
  const currencyOptions = CURRENCIES.filter((c) => !selectedClass?.currency || c.code === selectedClass.currency).map((c) => ({
    value: c.code,
    label: `${c.code} — ${c.name}`
  }))
  // Only classes with the customer's currency, or with none.
  const classOptions = props.classes
    .filter((k) => k.currency === null || values.currency === null || k.currency === values.currency)
    .map((k) => ({ value: String(k.id), label: classOptionLabel(k) }))

  const currencyName = CURRENCIES.find((c) => c.code === values.currency)?.name
  const amountLabel = prepaid ? 'Available funds' : 'Balance'
  const overLimit = saved ? null : openingOverLimit(values)

  return (
    <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="md" verticalSpacing="sm">
      <TextInput
        id={fieldId('customerId')}
        label="Customer ID"
        description={
          saved
            ? 'The name shown everywhere in the desk; set when the customer was created.'
            : 'The name shown everywhere in the desk; it can differ from the company name. Unique, ignoring case.'
        }
        withAsterisk={!saved}
        value={values.customerId}
        onChange={(e) => set('customerId', e.currentTarget.value)}
        readOnly={saved !== null}
        variant={saved ? 'filled' : 'default'}
        error={errors.customerId}
        disabled={disabled}
        autoFocus={!saved}
        name="customerId"
        autoComplete="off"
        styles={saved ? { input: { fontFamily: 'var(--mantine-font-family-monospace)' } } : undefined}
      />

      <Input.Wrapper
        id={fieldId('balanceControl')}
        label="Balance control"
        description={saved ? 'Set when the customer was created.' : 'Prepaid customers pay in advance; postpaid customers are invoiced.'}
        withAsterisk={!saved}
        error={errors.balanceControl}
      >
        <SegmentedControl
          fullWidth
          mt={4}
          data={[
            { value: 'prepaid', label: 'Prepaid' },
            { value: 'postpaid', label: 'Postpaid' }
          ]}
          value={values.balanceControl}
          onChange={(v) => set('balanceControl', v === 'prepaid' ? 'prepaid' : 'postpaid')}
          readOnly={saved !== null}
          disabled={disabled || saved !== null}
          name="balanceControl"
          aria-label="Balance control"
        />
      </Input.Wrapper>

      {saved ? (
        <TextInput
          id={fieldId('currency')}
          label="Currency"
          description="Currency cannot change after the customer is saved"
          value={`${saved.currency}${currencyName ? ` — ${currencyName}` : ''}`}
          readOnly
          variant="filled"
          name="currency"
        />
      ) : (
        <Select
          id={fieldId('currency')}
          label="Currency"
          description={
            selectedClass?.currency
              ? `The class “${selectedClass.name}” bills in ${selectedClass.currency} only.`
              : 'Chosen once: it cannot change after the customer is saved.'
          }
          withAsterisk
          data={currencyOptions}
          value={values.currency}
          onChange={(v) => set('currency', v)}
          allowDeselect={false}
          searchable
          error={errors.currency}
          disabled={disabled}
          name="currency"
        />
      )}

      <Select
        id={fieldId('classId')}
        label="Customer class"
        description={
          <>
            {values.currency ? `Classes billing in ${values.currency} or in any currency.` : 'Billing period, due days, tax and life-cycle rules.'}{' '}
            <Anchor component="button" type="button" size="xs" onClick={() => nav.page('classes')}>
              Customer classes
            </Anchor>
          </>
        }
        placeholder="No class"
        data={classOptions}
        value={values.classId}
        onChange={(v) => set('classId', v)}
        clearable
        searchable
        nothingFoundMessage="No class fits this currency"
        error={errors.classId}
        disabled={disabled}
        name="classId"
      />

      {!prepaid && (
        <TextInput
          id={fieldId('creditLimit')}
          label="Permanent credit limit"
          description="Leave empty for no limit — entering one is strongly recommended: usage over the limit is refused."
          placeholder="No limit"
          value={values.creditLimit}
          onChange={(e) => set('creditLimit', e.currentTarget.value)}
          rightSection={
            <Text size="xs" c="dimmed">
              {values.currency ?? ''}
            </Text>
          }
          rightSectionWidth={48}
          inputMode="decimal"
          error={errors.creditLimit}
          disabled={disabled}
          name="creditLimit"
          autoComplete="off"
        />
      )}

      {saved ? (
        <TextInput
          id={fieldId('openingBalance')}
          label={amountLabel}
          description="Read-only: changes only through balance adjustments."
          value={formatAmount(prepaid ? -saved.balanceMinor : saved.balanceMinor, saved.currency, { withCode: true })}
          readOnly
          variant="filled"
          name="balance"
          styles={{ input: { fontVariantNumeric: 'tabular-nums' } }}
        />
      ) : (
        <TextInput
          id={fieldId('openingBalance')}
          label={amountLabel}
          description={
            <>
              {prepaid
                ? 'Opening funds (empty = 0); afterwards it changes only through balance adjustments.'
                : 'Opening balance owed (empty = 0); afterwards it changes only through balance adjustments.'}
              {overLimit && (
                <Text span display="block" size="xs" c="orange.9" fw={600} mt={2} data-testid="opening-over-limit">
                  {overLimit}
                </Text>
              )}
            </>
          }
          placeholder="0"
          value={values.openingBalance}
          onChange={(e) => set('openingBalance', e.currentTarget.value)}
          rightSection={
            <Text size="xs" c="dimmed">
              {values.currency ?? ''}
            </Text>
          }
          rightSectionWidth={48}
          inputMode="decimal"
          error={errors.openingBalance}
          disabled={disabled}
          name="openingBalance"
          autoComplete="off"
        />
      )}

      {saved ? (
        <TextInput
          label="Business model"
          description="Assigned through the customer class."
          value={saved.className ?? 'No class'}
          readOnly
          variant="filled"
          name="businessModel"
        />
      ) : (
        <Stack gap={4} justify="center" id={fieldId('blocked')}>
          <Checkbox
            label="Blocked"
            description="All of the customer's accounts are unusable from the start. Subscription fees still apply. Only offered at creation."
            checked={values.blocked}
            onChange={(e) => set('blocked', e.currentTarget.checked)}
            error={errors.blocked}
            disabled={disabled}
            name="blocked"
          />
        </Stack>
      )}
    </SimpleGrid>
  )
}
