import { openBillingApp } from '../../src-main/app'
import type { Channel, InputOf, ResultOf } from '../../src-shared/contract'
import type { IpcResponse } from '../../src-shared/errors'
import { tmpDataDir } from './tmp'
import { TEST_ADMIN } from './operators'

/**
 * A fresh desk for card tests: set up (no demo data), one postpaid USD customer owing 100.00,
 * the built-in test gateway, on the clock given.
 */
export async function cardDesk(clock: { now: number }) {
  const dataDir = tmpDataDir()
  const app = await openBillingApp({ dataDir, now: () => clock.now, log: () => {}, dailyBackupDelayMs: 3_600_000 })
  const call = async <C extends Channel>(channel: C, input: InputOf<C>) => (await app.dispatch(channel, input, { transport: 'test' })) as IpcResponse<ResultOf<C>>
  const ok = async <C extends Channel>(channel: C, input: InputOf<C>): Promise<ResultOf<C>> => {
    const res = await call(channel, input)
    if (!res.ok) throw new Error(`${channel}: ${res.error.code} ${res.error.message}`)
    return res.value
  }
  await ok('setup.complete', { companyName: 'Card Shop', address: '', defaultCurrency: 'USD', loadDemoData: false, ...TEST_ADMIN })
  const c = await ok('customers.create', {
    customerId: 'cardholder',
    companyName: 'Easy Call Ltd',
    balanceControl: 'postpaid',
    currency: 'USD',
    classId: null,
    creditLimit: null,
    openingBalance: '100'
  })
  const money = async () => {
    const d = await ok('customers.get', { id: c.id })
    return { balance: d.balanceMinor, unallocated: d.unallocatedPaymentsMinor }
  }
  return { app, call, ok, id: c.id, money, dataDir }
}
