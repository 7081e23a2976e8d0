import { useState } from 'react'
import { Alert, Button, FileInput, Group, Modal, ScrollArea, Stack, Table, Text, TextInput } from '@mantine/core'
import type { PriceListDetail, PriceListPreview } from '../../../src-shared/domain'
import type { AppError } from '../../../src-shared/errors'
import { asAppError } from '../api/invoke'
import { useMutation } from '../api/query'
import { notifySuccess } from '../lib/notify'
import { readText } from '../lib/read-file'
import { formatInstant, RatesTable } from './parts'

const COLUMNS = 'prefix, description, price_per_minute, connection_fee, first_interval, next_interval, free_seconds'
/** Rows shown in the preview; the file may hold thousands. */
const SHOWN_ROWS = 50

/** Tomorrow at midnight UTC: a new version usually starts on a coming day, never in the past by accident. */
function tomorrow(): string {
  const d = new Date()
  d.setUTCDate(d.getUTCDate() + 1)
  return `${d.toISOString().slice(0, 10)}T00:00:00Z`
}

/** A version from a CSV file: checked first (problems by line and column), uploaded only when clean. */
export function UploadVersionModal(props: { opened: boolean; list: PriceListDetail; onClose: () => void }) {
  const previewQ = useMutation('priceLists.previewVersion')
  const upload = useMutation('priceLists.uploadVersion')
  const [file, setFile] = useState<File | null>(null)
  const [csv, setCsv] = useState('')
  const [preview, setPreview] = useState<PriceListPreview | null>(null)
  const [effectiveFrom, setEffectiveFrom] = useState(tomorrow)
  const [error, setError] = useState<AppError | null>(null)

  const close = () => {
    setFile(null)
    setCsv('')
    setPreview(null)
    setError(null)
    props.onClose()
  }
  const choose = async (f: File | null) => {
    setFile(f)
    setPreview(null)
    setError(null)
    if (!f) return
    try {
      const text = await readText(f)
      setCsv(text)
      setPreview(await previewQ.run({ priceListId: props.list.id, csv: text }))
    } catch (e) {
      setError(asAppError(e))
    }
  }
  const submit = async () => {
    try {
      const v = await upload.run({ priceListId: props.list.id, csv, effectiveFrom: effectiveFrom.trim() })
      notifySuccess('Version uploaded', `${v.rowCount} prefixes in ${props.list.name}, effective from ${formatInstant(v.effectiveFrom)}`)
      close()
    } catch (e) {
      setError(asAppError(e))
    }
  }
  const clean = preview !== null && preview.issues.length === 0 && preview.rates.length > 0
  const errorOf = (field: string) => (error && error.field === field ? error.message : undefined)

  return (
    <Modal opened={props.opened} onClose={close} title={`Upload a version of ${props.list.name}`} size="xl">
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          A CSV file with a header line and one line per destination prefix, separated by "," or ";". Prices in {props.list.currency} with up to 5 decimals; intervals in
          whole seconds. Columns: {COLUMNS}. Nothing is uploaded unless every line is valid.
        </Text>
        <Group align="flex-start" grow>
          <FileInput
            label="CSV file"
            placeholder="Choose a .csv file"
            accept=".csv,text/csv"
            value={file}
            onChange={(f) => void choose(f)}
            clearable
            error={errorOf('csv')}
          />
          <TextInput
            label="Effective from"
            description="Date and time with its time zone"
            value={effectiveFrom}
            onChange={(e) => setEffectiveFrom(e.currentTarget.value)}
            error={errorOf('effectiveFrom')}
          />
        </Group>
        {error && !error.field && (
          <Alert color="red" variant="light" role="alert">
            {error.message}
          </Alert>
        )}
        {preview && preview.issues.length > 0 && (
          <Alert
            color="red"
            variant="light"
            title={`${preview.issues.length} problem${preview.issues.length === 1 ? '' : 's'}: fix the file and choose it again`}
            role="alert"
          >
            <ScrollArea.Autosize mah={180}>
              <Table verticalSpacing={4} aria-label="Problems">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th w={60}>Line</Table.Th>
                    <Table.Th w={140}>Column</Table.Th>
                    <Table.Th>Problem</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {preview.issues.map((i, n) => (
                    <Table.Tr key={`${i.line}-${i.field}-${n}`}>
                      <Table.Td>{i.line || ''}</Table.Td>
                      <Table.Td>{i.field}</Table.Td>
                      <Table.Td>{i.message}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </ScrollArea.Autosize>
          </Alert>
        )}
        {preview && preview.rates.length > 0 && (
          <>
            <Text size="sm">
              {preview.rates.length} of {preview.totalRows} line{preview.totalRows === 1 ? '' : 's'} valid
              {preview.rates.length > SHOWN_ROWS ? `; the first ${SHOWN_ROWS} shown` : ''}.
            </Text>
            <ScrollArea.Autosize mah={220}>
              <RatesTable rates={preview.rates.slice(0, SHOWN_ROWS)} label="Preview" />
            </ScrollArea.Autosize>
          </>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={close}>
            Cancel
          </Button>
          <Button onClick={() => void submit()} disabled={!clean} loading={upload.running || previewQ.running}>
            Upload
          </Button>
        </Group>
      </Stack>
    </Modal>
  )
}
