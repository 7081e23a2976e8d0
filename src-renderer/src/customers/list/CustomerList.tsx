import './customer-list.css'
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type ReactNode } from 'react'
import { Button, Group, Kbd, Paper, Stack, Text, TextInput, Title, Tooltip } from '@mantine/core'
import type { CustomerRow } from '../../../../src-shared/domain'
import { useMutation, useQuery } from '../../api/query'
import { useCan } from '../../app/status'
import { useAdjustmentRoute, useCustomerNav } from '../../app/nav'
import { PageHeader } from '../../lib/PageHeader'
import { QueryError } from '../../lib/QueryError'
import { notifyError, notifySuccess } from '../../lib/notify'
import { ImportCustomersButton } from '../import/ImportCustomersButton'
import { CustomerFilterBar } from './CustomerFilterBar'
import { CustomerGrid } from './CustomerGrid'
import { useCustomerPages, type CustomerQuery } from './customer-pages'
import { downloadText } from '../../lib/download'
import { DownloadIcon, PlusIcon, SearchIcon } from '../../lib/icons'
import { useListView } from './list-address'
import { activeFilterCount, useCustomerList } from './list-store'

const SEARCH_DEBOUNCE_MS = 150
const SEARCH_PLACEHOLDER = 'Search by customer ID, company name, phone or account'

/** 50000 -> "50,000" (fixed, locale-independent, like every other number on screen). */
export function groupDigits(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',')
}

function isEditable(el: EventTarget | null): boolean {
  if (!(el instanceof HTMLElement)) return false
  return el.isContentEditable || el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT'
}

export function CustomerList() {
  const can = useCan()
  const isAdmin = can('customers.create')
  const canAdjust = can('adjustments.submit')
  const nav = useCustomerNav()
  const list = useCustomerList()
  const view = useListView(SEARCH_DEBOUNCE_MS)
  const { typed, filters, sort, setSearch, clearFilters } = view
  /** The search as the address (and so the query) has it: the typed text once typing pauses. */
  const debounced = view.search
  const query = useMemo<CustomerQuery>(() => ({ search: debounced, filters, sort }), [debounced, filters, sort])
  const queryKey = JSON.stringify(query)
  const pages = useCustomerPages(query)

  // How many customers the plain list has (for "no customers yet" versus "nothing matches").
  const everyone = useQuery('customers.list', { search: '', filters: {}, offset: 0, limit: 1 })

  // "/" and Ctrl+F / Cmd+F put the cursor in search.
  const searchRef = useRef<HTMLInputElement>(null)
  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      const findKey = (e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && e.key.toLowerCase() === 'f'
      const slash = e.key === '/' && !e.ctrlKey && !e.metaKey && !e.altKey && !isEditable(e.target)
      if (!findKey && !slash) return
      if (document.querySelector('[role="dialog"]')) return // a dialog on top keeps its keys
      e.preventDefault()
      searchRef.current?.focus()
      searchRef.current?.select()
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])

  // The grid fills the window below the controls.
  const gridSlot = useRef<HTMLDivElement>(null)
  const [gridHeight, setGridHeight] = useState(480)
  useLayoutEffect(() => {
    function measure() {
      const el = gridSlot.current
      if (!el) return
      const top = el.getBoundingClientRect().top + window.scrollY
      setGridHeight(Math.max(280, Math.floor(window.innerHeight - top - 20)))
    }
    measure()
    window.addEventListener('resize', measure)
    const ro = new ResizeObserver(measure)
    if (gridSlot.current?.parentElement) ro.observe(gridSlot.current.parentElement)
    return () => {
      window.removeEventListener('resize', measure)
      ro.disconnect()
    }
  }, [])

  const onOpen = useCallback(
    (row: CustomerRow, index: number) => {
      useCustomerList.getState().setActiveIndex(queryKey, index)
      nav.customer(row.id)
    },
    [nav.customer, queryKey]
  )

  // Enter in the search box asked for the top match: opened once the rows are those of the typed text.
  const adjust = useAdjustmentRoute()
  const openTop = useRef(false)
  const [openTopTick, setOpenTopTick] = useState(0)
  const top = pages.total !== null && pages.total > 0 && !pages.stale && debounced === typed.trim() ? pages.rowAt(0) : undefined
  useEffect(() => {
    if (!openTop.current || openTopTick === 0) return
    if (pages.total === 0 && !pages.stale && debounced === typed.trim()) openTop.current = false // nothing matches: nothing to open
    if (!top) return
    openTop.current = false
    if (canAdjust) adjust.open(top.id)
    else nav.customer(top.id)
  })

  const onActiveIndex = useCallback((index: number | null) => useCustomerList.getState().setActiveIndex(queryKey, index), [queryKey])

  const exportCsv = useMutation('customers.exportCsv')
  async function onExport() {
    try {
      const res = await exportCsv.run(query)
      downloadText(res.fileName, res.csv, 'text/csv;charset=utf-8')
      notifySuccess('Customers exported', `${groupDigits(res.rows)} ${res.rows === 1 ? 'customer' : 'customers'} in ${res.fileName}.`)
    } catch (e) {
      notifyError(e)
    }
  }

  const filtering = debounced !== '' || activeFilterCount(filters) > 0
  const total = pages.total
  const everyoneTotal = everyone.data?.total ?? null

  // A search that finds nothing among the listed statuses may still find permanently terminated
  // customers (listed only under their filter): say so and offer to show them.
  const terminatedHidden = filters.statuses === undefined || filters.statuses.length === 0
  const terminated = useQuery(
    'customers.list',
    { search: debounced, filters: { ...filters, statuses: ['permanently-terminated'] }, offset: 0, limit: 1 },
    { enabled: debounced !== '' && terminatedHidden && total === 0 && !pages.stale }
  )
  const terminatedMatches = debounced !== '' && terminatedHidden && total === 0 ? (terminated.data?.total ?? 0) : 0

  let summary = ''
  if (total !== null && !pages.stale) {
    if (!filtering) summary = `${groupDigits(total)} ${total === 1 ? 'customer' : 'customers'}`
    else {
      summary = `${groupDigits(total)} ${total === 1 ? 'match' : 'matches'}`
      if (debounced) summary += ` “${debounced}”`
      if (activeFilterCount(filters) > 0) summary += ' with the filters'
    }
  }

  const newCustomer = (
    <Tooltip label="Only an administrator can add customers" disabled={isAdmin}>
      <Button leftSection={<PlusIcon />} onClick={nav.newCustomer} disabled={!isAdmin}>
        New customer
      </Button>
    </Tooltip>
  )

  let body
  if (pages.error && (total === null || !pages.stale)) {
    body = <QueryError error={pages.error} onRetry={pages.retry} what="customers" />
  } else if (total === 0 && !pages.stale && !filtering && everyoneTotal === 0) {
    body = (
      <EmptyState title="No customers yet">
        <Text c="dimmed" size="sm">
          Add the first customer, or import your customers from another system's CSV file.
        </Text>
        <Group>
          {newCustomer}
          {isAdmin && <ImportCustomersButton />}
        </Group>
      </EmptyState>
    )
  } else if (total === 0 && !pages.stale) {
    body = (
      <EmptyState title={debounced ? `No customer matches “${debounced}”` : 'No customer matches the filters'}>
        {terminatedMatches > 0 && (
          <Stack gap="xs" align="center" data-testid="terminated-matches">
            <Text size="sm">
              {terminatedMatches === 1
                ? `1 permanently terminated customer matches “${debounced}”.`
                : `${groupDigits(terminatedMatches)} permanently terminated customers match “${debounced}”.`}{' '}
              Permanently terminated customers are listed only when that status is chosen.
            </Text>
            <Button onClick={() => view.setFilter('statuses', ['permanently-terminated'])}>{terminatedMatches === 1 ? 'Show it' : 'Show them'}</Button>
          </Stack>
        )}
        <Text c="dimmed" size="sm">
          {filters.hasOverdueInvoice
            ? 'No customer matching these filters has an overdue invoice.'
            : filtering
              ? 'Try a shorter search or fewer filters.'
              : 'Permanently terminated customers are listed only when that status is chosen in the Status filter.'}
        </Text>
        <Group gap="sm">
          {debounced !== '' && (
            <Button variant="default" onClick={() => setSearch('')}>
              Clear the search
            </Button>
          )}
          {activeFilterCount(filters) > 0 && (
            <Button variant="default" onClick={clearFilters}>
              Clear filters
            </Button>
          )}
        </Group>
      </EmptyState>
    )
  } else {
    body = (
      <CustomerGrid
        pages={pages}
        queryKey={queryKey}
        height={gridHeight}
        sort={sort}
        onSort={view.sortBy}
        activeIndex={list.active.key === queryKey ? list.active.index : null}
        onActiveIndex={onActiveIndex}
        onOpen={onOpen}
        initialScrollTop={list.scroll.key === queryKey ? list.scroll.top : 0}
        onLeave={list.setScroll}
      />
    )
  }

  return (
    <>
      <PageHeader
        title="Customers"
        actions={
          <Group gap="sm">
            {newCustomer}
            {isAdmin && <ImportCustomersButton />}
            {can('customers.exportCsv') && (
              <Button variant="default" leftSection={<DownloadIcon />} onClick={onExport} loading={exportCsv.running} disabled={total === null || total === 0}>
                Export CSV
              </Button>
            )}
          </Group>
        }
      />

      <Stack gap="sm">
        <Group justify="space-between" align="center" wrap="wrap" gap="sm">
          <TextInput
            ref={searchRef}
            type="search"
            aria-label="Search customers"
            aria-keyshortcuts="/ Control+F Meta+F"
            aria-description={canAdjust ? 'Enter opens the balance adjustment of the first customer found' : 'Enter opens the first customer found'}
            placeholder={SEARCH_PLACEHOLDER}
            value={typed}
            onChange={(e) => setSearch(e.currentTarget.value)}
            onKeyDown={(e) => {
              // Enter: the top match's Balance adjustment wizard (its page for an auditor), once the
              // list shows what was typed (docs/counter.md).
              if (e.key === 'Enter' && !e.altKey && !e.ctrlKey && !e.metaKey && !e.shiftKey) {
                e.preventDefault()
                openTop.current = true
                setOpenTopTick((n) => n + 1)
                return
              }
              // Down from search goes into the list.
              if (e.key === 'ArrowDown' && (pages.total ?? 0) > 0) {
                e.preventDefault()
                const row = gridSlot.current?.querySelector<HTMLElement>('tbody [tabindex="0"]')
                row?.focus()
              }
            }}
            leftSection={<SearchIcon />}
            rightSection={
              typed === '' ? (
                <Tooltip label="Press / or Ctrl+F to search">
                  <Kbd size="xs">/</Kbd>
                </Tooltip>
              ) : null
            }
            rightSectionPointerEvents={typed === '' ? 'all' : 'none'}
            w={520}
            maw="100%"
          />
          <Group gap="sm" wrap="nowrap">
            <Text size="sm" c="dimmed" data-testid="customer-count" aria-live="polite" className="num">
              {summary}
            </Text>
            {activeFilterCount(filters) > 0 && (
              <Button variant="subtle" size="compact-sm" onClick={clearFilters}>
                Clear filters
              </Button>
            )}
          </Group>
        </Group>

        <CustomerFilterBar filters={filters} setFilter={view.setFilter} />

        <div ref={gridSlot}>{body}</div>
      </Stack>
    </>
  )
}

function EmptyState(props: { title: string; children: ReactNode }) {
  return (
    <Paper withBorder radius="md" p="xl">
      <Stack align="center" gap="sm" ta="center">
        <Title order={2} size="h4">
          {props.title}
        </Title>
        {props.children}
      </Stack>
    </Paper>
  )
}
