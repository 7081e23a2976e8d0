-- The "System" operator (issue 12: entries written by timed work name it): the scheduler (life
-- cycle, period close, scheduled re-issues, daily backup), card reconciliation at start-up and the
-- usage import folder act as operator 0. It cannot log in (disabled, no password). OR IGNORE:
-- the operators' migration (issue 13) may have made the same row first.
INSERT OR IGNORE INTO operators (id, login, name, role, password_hash, disabled, created_at)
VALUES (0, 'system', 'System', 'administrator', NULL, 1, '1970-01-01T00:00:00.000Z');
