-- The usage browser (issue 9): pages of a filter, newest first, at a million records.
-- A page walks an index in (started_at, id) order and stops after its rows (id is the rowid, the
-- last column of every index), so it costs about a page of index steps:
--   a customer or an account     xdrs_customer_time (0012)
--   unrated usage                xdrs_unrated (0012)
--   anything else                xdrs_started (here): all records by time, also a period alone
-- A destination prefix that few records have would make that walk cross the whole table before a
-- page fills; xdrs_destination finds such records directly (src-main/engine/usageBrowser.ts).
CREATE INDEX xdrs_started ON xdrs (started_at);
-- Not partial: an index "WHERE kind = 'usage'" would be taken for every usage-only query as a way
-- to read usage, then visit the table in destination order (several times slower than a scan).
CREATE INDEX xdrs_destination ON xdrs (destination);
