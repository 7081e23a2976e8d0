-- Invoices (issue 10, items 1 and 3): billing periods closed into invoices, numbered from a gapless
-- sequence per class prefix. docs/invoices.md explains how an invoice relates to the ledger.
--
-- Which ledger records an invoice took: `xdrs.invoice_id`. One column, so a record is on exactly one
-- invoice. A regular invoice takes every record of its customer not yet on an invoice, not flagged
-- out-of-turn, and posted (created_at) before its period's end: a charge posted later but dated in
-- a closed period lands on the next invoice and keeps its date. The tax an invoice computes is
-- posted to the ledger by the closing itself ('invoice-tax', already marked with its invoice).

-- prefix -> last number issued. Taken in the same unit of work as its invoice: gapless, never reused.
CREATE TABLE invoice_sequences (
  prefix      TEXT PRIMARY KEY,
  last_number INTEGER NOT NULL
);

CREATE TABLE invoices (
  id                     INTEGER PRIMARY KEY,
  number                 TEXT NOT NULL UNIQUE,
  prefix                 TEXT NOT NULL,
  sequence_number        INTEGER NOT NULL,
  customer_id            INTEGER NOT NULL REFERENCES customers (id),
  currency               TEXT NOT NULL,
  out_of_turn            INTEGER NOT NULL DEFAULT 0, -- issued on demand (item 4); never a period's invoice
  period_start           TEXT NOT NULL, -- instant, included (local midnight of the period's first day)
  period_end             TEXT NOT NULL, -- instant, excluded
  issued_at              TEXT NOT NULL, -- instant
  issue_date             TEXT NOT NULL, -- local date
  due_date               TEXT NOT NULL, -- local date: issue date + due days (0 = due on receipt)
  previous_balance_minor INTEGER NOT NULL, -- the previous invoice's closing balance (+ opening balances taken)
  payments_minor         INTEGER NOT NULL, -- payments and refunds received in the period (effect on the balance: <= 0 for payments)
  charges_minor          INTEGER NOT NULL, -- lines by service: usage, manual charges, credits, corrections
  tax_rate_ppm           INTEGER NOT NULL,
  taxes_minor            INTEGER NOT NULL,
  total_minor            INTEGER NOT NULL, -- charges + taxes
  other_minor            INTEGER NOT NULL DEFAULT 0, -- out-of-turn items posted in the period (on their own invoices)
  closing_balance_minor  INTEGER NOT NULL, -- previous + payments + total + other = the ledger balance at period end + taxes
  paid_minor             INTEGER NOT NULL DEFAULT 0, -- payments applied (item 2: invoice_payments)
  reduced_minor          INTEGER NOT NULL DEFAULT 0, -- amount due reductions (invoice_reductions)
  amount_due_minor       INTEGER NOT NULL, -- max(0, total - paid - reduced)
  status                 TEXT NOT NULL CHECK (status IN ('open', 'partially-paid', 'paid', 'overdue', 'no-payment-needed', 'void')),
  overdue_since          TEXT, -- local date the invoice became overdue
  created_at             TEXT NOT NULL,
  voided_at              TEXT,
  replaced_by            INTEGER REFERENCES invoices (id),
  UNIQUE (prefix, sequence_number)
);
CREATE INDEX invoices_customer ON invoices (customer_id, period_end);
CREATE INDEX invoices_status ON invoices (status, due_date);
CREATE INDEX invoices_period ON invoices (period_start);
-- One regular invoice per customer and period (a void one is replaced, issue 11).
CREATE UNIQUE INDEX invoices_customer_period ON invoices (customer_id, period_start) WHERE out_of_turn = 0 AND voided_at IS NULL;

-- (the ledger column, described at the top)
ALTER TABLE xdrs ADD COLUMN invoice_id INTEGER REFERENCES invoices (id);
CREATE INDEX xdrs_uninvoiced ON xdrs (customer_id, created_at) WHERE invoice_id IS NULL;
-- Out-of-turn records, few, looked up per customer and period at every closing.
CREATE INDEX xdrs_out_of_turn ON xdrs (customer_id, created_at) WHERE out_of_turn = 1;

CREATE TABLE invoice_lines (
  id           INTEGER PRIMARY KEY,
  invoice_id   INTEGER NOT NULL REFERENCES invoices (id),
  position     INTEGER NOT NULL,
  category     TEXT NOT NULL CHECK (category IN ('usage', 'manual-charge', 'credit', 'correction', 'other', 'tax')),
  service_id   INTEGER REFERENCES services (id),
  description  TEXT NOT NULL,
  records      INTEGER NOT NULL,
  duration_s   INTEGER NOT NULL DEFAULT 0,
  amount_minor INTEGER NOT NULL
);
CREATE INDEX invoice_lines_invoice ON invoice_lines (invoice_id, position);

-- Payments applied to an invoice (item 2 fills it): oldest invoices first; a refund un-applies.
CREATE TABLE invoice_payments (
  id           INTEGER PRIMARY KEY,
  invoice_id   INTEGER NOT NULL REFERENCES invoices (id),
  xdr_id       INTEGER NOT NULL REFERENCES xdrs (id),
  amount_minor INTEGER NOT NULL, -- > 0 applied, < 0 un-applied by a refund
  at           TEXT NOT NULL
);
CREATE INDEX invoice_payments_invoice ON invoice_payments (invoice_id);
CREATE INDEX invoice_payments_xdr ON invoice_payments (xdr_id);

-- Reductions of an issued invoice's amount due: a manual credit aimed at the invoice. The lines
-- and total stay as issued; the reduction is shown separately.
CREATE TABLE invoice_reductions (
  id           INTEGER PRIMARY KEY,
  invoice_id   INTEGER NOT NULL REFERENCES invoices (id),
  xdr_id       INTEGER NOT NULL REFERENCES xdrs (id),
  amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
  at           TEXT NOT NULL
);
CREATE INDEX invoice_reductions_invoice ON invoice_reductions (invoice_id);
CREATE INDEX invoice_reductions_xdr ON invoice_reductions (xdr_id);
