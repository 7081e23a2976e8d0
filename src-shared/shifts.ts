/** Words for cashier shifts shared by the engine, the report and the screens (docs/shifts.md). */
import { formatMoney } from './money'

/** counted − expected in words: "short by 5.00 USD", "over by 1.00 USD", "none". */
export function differenceText(minor: number, currency: string): string {
  if (minor === 0) return 'none'
  return `${minor < 0 ? 'short by' : 'over by'} ${formatMoney(Math.abs(minor), currency)}`
}
