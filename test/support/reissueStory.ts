/**
 * The source page's story for batch re-issue (issue 11), through the channels the app uses: SIP
 * trunking customers EasyCall Ltd., SmartCall Ltd. and MegaTrunk, March usage rated with a wrong
 * price list (UK mobiles at 0.90 instead of 0.10), the March invoices issued on April 1, the
 * corrected list uploaded for the same instant and March re-rated on April 10. Used by the
 * channel test and the end-to-end test; the desk's clock is `clock.t`.
 */
import type { JobSnapshot } from '../../src-shared/domain'
import type { Channel, InputOf, ResultOf } from '../../src-shared/contract'
import { closeDuePeriods } from '../../src-main/engine/invoicing'
import type { Engine } from '../../src-main/engine/unitOfWork'
import { ADMIN_ACTOR, classInput, untilJobDone } from './desk'
import { insertUsage } from './usageRows'
import { tariffCsv } from './usageWorld'

type Call = <C extends Channel>(channel: C, input: InputOf<C>) => Promise<ResultOf<C>>

export const STORY_CUSTOMERS = [
  { customerId: 'EasyCall', companyName: 'EasyCall Ltd.' },
  { customerId: 'SmartCall', companyName: 'SmartCall Ltd.' },
  { customerId: 'MegaTrunk', companyName: 'MegaTrunk' }
] as const

export async function buildReissueStory(desk: { app: { core: { engine: Engine } } }, call: Call, clock: { t: number }) {
  clock.t = Date.parse('2026-02-20T09:00:00Z')
  const service = (await call('services.list', {})).find((s) => s.kind === 'voice')
  if (!service) throw new Error('setup made no voice service')
  const klass = await call('classes.create', classInput({ name: 'SIP trunking', currency: 'USD', invoicePrefix: 'SIP-', taxRatePpm: 200_000 }))
  const list = await call('priceLists.create', { name: 'SIP trunks', currency: 'USD' })
  await call('priceLists.assignToClass', { classId: klass.id, serviceId: service.id, priceListId: list.id })
  await call('priceLists.uploadVersion', {
    priceListId: list.id,
    csv: tariffCsv('44,UK,0.10,0,60,60,0', '4475,UK mobile,0.90,0,60,60,0'),
    effectiveFrom: '2026-03-01T00:00:00Z'
  })
  const ids: number[] = []
  for (const c of STORY_CUSTOMERS) {
    const made = await call('customers.create', { ...c, balanceControl: 'postpaid', currency: 'USD', classId: klass.id, creditLimit: null })
    ids.push(made.id)
  }
  const engine = desk.app.core.engine
  // February closes with nothing; March's calls come in during March.
  clock.t = Date.parse('2026-03-02T00:30:00Z')
  await closeDuePeriods(engine, ADMIN_ACTOR)
  clock.t = Date.parse('2026-03-25T12:00:00Z')
  insertUsage(
    desk,
    ids.flatMap((customerId, i) => [
      { customerId, serviceId: service.id, startedAt: `2026-03-0${i + 2}T10:00:00Z`, durationS: 120 + 60 * i, destination: '447500111222' },
      { customerId, serviceId: service.id, startedAt: `2026-03-1${i + 2}T10:00:00Z`, durationS: 60, destination: '442071234567' }
    ])
  )
  // April 1: the March invoices, with the wrong prices.
  clock.t = Date.parse('2026-04-01T00:10:00Z')
  await closeDuePeriods(engine, ADMIN_ACTOR)
  // April 10: found; the corrected list for the same instant, March re-rated.
  clock.t = Date.parse('2026-04-10T09:00:00Z')
  await call('priceLists.uploadVersion', { priceListId: list.id, csv: tariffCsv('44,UK,0.10,0,60,60,0'), effectiveFrom: '2026-03-01T00:00:00Z' })
  const started = await call('rerating.start', {
    scope: { kind: 'class', classId: klass.id },
    from: '2026-03-01T00:00:00Z',
    to: '2026-04-01T00:00:00Z',
    priceListId: null
  })
  const done: JobSnapshot<unknown> = await untilJobDone(started, (jobId) => call('rerating.status', { jobId }))
  if (done.state !== 'completed') throw new Error(`re-rating ${done.state}`)
  const reratingId = (await call('rerating.history', {}))[0]!.id
  return { ids, classId: klass.id, reratingId }
}
