-- Services become editable on the Services page (Settings): two one-off kinds beside voice,
-- messaging and subscription, a disabled flag (a disabled service is not offered for new charges
-- and credits but stays on the records that name it), and names unique whatever their case.
-- SQLite cannot widen a CHECK constraint in place, so the table is rebuilt with the same ids
-- (every record keeps its service); the marker below makes migrate() run this with foreign keys
-- off and check them before it commits. Existing services keep their kind. Should two names
-- differ only in case, the later one gets its id appended, so the unique index can be built and
-- nothing is lost.

-- migrate: rebuilds tables (foreign keys off, checked before commit)

CREATE TABLE services_0008 (
  id         INTEGER PRIMARY KEY,
  code       TEXT NOT NULL UNIQUE,
  name       TEXT NOT NULL COLLATE NOCASE,
  kind       TEXT NOT NULL CHECK (kind IN ('voice', 'messaging', 'subscription', 'goods', 'fees', 'credits')),
  is_special INTEGER NOT NULL DEFAULT 0, -- "Credits / Promotions" is not a real service
  disabled   INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1))
);

INSERT INTO services_0008 (id, code, name, kind, is_special, disabled)
SELECT s.id, s.code,
       CASE WHEN EXISTS (SELECT 1 FROM services o WHERE o.name = s.name COLLATE NOCASE AND o.id < s.id)
            THEN s.name || ' (' || s.id || ')' ELSE s.name END,
       s.kind, s.is_special, 0
FROM services s;

DROP TABLE services;
ALTER TABLE services_0008 RENAME TO services;
CREATE UNIQUE INDEX services_name ON services (name COLLATE NOCASE);
