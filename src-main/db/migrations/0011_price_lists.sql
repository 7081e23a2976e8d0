-- Price lists (tariffs): a list in one currency, versions uploaded from CSV with the instant they
-- take effect (the version in force for a call is the latest one effective at its start), and the
-- per-prefix rates of each version. Rates and connection fees are integers in 1e-5 of the major
-- unit (5 decimal places): per-minute prices need sub-cent precision; rating rounds once per record.
-- Versions and their rates are history: never changed once uploaded (a correction is a new version).

CREATE TABLE price_lists (
  id         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL COLLATE NOCASE,
  currency   TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX price_lists_name ON price_lists (name COLLATE NOCASE);

CREATE TABLE price_list_versions (
  id             INTEGER PRIMARY KEY,
  price_list_id  INTEGER NOT NULL REFERENCES price_lists (id),
  effective_from TEXT NOT NULL, -- ISO instant (UTC)
  uploaded_at    TEXT NOT NULL,
  operator_name  TEXT NOT NULL,
  row_count      INTEGER NOT NULL CHECK (row_count >= 0),
  UNIQUE (price_list_id, effective_from)
);

CREATE TABLE price_list_rates (
  version_id      INTEGER NOT NULL REFERENCES price_list_versions (id),
  prefix          TEXT NOT NULL CHECK (prefix GLOB '[0-9]*' AND prefix NOT GLOB '*[^0-9]*'),
  description     TEXT NOT NULL DEFAULT '',
  rate_e5         INTEGER NOT NULL CHECK (rate_e5 >= 0),           -- per minute, 1e-5 major units
  connection_e5   INTEGER NOT NULL CHECK (connection_e5 >= 0),     -- per call, 1e-5 major units
  first_interval_s INTEGER NOT NULL CHECK (first_interval_s > 0),
  next_interval_s  INTEGER NOT NULL CHECK (next_interval_s > 0),
  free_seconds     INTEGER NOT NULL CHECK (free_seconds >= 0),
  PRIMARY KEY (version_id, prefix)
);

CREATE TRIGGER price_list_versions_append_only_u BEFORE UPDATE ON price_list_versions
BEGIN SELECT RAISE(ABORT, 'price list versions are history and cannot be changed'); END;
CREATE TRIGGER price_list_versions_append_only_d BEFORE DELETE ON price_list_versions
BEGIN SELECT RAISE(ABORT, 'price list versions are history and cannot be deleted'); END;
CREATE TRIGGER price_list_rates_append_only_u BEFORE UPDATE ON price_list_rates
BEGIN SELECT RAISE(ABORT, 'price list rates are history and cannot be changed'); END;
CREATE TRIGGER price_list_rates_append_only_d BEFORE DELETE ON price_list_rates
BEGIN SELECT RAISE(ABORT, 'price list rates are history and cannot be deleted'); END;

-- Which list rates a service's usage: per customer class, overridden per customer.
CREATE TABLE class_price_lists (
  class_id      INTEGER NOT NULL REFERENCES customer_classes (id),
  service_id    INTEGER NOT NULL REFERENCES services (id),
  price_list_id INTEGER NOT NULL REFERENCES price_lists (id),
  PRIMARY KEY (class_id, service_id)
);

CREATE TABLE customer_price_lists (
  customer_id   INTEGER NOT NULL REFERENCES customers (id),
  service_id    INTEGER NOT NULL REFERENCES services (id),
  price_list_id INTEGER NOT NULL REFERENCES price_lists (id),
  PRIMARY KEY (customer_id, service_id)
);
