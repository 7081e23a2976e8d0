/**
 * Worker thread of a large usage import: takes the file's text and the main thread's reading of
 * it, then rates each batch the main thread asks for (src-main/engine/usagePrepare.ts;
 * docs/usage.md "Importing usage").
 */
import { serveUsagePrepare } from '../engine/usagePrepare'

serveUsagePrepare()
