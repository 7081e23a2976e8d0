import { Stack } from '@mantine/core'
import { PageHeader } from '../lib/PageHeader'
import { AuditVerificationSection } from './AuditVerificationSection'
import { OffPeakSection } from '../reissue/OffPeakSection'
import { BackupsSection } from './BackupsSection'
import { CompanyLogoSection } from './CompanyLogoSection'
import { CompanySettingsForm } from './CompanySettingsForm'
import { RetentionSection } from './RetentionSection'
import { ServicesSection } from './ServicesSection'
import { UsageSettingsSection } from './UsageSettingsSection'

export function SettingsPage() {
  return (
    <>
      <PageHeader
        title="Settings"
        description="Company details printed on invoices, the services charges and credits are for, how usage is rated and imported, and the backups of the billing data."
      />
      <Stack gap="lg">
        <CompanySettingsForm />
        <CompanyLogoSection />
        <ServicesSection />
        <UsageSettingsSection />
        <RetentionSection />
        <OffPeakSection />
        <BackupsSection />
        <AuditVerificationSection />
      </Stack>
    </>
  )
}
