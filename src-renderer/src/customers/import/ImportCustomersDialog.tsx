import { useEffect, useState } from 'react'
import { Alert, Anchor, Button, Code, FileInput, Group, Modal, Paper, Progress, ScrollArea, SimpleGrid, Stack, Table, Text } from '@mantine/core'
import type { ImportPreview } from '../../../../src-shared/domain'
import { asAppError } from '../../api/invoke'
import { useMutation } from '../../api/query'
import { BALANCE_CONTROL_LABEL } from '../../lib/labels'
import { notifyError, notifySuccess } from '../../lib/notify'
import { plural } from '../../classes/describe'
import { downloadText } from '../../lib/download'
import { readText } from '../../lib/read-file'
import { IMPORT_COLUMNS, templateCsv } from './template'

function Count(props: { label: string; value: number; color?: string; testId: string }) {
  return (
    <Paper withBorder radius="md" p="xs">
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {props.label}
      </Text>
      <Text size="xl" fw={700} c={props.color} style={{ fontVariantNumeric: 'tabular-nums' }} data-testid={props.testId}>
        {props.value}
      </Text>
    </Paper>
  )
}

/**
 * Import customers from a CSV file: preview first (counts, a sample, every problem by line and
 * field), then import all — only when nothing is wrong — or only the valid rows.
 */
export function ImportCustomersDialog(props: { opened: boolean; onClose: () => void }) {
  const [file, setFile] = useState<File | null>(null)
  const [csv, setCsv] = useState<string | null>(null)
  const [preview, setPreview] = useState<ImportPreview | null>(null)
  const [fileError, setFileError] = useState<string | null>(null)
  const [reading, setReading] = useState(false)
  const previewQ = useMutation('customers.importPreview')
  const commit = useMutation('customers.importCommit')
  const busy = reading || previewQ.running || commit.running

  useEffect(() => {
    if (!props.opened) return
    setFile(null)
    setCsv(null)
    setPreview(null)
    setFileError(null)
  }, [props.opened])

  async function choose(f: File | null) {
    setFile(f)
    setCsv(null)
    setPreview(null)
    setFileError(null)
    if (!f) return
    setReading(true)
    let text: string
    try {
      text = await readText(f)
    } catch (e) {
      setFileError(`Could not read “${f.name}”: ${e instanceof Error ? e.message : String(e)}`)
      return
    } finally {
      setReading(false)
    }
    try {
      const p = await previewQ.run({ csv: text })
      setCsv(text)
      setPreview(p)
    } catch (e) {
      const err = asAppError(e)
      if (err.code === 'VALIDATION' || err.field === 'csv') setFileError(err.message)
      else notifyError(err)
    }
  }

  async function runImport(onlyValidRows: boolean) {
    if (csv === null) return
    try {
      const r = await commit.run({ csv, onlyValidRows })
      notifySuccess('Customers imported', `${plural(r.imported, 'customer')} imported${r.skipped > 0 ? `; ${plural(r.skipped, 'row')} with problems skipped` : ''}.`)
      props.onClose()
    } catch (e) {
      notifyError(e)
    }
  }

  const invalidRows = preview ? preview.totalRows - preview.validRows : 0
  const hasIssues = (preview?.issues.length ?? 0) > 0

  return (
    <Modal
      opened={props.opened}
      onClose={() => !commit.running && props.onClose()}
      title={<Text fw={700}>Import customers from CSV</Text>}
      size="80rem"
      closeOnClickOutside={!busy}
      closeOnEscape={!commit.running}
    >
      <Stack gap="md">
        <Text size="sm" c="dimmed">
          For moving customers from another system. One customer per line after a header line. Required columns: <Code>customer_id</Code>, <Code>balance_control</Code>{' '}
          (prepaid or postpaid), <Code>currency</Code>. <Code>class</Code> is a class name, <Code>blocked</Code> is yes or no, amounts are written like 1,234.56. Nothing
          is written unless the whole file is valid — or you choose to import only the valid rows.{' '}
          <Anchor component="button" type="button" size="sm" onClick={() => downloadText('customers-import-template.csv', templateCsv(), 'text/csv;charset=utf-8')}>
            Download template
          </Anchor>
        </Text>
        <Text size="xs" c="dimmed" mt={-8}>
          Columns: {IMPORT_COLUMNS.join(', ')}
        </Text>

        <FileInput
          label="CSV file"
          placeholder="Choose a .csv file"
          accept=".csv,text/csv"
          value={file}
          onChange={(f) => void choose(f)}
          clearable
          error={fileError}
          disabled={commit.running}
          w={460}
          maw="100%"
        />

        {(reading || previewQ.running) && (
          <Group gap="xs" role="status">
            <Progress value={100} animated striped w={200} aria-label="Checking the file" />
            <Text size="sm" c="dimmed">
              Checking every line…
            </Text>
          </Group>
        )}

        {preview && (
          <>
            <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="sm">
              <Count label="Rows" value={preview.totalRows} testId="import-total" />
              <Count label="Valid rows" value={preview.validRows} color="teal" testId="import-valid" />
              <Count label="Rows with problems" value={invalidRows} color={invalidRows > 0 ? 'red' : undefined} testId="import-invalid" />
              <Count label="Problems" value={preview.issues.length} color={hasIssues ? 'red' : undefined} testId="import-issues" />
            </SimpleGrid>

            {hasIssues ? (
              <div>
                <Text fw={600} size="sm" mb={6} c="red">
                  Problems by line and field
                </Text>
                <Paper withBorder radius="md">
                  <ScrollArea.Autosize mah={260} type="auto">
                    <Table verticalSpacing={6} horizontalSpacing="sm" aria-label="Import problems" stickyHeader>
                      <Table.Thead>
                        <Table.Tr>
                          <Table.Th className="num-head" w={70}>
                            Line
                          </Table.Th>
                          <Table.Th w={160}>Field</Table.Th>
                          <Table.Th>Problem</Table.Th>
                        </Table.Tr>
                      </Table.Thead>
                      <Table.Tbody>
                        {preview.issues.map((i, n) => (
                          <Table.Tr key={`${i.line}-${i.field}-${n}`}>
                            <Table.Td className="num">{i.line}</Table.Td>
                            <Table.Td ff="monospace" fz="sm">
                              {i.field || (
                                <Text span c="dimmed">
                                  —
                                </Text>
                              )}
                            </Table.Td>
                            <Table.Td>{i.message}</Table.Td>
                          </Table.Tr>
                        ))}
                      </Table.Tbody>
                    </Table>
                  </ScrollArea.Autosize>
                </Paper>
              </div>
            ) : (
              <Alert variant="light" color="teal" title="No problems found">
                Every line can be imported.
              </Alert>
            )}

            {preview.sample.length > 0 && (
              <div>
                <Text fw={600} size="sm" mb={6}>
                  First rows as they will be created
                </Text>
                <Paper withBorder radius="md">
                  <ScrollArea.Autosize mah={220} type="auto">
                    <Table verticalSpacing={6} horizontalSpacing="sm" aria-label="Import sample" stickyHeader striped>
                      <Table.Thead>
                        <Table.Tr>
                          <Table.Th className="num-head" w={70}>
                            Line
                          </Table.Th>
                          <Table.Th>Customer ID</Table.Th>
                          <Table.Th>Company name</Table.Th>
                          <Table.Th>Balance control</Table.Th>
                          <Table.Th>Currency</Table.Th>
                          <Table.Th>Customer class</Table.Th>
                        </Table.Tr>
                      </Table.Thead>
                      <Table.Tbody>
                        {preview.sample.map((r) => (
                          <Table.Tr key={r.line}>
                            <Table.Td className="num">{r.line}</Table.Td>
                            <Table.Td ff="monospace" fz="sm">
                              {r.customerId}
                            </Table.Td>
                            <Table.Td>{r.companyName}</Table.Td>
                            <Table.Td>{BALANCE_CONTROL_LABEL[r.balanceControl] ?? r.balanceControl}</Table.Td>
                            <Table.Td>{r.currency}</Table.Td>
                            <Table.Td>
                              {r.className ?? (
                                <Text span c="dimmed">
                                  —
                                </Text>
                              )}
                            </Table.Td>
                          </Table.Tr>
                        ))}
                      </Table.Tbody>
                    </Table>
                  </ScrollArea.Autosize>
                </Paper>
              </div>
            )}
          </>
        )}

        {commit.running && (
          <Stack gap={6} role="status" aria-live="polite">
            <Progress value={100} animated striped aria-label="Importing" />
            <Text size="sm" c="dimmed">
              Importing customers — one commit, so nothing is half done if it stops…
            </Text>
          </Stack>
        )}

        <Group justify="flex-end" gap="sm">
          {preview && hasIssues && (
            <Text size="sm" c="dimmed" mr="auto">
              Fix the lines above and choose the file again to import everything.
            </Text>
          )}
          <Button variant="default" onClick={props.onClose} disabled={commit.running}>
            Cancel
          </Button>
          {preview && hasIssues && preview.validRows > 0 && (
            <Button variant="light" color="orange" onClick={() => void runImport(true)} loading={commit.running}>
              Import only the {plural(preview.validRows, 'valid row')}
            </Button>
          )}
          <Button onClick={() => void runImport(false)} disabled={!preview || hasIssues || preview.validRows === 0 || busy} loading={commit.running && !hasIssues}>
            {preview && !hasIssues ? `Import all ${plural(preview.validRows, 'customer')}` : 'Import all'}
          </Button>
        </Group>
      </Stack>
    </Modal>
  )
}
