-- Every request sent to the card processor, whatever became of it: approved, declined, failed, or
-- still without an answer. card_transactions keeps what a transaction is now; this keeps who tried
-- what and what the processor said, so a declined card at the counter leaves a trace. Written as
-- 'sent' before the processor is asked, settled with its answer (or by reconciliation).
CREATE TABLE card_attempts (
  id                  INTEGER PRIMARY KEY,
  customer_id         INTEGER NOT NULL REFERENCES customers (id),
  -- The transaction this attempt wrote (payment, authorization, refund, capture), or for a void
  -- the authorization it tried to cancel.
  card_transaction_id INTEGER REFERENCES card_transactions (id),
  operation           TEXT NOT NULL CHECK (operation IN ('ecommerce-payment', 'ecommerce-refund', 'authorization', 'capture', 'void')),
  outcome             TEXT NOT NULL CHECK (outcome IN ('sent', 'pending', 'approved', 'declined', 'error')),
  reason              TEXT,
  card_brand          TEXT,
  card_last4          TEXT,
  amount_minor        INTEGER NOT NULL,
  currency            TEXT NOT NULL,
  gateway_ref         TEXT,  -- the processor's transaction ID it concerns, once known
  operation_key       TEXT,
  operator_id         INTEGER NOT NULL,
  operator_name       TEXT NOT NULL,
  created_at          TEXT NOT NULL,
  settled_at          TEXT
);
CREATE INDEX card_attempts_customer ON card_attempts (customer_id, id);
CREATE INDEX card_attempts_transaction ON card_attempts (card_transaction_id);
