/** Inline icons for the customer list (same style as lib/icons: nothing fetched, no icon font). */
import type { SVGProps } from 'react'

const base = (props: SVGProps<SVGSVGElement>) => ({
  width: 16,
  height: 16,
  viewBox: '0 0 24 24',
  fill: 'none',
  stroke: 'currentColor',
  strokeWidth: 2,
  strokeLinecap: 'round' as const,
  strokeLinejoin: 'round' as const,
  'aria-hidden': true,
  ...props
})

export const SearchIcon = (p: SVGProps<SVGSVGElement>) => (
  <svg {...base(p)}>
    <circle cx="11" cy="11" r="7" />
    <path d="M21 21l-4.3-4.3" />
  </svg>
)

export const PlusIcon = (p: SVGProps<SVGSVGElement>) => (
  <svg {...base(p)}>
    <path d="M12 5v14M5 12h14" />
  </svg>
)

export const DownloadIcon = (p: SVGProps<SVGSVGElement>) => (
  <svg {...base(p)}>
    <path d="M12 3v12M7 10l5 5 5-5M5 21h14" />
  </svg>
)

/** Balance adjustment: a plus/minus. */
export const AdjustIcon = (p: SVGProps<SVGSVGElement>) => (
  <svg {...base(p)}>
    <path d="M12 3v8M8 7h8M8 17h8" />
    <rect x="3" y="2" width="18" height="20" rx="2" />
  </svg>
)

export const SortIcon = (p: SVGProps<SVGSVGElement> & { dir: 'asc' | 'desc' | null }) => {
  const { dir, ...rest } = p
  return (
    <svg {...base({ width: 12, height: 12, strokeWidth: 2.5, ...rest })}>
      {dir === 'asc' && <path d="M6 15l6-6 6 6" />}
      {dir === 'desc' && <path d="M6 9l6 6 6-6" />}
      {dir === null && <path d="M8 9l4-4 4 4M8 15l4 4 4-4" opacity={0.45} />}
    </svg>
  )
}
