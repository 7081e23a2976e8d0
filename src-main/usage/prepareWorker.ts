/**
 * Worker thread of a large usage import: reads and checks the file, then rates each batch the
 * main thread asks for (src-main/engine/usagePrepare.ts; docs/usage.md "Importing usage").
 */
import { serveUsagePrepare } from '../engine/usagePrepare'

serveUsagePrepare()
