/**
 * Company settings (src-main/engine/settings.ts): nothing before first-run setup, setup once, the
 * defaults a new install gets, each changed field audited (and nothing for an unchanged one), and
 * bad values refused under their field with nothing changed.
 */
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { openBillingApp } from '../../src-main/app'
import { ratingRoundingMode } from '../../src-main/engine/usageRating'
import { DEFAULT_AUTHORIZATION_DAYS, DEFAULT_MAX_OPERATION_AMOUNT, maxOperationMinor } from '../../src-main/engine/settings'
import type { Channel, InputOf, ResultOf } from '../../src-shared/contract'
import type { IpcResponse } from '../../src-shared/errors'
import { tmpDataDir } from '../support/tmp'
import { TEST_ADMIN } from '../support/operators'

async function freshApp() {
  const app = await openBillingApp({ dataDir: tmpDataDir('settings-'), now: () => Date.parse('2026-11-21T10:00:00Z'), log: () => {}, dailyBackupDelayMs: 3_600_000 })
  const call = async <C extends Channel>(channel: C, input: InputOf<C>) => (await app.dispatch(channel, input, { transport: 'test' })) as IpcResponse<ResultOf<C>>
  const ok = async <C extends Channel>(channel: C, input: InputOf<C>) => {
    const res = await call(channel, input)
    if (!res.ok) throw new Error(`${channel}: ${res.error.code} ${res.error.message}`)
    return res.value
  }
  const settingsAudit = () =>
    app.core.engine.read((r) =>
      r.all<{ field: string; from_value: string; to_value: string; description: string }>(
        "SELECT field, from_value, to_value, description FROM audit_log WHERE kind = 'settings.change' ORDER BY id"
      )
    )
  return { app, call, ok, settingsAudit }
}

const SETUP = { companyName: 'Corner Callshop', address: '1 Main St', defaultCurrency: 'EUR', loadDemoData: false, ...TEST_ADMIN } as const

describe('first-run setup', () => {
  it('until it is done, the settings are not there and cannot be changed', async () => {
    const { app, call } = await freshApp()
    try {
      expect(await call('settings.get', {})).toMatchObject({ ok: false, error: { code: 'SETUP_REQUIRED' } })
      expect(await call('settings.update', { companyName: 'Too early', address: '' })).toMatchObject({ ok: false, error: { code: 'SETUP_REQUIRED' } })
    } finally {
      await app.close()
    }
  })

  it('stores the company with the defaults for the card authorization period and the maximum per operation, once', async () => {
    const { app, call, ok } = await freshApp()
    try {
      await ok('setup.complete', SETUP)
      expect(await ok('settings.get', {})).toEqual({
        companyName: 'Corner Callshop',
        address: '1 Main St',
        defaultCurrency: 'EUR',
        cardAuthorizationDays: DEFAULT_AUTHORIZATION_DAYS,
        maxOperationAmount: DEFAULT_MAX_OPERATION_AMOUNT,
        roundingMode: 'away-from-zero',
        usageImportFolder: null,
        idleLockMinutes: 10
      })
      expect([DEFAULT_AUTHORIZATION_DAYS, DEFAULT_MAX_OPERATION_AMOUNT]).toEqual([7, 1_000_000])
      expect(await call('setup.complete', { ...SETUP, companyName: 'Second setup' })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } })
      expect((await ok('settings.get', {})).companyName).toBe('Corner Callshop')
      // The maximum per operation, in minor units of a currency with 2 and with 0 decimals.
      expect(app.core.engine.read((r) => [maxOperationMinor(r, 2), maxOperationMinor(r, 0)])).toEqual([100_000_000n, 1_000_000n])
    } finally {
      await app.close()
    }
  })
})

describe('settings.update', () => {
  it('audits each changed field with its old and new value, and nothing for the fields left as they were', async () => {
    const { app, ok, settingsAudit } = await freshApp()
    try {
      await ok('setup.complete', SETUP)
      const saved = await ok('settings.update', { companyName: 'Corner Callshop', address: '2 High St', cardAuthorizationDays: 3 })
      expect(saved).toMatchObject({ address: '2 High St', cardAuthorizationDays: 3, maxOperationAmount: DEFAULT_MAX_OPERATION_AMOUNT })
      expect(settingsAudit()).toEqual([
        { field: 'address', from_value: '1 Main St', to_value: '2 High St', description: 'Address changed from "1 Main St" to "2 High St".' },
        {
          field: 'card_authorization_days',
          from_value: '7',
          to_value: '3',
          description: 'Card authorization period (days) changed from "7" to "3".'
        }
      ])
      // Left out means unchanged; the same values again write nothing.
      await ok('settings.update', { companyName: 'Corner Callshop', address: '2 High St' })
      expect(settingsAudit()).toHaveLength(2)
      expect(await ok('settings.get', {})).toMatchObject({ cardAuthorizationDays: 3, maxOperationAmount: DEFAULT_MAX_OPERATION_AMOUNT })
    } finally {
      await app.close()
    }
  })

  it('refuses bad values under their field and changes nothing', async () => {
    const { app, call, ok, settingsAudit } = await freshApp()
    try {
      await ok('setup.complete', SETUP)
      const before = await ok('settings.get', {})
      const bad: [Record<string, unknown>, string, RegExp][] = [
        [{ cardAuthorizationDays: 0 }, 'cardAuthorizationDays', /At least 1 day/],
        [{ cardAuthorizationDays: -3 }, 'cardAuthorizationDays', /At least 1 day/],
        [{ cardAuthorizationDays: 31 }, 'cardAuthorizationDays', /At most 30 days/],
        [{ cardAuthorizationDays: 'abc' }, 'cardAuthorizationDays', /./],
        [{ maxOperationAmount: 2.5 }, 'maxOperationAmount', /whole number/],
        [{ maxOperationAmount: 0 }, 'maxOperationAmount', /At least 1/],
        [{ companyName: '' }, 'companyName', /Company name is required/]
      ]
      for (const [change, field, message] of bad) {
        const res = await call('settings.update', { companyName: 'Renamed', address: 'Elsewhere', ...change } as InputOf<'settings.update'>)
        expect(res, JSON.stringify(change)).toMatchObject({ ok: false, error: { code: 'VALIDATION', field, message: expect.stringMatching(message) } })
      }
      expect(await ok('settings.get', {})).toEqual(before)
      expect(settingsAudit()).toEqual([])
    } finally {
      await app.close()
    }
  })
})

describe('usage settings: rounding of rated charges and the usage import folder', () => {
  it('changes the rounding rule, which the rating of usage then uses, audited with old and new value', async () => {
    const { app, ok, settingsAudit } = await freshApp()
    try {
      await ok('setup.complete', SETUP)
      const saved = await ok('settings.update', { companyName: 'Corner Callshop', address: '1 Main St', roundingMode: 'half-even' })
      expect(saved.roundingMode).toBe('half-even')
      expect(app.core.engine.read(ratingRoundingMode)).toBe('half-even')
      expect(settingsAudit()).toEqual([
        {
          field: 'rounding_mode',
          from_value: 'away-from-zero',
          to_value: 'half-even',
          description: 'Rounding of rated charges changed from "away from zero" to "half even".'
        }
      ])
      // Left out: unchanged.
      await ok('settings.update', { companyName: 'Corner Callshop', address: '1 Main St' })
      expect((await ok('settings.get', {})).roundingMode).toBe('half-even')
    } finally {
      await app.close()
    }
  })

  it('sets the import folder to an existing writable folder, clears it with an empty text, and audits both', async () => {
    const { app, ok, settingsAudit } = await freshApp()
    try {
      await ok('setup.complete', SETUP)
      const folder = tmpDataDir('usage-inbox-')
      const saved = await ok('settings.update', { companyName: 'Corner Callshop', address: '1 Main St', usageImportFolder: ` ${folder} ` })
      expect(saved.usageImportFolder).toBe(folder)
      expect((await ok('settings.get', {})).usageImportFolder).toBe(folder)
      // The check leaves nothing behind in the folder.
      expect(fs.readdirSync(folder)).toEqual([])
      await ok('settings.update', { companyName: 'Corner Callshop', address: '1 Main St', usageImportFolder: '' })
      expect((await ok('settings.get', {})).usageImportFolder).toBeNull()
      expect(settingsAudit().map((a) => [a.field, a.from_value, a.to_value])).toEqual([
        ['usage_import_folder', '', folder],
        ['usage_import_folder', folder, '']
      ])
    } finally {
      await app.close()
    }
  })

  it('keeps an import folder that went missing when another usage setting is saved, and checks it again only when it is changed', async () => {
    const { app, call, ok } = await freshApp()
    try {
      await ok('setup.complete', SETUP)
      const folder = tmpDataDir('usage-gone-')
      await ok('settings.update', { companyName: 'Corner Callshop', address: '1 Main St', usageImportFolder: folder })
      fs.rmSync(folder, { recursive: true })
      // The Usage section sends the folder as it is shown: the rounding rule can still be changed.
      const saved = await ok('settings.update', { companyName: 'Corner Callshop', address: '1 Main St', roundingMode: 'toward-zero', usageImportFolder: folder })
      expect(saved).toMatchObject({ roundingMode: 'toward-zero', usageImportFolder: folder })
      expect(await call('settings.update', { companyName: 'Corner Callshop', address: '1 Main St', usageImportFolder: `${folder}-other` })).toMatchObject({
        ok: false,
        error: { code: 'VALIDATION', field: 'usageImportFolder' }
      })
    } finally {
      await app.close()
    }
  })

  it('refuses a relative, missing, non-folder or unwritable import folder and a rounding rule it does not know, changing nothing', async () => {
    const { app, call, ok, settingsAudit } = await freshApp()
    try {
      await ok('setup.complete', SETUP)
      const dir = tmpDataDir('usage-bad-')
      const file = path.join(dir, 'a-file.csv')
      fs.writeFileSync(file, 'x')
      const before = await ok('settings.get', {})
      const bad: [Record<string, unknown>, string, RegExp][] = [
        [{ usageImportFolder: 'usage/inbox' }, 'usageImportFolder', /full path/],
        [{ usageImportFolder: path.join(dir, 'missing') }, 'usageImportFolder', /does not exist/],
        [{ usageImportFolder: file }, 'usageImportFolder', /is a file, not a folder/],
        [{ usageImportFolder: '/proc' }, 'usageImportFolder', /cannot write/],
        [{ roundingMode: 'up' }, 'roundingMode', /rounding rule/]
      ]
      for (const [change, field, message] of bad) {
        const res = await call('settings.update', { companyName: 'Corner Callshop', address: '1 Main St', ...change } as InputOf<'settings.update'>)
        expect(res, JSON.stringify(change)).toMatchObject({ ok: false, error: { code: 'VALIDATION', field, message: expect.stringMatching(message) } })
      }
      expect(await ok('settings.get', {})).toEqual(before)
      expect(settingsAudit()).toEqual([])
    } finally {
      await app.close()
    }
  })
})
