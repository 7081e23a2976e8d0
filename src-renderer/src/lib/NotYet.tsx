import { Paper, Text } from '@mantine/core'
import { PageHeader } from './PageHeader'

/** A page whose feature is not built yet: says so plainly, shows no made-up data. */
export function NotYet(props: { title: string; message: string }) {
  return (
    <>
      <PageHeader title={props.title} />
      <Paper withBorder p="xl" radius="md">
        <Text>{props.message}</Text>
      </Paper>
    </>
  )
}
