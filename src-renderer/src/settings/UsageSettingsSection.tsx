import { useEffect, useMemo } from 'react'
import { Button, Group, Paper, Radio, Skeleton, Stack, TextInput, Title } from '@mantine/core'
import { useForm } from '@mantine/form'
import { settingsInput, type InputOf } from '../../../src-shared/contract'
import type { CompanySettings } from '../../../src-shared/domain'
import { ROUNDING_MODE_NAMES, ROUNDING_MODES, type RoundingMode } from '../../../src-shared/money'
import { useMutation, useQuery } from '../api/query'
import { useCan } from '../app/status'
import { contractValidate, reportToForm } from '../lib/contract-form'
import { useLeaveGuard } from '../lib/leave-guard'
import { notifySuccess } from '../lib/notify'
import { QueryError } from '../lib/QueryError'

/** What each rule does to a charge rated at 1.214 (and at a tie), in the design's words. */
const ROUNDING_EXAMPLES: Record<RoundingMode, string> = {
  'away-from-zero': 'Any remainder raises the amount: 1.214 -> 1.22, 1.211 -> 1.22, a credit of -1.214 -> -1.22. The design’s default.',
  'half-up': 'To the nearest cent, a half up: 1.214 -> 1.21, 1.215 -> 1.22.',
  'half-even': 'To the nearest cent, a half to the even cent: 1.214 -> 1.21, 1.225 -> 1.22, 1.235 -> 1.24.',
  'toward-zero': 'The remainder is dropped: 1.214 -> 1.21, 1.219 -> 1.21.'
}

interface UsageValues {
  roundingMode: RoundingMode
  usageImportFolder: string
}

const valuesOf = (s: CompanySettings): UsageValues => ({ roundingMode: s.roundingMode, usageImportFolder: s.usageImportFolder ?? '' })

/**
 * Settings' Usage section: how rated charges are rounded and the folder usage files are imported
 * from. Saved through settings.update with the company's details as they are.
 */
export function UsageSettingsSection() {
  const q = useQuery('settings.get', {})
  const save = useMutation('settings.update')
  const canEdit = useCan()('settings.update')
  const initial = useMemo(() => (q.data ? valuesOf(q.data) : null), [q.data])
  const company = q.data
  const toInput = (v: UsageValues): InputOf<'settings.update'> => ({
    companyName: company?.companyName ?? '',
    address: company?.address ?? '',
    roundingMode: v.roundingMode,
    usageImportFolder: v.usageImportFolder
  })
  const form = useForm<UsageValues>({
    initialValues: initial ?? { roundingMode: 'away-from-zero', usageImportFolder: '' },
    validate: contractValidate(settingsInput, toInput)
  })
  useEffect(() => {
    if (!initial) return
    form.setInitialValues(initial)
    form.setValues(initial)
  }, [initial])
  const dirty = initial !== null && form.isDirty()
  useLeaveGuard(dirty)

  async function submit(v: UsageValues) {
    try {
      q.setData(await save.run(settingsInput.parse(toInput(v))))
      notifySuccess('Usage settings saved', 'Usage rated from now on uses them; re-rating applies them to usage already rated.')
    } catch (err) {
      reportToForm(form, err)
    }
  }

  return (
    <Paper withBorder p="lg" radius="md">
      <Title order={2} size="h4" mb="xs">
        Usage
      </Title>
      {q.error && !q.data ? (
        <QueryError error={q.error} onRetry={q.reload} what="the usage settings" />
      ) : !initial ? (
        <Skeleton h={120} />
      ) : (
        <form onSubmit={form.onSubmit((v) => void submit(v))} noValidate aria-busy={save.running}>
          <Stack gap="md" maw={720}>
            <Radio.Group
              label="Rounding of rated charges"
              description="A call is priced to 5 decimal places, then rounded once to the currency’s smallest unit (the cent; whole yen). The rule applies to usage rated from now on; re-rating applies it to usage already rated."
              {...form.getInputProps('roundingMode')}
              name="roundingMode"
            >
              <Stack gap={6} mt={6}>
                {ROUNDING_MODES.map((m) => (
                  <Radio
                    key={m}
                    value={m}
                    label={ROUNDING_MODE_NAMES[m][0]!.toUpperCase() + ROUNDING_MODE_NAMES[m].slice(1)}
                    description={ROUNDING_EXAMPLES[m]}
                    disabled={save.running || !canEdit}
                  />
                ))}
              </Stack>
            </Radio.Group>
            <TextInput
              label="Usage import folder"
              description="Usage files (CSV) put in this folder are imported at start-up and every minute while the app runs, then moved to its imported/ or rejected/ folder with a report. Full path of a folder the app can write to; leave empty for none."
              placeholder="/srv/switch/usage"
              {...form.getInputProps('usageImportFolder')}
              disabled={save.running || !canEdit}
              name="usageImportFolder"
            />
            <Group display={canEdit ? undefined : 'none'}>
              <Button type="submit" loading={save.running} disabled={!dirty}>
                Save usage settings
              </Button>
              {dirty && (
                <Button variant="subtle" onClick={() => form.reset()} disabled={save.running}>
                  Discard changes
                </Button>
              )}
            </Group>
          </Stack>
        </form>
      )}
    </Paper>
  )
}
