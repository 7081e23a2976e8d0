import { memo, useCallback, useEffect, useLayoutEffect, useRef, type KeyboardEvent } from 'react'
import { useNavigate } from 'react-router'
import { useVirtualizer } from '@tanstack/react-virtual'
import type { CustomerRow, CustomerSortKey } from '../../../../src-shared/domain'
import { COLUMNS, GRID_TEMPLATE, MIN_TABLE_WIDTH } from './columns'
import type { CustomerPages } from './customer-pages'
import { AdjustIcon, FileIcon, SortIcon } from '../../lib/icons'
import type { CustomerSort } from './list-store'
import { useCan } from '../../app/status'
import { AdjustmentWizard } from '../../adjustments/AdjustmentWizard'
import { useAdjustmentRoute } from '../../app/nav'

export const ROW_HEIGHT = 40
export const HEAD_HEIGHT = 48

const ADJUSTMENT_TIP = 'Balance adjustment'

export interface CustomerGridProps {
  pages: CustomerPages
  /** Identifies the result set; when it changes the list goes back to the top. */
  queryKey: string
  height: number
  sort: CustomerSort
  onSort: (key: CustomerSortKey) => void
  activeIndex: number | null
  onActiveIndex: (index: number | null) => void
  onOpen: (row: CustomerRow, index: number) => void
  initialScrollTop: number
  /** Called when the grid goes away, with where it was scrolled to and for which query. */
  onLeave: (queryKey: string, top: number) => void
}

const NAV_KEYS = new Set(['ArrowDown', 'ArrowUp', 'Home', 'End', 'PageDown', 'PageUp', 'Enter'])

export function CustomerGrid(props: CustomerGridProps) {
  const { pages, activeIndex, onActiveIndex, onOpen } = props
  const canAdjust = useCan()('adjustments.submit')
  /** The customer the Balance adjustment wizard is open for, and its row. */
  const adjust = useAdjustmentRoute()
  /** The row the wizard was opened from, to put the cursor back on when it closes. */
  const adjustedIndex = useRef<number | null>(null)
  const openAdjust = adjust.open
  const onAdjust = useCallback(
    (row: CustomerRow, index: number) => {
      adjustedIndex.current = index
      openAdjust(row.id)
    },
    [openAdjust]
  )
  const navigate = useNavigate()
  const onOutOfTurn = useCallback((row: CustomerRow) => void navigate(`/out-of-turn/${row.id}`), [navigate])
  const total = pages.total ?? 0
  const scrollRef = useRef<HTMLDivElement>(null)
  const bodyRef = useRef<HTMLTableSectionElement>(null)
  const scrollTop = useRef(props.initialScrollTop)
  /** A row to focus once it is rendered (keyboard moves, coming back from a customer). */
  const pendingFocus = useRef<number | null>(activeIndex)

  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
    scrollMargin: HEAD_HEIGHT,
    scrollPaddingStart: HEAD_HEIGHT,
    initialOffset: props.initialScrollTop,
    initialRect: { width: 1000, height: props.height }
  })
  const items = virtualizer.getVirtualItems()
  const first = items[0]?.index ?? 0
  const last = items[items.length - 1]?.index ?? -1

  // Fetch the pages around what is on screen (and the first page of a new query).
  const { request } = pages
  useEffect(() => {
    request(first, last)
  }, [request, first, last])

  // A new search, filter or sort: back to the top.
  const firstKey = useRef(props.queryKey)
  useEffect(() => {
    if (props.queryKey === firstKey.current) return
    firstKey.current = props.queryKey
    scrollRef.current?.scrollTo({ top: 0 })
  }, [props.queryKey])

  // Remember where the list was, for when it is shown again.
  const leave = useRef(props.onLeave)
  leave.current = props.onLeave
  const keyNow = useRef(props.queryKey)
  keyNow.current = props.queryKey
  useEffect(() => () => leave.current(keyNow.current, scrollTop.current), [])

  useLayoutEffect(() => {
    const i = pendingFocus.current
    if (i === null) return
    const el = bodyRef.current?.querySelector<HTMLElement>(`[data-index="${i}"]`)
    if (el) {
      pendingFocus.current = null
      el.focus({ preventScroll: true })
    }
  })

  const moveTo = useCallback(
    (index: number) => {
      if (total === 0) return
      const i = Math.max(0, Math.min(total - 1, index))
      onActiveIndex(i)
      pendingFocus.current = i
      virtualizer.scrollToIndex(i, { align: 'auto' })
    },
    [total, onActiveIndex, virtualizer]
  )

  function onKeyDown(e: KeyboardEvent<HTMLDivElement>) {
    if (!NAV_KEYS.has(e.key) || e.altKey || e.ctrlKey || e.metaKey) return
    const target = e.target as HTMLElement
    if (e.key === 'Enter' && target.tagName === 'BUTTON') return // the row's action button
    const rowIndex = target.closest<HTMLElement>('[data-index]')?.dataset.index
    if (rowIndex === undefined) return // header buttons keep their own keys
    const here = Number(rowIndex)
    const perPage = Math.max(1, Math.floor((props.height - HEAD_HEIGHT) / ROW_HEIGHT) - 1)
    e.preventDefault()
    switch (e.key) {
      case 'ArrowDown':
        return moveTo(here + 1)
      case 'ArrowUp':
        return moveTo(here - 1)
      case 'Home':
        return moveTo(0)
      case 'End':
        return moveTo(total - 1)
      case 'PageDown':
        return moveTo(here + perPage)
      case 'PageUp':
        return moveTo(here - perPage)
      case 'Enter': {
        const row = pages.rowAt(here)
        if (row) onOpen(row, here)
      }
    }
  }

  const onFocusRow = useCallback((index: number) => onActiveIndex(index), [onActiveIndex])

  // Exactly one row is reached with Tab: the highlighted one if it is on screen, else the first.
  const visibleFirst = Math.max(first, virtualizer.range?.startIndex ?? first)
  const tabbable = activeIndex !== null && activeIndex >= first && activeIndex <= last ? activeIndex : visibleFirst

  return (
    <>
      <div
        ref={scrollRef}
        className="cl-scroll"
        // As tall as the rows need, up to the room there is.
        style={{ height: Math.min(props.height, HEAD_HEIGHT + Math.max(total, 1) * ROW_HEIGHT + 2) }}
        data-stale={pages.stale || undefined}
        onKeyDown={onKeyDown}
        onScroll={(e) => {
          scrollTop.current = e.currentTarget.scrollTop
        }}
      >
        <table
          className="cl-table"
          role="table"
          aria-label="Customers"
          aria-rowcount={total + 1}
          aria-busy={pages.loading}
          style={{ minWidth: MIN_TABLE_WIDTH, ['--cl-cols' as string]: GRID_TEMPLATE }}
        >
          <thead className="cl-head" role="rowgroup">
            <tr className="cl-row" role="row" aria-rowindex={1} style={{ height: HEAD_HEIGHT }}>
              {COLUMNS.map((c) => {
                const sorted = c.sortKey !== undefined && props.sort.key === c.sortKey ? props.sort.dir : null
                return (
                  <th
                    key={c.id}
                    role="columnheader"
                    className="cl-cell"
                    data-align={c.align}
                    aria-sort={c.sortKey === undefined ? undefined : sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : 'none'}
                    scope="col"
                  >
                    {c.sortKey === undefined ? (
                      <span className="cl-plain-head">{c.label}</span>
                    ) : (
                      <button type="button" className="cl-sort" onClick={() => props.onSort(c.sortKey!)} title={c.sortHint ?? `Sort by ${c.label.toLowerCase()}`}>
                        <span>{c.label}</span>
                        <SortIcon dir={sorted} />
                      </button>
                    )}
                  </th>
                )
              })}
              <th role="columnheader" className="cl-cell" scope="col">
                <span className="cl-visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody ref={bodyRef} className="cl-body" role="rowgroup" style={{ height: virtualizer.getTotalSize() }}>
            {items.map((v) => (
              <Row
                key={v.index}
                index={v.index}
                top={v.start - HEAD_HEIGHT}
                row={pages.rowAt(v.index)}
                active={v.index === activeIndex}
                tabbable={v.index === tabbable}
                onOpen={onOpen}
                onFocusRow={onFocusRow}
                canAdjust={canAdjust}
                onAdjust={onAdjust}
                onOutOfTurn={onOutOfTurn}
              />
            ))}
          </tbody>
        </table>
      </div>
      {adjust.customerId !== null && (
        <AdjustmentWizard
          key={adjust.customerId}
          customerId={adjust.customerId}
          onClose={() => {
            pendingFocus.current = adjustedIndex.current // back to the row (the list reloads its figures)
            adjust.close()
          }}
        />
      )}
    </>
  )
}

interface RowProps {
  index: number
  top: number
  row: CustomerRow | undefined
  active: boolean
  tabbable: boolean
  onOpen: (row: CustomerRow, index: number) => void
  onFocusRow: (index: number) => void
  canAdjust: boolean
  onAdjust: (row: CustomerRow, index: number) => void
  onOutOfTurn: (row: CustomerRow) => void
}

const Row = memo(function Row({ index, top, row, active, tabbable, onOpen, onFocusRow, canAdjust, onAdjust, onOutOfTurn }: RowProps) {
  const common = {
    className: 'cl-row',
    role: 'row',
    'aria-rowindex': index + 2,
    'data-index': index,
    'data-active': active || undefined,
    tabIndex: tabbable ? 0 : -1,
    onFocus: () => onFocusRow(index),
    style: { height: ROW_HEIGHT, transform: `translateY(${top}px)` }
  }
  if (!row) {
    return (
      <tr {...common} data-loading aria-busy="true">
        {COLUMNS.map((c) => (
          <td key={c.id} role="cell" className="cl-cell">
            <span className="cl-skeleton" style={{ width: c.align === 'right' ? '70%' : '60%', marginLeft: c.align === 'right' ? 'auto' : 0 }} />
          </td>
        ))}
        <td role="cell" className="cl-cell" />
      </tr>
    )
  }
  return (
    <tr {...common} onClick={() => onOpen(row, index)}>
      {COLUMNS.map((c) => (
        <td key={c.id} role="cell" className="cl-cell" data-align={c.align}>
          {c.render(row)}
        </td>
      ))}
      <td role="cell" className="cl-cell cl-actions">
        {/* Opens the Balance adjustment wizard; Tab from the row reaches it. A CSS tooltip, not
            Mantine's: one per row would cost more than the rest of the row while scrolling. */}
        {canAdjust && (
          <button
            type="button"
            className="cl-action"
            tabIndex={tabbable ? 0 : -1}
            data-tip={ADJUSTMENT_TIP}
            aria-label={`Balance adjustment for ${row.customerId}`}
            onClick={(e) => {
              e.preventDefault()
              e.stopPropagation()
              onAdjust(row, index)
            }}
          >
            <AdjustIcon />
          </button>
        )}
        {canAdjust && (
          <button
            type="button"
            className="cl-action"
            tabIndex={tabbable ? 0 : -1}
            data-tip="Out-of-turn invoice"
            aria-label={`Out-of-turn invoice for ${row.customerId}`}
            onClick={(e) => {
              e.preventDefault()
              e.stopPropagation()
              onOutOfTurn(row)
            }}
          >
            <FileIcon />
          </button>
        )}
      </td>
    </tr>
  )
})
