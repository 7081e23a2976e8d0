/**
 * The usage browser (src-main/engine/usageBrowser.ts) through the handler table: filters, keyset
 * pages newest first, totals per service and currency, the CSV export in chunks, money records with
 * their visible comments only, and a customer's usage per month beside its money records adding up
 * to its balance.
 */
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ADMIN_ACTOR, newKey, openTestDesk, type TestDesk } from '../support/desk'
import { usageWorld } from '../support/usageWorld'

let desk: TestDesk
beforeAll(async () => {
  desk = await openTestDesk()
})
afterAll(async () => {
  await desk.close()
})

interface UsageRow {
  customerId: number | null
  accountRef: string
  serviceId: number
  startedAt: string
  destination: string
  durationS: number
  /** null: unrated (never charged). */
  chargeMinor: number | null
  reason?: string
}

/**
 * Usage as the import leaves it: rated records post their charge to the balance; unrated ones
 * post nothing. (The import itself is another module; the browser only reads what it wrote.)
 */
function addUsage(rows: UsageRow[]): number[] {
  return desk.app.core.engine.change(ADMIN_ACTOR, (w) =>
    rows.map((u, i) => {
      const account = w.get<{ id: number; customer_id: number }>('SELECT id, customer_id FROM accounts WHERE account_id = ?', [u.accountRef])
      const id = w.insert(
        `INSERT INTO xdrs (kind, customer_id, account_id, service_id, started_at, duration_s, destination, amount_minor, created_at,
           switch_record_id, account_ref, rating, unrated_reason, charge_minor, billed_s, prefix, rated_at)
         VALUES ('usage', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          u.customerId,
          account?.id ?? null,
          u.serviceId,
          new Date(u.startedAt).toISOString(),
          u.durationS,
          u.destination,
          u.chargeMinor ?? 0,
          w.at,
          `sw-${newKey()}-${i}`,
          u.accountRef,
          u.chargeMinor === null ? 'unrated' : 'rated',
          u.chargeMinor === null ? (u.reason ?? 'no-matching-prefix') : null,
          u.chargeMinor,
          u.chargeMinor === null ? null : u.durationS,
          u.chargeMinor === null ? null : u.destination.slice(0, 3),
          w.at
        ]
      )
      if (u.customerId !== null && u.chargeMinor !== null) {
        w.run('UPDATE customers SET balance_minor = balance_minor + ? WHERE id = ?', [u.chargeMinor, u.customerId])
      }
      return id
    })
  )
}

/** Two customers in USD (one with two accounts), one in JPY, and a few records of an unknown account. */
async function world() {
  const usd = await usageWorld(desk, { currency: 'USD' })
  const jpy = await usageWorld(desk, { currency: 'JPY' })
  const tag = newKey().slice(-6)
  const alice = await usd.customer({ openingBalance: '-87.02' }, [`al-${tag}-1`, `al-${tag}-2`])
  const bob = await usd.customer({}, [`bo-${tag}`])
  const kenji = await jpy.customer({}, [`ke-${tag}`])
  const u = (customerId: number | null, accountRef: string, startedAt: string, destination: string, chargeMinor: number | null, extra: Partial<UsageRow> = {}) => ({
    customerId,
    accountRef,
    serviceId: usd.serviceId,
    startedAt,
    destination,
    durationS: 60,
    chargeMinor,
    ...extra
  })
  const ids = addUsage([
    u(alice.id, `al-${tag}-1`, '2026-03-05T10:00:00Z', '+442071234567', 1250),
    u(alice.id, `al-${tag}-2`, '2026-03-31T23:30:00-02:00', '+4930123456', 777), // 2026-04-01T01:30Z: April
    u(alice.id, `al-${tag}-1`, '2026-04-02T08:00:00Z', '+33123456', null),
    u(bob.id, `bo-${tag}`, '2026-03-20T12:00:00Z', '+447700900123', 300),
    u(kenji.id, `ke-${tag}`, '2026-03-21T12:00:00Z', '+81312345678', 45),
    u(null, `ghost-${tag}`, '2026-03-22T12:00:00Z', '+441234', null, { reason: 'unknown-account' })
  ])
  return { usd, jpy, tag, alice, bob, kenji, ids }
}

describe('usage browser', () => {
  it('lists a customer’s usage newest first and filters by account, period, rating and destination', async () => {
    const { alice, tag } = await world()
    const all = await desk.ok('usage.list', { customerId: alice.id })
    expect(all.rows.map((r) => r.startedAt)).toEqual(['2026-04-02T08:00:00.000Z', '2026-04-01T01:30:00.000Z', '2026-03-05T10:00:00.000Z'])
    expect(all.rows[1]).toMatchObject({ kind: 'usage', customerName: alice.customerId, currency: 'USD', account: `al-${tag}-2`, chargeMinor: 777, rating: 'rated' })
    expect(all.rows[0]).toMatchObject({ rating: 'unrated', unratedReason: 'no-matching-prefix', chargeMinor: null, postedMinor: 0 })
    expect(all.next).toBeNull()

    const byAccount = await desk.ok('usage.list', { account: `AL-${tag}-1` })
    expect(byAccount.rows.map((r) => r.destination)).toEqual(['+33123456', '+442071234567'])
    // `from` inclusive, `to` exclusive, instants with any offset: 2026-03-31T23:30-02:00 is April in UTC.
    const march = await desk.ok('usage.list', { customerId: alice.id, from: '2026-03-01T00:00:00Z', to: '2026-04-01T00:00:00Z' })
    expect(march.rows.map((r) => r.chargeMinor)).toEqual([1250])
    const edge = await desk.ok('usage.list', { customerId: alice.id, from: '2026-04-01T03:30:00+02:00', to: '2026-04-02T08:00:00Z' })
    expect(edge.rows.map((r) => r.chargeMinor)).toEqual([777])
    const unrated = await desk.ok('usage.list', { customerId: alice.id, rating: 'unrated' })
    expect(unrated.rows.map((r) => r.destination)).toEqual(['+33123456'])
    const rated = await desk.ok('usage.list', { customerId: alice.id, rating: 'rated', destination: '+44' })
    expect(rated.rows.map((r) => r.destination)).toEqual(['+442071234567'])
  })

  it('finds a rare destination across customers and unknown accounts, also records added after it was first listed', async () => {
    const { alice, bob, tag, usd } = await world()
    const dest = `+8899${tag.replace(/\D/g, '').padEnd(4, '7')}`
    const at = (day: number) => `2026-06-${String(day).padStart(2, '0')}T10:00:00Z`
    const row = (customerId: number | null, accountRef: string, day: number) => ({
      customerId,
      accountRef,
      serviceId: usd.serviceId,
      startedAt: at(day),
      destination: `${dest}${day}`,
      durationS: 60,
      chargeMinor: customerId === null ? null : 100 + day,
      ...(customerId === null ? { reason: 'unknown-account' } : {})
    })
    addUsage([row(alice.id, `al-${tag}-1`, 1), row(null, `nobody-${tag}`, 2)])
    const first = await desk.ok('usage.list', { destination: dest, limit: 1 })
    expect(first.rows.map((r) => r.destination)).toEqual([`${dest}2`])
    const second = await desk.ok('usage.list', { destination: dest, limit: 1, after: first.next! })
    expect(second.rows.map((r) => r.destination)).toEqual([`${dest}1`])
    addUsage([row(bob.id, `bo-${tag}`, 3)])
    const again = await desk.ok('usage.list', { destination: dest })
    expect(again.rows.map((r) => r.destination)).toEqual([`${dest}3`, `${dest}2`, `${dest}1`])
    expect((await desk.ok('usage.totals', { destination: dest })).records).toBe(3)
  })

  it('pages with a cursor that neither skips nor repeats a record, also between records at the same instant', async () => {
    const w = await usageWorld(desk)
    const c = await w.customer({}, [`pg-${newKey().slice(-6)}`])
    const account = (await desk.ok('customers.get', { id: c.id })).accounts[0]!.accountId
    const rows: UsageRow[] = []
    for (let i = 0; i < 23; i++) {
      // Three records per instant: the cursor must tell them apart by xDR id.
      rows.push({
        customerId: c.id,
        accountRef: account,
        serviceId: w.serviceId,
        startedAt: `2026-05-${String(10 + Math.floor(i / 3)).padStart(2, '0')}T09:00:00Z`,
        destination: '+1555',
        durationS: i,
        chargeMinor: i
      })
    }
    addUsage(rows)
    const seen: number[] = []
    let after: { startedAt: string; xdrId: number } | undefined
    for (let pages = 0; pages < 10; pages++) {
      const page = await desk.ok('usage.list', { customerId: c.id, limit: 5, ...(after ? { after } : {}) })
      seen.push(...page.rows.map((r) => r.durationS))
      if (!page.next) break
      after = page.next
    }
    expect(seen).toEqual([22, 21, 20, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0])
  })

  it('totals the filtered view per service and currency, unknown accounts included', async () => {
    const { alice, bob, kenji, tag, usd } = await world()
    const forAlice = await desk.ok('usage.totals', { customerId: alice.id })
    expect(forAlice).toEqual({
      records: 3,
      next: null,
      progress: expect.any(Object),
      lines: [
        {
          kind: 'usage',
          serviceId: usd.serviceId,
          serviceName: expect.any(String),
          currency: 'USD',
          records: 3,
          unrated: 1,
          durationS: 180,
          chargeMinor: 2027,
          postedMinor: 2027
        }
      ]
    })
    // Across customers: the totals are the sums of exactly the rows the browser lists for the filter.
    const filter = { from: '2026-03-01T00:00:00Z', to: '2026-04-01T00:00:00Z', destination: '+4' }
    const march = await desk.ok('usage.totals', filter)
    const listed = (await desk.ok('usage.list', { ...filter, limit: 500 })).rows
    const sums = new Map<string, number>()
    for (const r of listed) sums.set(String(r.currency), (sums.get(String(r.currency)) ?? 0) + (r.chargeMinor ?? 0))
    expect(new Map(march.lines.map((l) => [String(l.currency), l.chargeMinor]))).toEqual(sums)
    expect(march.records).toBe(listed.length)
    expect([...sums.keys()].sort()).toEqual(['USD', 'null'])
    const ghost = await desk.ok('usage.totals', { account: `ghost-${tag}` })
    expect(ghost.lines).toEqual([expect.objectContaining({ currency: null, records: 1, unrated: 1, chargeMinor: 0 })])
    const jpy = await desk.ok('usage.totals', { customerId: kenji.id })
    expect(jpy.lines[0]).toMatchObject({ currency: 'JPY', chargeMinor: 45 })
    const bobs = await desk.ok('usage.list', { customerId: bob.id, destination: '+4477' })
    expect(bobs.rows).toHaveLength(1)
  })

  it('totals a broad filter in slices of the table that add up to the whole, so no request holds the engine for long', async () => {
    await world()
    const whole = new Map<string, number>()
    let records = 0
    let after: number | undefined
    let slices = 0
    do {
      const part = await desk.ok('usage.totals', { rating: 'rated', sliceXdrs: 3, ...(after === undefined ? {} : { afterXdrId: after }) })
      slices++
      for (const l of part.lines) whole.set(`${l.serviceId}|${l.currency}`, (whole.get(`${l.serviceId}|${l.currency}`) ?? 0) + l.chargeMinor)
      records += part.records
      expect(part.progress.doneThroughXdrId).toBeLessThanOrEqual(part.progress.lastXdrId)
      after = part.next ?? undefined
    } while (after !== undefined)
    expect(slices).toBeGreaterThan(3)
    const atOnce = await desk.ok('usage.totals', { rating: 'rated', sliceXdrs: 1_000_000 })
    expect(atOnce.next).toBeNull()
    expect(records).toBe(atOnce.records)
    expect(whole).toEqual(new Map(atOnce.lines.map((l) => [`${l.serviceId}|${l.currency}`, l.chargeMinor])))
    // A customer's totals come at once: its index already bounds the work.
    const { alice } = await world()
    expect((await desk.ok('usage.totals', { customerId: alice.id, sliceXdrs: 1 })).next).toBeNull()
  })

  it('shows money records with their visible comment and never the internal one', async () => {
    const { alice } = await world()
    await desk.ok('adjustments.submit', {
      customerId: alice.id,
      operation: 'manual-payment',
      amount: '10.00',
      visibleComment: 'Thank you – cash',
      internalComment: 'SECRET-staff-note',
      operationKey: newKey()
    })
    const usageOnly = await desk.ok('usage.list', { customerId: alice.id })
    expect(usageOnly.rows.every((r) => r.kind === 'usage')).toBe(true)
    const page = await desk.ok('usage.list', { customerId: alice.id, includeTransactions: true })
    const payment = page.rows.find((r) => r.kind === 'manual-payment')
    expect(payment).toMatchObject({ visibleComment: 'Thank you – cash', postedMinor: -1000, chargeMinor: -1000, currency: 'USD' })
    expect(page.rows.some((r) => r.kind === 'opening-balance')).toBe(true)
    expect(JSON.stringify(page)).not.toContain('SECRET')
    const csv = await desk.ok('usage.exportCsv', { customerId: alice.id, includeTransactions: true })
    expect(csv.csv).toContain('Thank you – cash')
    expect(csv.csv).not.toContain('SECRET')
  })

  it('exports the whole filtered view in chunks, amounts exact in each currency', async () => {
    const { alice, kenji, tag } = await world()
    const first = await desk.ok('usage.exportCsv', { customerId: alice.id, chunkRows: 2 })
    expect(
      first.csv.startsWith(
        '\uFEFFxdr_id,started_at_utc,kind,customer,account,service,destination,duration_s,billed_s,rating,unrated_reason,prefix,currency,charge,posted,visible_comment\r\n'
      )
    ).toBe(true)
    expect(first.rows).toBe(2)
    expect(first.next).not.toBeNull()
    expect(first.fileName).toMatch(/^usage-\d{4}-\d{2}-\d{2}\.csv$/)
    const second = await desk.ok('usage.exportCsv', { customerId: alice.id, chunkRows: 2, after: first.next! })
    expect(second.rows).toBe(1)
    expect(second.next).toBeNull()
    expect(second.csv.startsWith('\uFEFF')).toBe(false)
    expect(second.csv).not.toContain('xdr_id')
    const lines = (first.csv + second.csv).trim().split('\r\n')
    expect(lines).toHaveLength(4)
    expect(lines[1]).toContain(',unrated,no-matching-prefix,,USD,,0.00,')
    expect(lines[2]).toContain(`2026-04-01T01:30:00.000Z,usage,${alice.customerId},al-${tag}-2,`)
    expect(lines[2]).toContain(',USD,7.77,7.77,')
    expect(lines[3]).toContain(',USD,12.50,12.50,')
    const yen = await desk.ok('usage.exportCsv', { customerId: kenji.id })
    expect(yen.csv).toContain(',JPY,45,45,')
  })

  it('walks every customer’s records newest first through the hours: each page in order, none skipped or repeated', async () => {
    const { alice, bob, tag, usd } = await world()
    const other = await usageWorld(desk, { currency: 'USD' })
    const base = Date.parse('2026-07-14T20:00:00Z')
    const service = (i: number) => (i % 3 === 0 ? other.serviceId : usd.serviceId)
    await fc.assert(
      fc.asyncProperty(
        // Records at minutes across six hours, many at the same instant or hour; a filter no index narrows.
        fc.array(fc.record({ minute: fc.integer({ min: 0, max: 359 }), who: fc.integer({ min: 0, max: 2 }), rated: fc.boolean() }), { minLength: 1, maxLength: 40 }),
        fc.record({
          limit: fc.integer({ min: 1, max: 7 }),
          service: fc.constantFrom<'any' | 'one'>('any', 'one'),
          rating: fc.constantFrom<'all' | 'rated'>('all', 'rated'),
          includeTransactions: fc.boolean(),
          period: fc.option(fc.tuple(fc.integer({ min: -30, max: 200 }), fc.integer({ min: 1, max: 400 })), { nil: null })
        }),
        async (records, f) => {
          addUsage(
            records.map((r, i) => ({
              customerId: r.who === 2 ? null : r.who === 0 ? alice.id : bob.id,
              accountRef: r.who === 2 ? `lost-${tag}` : r.who === 0 ? `al-${tag}-1` : `bo-${tag}`,
              serviceId: service(i),
              startedAt: new Date(base + r.minute * 60_000).toISOString(),
              destination: `+1${i}`,
              durationS: 60,
              chargeMinor: r.rated && r.who !== 2 ? 10 : null
            }))
          )
          const from = f.period === null ? undefined : new Date(base + f.period[0] * 60_000).toISOString()
          const to = f.period === null ? undefined : new Date(base + (f.period[0] + f.period[1]) * 60_000).toISOString()
          const filter = {
            ...(f.service === 'one' ? { serviceId: other.serviceId } : {}),
            ...(f.rating === 'rated' ? { rating: 'rated' as const } : {}),
            ...(from ? { from, to } : {}),
            includeTransactions: f.includeTransactions
          }
          // What the filter matches, in time order, from a plain read of the table.
          const expected = desk.app.core.engine
            .read((r) =>
              r.all<{ id: number; kind: string; service_id: number | null; started_at: string; rating: string | null }>(
                'SELECT id, kind, service_id, started_at, rating FROM xdrs'
              )
            )
            .filter((x) => (f.includeTransactions || x.kind === 'usage') && (f.service === 'any' || x.service_id === other.serviceId))
            .filter((x) => (f.rating === 'all' || x.rating === 'rated') && (!from || (x.started_at >= from && x.started_at < to!)))
            .sort((a, b) => (a.started_at === b.started_at ? b.id - a.id : a.started_at < b.started_at ? 1 : -1))
            .map((x) => x.id)
          const seen: number[] = []
          let after: { startedAt: string; xdrId: number } | undefined
          for (let pages = 0; pages <= expected.length; pages++) {
            const page = await desk.ok('usage.list', { ...filter, limit: f.limit, ...(after ? { after } : {}) })
            expect(page.rows.length).toBeLessThanOrEqual(f.limit)
            seen.push(...page.rows.map((r) => r.xdrId))
            if (!page.next) break
            after = page.next
          }
          expect(seen).toEqual(expected)
        }
      ),
      { numRuns: 30 }
    )
  })

  it('refuses a period that ends before it starts, and an unknown customer, naming the field', async () => {
    const bad = await desk.call('usage.list', { from: '2026-04-01T00:00:00Z', to: '2026-03-01T00:00:00Z' })
    expect(bad).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'to' } })
    const nobody = await desk.call('usage.customerSummary', { customerId: 999_999 })
    expect(nobody).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', field: 'customerId' } })
    const dest = await desk.call('usage.totals', { destination: '44 OR 1=1' })
    expect(dest).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'destination' } })
  })
})

describe("a customer's usage summary", () => {
  it('lists usage per month and service beside money records per kind, adding up to the balance', async () => {
    const { alice, usd } = await world()
    await desk.ok('adjustments.submit', { customerId: alice.id, operation: 'manual-payment', amount: '5.00', operationKey: newKey() })
    const s = await desk.ok('usage.customerSummary', { customerId: alice.id })
    const detail = await desk.ok('customers.get', { id: alice.id })
    expect(s.balanceMinor).toBe(detail.balanceMinor)
    expect(s.usage).toEqual([
      { month: '2026-04', serviceId: usd.serviceId, serviceName: expect.any(String), records: 2, unrated: 1, postedMinor: 777, chargeMinor: 777 },
      { month: '2026-03', serviceId: usd.serviceId, serviceName: expect.any(String), records: 1, unrated: 0, postedMinor: 1250, chargeMinor: 1250 }
    ])
    expect(s.money).toEqual(
      expect.arrayContaining([
        { kind: 'opening-balance', records: 1, totalMinor: -8702 },
        { kind: 'manual-payment', records: 1, totalMinor: -500 }
      ])
    )
    const listed = s.usage.reduce((a, m) => a + m.postedMinor, 0) + s.money.reduce((a, m) => a + m.totalMinor, 0)
    expect(listed).toBe(s.listedTotalMinor)
    expect(listed).toBe(detail.balanceMinor)
    expect(detail.balanceMinor).toBe(-8702 + 2027 - 500)
  })
})
