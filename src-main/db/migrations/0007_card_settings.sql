-- How long a card authorization holds before it can be neither captured nor voided.
ALTER TABLE settings ADD COLUMN card_authorization_days INTEGER NOT NULL DEFAULT 7 CHECK (card_authorization_days BETWEEN 1 AND 30);
