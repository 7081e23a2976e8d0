import { useEffect, useState } from 'react'
import { Button, Center, Group, Loader, Stack, Text, Title } from '@mantine/core'
import { Link } from 'react-router'
import { useQuery } from '../../api/query'
import { useCan } from '../../app/status'
import { useAdjustmentRoute, useCustomerNav } from '../../app/nav'
import { QueryError } from '../../lib/QueryError'
import { ChangeStatusDialog } from '../status/ChangeStatusDialog'
import { StatusBadge } from '../status/StatusBadge'
import { TraceButton } from '../../audit/TraceButton'
import { CustomerForm } from './CustomerForm'
import { AdjustmentWizard } from '../../adjustments/AdjustmentWizard'
import { AdjustIcon } from '../../lib/icons'
import { editRefusal } from '../../../../src-shared/statusRules'

/** One saved customer: the form with every tab, and the Change customer status dialog. */
export function CustomerDetailPage(props: { id: number }) {
  const nav = useCustomerNav()
  const q = useQuery('customers.get', { id: props.id })
  const classesQ = useQuery('classes.list', {})
  const fieldsQ = useQuery('customFields.list', {})
  const [statusOpen, setStatusOpen] = useState(false)
  const adjust = useAdjustmentRoute()
  // A customer's page opens at its top, wherever the list was scrolled.
  useEffect(() => {
    window.scrollTo({ top: 0 })
  }, [])
  const can = useCan()
  const canEdit = can('customers.update')

  const back = (
    <Button variant="subtle" size="compact-sm" onClick={nav.list} mb={4} px={4}>
      ← Back to list
    </Button>
  )

  const error = q.error ?? classesQ.error ?? fieldsQ.error
  if (error && (!q.data || !classesQ.data || !fieldsQ.data)) {
    return (
      <Stack align="flex-start">
        {back}
        <QueryError
          error={error}
          what="this customer"
          onRetry={() => {
            q.reload()
            classesQ.reload()
            fieldsQ.reload()
          }}
        />
      </Stack>
    )
  }
  const detail = q.data
  if (!detail || !classesQ.data || !fieldsQ.data) {
    return (
      <Center mih={240} aria-busy="true">
        <Loader aria-label="Loading the customer" />
      </Center>
    )
  }
  const klass = classesQ.data.find((k) => k.id === detail.classId) ?? null

  return (
    <>
      {back}
      <Group justify="space-between" align="flex-start" mb="md" wrap="wrap">
        <div>
          <Group gap="sm" align="center">
            <Title order={1} size="h2" ff="monospace" data-testid="customer-title">
              {detail.customerId}
            </Title>
            <StatusBadge status={detail.status} size="lg" testId="customer-status" />
            <TraceButton target="customer.status" id={detail.id} what={`status of ${detail.customerId}`} />
          </Group>
          <Text c="dimmed" size="sm" mt={4}>
            {detail.companyName || 'No company name'} · {detail.balanceControl === 'prepaid' ? 'Prepaid' : 'Postpaid'} · {detail.currency}
            {detail.className ? ` · ${detail.className}` : ''}
          </Text>
        </div>
        <Group gap="sm">
          {/* What a role may not do is not shown at all (docs/operators.md); the main process refuses it regardless. */}
          {can('adjustments.submit') && (
            <Button variant="light" leftSection={<AdjustIcon />} onClick={() => adjust.open(detail.id)}>
              Balance adjustment
            </Button>
          )}
          {can('outOfTurn.issue') && (
            <Button variant="light" component={Link} to={`/out-of-turn/${detail.id}`}>
              Out-of-turn invoice
            </Button>
          )}
          {can('customers.changeStatus') && (
            <Button variant="light" onClick={() => setStatusOpen(true)}>
              Change status
            </Button>
          )}
        </Group>
      </Group>
      {adjust.customerId === detail.id && <AdjustmentWizard customerId={detail.id} onClose={adjust.close} />}

      <CustomerForm
        key={detail.id}
        detail={detail}
        classes={classesQ.data}
        fields={fieldsQ.data}
        defaultCurrency={detail.currency}
        canEdit={canEdit}
        readOnlyReason={editRefusal(detail.status)}
        onFieldCreated={() => fieldsQ.reload()}
        onSaved={q.setData}
        onUpdated={q.setData}
        onChangeStatus={() => setStatusOpen(true)}
      />

      <ChangeStatusDialog opened={statusOpen} detail={detail} klass={klass} onClose={() => setStatusOpen(false)} onChanged={q.setData} />
    </>
  )
}
