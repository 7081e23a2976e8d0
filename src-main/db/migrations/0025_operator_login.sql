-- Operators log in (issue 13 items 1 and 2; docs/operators.md). Wrong passwords in a row and the
-- lockout they cause; the idle time after which the counter locks itself; the "System" operator
-- that scheduler and start-up work act as (it cannot log in: disabled, no password).
ALTER TABLE operators ADD COLUMN failed_logins INTEGER NOT NULL DEFAULT 0;
ALTER TABLE operators ADD COLUMN locked_until TEXT;
ALTER TABLE operators ADD COLUMN password_changed_at TEXT;
ALTER TABLE settings ADD COLUMN idle_lock_minutes INTEGER NOT NULL DEFAULT 10;
INSERT INTO operators (id, login, name, role, password_hash, disabled, created_at)
VALUES (0, 'system', 'System', 'administrator', NULL, 1, '1970-01-01T00:00:00.000Z');
