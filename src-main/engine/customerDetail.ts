import type { CustomerDetail } from '../../src-shared/domain'
import type { DbReader } from '../db/store'
import { accountsOf } from './accounts'
import { getClass } from './customerClasses'
import { DEFAULT_BILLING, DEFAULT_DUE_DAYS, loadCustomer } from './customers'
import { customFieldValuesOf } from './customFields'
import { refundableMinor } from './invoicePayments'
import { statusHistoryOf } from './lifecycle'
import { allowedActions } from './lifecycleRules'

/** One customer as the customer page shows it: the row, its class's defaults, accounts, history, custom fields. */
export function getCustomerDetail(r: DbReader, id: number, nowIso: string): CustomerDetail {
  const c = loadCustomer(r, id)
  const klass = c.class_id === null ? null : getClass(r, c.class_id)
  const state = {
    lifecycle: c.lifecycle,
    blocked: c.blocked === 1,
    suspended: c.suspended === 1,
    suspensionLiftedUntil: c.suspension_lifted_until,
    reactivationDeadline: c.reactivation_deadline
  }
  return {
    id: c.id,
    customerId: c.customer_id,
    companyName: c.company_name,
    balanceControl: c.balance_control,
    currency: c.currency,
    balanceMinor: c.balance_minor,
    unallocatedPaymentsMinor: c.unallocated_minor,
    creditLimitMinor: c.credit_limit_minor,
    status: c.status,
    className: klass?.name ?? null,
    classId: c.class_id,
    firstName: c.first_name,
    lastName: c.last_name,
    phone: c.phone,
    email: c.email,
    address: c.address,
    city: c.city,
    zip: c.zip,
    country: c.country,
    notes: c.notes,
    dueDaysOverride: c.due_days_override,
    taxRatePpmOverride: c.tax_rate_ppm_override,
    effective: {
      billingPeriod: klass?.billingPeriod ?? DEFAULT_BILLING.billingPeriod,
      billingDay: klass?.billingDay ?? DEFAULT_BILLING.billingDay,
      dueDays: c.due_days_override ?? klass?.dueDays ?? DEFAULT_DUE_DAYS,
      taxRatePpm: c.tax_rate_ppm_override ?? klass?.taxRatePpm ?? 0
    },
    blocked: state.blocked,
    suspended: state.suspended,
    suspensionLiftedUntil: c.suspension_lifted_until,
    provisionallyTerminatedAt: c.provisionally_terminated_at,
    reactivationDeadline: c.reactivation_deadline,
    terminatedAt: c.terminated_at,
    createdAt: c.created_at,
    updatedAt: c.updated_at,
    accounts: accountsOf(r, id),
    statusHistory: statusHistoryOf(r, id),
    customFields: customFieldValuesOf(r, id),
    allowedActions: allowedActions(state, nowIso),
    refundableMinor: refundableMinor(r, id)
  }
}
