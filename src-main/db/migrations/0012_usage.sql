-- migrate: rebuilds tables (foreign keys off, checked before commit)
-- Usage records (issue 9): imported from the switch, rated on import, re-rated after a price fix.
--
-- xdrs is rebuilt so that customer_id may be NULL: a usage record whose account is unknown is
-- kept (unrated, reason 'unknown-account', with the account as written in `account_ref`) and rated
-- once the account exists, never dropped and never charged as zero. Every other record keeps a
-- customer. Usage columns (NULL on money records):
--   switch_record_id  the switch's own id; unique, so importing the same record twice charges once
--   account_ref       the account as the file wrote it
--   rating            'rated' | 'unrated'
--   unrated_reason    no-matching-prefix | no-price-list | unknown-account | closed-account | unknown-service
--   charge_minor      what the record costs under its current rating. `amount_minor` stays what was
--                     posted to the ledger on import (the ledger is never edited); a re-rating posts
--                     one correction record per customer for the difference, so that
--                     sum(usage charge_minor) = sum(usage amount_minor) + sum(corrections) per customer.
--   billed_s, prefix, price_list_version_id, rated_at: how it was rated
--   import_id         the usage import that brought it in
-- rerating_id marks a re-rating's correction record (kind 'rerating-correction').
CREATE TABLE xdrs_new (
  id                      INTEGER PRIMARY KEY AUTOINCREMENT,
  kind                    TEXT NOT NULL,
  customer_id             INTEGER REFERENCES customers (id),
  account_id              INTEGER REFERENCES accounts (id),
  service_id              INTEGER REFERENCES services (id),
  started_at              TEXT NOT NULL,
  duration_s              INTEGER NOT NULL DEFAULT 0,
  destination             TEXT NOT NULL DEFAULT '',
  amount_minor            INTEGER NOT NULL DEFAULT 0,
  created_at              TEXT NOT NULL,
  unallocated_delta_minor INTEGER NOT NULL DEFAULT 0,
  effective_date          TEXT,
  out_of_turn             INTEGER NOT NULL DEFAULT 0,
  visible_comment         TEXT NOT NULL DEFAULT '',
  internal_comment        TEXT NOT NULL DEFAULT '',
  operator_name           TEXT,
  switch_record_id        TEXT,
  account_ref             TEXT,
  rating                  TEXT CHECK (rating IS NULL OR rating IN ('rated', 'unrated')),
  unrated_reason          TEXT,
  charge_minor            INTEGER,
  billed_s                INTEGER,
  prefix                  TEXT,
  price_list_version_id   INTEGER REFERENCES price_list_versions (id),
  rated_at                TEXT,
  import_id               INTEGER,
  rerating_id             INTEGER,
  CHECK (customer_id IS NOT NULL OR (kind = 'usage' AND rating = 'unrated'))
);
INSERT INTO xdrs_new (id, kind, customer_id, account_id, service_id, started_at, duration_s, destination, amount_minor, created_at,
  unallocated_delta_minor, effective_date, out_of_turn, visible_comment, internal_comment, operator_name, rating, charge_minor, rated_at)
SELECT id, kind, customer_id, account_id, service_id, started_at, duration_s, destination, amount_minor, created_at,
  unallocated_delta_minor, effective_date, out_of_turn, visible_comment, internal_comment, operator_name,
  CASE WHEN kind = 'usage' THEN 'rated' END, CASE WHEN kind = 'usage' THEN amount_minor END, CASE WHEN kind = 'usage' THEN created_at END
FROM xdrs;
-- Ids are never reused, also after this copy (AUTOINCREMENT's counter is carried over).
INSERT INTO sqlite_sequence (name, seq) SELECT 'xdrs_new', seq FROM sqlite_sequence WHERE name = 'xdrs'
  AND NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'xdrs_new');
UPDATE sqlite_sequence SET seq = max(seq, (SELECT seq FROM sqlite_sequence WHERE name = 'xdrs'))
  WHERE name = 'xdrs_new' AND EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'xdrs');
DROP TABLE xdrs;
ALTER TABLE xdrs_new RENAME TO xdrs;
CREATE INDEX xdrs_customer_time ON xdrs (customer_id, started_at);
CREATE INDEX xdrs_customer_money ON xdrs (customer_id, id) WHERE kind <> 'usage';
CREATE UNIQUE INDEX xdrs_switch_record ON xdrs (switch_record_id) WHERE switch_record_id IS NOT NULL;
-- Unrated records are few and looked at together (the "rated/unrated" filter, re-rating after a fix).
CREATE INDEX xdrs_unrated ON xdrs (started_at) WHERE rating = 'unrated';

-- One usage import (a file from the Usage page, the import folder or the command line). Batches
-- commit one by one, each updating its import's counters, so a crash leaves whole batches and the
-- counters agree with the records.
CREATE TABLE usage_imports (
  id             INTEGER PRIMARY KEY,
  source         TEXT NOT NULL CHECK (source IN ('page', 'folder', 'command-line')),
  file_name      TEXT NOT NULL,
  started_at     TEXT NOT NULL,
  finished_at    TEXT,
  state          TEXT NOT NULL DEFAULT 'running' CHECK (state IN ('running', 'completed', 'cancelled', 'failed', 'interrupted')),
  operator_name  TEXT NOT NULL,
  lines          INTEGER NOT NULL DEFAULT 0, -- data lines read so far
  imported       INTEGER NOT NULL DEFAULT 0, -- new records written (rated or unrated)
  rated          INTEGER NOT NULL DEFAULT 0,
  unrated        INTEGER NOT NULL DEFAULT 0,
  duplicates     INTEGER NOT NULL DEFAULT 0, -- switch record ids already imported: skipped, not charged again
  rejected       INTEGER NOT NULL DEFAULT 0, -- broken rows (reported by line), not written
  summary_json   TEXT NOT NULL DEFAULT '{}'  -- totals per currency, flagged customers, problems by line
);

-- Settings for usage: the rounding rule of rated charges (DESIGN: away from zero by default), how
-- many months usage is kept, and the folder the app imports usage files from (NULL: none).
ALTER TABLE settings ADD COLUMN rounding_mode TEXT NOT NULL DEFAULT 'away-from-zero'
  CHECK (rounding_mode IN ('away-from-zero', 'half-up', 'half-even', 'toward-zero'));
ALTER TABLE settings ADD COLUMN usage_retention_months INTEGER NOT NULL DEFAULT 2 CHECK (usage_retention_months BETWEEN 1 AND 120);
ALTER TABLE settings ADD COLUMN usage_import_folder TEXT;

-- A corrected price list is uploaded as a new version at the same effective instant as the wrong
-- one: the later upload supersedes it (rating takes the latest effective-from, then the latest
-- upload). So the one-version-per-instant rule goes; versions stay append-only history.
CREATE TABLE price_list_versions_new (
  id             INTEGER PRIMARY KEY,
  price_list_id  INTEGER NOT NULL REFERENCES price_lists (id),
  effective_from TEXT NOT NULL,
  uploaded_at    TEXT NOT NULL,
  operator_name  TEXT NOT NULL,
  row_count      INTEGER NOT NULL CHECK (row_count >= 0)
);
INSERT INTO price_list_versions_new SELECT id, price_list_id, effective_from, uploaded_at, operator_name, row_count FROM price_list_versions;
DROP TRIGGER price_list_versions_append_only_u;
DROP TRIGGER price_list_versions_append_only_d;
DROP TABLE price_list_versions;
ALTER TABLE price_list_versions_new RENAME TO price_list_versions;
CREATE INDEX price_list_versions_list ON price_list_versions (price_list_id, effective_from, id);
CREATE TRIGGER price_list_versions_append_only_u BEFORE UPDATE ON price_list_versions
BEGIN SELECT RAISE(ABORT, 'price list versions are history and cannot be changed'); END;
CREATE TRIGGER price_list_versions_append_only_d BEFORE DELETE ON price_list_versions
BEGIN SELECT RAISE(ABORT, 'price list versions are history and cannot be deleted'); END;
