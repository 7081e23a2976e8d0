import { useCallback, useMemo } from 'react'
import { keepPreviousData, QueryClient, useMutation as useTanstackMutation, useQuery as useTanstackQuery } from '@tanstack/react-query'
import type { Channel, InputOf, ResultOf } from '../../../src-shared/contract'
import type { AppError } from '../../../src-shared/errors'
import { channelOfKey, queryKeyOf, refreshedBy } from './data-use'
import { asAppError, invoke } from './invoke'

/**
 * Server state through TanStack Query over the typed invoke. A query is one channel call keyed
 * by [channel, input]; a successful mutation refreshes exactly the queries whose channel reads
 * data it changes (declared in the contract next to each channel). The hooks keep the small
 * shape the screens used before (`data/error/loading/reload/setData`, `run/running`).
 */

declare module '@tanstack/react-query' {
  interface Register {
    defaultError: AppError
  }
}

export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // The engine is local: an error is an answer (a typed AppError), not a flaky network.
      retry: false,
      // The desk is the only writer and says what each change touched; a focus adds nothing.
      refetchOnWindowFocus: false,
      refetchOnReconnect: false
    },
    mutations: { retry: false }
  }
})

/** Refresh the queries showing data that a successful `channel` call changed (also when a job it started has finished). */
export function refreshAfter(channel: Channel): Promise<void> {
  return queryClient.invalidateQueries({
    predicate: (q) => {
      const c = channelOfKey(q.queryKey)
      return c !== null && refreshedBy(channel, c)
    }
  })
}

export interface QueryState<C extends Channel> {
  data: ResultOf<C> | undefined
  error: AppError | null
  /** True while a request is in flight (the previous data stays visible meanwhile). */
  loading: boolean
  reload: () => void
  setData: (value: ResultOf<C>) => void
}

export function queryOptionsOf<C extends Channel>(channel: C, input: InputOf<C>) {
  return {
    queryKey: queryKeyOf(channel, input),
    queryFn: async (): Promise<ResultOf<C>> => {
      try {
        return await invoke(channel, input)
      } catch (e) {
        throw asAppError(e)
      }
    }
  }
}

export function useQuery<C extends Channel>(channel: C, input: InputOf<C>, opts: { enabled?: boolean } = {}): QueryState<C> {
  const enabled = opts.enabled ?? true
  const stable = JSON.stringify(input ?? {})
  // Keyed by the input's JSON, not its identity (screens pass object literals).
  const options = useMemo(() => queryOptionsOf(channel, JSON.parse(stable) as InputOf<C>), [channel, stable])
  const q = useTanstackQuery({ ...options, enabled, placeholderData: keepPreviousData })
  const { refetch } = q
  const reload = useCallback(() => void refetch(), [refetch])
  const setData = useCallback((value: ResultOf<C>) => queryClient.setQueryData(options.queryKey, value), [options.queryKey])
  return { data: q.data, error: q.error ?? null, loading: q.isFetching, reload, setData }
}

export interface MutationState<C extends Channel> {
  run: (input: InputOf<C>) => Promise<ResultOf<C>>
  running: boolean
}

/**
 * A call made on demand (a change, or a read asked for by a button): `run` resolves with the
 * result or rejects with an AppError. After a change succeeds, what it changed is refreshed.
 */
export function useMutation<C extends Channel>(channel: C): MutationState<C> {
  const m = useTanstackMutation<ResultOf<C>, AppError, InputOf<C>>({
    mutationFn: async (input) => {
      try {
        return await invoke(channel, input)
      } catch (e) {
        throw asAppError(e)
      }
    },
    onSuccess: () => {
      void refreshAfter(channel)
    }
  })
  const { mutateAsync } = m
  const run = useCallback((input: InputOf<C>) => mutateAsync(input), [mutateAsync])
  return { run, running: m.isPending }
}
