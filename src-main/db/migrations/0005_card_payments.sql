-- Card payments through the payment gateway. A record moves Started -> Authorized -> Completed,
-- or ends Failed / Voided; an answer that never came (time-out, crash) stays Pending until it is
-- reconciled with the gateway. The card number itself is never stored.
CREATE TABLE card_transactions (
  id             INTEGER PRIMARY KEY,
  customer_id    INTEGER NOT NULL REFERENCES customers (id),
  kind           TEXT NOT NULL CHECK (kind IN ('payment', 'authorization', 'refund')),
  state          TEXT NOT NULL CHECK (state IN ('started', 'pending', 'authorized', 'completed', 'failed', 'voided')),
  reference      TEXT NOT NULL UNIQUE, -- ours, sent to the gateway (finds a lost answer again)
  gateway_ref    TEXT UNIQUE,          -- the gateway's transaction ID, shown to staff
  parent_id      INTEGER REFERENCES card_transactions (id), -- refund: the payment it returns
  amount_minor   INTEGER NOT NULL CHECK (amount_minor > 0),
  captured_minor INTEGER NOT NULL DEFAULT 0,
  refunded_minor INTEGER NOT NULL DEFAULT 0,
  currency       TEXT NOT NULL,
  card_brand     TEXT,
  card_last4     TEXT,
  expires_at     TEXT,                 -- authorization: after this it can be neither captured nor voided
  failure        TEXT,
  xdr_id         INTEGER REFERENCES xdrs (id),
  operation_key  TEXT,
  created_at     TEXT NOT NULL,
  updated_at     TEXT NOT NULL
);
CREATE INDEX card_transactions_customer ON card_transactions (customer_id, id);
CREATE INDEX card_transactions_unsettled ON card_transactions (state) WHERE state IN ('started', 'pending');
