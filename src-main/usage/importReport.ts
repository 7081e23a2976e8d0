/**
 * A usage import's summary as plain text: what the command line prints and what the import folder
 * writes beside each file it moved (`<file>.report.txt`), so a scheduled job's log or a person
 * opening the folder reads the same words as the Usage page shows.
 */
import { formatMoney } from '../../src-shared/money'
import type { UsageImportSummary } from '../engine/usageImport'

const count = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`

const FLAG_TEXT: Record<UsageImportSummary['flagged'][number]['reason'], string> = {
  blocked: 'is blocked (usage rated)',
  suspended: 'is suspended (usage rated)',
  terminated: 'is terminated (usage rated)',
  exported: 'is exported (usage rated)',
  'funds-below-zero': 'prepaid: available funds are below zero',
  'over-credit-limit': 'postpaid: balance is over the credit limit'
}

/** Problems listed in full up to this many; the rest are counted. */
const LISTED_PROBLEMS = 50

export function describeUsageImport(s: UsageImportSummary): string {
  const lines: string[] = []
  const state =
    s.state === 'completed'
      ? 'completed'
      : s.state === 'cancelled'
        ? 'cancelled (whole batches kept; importing the file again completes it)'
        : s.lines === 0
          ? 'refused, nothing was imported'
          : 'stopped: a batch could not be written (the batches before it are kept; importing the file again completes it)'
  lines.push(`Usage import #${s.importId} of ${s.fileName}: ${state}.`)
  lines.push(
    `${count(s.lines, 'line')} read: ${count(s.imported, 'record')} imported (${s.rated.toLocaleString('en-US')} rated, ${s.unrated.toLocaleString('en-US')} unrated), ` +
      `${count(s.duplicates, 'duplicate')} skipped (already imported, not charged again), ${count(s.rejected, 'row')} rejected.`
  )
  for (const c of s.chargedByCurrency) lines.push(`Charged ${formatMoney(c.chargedMinor, c.currency)} for ${count(c.records, 'record')}.`)
  const reasons = Object.entries(s.unratedByReason).filter(([, n]) => n > 0)
  if (reasons.length > 0) {
    lines.push('Unrated (kept, not charged; re-rate them after the fix):')
    for (const [reason, n] of reasons) lines.push(`  ${reason}: ${n.toLocaleString('en-US')}`)
  }
  if (s.flagged.length > 0) {
    lines.push('Customers to look at:')
    for (const f of s.flagged) lines.push(`  ${f.customerName}: ${FLAG_TEXT[f.reason]} (balance ${formatMoney(f.balanceMinor, f.currency)})`)
  }
  if (s.problems.length > 0) {
    lines.push('Problems, by line:')
    for (const p of s.problems.slice(0, LISTED_PROBLEMS)) lines.push(`  line ${p.line}${p.field ? `, column ${p.field}` : ''}: ${p.message}`)
    if (s.rejected > LISTED_PROBLEMS) lines.push(`  … and ${(s.rejected - LISTED_PROBLEMS).toLocaleString('en-US')} more.`)
  }
  return `${lines.join('\n')}\n`
}

/**
 * The command line's exit code: 0 every record imported and rated (duplicates are fine), 1 the
 * import ran but some rows were rejected or records left unrated (someone must look), 2 it did
 * not complete.
 */
export function usageImportExitCode(s: UsageImportSummary): 0 | 1 | 2 {
  if (s.state !== 'completed') return 2
  return s.rejected > 0 || s.unrated > 0 ? 1 : 0
}
