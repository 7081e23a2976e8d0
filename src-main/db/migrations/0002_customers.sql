-- Customers in full: address info, notes, invoice/tax overrides, the life cycle behind the
-- status, status history, accounts' changes, custom fields, and a row version for the list index.

ALTER TABLE customers ADD COLUMN first_name TEXT NOT NULL DEFAULT '';
ALTER TABLE customers ADD COLUMN last_name TEXT NOT NULL DEFAULT '';
ALTER TABLE customers ADD COLUMN city TEXT NOT NULL DEFAULT '';
ALTER TABLE customers ADD COLUMN zip TEXT NOT NULL DEFAULT '';
ALTER TABLE customers ADD COLUMN notes TEXT NOT NULL DEFAULT '';
-- NULL: take the class's value.
ALTER TABLE customers ADD COLUMN due_days_override INTEGER CHECK (due_days_override IS NULL OR due_days_override >= 0);
ALTER TABLE customers ADD COLUMN tax_rate_ppm_override INTEGER CHECK (tax_rate_ppm_override IS NULL OR tax_rate_ppm_override BETWEEN 0 AND 1000000);

-- The life cycle. `status` (from 0001) is the effective status shown everywhere, derived from
-- these by priority: terminated / exported > blocked > suspended > active.
ALTER TABLE customers ADD COLUMN blocked INTEGER NOT NULL DEFAULT 0;
ALTER TABLE customers ADD COLUMN suspended INTEGER NOT NULL DEFAULT 0; -- set only by the overdue-invoice rule
ALTER TABLE customers ADD COLUMN suspension_lifted_until TEXT; -- an administrator's lift, until this instant
ALTER TABLE customers ADD COLUMN lifecycle TEXT NOT NULL DEFAULT 'active'
  CHECK (lifecycle IN ('active', 'provisionally-terminated', 'permanently-terminated', 'exported'));
ALTER TABLE customers ADD COLUMN provisionally_terminated_at TEXT;
ALTER TABLE customers ADD COLUMN reactivation_deadline TEXT;
ALTER TABLE customers ADD COLUMN terminated_at TEXT; -- permanent termination date

UPDATE customers SET
  blocked = (status = 'blocked'),
  suspended = (status = 'suspended'),
  lifecycle = CASE WHEN status IN ('provisionally-terminated', 'permanently-terminated', 'exported') THEN status ELSE 'active' END;

-- Every insert or change of a customer (or of its accounts) gets a new, higher row version, so
-- the in-memory list index can fetch just what changed since it last looked.
ALTER TABLE customers ADD COLUMN row_version INTEGER NOT NULL DEFAULT 0;
UPDATE customers SET row_version = id;
CREATE INDEX customers_row_version ON customers (row_version);
CREATE TRIGGER customers_version_on_insert AFTER INSERT ON customers BEGIN
  UPDATE customers SET row_version = (SELECT max(row_version) FROM customers) + 1 WHERE id = NEW.id;
END;
CREATE TRIGGER customers_version_on_update AFTER UPDATE ON customers WHEN NEW.row_version = OLD.row_version BEGIN
  UPDATE customers SET row_version = (SELECT max(row_version) FROM customers) + 1 WHERE id = NEW.id;
END;
CREATE TRIGGER accounts_version_on_insert AFTER INSERT ON accounts BEGIN
  UPDATE customers SET row_version = (SELECT max(row_version) FROM customers) + 1 WHERE id = NEW.customer_id;
END;
CREATE TRIGGER accounts_version_on_update AFTER UPDATE ON accounts BEGIN
  UPDATE customers SET row_version = (SELECT max(row_version) FROM customers) + 1 WHERE id = NEW.customer_id;
END;

CREATE TABLE customer_status_history (
  id            INTEGER PRIMARY KEY,
  customer_id   INTEGER NOT NULL REFERENCES customers (id),
  at            TEXT NOT NULL,
  from_status   TEXT,
  to_status     TEXT NOT NULL,
  note          TEXT NOT NULL,
  operator_name TEXT NOT NULL
);
CREATE INDEX customer_status_history_customer ON customer_status_history (customer_id, id);

CREATE TABLE custom_field_definitions (
  id         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL UNIQUE COLLATE NOCASE,
  kind       TEXT NOT NULL CHECK (kind IN ('text', 'number', 'date')),
  created_at TEXT NOT NULL
);

CREATE TABLE customer_custom_values (
  customer_id INTEGER NOT NULL REFERENCES customers (id),
  field_id    INTEGER NOT NULL REFERENCES custom_field_definitions (id),
  value       TEXT NOT NULL,
  PRIMARY KEY (customer_id, field_id)
);
