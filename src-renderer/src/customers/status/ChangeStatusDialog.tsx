import '@mantine/dates/styles.css'
import { useEffect, useState } from 'react'
import { Alert, Button, Checkbox, Group, Modal, Radio, Stack, Text, Textarea } from '@mantine/core'
import { DateInput } from '@mantine/dates'
import { type CustomerClass, type CustomerDetail, DEFAULT_REACTIVATION_DAYS, type StatusAction } from '../../../../src-shared/domain'
import { formatDate, localDatePlus } from '../../../../src-shared/format'
import { useMutation } from '../../api/query'
import { useFieldErrors } from '../../lib/field-errors'
import { STATUS_LABEL } from '../../lib/labels'
import { notifySuccess } from '../../lib/notify'
import { plural } from '../../classes/describe'
import { ACTION_TEXT } from './actions'
import { StatusBadge } from './StatusBadge'

const FIELDS = ['action', 'note', 'until', 'terminationDate', 'issuePartialInvoice'] as const
/** The seed's default reactivation period, used when the customer has no class. */

/**
 * Change customer status: only the actions the life-cycle rules allow now (the engine lists
 * them), each explained. Permanent termination asks once more before it is applied.
 */
export function ChangeStatusDialog(props: {
  opened: boolean
  detail: CustomerDetail
  klass: CustomerClass | null
  onClose: () => void
  onChanged: (d: CustomerDetail) => void
}) {
  const d = props.detail
  const [action, setAction] = useState<StatusAction | null>(null)
  const [note, setNote] = useState('')
  const [until, setUntil] = useState<string | null>(null)
  const [terminationDate, setTerminationDate] = useState<string | null>(null)
  const [partialInvoice, setPartialInvoice] = useState(false)
  const [confirming, setConfirming] = useState(false)
  const change = useMutation('customers.changeStatus')
  const { errors, report, clear } = useFieldErrors(FIELDS)

  // Every opening starts clean, with the only action preselected when there is just one.
  useEffect(() => {
    if (!props.opened) return
    setAction(d.allowedActions.length === 1 ? (d.allowedActions[0] ?? null) : null)
    setNote('')
    setUntil(null)
    setTerminationDate(null)
    setPartialInvoice(false)
    setConfirming(false)
    clear()
    // Only on opening: a refreshed detail while open must not wipe what was typed.
  }, [props.opened])

  const reactivationDays = props.klass?.reactivationDays ?? DEFAULT_REACTIVATION_DAYS
  const chosen = action ? ACTION_TEXT[action] : null

  async function apply() {
    if (!action) return
    if (action === 'permanently-terminate' && !confirming) {
      setConfirming(true)
      return
    }
    clear()
    try {
      const next = await change.run({
        id: d.id,
        action,
        note,
        ...(action === 'lift-suspension' && until ? { until } : {}),
        ...(action === 'permanently-terminate' && terminationDate ? { terminationDate } : {}),
        issuePartialInvoice: action === 'permanently-terminate' && partialInvoice
      })
      notifySuccess('Status changed', `${next.customerId} is now ${STATUS_LABEL[next.status]}.`)
      props.onChanged(next)
      props.onClose()
    } catch (err) {
      setConfirming(false)
      report(err)
    }
  }

  function extra(a: StatusAction) {
    if (a === 'provisionally-terminate') {
      return (
        <Text size="xs" mt={4} data-testid="reactivation-preview">
          Reactivation period: {plural(reactivationDays, 'day')}
          {props.klass ? ` (class “${props.klass.name}”)` : ' (default; no class)'} — the reactivation deadline will be{' '}
          <Text span fw={600} size="xs">
            {localDatePlus(reactivationDays)}
          </Text>
          .
        </Text>
      )
    }
    if (a === 'reactivate' && d.reactivationDeadline) {
      return (
        <Text size="xs" mt={4}>
          Reactivation deadline:{' '}
          <Text span fw={600} size="xs">
            {formatDate(d.reactivationDeadline)}
          </Text>
        </Text>
      )
    }
    return null
  }

  return (
    <Modal
      opened={props.opened}
      onClose={props.onClose}
      title={<Text fw={700}>Change customer status</Text>}
      size="lg"
      closeOnClickOutside={!change.running}
      classNames={{ body: 'dialog-body' }}
    >
      <Stack gap="md">
        <Group gap="xs">
          <Text size="sm">
            <Text span ff="monospace" size="sm">
              {d.customerId}
            </Text>{' '}
            is now
          </Text>
          <StatusBadge status={d.status} />
        </Group>

        {d.status === 'suspended' && (
          <Alert variant="light" color="yellow" title="Suspended for an overdue invoice">
            This status is set automatically and cannot be cleared by hand; paying the overdue invoice ends it. You can lift the suspension until a date.
          </Alert>
        )}

        {d.allowedActions.length === 0 ? (
          <Text size="sm" c="dimmed">
            {d.status === 'permanently-terminated' ? 'Permanently terminated is final: no status change is possible.' : 'No status change is possible from here.'}
          </Text>
        ) : confirming ? (
          <Alert color="red" variant="light" title="This is final" role="alert">
            <Stack gap={6}>
              <Text size="sm">
                {d.customerId} will be permanently terminated {terminationDate ? `on ${terminationDate}` : 'today'}. The customer cannot be reactivated afterwards and is
                shown only under the Permanently terminated status filter.
              </Text>
              {note.trim() && <Text size="sm">Note: {note.trim()}</Text>}
            </Stack>
          </Alert>
        ) : (
          <>
            <Radio.Group
              label="New status"
              value={action}
              onChange={(v) => {
                setAction(v as StatusAction)
                clear()
              }}
              error={errors.action}
            >
              <Stack gap="xs" mt="xs">
                {d.allowedActions.map((a) => (
                  <Radio.Card key={a} value={a} p="sm" radius="md" aria-label={ACTION_TEXT[a].label}>
                    <Group wrap="nowrap" align="flex-start" gap="sm">
                      <Radio.Indicator mt={2} />
                      <div>
                        <Text fw={600} size="sm">
                          {ACTION_TEXT[a].label}
                        </Text>
                        <Text size="xs" c="dimmed">
                          {ACTION_TEXT[a].explanation}
                        </Text>
                        {extra(a)}
                      </div>
                    </Group>
                  </Radio.Card>
                ))}
              </Stack>
            </Radio.Group>

            {action === 'lift-suspension' && (
              <DateInput
                label="Lift the suspension until"
                description="The last day the customer can use services while the invoice is unpaid."
                valueFormat="YYYY-MM-DD"
                placeholder="YYYY-MM-DD"
                withAsterisk
                value={until}
                onChange={(v) => {
                  setUntil(v)
                  clear('until')
                }}
                minDate={localDatePlus(0)}
                error={errors.until}
                popoverProps={{ withinPortal: true }}
              />
            )}

            {action === 'permanently-terminate' && (
              <>
                <DateInput
                  label="Permanent termination date"
                  description="The day of termination: today unless you choose an earlier day."
                  valueFormat="YYYY-MM-DD"
                  placeholder="Today"
                  clearable
                  maxDate={localDatePlus(0)}
                  value={terminationDate}
                  onChange={(v) => {
                    setTerminationDate(v)
                    clear('terminationDate')
                  }}
                  error={errors.terminationDate}
                  popoverProps={{ withinPortal: true }}
                />
                <Checkbox
                  label="Generate invoice prior to the end of the billing period"
                  description="Issues the invoice for the period so far, now, with the termination."
                  checked={partialInvoice}
                  onChange={(e) => {
                    setPartialInvoice(e.currentTarget.checked)
                    clear('issuePartialInvoice')
                  }}
                  error={errors.issuePartialInvoice}
                />
              </>
            )}

            {action && (
              <Textarea
                label="Note"
                description="Kept in the status history."
                autosize
                minRows={2}
                value={note}
                onChange={(e) => {
                  setNote(e.currentTarget.value)
                  clear('note')
                }}
                error={errors.note}
                name="note"
              />
            )}
          </>
        )}

        {/* Sticky: with the longest choice the buttons would otherwise start below a 768 px window. */}
        <Group justify="flex-end" gap="sm" className="dialog-footer">
          <Button variant="default" onClick={() => (confirming ? setConfirming(false) : props.onClose())} disabled={change.running}>
            {confirming ? 'Back' : 'Cancel'}
          </Button>
          {d.allowedActions.length > 0 && (
            <Button color={confirming ? 'red' : chosen?.color} onClick={() => void apply()} disabled={!action} loading={change.running}>
              {confirming ? 'Permanently terminate' : (chosen?.button ?? 'Apply')}
            </Button>
          )}
        </Group>
      </Stack>
    </Modal>
  )
}
