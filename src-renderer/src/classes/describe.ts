import type { CustomerClass } from '../../../src-shared/domain'

export const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const

/** "Monthly on day 1" / "Weekly on Monday". */
export function describeBillingPeriod(period: 'monthly' | 'weekly', day: number): string {
  if (period === 'weekly') return `Weekly on ${WEEKDAYS[day - 1] ?? `day ${day}`}`
  return `Monthly on day ${day}`
}

/** "After 3 grace days" / "On the due date" / "Off". */
export function describeSuspension(k: Pick<CustomerClass, 'suspendOnOverdue' | 'suspensionGraceDays'>): string {
  if (!k.suspendOnOverdue) return 'Off'
  if (k.suspensionGraceDays === 0) return 'When overdue'
  return `After ${k.suspensionGraceDays} grace day${k.suspensionGraceDays === 1 ? '' : 's'}`
}

export const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`

/** Class picker label: "Callshop standard · USD" or "… · any currency". */
export function classOptionLabel(k: Pick<CustomerClass, 'name' | 'currency'>): string {
  return `${k.name} · ${k.currency ?? 'any currency'}`
}
