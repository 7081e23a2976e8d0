import type { StatusAction } from '../../../../src-shared/domain'

/** How each life-cycle action is offered, in the source pages' words. */
export interface ActionText {
  label: string
  /** What the action does, and the rule behind it. */
  explanation: string
  /** The button that applies it. */
  button: string
  color?: string
}

export const ACTION_TEXT: Record<StatusAction, ActionText> = {
  block: {
    label: 'Blocked',
    explanation:
      'Set by hand and reversible. All of the customer’s accounts become unusable and usage is refused. Subscription fees still apply, so the customer keeps receiving invoices.',
    button: 'Block customer',
    color: 'orange'
  },
  unblock: {
    label: 'Unblock',
    explanation: 'Clear Blocked: the customer’s accounts can be used again.',
    button: 'Unblock customer'
  },
  'lift-suspension': {
    label: 'Lift the suspension until a date',
    explanation:
      'Suspended is set only automatically, for an overdue invoice, and cannot be cleared by hand; paying the invoice ends it. You can lift it until a date — if the invoice is still unpaid after that day, the customer is suspended again.',
    button: 'Lift suspension'
  },
  'provisionally-terminate': {
    label: 'Provisionally terminated',
    explanation:
      'All services stop; the customer’s data is kept. The customer can be reactivated within the class’s reactivation period; if not, the status changes automatically to Permanently terminated.',
    button: 'Provisionally terminate',
    color: 'red'
  },
  reactivate: {
    label: 'Reactivate',
    explanation: 'End the provisional termination: services resume. Possible until the reactivation deadline.',
    button: 'Reactivate customer'
  },
  'permanently-terminate': {
    label: 'Permanently terminated',
    explanation:
      'Final: the customer has no access to any operation and cannot be reactivated later. The customer is then found only under the Permanently terminated status filter.',
    button: 'Continue',
    color: 'red'
  },
  export: {
    label: 'Exported',
    explanation: 'The customer’s data has been moved to another installation. The customer is inactive; the data is kept here. Exported can be cleared back to Active.',
    button: 'Mark as exported'
  },
  'clear-export': {
    label: 'Clear Exported',
    explanation: 'The customer becomes Active again.',
    button: 'Clear Exported'
  }
}
