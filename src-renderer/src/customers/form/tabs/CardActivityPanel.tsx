import { useState, type ReactNode } from 'react'
import { Alert, Badge, Button, Group, Stack, Table, Text } from '@mantine/core'
import { formatAmount, formatDate, formatDateTime } from '../../../../../src-shared/format'
import { CARD_NOUN, OUTCOME_COLOR, OUTCOME_LABEL, PENDING_EFFECT } from '../../../adjustments/cardActivity'
import { cardLabel } from '../../../adjustments/ResultStep'
import { asAppError } from '../../../api/invoke'
import { invalidate, useMutation, useQuery } from '../../../api/query'
import { QueryError } from '../../../lib/QueryError'

const card = (c: { brand: string; last4: string } | null) => (c ? cardLabel(c) : '—')

/**
 * Card payments on the customer page (Balance & credits): requests still waiting for the card
 * processor, the open authorizations and refundable payments the wizard can act on (with the
 * transaction IDs staff need), and every attempt sent to the processor, declined ones included.
 */
export function CardActivityPanel(props: { customerId: number; canAdjust: boolean }) {
  const q = useQuery('payments.cardActivity', { customerId: props.customerId })
  const reconcile = useMutation('payments.reconcile')
  const [checked, setChecked] = useState<string | null>(null)
  if (q.error && !q.data) return <QueryError error={q.error} onRetry={q.reload} what="the card payments" />
  const a = q.data
  if (!a) return null
  const cur = a.currency
  const money = (minor: number) => formatAmount(minor, cur, { withCode: true })

  async function check() {
    try {
      const r = await reconcile.run({})
      setChecked(
        r.stillPending > 0
          ? `Checked: the card processor has still not answered ${r.stillPending === 1 ? 'one request' : `${r.stillPending} requests`}; checked again at the next start-up.`
          : `Checked: ${r.settled === 1 ? 'one request' : `${r.settled} requests`} settled with the card processor's answer (see Card attempts below).`
      )
      invalidate('payments.cardActivity', 'customers.get', 'customers.list', 'ledger.transactions')
    } catch (e) {
      setChecked(`Could not check: ${asAppError(e).message}`)
    }
  }

  const nothing = a.pending.length + a.openAuthorizations.length + a.refundablePayments.length + a.attempts.length === 0
  return (
    <Stack gap="sm" data-testid="card-activity">
      <Text fw={600}>Card payments</Text>
      {nothing && (
        <Text size="sm" c="dimmed">
          No card payments yet.
        </Text>
      )}

      {a.pending.map((p) => (
        <Alert key={p.reference} color="yellow" variant="light" title={`${CARD_NOUN[p.operation]} pending at the card processor`} data-testid="card-pending">
          <Text size="sm">
            {CARD_NOUN[p.operation]} of {money(p.amountMinor)}
            {p.card ? ` on ${cardLabel(p.card)}` : ''}
            {p.transactionId ? ` (${p.transactionId})` : ''}, sent {formatDateTime(p.at)}: the card processor has not answered. {PENDING_EFFECT[p.operation]} It is
            checked again at the next start-up.
          </Text>
          {props.canAdjust && (
            <Button size="xs" variant="default" mt="sm" onClick={() => void check()} loading={reconcile.running}>
              Check pending card payments now
            </Button>
          )}
        </Alert>
      ))}
      {checked && (
        <Text size="sm" role="status" data-testid="card-checked">
          {checked}
        </Text>
      )}

      {a.openAuthorizations.length > 0 && (
        <Section title="Open authorizations" hint="Not yet captured or voided; Capture payment and Void in the Balance adjustment offer them.">
          <Table tabularNums verticalSpacing={4} aria-label="Open authorizations" data-testid="card-open-authorizations">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Transaction ID</Table.Th>
                <Table.Th>Card</Table.Th>
                <Table.Th>Authorized</Table.Th>
                <Table.Th ta="right">Amount</Table.Th>
                <Table.Th>Expires</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {a.openAuthorizations.map((o) => (
                <Table.Tr key={o.transactionId}>
                  <Table.Td ff="monospace">{o.transactionId}</Table.Td>
                  <Table.Td className="nowrap">{card(o.card)}</Table.Td>
                  <Table.Td className="nowrap">{formatDate(o.at)}</Table.Td>
                  <Table.Td ta="right" className="nowrap">
                    {money(o.amountMinor)}
                  </Table.Td>
                  <Table.Td className="nowrap">{formatDateTime(o.expiresAt)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Section>
      )}

      {a.refundablePayments.length > 0 && (
        <Section title="Refundable card payments" hint="E-commerce refund in the Balance adjustment offers them; never more than is left.">
          <Table tabularNums verticalSpacing={4} aria-label="Refundable card payments" data-testid="card-refundable">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Transaction ID</Table.Th>
                <Table.Th>Card</Table.Th>
                <Table.Th>Charged on</Table.Th>
                <Table.Th ta="right">Charged</Table.Th>
                <Table.Th ta="right">Left to refund</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {a.refundablePayments.map((p) => (
                <Table.Tr key={p.transactionId}>
                  <Table.Td ff="monospace">{p.transactionId}</Table.Td>
                  <Table.Td className="nowrap">{card(p.card)}</Table.Td>
                  <Table.Td className="nowrap">{formatDate(p.at)}</Table.Td>
                  <Table.Td ta="right" className="nowrap">
                    {money(p.chargedMinor)}
                  </Table.Td>
                  <Table.Td ta="right" className="nowrap">
                    {money(p.refundableMinor)}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Section>
      )}

      {a.attempts.length > 0 && (
        <Section title="Card attempts" hint="Every request sent to the card processor, newest first; declined and failed ones moved no money.">
          <Table.ScrollContainer minWidth={720} type="native">
            <Table tabularNums verticalSpacing={4} aria-label="Card attempts" data-testid="card-attempts" striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>When</Table.Th>
                  <Table.Th>Operation</Table.Th>
                  <Table.Th>Card</Table.Th>
                  <Table.Th ta="right">Amount</Table.Th>
                  <Table.Th miw={200}>Outcome</Table.Th>
                  <Table.Th>Transaction</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {a.attempts.map((t) => (
                  <Table.Tr key={t.id}>
                    <Table.Td className="nowrap">
                      {formatDateTime(t.at)}
                      <Text size="xs" c="dimmed">
                        by {t.operatorName}
                      </Text>
                    </Table.Td>
                    <Table.Td className="nowrap">{CARD_NOUN[t.operation]}</Table.Td>
                    <Table.Td className="nowrap">{card(t.card)}</Table.Td>
                    <Table.Td ta="right" className="nowrap">
                      {money(t.amountMinor)}
                    </Table.Td>
                    <Table.Td>
                      <Badge variant="light" color={OUTCOME_COLOR[t.outcome]} size="sm">
                        {OUTCOME_LABEL[t.outcome]}
                      </Badge>
                      {t.reason && (
                        <Text size="xs" c="dimmed">
                          {t.reason}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td ff="monospace" fz="sm">
                      {t.transactionId ?? '—'}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Section>
      )}
    </Stack>
  )
}

function Section(props: { title: string; hint: string; children: ReactNode }) {
  return (
    <div>
      <Group gap="xs" align="baseline" mb={2}>
        <Text size="sm" fw={600}>
          {props.title}
        </Text>
        <Text size="xs" c="dimmed">
          {props.hint}
        </Text>
      </Group>
      {props.children}
    </div>
  )
}
