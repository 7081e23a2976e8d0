/**
 * The Usage page's import (issue 9, item 2): the file arrives in parts, then a job of the
 * JobRegistry imports it in batches (src-main/engine/usageImport.ts) while the page polls its
 * progress. One usage import at a time: batches of two imports interleaving would make neither's
 * summary nor its Cancel mean what it says.
 */
import { USAGE_FILE_MAX_CHARS } from '../../src-shared/contract'
import type { JobSnapshot, UsageImportSummary } from '../../src-shared/domain'
import { AppError } from '../../src-shared/errors'
import { importUsageCsv, listUsageImports, USAGE_IMPORT_JOB, usageImportSummary } from '../engine/usageImport'
import { Uploads } from '../jobs/uploads'
import type { HandlerTable } from './dispatch'
import type { HandlerContext } from './handlers'

/** Room for one largest file being uploaded while another is staged. */
const uploads = new Uploads(2 * USAGE_FILE_MAX_CHARS)

type UsageImportChannel =
  | 'usageImport.begin'
  | 'usageImport.chunk'
  | 'usageImport.start'
  | 'usageImport.status'
  | 'usageImport.cancel'
  | 'usageImport.list'
  | 'usageImport.get'

export const usageImportHandlers: Pick<HandlerTable<HandlerContext>, UsageImportChannel> = {
  'usageImport.begin': (input) => uploads.begin(input.fileName, input.totalChars),

  'usageImport.chunk': (input) => uploads.chunk(input.uploadId, input.seq, input.text),

  'usageImport.start': (input, { engine, jobs, actor }) => {
    if (jobs.running(USAGE_IMPORT_JOB).length > 0) {
      throw new AppError('CONFLICT', 'A usage import is running already; wait until it has finished, or cancel it, and start this one again.', 'uploadId')
    }
    const file = uploads.take(input.uploadId)
    const eng = engine()
    return jobs.start(USAGE_IMPORT_JOB, 'records', (ctl) =>
      importUsageCsv(
        eng,
        actor,
        { source: 'page', fileName: file.fileName, csv: file.text },
        { signal: ctl.signal, pause: ctl.pause, onReading: (done, total) => ctl.preparing(done, total), onProgress: (done, total) => ctl.progress(done, total) }
      )
    )
  },

  'usageImport.status': (input, { jobs }) => jobs.get<UsageImportSummary>(input.jobId, USAGE_IMPORT_JOB),

  'usageImport.cancel': (input, { jobs }): JobSnapshot<UsageImportSummary> => jobs.cancel<UsageImportSummary>(input.jobId, USAGE_IMPORT_JOB),

  'usageImport.list': (input, { engine, jobs }) =>
    engine().read((r) => listUsageImports(r, { limit: input.limit, importRunning: jobs.running(USAGE_IMPORT_JOB).length > 0 })),

  'usageImport.get': (input, { engine }) => engine().read((r) => usageImportSummary(r, input.importId))
}
