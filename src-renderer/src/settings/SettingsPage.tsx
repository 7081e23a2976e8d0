import { Stack } from '@mantine/core'
import { PageHeader } from '../lib/PageHeader'
import { BackupsSection } from './BackupsSection'
import { CompanySettingsForm } from './CompanySettingsForm'

export function SettingsPage() {
  return (
    <>
      <PageHeader title="Settings" description="Company details printed on invoices, and the backups of the billing data." />
      <Stack gap="lg">
        <CompanySettingsForm />
        <BackupsSection />
      </Stack>
    </>
  )
}
