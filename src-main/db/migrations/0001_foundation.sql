-- Foundation schema: settings, operators, customers and their classes, services, accounts,
-- the shared xDR record space, and the chained audit log.

CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
-- Sequence number of the last journal entry applied to this database (see docs/durability.md).
INSERT INTO meta (key, value) VALUES ('journal_seq', '0');

CREATE TABLE settings (
  id                 INTEGER PRIMARY KEY CHECK (id = 1),
  company_name       TEXT NOT NULL,
  address            TEXT NOT NULL,
  default_currency   TEXT NOT NULL,
  setup_completed_at TEXT NOT NULL
);

CREATE TABLE operators (
  id            INTEGER PRIMARY KEY,
  login         TEXT NOT NULL UNIQUE COLLATE NOCASE,
  name          TEXT NOT NULL,
  role          TEXT NOT NULL CHECK (role IN ('administrator', 'cashier', 'auditor')),
  password_hash TEXT,
  disabled      INTEGER NOT NULL DEFAULT 0,
  created_at    TEXT NOT NULL
);
-- The built-in first administrator makes every change until operators can log in.
INSERT INTO operators (id, login, name, role, password_hash, created_at)
VALUES (1, 'admin', 'Administrator', 'administrator', NULL, '1970-01-01T00:00:00.000Z');

CREATE TABLE customer_classes (
  id                    INTEGER PRIMARY KEY,
  name                  TEXT NOT NULL UNIQUE COLLATE NOCASE,
  currency              TEXT,
  billing_period        TEXT NOT NULL DEFAULT 'monthly' CHECK (billing_period IN ('monthly', 'weekly')),
  billing_day           INTEGER NOT NULL DEFAULT 1,
  due_days              INTEGER NOT NULL DEFAULT 14 CHECK (due_days >= 0),
  suspend_on_overdue    INTEGER NOT NULL DEFAULT 0,
  suspension_grace_days INTEGER NOT NULL DEFAULT 0,
  reactivation_days     INTEGER NOT NULL DEFAULT 30,
  tax_rate_ppm          INTEGER NOT NULL DEFAULT 0, -- parts per million: 23% = 230000
  invoice_prefix        TEXT NOT NULL DEFAULT ''
);

CREATE TABLE services (
  id         INTEGER PRIMARY KEY,
  code       TEXT NOT NULL UNIQUE,
  name       TEXT NOT NULL,
  kind       TEXT NOT NULL CHECK (kind IN ('voice', 'messaging', 'subscription', 'credits')),
  is_special INTEGER NOT NULL DEFAULT 0 -- "Credits / Promotions" is not a real service
);
INSERT INTO services (id, code, name, kind, is_special) VALUES (1, 'credits', 'Credits / Promotions', 'credits', 1);

CREATE TABLE customers (
  id                 INTEGER PRIMARY KEY,
  customer_id        TEXT NOT NULL UNIQUE COLLATE NOCASE, -- the name shown in the system
  company_name       TEXT NOT NULL DEFAULT '',
  balance_control    TEXT NOT NULL CHECK (balance_control IN ('prepaid', 'postpaid')),
  currency           TEXT NOT NULL,
  class_id           INTEGER REFERENCES customer_classes (id),
  credit_limit_minor INTEGER,
  balance_minor      INTEGER NOT NULL DEFAULT 0, -- what the customer owes (prepaid funds = -balance)
  unallocated_minor  INTEGER NOT NULL DEFAULT 0 CHECK (unallocated_minor >= 0),
  status             TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'blocked', 'suspended',
                       'provisionally-terminated', 'permanently-terminated', 'exported')),
  phone              TEXT NOT NULL DEFAULT '',
  email              TEXT NOT NULL DEFAULT '',
  address            TEXT NOT NULL DEFAULT '',
  country            TEXT NOT NULL DEFAULT '',
  created_at         TEXT NOT NULL,
  updated_at         TEXT NOT NULL
);
CREATE INDEX customers_company ON customers (company_name COLLATE NOCASE);

CREATE TABLE accounts (
  id          INTEGER PRIMARY KEY,
  customer_id INTEGER NOT NULL REFERENCES customers (id),
  account_id  TEXT NOT NULL UNIQUE COLLATE NOCASE, -- a line or callshop booth
  status      TEXT NOT NULL DEFAULT 'active',
  created_at  TEXT NOT NULL
);
CREATE INDEX accounts_customer ON accounts (customer_id);

-- One numbered record space for usage and money transactions, so an audit line can say
-- "(xDR id 2204)" whichever kind of record caused it.
CREATE TABLE xdrs (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  kind         TEXT NOT NULL,
  customer_id  INTEGER NOT NULL REFERENCES customers (id),
  account_id   INTEGER REFERENCES accounts (id),
  service_id   INTEGER REFERENCES services (id),
  started_at   TEXT NOT NULL,
  duration_s   INTEGER NOT NULL DEFAULT 0,
  destination  TEXT NOT NULL DEFAULT '',
  amount_minor INTEGER NOT NULL DEFAULT 0,
  created_at   TEXT NOT NULL
);
CREATE INDEX xdrs_customer_time ON xdrs (customer_id, started_at);

-- Append-only, tamper-evident: each entry's hash covers its content and its predecessor's hash.
CREATE TABLE audit_log (
  id            INTEGER PRIMARY KEY,
  at            TEXT NOT NULL,
  operator_id   INTEGER NOT NULL REFERENCES operators (id),
  operator_name TEXT NOT NULL,
  customer_id   INTEGER REFERENCES customers (id),
  kind          TEXT NOT NULL,
  field         TEXT,
  from_value    TEXT,
  to_value      TEXT,
  description   TEXT NOT NULL,
  source_kind   TEXT,
  source_id     INTEGER,
  prev_hash     TEXT NOT NULL,
  hash          TEXT NOT NULL
);
CREATE INDEX audit_customer ON audit_log (customer_id, id);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
