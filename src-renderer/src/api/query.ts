import { useCallback, useEffect, useRef, useState } from 'react'
import type { Channel, InputOf, ResultOf } from '../../../src-shared/contract'
import type { AppError } from '../../../src-shared/errors'
import { asAppError, invoke } from './invoke'

/**
 * Server state, kept small on purpose: a query hook that calls one channel and can be told to
 * reload, and a mutation hook that tracks "running". Invalidation is by channel name.
 */

type Listener = () => void
const listeners = new Map<Channel, Set<Listener>>()

function subscribe(channel: Channel, fn: Listener): () => void {
  let set = listeners.get(channel)
  if (!set) {
    set = new Set()
    listeners.set(channel, set)
  }
  set.add(fn)
  return () => {
    set.delete(fn)
  }
}

/** Reload every mounted query on these channels (e.g. after a change they would show). */
export function invalidate(...channels: Channel[]): void {
  for (const c of channels) for (const fn of [...(listeners.get(c) ?? [])]) fn()
}

/** Reload every mounted query (after a restore replaced the whole database). */
export function invalidateAll(): void {
  for (const set of listeners.values()) for (const fn of [...set]) fn()
}

export interface QueryState<C extends Channel> {
  data: ResultOf<C> | undefined
  error: AppError | null
  /** True while a request is in flight (the previous data stays visible meanwhile). */
  loading: boolean
  reload: () => void
  setData: (value: ResultOf<C>) => void
}

export function useQuery<C extends Channel>(channel: C, input: InputOf<C>, opts: { enabled?: boolean } = {}): QueryState<C> {
  const enabled = opts.enabled ?? true
  const key = JSON.stringify(input ?? {})
  const [data, setData] = useState<ResultOf<C> | undefined>(undefined)
  const [error, setError] = useState<AppError | null>(null)
  const [loading, setLoading] = useState<boolean>(enabled)
  const [version, setVersion] = useState(0)
  const seq = useRef(0)

  const reload = useCallback(() => setVersion((v) => v + 1), [])

  useEffect(() => subscribe(channel, reload), [channel, reload])

  useEffect(() => {
    if (!enabled) {
      setLoading(false)
      return
    }
    const mine = ++seq.current
    setLoading(true)
    invoke(channel, JSON.parse(key) as InputOf<C>).then(
      (value) => {
        if (mine !== seq.current) return
        setData(value)
        setError(null)
        setLoading(false)
      },
      (e: unknown) => {
        if (mine !== seq.current) return
        setError(asAppError(e))
        setLoading(false)
      }
    )
  }, [channel, key, enabled, version])

  // A late answer after unmount must not touch state.
  useEffect(
    () => () => {
      seq.current += 1
    },
    []
  )

  const set = useCallback((value: ResultOf<C>) => {
    seq.current += 1
    setData(value)
    setError(null)
    setLoading(false)
  }, [])

  return { data, error, loading, reload, setData: set }
}

export interface MutationState<C extends Channel> {
  run: (input: InputOf<C>) => Promise<ResultOf<C>>
  running: boolean
}

/** A change: `run` resolves with the result or rejects with an AppError. */
export function useMutation<C extends Channel>(channel: C): MutationState<C> {
  const [running, setRunning] = useState(false)
  const run = useCallback(
    async (input: InputOf<C>) => {
      setRunning(true)
      try {
        return await invoke(channel, input)
      } catch (e) {
        throw asAppError(e)
      } finally {
        setRunning(false)
      }
    },
    [channel]
  )
  return { run, running }
}
