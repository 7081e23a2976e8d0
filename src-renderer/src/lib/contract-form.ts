import { useEffect } from 'react'
import { schemaResolver, type FormErrors } from '@mantine/form'
import { z } from 'zod'
import { asAppError } from '../api/invoke'
import { notifyError } from './notify'

/**
 * The form's validation is the main process's: the contract's schema run on the input the form is
 * about to send (`toInput` turns what was typed into that input, the same conversion the submit
 * uses). So the form refuses the same input with the same message under the same field, and the
 * rules live in one place (src-shared/contract.ts).
 */
export function contractValidate<V>(schema: z.ZodType, toInput: (values: V) => unknown): (values: V) => FormErrors {
  const resolve = schemaResolver(
    z.preprocess((v) => toInput(v as V), schema),
    { sync: true }
  )
  return (values) => resolve(values)
}

/**
 * A whole number as typed into a text box: digits (with a sign, and "," between thousands) become
 * the number; anything else stays text, which the schema refuses ("Enter a whole number.") rather
 * than the box clamping or dropping what was typed.
 */
export function typedWhole(text: string | number): number | string {
  if (typeof text === 'number') return text
  const t = text.trim()
  return /^-?\d{1,3}(,\d{3})*$|^-?\d+$/.test(t) ? Number(t.replace(/,/g, '')) : t
}

/**
 * An error from the main process: under its field when this form has that field (the engine's
 * AppError names the contract field, and the form's fields are named after the contract), else a
 * notification.
 */
export function reportToForm(form: { getValues(): object; setFieldError(path: string, error: string): void }, e: unknown): void {
  const err = asAppError(e)
  if (err.field !== undefined && err.field in form.getValues()) {
    form.setFieldError(err.field, err.message)
    return
  }
  notifyError(err)
}

/** Tells the owner (a leave guard) whether the form has unsaved changes, each time that changes. */
export function useDirtyReport(dirty: boolean, onDirtyChange: ((dirty: boolean) => void) | undefined): void {
  useEffect(() => {
    onDirtyChange?.(dirty)
  }, [dirty, onDirtyChange])
}
