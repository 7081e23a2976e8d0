-- Re-rating and retention of usage records (issue 9, items 5 and 6).
--
-- A re-rating rates a period's usage again (for all customers, a class, or picked ones) with the
-- lists assigned now or one chosen list. Its row is written by the first customer's unit of work
-- that changes something, so a re-rating that changes nothing leaves nothing behind; each
-- customer's unit of work adds its counts here and its line in rerating_customers.
CREATE TABLE reratings (
  id               INTEGER PRIMARY KEY,
  at               TEXT NOT NULL,
  operator_name    TEXT NOT NULL,
  period_from      TEXT NOT NULL, -- instant, included
  period_to        TEXT NOT NULL, -- instant, excluded
  scope_json       TEXT NOT NULL, -- {"kind":"all"} | {"kind":"class","classId":n} | {"kind":"customers","customerIds":[...]}
  price_list_id    INTEGER REFERENCES price_lists (id), -- NULL: the lists assigned at the time
  state            TEXT NOT NULL DEFAULT 'running' CHECK (state IN ('running', 'completed', 'cancelled')),
  customers        INTEGER NOT NULL DEFAULT 0, -- customers whose usage changed
  records          INTEGER NOT NULL DEFAULT 0, -- usage records whose rating changed
  finished_at      TEXT
);

-- Per customer, the period a re-rating changed and by how much: the invoices of that customer
-- covering that period are out of date (the input of batch re-issue, issue 10/11).
CREATE TABLE rerating_customers (
  rerating_id       INTEGER NOT NULL REFERENCES reratings (id),
  customer_id       INTEGER NOT NULL REFERENCES customers (id),
  period_from       TEXT NOT NULL,
  period_to         TEXT NOT NULL,
  records           INTEGER NOT NULL,
  old_total_minor   INTEGER NOT NULL,
  new_total_minor   INTEGER NOT NULL,
  difference_minor  INTEGER NOT NULL,
  correction_xdr_id INTEGER REFERENCES xdrs (id), -- NULL when the difference is 0
  PRIMARY KEY (rerating_id, customer_id)
);
CREATE INDEX rerating_customers_customer ON rerating_customers (customer_id, period_from);
-- A purge deletes usage xdrs by the hundred thousand; with foreign keys on, each delete looks for
-- rows referring to the xdr. Without these indexes every delete scanned both tables whole.
CREATE INDEX rerating_customers_correction ON rerating_customers (correction_xdr_id);
CREATE INDEX card_transactions_xdr ON card_transactions (xdr_id);

-- Usage before this instant has been purged (replaced by 'usage-summary' records per customer,
-- month and service): periods before it cannot be re-rated nor their invoices recalculated.
-- Written before a purge starts, so a purge interrupted by a crash never leaves purged usage
-- that the desk believes is still there.
ALTER TABLE settings ADD COLUMN usage_purged_before TEXT;
