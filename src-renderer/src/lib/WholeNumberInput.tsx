import { TextInput, type TextInputProps } from '@mantine/core'

/**
 * A whole number typed into a plain text box. Mantine's NumberInput clamps (31 -> 28 on blur),
 * drops a minus sign it does not allow (-3 -> 3) and ignores letters, so the form saved something
 * other than what was typed; here the text stays as typed and the contract's schema judges it.
 */
export function WholeNumberInput(props: TextInputProps) {
  return <TextInput inputMode="numeric" autoComplete="off" {...props} />
}
