import { useState } from 'react'
import { Button, FileInput, Group, Image, Paper, Stack, Text, Title } from '@mantine/core'
import { LOGO_MAX_BYTES } from '../../../src-shared/contract'
import { formatDateTime } from '../../../src-shared/format'
import { asAppError } from '../api/invoke'
import { useMutation, useQuery } from '../api/query'
import { useCan } from '../app/status'
import { notifyError, notifySuccess } from '../lib/notify'
import { QueryError } from '../lib/QueryError'
import { readBase64 } from '../lib/read-file'

/**
 * Settings' Company logo: a PNG or JPEG (at most 512 KB) printed on invoices and receipts beside
 * the company's name and address. The main process checks the file (companyLogo.set) and says
 * what is wrong with a bad one; invoices already stored keep the document they were issued with.
 */
export function CompanyLogoSection() {
  const q = useQuery('companyLogo.get', {})
  const upload = useMutation('companyLogo.set')
  const remove = useMutation('companyLogo.remove')
  const admin = useCan()('companyLogo.set')
  const [error, setError] = useState<string | null>(null)
  const logo = q.data?.logo ?? null

  async function choose(file: File | null) {
    setError(null)
    if (!file) return
    // The same words the main process uses, without sending a file it would refuse for its size.
    if (file.size > LOGO_MAX_BYTES) {
      setError(`"${file.name}" cannot be used as the logo: it is ${Math.ceil(file.size / 1024)} KB; the logo may be at most ${LOGO_MAX_BYTES / 1024} KB.`)
      return
    }
    try {
      await upload.run({ fileName: file.name, dataBase64: await readBase64(file) })
      notifySuccess('Logo saved', 'Invoices and receipts drawn from now on carry it.')
    } catch (e) {
      setError(asAppError(e).message)
    }
  }

  return (
    <Paper withBorder p="lg" radius="md" data-testid="company-logo">
      <Title order={2} size="h4" mb={4}>
        Company logo
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        Printed on invoices and receipts beside the company's name and address (at most 40 × 18 mm on an invoice). PNG or JPEG, at most {LOGO_MAX_BYTES / 1024} KB.
        Invoices already stored keep the document they were issued with.
      </Text>
      {q.error && <QueryError error={q.error} onRetry={q.reload} what="the logo" />}
      <Stack gap="sm">
        {logo ? (
          <Group align="center" gap="lg">
            <Paper withBorder p="xs" radius="sm" bg="white">
              <Image
                src={`data:image/${logo.type};base64,${logo.dataBase64}`}
                alt="The company logo"
                h={68}
                w="auto"
                maw={240}
                fit="contain"
                data-testid="company-logo-image"
              />
            </Paper>
            <Stack gap={2}>
              <Text size="sm" fw={500}>
                {logo.fileName}
              </Text>
              <Text size="xs" c="dimmed">
                {logo.width} × {logo.height} pixels, {logo.type.toUpperCase()}, {Math.ceil(logo.sizeBytes / 1024)} KB — uploaded {formatDateTime(logo.updatedAt)}
              </Text>
            </Stack>
          </Group>
        ) : (
          q.data && (
            <Text size="sm" data-testid="company-logo-none">
              No logo: documents print the company's name and address only.
            </Text>
          )
        )}
        {admin && (
          <Group align="flex-end" gap="sm">
            <FileInput
              label={logo ? 'Replace with' : 'Upload a logo'}
              placeholder="Choose a PNG or JPEG file"
              accept="image/png,image/jpeg"
              w={320}
              value={null}
              onChange={(f) => void choose(f)}
              error={error}
              disabled={upload.running}
              clearable={false}
            />
            {logo && (
              <Button
                variant="default"
                color="red"
                loading={remove.running}
                onClick={() =>
                  void remove.run({}).then(() => {
                    setError(null)
                    notifySuccess('Logo removed', 'Documents drawn from now on have no logo.')
                  }, notifyError)
                }
              >
                Remove logo
              </Button>
            )}
          </Group>
        )}
      </Stack>
    </Paper>
  )
}
