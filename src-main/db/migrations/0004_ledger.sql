-- The ledger: money transactions are xDRs in the same numbered record space as usage, never
-- edited or deleted. `amount_minor` is the record's effect on the balance (what the customer
-- owes); `unallocated_delta_minor` its effect on unallocated payments. Each customer's balance
-- and unallocated payments are kept equal to the sums of these, in the same commit.

ALTER TABLE xdrs ADD COLUMN unallocated_delta_minor INTEGER NOT NULL DEFAULT 0;
ALTER TABLE xdrs ADD COLUMN effective_date TEXT; -- manual charge/credit: the date given
ALTER TABLE xdrs ADD COLUMN out_of_turn INTEGER NOT NULL DEFAULT 0; -- for an out-of-turn invoice
ALTER TABLE xdrs ADD COLUMN visible_comment TEXT NOT NULL DEFAULT ''; -- shown on the invoice
ALTER TABLE xdrs ADD COLUMN internal_comment TEXT NOT NULL DEFAULT ''; -- staff only
ALTER TABLE xdrs ADD COLUMN operator_name TEXT;

-- A repeated submission (double click, retry after a lost reply) returns the first result.
CREATE TABLE operation_keys (
  key         TEXT PRIMARY KEY,
  customer_id INTEGER NOT NULL REFERENCES customers (id),
  operation   TEXT NOT NULL,
  result_json TEXT NOT NULL,
  created_at  TEXT NOT NULL
);
