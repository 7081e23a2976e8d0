-- Batch invoice re-issue (issue 11). docs/invoices.md "Re-issue" explains the accounting.
--
-- A re-rating posts ONE correction record per customer, in the month it ran (its "home" invoice
-- is the one of that period: xdrs.invoice_id, as any record). A re-issued earlier invoice takes the
-- part of a correction that belongs to its own usage; the part is recorded here, and the home
-- invoice counts only what is left (amount - parts on live invoices). Parts of a void invoice are
-- not counted: its replacement has its own.
CREATE TABLE invoice_correction_parts (
  id           INTEGER PRIMARY KEY,
  invoice_id   INTEGER NOT NULL REFERENCES invoices (id),
  xdr_id       INTEGER NOT NULL REFERENCES xdrs (id), -- a 'rerating-correction' record
  amount_minor INTEGER NOT NULL
);
CREATE INDEX invoice_correction_parts_invoice ON invoice_correction_parts (invoice_id);
CREATE INDEX invoice_correction_parts_xdr ON invoice_correction_parts (xdr_id);

-- A batch: its parameters, its state, and (reissue_results) its plan and per-invoice outcome.
-- A crash mid-batch leaves it 'running' with pending results: the next start carries on.
CREATE TABLE reissue_batches (
  id                INTEGER PRIMARY KEY,
  created_at        TEXT NOT NULL,
  operator_id       INTEGER,
  operator_name     TEXT NOT NULL,
  mode              TEXT NOT NULL CHECK (mode IN ('void', 'same-number')),
  issued_after      TEXT NOT NULL, -- instant: invoices issued after it are re-issued
  customer_ids_json TEXT NOT NULL, -- customer row ids
  state             TEXT NOT NULL CHECK (state IN ('scheduled', 'running', 'completed', 'cancelled', 'failed')),
  scheduled_for     TEXT, -- instant: a scheduled batch starts at or after it
  invoices          INTEGER NOT NULL DEFAULT 0, -- planned
  done              INTEGER NOT NULL DEFAULT 0, -- re-issued or left alone
  error             TEXT,
  finished_at       TEXT
);
CREATE INDEX reissue_batches_state ON reissue_batches (state);

CREATE TABLE reissue_results (
  id                   INTEGER PRIMARY KEY,
  batch_id             INTEGER NOT NULL REFERENCES reissue_batches (id),
  position             INTEGER NOT NULL,
  customer_id          INTEGER NOT NULL REFERENCES customers (id),
  invoice_id           INTEGER NOT NULL REFERENCES invoices (id), -- as planned (the old one)
  carried              INTEGER NOT NULL DEFAULT 0, -- 1: a later invoice recalculated to carry the balance forward
  state                TEXT NOT NULL CHECK (state IN ('pending', 'done', 'skipped', 'cancelled')),
  reason               TEXT,
  new_invoice_id       INTEGER REFERENCES invoices (id),
  old_number           TEXT NOT NULL,
  new_number           TEXT,
  currency             TEXT NOT NULL,
  old_total_minor      INTEGER NOT NULL,
  new_total_minor      INTEGER,
  old_amount_due_minor INTEGER NOT NULL,
  new_amount_due_minor INTEGER,
  old_status           TEXT NOT NULL,
  new_status           TEXT,
  finished_at          TEXT
);
CREATE INDEX reissue_results_batch ON reissue_results (batch_id, position);

-- The off-peak window a batch can be scheduled for (local times of day, HH:MM; the end may be
-- after midnight: 22:00-05:00). A scheduled batch runs when the app is open then, or at the next start.
CREATE TABLE reissue_settings (
  id             INTEGER PRIMARY KEY CHECK (id = 1),
  off_peak_start TEXT NOT NULL DEFAULT '01:00',
  off_peak_end   TEXT NOT NULL DEFAULT '05:00'
);
INSERT INTO reissue_settings (id) VALUES (1);

-- What the desk tells its operators when long work ends (a batch re-issue's completion): the
-- notifications list in the header, with a link to the results.
CREATE TABLE notifications (
  id      INTEGER PRIMARY KEY,
  at      TEXT NOT NULL,
  kind    TEXT NOT NULL,
  title   TEXT NOT NULL,
  body    TEXT NOT NULL,
  link    TEXT, -- an address in the desk (#/reissue?batch=3)
  read_at TEXT
);
