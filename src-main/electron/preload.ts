/**
 * The preload bridge. It runs sandboxed (it may only require 'electron') with context
 * isolation, and exposes exactly one function to the page: window.billing.invoke(channel, input).
 * The main process validates the channel, the input and the caller's role; nothing is trusted here.
 */
import { contextBridge, ipcRenderer } from 'electron'
import type { BillingBridge } from '../../src-shared/contract'

const bridge: BillingBridge = {
  invoke: (channel: string, input: unknown): Promise<unknown> => ipcRenderer.invoke('billing:invoke', channel, input)
}

contextBridge.exposeInMainWorld('billing', bridge)
