/**
 * Every screen at the counter laptop's 1366x768: no primary button is covered (the element at the
 * button's centre is the button or inside it) or off-screen, and the columns people read are not
 * cut. Screenshots of each screen land in /tmp/layout-*.png for a person to look at.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { openDemoSession, type DemoSession } from '../support/e2e'

let session: DemoSession
let page: Page

beforeAll(async () => {
  session = await openDemoSession('layout', { viewport: { width: 1366, height: 768 } })
  ;({ page } = session)
})

afterAll(async () => {
  await session?.close()
})

const nav = (label: string) => page.locator('nav').getByRole('button', { name: label, exact: true })
const heading = (name: string) => page.getByRole('heading', { level: 1, name, exact: true })
const dialog = () => page.getByRole('dialog')

/**
 * The primary buttons (filled, or a form's submit) of the dialog on top, else of the page, that are
 * off-screen or covered by something else. Buttons scrolled out of a page that scrolls are not
 * counted: only the window's own fold is, for dialogs and sticky bars (`stickyOnly`).
 */
async function blockedPrimaryButtons(): Promise<string[]> {
  await page.waitForTimeout(350) // transitions (modals, notifications) settle
  return page.evaluate(() => {
    const dialogs = [...document.querySelectorAll<HTMLElement>('[role="dialog"]')].filter((d) => d.getBoundingClientRect().height > 0)
    const scope: ParentNode = dialogs.at(-1) ?? document
    const buttons = [...scope.querySelectorAll<HTMLButtonElement>('button[data-variant="filled"], button[type="submit"]')].filter((b) => {
      const r = b.getBoundingClientRect()
      return r.width > 0 && r.height > 0 && getComputedStyle(b).visibility !== 'hidden'
    })
    const problems: string[] = []
    for (const b of buttons) {
      const name = (b.getAttribute('aria-label') ?? b.textContent ?? '').trim()
      const r = b.getBoundingClientRect()
      // On a page (no dialog), a button further down is reached by scrolling: bring it into view first.
      if (!dialogs.length && (r.bottom > innerHeight || r.top < 0)) b.scrollIntoView({ block: 'center' })
      const s = b.getBoundingClientRect()
      if (s.top < 0 || s.left < 0 || s.bottom > innerHeight || s.right > innerWidth) {
        problems.push(`${name}: off-screen (${Math.round(s.left)},${Math.round(s.top)} ${Math.round(s.width)}x${Math.round(s.height)})`)
        continue
      }
      const at = document.elementFromPoint(s.left + s.width / 2, s.top + s.height / 2)
      if (!at || !(at === b || b.contains(at)))
        problems.push(`${name}: covered by ${at ? `${at.tagName.toLowerCase()}.${String(at.className).slice(0, 60)}` : 'nothing'}`)
    }
    return problems
  })
}

/** Cells of `selector` whose text is cut (wider than the cell shows). */
function cutTexts(selector: string): Promise<string[]> {
  return page.evaluate((sel) => {
    return [...document.querySelectorAll<HTMLElement>(sel)]
      .filter((el) => el.getBoundingClientRect().height > 0 && el.scrollWidth > el.clientWidth + 1)
      .map((el) => el.textContent ?? '')
  }, selector)
}

async function check(name: string): Promise<void> {
  const blocked = await blockedPrimaryButtons()
  await page.screenshot({ path: `/tmp/layout-${name}.png` })
  expect({ screen: name, blocked }).toEqual({ screen: name, blocked: [] })
}

describe('every screen at 1366x768', () => {
  it('customer list: IDs are not cut', async () => {
    await heading('Customers').waitFor()
    await page.locator('.cl-body .cl-row').first().waitFor()
    await check('list')
    expect(await cutTexts('.cl-body .cl-row > :first-child')).toEqual([])
  })

  it('new customer form, with a notification showing', async () => {
    await page.getByRole('button', { name: 'New customer' }).click()
    await heading('New customer').waitFor()
    await check('new-customer')
    // The sticky save bar leaves the last fields reachable: scrolled to the end, nothing sits under it.
    await page.getByRole('tab', { name: /Custom fields/ }).click()
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight))
    const covered = await page.evaluate(() => {
      const bar = document.querySelector('[data-testid="save-bar"]')!.getBoundingClientRect()
      return [...document.querySelectorAll<HTMLElement>('form input, form textarea')]
        .filter((el) => {
          const r = el.getBoundingClientRect()
          return r.height > 0 && !el.closest('[data-testid="save-bar"]') && r.bottom > bar.top && r.top < bar.bottom
        })
        .map((el) => el.getAttribute('name') ?? el.id)
    })
    expect(covered).toEqual([])
    await page.getByRole('button', { name: 'Cancel' }).click()
  })

  it('customer page, every tab; the Transactions table shows its Operator column', async () => {
    await page.getByRole('searchbox', { name: 'Search customers' }).fill('easycall')
    await page.getByRole('table', { name: 'Customers' }).getByRole('row').filter({ hasText: 'easycall' }).first().click()
    await page.getByTestId('customer-title').filter({ hasText: 'easycall' }).waitFor()
    for (const [i, tab] of ['Address info', 'Balance', 'Usage', 'Invoices', 'Life cycle', 'Accounts', 'Additional info', 'Custom fields'].entries()) {
      await page.getByRole('tab', { name: new RegExp(`^${tab}`) }).click()
      await page.evaluate(() => window.scrollTo(0, 0))
      await check(`customer-tab-${i}`)
      if (tab === 'Balance') {
        const table = page.getByRole('table', { name: 'Transactions' })
        await table.locator('tbody tr').first().waitFor()
        const fits = await table.evaluate((t) => {
          const box = t.parentElement!.getBoundingClientRect()
          const th = [...t.querySelectorAll('th')].find((h) => h.textContent === 'Operator')!.getBoundingClientRect()
          return th.right <= box.right + 1 && th.right <= window.innerWidth
        })
        expect(fits).toBe(true)
      }
    }
  })

  it('Change status dialog: its buttons above the fold', async () => {
    await page.getByRole('button', { name: 'Change status' }).first().click()
    await dialog().getByText('Change customer status').waitFor()
    await check('change-status')
    // The longest form of the dialog: a date, the partial invoice choice and the note.
    await dialog().getByRole('radio', { name: 'Permanently terminated', exact: true }).click()
    await dialog().getByRole('textbox', { name: 'Note' }).waitFor()
    // As it opens: scrolled to the top, the choice made, nothing typed yet.
    await page.evaluate(() => document.querySelector('[role="dialog"] .mantine-Modal-content')?.scrollTo(0, 0))
    await check('change-status-permanent')
    await dialog().getByRole('button', { name: 'Cancel' }).click()
    await dialog().waitFor({ state: 'detached' })
  })

  it('wizard steps: the operation list fits without scrolling', async () => {
    await page.getByRole('button', { name: 'Balance adjustment' }).first().click()
    await dialog().getByRole('radiogroup', { name: 'Operation type' }).waitFor()
    await check('wizard-operation')
    // The last operation ends above the footer's buttons: nothing to scroll to.
    const [lastOperation, footerTop] = await dialog()
      .getByRole('radio', { name: 'Void', exact: true })
      .evaluate((el) => [el.getBoundingClientRect().bottom, document.querySelector('.adj-footer')!.getBoundingClientRect().top])
    expect(lastOperation).toBeLessThanOrEqual(footerTop!)
    await dialog().getByRole('radio', { name: 'Manual payment', exact: true }).click()
    await dialog().getByRole('button', { name: 'Continue', exact: true }).click()
    await dialog().getByRole('textbox', { name: 'Amount', exact: true }).fill('3')
    await check('wizard-details')
    await dialog().getByRole('button', { name: 'Continue', exact: true }).click()
    await dialog().getByRole('button', { name: 'Finish', exact: true }).waitFor()
    await check('wizard-summary')
    await dialog().getByRole('button', { name: 'Cancel', exact: true }).click()
    await page.getByRole('button', { name: 'Discard', exact: true }).click()
    await dialog().waitFor({ state: 'detached' })
  })

  it('classes, the class modal, and the modal again while "Customer class saved" shows', async () => {
    await nav('Customer classes').click()
    await heading('Customer classes').waitFor()
    await check('classes')
    await page
      .getByRole('button', { name: /^Edit / })
      .first()
      .click()
    await dialog().getByRole('button', { name: 'Save class' }).waitFor()
    await check('class-modal')
    await dialog().getByRole('button', { name: 'Save class' }).click()
    await page.getByText('Customer class saved').first().waitFor()
    await page
      .getByRole('button', { name: /^Edit / })
      .first()
      .click()
    await dialog().getByRole('button', { name: 'Save class' }).waitFor()
    await check('class-modal-with-notification')
    await dialog().getByRole('button', { name: 'Cancel' }).click()
  })

  it('settings and the audit log (its Kind column not cut)', async () => {
    await nav('Settings').click()
    await heading('Settings').waitFor()
    await check('settings')
    await nav('Audit log').click()
    await page.getByRole('table', { name: 'Audit log' }).locator('tbody tr').first().waitFor()
    await check('audit')
    expect(await cutTexts('table[aria-label="Audit log"] tbody td:nth-child(4), table[aria-label="Audit log"] tbody td:nth-child(4) *')).toEqual([])
  })
})
