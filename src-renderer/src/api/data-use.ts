import { dataUseOf, isChannel, type Channel } from '../../../src-shared/contract'

/**
 * Which queries a successful change refreshes, from what the contract declares next to each
 * channel: a query is refreshed when its channel reads a kind of data the change changes.
 * Screens never list what to reload.
 */
export function refreshedBy(change: Channel, query: Channel): boolean {
  const changed = dataUseOf(change).changes
  return dataUseOf(query).reads.some((kind) => changed.includes(kind))
}

/** The query key of one channel call: [channel, input]. The channel comes first for matching. */
export function queryKeyOf(channel: Channel, input: unknown): readonly [Channel, unknown] {
  return [channel, input ?? {}] as const
}

/** The channel of a query key made by queryKeyOf (null for any other key). */
export function channelOfKey(key: readonly unknown[]): Channel | null {
  const c = key[0]
  return typeof c === 'string' && isChannel(c) ? c : null
}
