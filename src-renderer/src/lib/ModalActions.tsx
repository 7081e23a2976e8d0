import { Button, Group } from '@mantine/core'

/** The foot of a form in a dialog: Cancel, then the submit button (busy while `running`). */
export function ModalActions(props: { onCancel: () => void; running: boolean; submitLabel: string }) {
  return (
    <Group justify="flex-end">
      <Button variant="default" onClick={props.onCancel}>
        Cancel
      </Button>
      <Button type="submit" loading={props.running}>
        {props.submitLabel}
      </Button>
    </Group>
  )
}
