-- The usage browser's destination filter (issue 9), cheaper for the usage import to maintain.
-- xdrs_destination (destination) took each imported record at a random place of a 2M-entry index:
-- ~5,000 index pages read, journaled and written per 5,000-record batch, about a quarter of a 1M
-- import's CPU at M (docs/benchmarks.md, usage.rate_1m_s). Keyed by customer first, a batch's
-- records (grouped by customer, docs/usage.md) land in a few neighbouring pages per customer.
-- A filter with a customer or an account uses it directly; a rare destination alone is found by
-- one seek per customer (src-main/engine/usageBrowser.ts, `rareDestination`).
DROP INDEX xdrs_destination;
CREATE INDEX xdrs_customer_destination ON xdrs (customer_id, destination);
