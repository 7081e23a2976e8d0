/**
 * Browser mode takes what the desktop app takes: a 2 MB customer CSV goes through the loopback
 * host (the import channels accept up to 50 MB files; other channels 1 MiB) and is imported.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDemoSession, type DemoSession } from '../support/e2e'

let session: DemoSession

beforeAll(async () => {
  session = await openDemoSession('large-import')
})

afterAll(async () => {
  await session?.close()
})

describe('a large customer import in browser mode', () => {
  it('previews and imports a 2 MB CSV of 500 customers', async () => {
    const { page } = session
    const notes = 'Long-standing customer; calls Łódź and Москва every evening. '.repeat(66)
    const rows = Array.from({ length: 500 }, (_, i) => `BIG-IMPORT-${String(i).padStart(4, '0')},Big Import ${i} Ltd,postpaid,USD,"${notes}"`)
    const csv = ['customer_id,company_name,balance_control,currency,notes', ...rows].join('\n')
    expect(Buffer.byteLength(csv)).toBeGreaterThan(2_000_000)

    await page.getByRole('button', { name: 'Import from CSV' }).click()
    const dialog = page.getByRole('dialog')
    await dialog.locator('input[type=file]').setInputFiles({ name: 'customers.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) })
    await expect.poll(() => dialog.getByTestId('import-valid').innerText(), { timeout: 30_000 }).toBe('500')
    await dialog.getByRole('button', { name: 'Import all' }).click()
    await page.getByText('Customers imported').first().waitFor({ timeout: 30_000 })
    expect(await session.desk.call('customers.list', { search: 'BIG-IMPORT' }).then((r) => r.total)).toBe(500)
    expect(session.pageErrors).toEqual([])
  })
})
