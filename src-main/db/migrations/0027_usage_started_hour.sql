-- The usage browser's walk in time order (issue 9), cheaper for the usage import to maintain.
-- xdrs_started (started_at) took each imported record at its own place among the 2M entries: a
-- 5,000-record batch (grouped by customer, docs/usage.md) read, journaled and wrote ~3,000 of its
-- leaf pages, 4.7 s of a 1M import's 21 s on the main thread at M (docs/benchmarks.md). Keyed by
-- the hour (the text's first 13 characters, "2026-10-05T14"), a new record goes at the end of its
-- hour's entries (the rowid is the last key, and new rowids are the largest): a batch touches one
-- page per hour it covers, at most ~720 for a month, and an entry is a third of the size.
-- The hour is a prefix of started_at, so hour order never contradicts time order: a page in time
-- order walks the hours newest first and sorts each hour's records (about 2,000 at M) until the page
-- is full (src-main/engine/usageBrowser.ts); a period is a range of hours.
DROP INDEX xdrs_started;
CREATE INDEX xdrs_started_hour ON xdrs (substr(started_at, 1, 13));
