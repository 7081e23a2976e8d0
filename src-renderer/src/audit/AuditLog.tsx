import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { useVirtualizer } from '@tanstack/react-virtual'
import { Box, Button, Group, LoadingOverlay, Paper, Progress, Select, Stack, Text, TextInput } from '@mantine/core'
import type { AuditEntry } from '../../../src-shared/domain'
import { formatDateTime } from '../../../src-shared/format'
import { useMutation, useQuery } from '../api/query'
import { customerPath } from '../app/nav'
import { DownloadIcon } from '../lib/icons'
import { downloadText } from '../lib/download'
import { notifyError, notifySuccess } from '../lib/notify'
import { QueryError } from '../lib/QueryError'
import { CustomerPicker, noSubmit } from '../lib/filters'
import { useTypedFilter } from '../usage/UsageBrowser'
import { auditFilterOf, type AuditView } from './audit-address'
import { AuditLinks } from './AuditLinks'
import './audit.css'

const PAGE_SIZE = 100
/** Entries per export request: small enough that one request never holds the engine for long. */
const EXPORT_CHUNK = 20_000
/** Load the next page when the last rendered row is this close to the end of what is loaded. */
const LOAD_AHEAD = 30
const ROW_ESTIMATE = 44

function Filters(props: { view: AuditView; onChange: (v: AuditView) => void; fixedCustomer: boolean }) {
  const { view, onChange } = props
  const facets = useQuery('audit.facets', {})
  const set = (patch: Partial<AuditView>) => {
    const next: AuditView = { ...view, ...patch }
    for (const k of Object.keys(next) as (keyof AuditView)[]) if (next[k] === undefined || next[k] === '') delete next[k]
    onChange(next)
  }
  const [text, setText] = useTypedFilter(view.text, (v) => set({ text: v }))
  const kinds = facets.data?.kinds ?? []
  const kindData = view.kind && !kinds.includes(view.kind) ? [view.kind, ...kinds] : kinds
  return (
    <Group gap="sm" align="flex-end" wrap="wrap" data-testid="audit-filters">
      <TextInput label="From (UTC)" type="date" w={136} value={view.from ?? ''} onChange={(e) => set({ from: e.currentTarget.value || undefined })} />
      <TextInput label="To (UTC)" type="date" w={136} value={view.to ?? ''} onChange={(e) => set({ to: e.currentTarget.value || undefined })} />
      {!props.fixedCustomer && <CustomerPicker value={view.customerId} onChange={(id) => set({ customerId: id })} />}
      <Select
        label="Event kind"
        placeholder="Any kind"
        searchable
        clearable
        w={185}
        data={kindData}
        value={view.kind ?? null}
        onChange={(v) => set({ kind: v ?? undefined })}
        nothingFoundMessage="No such kind"
      />
      <Select
        label="Operator"
        placeholder="Any operator"
        clearable
        w={165}
        data={(facets.data?.operators ?? []).map((o) => ({ value: String(o.id), label: o.name }))}
        value={view.operatorId === undefined ? null : String(view.operatorId)}
        onChange={(v) => set({ operatorId: v === null ? undefined : Number(v) })}
      />
      <TextInput
        label="Text"
        placeholder="Words to find"
        w={190}
        value={text}
        onKeyDown={noSubmit}
        onChange={(e) => setText(e.currentTarget.value)}
        aria-label="Search the descriptions"
      />
      {Object.keys(view).some((k) => k !== 'customerId' || !props.fixedCustomer) && (
        <Button variant="subtle" onClick={() => onChange(props.fixedCustomer && view.customerId !== undefined ? { customerId: view.customerId } : {})}>
          Clear filters
        </Button>
      )}
    </Group>
  )
}

const dash = (
  <Text span c="dimmed">
    —
  </Text>
)

function Row({ e, showCustomer }: { e: AuditEntry; showCustomer: boolean }) {
  return (
    <>
      <td className="audit-cell nowrap">{formatDateTime(e.at, { utc: true })}</td>
      <td className="audit-cell">{e.operatorName}</td>
      {showCustomer && (
        <td className="audit-cell">{e.customerId !== null && e.customerName !== null ? <a href={`#${customerPath(e.customerId)}`}>{e.customerName}</a> : dash}</td>
      )}
      <td className="audit-cell">
        {/* A Badge cuts its text: the kind is a short code, shown whole. */}
        <span className="audit-kind">{e.kind}</span>
      </td>
      <td className="audit-cell">
        {e.description}
        <AuditLinks links={e.links} skipCustomer />
      </td>
      <td className="audit-cell">{e.source ?? dash}</td>
    </>
  )
}

/**
 * The audit log for the filters in the address, newest first, loaded a page at a time as the list
 * is scrolled (keyset paging by entry id; only the rows in view are rendered), with a CSV export of
 * the whole filtered view. `fixedCustomer`: on a customer's Audit log tab.
 */
export function AuditLog(props: { view: AuditView; onChange: (v: AuditView) => void; fixedCustomer?: boolean; height: string }) {
  const fixedCustomer = props.fixedCustomer ?? false
  const filter = useMemo(() => auditFilterOf(props.view), [props.view])
  const filterKey = JSON.stringify(filter)
  const first = useQuery('audit.search', { ...filter, limit: PAGE_SIZE })
  const more = useMutation('audit.search')
  const [older, setOlder] = useState<{ entries: AuditEntry[]; next: number | null } | null>(null)
  const currentKey = useRef(filterKey)
  currentKey.current = filterKey

  // A fresh first page (other filters, or a change elsewhere) starts the list over.
  useEffect(() => setOlder(null), [first.data])

  const entries = useMemo(() => [...(first.data?.entries ?? []), ...(older?.entries ?? [])], [first.data, older])
  const next = older ? older.next : (first.data?.next ?? null)

  const loading = useRef(false)
  const loadMore = useCallback(async () => {
    if (loading.current || next === null || !first.data) return
    loading.current = true
    const key = currentKey.current
    try {
      const page = await more.run({ ...filter, beforeId: next, limit: PAGE_SIZE })
      if (key !== currentKey.current) return
      setOlder((o) => ({ entries: [...(o?.entries ?? []), ...page.entries], next: page.next }))
    } catch (e) {
      notifyError(e)
    } finally {
      loading.current = false
    }
  }, [next, first.data, filter, more])

  const scrollRef = useRef<HTMLDivElement>(null)
  const virtualizer = useVirtualizer({
    count: entries.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_ESTIMATE,
    overscan: 10,
    getItemKey: (i) => entries[i]?.id ?? i
  })
  const items = virtualizer.getVirtualItems()
  const lastShown = items[items.length - 1]?.index ?? -1
  // Scrolled near the end of what is loaded: the next page (a free-text search may need several
  // requests to find more, each looking through a bounded slice of the log).
  useEffect(() => {
    if (next !== null && lastShown >= entries.length - LOAD_AHEAD && !more.running) void loadMore()
  }, [lastShown, entries.length, next, loadMore, more.running])
  useEffect(() => {
    scrollRef.current?.scrollTo({ top: 0 })
  }, [filterKey])

  // Export: chunks of the filtered view, with how far through the log it has come.
  const exportCsv = useMutation('audit.exportCsv')
  const [exporting, setExporting] = useState<{ rows: number; fraction: number } | null>(null)
  const cancelled = useRef(false)
  async function onExport() {
    const parts: string[] = []
    let beforeId: number | null | undefined
    let rows = 0
    let fileName = 'audit-log.csv'
    cancelled.current = false
    setExporting({ rows: 0, fraction: 0 })
    try {
      do {
        const chunk = await exportCsv.run({ ...filter, chunkRows: EXPORT_CHUNK, ...(beforeId ? { beforeId } : {}) })
        parts.push(chunk.csv)
        rows += chunk.rows
        fileName = chunk.fileName
        beforeId = chunk.next
        const span = chunk.newestId - chunk.oldestId + 1
        setExporting({ rows, fraction: beforeId === null || span <= 0 ? 1 : Math.min(1, (chunk.newestId - beforeId + 1) / span) })
        if (cancelled.current) return
      } while (beforeId)
      downloadText(fileName, parts, 'text/csv;charset=utf-8')
      notifySuccess('Audit log exported', `${rows.toLocaleString('en-US')} ${rows === 1 ? 'entry' : 'entries'} saved to ${fileName}.`)
    } catch (e) {
      notifyError(e)
    } finally {
      setExporting(null)
    }
  }

  const showCustomer = !fixedCustomer
  const gridClass = showCustomer ? 'audit-grid' : 'audit-grid audit-grid-no-customer'
  return (
    <Stack gap="sm">
      <Filters view={props.view} onChange={props.onChange} fixedCustomer={fixedCustomer} />
      <Group justify="space-between" wrap="wrap" gap="sm">
        <Text size="sm" c="dimmed" data-testid="audit-count" aria-live="polite">
          {first.data
            ? entries.length === 0 && next === null
              ? 'No entries match these filters.'
              : `${entries.length.toLocaleString('en-US')} ${entries.length === 1 ? 'entry' : 'entries'} shown, newest first${next === null ? '' : more.running ? `; looking through older entries (before #${next.toLocaleString('en-US')})…` : '; scroll for older ones'}`
            : 'Loading…'}
        </Text>
        <Group gap="sm">
          {exporting && (
            <Group gap="xs" wrap="nowrap" data-testid="audit-export-progress">
              <Progress value={exporting.fraction * 100} w={160} size="lg" aria-label="Export progress" />
              <Text size="sm" c="dimmed" className="nowrap">
                {Math.floor(exporting.fraction * 100)}% · {exporting.rows.toLocaleString('en-US')} entries
              </Text>
              <Button size="xs" variant="subtle" onClick={() => (cancelled.current = true)}>
                Cancel
              </Button>
            </Group>
          )}
          <Button
            variant="default"
            leftSection={<DownloadIcon />}
            onClick={() => void onExport()}
            loading={exporting !== null}
            disabled={!first.data || entries.length === 0}
          >
            Export CSV
          </Button>
        </Group>
      </Group>
      {first.error && !first.data ? (
        <QueryError error={first.error} onRetry={first.reload} what="the audit log" />
      ) : (
        <Paper withBorder radius="md" pos="relative" className="audit-table">
          <LoadingOverlay visible={first.loading} zIndex={2} overlayProps={{ blur: 1 }} />
          <div ref={scrollRef} className="audit-scroll" style={{ height: props.height }}>
            <table className="audit-tbl" aria-label="Audit log" aria-rowcount={entries.length + 1}>
              <thead>
                <tr className={`${gridClass} audit-head`}>
                  <th>Time (UTC)</th>
                  <th>Operator</th>
                  {showCustomer && <th>Customer</th>}
                  <th>Kind</th>
                  <th>Description</th>
                  <th>Source</th>
                </tr>
              </thead>
              <tbody style={{ height: virtualizer.getTotalSize() }}>
                {items.map((item) => (
                  <tr
                    key={item.key}
                    ref={virtualizer.measureElement}
                    data-index={item.index}
                    aria-rowindex={item.index + 2}
                    className={`${gridClass} audit-row`}
                    data-testid="audit-row"
                    style={{ transform: `translateY(${item.start}px)` }}
                  >
                    <Row e={entries[item.index]!} showCustomer={showCustomer} />
                  </tr>
                ))}
              </tbody>
            </table>
            {more.running && (
              <Box p="sm">
                <Text size="sm" c="dimmed" ta="center">
                  Loading older entries…
                </Text>
              </Box>
            )}
          </div>
        </Paper>
      )}
    </Stack>
  )
}
