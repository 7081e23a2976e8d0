import { Alert, Paper, SimpleGrid, Stack, Table, Text, TextInput } from '@mantine/core'
import type { CustomerClass, CustomerDetail } from '../../../../../src-shared/domain'
import { describeBillingPeriod, plural } from '../../../classes/describe'
import { formatPercent, parsePercent } from '../../../../../src-shared/percent'
import type { FormBinding } from '../CustomerForm'
import { InvoiceList } from '../../../invoices/InvoicesPage'

/**
 * Invoices & taxation: what the class sets, and the customer's own due days and tax rate where
 * they differ. An empty override means "as the class says".
 */
export function InvoicesTab(props: { form: FormBinding; klass: CustomerClass | null; detail: CustomerDetail | null }) {
  const { values, set, errors, disabled, fieldId } = props.form
  const k = props.klass
  const d = props.detail
  // Without a class the desk's defaults apply; a saved customer tells us what they are.
  const savedWithoutClass = d !== null && d.classId === null && k === null
  const base = k
    ? { billing: describeBillingPeriod(k.billingPeriod, k.billingDay), dueDays: k.dueDays, taxPpm: k.taxRatePpm, source: `class “${k.name}”`, from: 'as the class says' }
    : savedWithoutClass
      ? {
          billing: describeBillingPeriod(d.effective.billingPeriod, d.effective.billingDay),
          dueDays: d.dueDaysOverride === null ? d.effective.dueDays : null,
          taxPpm: d.taxRatePpmOverride === null ? d.effective.taxRatePpm : null,
          source: 'the desk’s defaults (no class)',
          from: 'the desk’s default'
        }
      : null

  const taxPreview = values.taxRateOverride.trim() === '' ? null : parsePercent(values.taxRateOverride)

  return (
    <Stack gap="md" maw={900}>
      {base ? (
        <Paper withBorder radius="md" p="sm">
          <Text size="sm" fw={600} mb={6}>
            From {base.source}
          </Text>
          <Table withRowBorders={false} verticalSpacing={4} horizontalSpacing="xs" aria-label="Class invoicing settings">
            <Table.Tbody>
              <Table.Tr>
                <Table.Td c="dimmed" w={200}>
                  Billing period
                </Table.Td>
                <Table.Td data-testid="class-billing-period">{base.billing}</Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Td c="dimmed">Invoice due days</Table.Td>
                <Table.Td>{base.dueDays === null ? '—' : base.dueDays === 0 ? 'Due on receipt (0 days)' : plural(base.dueDays, 'day')}</Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Td c="dimmed">Tax rate</Table.Td>
                <Table.Td>{base.taxPpm === null ? '—' : `${formatPercent(base.taxPpm)}%`}</Table.Td>
              </Table.Tr>
            </Table.Tbody>
          </Table>
        </Paper>
      ) : (
        <Alert variant="light" color="gray">
          No customer class chosen: the desk’s default billing period, due days and tax rate apply; they are shown here once the customer is saved.
        </Alert>
      )}

      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
        <TextInput
          id={fieldId('dueDaysOverride')}
          label="Invoice due days (override)"
          description={
            base?.dueDays != null ? `Empty: ${plural(base.dueDays, 'day')}, ${base.from}. 0 = due on receipt.` : 'Empty: as the class says. 0 = due on receipt.'
          }
          placeholder={base?.dueDays != null ? String(base.dueDays) : 'From the class'}
          value={values.dueDaysOverride}
          onChange={(e) => set('dueDaysOverride', e.currentTarget.value)}
          inputMode="numeric"
          rightSection={
            <Text size="xs" c="dimmed">
              days
            </Text>
          }
          rightSectionWidth={48}
          error={errors.dueDaysOverride}
          disabled={disabled}
          name="dueDaysOverride"
          autoComplete="off"
        />
        <TextInput
          id={fieldId('taxRatePpmOverride')}
          label="Tax rate (override)"
          description={
            taxPreview?.ok
              ? `${formatPercent(taxPreview.ppm)}% will apply instead of the class's rate.`
              : base?.taxPpm != null
                ? `Empty: ${formatPercent(base.taxPpm)}%, ${base.from}. Up to 4 decimals, e.g. 8.25.`
                : 'Empty: as the class says. Up to 4 decimals, e.g. 8.25.'
          }
          placeholder={base?.taxPpm != null ? formatPercent(base.taxPpm) : 'From the class'}
          value={values.taxRateOverride}
          onChange={(e) => set('taxRateOverride', e.currentTarget.value)}
          inputMode="decimal"
          rightSection={
            <Text size="xs" c="dimmed">
              %
            </Text>
          }
          rightSectionWidth={36}
          error={errors.taxRatePpmOverride}
          disabled={disabled}
          name="taxRatePpmOverride"
          autoComplete="off"
        />
      </SimpleGrid>

      {d && (
        <Text size="sm" c="dimmed" data-testid="effective-invoicing">
          Applies now: {describeBillingPeriod(d.effective.billingPeriod, d.effective.billingDay)}; invoices due in {plural(d.effective.dueDays, 'day')}; tax{' '}
          {formatPercent(d.effective.taxRatePpm)}%.
        </Text>
      )}
      {d && (
        <Stack gap="xs">
          <Text size="sm" fw={600}>
            Invoices
          </Text>
          <InvoiceList customerId={d.id} />
        </Stack>
      )}
    </Stack>
  )
}
