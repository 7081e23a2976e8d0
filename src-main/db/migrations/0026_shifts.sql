-- Cashier shifts (issue 13 item 3; docs/shifts.md): a shift belongs to one operator, opens with a
-- counted float per currency and closes with the cash counted per currency; the cash payments and
-- refunds taken meanwhile are linked to it. At most one open shift per operator.
CREATE TABLE shifts (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  operator_id   INTEGER NOT NULL REFERENCES operators (id),
  operator_name TEXT NOT NULL,
  opened_at     TEXT NOT NULL,
  closed_at     TEXT,
  closed_by     TEXT,
  note          TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX shifts_one_open ON shifts (operator_id) WHERE closed_at IS NULL;
CREATE INDEX shifts_opened ON shifts (opened_at);

-- One row per currency of a shift: the float counted at opening; at closing the expected cash
-- (float + cash in - cash out) and the cash counted, both stored as they were then.
CREATE TABLE shift_currencies (
  shift_id       INTEGER NOT NULL REFERENCES shifts (id),
  currency       TEXT NOT NULL,
  float_minor    INTEGER NOT NULL CHECK (float_minor >= 0),
  expected_minor INTEGER,
  counted_minor  INTEGER CHECK (counted_minor IS NULL OR counted_minor >= 0),
  PRIMARY KEY (shift_id, currency)
);

-- The cash a ledger record moved in or out of a shift's drawer: + a cash payment, - a refund paid out.
-- Written in the same unit of work as the record.
CREATE TABLE shift_cash (
  xdr_id       INTEGER PRIMARY KEY REFERENCES xdrs (id),
  shift_id     INTEGER NOT NULL REFERENCES shifts (id),
  currency     TEXT NOT NULL,
  amount_minor INTEGER NOT NULL
);
CREATE INDEX shift_cash_shift ON shift_cash (shift_id);
CREATE TRIGGER shift_cash_no_update BEFORE UPDATE ON shift_cash BEGIN SELECT RAISE(ABORT, 'shift cash is append-only'); END;
CREATE TRIGGER shift_cash_no_delete BEFORE DELETE ON shift_cash BEGIN SELECT RAISE(ABORT, 'shift cash is append-only'); END;
