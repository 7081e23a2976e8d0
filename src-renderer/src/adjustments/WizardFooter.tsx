import type { ReactNode, RefObject } from 'react'
import { Button, Group, Text } from '@mantine/core'
import { DETAILS_FORM_ID } from './DetailsStep'
import type { Step } from './wizard-state'

/**
 * The wizard's buttons for the step it is on: the "Discard this adjustment?" question, the result's
 * receipt buttons / Close, or Cancel / Back / Continue / Finish.
 */
export function WizardFooter(p: {
  step: Step
  confirmingClose: boolean
  /** A card request awaits the processor: Finish is gone, Cancel becomes Close. */
  pending: boolean
  running: boolean
  previewing: boolean
  submitting: boolean
  /** Step 0: an operation is chosen; step 1: the details have what the operation needs. */
  canContinue: boolean
  onKeepEditing: () => void
  onDiscard: () => void
  /** The result's receipt buttons (Print receipt, Save receipt). */
  receipt: ReactNode
  onClose: () => void
  onCancel: () => void
  onBack: () => void
  onContinue: () => void
  onFinish: () => void
  refs: {
    keepEditing: RefObject<HTMLButtonElement | null>
    close: RefObject<HTMLButtonElement | null>
    cancel: RefObject<HTMLButtonElement | null>
    finish: RefObject<HTMLButtonElement | null>
  }
}) {
  if (p.confirmingClose) {
    return (
      <Group justify="space-between" className="adj-confirm" role="alertdialog" aria-label="Discard this adjustment?">
        <Text size="sm" fw={600}>
          Discard this adjustment? Nothing has been saved.
        </Text>
        <Group gap="sm">
          <Button ref={p.refs.keepEditing} variant="default" onClick={p.onKeepEditing}>
            Keep editing
          </Button>
          <Button color="red" onClick={p.onDiscard}>
            Discard
          </Button>
        </Group>
      </Group>
    )
  }
  if (p.step === 3) {
    return (
      <Group justify="space-between">
        {p.receipt}
        <Button ref={p.refs.close} onClick={p.onClose}>
          Close
        </Button>
      </Group>
    )
  }
  return (
    <Group justify="space-between">
      <Button ref={p.refs.cancel} variant="subtle" color="gray" onClick={p.onCancel} disabled={p.running}>
        {p.pending ? 'Close' : 'Cancel'}
      </Button>
      <Group gap="sm">
        <Button variant="default" onClick={p.onBack} disabled={p.step === 0 || p.running || p.pending}>
          Back
        </Button>
        {p.step === 0 && (
          <Button onClick={p.onContinue} disabled={!p.canContinue}>
            Continue
          </Button>
        )}
        {p.step === 1 && (
          <Button type="submit" form={DETAILS_FORM_ID} loading={p.previewing} disabled={!p.canContinue}>
            Continue
          </Button>
        )}
        {p.step === 2 && !p.pending && (
          <Button ref={p.refs.finish} onClick={p.onFinish} loading={p.submitting}>
            Finish
          </Button>
        )}
      </Group>
    </Group>
  )
}
