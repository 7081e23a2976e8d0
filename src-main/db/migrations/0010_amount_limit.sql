-- The most one balance operation may move, as a whole number of major units of the customer's
-- currency (1,000,000 = 1,000,000 JPY, 1,000,000.00 USD, 1,000,000.000 KWD). The upper bound keeps
-- the limit in minor units a safe integer in every currency (exponent at most 3).
ALTER TABLE settings ADD COLUMN max_operation_major INTEGER NOT NULL DEFAULT 1000000 CHECK (max_operation_major BETWEEN 1 AND 1000000000000);
