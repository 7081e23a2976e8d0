import type { ParsedInputOf } from '../../src-shared/contract'
import type { ClassPriceLists, CustomerPriceLists, PriceListRef } from '../../src-shared/domain'
import { AppError } from '../../src-shared/errors'
import type { DbReader } from '../db/store'
import type { Work } from './unitOfWork'

/**
 * Which price list rates whose usage: read for the Classes page and the customer's Price lists
 * tab, and removed from there. Setting them is priceLists.ts (assignToClass, overrideForCustomer);
 * the rule they show is UsageRater's: the customer's own list for a service, else its class's.
 */

/**
 * The services a list can be assigned for: the rated ones (voice, messaging), not disabled, and any
 * other that already has a list here (so an old assignment can still be seen and removed).
 */
const RATED_SERVICES = `SELECT id, name FROM services
  WHERE is_special = 0 AND ((kind IN ('voice', 'messaging') AND disabled = 0) OR id IN (SELECT service_id FROM assigned))
  ORDER BY name COLLATE NOCASE, id`

interface AssignedRow {
  service_id: number
  id: number
  name: string
  currency: string
}

const ref = (a: AssignedRow | undefined): PriceListRef | null => (a ? { id: a.id, name: a.name, currency: a.currency } : null)

function classAssigned(r: DbReader, classId: number | null): Map<number, AssignedRow> {
  if (classId === null) return new Map()
  const rows = r.all<AssignedRow>(
    'SELECT a.service_id, p.id, p.name, p.currency FROM class_price_lists a JOIN price_lists p ON p.id = a.price_list_id WHERE a.class_id = ?',
    [classId]
  )
  return new Map(rows.map((a) => [a.service_id, a]))
}

function ratedServices(r: DbReader, assignedServiceIds: Iterable<number>): { id: number; name: string }[] {
  const ids = [...new Set(assignedServiceIds)]
  // The assigned ids as a CTE, so the one query lists both.
  const assigned = ids.length === 0 ? 'SELECT NULL AS service_id WHERE 0' : ids.map(() => 'SELECT ? AS service_id').join(' UNION ALL ')
  return r.all<{ id: number; name: string }>(`WITH assigned AS (${assigned}) ${RATED_SERVICES}`, ids)
}

function findClass(r: DbReader, classId: number): { name: string; currency: string | null } {
  const k = r.get<{ name: string; currency: string | null }>('SELECT name, currency FROM customer_classes WHERE id = ?', [classId])
  if (!k) throw new AppError('NOT_FOUND', `Customer class ${classId} does not exist.`, 'classId')
  return k
}

export function classPriceLists(r: DbReader, classId: number): ClassPriceLists {
  const k = findClass(r, classId)
  const assigned = classAssigned(r, classId)
  // A class without a currency takes lists in the one currency its customers bill in (assignToClass refuses others).
  const billed = k.currency === null ? r.all<{ currency: string }>('SELECT DISTINCT currency FROM customers WHERE class_id = ?', [classId]) : []
  return {
    classId,
    className: k.name,
    currency: k.currency ?? (billed.length === 1 ? billed[0]!.currency : null),
    services: ratedServices(r, assigned.keys()).map((s) => ({ serviceId: s.id, serviceName: s.name, priceList: ref(assigned.get(s.id)) }))
  }
}

export function customerPriceLists(r: DbReader, customerId: number): CustomerPriceLists {
  const c = r.get<{ currency: string; class_id: number | null; class_name: string | null }>(
    'SELECT c.currency, c.class_id, k.name AS class_name FROM customers c LEFT JOIN customer_classes k ON k.id = c.class_id WHERE c.id = ?',
    [customerId]
  )
  if (!c) throw new AppError('NOT_FOUND', `Customer ${customerId} does not exist.`, 'customerId')
  const own = new Map(
    r
      .all<AssignedRow>(
        'SELECT a.service_id, p.id, p.name, p.currency FROM customer_price_lists a JOIN price_lists p ON p.id = a.price_list_id WHERE a.customer_id = ?',
        [customerId]
      )
      .map((a) => [a.service_id, a])
  )
  const ofClass = classAssigned(r, c.class_id)
  return {
    customerId,
    currency: c.currency,
    classId: c.class_id,
    className: c.class_name,
    services: ratedServices(r, [...own.keys(), ...ofClass.keys()]).map((s) => {
      const mine = ref(own.get(s.id))
      const theirs = ref(ofClass.get(s.id))
      return {
        serviceId: s.id,
        serviceName: s.name,
        own: mine,
        ofClass: theirs,
        effective: mine ?? theirs,
        source: mine ? 'own' : theirs ? 'class' : 'none'
      }
    })
  }
}

function serviceName(r: DbReader, serviceId: number): string {
  const s = r.get<{ name: string }>('SELECT name FROM services WHERE id = ?', [serviceId])
  if (!s) throw new AppError('NOT_FOUND', `Service ${serviceId} does not exist.`, 'serviceId')
  return s.name
}

/** The class's usage of the service is no longer rated by a class list (customers' own lists stay). */
export function removeClassAssignment(w: Work, input: ParsedInputOf<'priceLists.removeClassAssignment'>) {
  const k = findClass(w, input.classId)
  const service = serviceName(w, input.serviceId)
  const before = classAssigned(w, input.classId).get(input.serviceId)
  if (!before) throw new AppError('NOT_FOUND', `Class "${k.name}" has no price list for ${service}.`, 'serviceId')
  w.run('DELETE FROM class_price_lists WHERE class_id = ? AND service_id = ?', [input.classId, input.serviceId])
  w.audit({
    kind: 'priceList.unassignClass',
    field: `service:${input.serviceId}`,
    from: before.name,
    to: '',
    description: `Class "${k.name}", ${service}: price list "${before.name}" removed; its usage is no longer rated until a list is assigned.`
  })
  return { classId: input.classId, serviceId: input.serviceId }
}

/** The customer's usage of the service is rated with its class's list again (or stays unrated without one). */
export function removeCustomerOverride(w: Work, input: ParsedInputOf<'priceLists.removeCustomerOverride'>) {
  const lists = customerPriceLists(w, input.customerId)
  const service = serviceName(w, input.serviceId)
  const row = lists.services.find((s) => s.serviceId === input.serviceId)
  if (!row?.own) throw new AppError('NOT_FOUND', `This customer has no price list of its own for ${service}.`, 'serviceId')
  w.run('DELETE FROM customer_price_lists WHERE customer_id = ? AND service_id = ?', [input.customerId, input.serviceId])
  const fallback = row.ofClass
    ? `its class's "${row.ofClass.name}" rates it from now on.`
    : 'its class has no list for it, so its usage is not rated until one is assigned.'
  w.audit({
    kind: 'priceList.removeOverride',
    customerId: input.customerId,
    field: `service:${input.serviceId}`,
    from: row.own.name,
    to: row.ofClass?.name ?? '',
    description: `${service}: this customer's own price list "${row.own.name}" removed; ${fallback}`
  })
  return { customerId: input.customerId, serviceId: input.serviceId }
}
