-- The audit log's filters over a million entries (issue 12, item 3) and the record of its
-- verifications (item 5). docs/audit.md explains both.
--
-- Every filter reads newest first (id descending, keyset paging by id): an index per filter ends
-- with id, so "this kind, before entry N" is a range of one index. The customer one exists
-- (audit_customer, 0001). Dates go through `at` (an ISO instant, so text order is time order).
CREATE INDEX audit_kind ON audit_log (kind, id);
CREATE INDEX audit_operator ON audit_log (operator_id, id);
CREATE INDEX audit_at ON audit_log (at, id);

-- Each run of the chain verification (the app's "Verify chain" button or
-- `npm run billing -- verify-audit`), so Settings can say when the log was last verified and how.
CREATE TABLE audit_verifications (
  id              INTEGER PRIMARY KEY,
  at              TEXT NOT NULL,
  operator_name   TEXT NOT NULL,
  via             TEXT NOT NULL CHECK (via IN ('app', 'command-line')),
  ok              INTEGER NOT NULL CHECK (ok IN (0, 1)),
  checked         INTEGER NOT NULL,
  first_broken_id INTEGER,
  message         TEXT NOT NULL
);
