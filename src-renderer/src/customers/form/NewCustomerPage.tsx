import { useEffect } from 'react'
import { Button, Center, Loader, Stack } from '@mantine/core'
import { useQuery } from '../../api/query'
import { useAppStatus, useCan } from '../../app/status'
import { useCustomerNav } from '../../app/nav'
import { PageHeader } from '../../lib/PageHeader'
import { QueryError } from '../../lib/QueryError'
import { CustomerForm } from './CustomerForm'

/** Add customer: the required top of the form, optional tabs; saving opens the new customer. */
export function NewCustomerPage() {
  const { status } = useAppStatus()
  const canCreate = useCan()('customers.create')
  const nav = useCustomerNav()
  const classesQ = useQuery('classes.list', {})
  const fieldsQ = useQuery('customFields.list', {})
  // A customer's page opens at its top, wherever the list was scrolled.
  useEffect(() => {
    window.scrollTo({ top: 0 })
  }, [])

  const back = (
    <Button variant="subtle" size="compact-sm" onClick={nav.list} mb={4} px={4}>
      ← Back to list
    </Button>
  )
  const error = classesQ.error ?? fieldsQ.error
  if (error && (!classesQ.data || !fieldsQ.data)) {
    return (
      <Stack align="flex-start">
        {back}
        <QueryError
          error={error}
          what="customer classes and custom fields"
          onRetry={() => {
            classesQ.reload()
            fieldsQ.reload()
          }}
        />
      </Stack>
    )
  }
  if (!classesQ.data || !fieldsQ.data) {
    return (
      <Center mih={240} aria-busy="true">
        <Loader aria-label="Loading" />
      </Center>
    )
  }

  return (
    <>
      {back}
      <PageHeader title="New customer" description="Fields marked * are required. Everything else, and the tabs, can be filled in later." />
      <CustomerForm
        detail={null}
        classes={classesQ.data}
        fields={fieldsQ.data}
        defaultCurrency={status.settings?.defaultCurrency ?? null}
        canEdit={canCreate}
        onFieldCreated={() => fieldsQ.reload()}
        onSaved={(d) => nav.customerAfterSave(d.id)}
        onUpdated={() => {}}
        onChangeStatus={() => {}}
      />
    </>
  )
}
