/**
 * Lists that keep several filters in the address (Invoices, the Usage browser, the Audit log),
 * with two filters filled one right after the other: the second change must start from the
 * first, not from the address as it was before it (which silently dropped the first filter).
 * Each pair is filled twice: with Playwright's `fill` one after the other with no wait, and in
 * the same moment (both boxes changed before the page draws again, as fast typing or autofill
 * on a busy page does). Both filters must then be in the boxes, in the address and in the rows.
 */
import type { Locator } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { classInput, newKey, untilJobDone } from '../support/desk'
import { type DemoSession, openDemoSession } from '../support/e2e'

const clock = { t: Date.parse('2026-11-10T12:00:00Z') }
const DAY = 86_400_000
let session: DemoSession

const page = () => session.page
const go = (hash: string) => page().evaluate((h) => (window.location.hash = h), hash)
const hash = () => page().evaluate(() => decodeURIComponent(window.location.hash))

/** Both boxes changed in the same task: the second `input` event comes before React draws the first. */
async function fillAtOnce(boxes: [Locator, string][]) {
  const handles = await Promise.all(boxes.map(([box]) => box.elementHandle()))
  await page().evaluate(
    ([els, values]) => {
      const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!
      els.forEach((el, i) => {
        setValue.call(el, values[i])
        el!.dispatchEvent(new Event('input', { bubbles: true }))
      })
    },
    [handles, boxes.map(([, v]) => v)] as const
  )
}

/** Both boxes filled by Playwright one after the other, no wait in between. */
async function fillQuickly(boxes: [Locator, string][]) {
  for (const [box, value] of boxes) await box.fill(value)
}

const WAYS = [
  ['one after the other', fillQuickly],
  ['in the same moment', fillAtOnce]
] as const

beforeAll(async () => {
  session = await openDemoSession('address-filters', { now: () => clock.t })
  const { desk } = session
  // Three invoices issued on three days: 2026-11-11, 2026-11-12 and 2026-11-13.
  const service = (await desk.call('services.list', {})).find((s) => s.kind === 'voice')!
  const cls = await desk.call('classes.create', classInput({ name: 'Filter test', currency: 'USD', dueDays: 30, invoicePrefix: 'FLT-' }))
  for (const [i, name] of ['flt-a', 'flt-b', 'flt-c'].entries()) {
    const c = await desk.call('customers.create', {
      customerId: name,
      companyName: `${name} Ltd`,
      balanceControl: 'postpaid',
      currency: 'USD',
      classId: cls.id,
      creditLimit: null
    })
    await desk.call('adjustments.submit', { customerId: c.id, operation: 'manual-charge', amount: `${i + 1}0.00`, serviceId: service.id, operationKey: newKey() })
    clock.t = Date.parse(`2026-11-1${i + 1}T12:00:00Z`)
    const job = await untilJobDone(await desk.call('invoices.closeNow', { customerId: c.id }), (jobId) => desk.call('invoiceClose.status', { jobId }))
    expect(job.state).toBe('completed')
  }
  await desk.call('settings.update', { companyName: 'Northside Filtered Callshop', address: '12 High Street, Leeds' })
}, 180_000)

afterAll(async () => {
  await session?.close()
})

describe('two address-kept filters filled in quick succession both stay', () => {
  for (const [way, fill] of WAYS) {
    it(`Invoices: issued from and issued to, ${way}`, async () => {
      await go('#/invoices')
      const numbers = () => page().getByTestId('invoice-row').locator('td:first-child').allInnerTexts()
      await expect.poll(async () => (await numbers()).filter((n) => n.startsWith('FLT-')).length).toBe(3)
      const from = page().getByLabel('Issued from')
      const to = page().getByLabel('Issued to')
      await fill([
        [from, '2026-11-12'],
        [to, '2026-11-12']
      ])
      await expect.poll(hash).toContain('issuedTo=2026-11-12')
      expect(await hash()).toContain('issuedFrom=2026-11-12')
      expect(await from.inputValue()).toBe('2026-11-12')
      expect(await to.inputValue()).toBe('2026-11-12')
      await expect.poll(numbers).toEqual(['FLT-000002'])
      expect(await page().getByTestId('invoice-row').locator('td:nth-child(4)').allInnerTexts()).toEqual(['2026-11-12'])
    })

    it(`Usage: period from and to, ${way}`, async () => {
      await go('#/usage')
      const rows = page().getByTestId('usage-row')
      await expect.poll(() => rows.count()).toBe(100)
      const from = page().getByTestId('usage-filters').getByLabel('From (UTC)')
      const to = page().getByTestId('usage-filters').getByLabel('To (UTC)')
      const day = new Date(clock.t - 20 * DAY).toISOString().slice(0, 10)
      await fill([
        [from, day],
        [to, day]
      ])
      await expect.poll(hash).toContain(`to=${day}`)
      expect(await hash()).toContain(`from=${day}`)
      expect(await from.inputValue()).toBe(day)
      expect(await to.inputValue()).toBe(day)
      await expect.poll(async () => [...new Set((await rows.locator('td:first-child').allInnerTexts()).map((t) => t.slice(0, 10)))]).toEqual([day])
    })

    it(`Audit log: from, to and text, ${way}`, async () => {
      await go('#/audit')
      const rows = page().getByTestId('audit-row')
      await expect.poll(() => rows.count()).toBeGreaterThan(1)
      const filters = page().getByTestId('audit-filters')
      const from = filters.getByLabel('From (UTC)')
      const to = filters.getByLabel('To (UTC)')
      const text = page().getByRole('textbox', { name: 'Search the descriptions' })
      const day = new Date(clock.t).toISOString().slice(0, 10)
      await fill([
        [from, day],
        [to, day],
        [text, 'Filtered']
      ])
      await expect.poll(hash).toContain('q=Filtered')
      expect(await hash()).toContain(`from=${day}`)
      expect(await hash()).toContain(`to=${day}`)
      expect(await from.inputValue()).toBe(day)
      expect(await to.inputValue()).toBe(day)
      expect(await text.inputValue()).toBe('Filtered')
      await expect.poll(() => rows.count()).toBe(1)
      expect(await rows.first().innerText()).toContain('Northside Filtered Callshop')
      expect((await rows.first().locator('td:first-child').innerText()).slice(0, 10)).toBe(day)
    })
  }

  it('raised no page error', () => {
    expect(session.pageErrors).toEqual([])
  })
})
