import { SimpleGrid, TextInput } from '@mantine/core'
import { parseAmount } from '../../../src-shared/money'

/** What was typed per currency, as the contract takes it. */
export type CashTexts = Record<string, string>

export const asCounts = (currencies: readonly string[], texts: CashTexts) => currencies.map((currency) => ({ currency, amount: (texts[currency] ?? '').trim() }))

/** The amount typed, in minor units, or null while it is not (yet) an amount. */
export function typedMinor(text: string | undefined, currency: string): number | null {
  if (!text || text.trim() === '') return null
  try {
    return parseAmount(text, currency)
  } catch {
    return null
  }
}

/**
 * One amount box per currency ("135", "1,234.56"); the engine judges them, and its message shows
 * under the box it names (`<prefix>.<currency>`). Enter submits the form around them.
 */
export function CashInputs(props: {
  currencies: readonly string[]
  /** "float" or "counted": the engine's field names. */
  prefix: string
  label: (currency: string) => string
  values: CashTexts
  onChange: (currency: string, text: string) => void
  errors: Partial<Record<string, string>>
  description?: (currency: string) => string | undefined
  autoFocus?: boolean
}) {
  return (
    <SimpleGrid cols={{ base: 1, sm: Math.min(3, Math.max(1, props.currencies.length)) }} spacing="sm" maw={720}>
      {props.currencies.map((cur, i) => (
        <TextInput
          key={cur}
          id={`${props.prefix}-${cur}`}
          label={props.label(cur)}
          description={props.description?.(cur)}
          inputMode="decimal"
          autoComplete="off"
          data-autofocus={props.autoFocus && i === 0 ? true : undefined}
          autoFocus={props.autoFocus && i === 0}
          value={props.values[cur] ?? ''}
          onChange={(e) => props.onChange(cur, e.currentTarget.value)}
          error={props.errors[`${props.prefix}.${cur}`]}
          rightSection={
            <span aria-hidden="true" className="shift-cur">
              {cur}
            </span>
          }
          rightSectionWidth={48}
          classNames={{ input: 'num' }}
        />
      ))}
    </SimpleGrid>
  )
}
