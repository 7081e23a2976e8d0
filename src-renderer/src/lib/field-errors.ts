import { useCallback, useRef, useState } from 'react'
import { asAppError } from '../api/invoke'
import { notifyError } from './notify'

/**
 * Errors from the main process carry `field` when they belong to one input. Those are shown
 * under that input; anything else (or a field this form does not have) becomes a notification.
 * No validation rules are repeated here: the main process is the one judge.
 */
export function useFieldErrors<F extends string>(fields: readonly F[]) {
  const [errors, setErrors] = useState<Partial<Record<F, string>>>({})
  const known = useRef<readonly string[]>(fields)
  known.current = fields

  const report = useCallback((e: unknown) => {
    const err = asAppError(e)
    if (err.field && known.current.includes(err.field)) {
      setErrors({ [err.field]: err.message } as Partial<Record<F, string>>)
    } else {
      setErrors({})
      notifyError(err)
    }
  }, [])

  const clear = useCallback((field?: F) => {
    setErrors((prev) => {
      if (field === undefined) return {}
      if (!(field in prev)) return prev
      const next = { ...prev }
      delete next[field]
      return next
    })
  }, [])

  return { errors, report, clear }
}
