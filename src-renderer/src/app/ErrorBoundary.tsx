import { Component, type ErrorInfo, type ReactNode } from 'react'
import { Alert, Button, Code, Group, Stack, Text } from '@mantine/core'

interface Props {
  children: ReactNode
  /** Changing this (e.g. the page id) clears a caught error. */
  resetKey?: string
}

interface State {
  error: Error | null
}

/** Catches a crash in one page so the shell (navigation, header) keeps working. */
export class ErrorBoundary extends Component<Props, State> {
  override state: State = { error: null }

  static getDerivedStateFromError(error: unknown): State {
    return { error: error instanceof Error ? error : new Error(String(error)) }
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    console.error('Page crashed', error, info.componentStack)
  }

  override componentDidUpdate(prev: Props): void {
    if (prev.resetKey !== this.props.resetKey && this.state.error) this.setState({ error: null })
  }

  override render(): ReactNode {
    const { error } = this.state
    if (!error) return this.props.children
    return (
      <Alert color="red" variant="light" title="This page stopped working" role="alert" maw={720}>
        <Stack gap="sm">
          <Text size="sm">Nothing was changed by this error. Reloading usually clears it; if it keeps happening, note the message below.</Text>
          <Code block>{error.message || error.name}</Code>
          <Group>
            <Button color="red" onClick={() => window.location.reload()}>
              Reload
            </Button>
            <Button variant="default" onClick={() => this.setState({ error: null })}>
              Try again
            </Button>
          </Group>
        </Stack>
      </Alert>
    )
  }
}
