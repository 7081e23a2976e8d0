import { Stack } from '@mantine/core'
import { PageHeader } from '../lib/PageHeader'
import { BackupsSection } from './BackupsSection'
import { CompanySettingsForm } from './CompanySettingsForm'
import { RetentionSection } from './RetentionSection'
import { ServicesSection } from './ServicesSection'

export function SettingsPage() {
  return (
    <>
      <PageHeader title="Settings" description="Company details printed on invoices, the services charges and credits are for, and the backups of the billing data." />
      <Stack gap="lg">
        <CompanySettingsForm />
        <ServicesSection />
        <RetentionSection />
        <BackupsSection />
      </Stack>
    </>
  )
}
